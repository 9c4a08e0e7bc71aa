//! Issue 18: bookmarks, flags, private notes, reports, the review centre and practice filters.
#![allow(clippy::unwrap_used)]

mod common;

use common::app;
use pmle_app::{App, ManualClock, PracticeFilter, ReportReason, ReviewFilter};
use serde_json::Value;

const START: i64 = 1_795_000_000_000; // November 2026

/// Answer question `id` right or wrong.
fn answer(app: &mut App, id: &str, right: bool) {
    let shown = app.present(id).unwrap();
    let q = app.pack().question(id).unwrap();
    let key: Vec<usize> = shown
        .order
        .iter()
        .enumerate()
        .filter(|(_, i)| q.options[**i].correct == right)
        .map(|(pos, _)| pos)
        .take(q.kind.choose() as usize)
        .collect();
    let f = app.answer(&shown, &key).unwrap();
    assert_eq!(f.correct, right, "{id}");
}

fn ids_of(a: &App, f: ReviewFilter) -> Vec<String> {
    a.review(f)
        .unwrap()
        .into_iter()
        .map(|e| e.question_id)
        .collect()
}

fn live_ids(app: &App, n: usize) -> Vec<String> {
    app.pack()
        .questions
        .iter()
        .filter(|q| !q.retired && q.kind.choose() == 1)
        .take(n)
        .map(|q| q.id.clone())
        .collect()
}

#[test]
fn bookmarks_flags_notes_and_reports_show_in_the_review_centre() {
    let clock = ManualClock::new(START);
    let mut a = app(&clock, 1);
    let ids = live_ids(&a, 4);
    answer(&mut a, &ids[0], false);
    clock.advance(60_000);
    answer(&mut a, &ids[1], true);
    clock.advance(60_000);
    assert!(a.set_bookmark(&ids[1], true).unwrap());
    assert!(
        !a.set_bookmark(&ids[1], true).unwrap(),
        "already bookmarked"
    );
    a.set_flag(&ids[2], true).unwrap();
    a.set_question_note(&ids[1], "  remember: BigQuery ML for SQL teams ")
        .unwrap();
    let r = a
        .report_question(&ids[3], "wrong-key", Some("C is also right"))
        .unwrap();
    assert_eq!(r.reason, ReportReason::WrongKey);
    assert_eq!(r.status.as_str(), "open");

    assert_eq!(ids_of(&a, ReviewFilter::Wrong), vec![ids[0].clone()]);
    assert_eq!(ids_of(&a, ReviewFilter::Bookmarked), vec![ids[1].clone()]);
    assert_eq!(ids_of(&a, ReviewFilter::Flagged), vec![ids[2].clone()]);
    assert_eq!(ids_of(&a, ReviewFilter::Reported), vec![ids[3].clone()]);
    let all = a.review(ReviewFilter::All).unwrap();
    assert_eq!(all.len(), 4);
    let (counts, wrong) = a.review_centre(ReviewFilter::Wrong).unwrap();
    let counts: Vec<(&str, usize)> = counts.iter().map(|(f, n)| (f.as_str(), *n)).collect();
    assert_eq!(
        counts,
        vec![
            ("all", 4),
            ("wrong", 1),
            ("bookmarked", 1),
            ("flagged", 1),
            ("reported", 1)
        ]
    );
    assert_eq!(wrong.len(), 1);
    // Newest answer first; never-answered ones after.
    assert_eq!(all[0].question_id, ids[1]);
    assert_eq!(
        all[0].marks.note.as_deref(),
        Some("remember: BigQuery ML for SQL teams")
    );
    assert_eq!(all[0].last_correct, Some(true));
    assert_eq!(all[1].last_correct, Some(false));
    assert_eq!(
        all[1].last_chosen.len(),
        1,
        "the wrong option's text is shown"
    );
    assert_eq!(all[2].last_answered_at_ms, None);

    // Unbookmark, clear the note: gone from the lists.
    assert!(a.set_bookmark(&ids[1], false).unwrap());
    assert!(a.clear_question_note(&ids[1]).unwrap());
    assert!(ids_of(&a, ReviewFilter::Bookmarked).is_empty());
    assert_eq!(a.question_marks(&ids[1]).unwrap().note, None);
    // Answering the missed one right takes it off the wrong list.
    answer(&mut a, &ids[0], true);
    assert!(ids_of(&a, ReviewFilter::Wrong).is_empty());
}

