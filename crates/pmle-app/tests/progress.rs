//! Progress over time: the mock-exam history with its predictions and the section trends,
//! on small histories worked out by hand, with the clock fixed.
#![allow(clippy::unwrap_used)]

mod common;

use pmle_app::{App, ExamSession, ExamVariant, ManualClock};

const START: i64 = 1_795_000_000_000;
const DAY: i64 = 86_400_000;

/// Answer `n` practice questions of `section` right (one minute apart).
fn practise(app: &mut App, clock: &ManualClock, section: &str, n: usize, right: bool) {
    for _ in 0..n {
        let next = app.next_practice(Some(section)).unwrap().unwrap();
        let shown = app.present(&next.question_id).unwrap();
        let q = app.pack().question(&shown.question_id).unwrap();
        let key = q.correct_indexes();
        let picked: Vec<usize> = (0..shown.order.len())
            .filter(|&p| key.contains(&shown.order[p]) == right)
            .take(q.kind.choose() as usize)
            .collect();
        assert_eq!(app.answer(&shown, &picked).unwrap().correct, right);
        clock.advance(60_000);
    }
}

/// Answer position `p` of a running exam right or wrong.
fn exam_answer(app: &mut App, s: &mut ExamSession, p: usize, right: bool) {
    let view = app.exam_item(s, p).unwrap();
    let q = app.pack().question(&view.question_id).unwrap().clone();
    let picked: Vec<usize> = (0..view.options.len())
        .filter(|&i| {
            let correct = q
                .options
                .iter()
                .find(|o| o.text == view.options[i].text)
                .unwrap()
                .correct;
            correct == right
        })
        .take(q.kind.choose() as usize)
        .collect();
    app.exam_answer(s, p, &picked).unwrap();
}

#[test]
fn a_new_database_has_no_history_and_no_trend_figures() {
    let clock = ManualClock::new(START);
    let app = common::app(&clock, 3);
    let p = app.progress(30).unwrap();
    assert!(p.exams.is_empty());
    assert!(
        p.history_note
            .as_deref()
            .unwrap()
            .contains("take a mock exam to start your history")
    );
    assert_eq!(p.target, 0.7);
    assert!(p.target_text.contains("Google publishes no pass mark"));
    assert_eq!(p.sections.len(), app.pack().sections.len());
    for s in &p.sections {
        assert_eq!(s.change, "too_little_evidence");
        assert_eq!(s.points.len(), 5);
        assert!(s.points.iter().all(|pt| pt.mastery.is_none()));
        assert_eq!(s.window_answers, 0);
        assert!(
            s.summary.starts_with("too little evidence: 0 questions"),
            "{}",
            s.summary
        );
    }
    assert_eq!(app.progress(90).unwrap().sections[0].points.len(), 13);
    let err = app.progress(45).unwrap_err().to_string();
    assert!(err.contains("choose 30 or 90"), "{err}");
}

#[test]
fn the_history_lists_submitted_exams_oldest_first_with_section_scores_and_predictions() {
    let clock = ManualClock::new(START);
    let mut app = common::app(&clock, 3);
    // Some practice first, so each exam gets a stored prediction.
    practise(&mut app, &clock, "s1", 6, true);
    // Exam 1: a section-1 exam; the first 3 questions right, the rest wrong or blank.
    let plan = app
        .plan_exam(&ExamVariant::Section("s1".into()), 11)
        .unwrap();
    let mut s = app.start_exam(&plan).unwrap();
    let n1 = s.len();
    assert!(n1 >= 4, "{n1}");
    for p in 0..3 {
        exam_answer(&mut app, &mut s, p, true);
    }
    exam_answer(&mut app, &mut s, 3, false);
    clock.advance(60_000);
    app.submit_exam(&mut s, false).unwrap();
    let first_id = s.id();

    // An abandoned exam is never listed.
    clock.advance(DAY);
    let plan = app.plan_exam(&ExamVariant::Full, 12).unwrap();
    let mut gone = app.start_exam(&plan).unwrap();
    exam_answer(&mut app, &mut gone, 0, true);
    app.abandon_exam(&mut gone).unwrap();

    // Exam 2, two days after the first: a retry of what was missed, all answered right.
    clock.advance(DAY);
    let plan = app.plan_exam(&ExamVariant::Retry, 13).unwrap();
    let mut r = app.start_exam(&plan).unwrap();
    let n2 = r.len();
    for p in 0..n2 {
        exam_answer(&mut app, &mut r, p, true);
    }
    app.submit_exam(&mut r, false).unwrap();

    let p = app.progress(30).unwrap();
    assert_eq!(p.history_note, None);
    assert_eq!(p.exams.len(), 2, "the abandoned exam is left out");
    let (a, b) = (&p.exams[0], &p.exams[1]);
    assert_eq!(a.exam_id, first_id);
    assert_eq!(
        (a.variant.as_str(), a.kind.as_str()),
        ("section", "section 1")
    );
    assert_eq!(a.section.as_deref(), Some("s1"));
    assert_eq!((a.correct, a.questions), (3, n1));
    assert!((a.score - 3.0 / n1 as f64).abs() < 1e-12);
    assert_eq!(a.sections.len(), 1);
    assert_eq!((a.sections[0].number, a.sections[0].correct), (1, 3));
    assert_eq!(a.section_text(1), format!("3/{n1}"));
    assert_eq!(a.section_text(2), "–");
    assert_eq!(a.date, pmle_app::date_of_ms(START + 6 * 60_000 + 60_000));
    assert_eq!(b.kind, "retry");
    assert_eq!((b.correct, b.questions, b.score), (n2, n2, 1.0));
    assert_eq!(b.sections.iter().map(|s| s.questions).sum::<usize>(), n2);
    assert!(b.submitted_at_ms - a.submitted_at_ms >= 2 * DAY);

    // The predictions are the ones the readiness record holds, with the same verdicts.
    let record = app.prediction_history().unwrap();
    for e in &p.exams {
        let pred = e.prediction.as_ref().expect("practice came first: stored");
        let r = record.iter().find(|r| r.exam_id == e.exam_id).unwrap();
        assert_eq!(
            (pred.predicted, pred.low, pred.high),
            (r.predicted, r.low, r.high)
        );
        let held = r.held.unwrap();
        assert_eq!(pred.outcome == "inside", held, "{pred:?} {r:?}");
        assert!(pred.low <= pred.predicted && pred.predicted <= pred.high);
    }
    assert!(a.prediction_text().contains('·'));

    // One exam only: the note asks for another.
    let clock2 = ManualClock::new(START);
    let mut one = common::app(&clock2, 3);
    let plan = one
        .plan_exam(&ExamVariant::Section("s2".into()), 1)
        .unwrap();
    let mut s = one.start_exam(&plan).unwrap();
    one.submit_exam(&mut s, false).unwrap();
    let p1 = one.progress(30).unwrap();
    assert_eq!(p1.exams.len(), 1);
    assert_eq!(
        p1.exams[0].prediction.as_ref().map(|_| ()),
        None,
        "no answer before it: none stored"
    );
    assert_eq!(p1.exams[0].prediction_text(), "none stored");
    assert_eq!((p1.exams[0].correct, p1.exams[0].score), (0, 0.0));
    assert!(p1.history_note.unwrap().contains("take another"));
}

