//! Practice: choose the next questions, show one with shuffled options, grade and record.

use std::collections::HashMap;

use pmle_content::letter;
use pmle_content::model::{Kind, Question};
use pmle_engine::{ItemHistory, grade, practice_order, shuffled_order};
use pmle_store::{Mode, NewAnswer};
use serde::Serialize;

use crate::{App, AppError};

/// A question as shown to the learner: options in their shuffled order.
#[derive(Debug, Clone, Serialize)]
pub struct Presented {
    pub question_id: String,
    pub section_id: String,
    pub section_title: String,
    pub kind: Kind,
    pub difficulty: u8,
    pub stem: String,
    pub options: Vec<PresentedOption>,
    /// Authoring index of each shown option.
    pub order: Vec<usize>,
    /// When it was shown, Unix ms; used for the time spent.
    pub shown_at_ms: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct PresentedOption {
    pub letter: char,
    pub text: String,
}

/// What the learner sees after answering.
#[derive(Debug, Clone, Serialize)]
pub struct Feedback {
    pub question_id: String,
    pub correct: bool,
    pub options: Vec<FeedbackOption>,
    pub references: Vec<String>,
    pub answer_id: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct FeedbackOption {
    pub letter: char,
    pub text: String,
    pub correct: bool,
    pub chosen: bool,
    pub explanation: String,
}

impl App {
    /// Ids of the next `count` questions to practise, optionally within one section
    /// (id like `s3` or number like `3`).
    pub fn practice_queue(
        &mut self,
        section: Option<&str>,
        count: usize,
    ) -> Result<Vec<String>, AppError> {
        let section_id = match section {
            Some(s) => Some(
                self.pack
                    .resolve_section(s)
                    .ok_or_else(|| AppError::UnknownSection(s.to_owned()))?
                    .id
                    .clone(),
            ),
            None => None,
        };
        let pool: Vec<&Question> = self
            .pack
            .questions
            .iter()
            .filter(|q| section_id.as_ref().is_none_or(|s| &q.section == s))
            .collect();
        let history: HashMap<String, ItemHistory> = self
            .store
            .question_history()?
            .into_iter()
            .map(|h| {
                let item = ItemHistory {
                    answers: h.tally.answers,
                    last_answered_at_ms: h.last_answered_at_ms,
                    last_correct: h.last_correct,
                };
                (h.question_id, item)
            })
            .collect();
        let ids: Vec<&str> = pool.iter().map(|q| q.id.as_str()).collect();
        let order = practice_order(&ids, &history, &mut self.rng);
        Ok(order
            .into_iter()
            .take(count)
            .map(|i| ids[i].to_owned())
            .collect())
    }

    /// Show question `id` with a fresh option order.
    pub fn present(&mut self, id: &str) -> Result<Presented, AppError> {
        let q = self
            .pack
            .question(id)
            .ok_or_else(|| AppError::UnknownQuestion(id.to_owned()))?;
        let order = shuffled_order(q.options.len(), &mut self.rng);
        let section_title = self
            .pack
            .section(&q.section)
            .map(|s| s.title.clone())
            .unwrap_or_default();
        Ok(Presented {
            question_id: q.id.clone(),
            section_id: q.section.clone(),
            section_title,
            kind: q.kind,
            difficulty: q.difficulty,
            stem: q.stem.clone(),
            options: order
                .iter()
                .enumerate()
                .map(|(pos, &i)| PresentedOption {
                    letter: letter(pos),
                    text: q.options[i].text.clone(),
                })
                .collect(),
            order,
            shown_at_ms: self.now_ms(),
        })
    }

    /// Grade the positions picked (0-based, in shown order), record the answer durably, and
    /// return the explanation of every option.
    pub fn answer(&mut self, shown: &Presented, picked: &[usize]) -> Result<Feedback, AppError> {
        let q = self
            .pack
            .question(&shown.question_id)
            .ok_or_else(|| AppError::UnknownQuestion(shown.question_id.clone()))?;
        let chosen: Vec<usize> = picked
            .iter()
            .filter_map(|&p| shown.order.get(p).copied())
            .collect();
        let correct = grade(&q.correct_indexes(), &chosen);
        let now = self.now_ms();
        let answer_id = self.store.record_answer(&NewAnswer {
            question_id: q.id.clone(),
            section_id: q.section.clone(),
            mode: Mode::Practice,
            session_id: None,
            shown_order: shown.order.clone(),
            chosen: chosen.clone(),
            correct,
            answered_at_ms: now,
            duration_ms: Some((now - shown.shown_at_ms).max(0)),
        })?;
        let options = shown
            .order
            .iter()
            .enumerate()
            .map(|(pos, &i)| FeedbackOption {
                letter: letter(pos),
                text: q.options[i].text.clone(),
                correct: q.options[i].correct,
                chosen: chosen.contains(&i),
                explanation: q.options[i].explanation.clone(),
            })
            .collect();
        Ok(Feedback {
            question_id: q.id.clone(),
            correct,
            options,
            references: q.references.clone(),
            answer_id,
        })
    }

    pub(crate) fn now_ms(&self) -> i64 {
        (self.clock.now().unix_timestamp_nanos() / 1_000_000) as i64
    }
}