#[test]
fn bad_input_is_refused_with_what_to_do() {
    let clock = ManualClock::new(START);
    let mut a = app(&clock, 1);
    let id = live_ids(&a, 1).remove(0);
    let e = a
        .set_bookmark("no-such-question", true)
        .unwrap_err()
        .to_string();
    assert!(e.contains("pmle search"), "{e}");
    let card = a.pack().cards[0].id.clone();
    let e = a.set_flag(&card, true).unwrap_err().to_string();
    assert!(e.contains("is a flashcard, not a question"), "{e}");
    let e = a
        .report_question(&id, "boring", None)
        .unwrap_err()
        .to_string();
    assert!(e.contains("wrong-key, unclear, outdated or typo"), "{e}");
    let e = a
        .set_question_note(&id, &"x".repeat(2001))
        .unwrap_err()
        .to_string();
    assert!(e.contains("keep it to 2000"), "{e}");
    let e = a.set_question_note(&id, "   ").unwrap_err().to_string();
    assert!(e.contains("--clear"), "{e}");
    let e = a
        .report_question(&id, "typo", Some(&"y".repeat(1001)))
        .unwrap_err()
        .to_string();
    assert!(e.contains("1000"), "{e}");
    assert!(a.question_reports().unwrap().is_empty());
    assert_eq!(a.question_marks(&id).unwrap().note, None);
}

#[test]
fn practice_filters_combine_and_say_which_to_loosen() {
    let clock = ManualClock::new(START);
    let mut a = app(&clock, 3);
    let ids = live_ids(&a, 3);
    answer(&mut a, &ids[0], false);
    answer(&mut a, &ids[1], true);
    a.set_bookmark(&ids[1], true).unwrap();

    let missed = PracticeFilter {
        missed: true,
        ..PracticeFilter::default()
    };
    assert_eq!(
        a.practice_candidates(&missed).unwrap(),
        vec![ids[0].clone()]
    );
    let next = a.next_filtered(&missed, &[]).unwrap().unwrap();
    assert_eq!(next.question_id, ids[0]);
    assert!(
        a.next_filtered(&missed, &[ids[0].clone()])
            .unwrap()
            .is_none()
    );
    // Answered right, the only missed question leaves the filter empty: the session ends
    // (None), while a fresh start says which filter to loosen.
    answer(&mut a, &ids[0], true);
    assert!(
        a.next_filtered(&missed, &[ids[0].clone()])
            .unwrap()
            .is_none()
    );
    assert!(a.next_filtered(&missed, &[]).is_err());
    answer(&mut a, &ids[0], false);

    let unseen = PracticeFilter {
        unseen: true,
        difficulty: Some(3),
        ..PracticeFilter::default()
    };
    let c = a.practice_candidates(&unseen).unwrap();
    assert!(!c.is_empty());
    for id in &c {
        let q = a.pack().question(id).unwrap();
        assert_eq!(q.difficulty, 3);
        assert!(!q.retired);
        assert!(!ids[..2].contains(id));
    }
    let topic = a.pack().question(&ids[0]).unwrap().topics[0].clone();
    let by_topic = PracticeFilter {
        topic: Some(topic.clone()),
        ..PracticeFilter::default()
    };
    for id in a.practice_candidates(&by_topic).unwrap() {
        assert!(a.pack().question(&id).unwrap().topics.contains(&topic));
    }

    // Combined filters that leave nothing name the ones to loosen.
    let both = PracticeFilter {
        missed: true,
        bookmarked: true,
        ..PracticeFilter::default()
    };
    let e = a.practice_candidates(&both).unwrap_err().to_string();
    assert!(e.contains("--missed --bookmarked together"), "{e}");
    assert!(
        e.contains("--missed alone: 1") && e.contains("--bookmarked alone: 1"),
        "{e}"
    );
    let flagged = PracticeFilter {
        flagged: true,
        ..PracticeFilter::default()
    };
    let e = a.practice_candidates(&flagged).unwrap_err().to_string();
    assert!(
        e.contains("no question matches --flagged") && e.contains("loosen or drop --flagged"),
        "{e}"
    );
    let e = a
        .practice_candidates(&PracticeFilter {
            difficulty: Some(7),
            ..PracticeFilter::default()
        })
        .unwrap_err()
        .to_string();
    assert!(e.contains("1 (recall), 2 (applied) or 3"), "{e}");
    let e = a
        .practice_candidates(&PracticeFilter {
            topic: Some("nope".into()),
            ..PracticeFilter::default()
        })
        .unwrap_err()
        .to_string();
    assert!(e.contains("unknown topic `nope`"), "{e}");
    // The review centre's filters practise exactly the listed questions.
    let listed: Vec<String> = a
        .review(ReviewFilter::Bookmarked)
        .unwrap()
        .into_iter()
        .map(|e| e.question_id)
        .collect();
    assert_eq!(
        a.practice_candidates(&ReviewFilter::Bookmarked.practice_filter())
            .unwrap(),
        listed
    );
}

