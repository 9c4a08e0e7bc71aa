//! Learning steps: the short, same-session delays a new or lapsed flashcard goes through
//! before FSRS intervals take over (Anki's learning and relearning steps).
//!
//! This layer only decides *when* a card comes back. FSRS still updates the card's memory
//! state on every review (same-day reviews use its short-term formula); while the card is
//! in its steps, the step's delay replaces the FSRS interval. A card's phase is not stored:
//! it is replayed from the card's ratings with [`LearningSteps::phase_of`], so changing the
//! setting applies to every card at once.

use std::fmt;

use crate::srs::Rating;

const MS_PER_MINUTE: i64 = 60_000;
const MS_PER_DAY: i64 = 86_400_000;

/// The most steps a setting may hold.
pub const MAX_STEPS: usize = 8;

/// A card that leaves its steps comes back no sooner than this: graduating means leaving
/// the session's loop.
pub const MIN_GRADUATING_MS: i64 = MS_PER_DAY;

/// The delays of the learning steps, in order; empty means no steps (FSRS from the first
/// review).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LearningSteps {
    steps_ms: Vec<i64>,
}

/// Where a card stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Never reviewed.
    New,
    /// A new card in its steps, at this step.
    Learning(usize),
    /// On FSRS intervals.
    Review,
    /// A card forgotten from review, back in the steps at this step.
    Relearning(usize),
}

impl Phase {
    /// Whether the card is in its steps (learning or relearning).
    pub fn in_steps(self) -> bool {
        matches!(self, Phase::Learning(_) | Phase::Relearning(_))
    }
}

/// Why a learning-steps setting was refused; the message gives the expected form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepsError(pub String);

impl fmt::Display for StepsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}; write the steps as durations separated by spaces, each from 1m to 1d, \
             e.g. \"1m 10m\" (or \"\" for none)",
            self.0
        )
    }
}

impl std::error::Error for StepsError {}

impl LearningSteps {
    /// Parse a setting such as `"1m 10m"` or `"30s 5m 1h"`: numbers with a unit
    /// (`s`, `m`, `h`, `d`), each from 1 minute to 1 day, at most [`MAX_STEPS`].
    pub fn parse(text: &str) -> Result<LearningSteps, StepsError> {
        let mut steps_ms = Vec::new();
        for word in text.split_whitespace() {
            let split = word
                .find(|c: char| !c.is_ascii_digit())
                .ok_or_else(|| StepsError(format!("`{word}` has no unit (s, m, h or d)")))?;
            let (num, unit) = word.split_at(split);
            let n: i64 = num
                .parse()
                .map_err(|_| StepsError(format!("`{word}` does not start with a whole number")))?;
            let per = match unit {
                "s" => 1000,
                "m" => MS_PER_MINUTE,
                "h" => 60 * MS_PER_MINUTE,
                "d" => MS_PER_DAY,
                _ => {
                    return Err(StepsError(format!(
                        "`{word}` has the unit `{unit}`, not s, m, h or d"
                    )));
                }
            };
            let ms = n
                .checked_mul(per)
                .ok_or_else(|| StepsError(format!("`{word}` is too long")))?;
            if !(MS_PER_MINUTE..=MS_PER_DAY).contains(&ms) {
                return Err(StepsError(format!("`{word}` is outside 1 minute to 1 day")));
            }
            steps_ms.push(ms);
        }
        if steps_ms.len() > MAX_STEPS {
            return Err(StepsError(format!(
                "{} steps is more than {MAX_STEPS}",
                steps_ms.len()
            )));
        }
        Ok(LearningSteps { steps_ms })
    }

    /// No steps: every review is scheduled by FSRS alone.
    pub fn none() -> LearningSteps {
        LearningSteps {
            steps_ms: Vec::new(),
        }
    }

    /// The delays in milliseconds.
    pub fn delays_ms(&self) -> &[i64] {
        &self.steps_ms
    }

