//! Hardening (issue 17): hostile backups are refused whole, bad values already stored name
//! their fix, and backup files are read only when they are regular files of bounded size.
#![allow(clippy::unwrap_used)]

use pmle_app::{App, ManualClock, load_pack};
use pmle_content::model::Date;
use pmle_store::{SqliteStore, Store};
use proptest::prelude::*;
use serde_json::{Value, json};

const START: i64 = 1_795_000_000_000; // November 2026

fn app_with(store: SqliteStore, clock: &ManualClock) -> App {
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
        Box::new(store),
        Box::new(clock.clone()),
        5,
        ":memory:",
    )
}

fn app(clock: &ManualClock) -> App {
    app_with(SqliteStore::open_in_memory().unwrap(), clock)
}

/// A few practice answers, one card review and a finished exam.
fn studied(clock: &ManualClock) -> App {
    let mut a = app(clock);
    for k in 0..4 {
        let next = a.next_practice(None).unwrap().unwrap();
        let shown = a.present(&next.question_id).unwrap();
        let want = shown.kind.choose() as usize;
        let picked: Vec<usize> = (0..want).map(|i| (i + k) % shown.options.len()).collect();
        a.answer(&shown, &picked).unwrap();
        clock.advance(60_000);
    }
    let id = a.card_queue().unwrap().new[0].clone();
    a.rate_card(&id, pmle_app::Rating::Good).unwrap();
    let plan = a
        .plan_exam(&pmle_app::ExamVariant::Section("s2".into()), 3)
        .unwrap();
    let mut s = a.start_exam(&plan).unwrap();
    a.exam_answer(&mut s, 0, &[0]).unwrap();
    a.submit_exam(&mut s, false).unwrap();
    clock.advance(60_000);
    a
}

fn backup(clock: &ManualClock) -> Value {
    serde_json::to_value(studied(clock).export_backup().unwrap()).unwrap()
}

fn snapshot(app: &App) -> Value {
    let mut v = serde_json::to_value(app.export_backup().unwrap()).unwrap();
    v["exported_at_ms"] = Value::Null;
    v
}

/// Import `doc` into a database with some history of its own; it must be refused with a
/// message containing `needle`, and the database must not change.
fn refused(doc: &Value, needle: &str) {
    let clock = ManualClock::new(START + 86_400_000 * 3);
    let mut b = app(&clock);
    let next = b.next_practice(None).unwrap().unwrap();
    let shown = b.present(&next.question_id).unwrap();
    b.answer(&shown, &[0]).unwrap();
    let before = snapshot(&b);
    let err = b.import_backup(&doc.to_string()).unwrap_err().to_string();
    assert!(err.contains(needle), "expected {needle:?} in: {err}");
    assert_eq!(snapshot(&b), before, "a refused import changes nothing");
}

/// An unfinished exam over the first exam's questions, with a new start time.
fn unfinished_exam(doc: &Value, id: i64, shift_ms: i64) -> Value {
    let mut e = doc["exams"][0].clone();
    e["id"] = json!(id);
    e["submitted_at_ms"] = Value::Null;
    e["started_at_ms"] = json!(e["started_at_ms"].as_i64().unwrap() + shift_ms);
    e
}

/// Attack: `fsrs_parameters` with 3 numbers was accepted, after which `stats`, `cards`,
/// the dashboard and practice failed for good.
#[test]
fn import_of_three_fsrs_parameters_is_refused() {
    let clock = ManualClock::new(START);
    let mut doc = backup(&clock);
    doc["settings"]["fsrs_parameters"] = json!([1.0, 2.0, 3.0]);
    refused(&doc, "3 numbers instead of 21");
    // 21 numbers, one far outside what FSRS can fit, are refused too.
    let mut wild = vec![1.0f32; 21];
    wild[4] = 5.0;
    wild[16] = 1.5;
    wild[0] = -7.0;
    doc["settings"]["fsrs_parameters"] = json!(wild);
    refused(&doc, "w[0] = -7");
    doc["settings"]["fsrs_parameters"] = json!("fast");
    refused(&doc, "not a list of 21 numbers");
}

