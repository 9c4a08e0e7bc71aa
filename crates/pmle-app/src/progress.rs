//! Progress over time: every submitted mock exam with its per-section scores and the
//! readiness prediction stored beside it, and each section's mastery trend over a window
//! (docs/engine.md §2 "Trend over time", §5). The JSON keys are a stable interface
//! (docs/cli.md, `pmle progress --json`).

use pmle_engine::grade;
use pmle_engine::mastery::MasteryConfig;
use pmle_engine::trend::{Change, TrendConfig, section_trends};
use pmle_store::{ExamRecord, ExamStatus};
use serde::Serialize;

use crate::{App, AppError, date_of_ms};

/// The windows a trend can cover, in days.
pub const PROGRESS_WINDOWS: [u32; 2] = [30, 90];

/// What the progress page, screen and command show.
#[derive(Debug, Clone, Serialize)]
pub struct Progress {
    /// `YYYY-MM-DD` (UTC) of the clock when it was computed.
    pub as_of: String,
    /// Length of the trend window.
    pub days: u32,
    /// Submitted mock exams, oldest first (abandoned ones are never scored or listed).
    pub exams: Vec<MockHistoryEntry>,
    /// The line drawn across the exam chart: the learner's readiness target, 0–1.
    pub target: f64,
    /// What that line is, in words (Google publishes no pass mark).
    pub target_text: String,
    /// A sentence for an empty or one-exam history, `null` from two exams on.
    pub history_note: Option<String>,
    /// Every blueprint section, in order.
    pub sections: Vec<SectionTrendView>,
    /// Distinct questions needed before a section's mastery is shown on a date.
    pub min_questions: u32,
    /// Answers in the window needed before their share right is shown.
    pub min_window_answers: u32,
}

