//! Spaced repetition with FSRS-6 (the `fsrs` crate): schedule states, reviews, and fitting
//! personal parameters from the review log.
//!
//! Flashcards and missed questions share one schedule. Time is passed in as Unix
//! milliseconds; intervals come out in (fractional) days as FSRS computes them.

use fsrs::{ComputeParametersInput, FSRS, FSRSItem, FSRSReview, MemoryState, compute_parameters};

use crate::items::MS_PER_DAY;

/// How a review went. FSRS counts Hard as a pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rating {
    Again = 1,
    Hard = 2,
    Good = 3,
    Easy = 4,
}

impl Rating {
    pub fn from_number(n: u32) -> Option<Rating> {
        match n {
            1 => Some(Rating::Again),
            2 => Some(Rating::Hard),
            3 => Some(Rating::Good),
            4 => Some(Rating::Easy),
            _ => None,
        }
    }

    pub fn number(self) -> u32 {
        self as u32
    }

    pub const ALL: [Rating; 4] = [Rating::Again, Rating::Hard, Rating::Good, Rating::Easy];
}

/// The memory state of one scheduled item.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SrsState {
    pub stability: f32,
    pub difficulty: f32,
    pub last_review_ms: i64,
    pub due_ms: i64,
    pub reps: u32,
    pub lapses: u32,
}

/// One entry of the review log, as the optimizer needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoggedReview {
    pub rating: Rating,
    pub at_ms: i64,
}

/// The shortest gap before an item comes back (FSRS may propose a few hours for Again).
pub const MIN_INTERVAL_MS: i64 = 10 * 60 * 1000;

/// Why scheduling failed.
#[derive(Debug, Clone, PartialEq)]
pub struct SrsError(pub String);

impl std::fmt::Display for SrsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "spaced-repetition error: {}", self.0)
    }
}

impl std::error::Error for SrsError {}

#[allow(clippy::needless_pass_by_value)] // used as `map_err(err)`
fn err(e: fsrs::FSRSError) -> SrsError {
    SrsError(format!("{e:?}"))
}

/// An FSRS scheduler with default or personal parameters.
pub struct Scheduler {
    fsrs: FSRS,
    personal: bool,
    /// The forgetting curve's decay (FSRS-6 parameter w[20]).
    decay: f32,
}

impl Scheduler {
    /// `params`: 21 fitted FSRS-6 parameters, or `None` for the defaults.
    pub fn new(params: Option<&[f32]>) -> Result<Scheduler, SrsError> {
        let fsrs = FSRS::new(params.unwrap_or(&[])).map_err(err)?;
        let decay = params
            .and_then(|p| p.get(20).copied())
            .unwrap_or(fsrs::FSRS6_DEFAULT_DECAY);
        Ok(Scheduler {
            fsrs,
            personal: params.is_some(),
            decay,
        })
    }

    /// The decay of the forgetting curve these parameters use.
    pub fn decay(&self) -> f32 {
        self.decay
    }

    /// Whether personal (fitted) parameters are in use.
    pub fn is_personal(&self) -> bool {
        self.personal
    }

    /// The state after rating `state` (or a new item, `None`) at `now_ms`.
    pub fn review(
        &self,
        state: Option<&SrsState>,
        rating: Rating,
        now_ms: i64,
        desired_retention: f32,
    ) -> Result<SrsState, SrsError> {
        let memory = state.map(|s| MemoryState {
            stability: s.stability,
            difficulty: s.difficulty,
        });
        let elapsed = state.map_or(0, |s| days_between(s.last_review_ms, now_ms));
        let next = self
            .fsrs
            .next_states(memory, desired_retention, elapsed)
            .map_err(err)?;
        let pick = match rating {
            Rating::Again => next.again,
            Rating::Hard => next.hard,
            Rating::Good => next.good,
            Rating::Easy => next.easy,
        };
        let interval_ms = ((f64::from(pick.interval) * MS_PER_DAY) as i64).max(MIN_INTERVAL_MS);
        Ok(SrsState {
            stability: pick.memory.stability,
            difficulty: pick.memory.difficulty,
            last_review_ms: now_ms,
            due_ms: now_ms + interval_ms,
            reps: state.map_or(0, |s| s.reps) + 1,
            lapses: state.map_or(0, |s| s.lapses)
                + u32::from(rating == Rating::Again && state.is_some()),
        })
    }

    /// The interval (ms) each rating would give, for showing "Good: 3 d" before rating.
    pub fn preview(
        &self,
        state: Option<&SrsState>,
        now_ms: i64,
        desired_retention: f32,
    ) -> Result<[i64; 4], SrsError> {
        let mut out = [0; 4];
        for (i, r) in Rating::ALL.iter().enumerate() {
            out[i] = self.review(state, *r, now_ms, desired_retention)?.due_ms - now_ms;
        }
        Ok(out)
    }
}

