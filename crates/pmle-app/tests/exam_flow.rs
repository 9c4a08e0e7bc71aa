//! The exam as a candidate lives with it: abandoning an exam without a score, the page
//! clock of the web exam, time in proportion to a short exam, and the report's figures.
#![allow(clippy::unwrap_used)]

mod common;

use pmle_app::{App, ExamClock, ExamEvent, ExamStatus, ExamVariant, ManualClock, PAGE_GAP_MS};
use serde_json::Value;

const START: i64 = 1_795_000_000_000;

fn app(clock: &ManualClock) -> App {
    common::app(clock, 3)
}

/// Answer question `p` with its first option(s): right or wrong as the key has it.
fn answer_first(app: &mut App, s: &mut pmle_app::ExamSession, p: usize) {
    let want = app.exam_item(s, p).unwrap().kind.choose() as usize;
    let picked: Vec<usize> = (0..want).collect();
    assert!(matches!(
        app.exam_answer(s, p, &picked).unwrap(),
        ExamEvent::Saved
    ));
}

#[test]
fn an_abandoned_exam_is_kept_but_never_counts() {
    let clock = ManualClock::new(START);
    let mut app = app(&clock);
    // One submitted exam, then one abandoned.
    let plan = app
        .plan_exam(&ExamVariant::Section("s1".into()), 5)
        .unwrap();
    let mut done = app.start_exam(&plan).unwrap();
    answer_first(&mut app, &mut done, 0);
    clock.advance(60_000);
    let scored = app.submit_exam(&mut done, false).unwrap();
    let answers_before = app.stats().unwrap().progress.answers_total;
    let readiness_before = serde_json::to_value(app.stats().unwrap().readiness).unwrap();

    let plan = app.plan_exam(&ExamVariant::Full, 6).unwrap();
    let mut s = app.start_exam(&plan).unwrap();
    answer_first(&mut app, &mut s, 0);
    answer_first(&mut app, &mut s, 1);
    // (The clock stands still, so readiness can be compared exactly.)
    app.abandon_exam(&mut s).unwrap();
    assert!(s.is_abandoned());

    assert!(app.resume_exam().unwrap().is_none(), "nothing to resume");
    let finished = app.finished_exams().unwrap();
    assert_eq!(
        finished.iter().map(|e| e.id).collect::<Vec<_>>(),
        vec![done.id()],
        "the history lists only the submitted exam"
    );
    let stats = app.stats().unwrap();
    assert_eq!(stats.exams.finished, 1);
    assert_eq!(
        stats.exams.last_score,
        Some(scored.score),
        "last score unchanged"
    );
    assert!(stats.exams.unfinished.is_none());
    assert_eq!(
        stats.progress.answers_total, answers_before,
        "its answers were not recorded"
    );
    assert!(
        app.prediction_history()
            .unwrap()
            .iter()
            .all(|r| r.exam_id != s.id()),
        "its prediction is never checked"
    );
    let readiness_after = serde_json::to_value(app.stats().unwrap().readiness).unwrap();
    assert_eq!(readiness_before, readiness_after, "readiness is unmoved");
    // The row is kept, with what was saved, and says it was abandoned.
    let report = app.exam_report(s.id()).unwrap();
    assert_eq!(report.status, ExamStatus::Abandoned);
    assert_eq!(report.answered, 2);
    // A front end still holding it is told, and saves nothing.
    match app.exam_goto(&mut s, 3).unwrap() {
        ExamEvent::Abandoned(id) => assert_eq!(id, s.id()),
        other => panic!("expected Abandoned, got {other:?}"),
    }
    let err = app.submit_exam(&mut s, false).unwrap_err();
    assert_eq!(err.abandoned_exam(), Some(s.id()), "{err}");
    assert_eq!(app.stats().unwrap().progress.answers_total, answers_before);
}

