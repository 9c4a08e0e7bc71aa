//! Tenancy: learners on one pool never see or change each other's rows, and never wait for
//! each other's writes. Also the contract suite run as a learner beside busy neighbours.

use std::sync::mpsc;

use super::tests::PgBackend;
use super::*;
use crate::contract::{
    Backend, act, answer, answer_q, contract_tests, empty_backup, exam_record, full_backup,
};
use crate::{ExamItemChange, ExamSubmit, ItemKind, ReportReason, ReportStatus};

/// Everything one learner can read through the `Store` trait (the backup without its
/// export time), to compare before and after another learner acts.
#[derive(Debug, PartialEq)]
struct View {
    answers: Vec<AnswerRecord>,
    tally: Tally,
    by_section: Vec<(String, Tally)>,
    history: Vec<QuestionHistory>,
    schedule: Vec<ScheduleRow>,
    reviews: Vec<ReviewRow>,
    unfinished: Option<ExamRecord>,
    exams: Vec<Option<ExamRecord>>,
    finished: Vec<ExamRecord>,
    predictions: Vec<ExamPrediction>,
    marks: Vec<QuestionMark>,
    notes: Vec<QuestionNote>,
    reports: Vec<ReportRecord>,
    settings: Vec<Option<String>>,
    backup: Backup,
}

const KEYS: [&str; 3] = ["retention", "exam", "exam_date"];

fn view(s: &PgStore, exam_ids: &[i64]) -> View {
    let mut backup = s.export_backup().unwrap();
    backup.exported_at_ms = 0;
    View {
        answers: s.answers().unwrap(),
        tally: s.tally().unwrap(),
        by_section: s.tally_by_section().unwrap(),
        history: s.question_history().unwrap(),
        schedule: s.schedule().unwrap(),
        reviews: s.reviews().unwrap(),
        unfinished: s.unfinished_exam().unwrap(),
        exams: exam_ids.iter().map(|&id| s.exam(id).unwrap()).collect(),
        finished: s.finished_exams().unwrap(),
        predictions: s.predictions().unwrap(),
        marks: s.marks().unwrap(),
        notes: s.notes().unwrap(),
        reports: s.reports().unwrap(),
        settings: KEYS.iter().map(|k| s.setting(k).unwrap()).collect(),
        backup,
    }
}

/// What a learner who never wrote reads.
fn empty_view(exam_ids: &[i64]) -> View {
    let mut backup = empty_backup();
    backup.pmle_version = env!("CARGO_PKG_VERSION").to_owned();
    backup.pack_id = String::new();
    View {
        answers: vec![],
        tally: Tally::default(),
        by_section: vec![],
        history: vec![],
        schedule: vec![],
        reviews: vec![],
        unfinished: None,
        exams: vec![None; exam_ids.len()],
        finished: vec![],
        predictions: vec![],
        marks: vec![],
        notes: vec![],
        reports: vec![],
        settings: vec![None; KEYS.len()],
        backup,
    }
}

/// Every write method of `Store`, for one learner: `full_backup` (answers, an exam
/// answered and submitted, a running exam with its prediction, a review, settings, a
/// bookmark, a note, a report) plus an abandoned exam, a flag and an exam date. Returns the
/// learner's exam ids.
fn write_everything(s: &mut PgStore) -> Vec<i64> {
    full_backup(s);
    let mut third = exam_record();
    third.started_at_ms = 3_000;
    let abandoned = s.create_exam(&third).unwrap();
    s.abandon_exam(abandoned, 3_100).unwrap();
    s.set_mark("q2", MarkKind::Flag, true, 3_200).unwrap();
    s.set_setting("exam_date", "\"2027-03-15\"").unwrap();
    let mut ids: Vec<i64> = s
        .export_backup()
        .unwrap()
        .exams
        .iter()
        .map(|e| e.id)
        .collect();
    ids.sort_unstable();
    assert_eq!(ids.len(), 3, "{ids:?}");
    ids
}