#[test]
fn retired_questions_are_never_listed_or_offered() {
    let clock = ManualClock::new(START);
    let mut a = app(&clock, 1);
    let retired = a
        .pack()
        .questions
        .iter()
        .find(|q| q.retired && q.kind.choose() == 1)
        .map(|q| q.id.clone())
        .expect("the embedded pack keeps retired questions");
    a.set_bookmark(&retired, true).unwrap();
    answer(&mut a, &retired, false);
    assert!(a.review(ReviewFilter::Bookmarked).unwrap().is_empty());
    assert!(a.review(ReviewFilter::Wrong).unwrap().is_empty());
    assert!(a.review(ReviewFilter::All).unwrap().is_empty());
    let f = PracticeFilter {
        bookmarked: true,
        ..PracticeFilter::default()
    };
    assert!(a.practice_candidates(&f).is_err());
}

#[test]
fn reports_file_and_backup_carry_everything() {
    let clock = ManualClock::new(START);
    let mut a = app(&clock, 1);
    let ids = live_ids(&a, 2);
    a.report_question(&ids[0], "outdated", Some("renamed in 2026"))
        .unwrap();
    a.report_question(&ids[1], "typo", None).unwrap();
    a.set_bookmark(&ids[0], true).unwrap();
    a.set_question_note(&ids[1], "mine").unwrap();
    let file = serde_json::to_value(a.reports_file().unwrap()).unwrap();
    assert_eq!(file["format"], "pmle-question-reports");
    assert_eq!(file["reports"].as_array().unwrap().len(), 2);
    assert_eq!(file["reports"][0]["reason"], "outdated");
    assert_eq!(file["reports"][0]["status"], "open");
    assert_eq!(file["reports"][0]["text"], "renamed in 2026");
    assert_eq!(file["reports"][1]["text"], Value::Null);

    let backup = a.export_backup().unwrap();
    assert_eq!(backup.schema_version, 5);
    let text = serde_json::to_string(&backup).unwrap();
    let mut b = app(&clock, 2);
    b.import_backup(&text).unwrap();
    assert!(b.question_marks(&ids[0]).unwrap().bookmarked);
    assert_eq!(
        b.question_marks(&ids[1]).unwrap().note.as_deref(),
        Some("mine")
    );
    assert_eq!(b.question_reports().unwrap().len(), 2);
    b.import_backup(&text).unwrap();
    assert_eq!(b.question_reports().unwrap().len(), 2, "idempotent");

    // Hostile input is refused before anything is written, with what to do.
    let bad = |edit: &dyn Fn(&mut Value), needle: &str| {
        let mut v: Value = serde_json::from_str(&text).unwrap();
        edit(&mut v);
        let mut c = app(&clock, 3);
        let e = c.import_backup(&v.to_string()).unwrap_err().to_string();
        assert!(e.contains(needle), "expected {needle:?} in {e}");
        assert!(c.question_reports().unwrap().is_empty());
    };
    bad(
        &|v| v["reports"][0]["reason"] = "boring".into(),
        "expected one of `wrong-key`",
    );
    bad(
        &|v| v["notes"][0]["text"] = "n".repeat(2001).into(),
        "notes hold 1 to 2000",
    );
    bad(
        &|v| v["reports"][0]["text"] = "r".repeat(1001).into(),
        "reports hold up to 1000",
    );
    bad(
        &|v| v["marks"][0]["question_id"] = "nope".into(),
        "unknown question id `nope`",
    );
    bad(
        &|v| v["marks"][0]["mark"] = "star".into(),
        "expected `bookmark` or `flag`",
    );
    bad(
        &|v| v["reports"][0]["status"] = "closed".into(),
        "expected one of `open`",
    );
}
