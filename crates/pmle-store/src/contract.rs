//! The contract of [`Store`], one suite for every backend, so that they cannot drift.
//!
//! Each test is a function of a [`Backend`]; `contract_tests!` turns the list into `#[test]`s
//! for a backend (SQLite in `sqlite/tests.rs`, PostgreSQL in `postgres/tests.rs`). A test
//! that must hold for any store belongs here; one about a backend's files, locks or
//! connection belongs beside that backend.

use crate::{
    AnswerRecord, Backup, ExamPrediction, ExamRecord, Mode, NewAnswer, Store, StoreError, Tally,
};

/// A fresh, empty database of one backend, alive as long as this value.
pub(crate) trait Backend {
    /// A new connection to this database (two calls: two front ends on one database).
    fn open(&self) -> Box<dyn Store>;
    /// Another fresh, empty database of the same backend.
    fn another(&self) -> Box<dyn Backend>;
}

/// `#[test]`s running every contract test against the backend `$make` returns (an
/// `Option<impl Backend>`; `None` skips, e.g. PostgreSQL without a test server).
macro_rules! contract_tests {
    ($make:expr) => {
        $crate::contract::contract_tests!(@each $make;
            records_and_reads_back,
            tallies,
            empty_tally_is_zero,
            exams_save_items_and_submit_atomically,
            a_stale_exam_answer_is_refused_not_written_back,
            the_exam_clock_counts_wall_time_once_and_never_goes_back,
            reviews_update_the_schedule_and_the_log,
            settings_round_trip,
            change_token_moves_on_every_commit_from_anyone,
            a_prediction_is_kept_once_per_exam,
            an_abandoned_exam_is_kept_unscored_and_takes_no_more_writes,
            abandoned_exams_travel_in_the_backup,
            ids_grow_and_orders_are_stable,
            a_backup_restores_exactly_and_merges_idempotently,
            concurrent_writers_on_separate_connections_all_succeed,
            an_exam_answered_from_two_connections_keeps_both_answers,
            settings_can_be_deleted,
            an_import_mixing_kept_and_taken_exam_ids_gives_each_its_own,
            marks_notes_and_reports_are_stored_and_merge_without_loss,
            note_and_report_lengths_are_counted_in_characters,
            marks_notes_and_reports_read_in_a_stable_order,
            a_report_is_triaged_and_the_triage_travels_in_the_backup,
        );
    };
    (@each $make:expr; $($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                if let Some(backend) = $make {
                    $crate::contract::$name(&backend);
                }
            }
        )*
    };
}
pub(crate) use contract_tests;

mod exams;
mod marks;
pub(crate) use exams::*;
pub(crate) use marks::*;