#[test]
fn learners_on_one_pool_never_see_or_change_each_others_rows() {
    let Some(b) = PgBackend::new() else { return };
    let pool = b.pool(3).unwrap();
    let (mut a, mut other) = (pool.store_for(1), pool.store_for(2));
    let single = pool.store_for(0); // the database's learner before tenancy

    // A writes with every write method; B (and user 0) read nothing of it, method by method.
    let a_exams = write_everything(&mut a);
    let a_view = view(&a, &a_exams);
    assert_eq!(a_view.answers.len(), 2);
    assert_eq!(a_view.finished.len(), 1);
    assert!(a_view.unfinished.is_some());
    assert_eq!(a_view.marks.len(), 2);
    assert!(a_view.settings.iter().all(Option::is_some));
    let a_token = a.change_token().unwrap();
    assert_ne!(a_token, (0, 0));
    assert_eq!(view(&other, &a_exams), empty_view(&a_exams));
    assert_eq!(view(&single, &a_exams), empty_view(&a_exams));
    assert_eq!(
        other.change_token().unwrap(),
        (0, 0),
        "A's writes moved B's token"
    );
    assert_eq!(single.change_token().unwrap(), (0, 0));

    // B's writes aimed at A's rows are refused or change nothing.
    let running = a_view.unfinished.as_ref().unwrap().id;
    let unpredicted = a_view.finished[0].id;
    let refused = other.write_exam(running, &act(0, 5_000, Some(answer_q(0, &[2], 0))));
    assert!(
        matches!(refused, Err(StoreError::NoExam(id)) if id == running),
        "{refused:?}"
    );
    let flag = ExamItemChange::Flag {
        position: 0,
        flagged: true,
    };
    let refused = other.write_exam(running, &act(0, 5_000, Some(flag)));
    assert!(matches!(refused, Err(StoreError::NoExam(_))), "{refused:?}");
    let refused = other.submit_exam(
        running,
        &ExamSubmit {
            seen_version: a_view.unfinished.as_ref().unwrap().version,
            since_ms: 0,
            now_ms: 5_000,
            auto: false,
            answers: &[],
        },
    );
    assert!(matches!(refused, Err(StoreError::NoExam(_))), "{refused:?}");
    let refused = other.abandon_exam(running, 5_000);
    assert!(matches!(refused, Err(StoreError::NoExam(_))), "{refused:?}");
    let refused = other.record_prediction(&ExamPrediction {
        exam_id: unpredicted,
        predicted: 0.9,
        low: 0.8,
        high: 1.0,
        made_at_ms: 5_000,
    });
    assert!(refused.is_err(), "a prediction under A's exam: {refused:?}");
    assert!(!other.delete_setting("retention").unwrap());
    assert!(
        !other
            .set_mark("q1", MarkKind::Bookmark, false, 5_000)
            .unwrap()
    );
    assert!(!other.set_note("q2", None, 5_000).unwrap());
    assert_eq!(view(&a, &a_exams), a_view, "B's writes changed A's rows");
    assert_eq!(
        a.change_token().unwrap(),
        a_token,
        "B's writes moved A's token"
    );

    // B writes the same questions, items, keys and exam moments with values of its own:
    // per-learner keys, so nothing collides and A's rows stay as they were.
    let b_exams = write_everything(&mut other);
    other.set_setting("retention", "0.8").unwrap();
    other
        .record_review(
            &ScheduleRow {
                kind: ItemKind::Question,
                item_id: "q2".into(),
                stability: 9.0,
                difficulty: 2.0,
                last_review_at_ms: 9_000,
                due_at_ms: 99_000,
                reps: 2,
                lapses: 1,
            },
            3,
        )
        .unwrap();
    other.set_note("q2", Some("B's own note"), 9_100).unwrap();
    other
        .add_report(&NewReport {
            question_id: "q1".into(),
            reason: ReportReason::Typo,
            text: Some("B".into()),
            created_at_ms: 9_200,
            status: ReportStatus::Open,
            triage: None,
        })
        .unwrap();
    assert!(
        b_exams.iter().all(|id| !a_exams.contains(id)),
        "global exam ids"
    );
    assert_eq!(
        view(&a, &a_exams),
        a_view,
        "B's own writes changed A's rows"
    );
    assert_eq!(
        a.change_token().unwrap(),
        a_token,
        "B's own writes moved A's token"
    );
    assert_eq!(view(&a, &b_exams).exams, vec![None; 3], "A reads B's exams");
    let b_view = view(&other, &b_exams);
    assert_eq!(b_view.settings[0].as_deref(), Some("0.8"));
    assert_eq!(a_view.settings[0].as_deref(), Some("0.9"));
    assert_eq!(b_view.schedule.len(), 1);
    assert_eq!(b_view.schedule[0].stability, 9.0);
    assert_eq!(b_view.reviews.len(), 2);
    assert_eq!(b_view.notes.last().unwrap().text, "B's own note");
    assert_eq!(b_view.reports.len(), 2);
    assert_eq!(
        view(&other, &a_exams).exams,
        vec![None; 3],
        "B reads A's exams"
    );
    assert_eq!(view(&single, &a_exams), empty_view(&a_exams));
    // Each learner's own exam writes still work beside the other's.
    let b_running = b_view.unfinished.as_ref().unwrap().id;
    other
        .write_exam(b_running, &act(0, 9_500, Some(answer_q(0, &[3], 0))))
        .unwrap();
    assert_eq!(view(&a, &a_exams), a_view);

    // Deleting: B's delete removes B's setting only.
    assert!(other.delete_setting("exam_date").unwrap());
    assert_eq!(other.setting("exam_date").unwrap(), None);
    assert_eq!(view(&a, &a_exams), a_view);
    assert_eq!(a.change_token().unwrap(), a_token);
}

