//! Readiness says only what the evidence supports, and mock exams check it.
#![allow(clippy::unwrap_used)]

mod common;

use pmle_app::{App, ExamVariant, ManualClock, load_pack};
use pmle_content::model::Date;
use pmle_store::SqliteStore;

const START: i64 = 1_795_000_000_000;

fn app(clock: &ManualClock) -> App {
    common::app(clock, 3)
}

/// Answer `n` practice questions right.
fn practise_right(app: &mut App, clock: &ManualClock, n: usize) {
    for _ in 0..n {
        let next = app.next_practice(None).unwrap().unwrap();
        let shown = app.present(&next.question_id).unwrap();
        let q = app.pack().question(&shown.question_id).unwrap();
        let right = q.correct_indexes();
        let picked: Vec<usize> = (0..shown.order.len())
            .filter(|&p| right.contains(&shown.order[p]))
            .collect();
        assert!(app.answer(&shown, &picked).unwrap().correct);
        clock.advance(60_000);
    }
}

#[test]
fn a_new_database_shows_no_figures_and_no_verdict() {
    let clock = ManualClock::new(START);
    let app = app(&clock);
    let s = app.stats().unwrap();
    for sec in &s.sections {
        assert_eq!(sec.mastery, None, "{}", sec.id);
        assert_eq!(sec.mastery_text(), "not measured yet");
    }
    let r = &s.readiness;
    assert_eq!(r.status, "not_enough_evidence");
    assert_eq!((r.mean, r.low, r.high, r.p_pass), (None, None, None, None));
    assert_eq!(r.estimate_text(), "not measured yet");
    assert!(r.verdict.starts_with("Not enough evidence yet: no answers"));
    assert!(!r.full_mock_taken);
    assert!(r.mock_exams.is_empty());
}

#[test]
fn practice_alone_is_never_likely_ready_and_names_what_is_missing() {
    let clock = ManualClock::new(START);
    let mut app = app(&clock);
    practise_right(&mut app, &clock, 45);
    let s = app.stats().unwrap();
    let r = &s.readiness;
    assert_ne!(r.status, "likely_ready");
    assert!(r.p_pass.unwrap() <= 0.9, "{:?}", r.p_pass);
    assert!(
        r.missing[0].starts_with("take a full timed mock exam"),
        "{:?}",
        r.missing
    );
    assert!(
        r.missing.iter().any(|m| m.contains("answered question")),
        "45 answers cannot give 15 in each of six sections: {:?}",
        r.missing
    );
    assert!(
        r.verdict.contains("take a full timed mock exam"),
        "{}",
        r.verdict
    );
    // Every section with an answer has a figure; none without.
    for sec in &s.sections {
        assert_eq!(sec.mastery.is_some(), sec.first_answers > 0, "{}", sec.id);
    }
}

#[test]
fn a_first_mock_exam_on_a_new_database_stores_no_prediction() {
    let clock = ManualClock::new(START);
    let mut app = app(&clock);
    let plan = app.plan_exam(&ExamVariant::Full, 5).unwrap();
    let mut s = app.start_exam(&plan).unwrap();
    assert!(app.exam_prediction(s.id()).unwrap().is_none());
    let report = app.submit_exam(&mut s, false).unwrap();
    assert!(report.prediction.is_none());
    assert_eq!(app.stats().unwrap().readiness.calibration.checks, 0);
}

#[test]
fn a_mock_exam_stores_its_prediction_and_the_record_corrects_the_estimate() {
    let clock = ManualClock::new(START);
    let mut app = app(&clock);
    practise_right(&mut app, &clock, 30);
    let before = app.stats().unwrap().readiness;
    let plan = app.plan_exam(&ExamVariant::Full, 5).unwrap();
    let mut s = app.start_exam(&plan).unwrap();
    let p = app.exam_prediction(s.id()).unwrap().unwrap();
    assert!(p.low <= p.predicted && p.predicted <= p.high, "{p:?}");
    assert!(
        p.predicted > 0.6,
        "30 right answers predict a good score: {p:?}"
    );
    assert_eq!((p.actual, p.held), (None, None));
    // Sit it and answer nothing: the score (0%) falls far below the prediction.
    clock.advance(60_000);
    let report = app.submit_exam(&mut s, false).unwrap();
    let checked = report.prediction.unwrap();
    assert_eq!(checked.actual, Some(0.0));
    assert_eq!(checked.held, Some(false));
    assert!(
        checked.sentence().contains("below the interval"),
        "{}",
        checked.sentence()
    );
    let after = app.stats().unwrap().readiness;
    assert_eq!(after.mock_exams.len(), 1);
    assert_eq!(after.calibration.checks, 1);
    assert!(after.calibration.shift < 0.0);
    assert!(
        after.mean.unwrap() < before.mean.unwrap(),
        "the missed exam (its answers and the correction) moves the estimate down: {:?} → {:?}",
        before.mean,
        after.mean
    );
}

