//! The one thing to do next, so a learner opening pmle never has to decide how to study.
//!
//! The order is deliberate: finish what is running (an exam), then pay the memory debt that
//! grows fastest (due cards), then close the biggest gap in the estimate (the weakest
//! section, or breadth when evidence is thin), and finally test under exam conditions.

use serde::Serialize;

use crate::Stats;

/// Where the step leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    ResumeExam,
    ReviewCards,
    Practice,
    MockExam,
}

/// A recommendation with the reason, in words.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NextStep {
    pub kind: StepKind,
    /// Section id for a practice step aimed at one section.
    pub section: Option<String>,
    pub text: String,
}

/// Decide from the figures `stats` already holds.
pub fn next_step(stats: &Stats) -> NextStep {
    if let Some(u) = &stats.exams.unfinished {
        return NextStep {
            kind: StepKind::ResumeExam,
            section: None,
            text: format!(
                "Finish your mock exam: {} of {} answered, {} min left on its clock.",
                u.answered,
                u.questions,
                u.seconds_left / 60
            ),
        };
    }
    if stats.cards.due > 0 {
        return NextStep {
            kind: StepKind::ReviewCards,
            section: None,
            text: format!(
                "Review {} due flashcard(s) before they slip further.",
                stats.cards.due
            ),
        };
    }
    let r = &stats.readiness;
    let weakest = r
        .weakest_section
        .as_ref()
        .and_then(|id| stats.sections.iter().find(|s| &s.id == id));
    let needed = pmle_engine::readiness::ReadinessConfig::default().min_section_answers;
    let thinnest = stats
        .sections
        .iter()
        .filter(|s| s.first_answers < needed)
        .min_by_key(|s| {
            (
                s.first_answers,
                std::cmp::Reverse((s.weight * 100.0) as i64),
            )
        });
    match (r.status.as_str(), weakest) {
        ("not_enough_evidence", _) if r.mean.is_none() => NextStep {
            kind: StepKind::Practice,
            section: None,
            text: "Practise across all sections: the estimate needs answers from each of them."
                .into(),
        },
        ("not_enough_evidence", _) if thinnest.is_some() => {
            let s = thinnest.expect("checked");
            NextStep {
                kind: StepKind::Practice,
                section: Some(s.id.clone()),
                text: format!(
                    "Practise section {} ({}): {} answered question(s), the estimate needs {needed} in every section.",
                    s.number, s.title, s.first_answers
                ),
            }
        }
        ("not_enough_evidence", _) if !r.full_mock_taken => NextStep {
            kind: StepKind::MockExam,
            section: None,
            text: "Take a full timed mock exam: the estimate has not yet seen you under exam conditions."
                .into(),
        },
        ("not_enough_evidence", _) | (_, None) => NextStep {
            kind: StepKind::Practice,
            section: None,
            text: "Practise across all sections: the estimate needs answers from each of them."
                .into(),
        },
        ("likely_ready", _) => NextStep {
            kind: StepKind::MockExam,
            section: None,
            text: "Take a full timed mock exam to check the estimate under exam conditions.".into(),
        },
        (_, Some(s)) => NextStep {
            kind: StepKind::Practice,
            section: Some(s.id.clone()),
            text: format!(
                "Practise section {} ({}): your weakest at {}, worth {}% of the exam.",
                s.number,
                s.title,
                s.mastery_text(),
                s.weight
            ),
        },
    }
}
