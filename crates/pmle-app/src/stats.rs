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
    pub seed_headings: usize,
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
        let sections = p
            .sections
            .iter()
            .map(|s| {
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
                    questions: p.questions.iter().filter(|q| q.section == s.id).count(),
                    answers: t.answers,
                    correct: t.correct,
                    correct_share: share(t.correct, t.answers),
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
                questions: p.questions.len(),
                cards: p.cards.len(),
                notes: p.notes.len(),
                catalog: p.products.len(),
                topics: p.topics.len(),
                seed_headings: p.seed_headings.len(),
            },
            sections,
            progress: ProgressStats {
                answers_total: tally.answers,
                answers_correct: tally.correct,
                correct_share: share(tally.correct, tally.answers),
                questions_seen: seen,
            },
        })
    }
}
