//! Two front ends on one unfinished exam (the CLI beside `pmle serve`, the TUI beside the
//! web): each is an `App` with its own connection to the same SQLite file. The database is
//! the single source of truth: no saved answer, flag or move is overwritten by another front
//! end's stale copy, the clock never runs backwards, and a submit scores every saved answer.
#![allow(clippy::unwrap_used)]

use pmle_app::{App, ExamEvent, ManualClock, load_pack};
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
    // B flags question 1; A, which has not seen the flag, moves: the flag stays.
    assert!(matches!(
        b.exam_flag(&mut sb, 0, true).unwrap(),
        ExamEvent::Saved
    ));
    assert!(matches!(a.exam_goto(&mut sa, 5).unwrap(), ExamEvent::Saved));
    assert_eq!(
        a.resume_exam().unwrap().unwrap().flagged_positions(),
        vec![0]
    );
    assert_eq!(sa.current(), 5, "each front end keeps its own question");
    assert_eq!(sb.current(), 1);
    // A still shows question 3 unanswered (it never read B's answer): its choice is refused,
    // not written over B's, and A now holds B's answer to show.
    let before = a.exam_item(&sa, 2).unwrap().version;
    let event = a.exam_answer_seen(&mut sa, 2, &[1], before - 1).unwrap();
    assert!(
        matches!(event, ExamEvent::ChangedElsewhere { position: 2 }),
        "{event:?}"
    );
    assert_eq!(
        a.exam_item(&sa, 2).unwrap().chosen,
        vec![0],
        "B's answer stands"
    );
    // Having seen it, A may replace it.
    assert!(matches!(
        a.exam_answer(&mut sa, 2, &[1]).unwrap(),
        ExamEvent::Saved
    ));
    // B submits: the report scores every saved answer, A's included.
    let report = b.submit_exam(&mut sb, false).unwrap();
    assert_eq!(report.answered, 3, "the submit must see every saved answer");
    assert_eq!(report.flagged, 1);
    let chosen: Vec<usize> = report.items[..3]
        .iter()
        .map(|i| i.options.iter().position(|o| o.chosen).unwrap())
        .collect();
    assert_eq!(
        chosen,
        vec![0, 0, 1],
        "as shown: A's, A's, then A's replacement"
    );
    // A sees it submitted: nothing more is written into it, and it says so.
    let late = a.exam_answer(&mut sa, 3, &[0]).unwrap();
    match late {
        ExamEvent::AlreadySubmitted(r) => assert_eq!(r.answered, 3),
        other => panic!("an answer into a submitted exam must be refused: {other:?}"),
    }
    let twice = a.submit_exam(&mut sa, false).unwrap_err();
    assert_eq!(twice.submitted_exam(), Some(report.exam_id), "{twice}");
    assert!(twice.to_string().contains("already submitted"), "{twice}");
    assert_eq!(
        a.stats().unwrap().progress.answers_total,
        3,
        "the answers were recorded once"
    );
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

/// One step of a front end in the interleaving test.
#[derive(Debug, Clone)]
enum Op {
    /// Answer (pick one shown option, or clear with `None`) over the version it shows.
    Answer(usize, Option<usize>),
    Flag(usize, bool),
    Goto(usize),
    /// Re-read the exam (as the web does per request and the TUI on a tick).
    Refresh,
}

