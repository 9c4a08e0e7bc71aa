//! The pack's calibration file reaches the readiness estimate, and a stale one stops the
//! pack from loading (fixtures in tests/fixtures/calibration, not real data).
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use pmle_app::{App, ManualClock};
use pmle_content::model::Date;
use pmle_content::{PackSource, SourceFile};
use pmle_store::SqliteStore;

const TODAY: Date = Date {
    year: 2100,
    month: 1,
    day: 1,
};

fn with_calibration(fixture: Option<&str>) -> PackSource {
    let mut source = PackSource::embedded();
    if let Some(name) = fixture {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures/calibration")
            .join(name);
        source.files.push(SourceFile {
            path: "calibration.toml".into(),
            text: std::fs::read_to_string(path).unwrap(),
        });
    }
    source
}

/// Section 1's mastery after missing the fixture's question and answering two others right.
fn section_1_after_a_miss(source: &PackSource) -> f64 {
    let pack = pmle_content::load(source, TODAY).unwrap();
    let clock = ManualClock::new(1_795_000_000_000);
    let mut app = App::new(
        pack,
        Box::new(SqliteStore::open_in_memory().unwrap()),
        Box::new(clock.clone()),
        3,
        ":memory:",
    );
    for (id, right) in [
        ("s1-api-vision-ocr-001", false),
        ("s1-api-vision-safesearch-002", true),
        ("s1-api-vision-vs-automl-003", true),
    ] {
        let shown = app.present(id).unwrap();
        let key = app.pack().question(id).unwrap().correct_indexes();
        let picked: Vec<usize> = (0..shown.order.len())
            .filter(|&p| key.contains(&shown.order[p]) == right)
            .take(if right { key.len() } else { 1 })
            .collect();
        assert_eq!(app.answer(&shown, &picked).unwrap().correct, right);
        clock.advance(60_000);
    }
    app.stats().unwrap().sections[0].mastery.unwrap()
}

#[test]
fn missing_a_question_measured_hard_costs_less_than_missing_its_label() {
    let labelled = section_1_after_a_miss(&with_calibration(None));
    let measured = section_1_after_a_miss(&with_calibration(Some("hard.toml")));
    assert!(
        measured > labelled + 0.005,
        "labelled {labelled:.4}, measured {measured:.4}"
    );
}

#[test]
fn a_calibration_file_naming_an_unknown_question_stops_the_pack_loading() {
    let err = pmle_content::load(&with_calibration(Some("stale.toml")), TODAY).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("calibration.toml")
            && text.contains(
                "`s1-no-such-question-999` is not in the pack; fix the id or remove its entry"
            ),
        "{text}"
    );
    let report = pmle_content::check(&with_calibration(Some("stale.toml")), TODAY);
    assert_eq!(report.errors(), 1, "{:?}", report.diagnostics);
}