/// Settings in a backup pass the same check as `pmle settings set`.
#[test]
fn import_of_settings_uses_the_settings_check() {
    let clock = ManualClock::new(START);
    let mut doc = backup(&clock);
    doc["settings"]["settings"] = json!({"exam_minutes": 0});
    refused(&doc, "exam_minutes must be between 1 and 600");
    doc["settings"]["settings"] = json!({"no_such": 1});
    refused(&doc, "unknown setting `no_such`");
    doc["settings"]["settings"] = json!([0.9]);
    refused(&doc, "not a JSON object");
}

/// Attack: a stored bad value locked the app; no pmle command could undo it.
#[test]
fn stored_bad_fsrs_parameters_name_the_fix_and_reset_parameters_recovers() {
    let clock = ManualClock::new(START);
    let mut store = SqliteStore::open_in_memory().unwrap();
    store.set_setting("fsrs_parameters", "[1,2,3]").unwrap();
    let mut a = app_with(store, &clock);
    let err = a.card_queue().unwrap_err().to_string();
    assert!(err.contains("pmle cards --reset-parameters"), "{err}");
    assert!(a.stats().is_err(), "still refused until reset");
    assert!(a.reset_fsrs_parameters().unwrap());
    let q = a.card_queue().unwrap();
    assert!(!q.personal_parameters);
    a.rate_card(&q.new[0], pmle_app::Rating::Good).unwrap();
    a.stats().unwrap();
    assert!(
        !a.reset_fsrs_parameters().unwrap(),
        "nothing left to remove"
    );
}

#[test]
fn stored_bad_settings_name_the_fix_and_reset_recovers() {
    let clock = ManualClock::new(START);
    let mut store = SqliteStore::open_in_memory().unwrap();
    store
        .set_setting(
            "settings",
            r#"{"desired_retention":5.0,"theme":"dark","recent_window":7}"#,
        )
        .unwrap();
    let mut a = app_with(store, &clock);
    let err = a.settings().unwrap_err().to_string();
    assert!(
        err.contains("pmle settings reset desired_retention"),
        "{err}"
    );
    a.reset_settings(Some("desired_retention")).unwrap();
    let s = a.settings().unwrap();
    assert_eq!(s.desired_retention, 0.90);
    assert_eq!(
        (s.theme.as_str(), s.recent_window),
        ("dark", 7),
        "the rest is kept"
    );
    a.reset_settings(None).unwrap();
    assert_eq!(a.settings().unwrap().recent_window, 20);
    assert!(a.reset_settings(Some("no_such")).is_err());

    // Settings that are not even JSON: `reset --all` is the way out.
    let mut store = SqliteStore::open_in_memory().unwrap();
    store.set_setting("settings", "{oops").unwrap();
    let mut a = app_with(store, &clock);
    let err = a.settings().unwrap_err().to_string();
    assert!(err.contains("pmle settings reset --all"), "{err}");
    assert!(a.reset_settings(Some("theme")).is_err());
    a.reset_settings(None).unwrap();
    a.settings().unwrap();
}

/// Attack: an unfinished exam with 0 items was accepted; `pmle exam` then failed with
/// "there is no question 1".
#[test]
fn unfinished_exam_with_no_questions_is_refused() {
    let clock = ManualClock::new(START);
    let mut doc = backup(&clock);
    let mut e = unfinished_exam(&doc, 9, 1);
    e["items"] = json!([]);
    e["current"] = json!(0);
    doc["exams"].as_array_mut().unwrap().push(e);
    refused(&doc, "exam 9 has no questions");
}

#[test]
fn second_unfinished_exam_is_refused() {
    let clock = ManualClock::new(START);
    let mut doc = backup(&clock);
    let (a, b) = (unfinished_exam(&doc, 8, 1), unfinished_exam(&doc, 9, 2));
    doc["exams"].as_array_mut().unwrap().extend([a.clone(), b]);
    refused(&doc, "2 unfinished exams");

    // One unfinished exam in the backup and another in the database: refused with the fix;
    // the same backup imports once the learner's own exam is submitted.
    let mut one = backup(&clock);
    one["exams"].as_array_mut().unwrap().push(a);
    let mut b = app(&clock);
    let plan = b.plan_exam(&pmle_app::ExamVariant::Full, 11).unwrap();
    let mut mine = b.start_exam(&plan).unwrap();
    let before = snapshot(&b);
    let err = b.import_backup(&one.to_string()).unwrap_err().to_string();
    assert!(err.contains("finish or submit yours first"), "{err}");
    assert_eq!(snapshot(&b), before);
    b.submit_exam(&mut mine, false).unwrap();
    b.import_backup(&one.to_string()).unwrap();
    // Importing it again is still fine: that exam is already there.
    b.import_backup(&one.to_string()).unwrap();
    assert!(b.resume_exam().unwrap().is_some());
}

