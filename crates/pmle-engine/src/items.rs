//! The engine's view of a pack and a history: plain indexes and numbers, no strings.
//!
//! `pmle-app` translates pack ids into these indexes once, so the hot paths (choosing the
//! next item, assembling an exam) work on small `Copy` structs.

/// One question as the engine sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemMeta {
    /// Index of its section in the blueprint order.
    pub section: usize,
    /// Index of its first topic.
    pub topic: usize,
    /// Authored difficulty, 1 (recall) to 3 (trade-off).
    pub difficulty: u8,
}

/// One answer to one question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Observation {
    /// Index into the item list.
    pub item: usize,
    pub at_ms: i64,
    pub correct: bool,
}

/// What the learner did with one item, derived from the observations.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ItemStatus {
    pub attempts: u32,
    pub last_at_ms: Option<i64>,
    pub last_correct: bool,
    /// When a spaced-repetition review of this item falls due, if it is scheduled.
    pub due_at_ms: Option<i64>,
}

/// Per-item status from observations in time order.
pub fn item_status(n_items: usize, observations: &[Observation]) -> Vec<ItemStatus> {
    let mut status = vec![ItemStatus::default(); n_items];
    for o in observations {
        if let Some(s) = status.get_mut(o.item) {
            s.attempts += 1;
            s.last_at_ms = Some(o.at_ms);
            s.last_correct = o.correct;
        }
    }
    status
}

pub(crate) const MS_PER_DAY: f64 = 86_400_000.0;