    /// The phase after rating a card in `phase`.
    pub fn next(&self, phase: Phase, rating: Rating) -> Phase {
        let n = self.steps_ms.len();
        if n == 0 {
            return Phase::Review;
        }
        let in_steps = |i: usize, relearning: bool| {
            if relearning {
                Phase::Relearning(i)
            } else {
                Phase::Learning(i)
            }
        };
        let (step, relearning) = match phase {
            Phase::New => (0, false),
            Phase::Learning(i) => (i.min(n - 1), false),
            Phase::Relearning(i) => (i.min(n - 1), true),
            Phase::Review => {
                return if rating == Rating::Again {
                    Phase::Relearning(0)
                } else {
                    Phase::Review
                };
            }
        };
        match rating {
            Rating::Again => in_steps(0, relearning),
            Rating::Hard => in_steps(step, relearning),
            Rating::Good if step + 1 < n => in_steps(step + 1, relearning),
            Rating::Good | Rating::Easy => Phase::Review,
        }
    }

    /// The phase of a card after these ratings, oldest first (a card never rated is new).
    pub fn phase_of(&self, ratings: impl IntoIterator<Item = Rating>) -> Phase {
        ratings.into_iter().fold(Phase::New, |p, r| self.next(p, r))
    }

    /// When a card rated at `now_ms` comes back: the step's delay while it is in its steps;
    /// FSRS's due time otherwise, at least [`MIN_GRADUATING_MS`] later when it has just
    /// left its steps.
    pub fn due_ms(&self, before: Phase, after: Phase, now_ms: i64, fsrs_due_ms: i64) -> i64 {
        match after {
            Phase::Learning(i) | Phase::Relearning(i) => now_ms + self.steps_ms[i],
            Phase::New | Phase::Review => {
                if before.in_steps() || (before == Phase::New && !self.steps_ms.is_empty()) {
                    fsrs_due_ms.max(now_ms + MIN_GRADUATING_MS)
                } else {
                    fsrs_due_ms
                }
            }
        }
    }
}

