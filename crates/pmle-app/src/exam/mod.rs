//! Mock exams: plan ([`App::plan_exam`]), then run ([`session`]) and report ([`report`]).

mod report;
mod session;

use pmle_engine::exam::{Pool, assemble};
use pmle_engine::{item_status, shuffled_order};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

pub use report::{ExamReport, ReportItem, SectionScore};
pub use session::{ExamEvent, ExamItemView, ExamSession};

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
            minutes: settings.exam_minutes,
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

fn variant_name(v: &ExamVariant) -> &'static str {
    match v {
        ExamVariant::Full => "full",
        ExamVariant::Section(_) => "section",
        ExamVariant::Retry => "retry",
    }
}
