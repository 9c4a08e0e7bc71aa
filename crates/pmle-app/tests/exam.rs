//! Mock-exam use-cases as the web UI drives them: clearing an answer, resuming with the time
//! left, and the automatic submission when the time is up.
#![allow(clippy::unwrap_used)]

mod common;

use pmle_app::{App, ExamEvent, ExamVariant, ManualClock, load_pack};
use pmle_content::model::Date;
use pmle_store::SqliteStore;

const START: i64 = 1_795_000_000_000;

fn app(clock: &ManualClock) -> App {
    common::app(clock, 3)
}

#[test]
fn an_empty_choice_clears_the_answer() {
    let clock = ManualClock::new(START);
    let mut app = app(&clock);
    let plan = app.plan_exam(&ExamVariant::Full, 11).unwrap();
    let mut s = app.start_exam(&plan).unwrap();
    app.exam_answer(&mut s, 0, &[1]).unwrap();
    assert_eq!(s.answered(), 1);
    assert_eq!(app.exam_item(&s, 0).unwrap().chosen, vec![1]);
    app.exam_answer(&mut s, 0, &[]).unwrap();
    assert_eq!(s.answered(), 0);
    // The store agrees: a resumed session sees no answer either.
    let again = app.resume_exam().unwrap().unwrap();
    assert_eq!(again.answered(), 0);
    assert!(app.exam_item(&again, 0).unwrap().chosen.is_empty());
}

#[test]
fn time_runs_on_in_a_held_session_and_runs_out() {
    let clock = ManualClock::new(START);
    let mut app = app(&clock);
    let plan = app.plan_exam(&ExamVariant::Full, 12).unwrap();
    let limit = i64::from(plan.minutes) * 60_000;
    let mut s = app.start_exam(&plan).unwrap();
    clock.advance(10 * 60_000);
    assert_eq!(s.time_left_ms(app.now_unix_ms()), limit - 10 * 60_000);
    app.exam_answer(&mut s, 0, &[0]).unwrap();
    clock.advance(limit);
    assert_eq!(s.time_left_ms(app.now_unix_ms()), 0);
    match app.exam_goto(&mut s, 1).unwrap() {
        ExamEvent::TimeUp(report) => {
            assert!(report.auto_submitted);
            assert_eq!(report.answered, 1);
            assert_eq!(report.elapsed_ms, limit);
        }
        other => panic!("an action after the time limit must submit the exam: {other:?}"),
    }
    assert!(app.resume_exam().unwrap().is_none());
}

#[test]
fn activity_counts_answers_per_day() {
    let clock = ManualClock::new(START);
    let mut app = app(&clock);
    for day in 0..3 {
        for _ in 0..=day {
            let next = app.next_practice(None).unwrap().unwrap();
            let shown = app.present(&next.question_id).unwrap();
            let want = shown.kind.choose() as usize;
            app.answer(&shown, &(0..want).collect::<Vec<_>>()).unwrap();
        }
        clock.advance(86_400_000);
    }
    let days = app.activity(5).unwrap();
    assert_eq!(days.len(), 5);
    let counts: Vec<u64> = days.iter().map(|d| d.answers).collect();
    assert_eq!(counts, vec![0, 1, 2, 3, 0]);
    assert!(days.iter().all(|d| d.correct <= d.answers));
    assert!(days[0].correct_share().is_none());
    assert!(days[1].date < days[2].date);
}

#[test]
fn next_step_follows_the_learner() {
    use pmle_app::{Rating, StepKind, next_step};
    let clock = ManualClock::new(START);
    let mut app = app(&clock);
    let step = next_step(&app.stats().unwrap());
    assert_eq!(step.kind, StepKind::Practice);
    assert!(step.text.contains("all sections"), "{}", step.text);

    let card = app.card_queue().unwrap().new[0].clone();
    let row = app.rate_card(&card, Rating::Again).unwrap();
    clock.advance(row.due_at_ms - app.now_unix_ms() + 1);
    let step = next_step(&app.stats().unwrap());
    assert_eq!(step.kind, StepKind::ReviewCards, "{}", step.text);

    let plan = app.plan_exam(&ExamVariant::Full, 5).unwrap();
    let s = app.start_exam(&plan).unwrap();
    let step = next_step(&app.stats().unwrap());
    assert_eq!(step.kind, StepKind::ResumeExam);
    assert!(
        step.text.contains(&format!("0 of {}", s.len())),
        "{}",
        step.text
    );
}

#[test]
fn cached_state_sees_another_process_commit() {
    use pmle_store::{Mode, NewAnswer, Store};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.sqlite3");
    let clock = ManualClock::new(START);
    let pack = load_pack(
        None,
        Date {
            year: 2100,
            month: 1,
            day: 1,
        },
    )
    .unwrap();
    let q = pack.questions[0].clone();
    let app = App::new(
        pack,
        Box::new(SqliteStore::open(&path).unwrap()),
        Box::new(clock),
        3,
        "file",
    );
    let before = app.mastery().unwrap();
    let first_pick = app.next_practice(None).unwrap();
    assert_eq!(
        app.mastery().unwrap(),
        before,
        "nothing changed: the cache answers"
    );
    // Another process (the CLI beside `pmle serve`) answers five questions correctly.
    let mut other = SqliteStore::open(&path).unwrap();
    for k in 0..5 {
        other
            .record_answer(&NewAnswer {
                question_id: q.id.clone(),
                section_id: q.section.clone(),
                mode: Mode::Practice,
                session_id: None,
                shown_order: (0..q.options.len()).collect(),
                chosen: q.correct_indexes(),
                correct: true,
                answered_at_ms: START + k,
                duration_ms: None,
            })
            .unwrap();
    }
    let after = app.mastery().unwrap();
    assert_ne!(after, before, "the commit invalidated the cached mastery");
    let section = app
        .pack()
        .sections
        .iter()
        .position(|s| s.id == q.section)
        .unwrap();
    assert!(after.sections[section].p > before.sections[section].p);
    assert!(first_pick.is_some());
    assert_eq!(app.stats().unwrap().progress.answers_total, 5);
}
