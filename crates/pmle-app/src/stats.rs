//! Content and progress figures for `pmle stats`. The JSON keys are a stable interface
//! (documented in docs/cli.md): add keys, never rename or remove them.

use serde::Serialize;

use crate::{App, AppError};

#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    pub pack: PackInfo,
    pub database: String,
    pub content: ContentStats,
    pub sections: Vec<SectionStats>,
    pub progress: ProgressStats,
    pub readiness: ReadinessStats,
    pub cards: CardStats,
    pub exams: ExamStats,
    /// The exam date, days left and the daily plan (docs/engine.md §7).
    pub exam_plan: crate::ExamPlanStats,
}

/// The predicted exam score. Google publishes no pass mark: `target` is a setting.
/// The figures are `null` until there is an answer: before that they would be the prior.
#[derive(Debug, Clone, Serialize)]
pub struct ReadinessStats {
    /// Expected score, 0–1, and its 80% interval.
    pub mean: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub target: f64,
    /// Probability of reaching the target on a 60-question exam: within 1–99%, and at most
    /// 90% before a timed full mock exam on mostly unseen questions.
    pub p_pass: Option<f64>,
    /// True when `p_pass` is at the 90% cap that applies before a full mock exam.
    pub p_pass_capped: bool,
    /// Share of the blueprint weight with enough evidence, 0–1.
    pub coverage: f64,
    /// `not_enough_evidence`, `not_ready`, `borderline` or `likely_ready`.
    pub status: String,
    /// One plain sentence for people.
    pub verdict: String,
    pub weakest_section: Option<String>,
    /// What a "likely ready" verdict still needs, as sentences ("take a full mock exam…").
    pub missing: Vec<String>,
    /// A submitted timed full mock exam on mostly unseen questions exists.
    pub full_mock_taken: bool,
    /// Spread (logits) of the exam-gap term in the interval.
    pub exam_gap_sd: f64,
    /// The correction earned by mock scores below their predictions.
    pub calibration: CalibrationStats,
    /// Every mock exam's prediction against its score, newest first.
    pub mock_exams: Vec<crate::PredictionRecord>,
}

impl ReadinessStats {
    /// "72% (80% interval 60–83%)", or "not measured yet".
    pub fn estimate_text(&self) -> String {
        match (self.mean, self.low, self.high) {
            (Some(m), Some(l), Some(h)) => {
                format!("{} (80% interval {}–{})", pct(m), pct(l), pct(h))
            }
            _ => "not measured yet".to_owned(),
        }
    }

    /// P(pass) for people: never 0% or 100%, "–" before any answer, and the cap named.
    pub fn p_pass_text(&self) -> String {
        match self.p_pass {
            None => "–".to_owned(),
            Some(p) if self.p_pass_capped => {
                format!("{} (capped until a full mock exam)", pct_bounded(p))
            }
            Some(p) => pct_bounded(p),
        }
    }
}