#[test]
fn imports_and_merges_touch_only_the_importing_learner() {
    let Some(b) = PgBackend::new() else { return };
    let pool = b.pool(2).unwrap();
    let (mut a, mut c) = (pool.store_for(1), pool.store_for(3));
    let a_exams = write_everything(&mut a);
    let a_view = view(&a, &a_exams);
    let a_token = a.change_token().unwrap();

    // C imports A's backup: nothing of it is "already there" (A's identical rows are not
    // C's), so everything is added, under C.
    let sum = c.import_backup(&a_view.backup).unwrap();
    assert_eq!(sum.exams_added, 3, "{sum:?}");
    assert_eq!(sum.exams_skipped, 0, "{sum:?}");
    assert_eq!(sum.answers_added, 2, "{sum:?}");
    assert_eq!(sum.reviews_added, 1, "{sum:?}");
    assert_eq!(sum.schedule_updated, 1, "{sum:?}");
    assert_eq!(sum.settings_set, 3, "{sum:?}");
    assert_eq!(sum.marks_notes_reports_added, 4, "{sum:?}");
    assert_eq!(view(&a, &a_exams), a_view, "C's import changed A's rows");
    assert_eq!(
        a.change_token().unwrap(),
        a_token,
        "C's import moved A's token"
    );
    let c_backup = c.export_backup().unwrap();
    // The same history under new exam ids (A holds the old ones).
    let c_ids: Vec<i64> = c_backup.exams.iter().map(|e| e.id).collect();
    assert!(c_ids.iter().all(|id| !a_exams.contains(id)), "{c_ids:?}");
    assert_eq!(c_backup.answers.len(), a_view.backup.answers.len());
    assert_eq!(c_backup.settings, a_view.backup.settings);
    assert_eq!(c_backup.marks, a_view.backup.marks);
    assert_eq!(c_backup.notes, a_view.backup.notes);
    assert_eq!(c_backup.reviews, a_view.backup.reviews);
    assert_eq!(c_backup.predictions.len(), 1);
    assert_eq!(view(&c, &a_exams).exams, vec![None; 3]);

    // Idempotent within C; A's merge of C's backup finds A's own rows and adds nothing.
    let again = c.import_backup(&a_view.backup).unwrap();
    assert_eq!(
        (
            again.exams_added,
            again.answers_added,
            again.marks_notes_reports_added
        ),
        (0, 0, 0),
        "{again:?}"
    );
    let back = a.import_backup(&c_backup).unwrap();
    assert_eq!(
        (back.exams_added, back.answers_added, back.reviews_added),
        (0, 0, 0),
        "{back:?}"
    );
    assert_eq!(view(&a, &a_exams), a_view);

    // A merge into A with something new adds it to A only.
    let mut extra = empty_backup();
    extra.answers.push(answer("q9", "s3", true, 50_000));
    assert_eq!(a.import_backup(&extra).unwrap().answers_added, 1);
    assert_eq!(a.answers().unwrap().len(), 3);
    assert_eq!(c.answers().unwrap().len(), 2);
    assert_eq!(pool.store_for(0).answers().unwrap(), vec![]);
}