impl fmt::Display for LearningSteps {
    /// The canonical form, e.g. `1m 10m`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let words: Vec<String> = self
            .steps_ms
            .iter()
            .map(|&ms| {
                if ms % MS_PER_DAY == 0 {
                    format!("{}d", ms / MS_PER_DAY)
                } else if ms % (60 * MS_PER_MINUTE) == 0 {
                    format!("{}h", ms / (60 * MS_PER_MINUTE))
                } else if ms % MS_PER_MINUTE == 0 {
                    format!("{}m", ms / MS_PER_MINUTE)
                } else {
                    format!("{}s", ms / 1000)
                }
            })
            .collect();
        f.write_str(&words.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn steps(s: &str) -> LearningSteps {
        LearningSteps::parse(s).expect("valid steps")
    }

    fn rating() -> impl Strategy<Value = Rating> {
        (1u32..=4).prop_map(|n| Rating::from_number(n).expect("1..=4"))
    }

    fn any_steps() -> impl Strategy<Value = LearningSteps> {
        prop::collection::vec(1i64..=1440, 0..=MAX_STEPS).prop_map(|m| LearningSteps {
            steps_ms: m.into_iter().map(|x| x * MS_PER_MINUTE).collect(),
        })
    }

    #[test]
    fn parses_and_prints_the_setting() {
        let s = steps("1m  10m");
        assert_eq!(s.delays_ms(), &[60_000, 600_000]);
        assert_eq!(s.to_string(), "1m 10m");
        assert_eq!(steps("90s 1h 1d").to_string(), "90s 1h 1d");
        assert_eq!(steps("").delays_ms(), &[] as &[i64]);
    }

    #[test]
    fn refuses_bad_settings_with_the_expected_form() {
        for bad in [
            "10",
            "5x",
            "m",
            "30s",
            "2d",
            "1.5m",
            "1m 1m 1m 1m 1m 1m 1m 1m 1m",
        ] {
            let e = LearningSteps::parse(bad).expect_err(bad).to_string();
            assert!(e.contains("e.g. \"1m 10m\""), "{bad}: {e}");
        }
        assert!(
            LearningSteps::parse("30s")
                .unwrap_err()
                .to_string()
                .contains("outside 1 minute to 1 day")
        );
    }

    #[test]
    fn a_new_card_walks_the_steps_like_anki() {
        let s = steps("1m 10m");
        use Rating::*;
        assert_eq!(s.next(Phase::New, Again), Phase::Learning(0));
        assert_eq!(s.next(Phase::New, Good), Phase::Learning(1));
        assert_eq!(s.next(Phase::New, Easy), Phase::Review);
        assert_eq!(s.next(Phase::Learning(0), Hard), Phase::Learning(0));
        assert_eq!(s.next(Phase::Learning(1), Good), Phase::Review);
        assert_eq!(s.next(Phase::Learning(1), Again), Phase::Learning(0));
        assert_eq!(s.phase_of([Again, Good, Good]), Phase::Review);
        // A lapse goes back through the steps.
        assert_eq!(s.phase_of([Easy, Again]), Phase::Relearning(0));
        assert_eq!(s.phase_of([Easy, Again, Good]), Phase::Relearning(1));
        assert_eq!(s.phase_of([Easy, Good]), Phase::Review);
        // Due times: 1 minute after Again, at least a day after graduating.
        let now = 1_000_000;
        assert_eq!(
            s.due_ms(Phase::New, Phase::Learning(0), now, now + 5 * 3_600_000),
            now + 60_000
        );
        assert_eq!(
            s.due_ms(Phase::Learning(1), Phase::Review, now, now + 3_600_000),
            now + MS_PER_DAY
        );
        assert_eq!(
            s.due_ms(Phase::Review, Phase::Review, now, now + 3 * MS_PER_DAY),
            now + 3 * MS_PER_DAY
        );
    }

    proptest! {
        #[test]
        fn without_steps_fsrs_alone_decides(
            history in prop::collection::vec(rating(), 0..10),
            fsrs_due in 0i64..10 * MS_PER_DAY,
        ) {
            let s = LearningSteps::none();
            let before = s.phase_of(history.iter().copied());
            prop_assert!(matches!(before, Phase::New | Phase::Review));
            for r in Rating::ALL {
                let after = s.next(before, r);
                prop_assert_eq!(after, Phase::Review);
                prop_assert_eq!(s.due_ms(before, after, 0, fsrs_due), fsrs_due);
            }
        }

        #[test]
        fn again_always_comes_back_after_the_first_step(
            s in any_steps(),
            history in prop::collection::vec(rating(), 0..12),
            now in 0i64..1_000_000_000_000,
            fsrs_due_gap in 0i64..30 * MS_PER_DAY,
        ) {
            prop_assume!(!s.delays_ms().is_empty());
            let before = s.phase_of(history.iter().copied());
            let after = s.next(before, Rating::Again);
            prop_assert!(after.in_steps());
            prop_assert_eq!(s.due_ms(before, after, now, now + fsrs_due_gap), now + s.delays_ms()[0]);
        }

        #[test]
        fn steps_stay_in_range_and_good_always_graduates(
            s in any_steps(),
            history in prop::collection::vec(rating(), 0..12),
            now in 0i64..1_000_000_000_000,
            fsrs_due_gap in 0i64..30 * MS_PER_DAY,
        ) {
            let n = s.delays_ms().len();
            let mut phase = Phase::New;
            for r in history {
                let after = s.next(phase, r);
                if let Phase::Learning(i) | Phase::Relearning(i) = after {
                    prop_assert!(i < n);
                }
                let due = s.due_ms(phase, after, now, now + fsrs_due_gap);
                if after.in_steps() {
                    prop_assert!(due > now && due - now <= MS_PER_DAY);
                } else if phase.in_steps() {
                    prop_assert!(due - now >= MIN_GRADUATING_MS, "graduated too soon");
                }
                phase = after;
            }
            // At most as many Goods as there are steps graduate any card.
            for _ in 0..n.max(1) {
                phase = s.next(phase, Rating::Good);
            }
            prop_assert_eq!(phase, Phase::Review);
        }
    }
}
