//! Issue 18 in the TUI: keys after an answer (bookmark, flag, note, report with a reason
//! picker) and the review-centre screen, at 80×24.

use crossterm::event::KeyCode;
use pmle_app::ReviewFilter;

use super::tests::{key, keys, pick_enough, screen, tui};

/// The question id in the practice header line: the feedback is for it.
fn ids(t: &super::Tui, f: ReviewFilter) -> Vec<String> {
    t.app()
        .review(f)
        .expect("review")
        .into_iter()
        .map(|e| e.question_id)
        .collect()
}

#[test]
fn after_an_answer_keys_bookmark_flag_note_and_report_the_question() {
    let mut t = tui();
    keys(&mut t, "p");
    pick_enough(&mut t);
    key(&mut t, KeyCode::Enter);
    let s = screen(&t);
    assert!(s.contains("[ ] bookmarked (b)"), "{s}");
    let answered = ids(&t, ReviewFilter::All);
    assert_eq!(answered.len(), 1);
    let id = answered[0].clone();

    keys(&mut t, "b");
    assert!(screen(&t).contains("Bookmarked."));
    keys(&mut t, "f");
    assert!(screen(&t).contains("[x] bookmarked (b)  [x] flagged (f)"));
    assert_eq!(ids(&t, ReviewFilter::Bookmarked), vec![id.clone()]);
    assert_eq!(ids(&t, ReviewFilter::Flagged), vec![id.clone()]);

    // A note: typed letters are text (q does not leave, ? is no help), Enter saves.
    keys(&mut t, "m");
    keys(&mut t, "quota? see note");
    insta::assert_snapshot!("practice_note_typing", screen(&t));
    key(&mut t, KeyCode::Enter);
    let s = screen(&t);
    assert!(
        s.contains("Note saved.") && s.contains("Note: quota? see note"),
        "{s}"
    );
    let marks = t.app().question_marks(&id).expect("marks");
    assert_eq!(marks.note.as_deref(), Some("quota? see note"));

    // A report: the reason picker, then optional text.
    keys(&mut t, "r");
    insta::assert_snapshot!("practice_report_reasons", screen(&t));
    keys(&mut t, "x");
    assert!(screen(&t).contains("Pick a reason: 1, 2, 3 or 4"));
    keys(&mut t, "3");
    keys(&mut t, "renamed");
    key(&mut t, KeyCode::Enter);
    assert!(screen(&t).contains("Reported (outdated)"));
    let reports = t.app().question_reports().expect("reports");
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0].reason.as_str(), "outdated");
    assert_eq!(reports[0].text.as_deref(), Some("renamed"));
    // Esc cancels a report without saving anything.
    keys(&mut t, "r1");
    key(&mut t, KeyCode::Esc);
    assert_eq!(t.app().question_reports().expect("reports").len(), 1);
    assert!(screen(&t).contains("Cancelled."));

    // b again undoes the bookmark.
    keys(&mut t, "b");
    assert!(ids(&t, ReviewFilter::Bookmarked).is_empty());
}

#[test]
fn the_review_centre_lists_filters_and_practises_the_listed_questions() {
    let mut t = tui();
    keys(&mut t, "p");
    pick_enough(&mut t);
    key(&mut t, KeyCode::Enter);
    keys(&mut t, "bm");
    keys(&mut t, "check the quota table");
    key(&mut t, KeyCode::Enter);
    keys(&mut t, "r2");
    key(&mut t, KeyCode::Enter);
    key(&mut t, KeyCode::Enter);
    pick_enough(&mut t);
    key(&mut t, KeyCode::Enter);
    keys(&mut t, "f");
    keys(&mut t, "q");

    keys(&mut t, "r");
    let s = screen(&t);
    assert!(s.contains("Review centre · All"), "{s}");
    assert!(
        s.contains("[1 All (2)]") && s.contains("3 Bookmarked (1)"),
        "{s}"
    );
    insta::assert_snapshot!("review_centre_all", s);
    keys(&mut t, "3");
    let s = screen(&t);
    let bookmarked = ids(&t, ReviewFilter::Bookmarked);
    assert_eq!(bookmarked.len(), 1);
    assert!(
        s.contains(&bookmarked[0]) && s.contains("Note: check the quota table"),
        "{s}"
    );
    assert!(
        s.contains("[bookmarked] [reported: unclear (open)] "),
        "{s}"
    );
    insta::assert_snapshot!("review_centre_bookmarked", s);
    key(&mut t, KeyCode::Right);
    assert!(screen(&t).contains("Review centre · Flagged"));
    key(&mut t, KeyCode::Left);

    // Practise these: exactly the bookmarked question, then done.
    keys(&mut t, "p");
    let s = screen(&t);
    assert!(s.contains("1 question matches --bookmarked"), "{s}");
    pick_enough(&mut t);
    key(&mut t, KeyCode::Enter);
    key(&mut t, KeyCode::Enter);
    let s = screen(&t);
    assert!(
        s.contains("Every question that matches --bookmarked was asked"),
        "{s}"
    );
    keys(&mut t, "q");

    // u practises questions never answered: a fresh one, not the two answered above.
    keys(&mut t, "r1u");
    let s = screen(&t);
    assert!(s.contains("questions match --unseen"), "{s}");
    for id in ids(&t, ReviewFilter::All) {
        assert!(!s.contains(&id), "{id} was answered: {s}");
    }
    keys(&mut t, "q");

    // b on a list entry removes its bookmark; an empty filter says how to fill it.
    keys(&mut t, "r3b");
    let s = screen(&t);
    assert!(
        s.contains("Bookmark removed") && s.contains("No question here yet"),
        "{s}"
    );
}

#[test]
fn a_note_with_terminal_escapes_is_shown_without_them() {
    let mut t = tui();
    keys(&mut t, "p");
    pick_enough(&mut t);
    key(&mut t, KeyCode::Enter);
    let id = t.app().review(ReviewFilter::All).expect("review")[0]
        .question_id
        .clone();
    // As an imported backup could hold it: an escape sequence that would clear the screen.
    t.app
        .set_question_note(&id, "before\u{1b}[2Jafter\u{7}")
        .expect("note");
    keys(&mut t, "qr");
    let s = screen(&t);
    assert!(s.contains("Note: before[2Jafter"), "{s}");
    assert!(!s.contains('\u{1b}') && !s.contains('\u{7}'));
}