/// How the learner's own mock exams moved the estimate (docs/engine.md §5).
#[derive(Debug, Clone, Serialize)]
pub struct CalibrationStats {
    /// Added to every ability, logits (≤ 0).
    pub shift: f64,
    /// Added in quadrature to the exam gap, logits.
    pub extra_sd: f64,
    /// Full mock exams with a prediction and a score that the correction rests on.
    pub checks: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct CardStats {
    pub total: usize,
    pub due: usize,
    pub new_today: usize,
    pub scheduled_questions: usize,
    /// `default` or `personal` FSRS parameters.
    pub fsrs_parameters: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExamStats {
    pub finished: usize,
    pub last_score: Option<f64>,
    pub unfinished: Option<UnfinishedExam>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnfinishedExam {
    pub id: i64,
    pub questions: usize,
    pub answered: usize,
    pub flagged: usize,
    pub seconds_left: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct PackInfo {
    pub id: String,
    pub title: String,
    pub guide_version: String,
    pub guide_date: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ContentStats {
    pub questions: usize,
    pub cards: usize,
    pub notes: usize,
    pub catalog: usize,
    pub topics: usize,
    /// Headings of the 2022 study guide that the topics cover.
    pub guide_headings: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionStats {
    pub id: String,
    pub number: u32,
    pub title: String,
    pub weight: f64,
    pub questions: usize,
    pub answers: u64,
    pub correct: u64,
    /// `correct / answers`, `null` before the first answer.
    pub correct_share: Option<f64>,
    /// Distinct questions of the section answered at least once.
    pub first_answers: u32,
    /// Estimated probability of answering an unseen question of the section, with its
    /// 80% interval; `null` before the section's first answer (it would be the prior).
    pub mastery: Option<f64>,
    pub mastery_low: Option<f64>,
    pub mastery_high: Option<f64>,
}

impl SectionStats {
    /// "72% (60–83%)", or "not measured yet".
    pub fn mastery_text(&self) -> String {
        match (self.mastery, self.mastery_low, self.mastery_high) {
            (Some(m), Some(l), Some(h)) => format!("{} ({}–{})", pct(m), pct(l), pct(h)),
            _ => "not measured yet".to_owned(),
        }
    }
}

fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// A probability that is never printed as certain: "<1%" and ">99%" at the ends.
pub fn pct_bounded(x: f64) -> String {
    if x < 0.005 {
        "<1%".to_owned()
    } else if x > 0.995 {
        ">99%".to_owned()
    } else {
        pct(x)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ProgressStats {
    pub answers_total: u64,
    pub answers_correct: u64,
    pub correct_share: Option<f64>,
    /// Distinct questions answered at least once.
    pub questions_seen: usize,
}

fn share(correct: u64, answers: u64) -> Option<f64> {
    (answers > 0).then(|| correct as f64 / answers as f64)
}

impl App {
    pub fn stats(&self) -> Result<Stats, AppError> {
        let p = &self.pack;
        let tally = self.store.tally()?;
        let by_section = self.store.tally_by_section()?;
        let seen = self.store.question_history()?.len();
        let mastery = self.mastery_now()?;
        let evidence = self.readiness_evidence()?;
        let sections = p
            .sections
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let m = mastery.sections[i];
                let measured = |i: usize| evidence.first_answers.get(i).is_some_and(|&a| a > 0);
                let t = by_section
                    .iter()
                    .find(|(id, _)| *id == s.id)
                    .map(|(_, t)| *t)
                    .unwrap_or_default();
                SectionStats {
                    id: s.id.clone(),
                    number: s.number,
                    title: s.title.clone(),
                    weight: s.weight,
                    questions: p
                        .questions
                        .iter()
                        .filter(|q| q.section == s.id && !q.retired)
                        .count(),
                    answers: t.answers,
                    correct: t.correct,
                    correct_share: share(t.correct, t.answers),
                    first_answers: evidence.first_answers.get(i).copied().unwrap_or(0),
                    mastery: measured(i).then_some(m.p),
                    mastery_low: measured(i).then_some(m.low),
                    mastery_high: measured(i).then_some(m.high),
                }
            })
            .collect();
        Ok(Stats {
            pack: PackInfo {
                id: p.meta.id.clone(),
                title: p.meta.title.clone(),
                guide_version: p.meta.guide_version.clone(),
                guide_date: p.meta.guide_date.to_string(),
            },
            database: self.database.clone(),
            content: ContentStats {
                questions: p.questions.iter().filter(|q| !q.retired).count(),
                cards: p.cards.len(),
                notes: p.notes.len(),
                catalog: p.products.len(),
                topics: p.topics.len(),
                guide_headings: p.seed_headings.len(),
            },
            sections,
            progress: ProgressStats {
                answers_total: tally.answers,
                answers_correct: tally.correct,
                correct_share: share(tally.correct, tally.answers),
                questions_seen: seen,
            },
            readiness: self.readiness_stats()?,
            cards: self.card_stats()?,
            exams: self.exam_stats()?,
            exam_plan: self.exam_plan()?,
        })
    }
}

impl App {
    fn card_stats(&self) -> Result<CardStats, AppError> {
        let q = self.card_queue()?;
        let scheduled_questions = self
            .store
            .schedule()?
            .iter()
            .filter(|r| r.kind == pmle_store::ItemKind::Question)
            .count();
        Ok(CardStats {
            total: self.pack.cards.len(),
            due: q.due.len(),
            new_today: q.new.len(),
            scheduled_questions,
            fsrs_parameters: if q.personal_parameters {
                "personal"
            } else {
                "default"
            }
            .to_owned(),
        })
    }

    fn exam_stats(&self) -> Result<ExamStats, AppError> {
        let finished = self.store.finished_exams()?;
        let last_score = match finished.first() {
            Some(e) => Some(self.exam_report(e.id)?.score),
            None => None,
        };
        let unfinished = self.store.unfinished_exam()?.map(|e| UnfinishedExam {
            id: e.id,
            questions: e.items.len(),
            answered: e.items.iter().filter(|i| i.chosen.is_some()).count(),
            flagged: e.items.iter().filter(|i| i.flagged).count(),
            seconds_left: (e.time_limit_ms - e.elapsed_ms).max(0) / 1000,
        });
        Ok(ExamStats {
            finished: finished.len(),
            last_score,
            unfinished,
        })
    }
}