#[test]
fn section_exam_of_a_section_not_in_the_pack_is_refused() {
    let clock = ManualClock::new(START);
    let mut doc = backup(&clock);
    doc["exams"][0]["section_id"] = json!("s99");
    refused(&doc, "unknown section id `s99`");
    doc["exams"][0]["section_id"] = Value::Null;
    refused(&doc, "a `section` exam with section None");
}

#[test]
fn answer_marked_correct_with_nothing_chosen_is_refused() {
    let clock = ManualClock::new(START);
    let mut doc = backup(&clock);
    doc["answers"][0]["chosen"] = json!([]);
    doc["answers"][0]["correct"] = json!(true);
    refused(&doc, "marked correct with nothing chosen");
    let mut doc = backup(&clock);
    doc["answers"][0]["chosen"] = json!([0, 0]);
    refused(&doc, "out of range or repeated");
}

#[test]
fn answer_in_a_section_not_its_questions_is_refused() {
    let clock = ManualClock::new(START);
    let mut doc = backup(&clock);
    let own = doc["answers"][0]["section_id"].as_str().unwrap().to_owned();
    let other = if own == "s1" { "s2" } else { "s1" };
    doc["answers"][0]["section_id"] = json!(other);
    refused(&doc, &format!("is in section `{own}`, not `{other}`"));
    let mut doc = backup(&clock);
    doc["exams"][0]["items"][0]["section_id"] = json!("s1");
    refused(&doc, "not `s1`");
}