#[test]
fn section_trends_compare_the_estimate_then_with_now_on_the_answers_of_each_window() {
    let clock = ManualClock::new(START);
    let mut app = common::app(&clock, 3);
    // 40 days ago: 6 questions of section 2 wrong. Then, in the last week: 8 others right.
    practise(&mut app, &clock, "s2", 6, false);
    clock.advance(33 * DAY);
    practise(&mut app, &clock, "s2", 8, true);
    // And 3 questions of section 3: too few for a figure.
    practise(&mut app, &clock, "s3", 3, true);
    clock.advance(7 * DAY);

    let p = app.progress(30).unwrap();
    let s2 = p.sections.iter().find(|s| s.id == "s2").unwrap();
    // 30 days ago only the 6 wrong answers existed; now all 14.
    assert_eq!((s2.then().questions, s2.then().answers), (6, 6));
    assert_eq!((s2.now().questions, s2.now().answers), (14, 14));
    assert_eq!((s2.window_answers, s2.window_correct), (8, 8));
    let (then, now) = (s2.then().mastery.unwrap(), s2.now().mastery.unwrap());
    assert!(now > then, "then {then} now {now}");
    assert_eq!(s2.change, "up", "{}", s2.summary);
    assert_eq!(s2.moved.as_deref(), Some("higher"));
    assert!(s2.summary.starts_with("up: "), "{}", s2.summary);
    let share = s2.window_share.unwrap();
    assert_eq!(share, 1.0);
    // Wilson 80% for 8 of 8: low = 1/(1 + z²/8) = 0.8297.
    assert!(
        (s2.window_low.unwrap() - 0.8297).abs() < 1e-3,
        "{:?}",
        s2.window_low
    );
    assert!(
        s2.window_text()
            .starts_with("8 answers, 100% right (83%–100%)"),
        "{}",
        s2.window_text()
    );
    // Now is the figure `stats` shows for the section.
    let stats = app.stats().unwrap();
    let st = stats.sections.iter().find(|s| s.id == "s2").unwrap();
    assert_eq!(s2.now().mastery, st.mastery);
    assert_eq!(
        (s2.now().low, s2.now().high),
        (st.mastery_low, st.mastery_high)
    );

    let s3 = p.sections.iter().find(|s| s.id == "s3").unwrap();
    assert_eq!(s3.now().mastery, None);
    assert_eq!(s3.change, "too_little_evidence");
    assert_eq!(s3.moved, None);
    assert_eq!(s3.window_text(), "3 answers (too few for a share)");
    assert!(
        s3.summary.contains("3 questions answered so far (5 needed"),
        "{}",
        s3.summary
    );

    // Over 90 days the window holds all 14 answers of section 2, and then (day −50) none:
    // the start has too little evidence, so no direction is claimed.
    let p90 = app.progress(90).unwrap();
    let s2 = p90.sections.iter().find(|s| s.id == "s2").unwrap();
    assert_eq!(s2.window_answers, 14);
    assert_eq!(s2.then().mastery, None);
    assert_eq!(s2.change, "too_little_evidence");
    assert!(
        s2.summary
            .contains("too little evidence 90 days ago (0 questions"),
        "{}",
        s2.summary
    );
}
