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
        version: 0,
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
        abandoned_at_ms: None,
        items: vec![item(0, "q1"), item(1, "q2")],
        version: 0,
    }
}

fn answer_q(position: usize, chosen: &[usize], seen_version: i64) -> crate::ExamItemChange {
    crate::ExamItemChange::Answer {
        position,
        chosen: Some(chosen.to_vec()),
        seen_version,
    }
}

fn act(since_ms: i64, now_ms: i64, change: Option<crate::ExamItemChange>) -> crate::ExamWrite {
    crate::ExamWrite {
        since_ms,
        now_ms,
        current: 0,
        time_spent: None,
        change,
    }
}

#[test]
fn exams_save_items_and_submit_atomically() {
    let mut s = SqliteStore::open_in_memory().unwrap();
    let id = s.create_exam(&exam_record()).unwrap();
    let w = crate::ExamWrite {
        since_ms: 100,
        now_ms: 5_100,
        current: 1,
        time_spent: Some((1, 900)),
        change: Some(answer_q(1, &[2], 0)),
    };
    let e = s.write_exam(id, &w).unwrap();
    assert_eq!(
        e,
        s.unfinished_exam().unwrap().unwrap(),
        "returns what is saved"
    );
    assert_eq!(
        (e.elapsed_ms, e.current, e.updated_at_ms),
        (5_000, 1, 5_100)
    );
    assert_eq!(e.items[1].chosen, Some(vec![2]));
    assert_eq!((e.items[1].time_ms, e.items[1].version), (900, 1));
    assert_eq!(e.items[0].chosen, None);
    let flag = crate::ExamItemChange::Flag {
        position: 1,
        flagged: true,
    };
    let e = s.write_exam(id, &act(5_100, 5_200, Some(flag))).unwrap();
    assert!(e.items[1].flagged);
    assert_eq!(e.items[1].version, 1, "a flag is not a change of answer");
    let a = answer("q2", "s1", false, 300);
    let submit = |seen_version, answers| crate::ExamSubmit {
        seen_version,
        since_ms: 5_200,
        now_ms: 6_200,
        auto: false,
        answers,
    };
    let stale = s.submit_exam(id, &submit(e.version - 1, std::slice::from_ref(&a)));
    assert!(
        matches!(stale, Err(StoreError::Conflict { position: None, .. })),
        "scored from an older copy: {stale:?}"
    );
    assert_eq!(s.tally().unwrap().answers, 0);
    s.submit_exam(id, &submit(e.version, std::slice::from_ref(&a)))
        .unwrap();
    assert!(s.unfinished_exam().unwrap().is_none());
    let done = &s.finished_exams().unwrap()[0];
    assert_eq!(
        (done.submitted_at_ms, done.elapsed_ms),
        (Some(6_200), 6_100)
    );
    // Submitting twice records the answers once, and says why.
    let again = s.submit_exam(id, &submit(done.version, std::slice::from_ref(&a)));
    assert!(
        matches!(again, Err(StoreError::ExamSubmitted(x)) if x == id),
        "{again:?}"
    );
    assert_eq!(s.tally().unwrap().answers, 1);
    // Nothing more is written into a submitted exam.
    let late = s.write_exam(id, &act(6_200, 7_000, Some(answer_q(0, &[1], 0))));
    assert!(
        matches!(late, Err(StoreError::ExamSubmitted(_))),
        "{late:?}"
    );
    assert_eq!(s.exam(id).unwrap().unwrap().items[0].chosen, None);
    let other = s.create_exam(&exam_record()).unwrap();
    let bad = s.write_exam(other, &act(100, 100, Some(answer_q(9, &[0], 0))));
    assert!(matches!(bad, Err(StoreError::Corrupt(_))), "{bad:?}");
    let gone = s.write_exam(999, &act(100, 100, None));
    assert!(matches!(gone, Err(StoreError::NoExam(999))), "{gone:?}");
}

