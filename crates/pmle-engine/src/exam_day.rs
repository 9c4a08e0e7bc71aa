//! Reviews planned for retention on the exam date (docs/engine.md §1, "An exam date").
//!
//! FSRS sets each interval where the probability of recall falls to the desired retention.
//! A learner with an exam date needs that probability on the exam day, which the plain
//! schedule does not look at. The rule here moves a due date earlier only when the plain
//! schedule would leave recall below the target at the end of the exam day and a review can
//! still land on a day before it; otherwise the schedule is unchanged.

use crate::items::MS_PER_DAY;
use crate::srs::{Rating, Scheduler, SrsError, SrsState};

const DAY_MS: i64 = 86_400_000;

/// The exam date as the Unix ms of its first instant (00:00 UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExamDay {
    pub start_ms: i64,
}

impl ExamDay {
    /// The exam may be at any hour of its day: recall is planned for the day's end.
    pub fn end_ms(self) -> i64 {
        self.start_ms + DAY_MS
    }

    /// The latest due date that still offers the review on a day before the exam: the
    /// start of the eve.
    pub fn latest_review_ms(self) -> i64 {
        self.start_ms - DAY_MS
    }
}

/// FSRS-6 probability of recall `elapsed_ms` after a review that left `stability` (days).
pub fn retrievability(stability: f32, elapsed_ms: i64, decay: f32) -> f64 {
    let days = (elapsed_ms.max(0) as f64) / MS_PER_DAY;
    let decay = f64::from(decay);
    let factor = 0.9f64.powf(-1.0 / decay) - 1.0;
    (1.0 + factor * days / f64::from(stability).max(1e-6)).powf(-decay)
}

/// The schedule `next` (just made at `next.last_review_ms`) planned for the exam.
///
/// Unchanged without an exam date, when the review already falls due before the exam day,
/// when recall at the end of the exam day stays at or above `desired_retention`, or when
/// the review was made on the eve or later (no day is left for another spaced review).
/// Otherwise the item falls due at the start of the eve, so its review lands before the
/// exam. The due date never moves later.
pub fn plan_for_exam(
    next: SrsState,
    exam: Option<ExamDay>,
    desired_retention: f32,
    decay: f32,
) -> SrsState {
    let Some(exam) = exam else { return next };
    if next.due_ms <= exam.start_ms {
        return next;
    }
    let at_exam = retrievability(next.stability, exam.end_ms() - next.last_review_ms, decay);
    if at_exam >= f64::from(desired_retention) {
        return next;
    }
    let latest = exam.latest_review_ms();
    if latest <= next.last_review_ms {
        return next;
    }
    SrsState {
        due_ms: next.due_ms.min(latest),
        ..next
    }
}

impl Scheduler {
    /// [`Scheduler::review`], then [`plan_for_exam`].
    pub fn review_for_exam(
        &self,
        state: Option<&SrsState>,
        rating: Rating,
        now_ms: i64,
        desired_retention: f32,
        exam: Option<ExamDay>,
    ) -> Result<SrsState, SrsError> {
        let next = self.review(state, rating, now_ms, desired_retention)?;
        Ok(plan_for_exam(next, exam, desired_retention, self.decay()))
    }

    /// The interval (ms) each rating would give, with the exam rule applied.
    pub fn preview_for_exam(
        &self,
        state: Option<&SrsState>,
        now_ms: i64,
        desired_retention: f32,
        exam: Option<ExamDay>,
    ) -> Result<[i64; 4], SrsError> {
        let mut out = [0; 4];
        for (i, r) in Rating::ALL.iter().enumerate() {
            out[i] = self
                .review_for_exam(state, *r, now_ms, desired_retention, exam)?
                .due_ms
                - now_ms;
        }
        Ok(out)
    }

