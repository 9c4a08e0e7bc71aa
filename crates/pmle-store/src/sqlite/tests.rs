use super::*;

fn answer(q: &str, section: &str, correct: bool, at: i64) -> NewAnswer {
    NewAnswer {
        question_id: q.into(),
        section_id: section.into(),
        mode: Mode::Practice,
        session_id: None,
        shown_order: vec![2, 0, 1, 3],
        chosen: vec![0],
        correct,
        answered_at_ms: at,
        duration_ms: Some(1200),
    }
}

#[test]
fn records_and_reads_back() {
    let mut s = SqliteStore::open_in_memory().unwrap();
    let a = answer("q1", "s1", true, 10);
    let id = s.record_answer(&a).unwrap();
    let all = s.answers().unwrap();
    assert_eq!(all, vec![AnswerRecord { id, answer: a }]);
}

#[test]
fn tallies() {
    let mut s = SqliteStore::open_in_memory().unwrap();
    s.record_answer(&answer("q1", "s1", true, 1)).unwrap();
    s.record_answer(&answer("q1", "s1", false, 2)).unwrap();
    s.record_answer(&answer("q2", "s2", true, 3)).unwrap();
    assert_eq!(
        s.tally().unwrap(),
        Tally {
            answers: 3,
            correct: 2
        }
    );
    let by = s.tally_by_section().unwrap();
    assert_eq!(
        by,
        vec![
            (
                "s1".to_owned(),
                Tally {
                    answers: 2,
                    correct: 1
                }
            ),
            (
                "s2".to_owned(),
                Tally {
                    answers: 1,
                    correct: 1
                }
            ),
        ]
    );
    let h = s.question_history().unwrap();
    assert_eq!(h[0].question_id, "q1");
    assert_eq!(
        h[0].tally,
        Tally {
            answers: 2,
            correct: 1
        }
    );
    assert!(!h[0].last_correct);
    assert_eq!(h[0].last_answered_at_ms, 2);
}

#[test]
fn empty_tally_is_zero() {
    let s = SqliteStore::open_in_memory().unwrap();
    assert_eq!(s.tally().unwrap(), Tally::default());
}

#[test]
fn answers_survive_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/dir/pmle.sqlite3");
    {
        let mut s = SqliteStore::open(&path).unwrap();
        s.record_answer(&answer("q1", "s1", true, 1)).unwrap();
    }
    let s = SqliteStore::open(&path).unwrap();
    assert_eq!(s.tally().unwrap().answers, 1);
    let mode: String = s
        .conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn garbage_file_is_not_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("junk.sqlite3");
    std::fs::write(
        &path,
        b"this is not sqlite, just some text that is long enough to matter ".repeat(100),
    )
    .unwrap();
    let err = SqliteStore::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::NotADatabase { .. }), "{err:?}");
    assert!(err.to_string().contains("move it aside"));
}

#[test]
fn newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.sqlite3");
    {
        let c = Connection::open(&path).unwrap();
        c.pragma_update(None, "user_version", 99).unwrap();
    }
    let err = SqliteStore::open(&path).unwrap_err();
    assert!(
        matches!(err, StoreError::TooNew { found: 99, .. }),
        "{err:?}"
    );
}

fn exam_record() -> ExamRecord {
    let item = |p: usize, q: &str| crate::ExamItemRecord {
        position: p,
        question_id: q.into(),
        section_id: "s1".into(),
        shown_order: vec![1, 0, 2, 3],
        chosen: None,
        flagged: false,
        time_ms: 0,
    };
    ExamRecord {
        id: 0,
        seed: 7,
        variant: "full".into(),
        section_id: None,
        time_limit_ms: 120 * 60_000,
        elapsed_ms: 0,
        current: 0,
        started_at_ms: 100,
        updated_at_ms: 100,
        submitted_at_ms: None,
        auto_submitted: false,
        items: vec![item(0, "q1"), item(1, "q2")],
    }
}

#[test]
fn exams_save_items_and_submit_atomically() {
    let mut s = SqliteStore::open_in_memory().unwrap();
    let id = s.create_exam(&exam_record()).unwrap();
    let update = crate::ExamItemUpdate {
        position: 1,
        chosen: Some(vec![2]),
        flagged: true,
        time_ms: 900,
    };
    s.save_exam_item(id, &update, 5_000, 1, 200).unwrap();
    let e = s.unfinished_exam().unwrap().unwrap();
    assert_eq!((e.elapsed_ms, e.current), (5_000, 1));
    assert_eq!(e.items[1].chosen, Some(vec![2]));
    assert!(e.items[1].flagged);
    assert_eq!(e.items[0].chosen, None);
    let a = answer("q2", "s1", false, 300);
    s.submit_exam(id, 6_000, 300, false, std::slice::from_ref(&a))
        .unwrap();
    assert!(s.unfinished_exam().unwrap().is_none());
    assert_eq!(s.finished_exams().unwrap()[0].submitted_at_ms, Some(300));
    // Submitting twice records the answers once.
    s.submit_exam(id, 6_000, 400, false, &[a]).unwrap();
    assert_eq!(s.tally().unwrap().answers, 1);
    let bad = crate::ExamItemUpdate {
        position: 9,
        chosen: None,
        flagged: false,
        time_ms: 0,
    };
    assert!(s.save_exam_item(id, &bad, 0, 0, 0).is_err());
}

#[test]
fn reviews_update_the_schedule_and_the_log() {
    let mut s = SqliteStore::open_in_memory().unwrap();
    let mut row = crate::ScheduleRow {
        kind: crate::ItemKind::Card,
        item_id: "c1".into(),
        stability: 2.3,
        difficulty: 5.0,
        last_review_at_ms: 10,
        due_at_ms: 1000,
        reps: 1,
        lapses: 0,
    };
    s.record_review(&row, 3).unwrap();
    row.due_at_ms = 5000;
    row.reps = 2;
    s.record_review(&row, 4).unwrap();
    assert_eq!(s.schedule().unwrap(), vec![row]);
    let log = s.reviews().unwrap();
    assert_eq!(log.iter().map(|r| r.rating).collect::<Vec<_>>(), vec![3, 4]);
}

#[test]
fn settings_round_trip() {
    let mut s = SqliteStore::open_in_memory().unwrap();
    assert_eq!(s.setting("x").unwrap(), None);
    s.set_setting("x", "0.9").unwrap();
    s.set_setting("x", "0.85").unwrap();
    assert_eq!(s.setting("x").unwrap().as_deref(), Some("0.85"));
}

#[test]
fn change_token_moves_on_every_commit_from_anyone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.sqlite3");
    let mut mine = SqliteStore::open(&path).unwrap();
    let mut other = SqliteStore::open(&path).unwrap();
    let t0 = mine.change_token().unwrap();
    assert_eq!(mine.change_token().unwrap(), t0, "reading changes nothing");
    mine.record_answer(&answer("q1", "s1", true, 1)).unwrap();
    let t1 = mine.change_token().unwrap();
    assert_ne!(t1, t0, "our own commit");
    other.set_setting("k", "1").unwrap();
    let t2 = mine.change_token().unwrap();
    assert_ne!(t2, t1, "another process's commit");
    assert_eq!(mine.change_token().unwrap(), t2);
}