#[test]
fn a_stale_exam_answer_is_refused_not_written_back() {
    let mut s = SqliteStore::open_in_memory().unwrap();
    let id = s.create_exam(&exam_record()).unwrap();
    // Front end A answers question 1 (it showed version 0).
    s.write_exam(id, &act(100, 200, Some(answer_q(0, &[1], 0))))
        .unwrap();
    // Front end B still shows version 0 with no answer and sends another choice: refused.
    let stale = s.write_exam(id, &act(100, 300, Some(answer_q(0, &[3], 0))));
    assert!(
        matches!(
            stale,
            Err(StoreError::Conflict {
                position: Some(0),
                ..
            })
        ),
        "{stale:?}"
    );
    let e = s.exam(id).unwrap().unwrap();
    assert_eq!(e.items[0].chosen, Some(vec![1]), "A's answer stands");
    assert_eq!(
        e.elapsed_ms, 100,
        "the refused write moved nothing, not even the clock"
    );
    // Sending the answer that is saved is no conflict (the same options, in any order).
    let mut two = exam_record();
    two.items[1].chosen = Some(vec![0, 2]);
    let id2 = s.create_exam(&two).unwrap();
    let e = s
        .write_exam(id2, &act(100, 200, Some(answer_q(1, &[2, 0], 7))))
        .unwrap();
    assert_eq!(e.items[1].version, 0);
    // Having re-read (version 1), B may replace A's answer.
    let e = s
        .write_exam(id, &act(300, 400, Some(answer_q(0, &[3], 1))))
        .unwrap();
    assert_eq!(
        (e.items[0].chosen.clone(), e.items[0].version),
        (Some(vec![3]), 2)
    );
}