/// Attack: `import json /dev/zero` read without limit; a FIFO blocked forever.
#[test]
fn backup_file_that_is_a_device_fifo_or_folder_is_refused() {
    let clock = ManualClock::new(START);
    let mut a = app(&clock);
    let dir = tempfile::tempdir().unwrap();
    let err = a
        .import_backup_file(std::path::Path::new("/dev/zero"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("/dev/zero is a device, pipe or socket"),
        "{err}"
    );
    let link = dir.path().join("backup.json");
    std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
    let err = a.import_backup_file(&link).unwrap_err().to_string();
    assert!(err.contains("backup.json is a device"), "{err}");
    let err = a.import_backup_file(dir.path()).unwrap_err().to_string();
    assert!(err.contains("is a folder"), "{err}");
    let fifo = dir.path().join("fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let err = a.import_backup_file(&fifo).unwrap_err().to_string();
    assert!(err.contains("fifo is a device, pipe or socket"), "{err}");
}

/// A file over the cap is refused from its size, before reading (sparse: no disk used).
#[test]
fn oversized_backup_file_is_refused_by_size() {
    let clock = ManualClock::new(START);
    let mut a = app(&clock);
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.json");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(pmle_app::MAX_BACKUP_BYTES + 1).unwrap();
    let err = a.import_backup_file(&big).unwrap_err().to_string();
    assert!(
        err.contains("big.json is 256 MB, larger than any pmle backup"),
        "{err}"
    );
}

#[test]
fn streamed_file_import_matches_text_import() {
    let clock = ManualClock::new(START);
    let src = studied(&clock);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("b.json");
    let text = serde_json::to_string_pretty(&src.export_backup().unwrap()).unwrap();
    std::fs::write(&file, &text).unwrap();
    let mut x = app(&clock);
    let mut y = app(&clock);
    let sx = x.import_backup_file(&file).unwrap();
    let sy = y.import_backup(&text).unwrap();
    assert_eq!(sx, sy);
    assert_eq!(snapshot(&x), snapshot(&y));
    assert_eq!(snapshot(&x)["answers"], snapshot(&src)["answers"]);
}

/// Replace the value at a random place in the document with a hostile one: of the same
/// JSON type when `same_kind` (so that it passes parsing and reaches validation), else any.
fn mutate(doc: &mut Value, path: &[usize], pick: usize, same_kind: bool) {
    const ANY: [&str; 12] = [
        "null",
        "-1",
        "0",
        "1e308",
        "18446744073709551616",
        "\"\"",
        "\"s99\"",
        "[]",
        "[0,0,0]",
        "{}",
        "true",
        "[1,2,3]",
    ];
    const NUMBERS: [&str; 8] = [
        "0",
        "-1",
        "1",
        "3",
        "59",
        "9007199254740993",
        "1795000000000",
        "0.5",
    ];
    const STRINGS: [&str; 7] = [
        "\"\"",
        "\"s1\"",
        "\"s99\"",
        "\"section\"",
        "\"exam\"",
        "\"card\"",
        "\"pmle\"",
    ];
    const ARRAYS: [&str; 5] = ["[]", "[0]", "[0,0]", "[1,0]", "[3,2,1,0]"];
    let Some((&step, rest)) = path.split_first() else {
        let pool: &[&str] = match (same_kind, &*doc) {
            (true, Value::Number(_)) => &NUMBERS,
            (true, Value::String(_)) => &STRINGS,
            (true, Value::Array(_)) => &ARRAYS,
            (true, Value::Bool(b)) => {
                *doc = Value::Bool(!b);
                return;
            }
            _ => &ANY,
        };
        *doc = serde_json::from_str(pool[pick % pool.len()]).unwrap();
        return;
    };
    match doc {
        Value::Object(m) if !m.is_empty() => {
            let key = m.keys().nth(step % m.len()).cloned().unwrap();
            mutate(m.get_mut(&key).unwrap(), rest, pick, same_kind);
        }
        Value::Array(a) if !a.is_empty() => {
            let n = a.len();
            mutate(&mut a[step % n], rest, pick, same_kind);
        }
        _ => mutate(doc, &[], pick, same_kind),
    }
}

thread_local! {
    static BASE: Value = backup(&ManualClock::new(START));
    static TARGET: std::cell::RefCell<Option<App>> = const { std::cell::RefCell::new(None) };
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Any mutated backup is imported or refused with a message; never a panic, and a
    /// refusal leaves the database exactly as it was.
    #[test]
    fn mutated_backups_never_panic_and_refusals_change_nothing(
        mutations in prop::collection::vec(
            (prop::collection::vec(0usize..64, 1..6), 0usize..12, prop::bool::weighted(0.8)),
            0..3,
        ),
        cut in prop::option::weighted(0.1, 0usize..4000),
    ) {
        let mut doc = BASE.with(Clone::clone);
        for (path, pick, same_kind) in &mutations {
            mutate(&mut doc, path, *pick, *same_kind);
        }
        let mut text = doc.to_string();
        if let Some(n) = cut {
            let mut n = n.min(text.len());
            while !text.is_char_boundary(n) {
                n -= 1;
            }
            text.truncate(n);
        }
        // One database for all cases (loading the pack is the slow part): accepted imports
        // accumulate, which only makes later cases more varied.
        TARGET.with(|cell| -> Result<(), TestCaseError> {
        let mut guard = cell.borrow_mut();
        let b = guard.get_or_insert_with(|| app(&ManualClock::new(START + 86_400_000 * 3)));
        let before = snapshot(b);
        match b.import_backup(&text) {
            Ok(_) => {
                // What was accepted can be used: the usual reads all work.
                b.stats().unwrap();
                b.card_queue().unwrap();
                b.settings().unwrap();
            }
            Err(e) => {
                prop_assert!(!e.to_string().is_empty());
                prop_assert_eq!(snapshot(b), before);
            }
        }
        Ok(())
        })?;
    }
}

#[test]
fn a_prediction_for_a_missing_exam_or_out_of_range_is_refused() {
    let clock = ManualClock::new(START);
    let doc = backup(&clock);
    assert_eq!(doc["predictions"].as_array().unwrap().len(), 1);
    let mut orphan = doc.clone();
    orphan["predictions"][0]["exam_id"] = Value::from(999);
    refused(&orphan, "a prediction refers to exam 999");
    let mut wild = doc.clone();
    wild["predictions"][0]["high"] = Value::from(3.5);
    refused(&wild, "not a score between 0 and 1");
    let mut upside_down = doc;
    upside_down["predictions"][0]["low"] = Value::from(0.9);
    upside_down["predictions"][0]["high"] = Value::from(0.1);
    refused(&upside_down, "low ≤ high");
}
