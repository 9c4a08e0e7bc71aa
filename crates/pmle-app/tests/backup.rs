//! JSON backup: round trip, idempotence, merge, and rejection of bad files without writing.
#![allow(clippy::unwrap_used)]

use pmle_app::{App, ManualClock, Rating, load_pack};
use pmle_content::model::Date;
use pmle_store::SqliteStore;
use proptest::prelude::*;
use serde_json::Value;

const START: i64 = 1_795_000_000_000; // November 2026

fn app(clock: &ManualClock, seed: u64) -> App {
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
        Box::new(SqliteStore::open_in_memory().unwrap()),
        Box::new(clock.clone()),
        seed,
        ":memory:",
    )
}

/// Some practice, card reviews, a finished and an unfinished exam with a flag, a setting.
fn study(app: &mut App, clock: &ManualClock, answers: usize) {
    for k in 0..answers {
        let next = app.next_practice(None).unwrap().unwrap();
        let shown = app.present(&next.question_id).unwrap();
        let want = shown.kind.choose() as usize;
        let picked: Vec<usize> = (0..want).map(|i| (i + k) % shown.options.len()).collect();
        app.answer(&shown, &picked).unwrap();
        clock.advance(90_000);
    }
    let q = app.card_queue().unwrap();
    for (i, id) in q.new.iter().take(3).enumerate() {
        app.rate_card(id, if i == 0 { Rating::Again } else { Rating::Good })
            .unwrap();
        clock.advance(5_000);
    }
    for finish in [true, false] {
        let plan = app
            .plan_exam(
                &pmle_app::ExamVariant::Section("s6".into()),
                7 + u64::from(finish),
            )
            .unwrap();
        let mut s = app.start_exam(&plan).unwrap();
        app.exam_answer(&mut s, 0, &[0]).unwrap();
        app.exam_flag(&mut s, 1, true).unwrap();
        clock.advance(60_000);
        if finish {
            app.submit_exam(&mut s, false).unwrap();
        }
    }
    let mut settings = app.settings().unwrap();
    settings.set("desired_retention", "0.85").unwrap();
    app.save_settings(&settings).unwrap();
}

fn export(app: &App) -> Value {
    let mut v = serde_json::to_value(app.export_backup().unwrap()).unwrap();
    v["exported_at_ms"] = Value::Null;
    v
}

#[test]
fn export_import_export_gives_the_same_content() {
    let clock = ManualClock::new(START);
    let mut a = app(&clock, 1);
    study(&mut a, &clock, 12);
    let first = export(&a);
    assert_eq!(first["answers"].as_array().unwrap().len(), 12 + 1);
    assert_eq!(first["exams"].as_array().unwrap().len(), 2);
    assert!(!first["reviews"].as_array().unwrap().is_empty());
    // Each exam's readiness prediction travels with it.
    assert_eq!(first["predictions"].as_array().unwrap().len(), 2);
    let mut b = app(&clock, 2);
    let text = serde_json::to_string(&a.export_backup().unwrap()).unwrap();
    let sum = b.import_backup(&text).unwrap();
    assert_eq!(sum.answers_added, 13);
    assert_eq!(export(&b), first);
    assert_eq!(
        b.prediction_history().unwrap().len(),
        2,
        "the restored exams keep their predictions"
    );
    // The restored unfinished exam resumes with its flag and answer.
    let s = b.resume_exam().unwrap().unwrap();
    assert_eq!((s.answered(), s.flagged_positions()), (1, vec![1]));
}

#[test]
fn importing_twice_changes_nothing() {
    let clock = ManualClock::new(START);
    let mut a = app(&clock, 1);
    study(&mut a, &clock, 5);
    let text = serde_json::to_string(&a.export_backup().unwrap()).unwrap();
    let mut b = app(&clock, 2);
    b.import_backup(&text).unwrap();
    let once = export(&b);
    let again = b.import_backup(&text).unwrap();
    assert_eq!(
        (
            again.answers_added,
            again.exams_added,
            again.reviews_added,
            again.schedule_updated
        ),
        (0, 0, 0, 0)
    );
    assert_eq!(export(&b), once);
    // Importing into the source itself is also a no-op.
    a.import_backup(&text).unwrap();
    assert_eq!(
        serde_json::to_string(&export(&a)["answers"]).unwrap(),
        serde_json::to_string(&once["answers"]).unwrap()
    );
}