fn op() -> impl proptest::strategy::Strategy<Value = Op> {
    use proptest::prelude::*;
    // Four questions only, so the two front ends often meet on the same one.
    prop_oneof![
        4 => (0..4usize, proptest::option::weighted(0.8, 0..2usize)).prop_map(|(p, o)| Op::Answer(p, o)),
        2 => (0..4usize, any::<bool>()).prop_map(|(p, f)| Op::Flag(p, f)),
        1 => (0..4usize).prop_map(Op::Goto),
        2 => Just(Op::Refresh),
    ]
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(6))]

    /// Two front ends interleave a few hundred actions on one exam. The rule: an answer is
    /// acknowledged (`Saved`) exactly when the front end showed the answer that is saved (or
    /// sends the same one), else it is refused (`ChangedElsewhere`); flags are last writer
    /// wins. So the saved exam is always the last acknowledged write per question — never a
    /// stale copy — the clock counts the wall time once and never goes back, and the submit
    /// scores exactly the saved answers.
    #[test]
    fn two_front_ends_interleaving_keep_every_acknowledged_write(
        steps in proptest::collection::vec((proptest::bool::ANY, op(), 0..4_000i64), 200..300)
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.sqlite3");
        let clock = ManualClock::new(START);
        let mut apps = [app_on(&path, &clock, 1), app_on(&path, &clock, 2)];
        let plan = apps[0].plan_exam(&pmle_app::ExamVariant::Full, 4).unwrap();
        let first = apps[0].start_exam(&plan).unwrap();
        let second = apps[1].resume_exam().unwrap().unwrap();
        let mut sessions = [first, second];
        // The model: per question (authoring choice, version) and flag.
        let shown: Vec<Vec<usize>> = sessions[0].record.items.iter().map(|i| i.shown_order.clone()).collect();
        let mut answers: Vec<(Option<Vec<usize>>, i64)> = vec![(None, 0); 4];
        let mut flags = [false; 4];
        let mut last_elapsed = 0;
        for (who, op, wait) in steps {
            clock.advance(wait);
            let w = usize::from(who);
            let (app, s) = (&mut apps[w], &mut sessions[w]);
            let event = match op {
                Op::Answer(p, pick) => {
                    let seen = s.record.items[p].version;
                    let picked: Vec<usize> = pick.into_iter().collect();
                    let want = pick.map(|o| vec![shown[p][o]]);
                    let event = app.exam_answer(s, p, &picked).unwrap();
                    if seen == answers[p].1 || want == answers[p].0 {
                        proptest::prop_assert!(matches!(event, ExamEvent::Saved), "{event:?}");
                        if want != answers[p].0 {
                            answers[p] = (want, answers[p].1 + 1);
                        }
                    } else {
                        proptest::prop_assert!(
                            matches!(event, ExamEvent::ChangedElsewhere { position } if position == p),
                            "a stale answer must be refused: {event:?}"
                        );
                    }
                    event
                }
                Op::Flag(p, f) => {
                    flags[p] = f;
                    app.exam_flag(s, p, f).unwrap()
                }
                Op::Goto(p) => app.exam_goto(s, p).unwrap(),
                Op::Refresh => {
                    app.exam_refresh(s).unwrap();
                    ExamEvent::Saved
                }
            };
            // What this front end now holds is what is saved: the model, exactly.
            for p in 0..4 {
                let it = &s.record.items[p];
                proptest::prop_assert_eq!((&it.chosen, it.version), (&answers[p].0, answers[p].1));
                proptest::prop_assert_eq!(it.flagged, flags[p]);
            }
            let elapsed = s.record.elapsed_ms;
            proptest::prop_assert!(elapsed >= last_elapsed, "the clock went back: {last_elapsed} -> {elapsed}");
            last_elapsed = elapsed;
            if matches!(event, ExamEvent::Saved) && !matches!(op, Op::Refresh) {
                // Both front ends run the exam all along: wall time, counted once.
                proptest::prop_assert_eq!(elapsed, app.now_unix_ms() - START);
            }
        }
        // Submitted by either front end, the exam scores exactly the saved answers.
        let report = apps[1].submit_exam(&mut sessions[1], false).unwrap();
        let saved: Vec<Option<Vec<usize>>> = answers.iter().map(|a| a.0.clone()).collect();
        let reported: Vec<Option<Vec<usize>>> = report.items[..4]
            .iter()
            .enumerate()
            .map(|(p, i)| {
                let picked: Vec<usize> = i.options.iter().enumerate().filter(|(_, o)| o.chosen).map(|(k, _)| shown[p][k]).collect();
                (!picked.is_empty()).then_some(picked)
            })
            .collect();
        proptest::prop_assert_eq!(reported, saved);
        proptest::prop_assert_eq!(report.answered, answers.iter().filter(|a| a.0.is_some()).count());
        proptest::prop_assert_eq!(report.flagged, flags.iter().filter(|f| **f).count());
    }
}

/// Two front ends at once on two threads (two connections racing for SQLite's write lock):
/// no action fails with a busy or locked database, every acknowledged answer is saved, and
/// neither ever reads the clock going back.
#[test]
fn two_front_ends_racing_on_threads_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.sqlite3");
    let clock = ManualClock::new(START);
    let mut first = app_on(&path, &clock, 1);
    let plan = first.plan_exam(&pmle_app::ExamVariant::Full, 4).unwrap();
    let started = first.start_exam(&plan).unwrap();
    let id = started.id();
    let run = |w: usize, mut app: App, mut s: pmle_app::ExamSession, clock: ManualClock| {
        std::thread::spawn(move || {
            let mut last = vec![None; 10];
            let mut elapsed = 0;
            for k in 0..150 {
                let p = w * 10 + k % 10;
                let pick = (k / 10) % 2;
                clock.advance(7);
                let event = match k % 3 {
                    0 | 1 => app.exam_answer(&mut s, p, &[pick]).unwrap(),
                    _ => app.exam_flag(&mut s, 20 + k % 5, k % 2 == 0).unwrap(),
                };
                assert!(matches!(event, ExamEvent::Saved), "{event:?}");
                if k % 3 != 2 {
                    last[k % 10] = Some(vec![s.record.items[p].shown_order[pick]]);
                }
                assert!(s.record.elapsed_ms >= elapsed, "the clock went back");
                elapsed = s.record.elapsed_ms;
            }
            last
        })
    };
    let second = app_on(&path, &clock, 2);
    let other = second.resume_exam().unwrap().unwrap();
    let a = run(0, first, started, clock.clone());
    let b = run(1, second, other, clock.clone());
    let (a, b) = (a.join().unwrap(), b.join().unwrap());
    let check = app_on(&path, &clock, 3);
    let saved = check.resume_exam().unwrap().unwrap();
    assert_eq!(saved.id(), id);
    for (w, last) in [a, b].iter().enumerate() {
        for (k, want) in last.iter().enumerate() {
            assert_eq!(
                &saved.record.items[w * 10 + k].chosen,
                want,
                "question {}",
                w * 10 + k + 1
            );
        }
    }
    assert_eq!(saved.answered(), 20);
}
