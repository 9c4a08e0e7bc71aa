//! Flashcards on the FSRS schedule, and fitting personal FSRS parameters.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use pmle_engine::srs::{
    CombinedProgressState, LoggedReview, MIN_TRAINING_ITEMS, Rating, Scheduler, SrsState, optimize,
    training_items,
};
use pmle_store::{ItemKind, ScheduleRow};
use serde::Serialize;

use crate::card_steps::LEARN_AHEAD_MS;
use crate::{App, AppError};

const PARAMS_KEY: &str = "fsrs_parameters";
const DAY_MS: i64 = 86_400_000;

/// Cards to review now.
#[derive(Debug, Clone, Serialize)]
pub struct CardQueue {
    /// Cards due now: learning cards first (soonest first), then reviews, most overdue
    /// first.
    pub due: Vec<String>,
    /// New cards allowed today, in pack order.
    pub new: Vec<String>,
    /// Cards in their learning steps that fall due within `LEARN_AHEAD_MS`, soonest first:
    /// shown early when nothing else is left, so "Again" comes back in the same session.
    pub learning_soon: Vec<String>,
    /// How many of `due` and `learning_soon` are in their learning steps.
    pub learning: usize,
    /// When the next card falls due after these, Unix ms.
    pub next_due_at_ms: Option<i64>,
    /// Whether personal FSRS parameters are in use.
    pub personal_parameters: bool,
}

impl CardQueue {
    /// The card to show next: a due card, else a new one, else a learning card due soon.
    pub fn next_card(&self) -> Option<&str> {
        self.due
            .first()
            .or(self.new.first())
            .or(self.learning_soon.first())
            .map(String::as_str)
    }

    /// Whether there is nothing to show now.
    pub fn is_empty(&self) -> bool {
        self.next_card().is_none()
    }
}

/// One card, with what each rating would do.
#[derive(Debug, Clone, Serialize)]
pub struct CardView {
    pub id: String,
    pub section_id: String,
    pub topic_id: String,
    pub front: String,
    pub back: String,
    pub references: Vec<String>,
    /// Interval in ms that Again, Hard, Good, Easy would give (a learning step while the
    /// card is in its steps).
    pub intervals_ms: [i64; 4],
    pub reps: u32,
}

/// Result of `pmle cards --optimize`.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum OptimizeOutcome {
    Fitted {
        parameters: Vec<f32>,
        training_items: usize,
    },
    TooFewReviews {
        training_items: usize,
        needed: usize,
    },
}

pub(crate) fn to_state(r: &ScheduleRow) -> SrsState {
    SrsState {
        stability: r.stability,
        difficulty: r.difficulty,
        last_review_ms: r.last_review_at_ms,
        due_ms: r.due_at_ms,
        reps: r.reps,
        lapses: r.lapses,
    }
}

/// The range each of the 21 FSRS-6 parameters may take: the bounds the FSRS optimizer
/// itself keeps them in (fsrs `parameter_clipper`), so fitted parameters always pass.
const FSRS_BOUNDS: [(f32, f32); 21] = [
    (0.001, 100.0),
    (0.001, 100.0),
    (0.001, 100.0),
    (0.001, 100.0),
    (1.0, 10.0),
    (0.001, 4.0),
    (0.001, 4.0),
    (0.001, 0.75),
    (0.0, 4.5),
    (0.0, 0.8),
    (0.001, 3.5),
    (0.001, 5.0),
    (0.001, 0.25),
    (0.001, 0.9),
    (0.0, 4.0),
    (0.0, 1.0),
    (1.0, 6.0),
    (0.0, 2.0),
    (0.0, 2.0),
    (0.0, 0.8),
    (0.1, 0.8),
];

/// Check personal FSRS parameters: exactly 21 finite numbers, each in the range FSRS fits
/// them in. The one check for every way parameters come in (import, the database, fitting).
pub(crate) fn validate_fsrs_parameters(value: &serde_json::Value) -> Result<Vec<f32>, String> {
    let n = FSRS_BOUNDS.len();
    let params: Vec<f32> =
        serde_json::from_value(value.clone()).map_err(|_| format!("not a list of {n} numbers"))?;
    if params.len() != n {
        return Err(format!("{} numbers instead of {n}", params.len()));
    }
    for (i, (w, (lo, hi))) in params.iter().zip(FSRS_BOUNDS).enumerate() {
        if !(w.is_finite() && (lo..=hi).contains(w)) {
            return Err(format!("w[{i}] = {w} is outside {lo}–{hi}"));
        }
    }
    Ok(params)
}