/// One submitted mock exam.
#[derive(Debug, Clone, Serialize)]
pub struct MockHistoryEntry {
    pub exam_id: i64,
    /// `YYYY-MM-DD` (UTC) of the submit.
    pub date: String,
    pub submitted_at_ms: i64,
    /// `full`, `section` or `retry`.
    pub variant: String,
    /// The section of a section exam.
    pub section: Option<String>,
    /// "full", "section 3", "retry".
    pub kind: String,
    pub questions: usize,
    pub correct: usize,
    /// Share right, 0–1 (unanswered questions count as wrong).
    pub score: f64,
    /// Submitted by the clock running out.
    pub auto_submitted: bool,
    /// Per section with at least one question in this exam, blueprint order.
    pub sections: Vec<MockSectionScore>,
    /// The prediction stored when it started; `null` when none was (an exam before any
    /// answer, or before pmle stored predictions).
    pub prediction: Option<MockPrediction>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MockSectionScore {
    pub id: String,
    pub number: u32,
    pub correct: usize,
    pub questions: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct MockPrediction {
    /// Predicted score and its 80% interval, 0–1.
    pub predicted: f64,
    pub low: f64,
    pub high: f64,
    /// `inside`, `below` or `above` the interval.
    pub outcome: String,
}

/// One section's mastery then and now.
#[derive(Debug, Clone, Serialize)]
pub struct SectionTrendView {
    pub id: String,
    pub number: u32,
    pub title: String,
    /// Evenly spaced from the window's start (first) to now (last).
    pub points: Vec<TrendPointView>,
    /// Answers in the window and how many were right.
    pub window_answers: u32,
    pub window_correct: u32,
    /// Share right in the window and its 80% interval; `null` below `min_window_answers`.
    pub window_share: Option<f64>,
    pub window_low: Option<f64>,
    pub window_high: Option<f64>,
    /// `up`, `down`, `no_clear_change` or `too_little_evidence`.
    pub change: String,
    /// Which way the estimate moved, whatever its certainty: `higher`, `lower` or `same`
    /// (within half a point); `null` without a figure then and now.
    pub moved: Option<String>,
    /// One plain sentence for people.
    pub summary: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TrendPointView {
    /// `YYYY-MM-DD` (UTC).
    pub date: String,
    pub at_ms: i64,
    /// Distinct questions of the section answered by then, and all answers by then.
    pub questions: u32,
    pub answers: u32,
    /// Mastery (chance on an unseen question) and its 80% interval as estimated then;
    /// `null` with too little evidence.
    pub mastery: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
}

impl TrendPointView {
    /// "62% (48%–74%)", or "too little evidence (3 questions)".
    pub fn text(&self) -> String {
        match (self.mastery, self.low, self.high) {
            (Some(m), Some(l), Some(h)) => format!("{} ({}–{})", pct(m), pct(l), pct(h)),
            _ => format!(
                "too little evidence ({} question{})",
                self.questions,
                if self.questions == 1 { "" } else { "s" }
            ),
        }
    }
}

impl SectionTrendView {
    pub fn then(&self) -> &TrendPointView {
        &self.points[0]
    }

    pub fn now(&self) -> &TrendPointView {
        &self.points[self.points.len() - 1]
    }

    /// "41 answers, 73% right (62%–82%)", or "3 answers (too few for a share)".
    pub fn window_text(&self) -> String {
        let answers = format!(
            "{} answer{}",
            self.window_answers,
            if self.window_answers == 1 { "" } else { "s" }
        );
        match (self.window_share, self.window_low, self.window_high) {
            (Some(s), Some(l), Some(h)) => {
                format!("{answers}, {} right ({}–{})", pct(s), pct(l), pct(h))
            }
            _ if self.window_answers == 0 => "no answers".to_owned(),
            _ => format!("{answers} (too few for a share)"),
        }
    }
}

impl MockHistoryEntry {
    /// "4/6 (67%)" for section number `n`, or "–" when the exam had none of it.
    pub fn section_text(&self, number: u32) -> String {
        self.sections
            .iter()
            .find(|s| s.number == number)
            .map_or_else(
                || "–".to_owned(),
                |s| format!("{}/{}", s.correct, s.questions),
            )
    }

    /// "72% (60%–83%) · inside", or "none stored".
    pub fn prediction_text(&self) -> String {
        self.prediction.as_ref().map_or_else(
            || "none stored".to_owned(),
            |p| {
                format!(
                    "{} ({}–{}) · {}",
                    pct(p.predicted),
                    pct(p.low),
                    pct(p.high),
                    p.outcome
                )
            },
        )
    }
}

fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

impl App {
    /// Progress over the `days` before now (30 or 90; any other value is refused).
    pub fn progress(&self, days: u32) -> Result<Progress, AppError> {
        if !PROGRESS_WINDOWS.contains(&days) {
            return Err(AppError::ProgressWindow(days));
        }
        let now = self.now_ms();
        let settings = self.settings()?;
        let exams = self.mock_history()?;
        let tcfg = TrendConfig::for_days(days);
        let snap = self.snapshot()?;
        let trends = section_trends(
            &self.index.items,
            self.index.weights.len(),
            self.index.n_topics,
            &snap.observations,
            now,
            &MasteryConfig::default(),
            &tcfg,
        );
        let sections = self
            .pack
            .sections
            .iter()
            .zip(trends)
            .map(|(s, t)| {
                let points: Vec<TrendPointView> = t
                    .points
                    .iter()
                    .map(|p| TrendPointView {
                        date: date_of_ms(p.at_ms),
                        at_ms: p.at_ms,
                        questions: p.questions,
                        answers: p.answers,
                        mastery: p.mastery.map(|m| m.0),
                        low: p.mastery.map(|m| m.1),
                        high: p.mastery.map(|m| m.2),
                    })
                    .collect();
                let change = match t.change {
                    Change::Up => "up",
                    Change::Down => "down",
                    Change::Unclear => "no_clear_change",
                    Change::TooLittleEvidence => "too_little_evidence",
                };
                let (then, last) = (&points[0], &points[points.len() - 1]);
                let summary = match t.change {
                    Change::Up => format!(
                        "up: {} then, {} now (the intervals do not overlap)",
                        then.text(),
                        last.text()
                    ),
                    Change::Down => format!(
                        "down: {} then, {} now (the intervals do not overlap)",
                        then.text(),
                        last.text()
                    ),
                    Change::Unclear => {
                        let (a, b) = (then.mastery.unwrap_or(0.0), last.mastery.unwrap_or(0.0));
                        let moved = if (b - a).abs() < 0.005 {
                            "about the same"
                        } else if b > a {
                            "higher now"
                        } else {
                            "lower now"
                        };
                        format!(
                            "no clear change ({moved}, but the 80% intervals overlap): {} then, {} now",
                            then.text(),
                            last.text()
                        )
                    }
                    Change::TooLittleEvidence if last.mastery.is_none() => format!(
                        "too little evidence: {} question{} answered so far ({} needed for a figure)",
                        last.questions,
                        if last.questions == 1 { "" } else { "s" },
                        tcfg.min_questions
                    ),
                    Change::TooLittleEvidence => format!(
                        "{} now; too little evidence {days} days ago ({} question{} answered by then, {} needed) to say how it moved",
                        last.text(),
                        then.questions,
                        if then.questions == 1 { "" } else { "s" },
                        tcfg.min_questions
                    ),
                };
                let moved = then.mastery.zip(last.mastery).map(|(a, b)| {
                    if (b - a).abs() < 0.005 {
                        "same"
                    } else if b > a {
                        "higher"
                    } else {
                        "lower"
                    }
                    .to_owned()
                });
                SectionTrendView {
                    id: s.id.clone(),
                    number: s.number,
                    title: s.title.clone(),
                    points,
                    window_answers: t.window_answers,
                    window_correct: t.window_correct,
                    window_share: t.window_accuracy.map(|a| a.0),
                    window_low: t.window_accuracy.map(|a| a.1),
                    window_high: t.window_accuracy.map(|a| a.2),
                    change: change.to_owned(),
                    moved,
                    summary,
                }
            })
            .collect();
        let history_note = match exams.len() {
            0 => Some(
                "No mock exam yet: take a mock exam to start your history (`pmle exam`, or a shorter one with `pmle exam --section N`).".to_owned(),
            ),
            1 => Some("One mock exam so far: take another to see how your score moves.".to_owned()),
            _ => None,
        };
        Ok(Progress {
            as_of: date_of_ms(now),
            days,
            exams,
            target: settings.readiness_target,
            target_text: format!(
                "your target, {} (the `readiness_target` setting): Google publishes no pass mark, so this line is the score you aim for, not the exam's",
                pct(settings.readiness_target)
            ),
            history_note,
            sections,
            min_questions: tcfg.min_questions,
            min_window_answers: tcfg.min_window_answers,
        })
    }

    /// Every submitted mock exam with its section scores and stored prediction, oldest first.
    pub fn mock_history(&self) -> Result<Vec<MockHistoryEntry>, AppError> {
        let predictions = self.store.predictions()?;
        let mut out = Vec::new();
        for summary in self.store.finished_exams()?.into_iter().rev() {
            let Some(e) = self.store.exam(summary.id)? else {
                continue;
            };
            if e.status() != ExamStatus::Submitted {
                continue;
            }
            out.push(self.history_entry(&e, predictions.iter().find(|p| p.exam_id == e.id)));
        }
        Ok(out)
    }

    fn history_entry(
        &self,
        e: &ExamRecord,
        prediction: Option<&pmle_store::ExamPrediction>,
    ) -> MockHistoryEntry {
        let mut by_section: Vec<(usize, usize)> = vec![(0, 0); self.pack.sections.len()];
        for it in &e.items {
            let Some(q) = self.pack.question(&it.question_id) else {
                continue;
            };
            let Some(s) = self.pack.sections.iter().position(|s| s.id == q.section) else {
                continue;
            };
            by_section[s].1 += 1;
            if let Some(chosen) = &it.chosen
                && grade(&q.correct_indexes(), chosen)
            {
                by_section[s].0 += 1;
            }
        }
        let correct: usize = by_section.iter().map(|c| c.0).sum();
        let questions: usize = by_section.iter().map(|c| c.1).sum();
        let score = if questions == 0 {
            0.0
        } else {
            correct as f64 / questions as f64
        };
        let section_number = e
            .section_id
            .as_ref()
            .and_then(|id| self.pack.sections.iter().find(|s| &s.id == id))
            .map(|s| s.number);
        let kind = match (e.variant.as_str(), section_number) {
            ("section", Some(n)) => format!("section {n}"),
            (v, _) => v.to_owned(),
        };
        let submitted = e.submitted_at_ms.unwrap_or(e.updated_at_ms);
        MockHistoryEntry {
            exam_id: e.id,
            date: date_of_ms(submitted),
            submitted_at_ms: submitted,
            variant: e.variant.clone(),
            section: e.section_id.clone(),
            kind,
            questions,
            correct,
            score,
            auto_submitted: e.auto_submitted,
            sections: self
                .pack
                .sections
                .iter()
                .zip(&by_section)
                .filter(|(_, c)| c.1 > 0)
                .map(|(s, &(correct, questions))| MockSectionScore {
                    id: s.id.clone(),
                    number: s.number,
                    correct,
                    questions,
                })
                .collect(),
            prediction: prediction.map(|p| MockPrediction {
                predicted: p.predicted,
                low: p.low,
                high: p.high,
                // The same rule as the readiness record (`PredictionCheck::held`).
                outcome: if score < p.low - 1e-9 {
                    "below"
                } else if score > p.high + 1e-9 {
                    "above"
                } else {
                    "inside"
                }
                .to_owned(),
            }),
        }
    }
}