#[test]
fn a_mock_exam_counts_only_while_recent_and_its_score_is_checked() {
    let clock = ManualClock::new(START);
    let mut app = app(&clock);
    practise_right(&mut app, &clock, 30);
    let plan = app.plan_exam(&ExamVariant::Full, 5).unwrap();
    let mut s = app.start_exam(&plan).unwrap();
    clock.advance(60_000);
    app.submit_exam(&mut s, false).unwrap(); // nothing answered: 0%
    let r = app.stats().unwrap().readiness;
    assert!(
        r.full_mock_taken,
        "a fresh full mock on new questions counts"
    );
    assert!(
        r.missing
            .iter()
            .any(|m| m.starts_with("your latest full mock exam on new questions scored 0%")),
        "{:?}",
        r.missing
    );
    assert!(!r.missing.iter().any(|m| m.starts_with("take a full")));
    // A month and a day later it no longer describes the learner.
    clock.advance(31 * 86_400_000);
    let r = app.stats().unwrap().readiness;
    assert!(!r.full_mock_taken);
    assert!(
        r.missing[0].starts_with("take a full timed mock exam")
            && r.missing[0].contains("one counts for 30 days or 300 further answers"),
        "{:?}",
        r.missing
    );
    assert!(!r.missing.iter().any(|m| m.contains("scored")));
}

#[test]
fn a_learner_who_has_used_up_the_bank_is_told_a_new_mock_cannot_be_drawn() {
    // Keep one question more than each section's seats on a 60-question exam live.
    let mut pack = load_pack(
        None,
        Date {
            year: 2100,
            month: 1,
            day: 1,
        },
    )
    .unwrap();
    let weights: Vec<f64> = pack.sections.iter().map(|s| s.weight).collect();
    let seats = pmle_engine::exam::allocate(&weights, 60);
    let section_ids: Vec<String> = pack.sections.iter().map(|s| s.id.clone()).collect();
    let mut live = vec![0usize; seats.len()];
    for q in &mut pack.questions {
        let s = section_ids.iter().position(|id| *id == q.section).unwrap();
        if !q.retired && live[s] < seats[s] + 1 {
            live[s] += 1;
        } else {
            q.retired = true;
        }
    }
    assert_eq!(live, seats.iter().map(|k| k + 1).collect::<Vec<_>>());
    let clock = ManualClock::new(START);
    let mut app = App::new(
        pack,
        Box::new(SqliteStore::open_in_memory().unwrap()),
        Box::new(clock.clone()),
        3,
        ":memory:",
    );
    practise_right(&mut app, &clock, 1);
    let first = &app.stats().unwrap().readiness.missing[0];
    assert!(first.starts_with("take a full timed mock exam"), "{first}");
    // Four answered in every section: 60 − 18 new questions fill fewer than 45 seats.
    for s in &section_ids {
        let ids: Vec<String> = app
            .pack()
            .questions
            .iter()
            .filter(|q| q.section == *s && !q.retired)
            .map(|q| q.id.clone())
            .take(4)
            .collect();
        for id in ids {
            let shown = app.present(&id).unwrap();
            app.answer(&shown, &[0]).unwrap();
            clock.advance(60_000);
        }
    }
    let first = &app.stats().unwrap().readiness.missing[0];
    assert!(
        first.starts_with("a full mock exam on mostly new questions")
            && first.contains("can no longer be drawn"),
        "{first}"
    );
}