impl App {
    /// The FSRS scheduler: personal parameters when valid ones are stored, else the defaults.
    /// Unusable stored parameters are an error that names the way out, never a silent guess.
    pub(crate) fn scheduler(&self) -> Result<Scheduler, AppError> {
        let params = match self.store.setting(PARAMS_KEY)? {
            None => None,
            Some(json) => Some(
                serde_json::from_str::<serde_json::Value>(&json)
                    .map_err(|e| e.to_string())
                    .and_then(|v| validate_fsrs_parameters(&v))
                    .map_err(|why| {
                        AppError::Setting(format!(
                            "your stored FSRS parameters are not usable ({why}); run \
                             `pmle cards --reset-parameters` to go back to the defaults, or \
                             `pmle cards --optimize` to fit new ones"
                        ))
                    })?,
            ),
        };
        Ok(Scheduler::new(params.as_deref())?)
    }

    /// Check the values stored in the database that every study command reads (settings,
    /// FSRS parameters), so a bad one is reported with its fix before any question is shown
    /// rather than after the learner answered.
    pub fn check_stored_values(&self) -> Result<(), AppError> {
        self.settings()?;
        self.scheduler()?;
        Ok(())
    }

    /// Forget personal FSRS parameters: the defaults apply again. True when some were stored.
    pub fn reset_fsrs_parameters(&mut self) -> Result<bool, AppError> {
        Ok(self.store.delete_setting(PARAMS_KEY)?)
    }

    /// Apply `rating` to an item's schedule and store the review.
    pub(crate) fn review_item(
        &mut self,
        kind: ItemKind,
        id: &str,
        existing: Option<&ScheduleRow>,
        rating: Rating,
    ) -> Result<ScheduleRow, AppError> {
        self.review_item_due(kind, id, existing, rating, |due| due)
    }

    /// `review_item` with FSRS's due time passed through `due` (the learning steps).
    fn review_item_due(
        &mut self,
        kind: ItemKind,
        id: &str,
        existing: Option<&ScheduleRow>,
        rating: Rating,
        due: impl FnOnce(i64) -> i64,
    ) -> Result<ScheduleRow, AppError> {
        let retention = self.settings()?.desired_retention;
        let state = existing.map(to_state);
        // With an exam date, the review is planned for recall on that day (docs/engine.md §1);
        // a card in its learning steps then comes back after its step instead.
        let exam = self.exam_day()?;
        let mut next = self.scheduler()?.review_for_exam(
            state.as_ref(),
            rating,
            self.now_ms(),
            retention,
            exam,
        )?;
        next.due_ms = due(next.due_ms);
        let row = ScheduleRow {
            kind,
            item_id: id.to_owned(),
            stability: next.stability,
            difficulty: next.difficulty,
            last_review_at_ms: next.last_review_ms,
            due_at_ms: next.due_ms,
            reps: next.reps,
            lapses: next.lapses,
        };
        self.store.record_review(&row, rating.number() as u8)?;
        Ok(row)
    }

    /// Cards due now and the new cards allowed today.
    pub fn card_queue(&self) -> Result<CardQueue, AppError> {
        let now = self.now_ms();
        let rows: Vec<ScheduleRow> = self
            .store
            .schedule()?
            .into_iter()
            .filter(|r| r.kind == ItemKind::Card)
            .collect();
        let known: HashMap<&str, &ScheduleRow> =
            rows.iter().map(|r| (r.item_id.as_str(), r)).collect();
        let in_pack = |id: &str| self.pack.cards.iter().any(|c| c.id == id);
        let phases = self.card_phases(&self.card_steps()?)?;
        let learning_card = |id: &str| phases.get(id).is_some_and(|p| p.in_steps());
        let mut due: Vec<&ScheduleRow> = rows
            .iter()
            .filter(|r| r.due_at_ms <= now && in_pack(&r.item_id))
            .collect();
        due.sort_by_key(|r| (!learning_card(&r.item_id), r.due_at_ms));
        let mut learning_soon: Vec<&ScheduleRow> = rows
            .iter()
            .filter(|r| {
                r.due_at_ms > now
                    && r.due_at_ms <= now + LEARN_AHEAD_MS
                    && learning_card(&r.item_id)
                    && in_pack(&r.item_id)
            })
            .collect();
        learning_soon.sort_by_key(|r| r.due_at_ms);
        let learning = due
            .iter()
            .chain(&learning_soon)
            .filter(|r| learning_card(&r.item_id))
            .count();
        // New cards introduced in the last 24 hours count against today's allowance.
        let mut first_review: HashMap<String, i64> = HashMap::new();
        for r in self
            .store
            .reviews()?
            .into_iter()
            .filter(|r| r.kind == ItemKind::Card)
        {
            first_review.entry(r.item_id).or_insert(r.reviewed_at_ms);
        }
        let introduced_today = first_review
            .values()
            .filter(|&&at| at > now - DAY_MS)
            .count();
        let allowance = self
            .settings()?
            .new_cards_per_day
            .saturating_sub(introduced_today);
        // New cards are interleaved across topics (round-robin in pack order), so a day's
        // new cards cover many topics instead of one file's worth of one topic.
        let mut per_topic: Vec<(&str, Vec<&str>)> = Vec::new();
        for c in self
            .pack
            .cards
            .iter()
            .filter(|c| !known.contains_key(c.id.as_str()))
        {
            match per_topic.iter_mut().find(|(t, _)| *t == c.topic) {
                Some((_, v)) => v.push(&c.id),
                None => per_topic.push((&c.topic, vec![&c.id])),
            }
        }
        let longest = per_topic.iter().map(|(_, v)| v.len()).max().unwrap_or(0);
        let new: Vec<String> = (0..longest)
            .flat_map(|round| per_topic.iter().filter_map(move |(_, v)| v.get(round)))
            .take(allowance)
            .map(|id| (*id).to_owned())
            .collect();
        let next_due_at_ms = rows
            .iter()
            .filter(|r| r.due_at_ms > now)
            .map(|r| r.due_at_ms)
            .min();
        Ok(CardQueue {
            due: due.into_iter().map(|r| r.item_id.clone()).collect(),
            new,
            learning_soon: learning_soon
                .into_iter()
                .map(|r| r.item_id.clone())
                .collect(),
            learning,
            next_due_at_ms,
            personal_parameters: self.scheduler()?.is_personal(),
        })
    }

