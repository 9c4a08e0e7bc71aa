//! Practice: choose the next questions, show one with shuffled options, grade and record.

use pmle_content::letter;
use pmle_content::model::Kind;
use pmle_engine::adaptive::{AdaptiveConfig, Context, Reason, next_item};
use pmle_engine::srs::Rating;
use pmle_engine::{grade, shuffled_order};
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

/// The next question to practise and why it was chosen.
#[derive(Debug, Clone, Serialize)]
pub struct NextQuestion {
    pub question_id: String,
    /// A short reason for the learner ("due for review", "section 3 needs it most").
    pub reason: String,
}

impl App {
    /// The next question to practise, optionally within one section (id like `s3` or
    /// number like `3`): due reviews first, then the section where practice buys the most
    /// exam points, a fresh question near the learner's level (see `pmle_engine::adaptive`).
    pub fn next_practice(&self, section: Option<&str>) -> Result<Option<NextQuestion>, AppError> {
        let section_index = match section {
            Some(s) => {
                let id = &self
                    .pack
                    .resolve_section(s)
                    .ok_or_else(|| AppError::UnknownSection(s.to_owned()))?
                    .id;
                self.pack.sections.iter().position(|x| &x.id == id)
            }
            None => None,
        };
        let key = (
            self.store.change_token()?,
            self.now_ms().div_euclid(60_000),
            section_index,
        );
        if let Some((k, pick)) = &self.cache.borrow().practice
            && *k == key
        {
            return Ok(pick.clone());
        }
        let pick = self.pick_practice(section_index)?;
        self.cache.borrow_mut().practice = Some((key, pick.clone()));
        Ok(pick)
    }

    fn pick_practice(
        &self,
        section_index: Option<usize>,
    ) -> Result<Option<NextQuestion>, AppError> {
        let settings = self.settings()?;
        let snap = self.snapshot()?;
        let mastery = self.mastery_now()?;
        let ctx = Context {
            items: &self.index.items,
            status: &snap.status,
            mastery: &mastery,
            weights: &self.index.weights,
            recent: &snap.recent,
            now_ms: self.now_ms(),
            section: section_index,
            seed: self.seed,
        };
        let cfg = AdaptiveConfig {
            recent_window: settings.recent_window,
            ..AdaptiveConfig::default()
        };
        let Some(pick) = next_item(&ctx, &cfg) else {
            return Ok(None);
        };
        let section_name = |s: usize| {
            self.pack
                .sections
                .get(s)
                .map_or_else(String::new, |x| format!("section {}", x.number))
        };
        let reason = match pick.reason {
            Reason::Due => "due for review: you missed it before".to_owned(),
            Reason::Fresh { section } => format!(
                "new question; {} gains most from practice",
                section_name(section)
            ),
            Reason::Revisit { section } => format!(
                "revisit: all of {} seen, oldest first",
                section_name(section)
            ),
        };
        Ok(Some(NextQuestion {
            question_id: self.index.question_ids[pick.item].clone(),
            reason,
        }))
    }

    /// Show question `id` with a fresh option order.
    pub fn present(&mut self, id: &str) -> Result<Presented, AppError> {
        let q = self
            .pack
            .question(id)
            .ok_or_else(|| AppError::UnknownQuestion(id.to_owned()))?;
        let order = shuffled_order(q.options.len(), &mut self.rng);
        self.present_again(id, &order, self.now_ms())
    }

    /// The same question as it was shown before (from a web form): `order` must be a
    /// permutation of the question's options.
    pub fn present_again(
        &self,
        id: &str,
        order: &[usize],
        shown_at_ms: i64,
    ) -> Result<Presented, AppError> {
        let q = self
            .pack
            .question(id)
            .ok_or_else(|| AppError::UnknownQuestion(id.to_owned()))?;
        let mut sorted = order.to_vec();
        sorted.sort_unstable();
        if sorted != (0..q.options.len()).collect::<Vec<_>>() {
            return Err(AppError::Exam(format!(
                "the option order {order:?} does not fit question `{id}`"
            )));
        }
        Ok(Presented {
            question_id: q.id.clone(),
            section_id: q.section.clone(),
            section_title: self
                .pack
                .section(&q.section)
                .map(|s| s.title.clone())
                .unwrap_or_default(),
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
            order: order.to_vec(),
            shown_at_ms: shown_at_ms.min(self.now_ms()),
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
        let feedback = Feedback {
            question_id: q.id.clone(),
            correct,
            options,
            references: q.references.clone(),
            answer_id,
        };
        self.schedule_question(&feedback.question_id, correct)?;
        Ok(feedback)
    }

    /// Missed questions join the spaced-repetition schedule (Again); a scheduled question
    /// answered right is rated Good, so its interval grows.
    pub(crate) fn schedule_question(&mut self, id: &str, correct: bool) -> Result<(), AppError> {
        let existing = self
            .store
            .schedule()?
            .into_iter()
            .find(|r| r.kind == pmle_store::ItemKind::Question && r.item_id == id);
        if correct && existing.is_none() {
            return Ok(());
        }
        let rating = if correct { Rating::Good } else { Rating::Again };
        self.review_item(
            pmle_store::ItemKind::Question,
            id,
            existing.as_ref(),
            rating,
        )?;
        Ok(())
    }

    /// The app clock's time, Unix milliseconds (front ends use it to show timers).
    pub fn now_unix_ms(&self) -> i64 {
        self.now_ms()
    }

    pub(crate) fn now_ms(&self) -> i64 {
        (self.clock.now().unix_timestamp_nanos() / 1_000_000) as i64
    }
}