    /// How many reviews the scheduled items need from `now_ms` until `until_ms` if every
    /// review is rated Good, on its due date but at most once a day (as when studying once a
    /// day): each item counts once if it is due by then (overdue items count from now), then
    /// again each time its next interval ends before `until_ms`. Without the once-a-day
    /// rule, an item missed today would count about 18 times in its first 10 days, because
    /// the schedule brings it back within hours and same-day reviews grow stability slowly.
    /// An estimate of the load, not a promise: a lapse brings more reviews.
    pub fn reviews_until(
        &self,
        states: &[SrsState],
        now_ms: i64,
        until_ms: i64,
        desired_retention: f32,
        exam: Option<ExamDay>,
    ) -> Result<usize, SrsError> {
        // One item cannot need more reviews than the minimum interval allows; the cap only
        // guards the loop.
        const MAX_PER_ITEM: usize = 400;
        let mut total = 0;
        for s in states {
            let mut state = *s;
            let mut at = state.due_ms.max(now_ms);
            let mut n = 0;
            while at < until_ms && n < MAX_PER_ITEM {
                n += 1;
                state =
                    self.review_for_exam(Some(&state), Rating::Good, at, desired_retention, exam)?;
                at = state.due_ms.max(at + DAY_MS);
            }
            total += n;
        }
        Ok(total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const DAY: i64 = DAY_MS;

    fn state(stability: f32, last: i64, due: i64) -> SrsState {
        SrsState {
            stability,
            difficulty: 5.0,
            last_review_ms: last,
            due_ms: due,
            reps: 3,
            lapses: 0,
        }
    }

    #[test]
    fn recall_is_the_target_when_fsrs_says_the_item_is_due() {
        let s = Scheduler::new(None).unwrap();
        let first = s.review(None, Rating::Good, 0, 0.9).unwrap();
        let r = retrievability(
            first.stability,
            first.due_ms - first.last_review_ms,
            s.decay(),
        );
        assert!((r - 0.9).abs() < 1e-3, "R at the due date = {r}");
        assert!((retrievability(3.0, 0, s.decay()) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn a_review_due_on_the_exam_day_moves_to_the_eve() {
        let s = Scheduler::new(None).unwrap();
        let exam = ExamDay { start_ms: 40 * DAY };
        // Stability 3 days, reviewed 2.5 days before the exam: plain FSRS says due in 3
        // days, on the exam day, when recall has already fallen to 90%.
        let last = exam.start_ms - DAY * 5 / 2;
        let next = state(3.0, last, last + 3 * DAY);
        let planned = plan_for_exam(next, Some(exam), 0.9, s.decay());
        assert_eq!(planned.due_ms, exam.latest_review_ms());
        assert_eq!(planned.stability, next.stability);
    }

    #[test]
    fn a_schedule_made_for_a_lower_retention_is_pulled_before_the_exam() {
        let s = Scheduler::new(None).unwrap();
        let exam = ExamDay { start_ms: 95 * DAY };
        let at_80 = s.review(None, Rating::Good, 90 * DAY, 0.80).unwrap();
        assert!(at_80.due_ms > exam.end_ms(), "{at_80:?}");
        // At the retention it was made for, the plan keeps it (recall at the exam ≥ 80%).
        assert_eq!(plan_for_exam(at_80, Some(exam), 0.80, s.decay()), at_80);
        let planned = plan_for_exam(at_80, Some(exam), 0.95, s.decay());
        assert_eq!(planned.due_ms, exam.latest_review_ms());
    }

    #[test]
    fn long_intervals_past_the_exam_are_left_alone() {
        let s = Scheduler::new(None).unwrap();
        let exam = ExamDay { start_ms: 30 * DAY };
        let next = state(200.0, 20 * DAY, 20 * DAY + 180 * DAY);
        assert_eq!(plan_for_exam(next, Some(exam), 0.9, s.decay()), next);
    }

    #[test]
    fn the_review_load_counts_repeats_before_the_exam() {
        let s = Scheduler::new(None).unwrap();
        let fresh = s.review(None, Rating::Good, 0, 0.9).unwrap();
        let long = state(500.0, 0, 400 * DAY);
        let n = s
            .reviews_until(&[fresh, long], 0, 60 * DAY, 0.9, None)
            .unwrap();
        // A card first seen today comes back several times in 60 days; the stable one not.
        assert!((2..20).contains(&n), "{n}");
        assert_eq!(s.reviews_until(&[long], 0, 60 * DAY, 0.9, None).unwrap(), 0);
        // A lapse today: at most one review a day, and the intervals then grow.
        let missed = s.review(None, Rating::Again, 0, 0.9).unwrap();
        let n = s.reviews_until(&[missed], 0, 30 * DAY, 0.9, None).unwrap();
        assert!((2..=6).contains(&n), "{n}");
    }

    fn rating() -> impl Strategy<Value = Rating> {
        (1u32..=4).prop_map(|n| Rating::from_number(n).expect("1..=4"))
    }

    proptest! {
        #[test]
        fn without_an_exam_date_the_schedule_is_unchanged(
            history in prop::collection::vec((rating(), 0i64..60), 1..8),
            retention in 0.75f32..0.97,
        ) {
            let s = Scheduler::new(None).unwrap();
            let (mut plain, mut planned): (Option<SrsState>, Option<SrsState>) = (None, None);
            let mut now = 0i64;
            for (r, gap) in history {
                now += gap * DAY;
                plain = Some(s.review(plain.as_ref(), r, now, retention).unwrap());
                planned = Some(s.review_for_exam(planned.as_ref(), r, now, retention, None).unwrap());
            }
            prop_assert_eq!(plain, planned);
        }

        #[test]
        fn a_review_lands_before_the_exam_whenever_recall_would_drop_below_target(
            stability in 0.05f32..400.0,
            last_day in 0i64..100,
            interval_hours in 1i64..20_000,
            exam_day in 1i64..200,
            retention in 0.70f32..0.99,
        ) {
            let s = Scheduler::new(None).unwrap();
            let last = last_day * DAY;
            let next = state(stability, last, last + interval_hours * 3_600_000);
            let exam = ExamDay { start_ms: exam_day * DAY };
            let planned = plan_for_exam(next, Some(exam), retention, s.decay());
            // Never later, never touching the memory state.
            prop_assert!(planned.due_ms <= next.due_ms);
            prop_assert_eq!(planned.stability, next.stability);
            let below = next.due_ms > exam.start_ms
                && retrievability(stability, exam.end_ms() - last, s.decay()) < f64::from(retention);
            if below && exam.latest_review_ms() > last {
                prop_assert!(planned.due_ms < exam.start_ms, "{planned:?} exam {exam:?}");
                prop_assert!(planned.due_ms > last);
            } else {
                prop_assert_eq!(planned, next);
            }
        }

        #[test]
        fn reviewed_on_time_recall_on_exam_day_meets_the_target(
            first in rating(),
            retention in 0.75f32..0.97,
            exam_day in 3i64..120,
        ) {
            // Follow the planned schedule, rating Good on every due date before the eve:
            // after the last review, recall at the end of the exam day is at the target.
            let s = Scheduler::new(None).unwrap();
            let exam = Some(ExamDay { start_ms: exam_day * DAY });
            let mut st = s.review_for_exam(None, first, 0, retention, exam).unwrap();
            let mut guard = 0;
            while st.due_ms < exam_day * DAY && guard < 500 {
                st = s.review_for_exam(Some(&st), Rating::Good, st.due_ms, retention, exam).unwrap();
                guard += 1;
            }
            let r = retrievability(st.stability, (exam_day + 1) * DAY - st.last_review_ms, s.decay());
            // The last review may have been on the eve (no later review is planned): then
            // recall over the remaining two days can fall below the target only for items
            // whose stability is under two days.
            let eve_review = st.last_review_ms >= (exam_day - 1) * DAY;
            prop_assert!(r >= f64::from(retention) - 1e-4 || (eve_review && st.stability < 2.5),
                "R on exam day {r} after {st:?}");
        }
    }
}
