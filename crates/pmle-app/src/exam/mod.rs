//! Mock exams: plan ([`App::plan_exam`]), then run ([`session`]) and report ([`report`]).

mod event;
mod report;
mod session;
mod stored;

use pmle_engine::exam::{Pool, assemble};
use pmle_engine::{item_status, shuffled_order};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

pub use event::ExamEvent;
pub use pmle_store::ExamStatus;
pub use report::{ExamReport, ReportItem, SectionScore};
pub use session::{ExamItemView, ExamSession, PAGE_GAP_MS, PAGE_HEARTBEAT_MS};

use crate::{App, AppError};

/// Which questions an exam draws from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExamVariant {
    /// The whole blueprint, by section weight.
    Full,
    /// One section (id like `s3` or number like `3`).
    Section(String),
    /// Questions whose last answer was wrong.
    Retry,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlannedQuestion {
    pub id: String,
    pub section: String,
}

/// A drawn exam, before it starts.
#[derive(Debug, Clone, Serialize)]
pub struct ExamPlan {
    pub seed: u64,
    pub minutes: u32,
    pub variant: String,
    pub section: Option<String>,
    pub questions: Vec<PlannedQuestion>,
    /// Sections that had fewer questions than their share, as sentences.
    pub shortfalls: Vec<String>,
    #[serde(skip)]
    pub(crate) orders: Vec<Vec<usize>>,
}

impl App {
    /// Draw an exam without starting it. The same seed and history give the same plan.
    pub fn plan_exam(&self, variant: &ExamVariant, seed: u64) -> Result<ExamPlan, AppError> {
        let settings = self.settings()?;
        let snap = self.snapshot()?;
        let status = item_status(self.index.items.len(), &snap.observations);
        let (pool_section, wrong): (Option<usize>, Vec<usize>);
        let pool = match variant {
            ExamVariant::Full => Pool::All,
            ExamVariant::Section(s) => {
                let id = &self
                    .pack
                    .resolve_section(s)
                    .ok_or_else(|| AppError::UnknownSection(s.clone()))?
                    .id;
                pool_section = self.pack.sections.iter().position(|x| &x.id == id);
                Pool::Section(pool_section.unwrap_or(0))
            }
            ExamVariant::Retry => {
                wrong = (0..status.len())
                    .filter(|&i| status[i].attempts > 0 && !status[i].last_correct)
                    .filter(|&i| !self.index.items[i].retired)
                    .collect();
                if wrong.is_empty() {
                    return Err(AppError::Exam(
                        "no wrong answers to retry yet; practise or sit an exam first".into(),
                    ));
                }
                Pool::Only(&wrong)
            }
        };
        let draw = assemble(
            &self.index.items,
            &status,
            &self.index.weights,
            settings.exam_questions,
            pool,
            seed,
        );
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x0b7e_0f0e);
        let orders = draw
            .items
            .iter()
            .map(|&i| shuffled_order(self.pack.questions[i].options.len(), &mut rng))
            .collect();
        let shortfalls = draw
            .shortfalls
            .iter()
            .map(|s| {
                let sec = &self.pack.sections[s.section];
                format!(
                    "section {} ({}) has {} question(s) for the {} its weight asks; the exam draws what exists",
                    sec.number, sec.title, s.available, s.wanted
                )
            })
            .collect();
        Ok(ExamPlan {
            seed,
            minutes: exam_minutes(
                variant,
                draw.items.len(),
                settings.exam_questions,
                settings.exam_minutes,
            ),
            variant: variant_name(variant).to_owned(),
            section: match variant {
                ExamVariant::Section(s) => self.pack.resolve_section(s).map(|x| x.id.clone()),
                _ => None,
            },
            questions: draw
                .items
                .iter()
                .map(|&i| PlannedQuestion {
                    id: self.pack.questions[i].id.clone(),
                    section: self.pack.questions[i].section.clone(),
                })
                .collect(),
            shortfalls,
            orders,
        })
    }
}

/// The time limit: a full exam has the set time; a section or retry exam has time in
/// proportion to its length at the full exam's pace (`exam_minutes / exam_questions`, two
/// minutes a question by default), rounded up to whole minutes.
pub(crate) fn exam_minutes(
    variant: &ExamVariant,
    questions: usize,
    exam_questions: usize,
    exam_minutes: u32,
) -> u32 {
    match variant {
        ExamVariant::Full => exam_minutes,
        ExamVariant::Section(_) | ExamVariant::Retry => {
            let (n, full) = (questions as u64, exam_questions.max(1) as u64);
            let m = (u64::from(exam_minutes) * n).div_ceil(full);
            m.clamp(1, u64::from(exam_minutes)) as u32
        }
    }
}

/// An exam time as every front end shows it: `h:mm:ss` (`0:01:09`, `2:00:00`), so the time
/// used and the time limit always read alike.
pub fn clock_text(ms: i64) -> String {
    let s = ms.max(0) / 1000;
    format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

fn variant_name(v: &ExamVariant) -> &'static str {
    match v {
        ExamVariant::Full => "full",
        ExamVariant::Section(_) => "section",
        ExamVariant::Retry => "retry",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_exams_get_time_at_the_full_exams_pace() {
        let retry = ExamVariant::Retry;
        let section = ExamVariant::Section("s1".into());
        assert_eq!(exam_minutes(&retry, 3, 60, 120), 6);
        assert_eq!(exam_minutes(&section, 11, 60, 120), 22);
        assert_eq!(exam_minutes(&section, 7, 60, 90), 11, "10.5 rounds up");
        assert_eq!(exam_minutes(&retry, 1, 200, 1), 1, "never below a minute");
        assert_eq!(
            exam_minutes(&retry, 80, 60, 120),
            120,
            "never above the full time"
        );
        assert_eq!(exam_minutes(&ExamVariant::Full, 3, 60, 120), 120);
    }

    #[test]
    fn one_time_format() {
        assert_eq!(clock_text(69_000), "0:01:09");
        assert_eq!(clock_text(7_200_000), "2:00:00");
        assert_eq!(clock_text(-5), "0:00:00");
    }
}