/// One learner's open write transaction does not hold up another's write: the lock is the
/// learner's own row of `pmle_changes`. Channels order the steps; no sleeps. Twice: while
/// both learners' first writes create their rows, and once the rows exist.
#[test]
fn two_learners_hold_write_transactions_at_once() {
    let Some(b) = PgBackend::new() else { return };
    let pool = b.pool(2).unwrap();
    for round in 1..=2_i64 {
        let (opened_tx, opened_rx) = mpsc::channel::<()>();
        let (finish_tx, finish_rx) = mpsc::channel::<()>();
        let a = pool.store_for(1);
        let holder = std::thread::spawn(move || {
            a.run(move |c| {
                write(c, 1, |tx| {
                    insert_answer(tx, 1, &answer("qa", "s1", true, round))?;
                    opened_tx.send(()).unwrap();
                    finish_rx.recv().unwrap();
                    Ok(())
                })
            })
        });
        opened_rx.recv().unwrap(); // A's write transaction is open and holds A's lock

        // A writer of the same learner does wait: another session taking A's lock as
        // `write` does, with a short lock_timeout, is refused (the lock is real and held).
        let mut admin = b.admin();
        let mut same = admin.transaction().unwrap();
        same.batch_execute("SET LOCAL lock_timeout = '200ms'")
            .unwrap();
        let blocked = same.execute(
            "INSERT INTO pmle_changes (user_id, counter) VALUES (1, 1) \
             ON CONFLICT (user_id) DO UPDATE SET counter = pmle_changes.counter + 1",
            &[],
        );
        let code = blocked.as_ref().err().and_then(|e| e.code().cloned());
        assert_eq!(
            code,
            Some(postgres::error::SqlState::LOCK_NOT_AVAILABLE),
            "round {round}: {blocked:?}"
        );
        drop(same);

        // B writes, commits and reads while A's transaction is still open (if B waited
        // for A's lock, this would fail with Busy after the 15 s lock timeout).
        let mut other = pool.store_for(2);
        let written = other.record_answer(&answer("qb", "s1", true, round));
        let b_token = other.change_token();
        let b_answers = other.answers();
        let a_token_meanwhile = other.pool().store_for(1).change_token();
        finish_tx.send(()).unwrap();
        holder.join().unwrap().unwrap();
        assert!(written.is_ok(), "round {round}: {written:?}");
        assert_eq!(b_token.unwrap(), (round, 0));
        assert_eq!(b_answers.unwrap().len(), round as usize);
        assert_eq!(
            a_token_meanwhile.unwrap(),
            (round - 1, 0),
            "A's open write is not visible yet"
        );
        assert_eq!(pool.store_for(1).answers().unwrap().len(), round as usize);
        assert_eq!(pool.store_for(1).change_token().unwrap(), (round, 0));
    }
}

/// A database written before tenancy (schema 2, one learner) keeps its history as user 0.
#[test]
fn a_single_learner_database_migrates_to_user_zero() {
    let Some(b) = PgBackend::new() else { return };
    let mut admin = b.admin();
    let mut tx = admin.transaction().unwrap();
    for (i, (name, sql)) in migrate::MIGRATIONS.iter().take(2).enumerate() {
        tx.batch_execute(sql).unwrap();
        tx.execute(
            "INSERT INTO pmle_schema (version, name) VALUES ($1, $2)",
            &[&(i as i32 + 1), name],
        )
        .unwrap();
    }
    tx.batch_execute(
        "         INSERT INTO answers (question_id, section_id, mode, shown_order, chosen, correct, \
         answered_at) VALUES ('q1', 's1', 'practice', '[0,1]', '[0]', true, 10); \
         INSERT INTO settings (key, value) VALUES ('retention', '0.85'); \
         INSERT INTO question_marks (question_id, mark, created_at) VALUES ('q1', 'flag', 5); \
         UPDATE pmle_changes SET counter = 41 WHERE scope = 0",
    )
    .unwrap();
    tx.commit().unwrap();

    let pool = b.pool(1).unwrap();
    let (zero, one) = (pool.store_for(0), pool.store_for(1));
    assert_eq!(zero.answers().unwrap().len(), 1);
    assert_eq!(zero.setting("retention").unwrap().as_deref(), Some("0.85"));
    assert_eq!(zero.marks().unwrap().len(), 1);
    assert_eq!(zero.change_token().unwrap(), (41, 0));
    assert_eq!(one.answers().unwrap(), vec![]);
    assert_eq!(one.setting("retention").unwrap(), None);
    assert_eq!(one.change_token().unwrap(), (0, 0));
    // A write that forgets the user fails instead of landing in learner 0's history.
    let forgot = admin.batch_execute("INSERT INTO settings (key, value) VALUES ('exam', '{}')");
    assert!(forgot.is_err(), "{forgot:?}");
}