#[test]
fn another_front_end_learns_the_exam_was_abandoned() {
    let clock = ManualClock::new(START);
    let mut app = app(&clock);
    let plan = app.plan_exam(&ExamVariant::Full, 8).unwrap();
    let mut web = app.start_exam(&plan).unwrap();
    let mut cli = app.resume_exam().unwrap().unwrap();
    app.abandon_exam(&mut cli).unwrap();
    match app.exam_answer(&mut web, 0, &[0]).unwrap() {
        ExamEvent::Abandoned(id) => assert_eq!(id, web.id()),
        other => panic!("expected Abandoned, got {other:?}"),
    }
    assert!(
        !app.exam_report(web.id()).unwrap().items[0].answered,
        "nothing was saved to it"
    );
}

#[test]
fn abandoned_exams_travel_in_a_backup_and_old_backups_still_import() {
    let clock = ManualClock::new(START);
    let mut a = app(&clock);
    let plan = a.plan_exam(&ExamVariant::Full, 9).unwrap();
    let mut s = a.start_exam(&plan).unwrap();
    answer_first(&mut a, &mut s, 0);
    a.abandon_exam(&mut s).unwrap();
    let text = serde_json::to_string(&a.export_backup().unwrap()).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["schema_version"], 5);
    assert_eq!(v["exams"][0]["abandoned_at_ms"], START);

    let mut b = app(&clock);
    b.import_backup(&text).unwrap();
    assert!(
        b.resume_exam().unwrap().is_none(),
        "not resurrected as running"
    );
    assert!(b.finished_exams().unwrap().is_empty());
    assert_eq!(b.exam_report(s.id()).unwrap().status, ExamStatus::Abandoned);

    // The same file as pmle wrote it before schema 3: no `abandoned_at_ms` anywhere.
    let mut old = v;
    old["schema_version"] = Value::from(2);
    old["exams"][0]
        .as_object_mut()
        .unwrap()
        .remove("abandoned_at_ms");
    let mut c = app(&clock);
    let sum = c.import_backup(&old.to_string()).unwrap();
    assert_eq!(sum.exams_added, 1);
    assert_eq!(
        c.resume_exam().unwrap().map(|e| e.id()),
        Some(s.id()),
        "an exam of an old backup is running, as it was then"
    );
    // And schema 1 (no predictions either) still imports.
    let mut older = old.clone();
    older["schema_version"] = Value::from(1);
    older.as_object_mut().unwrap().remove("predictions");
    let mut d = app(&clock);
    assert_eq!(d.import_backup(&older.to_string()).unwrap().exams_added, 1);
}

#[test]
fn the_page_clock_counts_only_between_heartbeats() {
    let clock = ManualClock::new(START);
    let mut app = app(&clock);
    let plan = app.plan_exam(&ExamVariant::Full, 10).unwrap();
    let mut s = app.start_exam(&plan).unwrap();
    app.exam_use_clock_setting(&mut s).unwrap();
    assert!(s.counts_page_time(), "the page clock is the default");
    // An open page beats every 10 s: all of it counts, and is saved each time.
    for _ in 0..6 {
        clock.advance(10_000);
        assert!(matches!(
            app.exam_heartbeat(&mut s).unwrap(),
            ExamEvent::Saved
        ));
    }
    assert_eq!(s.record.elapsed_ms, 60_000, "saved by the heartbeats");
    // The tab closes: an hour passes with no heartbeat; at most one gap is counted.
    clock.advance(3_600_000);
    assert_eq!(s.elapsed_ms(app.now_unix_ms()), 60_000 + PAGE_GAP_MS);
    // The page comes back and beats: still only one gap.
    app.exam_heartbeat(&mut s).unwrap();
    assert_eq!(s.record.elapsed_ms, 60_000 + PAGE_GAP_MS);
    let per_question: i64 = s.record.items.iter().map(|i| i.time_ms).sum();
    assert_eq!(
        per_question,
        60_000 + PAGE_GAP_MS,
        "question time is capped too"
    );
    // The server stops and starts again: what the heartbeats saved is there.
    let again = app.resume_exam().unwrap().unwrap();
    assert_eq!(again.record.elapsed_ms, 60_000 + PAGE_GAP_MS);
}