pub(crate) fn answer(q: &str, section: &str, correct: bool, at: i64) -> NewAnswer {
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

pub(crate) fn records_and_reads_back(b: &dyn Backend) {
    let mut s = b.open();
    let a = answer("q1", "s1", true, 10);
    let id = s.record_answer(&a).unwrap();
    let all = s.answers().unwrap();
    assert_eq!(all, vec![AnswerRecord { id, answer: a }]);
}

pub(crate) fn tallies(b: &dyn Backend) {
    let mut s = b.open();
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

pub(crate) fn empty_tally_is_zero(b: &dyn Backend) {
    let s = b.open();
    assert_eq!(s.tally().unwrap(), Tally::default());
}

pub(crate) fn exam_record() -> ExamRecord {
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

pub(crate) fn answer_q(
    position: usize,
    chosen: &[usize],
    seen_version: i64,
) -> crate::ExamItemChange {
    crate::ExamItemChange::Answer {
        position,
        chosen: Some(chosen.to_vec()),
        seen_version,
    }
}

pub(crate) fn act(
    since_ms: i64,
    now_ms: i64,
    change: Option<crate::ExamItemChange>,
) -> crate::ExamWrite {
    crate::ExamWrite {
        since_ms,
        now_ms,
        current: 0,
        time_spent: None,
        change,
    }
}

pub(crate) fn reviews_update_the_schedule_and_the_log(b: &dyn Backend) {
    let mut s = b.open();
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

pub(crate) fn settings_round_trip(b: &dyn Backend) {
    let mut s = b.open();
    assert_eq!(s.setting("x").unwrap(), None);
    s.set_setting("x", "0.9").unwrap();
    s.set_setting("x", "0.85").unwrap();
    assert_eq!(s.setting("x").unwrap().as_deref(), Some("0.85"));
}

pub(crate) fn change_token_moves_on_every_commit_from_anyone(b: &dyn Backend) {
    let mut mine = b.open();
    let mut other = b.open();
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

pub(crate) fn abandoned_exams_travel_in_the_backup(b: &dyn Backend) {
    let mut a = b.open();
    let id = a.create_exam(&exam_record()).unwrap();
    a.abandon_exam(id, 2_000).unwrap();
    let backup = a.export_backup().unwrap();
    assert_eq!(backup.schema_version, crate::BACKUP_SCHEMA_VERSION);
    assert_eq!(backup.exams[0].abandoned_at_ms, Some(2_000));
    let db_b = b.another();
    let mut s = db_b.open();
    s.import_backup(&backup).unwrap();
    assert!(s.unfinished_exam().unwrap().is_none(), "not resurrected");
    assert_eq!(
        s.exam(id).unwrap().unwrap().status(),
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
    let db_c = b.another();
    let mut c = db_c.open();
    c.import_backup(&old).unwrap();
    assert_eq!(c.unfinished_exam().unwrap().map(|e| e.id), Some(id));
}

pub(crate) fn ids_grow_and_orders_are_stable(b: &dyn Backend) {
    let mut s = b.open();
    // Inserted out of time order, in sections and questions whose byte order differs from
    // a dictionary's ("B" < "a" < "b"; "s10" < "s2").
    let ids: Vec<i64> = [
        answer("b", "s2", true, 30),
        answer("B", "s10", false, 10),
        answer("a", "s2", true, 10),
        answer("b", "s2", false, 20),
    ]
    .iter()
    .map(|a| s.record_answer(a).unwrap())
    .collect();
    assert!(ids.windows(2).all(|w| w[1] > w[0]), "{ids:?}");
    let order: Vec<(i64, &str)> = s
        .answers()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r.answer.answered_at_ms,
                if r.id == ids[1] {
                    "B"
                } else if r.id == ids[2] {
                    "a"
                } else {
                    "b"
                },
            )
        })
        .collect();
    assert_eq!(
        order,
        vec![(10, "B"), (10, "a"), (20, "b"), (30, "b")],
        "time, then id"
    );
    let sections: Vec<String> = s
        .tally_by_section()
        .unwrap()
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert_eq!(sections, vec!["s10", "s2"]);
    let history = s.question_history().unwrap();
    let questions: Vec<&str> = history.iter().map(|h| h.question_id.as_str()).collect();
    assert_eq!(questions, vec!["B", "a", "b"]);
    // The last answer of "b" is the latest one (at 30, correct), not the last inserted.
    assert_eq!(
        (history[2].last_answered_at_ms, history[2].last_correct),
        (30, true)
    );
    let e1 = s.create_exam(&exam_record()).unwrap();
    let e2 = s.create_exam(&exam_record()).unwrap();
    assert!(e2 > e1);
    // Two running exams started at the same moment: the newer id is resumed.
    assert_eq!(s.unfinished_exam().unwrap().map(|e| e.id), Some(e2));
    let due = |item: &str, due_at_ms: i64| crate::ScheduleRow {
        kind: crate::ItemKind::Card,
        item_id: item.into(),
        stability: 1.5,
        difficulty: 4.25,
        last_review_at_ms: 1,
        due_at_ms,
        reps: u32::MAX,
        lapses: 0,
    };
    let rows = [due("z", 5), due("a", 9), due("Z", 5)];
    for r in &rows {
        s.record_review(r, 3).unwrap();
    }
    let sched = s.schedule().unwrap();
    let items: Vec<&str> = sched.iter().map(|r| r.item_id.as_str()).collect();
    assert_eq!(items, vec!["Z", "z", "a"], "by due date, then kind and id");
    assert_eq!(
        sched[0], rows[2],
        "floats and u32 counts round-trip exactly"
    );
}

pub(crate) fn full_backup(s: &mut dyn Store) -> Backup {
    let exam = s.create_exam(&exam_record()).unwrap();
    let mut section = exam_record();
    section.variant = "section".into();
    section.section_id = Some("s1".into());
    section.started_at_ms = 500;
    let other = s.create_exam(&section).unwrap();
    s.write_exam(exam, &act(100, 900, Some(answer_q(0, &[1], 0))))
        .unwrap();
    let e = s.exam(exam).unwrap().unwrap();
    let mut a = answer("q1", "s1", true, 950);
    a.mode = Mode::Exam;
    a.session_id = Some(format!("exam-{exam}"));
    s.submit_exam(
        exam,
        &crate::ExamSubmit {
            seen_version: e.version,
            since_ms: 900,
            now_ms: 1_000,
            auto: true,
            answers: std::slice::from_ref(&a),
        },
    )
    .unwrap();
    s.record_prediction(&ExamPrediction {
        exam_id: other,
        predicted: 0.5,
        low: 0.25,
        high: 0.75,
        made_at_ms: 500,
    })
    .unwrap();
    s.record_answer(&answer("q2", "s2", false, 2_000)).unwrap();
    s.record_review(
        &crate::ScheduleRow {
            kind: crate::ItemKind::Question,
            item_id: "q2".into(),
            stability: 0.3,
            difficulty: 7.0,
            last_review_at_ms: 2_000,
            due_at_ms: 90_000,
            reps: 1,
            lapses: 1,
        },
        1,
    )
    .unwrap();
    s.set_setting("retention", "0.9").unwrap();
    s.set_setting("exam", "{\"length\":50}").unwrap();
    s.set_mark("q1", crate::MarkKind::Bookmark, true, 2_100)
        .unwrap();
    s.set_note("q2", Some("check the split"), 2_200).unwrap();
    s.add_report(&crate::NewReport {
        question_id: "q2".into(),
        reason: crate::ReportReason::Unclear,
        text: None,
        created_at_ms: 2_300,
        status: crate::ReportStatus::Open,
        triage: None,
    })
    .unwrap();
    s.export_backup().unwrap()
}

pub(crate) fn a_backup_restores_exactly_and_merges_idempotently(b: &dyn Backend) {
    let mut source = b.open();
    let backup = full_backup(source.as_mut());
    assert_eq!((backup.answers.len(), backup.exams.len()), (2, 2));
    assert_eq!(
        (backup.marks.len(), backup.notes.len(), backup.reports.len()),
        (1, 1, 1)
    );
    // A restore into an empty database reproduces the source, ids included.
    let restored_db = b.another();
    let mut restored = restored_db.open();
    let sum = restored.import_backup(&backup).unwrap();
    assert_eq!(
        (
            sum.answers_added,
            sum.exams_added,
            sum.reviews_added,
            sum.schedule_updated,
            sum.settings_set,
            sum.marks_notes_reports_added
        ),
        (2, 2, 1, 1, 2, 3)
    );
    assert_eq!(
        unversioned(restored.export_backup().unwrap()),
        unversioned(backup.clone())
    );
    // Importing it again changes nothing.
    let token = restored.change_token().unwrap();
    let again = restored.import_backup(&backup).unwrap();
    assert_eq!(
        (
            again.answers_added,
            again.exams_added,
            again.reviews_added,
            again.schedule_updated,
            again.settings_set,
            again.marks_notes_reports_added
        ),
        (0, 0, 0, 0, 0, 0)
    );
    assert_eq!(
        (
            again.answers_skipped,
            again.exams_skipped,
            again.reviews_skipped
        ),
        (2, 2, 1)
    );
    assert_eq!(
        unversioned(restored.export_backup().unwrap()),
        unversioned(backup.clone())
    );
    // A new exam after a restore gets an id after the restored ones.
    let next = restored.create_exam(&exam_record()).unwrap();
    assert!(backup.exams.iter().all(|e| e.id < next), "{next}");
    assert_ne!(restored.change_token().unwrap(), token);
    // Merged into a database whose exam ids are taken, exams get new ids and the exam's
    // answers follow them.
    let busy_db = b.another();
    let mut busy = busy_db.open();
    let mut mine = exam_record();
    mine.started_at_ms = 42;
    let taken = [
        busy.create_exam(&mine).unwrap(),
        busy.create_exam(&mine).unwrap(),
    ];
    let sum = busy.import_backup(&backup).unwrap();
    assert_eq!((sum.exams_added, sum.answers_added), (2, 2));
    let merged = busy.export_backup().unwrap();
    assert_eq!(merged.exams.len(), 4);
    let submitted = merged
        .exams
        .iter()
        .find(|e| e.submitted_at_ms.is_some())
        .unwrap();
    assert!(!taken.contains(&submitted.id));
    let exam_answer = merged
        .answers
        .iter()
        .find(|a| a.mode == Mode::Exam)
        .unwrap();
    assert_eq!(
        exam_answer.session_id,
        Some(format!("exam-{}", submitted.id))
    );
    assert_eq!(merged.predictions.len(), 1);
    assert!(!taken.contains(&merged.predictions[0].exam_id));
    assert_eq!(
        busy.import_backup(&backup).unwrap().answers_added,
        0,
        "idempotent"
    );
}

pub(crate) fn concurrent_writers_on_separate_connections_all_succeed(b: &dyn Backend) {
    const WRITERS: i64 = 4;
    const ROUNDS: i64 = 15;
    let stores: Vec<Box<dyn Store>> = (0..WRITERS).map(|_| b.open()).collect();
    let threads: Vec<_> = stores
        .into_iter()
        .enumerate()
        .map(|(w, mut s)| {
            let w = w as i64;
            std::thread::spawn(move || -> Result<(), String> {
                for r in 0..ROUNDS {
                    let at = 1_000_000 + w * 10_000 + r * 2;
                    let mut backup = empty_backup();
                    backup
                        .answers
                        .push(answer(&format!("q{w}"), "s1", true, at));
                    // An import reads (is it there already?) and then writes.
                    s.import_backup(&backup)
                        .map_err(|e| format!("writer {w} import {r}: {e}"))?;
                    s.record_answer(&answer(&format!("q{w}"), "s1", true, at + 1))
                        .map_err(|e| format!("writer {w} answer {r}: {e}"))?;
                    s.set_setting("settings", &format!("{{\"recent_window\":{r}}}"))
                        .map_err(|e| format!("writer {w} setting {r}: {e}"))?;
                }
                Ok(())
            })
        })
        .collect();
    let failures: Vec<String> = threads
        .into_iter()
        .filter_map(|t| t.join().unwrap().err())
        .collect();
    assert!(failures.is_empty(), "{failures:?}");
    assert_eq!(
        b.open().tally().unwrap().answers,
        (WRITERS * ROUNDS * 2) as u64
    );
}

pub(crate) fn settings_can_be_deleted(b: &dyn Backend) {
    let mut s = b.open();
    s.set_setting("k", "1").unwrap();
    assert!(s.delete_setting("k").unwrap());
    assert!(!s.delete_setting("k").unwrap());
    assert_eq!(s.setting("k").unwrap(), None);
    assert!(s.export_backup().unwrap().settings.is_empty());
}

pub(crate) fn empty_backup() -> Backup {
    Backup {
        format: crate::BACKUP_FORMAT.into(),
        schema_version: crate::BACKUP_SCHEMA_VERSION,
        pmle_version: "test".into(),
        exported_at_ms: 0,
        pack_id: "pmle".into(),
        answers: Vec::new(),
        exams: Vec::new(),
        schedule: Vec::new(),
        reviews: Vec::new(),
        settings: std::collections::BTreeMap::new(),
        predictions: Vec::new(),
        marks: Vec::new(),
        notes: Vec::new(),
        reports: Vec::new(),
    }
}

/// A backup without the exams' write counters, which a backup does not carry.
fn unversioned(mut b: Backup) -> Backup {
    for e in &mut b.exams {
        e.version = 0;
        for it in &mut e.items {
            it.version = 0;
        }
    }
    b
}

pub(crate) fn an_import_mixing_kept_and_taken_exam_ids_gives_each_its_own(b: &dyn Backend) {
    let mut s = b.open();
    let first = s.create_exam(&exam_record()).unwrap();
    let second = s.create_exam(&exam_record()).unwrap();
    // The file's exam `second + 1` is free here and keeps its id; its exam `first` is taken
    // and needs a new one, which must not be `second + 1` (imported just before).
    let mut backup = empty_backup();
    for (id, started) in [(second + 1, 7_000), (first, 8_000)] {
        let mut e = exam_record();
        e.id = id;
        e.started_at_ms = started;
        backup.exams.push(e);
    }
    let sum = s.import_backup(&backup).unwrap();
    assert_eq!(sum.exams_added, 2);
    let mut ids: Vec<i64> = s
        .export_backup()
        .unwrap()
        .exams
        .iter()
        .map(|e| e.id)
        .collect();
    ids.dedup();
    assert_eq!(ids.len(), 4, "{ids:?}");
    assert!(ids.contains(&(second + 1)));
    let next = s.create_exam(&exam_record()).unwrap();
    assert!(!ids.contains(&next), "{next} after {ids:?}");
}