/// The contract suite again, as learner 7 of a database where learners 0 and 9 already have
/// a full history each (and a running exam): every exact read of the suite would see their
/// rows if a query were not scoped.
struct Neighbours {
    pool: PgPool,
    _db: PgBackend, // dropped after the pool: the schema goes last
}

impl Neighbours {
    fn new() -> Option<Neighbours> {
        let db = PgBackend::new()?;
        let pool = db.pool(2).unwrap();
        for user in [0, 9] {
            write_everything(&mut pool.store_for(user));
        }
        Some(Neighbours { pool, _db: db })
    }
}

impl Backend for Neighbours {
    fn open(&self) -> Box<dyn Store> {
        Box::new(self.pool.store_for(7))
    }

    fn another(&self) -> Box<dyn Backend> {
        Box::new(Neighbours::new().expect("the test server"))
    }
}

mod beside_neighbours {
    use super::*;
    contract_tests!(Neighbours::new());
}

#[test]
fn a_maintainer_reads_every_learners_reports_and_triages_one_for_its_learner_only() {
    let Some(b) = PgBackend::new() else { return };
    let pool = b.pool(2).unwrap();
    let (mut a, mut bee) = (pool.store_for(1), pool.store_for(2));
    let report = |text: &str, at: i64| NewReport {
        question_id: "q1".into(),
        reason: ReportReason::WrongKey,
        text: Some(text.into()),
        created_at_ms: at,
        status: ReportStatus::Open,
        triage: None,
    };
    let ra = a.add_report(&report("A thinks B", 10)).unwrap();
    let rb = bee.add_report(&report("B thinks C", 20)).unwrap();
    let all = pool.reports_of_every_learner().unwrap();
    let owners: Vec<(i64, i64)> = all.iter().map(|(u, r)| (*u, r.id)).collect();
    assert_eq!(owners, vec![(1, ra), (2, rb)]);

    let (a_token, b_token) = (a.change_token().unwrap(), bee.change_token().unwrap());
    let b_before = view(&bee, &[]);
    let outcome = crate::ReportOutcome::FixedIn("0.2.0".into());
    let owner = pool
        .set_report_outcome_any(ra, &outcome, Some("key corrected"), 500)
        .unwrap();
    assert_eq!(owner, 1);
    let t = a.reports().unwrap()[0].report.triage.clone().unwrap();
    assert_eq!(
        (t.outcome, t.note.as_deref(), t.triaged_at_ms),
        (outcome, Some("key corrected"), Some(500))
    );
    assert_ne!(
        a.change_token().unwrap(),
        a_token,
        "the reporter's caches move"
    );
    assert_eq!(bee.change_token().unwrap(), b_token);
    assert_eq!(
        view(&bee, &[]),
        b_before,
        "the other learner sees no change"
    );
    assert!(matches!(
        pool.set_report_outcome_any(ra + rb + 1000, &crate::ReportOutcome::Rejected, None, 1),
        Err(StoreError::NoReport(_))
    ));
    // A learner's scoped handle cannot triage another learner's report.
    assert!(matches!(
        bee.set_report_outcome(ra, &crate::ReportOutcome::Rejected, None, 600),
        Err(StoreError::NoReport(_))
    ));
    assert_eq!(
        a.reports().unwrap()[0]
            .report
            .triage
            .as_ref()
            .map(|t| t.triaged_at_ms),
        Some(Some(500))
    );
}
