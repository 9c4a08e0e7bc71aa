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
