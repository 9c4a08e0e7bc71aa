//! The exam date: the setting's checks, days left, the daily plan and reviews planned for
//! recall on the exam day.
#![allow(clippy::unwrap_used)]

mod common;

use pmle_app::{App, ExamVariant, ManualClock, Rating};

const DAY: i64 = 86_400_000;
/// 2026-11-18 00:00 UTC, plus ten hours.
const MIDNIGHT: i64 = 1_794_960_000_000;
const START: i64 = MIDNIGHT + 10 * 3_600_000;

fn app(clock: &ManualClock) -> App {
    common::app(clock, 1)
}

#[test]
fn the_date_is_checked_against_today_and_clears() {
    let clock = ManualClock::new(START);
    let mut a = app(&clock);
    let e = a
        .set_setting("exam_date", "2026-11-17")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("in the past") && e.contains("2026-11-18") && e.contains("reset exam_date"),
        "{e}"
    );
    let e = a
        .set_setting("exam_date", "next week")
        .unwrap_err()
        .to_string();
    assert!(e.contains("YYYY-MM-DD"), "{e}");
    assert_eq!(a.settings().unwrap().exam_date, None);
    // Today is allowed (no plan on the day); so is any later day.
    a.set_setting("exam_date", "2026-11-18").unwrap();
    let p = a.exam_plan().unwrap();
    assert_eq!(p.days_left, Some(0));
    assert!(p.plan.is_none());
    a.set_setting("exam_date", "2026-12-18").unwrap();
    assert_eq!(a.exam_plan().unwrap().days_left, Some(30));
    a.reset_settings(Some("exam_date")).unwrap();
    assert_eq!(a.settings().unwrap().exam_date, None);
    // Once the day has passed, the plan says so and how to move on.
    a.set_setting("exam_date", "2026-11-20").unwrap();
    clock.advance(4 * DAY);
    let p = a.exam_plan().unwrap();
    assert_eq!(p.days_left, Some(-2));
    assert!(p.summary[0].contains("has passed"), "{:?}", p.summary);
}

#[test]
fn without_a_date_there_is_no_plan_and_the_screens_say_how_to_set_it() {
    let clock = ManualClock::new(START);
    let a = app(&clock);
    let s = a.stats().unwrap();
    assert!(s.exam_plan.plan.is_none());
    assert_eq!(s.exam_plan.days_left, None);
    assert!(s.exam_plan.summary[0].contains("pmle settings set exam_date"));
    let json = serde_json::to_value(&s).unwrap();
    assert!(json["exam_plan"]["plan"].is_null());
}

#[test]
fn a_new_learner_gets_the_evidence_gaps_spread_over_the_days_left() {
    let clock = ManualClock::new(START);
    let mut a = app(&clock);
    a.set_setting("exam_date", "2026-12-18").unwrap();
    let p = a.exam_plan().unwrap();
    let plan = p.plan.unwrap();
    let n_sections = a.pack().sections.len();
    // Every section lacks its 15 first-time answers.
    assert_eq!(plan.sections.len(), n_sections);
    assert!(
        plan.sections
            .iter()
            .all(|s| s.reason == "evidence" && s.questions == 15 && s.first_answers == 0)
    );
    assert_eq!(plan.new_questions, 15 * n_sections);
    assert_eq!(plan.questions_per_day, (15 * n_sections).div_ceil(30));
    assert_eq!(plan.card_reviews, 0);
    assert_eq!(plan.new_cards_left, a.pack().cards.len());
    let mock = plan.next_mock.unwrap();
    assert_eq!((mock.in_days, mock.why.as_str()), (0, "first_one"));
    assert!(p.summary.iter().any(|l| l.contains("30 days left")));
    assert!(p.summary.iter().any(|l| l.contains("not sat one yet")));
}