/// Whole days from `from_ms` to `to_ms`, never negative.
pub fn days_between(from_ms: i64, to_ms: i64) -> u32 {
    (((to_ms - from_ms).max(0) as f64) / MS_PER_DAY).floor() as u32
}

/// Training items for the optimizer: every prefix (length ≥ 2) of every item's history.
/// `histories` holds each item's reviews in time order.
pub fn training_items(histories: &[Vec<LoggedReview>]) -> Vec<FSRSItem> {
    let mut out = Vec::new();
    for h in histories {
        let reviews: Vec<FSRSReview> = h
            .iter()
            .enumerate()
            .map(|(i, r)| FSRSReview {
                rating: r.rating.number(),
                delta_t: if i == 0 {
                    0
                } else {
                    days_between(h[i - 1].at_ms, r.at_ms)
                },
            })
            .collect();
        for end in 2..=reviews.len() {
            let item = FSRSItem {
                reviews: reviews[..end].to_vec(),
            };
            // The optimizer learns from items whose last review came after a gap.
            if item.reviews.last().is_some_and(|r| r.delta_t > 0) {
                out.push(item);
            }
        }
    }
    out
}

/// Below this many training items the defaults are kept: the optimizer would fit only the
/// initial stabilities, and the user is told so.
pub const MIN_TRAINING_ITEMS: usize = 64;

/// Fit personal parameters, or `Ok(None)` when the log is too small.
pub fn optimize(
    histories: &[Vec<LoggedReview>],
    progress: Option<std::sync::Arc<std::sync::Mutex<fsrs::CombinedProgressState>>>,
) -> Result<Option<Vec<f32>>, SrsError> {
    let items = training_items(histories);
    if items.len() < MIN_TRAINING_ITEMS {
        return Ok(None);
    }
    let params = compute_parameters(ComputeParametersInput {
        train_set: items,
        progress,
        ..Default::default()
    })
    .map_err(err)?;
    Ok(Some(params))
}

pub use fsrs::CombinedProgressState;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const DAY: i64 = 86_400_000;

    fn rating() -> impl Strategy<Value = Rating> {
        (1u32..=4).prop_map(|n| Rating::from_number(n).expect("1..=4"))
    }

    #[test]
    fn a_new_card_rated_good_comes_back_in_days() {
        let s = Scheduler::new(None).unwrap();
        let st = s.review(None, Rating::Good, 0, 0.9).unwrap();
        assert!(st.due_ms >= DAY, "{st:?}");
        assert_eq!(st.reps, 1);
        assert!(!s.is_personal());
    }

    #[test]
    fn again_counts_a_lapse_on_a_known_card() {
        let s = Scheduler::new(None).unwrap();
        let a = s.review(None, Rating::Good, 0, 0.9).unwrap();
        let b = s.review(Some(&a), Rating::Again, 3 * DAY, 0.9).unwrap();
        assert_eq!(b.lapses, 1);
        assert!(b.stability < a.stability);
    }

    #[test]
    fn higher_retention_means_shorter_intervals() {
        let s = Scheduler::new(None).unwrap();
        let lo = s.review(None, Rating::Good, 0, 0.8).unwrap();
        let hi = s.review(None, Rating::Good, 0, 0.95).unwrap();
        assert!(hi.due_ms < lo.due_ms);
    }

    #[test]
    fn small_logs_keep_default_parameters() {
        let h = vec![vec![
            LoggedReview {
                rating: Rating::Good,
                at_ms: 0,
            },
            LoggedReview {
                rating: Rating::Good,
                at_ms: 2 * DAY,
            },
        ]];
        assert_eq!(optimize(&h, None).unwrap(), None);
    }

    proptest! {
        #[test]
        fn intervals_are_positive_and_monotonic_in_rating(
            history in prop::collection::vec((rating(), 0i64..60), 0..8),
            retention in 0.75f32..0.97,
        ) {
            let s = Scheduler::new(None).unwrap();
            let mut state: Option<SrsState> = None;
            let mut now = 0i64;
            for (r, gap_days) in history {
                now += gap_days * DAY;
                state = Some(s.review(state.as_ref(), r, now, retention).unwrap());
            }
            now += DAY;
            let iv = s.preview(state.as_ref(), now, retention).unwrap();
            for w in iv.windows(2) {
                prop_assert!(w[0] > 0);
                prop_assert!(w[0] <= w[1], "a higher rating gave a shorter interval: {:?}", iv);
            }
        }
    }
}
