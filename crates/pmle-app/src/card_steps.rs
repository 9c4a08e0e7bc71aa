//! The learning-step layer of flashcard review: each card's phase replayed from the review
//! log with the `learning_steps` setting (`pmle_engine::learning`), and which learning
//! cards a session shows early.

use std::collections::HashMap;

use pmle_engine::learning::{LearningSteps, Phase};
use pmle_engine::srs::Rating;
use pmle_store::ItemKind;

use crate::{App, AppError};

/// When nothing else is left, a learning card due within this long is shown early (Anki's
/// "learn ahead" limit), so "Again" comes back in the same session.
pub const LEARN_AHEAD_MS: i64 = 20 * 60 * 1000;

impl App {
    /// The learning steps from the settings.
    pub(crate) fn card_steps(&self) -> Result<LearningSteps, AppError> {
        self.settings()?.steps()
    }

    /// Every reviewed card's phase, replayed from the review log (oldest review first).
    pub(crate) fn card_phases(
        &self,
        steps: &LearningSteps,
    ) -> Result<HashMap<String, Phase>, AppError> {
        let mut out: HashMap<String, Phase> = HashMap::new();
        for r in self.store.reviews()? {
            if r.kind != ItemKind::Card {
                continue;
            }
            let Some(rating) = Rating::from_number(u32::from(r.rating)) else {
                continue;
            };
            let phase = out.entry(r.item_id).or_insert(Phase::New);
            *phase = steps.next(*phase, rating);
        }
        Ok(out)
    }

    /// One card's phase (a card never reviewed is new).
    pub(crate) fn card_phase(&self, steps: &LearningSteps, id: &str) -> Result<Phase, AppError> {
        Ok(self.card_phases(steps)?.remove(id).unwrap_or(Phase::New))
    }
}
