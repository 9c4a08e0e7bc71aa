//! The report of an exam: score by section, and every question with its explanations.

use pmle_content::letter;
use pmle_engine::grade;
use pmle_store::{ExamRecord, ExamStatus};
use serde::Serialize;

use crate::{App, AppError, FeedbackOption};

#[derive(Debug, Clone, Serialize)]
pub struct SectionScore {
    pub id: String,
    pub number: u32,
    pub title: String,
    pub weight: f64,
    pub correct: usize,
    pub total: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportItem {
    pub position: usize,
    pub question_id: String,
    pub section_id: String,
    pub answered: bool,
    pub correct: bool,
    pub flagged: bool,
    pub time_ms: i64,
    pub stem: String,
    pub options: Vec<FeedbackOption>,
    pub references: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExamReport {
    pub exam_id: i64,
    pub variant: String,
    pub section: Option<String>,
    pub seed: u64,
    /// `submitted`, or `running` / `abandoned` for an exam read before it was scored (an
    /// abandoned exam is never scored: its figures are what was saved when it stopped).
    pub status: ExamStatus,
    /// Share correct, 0–1 (unanswered questions count as wrong).
    pub score: f64,
    pub correct: usize,
    pub total: usize,
    pub answered: usize,
    pub flagged: usize,
    pub elapsed_ms: i64,
    pub time_limit_ms: i64,
    /// Mean time on the questions answered; `null` when none was.
    pub mean_answered_ms: Option<i64>,
    pub auto_submitted: bool,
    pub sections: Vec<SectionScore>,
    pub items: Vec<ReportItem>,
    /// The readiness prediction made when the exam started and how the score compares;
    /// `null` for exams started before pmle stored predictions.
    pub prediction: Option<crate::PredictionRecord>,
}

impl App {
    /// The report of a submitted (or, read-only, an unfinished) exam.
    pub fn exam_report(&self, id: i64) -> Result<ExamReport, AppError> {
        let e = self.store.exam(id)?.ok_or(AppError::UnknownExam(id))?;
        let mut items = Vec::new();
        for it in &e.items {
            let Some(q) = self.pack.question(&it.question_id) else {
                continue;
            };
            let chosen = it.chosen.clone().unwrap_or_default();
            let correct = it.chosen.is_some() && grade(&q.correct_indexes(), &chosen);
            items.push(ReportItem {
                position: it.position,
                question_id: q.id.clone(),
                section_id: q.section.clone(),
                answered: it.chosen.is_some(),
                correct,
                flagged: it.flagged,
                time_ms: it.time_ms,
                stem: q.stem.clone(),
                options: it
                    .shown_order
                    .iter()
                    .enumerate()
                    .map(|(p, &i)| FeedbackOption {
                        letter: letter(p),
                        text: q.options[i].text.clone(),
                        correct: q.options[i].correct,
                        chosen: chosen.contains(&i),
                        explanation: q.options[i].explanation.clone(),
                    })
                    .collect(),
                references: q.references.clone(),
            });
        }
        let sections = self
            .pack
            .sections
            .iter()
            .map(|s| SectionScore {
                id: s.id.clone(),
                number: s.number,
                title: s.title.clone(),
                weight: s.weight,
                correct: items
                    .iter()
                    .filter(|i| i.section_id == s.id && i.correct)
                    .count(),
                total: items.iter().filter(|i| i.section_id == s.id).count(),
            })
            .filter(|s| s.total > 0)
            .collect();
        let correct = items.iter().filter(|i| i.correct).count();
        let answered: Vec<i64> = items
            .iter()
            .filter(|i| i.answered)
            .map(|i| i.time_ms)
            .collect();
        Ok(ExamReport {
            exam_id: e.id,
            variant: e.variant.clone(),
            section: e.section_id.clone(),
            seed: e.seed,
            status: e.status(),
            score: if items.is_empty() {
                0.0
            } else {
                correct as f64 / items.len() as f64
            },
            correct,
            total: items.len(),
            answered: answered.len(),
            flagged: items.iter().filter(|i| i.flagged).count(),
            elapsed_ms: e.elapsed_ms,
            time_limit_ms: e.time_limit_ms,
            mean_answered_ms: (!answered.is_empty())
                .then(|| answered.iter().sum::<i64>() / answered.len() as i64),
            auto_submitted: e.auto_submitted,
            sections,
            items,
            prediction: self.exam_prediction(e.id)?,
        })
    }

    /// Submitted exams, newest first.
    pub fn finished_exams(&self) -> Result<Vec<ExamRecord>, AppError> {
        Ok(self.store.finished_exams()?)
    }
}