#[test]
fn practice_and_reviews_move_the_plan() {
    let clock = ManualClock::new(START);
    let mut a = app(&clock);
    a.set_setting("exam_date", "2026-12-18").unwrap();
    // Rate five new cards Good: each comes back several times before the exam.
    let q = a.card_queue().unwrap();
    for id in q.new.iter().take(5) {
        a.rate_card(id, Rating::Good).unwrap();
    }
    // Answer a section's questions all wrong: the missed ones join the schedule, and the
    // section is measured below the target.
    for _ in 0..20 {
        let next = a.next_practice(Some("s1")).unwrap().unwrap();
        let shown = a.present(&next.question_id).unwrap();
        let q = a.pack().question(&shown.question_id).unwrap();
        // Only wrong options: the answer is wrong whatever the kind.
        let picked: Vec<usize> = (0..shown.order.len())
            .filter(|&i| !q.options[shown.order[i]].correct)
            .take(shown.kind.choose() as usize)
            .collect();
        a.answer(&shown, &picked).unwrap();
        clock.advance(60_000);
    }
    let plan = a.exam_plan().unwrap().plan.unwrap();
    assert!(plan.card_reviews > 5, "{plan:?}");
    assert_eq!(plan.card_reviews_per_day, plan.card_reviews.div_ceil(30));
    assert!(plan.question_reviews >= 1, "{plan:?}");
    let s1 = plan.sections.iter().find(|s| s.section_id == "s1").unwrap();
    assert_eq!(s1.reason, "below_target", "{s1:?}");
    assert_eq!(s1.questions, 60);
    assert_eq!(s1.first_answers, 20);
    assert_eq!(plan.new_cards_left, a.pack().cards.len() - 5);
}

#[test]
fn a_submitted_full_mock_spaces_the_next_one() {
    let clock = ManualClock::new(START);
    let mut a = app(&clock);
    a.set_setting("exam_date", "2026-12-18").unwrap();
    let plan = a.plan_exam(&ExamVariant::Full, 3).unwrap();
    let mut s = a.start_exam(&plan).unwrap();
    clock.advance(60_000);
    a.submit_exam(&mut s, false).unwrap();
    clock.advance(2 * DAY);
    let mock = a.exam_plan().unwrap().plan.unwrap().next_mock.unwrap();
    assert_eq!(
        (mock.in_days, mock.why.as_str(), mock.date.as_str()),
        (5, "spaced", "2026-11-25")
    );
    // Close to the exam, the last one comes three days before it; closer still, none.
    clock.advance(21 * DAY); // 2026-12-11: 7 days left, last mock 23 days ago
    let mock = a.exam_plan().unwrap().plan.unwrap().next_mock.unwrap();
    assert_eq!((mock.in_days, mock.why.as_str()), (0, "spaced"));
    clock.advance(5 * DAY); // 2026-12-16: 2 days left
    let p = a.exam_plan().unwrap();
    assert!(p.plan.unwrap().next_mock.is_none());
    assert!(
        p.summary
            .iter()
            .any(|l| l.contains("Mock exams: none left"))
    );
}

#[test]
fn a_review_that_would_fall_due_on_the_exam_day_comes_on_the_eve() {
    let clock = ManualClock::new(START);
    let mut a = app(&clock);
    // Without learning steps, so that a new card's first Good goes straight to FSRS.
    a.set_setting("learning_steps", "").unwrap();
    let id = a.card_queue().unwrap().new[0].clone();
    let plain = a.card(&id).unwrap().intervals_ms[2];
    // FSRS's first Good interval with the defaults is about 2.3 days: from 10:00 today it
    // ends on the day after tomorrow, which is the exam day here.
    assert!(
        plain > 2 * DAY && plain < 2 * DAY + 14 * 3_600_000,
        "{plain}"
    );
    a.set_setting("exam_date", "2026-11-20").unwrap();
    let eve = MIDNIGHT + DAY;
    assert_eq!(a.card(&id).unwrap().intervals_ms[2], eve - START);
    let row = a.rate_card(&id, Rating::Good).unwrap();
    assert_eq!(row.due_at_ms, eve);
    // Easy gives a long interval: recall stays above the target through the exam day.
    let other = a.card_queue().unwrap().new[0].clone();
    let easy = a.rate_card(&other, Rating::Easy).unwrap();
    assert!(easy.due_at_ms > MIDNIGHT + 3 * DAY, "{easy:?}");
}

#[test]
fn without_a_date_reviews_follow_plain_fsrs() {
    let clock = ManualClock::new(START);
    let mut a = app(&clock);
    let id = a.card_queue().unwrap().new[0].clone();
    let plain = a.card(&id).unwrap().intervals_ms[2];
    let row = a.rate_card(&id, Rating::Good).unwrap();
    assert_eq!(row.due_at_ms - START, plain);
}