#[test]
fn the_strict_clock_counts_wall_time_as_before() {
    let clock = ManualClock::new(START);
    let mut app = app(&clock);
    let mut settings = app.settings().unwrap();
    settings.set("exam_clock", "strict").unwrap();
    assert_eq!(settings.exam_clock, ExamClock::Strict);
    app.save_settings(&settings).unwrap();
    let plan = app.plan_exam(&ExamVariant::Full, 10).unwrap();
    let mut s = app.start_exam(&plan).unwrap();
    app.exam_use_clock_setting(&mut s).unwrap();
    assert!(!s.counts_page_time());
    clock.advance(3_600_000);
    assert_eq!(s.elapsed_ms(app.now_unix_ms()), 3_600_000);
    app.exam_heartbeat(&mut s).unwrap();
    assert_eq!(s.record.elapsed_ms, 3_600_000);
    // And past the limit with no page open, the next request submits it.
    clock.advance(3_600_000);
    assert!(matches!(
        app.exam_heartbeat(&mut s).unwrap(),
        ExamEvent::TimeUp(_)
    ));
}

#[test]
fn short_exams_get_time_in_proportion_and_the_report_averages_answered_questions() {
    let clock = ManualClock::new(START);
    let mut app = app(&clock);
    // A full exam longer than any section, at two minutes a question.
    let mut settings = app.settings().unwrap();
    settings.set("exam_questions", "200").unwrap();
    settings.set("exam_minutes", "400").unwrap();
    app.save_settings(&settings).unwrap();
    let full = app.plan_exam(&ExamVariant::Full, 4).unwrap();
    assert_eq!(full.minutes, settings.exam_minutes);
    let plan = app
        .plan_exam(&ExamVariant::Section("s2".into()), 4)
        .unwrap();
    let n = plan.questions.len() as u32;
    assert!(n > 0 && (n as usize) < settings.exam_questions);
    assert_eq!(plan.minutes, 2 * n);
    let mut s = app.start_exam(&plan).unwrap();
    assert_eq!(s.record.time_limit_ms, i64::from(plan.minutes) * 60_000);
    // 30 s on question 1 and 90 s on question 2, answered; the rest never answered.
    clock.advance(30_000);
    answer_first(&mut app, &mut s, 0);
    app.exam_goto(&mut s, 1).unwrap();
    clock.advance(90_000);
    answer_first(&mut app, &mut s, 1);
    app.exam_goto(&mut s, 2).unwrap();
    clock.advance(45_000);
    let report = app.submit_exam(&mut s, false).unwrap();
    assert_eq!(report.answered, 2);
    assert_eq!(report.mean_answered_ms, Some(60_000), "(30 s + 90 s) / 2");
    assert_eq!(report.status, ExamStatus::Submitted);
}

#[test]
fn a_retry_exam_of_three_questions_gets_six_minutes() {
    let clock = ManualClock::new(START);
    let mut app = app(&clock);
    // Three wrong practice answers.
    let mut wrong = 0;
    while wrong < 3 {
        let next = app.next_practice(None).unwrap().unwrap();
        let shown = app.present(&next.question_id).unwrap();
        let want = shown.kind.choose() as usize;
        let q = app.pack().question(&shown.question_id).unwrap().clone();
        let right = q.correct_indexes();
        // Pick shown positions whose authoring index is not all correct.
        let picked: Vec<usize> = (0..shown.options.len())
            .filter(|&p| !right.contains(&shown.order[p]))
            .take(want)
            .collect();
        let feedback = app.answer(&shown, &picked).unwrap();
        assert!(!feedback.correct);
        wrong += 1;
        clock.advance(60_000);
    }
    let plan = app.plan_exam(&ExamVariant::Retry, 1).unwrap();
    assert_eq!(plan.questions.len(), 3);
    assert_eq!(plan.minutes, 6, "two minutes a question, not 120");
}