#[test]
fn the_exam_clock_counts_wall_time_once_and_never_goes_back() {
    let mut s = SqliteStore::open_in_memory().unwrap();
    let id = s.create_exam(&exam_record()).unwrap(); // updated_at 100
    // A has run it since 100 (its last save); B opened it at 1_000.
    let e = s.write_exam(id, &act(100, 1_500, None)).unwrap();
    assert_eq!(e.elapsed_ms, 1_400, "A counts from its last save");
    let e = s.write_exam(id, &act(1_000, 2_000, None)).unwrap();
    assert_eq!(
        e.elapsed_ms, 1_900,
        "B counts only what A has not: 1_500 to 2_000"
    );
    let e = s.write_exam(id, &act(1_500, 2_000, None)).unwrap();
    assert_eq!(e.elapsed_ms, 1_900, "both ran to 2_000: counted once");
    // A writer whose clock is behind (now before the last save) adds nothing.
    let e = s.write_exam(id, &act(100, 1_500, None)).unwrap();
    assert_eq!((e.elapsed_ms, e.updated_at_ms), (1_900, 2_000));
    // Nor does the clock pass the limit by counting.
    let e = s
        .write_exam(id, &act(2_000, 2_000 + 10 * 3_600_000, None))
        .unwrap();
    assert_eq!(e.elapsed_ms, e.time_limit_ms);
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

#[test]
fn a_prediction_is_kept_once_per_exam() {
    let mut s = SqliteStore::open_in_memory().unwrap();
    let id = s.create_exam(&exam_record()).unwrap();
    assert!(s.predictions().unwrap().is_empty());
    let p = ExamPrediction {
        exam_id: id,
        predicted: 0.72,
        low: 0.6,
        high: 0.83,
        made_at_ms: 1_000,
    };
    s.record_prediction(&p).unwrap();
    // A second prediction for the same exam does not replace what was said before it.
    s.record_prediction(&ExamPrediction {
        predicted: 0.1,
        ..p
    })
    .unwrap();
    assert_eq!(s.predictions().unwrap(), vec![p]);
    // The prediction refers to an exam that exists.
    assert!(
        s.record_prediction(&ExamPrediction {
            exam_id: id + 99,
            ..p
        })
        .is_err()
    );
}

#[test]
fn an_abandoned_exam_is_kept_unscored_and_takes_no_more_writes() {
    let mut s = SqliteStore::open_in_memory().unwrap();
    let id = s.create_exam(&exam_record()).unwrap();
    let e = s
        .write_exam(id, &act(100, 1_100, Some(answer_q(0, &[1], 0))))
        .unwrap();
    assert_eq!(e.status(), crate::ExamStatus::Running);
    s.abandon_exam(id, 2_000).unwrap();
    assert!(
        s.unfinished_exam().unwrap().is_none(),
        "no longer resumable"
    );
    assert!(s.finished_exams().unwrap().is_empty(), "not in the history");
    assert_eq!(s.tally().unwrap().answers, 0, "its answer is not recorded");
    let kept = s.exam(id).unwrap().expect("the row is kept");
    assert_eq!(kept.status(), crate::ExamStatus::Abandoned);
    assert_eq!(kept.abandoned_at_ms, Some(2_000));
    assert_eq!(kept.items[0].chosen, Some(vec![1]), "what was done is kept");
    let write = s.write_exam(id, &act(2_000, 3_000, None));
    assert!(
        matches!(write, Err(StoreError::ExamAbandoned(x)) if x == id),
        "{write:?}"
    );
    let submit = s.submit_exam(
        id,
        &crate::ExamSubmit {
            seen_version: kept.version,
            since_ms: 2_000,
            now_ms: 3_000,
            auto: false,
            answers: &[],
        },
    );
    assert!(
        matches!(submit, Err(StoreError::ExamAbandoned(_))),
        "{submit:?}"
    );
    let twice = s.abandon_exam(id, 4_000);
    assert!(
        matches!(twice, Err(StoreError::ExamAbandoned(_))),
        "{twice:?}"
    );
    // A submitted exam cannot be abandoned.
    let other = s.create_exam(&exam_record()).unwrap();
    let e = s.exam(other).unwrap().unwrap();
    s.submit_exam(
        other,
        &crate::ExamSubmit {
            seen_version: e.version,
            since_ms: 100,
            now_ms: 200,
            auto: false,
            answers: &[],
        },
    )
    .unwrap();
    let late = s.abandon_exam(other, 300);
    assert!(
        matches!(late, Err(StoreError::ExamSubmitted(_))),
        "{late:?}"
    );
    assert!(matches!(s.abandon_exam(99, 1), Err(StoreError::NoExam(99))));
}

#[test]
fn abandoned_exams_travel_in_the_backup() {
    let mut a = SqliteStore::open_in_memory().unwrap();
    let id = a.create_exam(&exam_record()).unwrap();
    a.abandon_exam(id, 2_000).unwrap();
    let backup = a.export_backup().unwrap();
    assert_eq!(backup.schema_version, crate::BACKUP_SCHEMA_VERSION);
    assert_eq!(backup.exams[0].abandoned_at_ms, Some(2_000));
    let mut b = SqliteStore::open_in_memory().unwrap();
    b.import_backup(&backup).unwrap();
    assert!(b.unfinished_exam().unwrap().is_none(), "not resurrected");
    assert_eq!(
        b.exam(id).unwrap().unwrap().status(),
        crate::ExamStatus::Abandoned
    );
    // A schema 2 file has no `abandoned_at_ms`: its exams read as not abandoned.
    let mut v = serde_json::to_value(&backup).unwrap();
    v["schema_version"] = 2.into();
    v["exams"][0]
        .as_object_mut()
        .unwrap()
        .remove("abandoned_at_ms");
    let old: crate::Backup = serde_json::from_value(v).unwrap();
    assert_eq!(old.exams[0].abandoned_at_ms, None);
    let mut c = SqliteStore::open_in_memory().unwrap();
    c.import_backup(&old).unwrap();
    assert_eq!(c.unfinished_exam().unwrap().map(|e| e.id), Some(id));
}

#[test]
fn marks_notes_and_reports_are_stored_and_merge_without_loss() {
    use crate::{MarkKind, NewReport, ReportReason, ReportStatus};
    let mut a = SqliteStore::open_in_memory().unwrap();
    assert!(a.set_mark("q1", MarkKind::Bookmark, true, 10).unwrap());
    assert!(
        !a.set_mark("q1", MarkKind::Bookmark, true, 11).unwrap(),
        "already set"
    );
    assert!(a.set_mark("q2", MarkKind::Flag, true, 12).unwrap());
    assert!(a.set_mark("q2", MarkKind::Flag, false, 13).unwrap());
    assert!(!a.set_mark("q2", MarkKind::Flag, false, 14).unwrap());
    let marks = a.marks().unwrap();
    assert_eq!(marks.len(), 1);
    assert_eq!(
        (marks[0].question_id.as_str(), marks[0].mark),
        ("q1", MarkKind::Bookmark)
    );
    assert!(!a.set_note("q1", Some("first"), 20).unwrap());
    assert!(a.set_note("q1", Some("second"), 21).unwrap());
    let notes = a.notes().unwrap();
    assert_eq!(notes.len(), 1, "setting replaces: {notes:?}");
    assert_eq!(notes[0].text, "second");
    let report = NewReport {
        question_id: "q3".into(),
        reason: ReportReason::WrongKey,
        text: Some("B is right".into()),
        created_at_ms: 30,
        status: ReportStatus::Open,
    };
    let id = a.add_report(&report).unwrap();
    assert_eq!(a.reports().unwrap()[0].id, id);
    assert_eq!(a.reports().unwrap()[0].report, report);
    // The database refuses what the app would refuse too.
    let long = "x".repeat(crate::MAX_NOTE_CHARS + 1);
    assert!(a.set_note("q1", Some(&long), 22).is_err());
    assert_eq!(
        a.notes().unwrap()[0].text,
        "second",
        "a refused note changes nothing"
    );

    let backup = a.export_backup().unwrap();
    assert_eq!(backup.schema_version, 4);
    assert_eq!(backup.marks.len(), 1);
    assert_eq!(backup.notes.len(), 1);
    assert_eq!(backup.reports, vec![report.clone()]);

    // Another database with its own, newer note on q1 and another report.
    let mut b = SqliteStore::open_in_memory().unwrap();
    b.set_note("q1", Some("mine"), 40).unwrap();
    b.add_report(&NewReport {
        reason: ReportReason::Typo,
        text: None,
        ..report.clone()
    })
    .unwrap();
    let sum = b.import_backup(&backup).unwrap();
    assert_eq!(sum.marks_notes_reports_added, 3);
    let notes = b.notes().unwrap();
    let texts: Vec<&str> = notes.iter().map(|n| n.text.as_str()).collect();
    assert_eq!(texts, vec!["second", "mine"], "both kept, the newest last");
    assert_eq!(b.reports().unwrap().len(), 2);
    assert_eq!(b.marks().unwrap().len(), 1);
    // Idempotent.
    let again = b.import_backup(&backup).unwrap();
    assert_eq!(again.marks_notes_reports_added, 0);
    assert_eq!(b.notes().unwrap().len(), 2);
    assert_eq!(b.reports().unwrap().len(), 2);

    // A schema 3 file has none of them and still imports.
    let mut v = serde_json::to_value(&backup).unwrap();
    v["schema_version"] = 3.into();
    for k in ["marks", "notes", "reports"] {
        v.as_object_mut().unwrap().remove(k);
    }
    let old: crate::Backup = serde_json::from_value(v).unwrap();
    let mut c = SqliteStore::open_in_memory().unwrap();
    c.import_backup(&old).unwrap();
    assert!(c.marks().unwrap().is_empty() && c.reports().unwrap().is_empty());
}
