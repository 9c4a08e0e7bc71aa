//! Two front ends on one unfinished exam (the CLI beside `pmle serve`, the TUI beside the
//! web): each is an `App` with its own connection to the same SQLite file. The database is
//! the single source of truth: no saved answer, flag or move is overwritten by another front
//! end's stale copy, the clock never runs backwards, and a submit scores every saved answer.
#![allow(clippy::unwrap_used)]

use pmle_app::{App, ManualClock, load_pack};
use pmle_content::model::Date;
use pmle_store::SqliteStore;

const START: i64 = 1_795_000_000_000;

fn app_on(path: &std::path::Path, clock: &ManualClock, seed: u64) -> App {
    let pack = load_pack(
        None,
        Date {
            year: 2100,
            month: 1,
            day: 1,
        },
    )
    .unwrap();
    App::new(
        pack,
        Box::new(SqliteStore::open(path).unwrap()),
        Box::new(clock.clone()),
        seed,
        "file",
    )
}

#[test]
fn a_saved_exam_answer_is_not_lost_to_another_front_ends_stale_session() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.sqlite3");
    let clock = ManualClock::new(START);
    let mut a = app_on(&path, &clock, 1);
    let mut b = app_on(&path, &clock, 2);
    let plan = a.plan_exam(&pmle_app::ExamVariant::Full, 9).unwrap();
    let mut sa = a.start_exam(&plan).unwrap();
    // B (the web server) picks the exam up and holds it.
    let mut sb = b.resume_exam().unwrap().unwrap();
    clock.advance(1_000);
    // A (the CLI) answers questions 1 and 2; both are reported saved.
    a.exam_answer(&mut sa, 0, &[0]).unwrap();
    a.exam_answer(&mut sa, 1, &[0]).unwrap();
    clock.advance(1_000);
    // B, holding its older copy, answers question 3.
    b.exam_answer(&mut sb, 2, &[0]).unwrap();
    let stored = a.resume_exam().unwrap().unwrap();
    assert_eq!(
        stored.answered(),
        3,
        "A's two saved answers and B's one must all be in the database"
    );
    // B moves on: the move must not write its stale copy of question 1 either.
    b.exam_goto(&mut sb, 0).unwrap();
    b.exam_goto(&mut sb, 1).unwrap();
    assert_eq!(a.resume_exam().unwrap().unwrap().answered(), 3);
    // A submits... no, B submits: the report scores A's answers too.
    let report = b.submit_exam(&mut sb, false).unwrap();
    assert_eq!(report.answered, 3, "the submit must see every saved answer");
}

#[test]
fn the_exam_clock_never_runs_backwards_when_a_front_end_saves_a_stale_time() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.sqlite3");
    let clock = ManualClock::new(START);
    let mut web = app_on(&path, &clock, 1);
    let mut cli = app_on(&path, &clock, 2);
    let plan = web.plan_exam(&pmle_app::ExamVariant::Full, 9).unwrap();
    let mut sw = web.start_exam(&plan).unwrap();
    clock.advance(10 * 60_000);
    // The CLI opens the exam ten minutes in, before the web has saved anything.
    let mut sc = cli.resume_exam().unwrap().unwrap();
    clock.advance(10 * 60_000);
    web.exam_answer(&mut sw, 0, &[0]).unwrap();
    let after_web = web.resume_exam().unwrap().unwrap().record.elapsed_ms;
    assert_eq!(after_web, 20 * 60_000, "twenty minutes have passed");
    clock.advance(5 * 60_000);
    cli.exam_answer(&mut sc, 1, &[0]).unwrap();
    let after_cli = cli.resume_exam().unwrap().unwrap().record.elapsed_ms;
    assert!(
        after_cli >= after_web,
        "the clock went back from {after_web} to {after_cli} ms"
    );
    assert_eq!(
        after_cli,
        25 * 60_000,
        "both front ends ran over the same 25 minutes: the wall time counts once"
    );
}