    pub fn card(&self, id: &str) -> Result<CardView, AppError> {
        let card = self
            .pack
            .cards
            .iter()
            .find(|c| c.id == id)
            .ok_or_else(|| AppError::UnknownCard(id.to_owned()))?;
        let row = self
            .store
            .schedule()?
            .into_iter()
            .find(|r| r.kind == ItemKind::Card && r.item_id == id);
        let state = row.as_ref().map(to_state);
        let retention = self.settings()?.desired_retention;
        let now = self.now_ms();
        let fsrs =
            self.scheduler()?
                .preview_for_exam(state.as_ref(), now, retention, self.exam_day()?)?;
        let steps = self.card_steps()?;
        let before = self.card_phase(&steps, id)?;
        let mut intervals_ms = [0; 4];
        for (i, r) in Rating::ALL.iter().enumerate() {
            intervals_ms[i] =
                steps.due_ms(before, steps.next(before, *r), now, now + fsrs[i]) - now;
        }
        Ok(CardView {
            id: card.id.clone(),
            section_id: card.section.clone(),
            topic_id: card.topic.clone(),
            front: card.front.clone(),
            back: card.back.clone(),
            references: card.references.clone(),
            intervals_ms,
            reps: row.map_or(0, |r| r.reps),
        })
    }

    /// Rate a card 1–4 (Again, Hard, Good, Easy); returns its new schedule.
    pub fn rate_card(&mut self, id: &str, rating: Rating) -> Result<ScheduleRow, AppError> {
        if !self.pack.cards.iter().any(|c| c.id == id) {
            return Err(AppError::UnknownCard(id.to_owned()));
        }
        let existing = self
            .store
            .schedule()?
            .into_iter()
            .find(|r| r.kind == ItemKind::Card && r.item_id == id);
        let steps = self.card_steps()?;
        let before = self.card_phase(&steps, id)?;
        let after = steps.next(before, rating);
        let now = self.now_ms();
        self.review_item_due(ItemKind::Card, id, existing.as_ref(), rating, |fsrs_due| {
            steps.due_ms(before, after, now, fsrs_due)
        })
    }

    /// How many optimizer training items the review log holds now.
    pub fn fsrs_training_items(&self) -> Result<usize, AppError> {
        Ok(training_items(&self.review_histories()?).len())
    }

    fn review_histories(&self) -> Result<Vec<Vec<LoggedReview>>, AppError> {
        let mut by_item: HashMap<(ItemKind, String), Vec<LoggedReview>> = HashMap::new();
        for r in self.store.reviews()? {
            if let Some(rating) = Rating::from_number(u32::from(r.rating)) {
                by_item
                    .entry((r.kind, r.item_id))
                    .or_default()
                    .push(LoggedReview {
                        rating,
                        at_ms: r.reviewed_at_ms,
                    });
            }
        }
        Ok(by_item.into_values().collect())
    }

    /// Fit personal FSRS parameters from the review log and keep them, or report that the log
    /// is still too small (the defaults stay in use).
    pub fn optimize_fsrs(
        &mut self,
        progress: Option<Arc<Mutex<CombinedProgressState>>>,
    ) -> Result<OptimizeOutcome, AppError> {
        let histories = self.review_histories()?;
        let n = training_items(&histories).len();
        match optimize(&histories, progress)? {
            None => Ok(OptimizeOutcome::TooFewReviews {
                training_items: n,
                needed: MIN_TRAINING_ITEMS,
            }),
            Some(parameters) => {
                validate_fsrs_parameters(&serde_json::json!(parameters)).map_err(|why| {
                    AppError::Setting(format!(
                        "the fitted FSRS parameters are out of range ({why}); the previous ones stay in use"
                    ))
                })?;
                let json = serde_json::to_string(&parameters)
                    .map_err(|e| AppError::Setting(e.to_string()))?;
                self.store.set_setting(PARAMS_KEY, &json)?;
                Ok(OptimizeOutcome::Fitted {
                    parameters,
                    training_items: n,
                })
            }
        }
    }
}