#[test]
fn merging_two_histories_keeps_both_without_duplicates() {
    let clock = ManualClock::new(START);
    let mut a = app(&clock, 1);
    study(&mut a, &clock, 6);
    clock.advance(86_400_000);
    let mut b = app(&clock, 9);
    study(&mut b, &clock, 4);
    // Both have an unfinished exam; only one can be in progress, so B submits its own first
    // (an import that would leave two is refused: see hostile_import.rs).
    let mut own = b.resume_exam().unwrap().unwrap();
    b.submit_exam(&mut own, false).unwrap();
    let before_b = b.stats().unwrap().progress.answers_total;
    let text = serde_json::to_string(&a.export_backup().unwrap()).unwrap();
    let sum = b.import_backup(&text).unwrap();
    assert_eq!(sum.answers_added, 7);
    assert_eq!(b.stats().unwrap().progress.answers_total, before_b + 7);
    assert_eq!(b.finished_exams().unwrap().len(), 3);
}

fn rejected(text: &str, needle: &str) {
    let clock = ManualClock::new(START);
    let mut b = app(&clock, 3);
    study(&mut b, &clock, 2);
    let before = export(&b);
    let err = b.import_backup(text).unwrap_err().to_string();
    assert!(err.contains(needle), "expected {needle:?} in: {err}");
    assert_eq!(
        export(&b),
        before,
        "a rejected import must not change the database"
    );
}

fn valid_text() -> String {
    let clock = ManualClock::new(START);
    let mut a = app(&clock, 1);
    study(&mut a, &clock, 3);
    serde_json::to_string(&a.export_backup().unwrap()).unwrap()
}

#[test]
fn bad_files_are_rejected_and_nothing_changes() {
    let good = valid_text();
    rejected(&good[..good.len() / 2], "not valid JSON");
    rejected("{\"hello\": 1}", "not a pmle backup");
    rejected(&"x".repeat(100 << 20), "not valid JSON");
    let mut v: Value = serde_json::from_str(&good).unwrap();
    v["schema_version"] = Value::from(7);
    v["pmle_version"] = Value::from("9.1.0");
    rejected(&v.to_string(), "update to pmle 9.1.0 or newer");
    let mut v: Value = serde_json::from_str(&good).unwrap();
    v["answers"][0]["question_id"] = Value::from("no-such-question");
    rejected(&v.to_string(), "unknown question id `no-such-question`");
    let mut v: Value = serde_json::from_str(&good).unwrap();
    v["answers"][0]["answered_at_ms"] = Value::from("yesterday");
    rejected(&v.to_string(), "malformed");
    let mut v: Value = serde_json::from_str(&good).unwrap();
    v["answers"][0]["answered_at_ms"] =
        serde_json::from_str("123456789012345678901234567890").unwrap();
    rejected(&v.to_string(), "malformed");
    let mut v: Value = serde_json::from_str(&good).unwrap();
    v["answers"][0]["chosen"] = Value::from(vec![99]);
    rejected(&v.to_string(), "out of range");
    let mut v: Value = serde_json::from_str(&good).unwrap();
    v["reviews"][0]["rating"] = Value::from(9);
    rejected(&v.to_string(), "rating must be 1–4");
    let mut v: Value = serde_json::from_str(&good).unwrap();
    v["answers"][0]["extra"] = Value::from(1);
    rejected(&v.to_string(), "unknown field `extra`");
    let mut v: Value = serde_json::from_str(&good).unwrap();
    v["settings"]["settings"]["desired_retention"] = Value::from(5.0);
    rejected(&v.to_string(), "between 0.70 and 0.99");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Any generated history survives export → import → export unchanged.
    #[test]
    fn generated_histories_round_trip(answers in 0usize..25, seed in any::<u64>(), gaps in prop::collection::vec(1i64..100_000_000, 25)) {
        let clock = ManualClock::new(START);
        let mut a = app(&clock, seed);
        for (k, gap) in gaps.iter().take(answers).enumerate() {
            let next = a.next_practice(None).unwrap().unwrap();
            let shown = a.present(&next.question_id).unwrap();
            let want = shown.kind.choose() as usize;
            let picked: Vec<usize> = (0..want).map(|i| (i + k + seed as usize) % shown.options.len()).collect();
            a.answer(&shown, &picked).unwrap();
            clock.advance(*gap);
        }
        let first = export(&a);
        let mut b = app(&clock, seed ^ 1);
        b.import_backup(&serde_json::to_string(&a.export_backup().unwrap()).unwrap()).unwrap();
        prop_assert_eq!(export(&b), first);
    }
}
