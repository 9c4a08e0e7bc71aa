//! The linter against whole packs: the embedded pack must be clean, and fixture packs with
//! deliberate mistakes must be reported at the right file and line (snapshot-tested).

use std::path::PathBuf;

use pmle_content::model::Date;
use pmle_content::{PackSource, Severity, check};

fn fixture(name: &str) -> PackSource {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(name);
    PackSource::from_dir(&dir).expect("fixture exists")
}

const TODAY: Date = Date {
    year: 2026,
    month: 11,
    day: 27,
};

fn report_text(name: &str) -> String {
    let r = check(&fixture(name), TODAY);
    r.diagnostics.iter().map(|d| format!("{d}\n")).collect()
}

#[test]
fn embedded_pack_has_no_errors() {
    // A date far ahead: whether facts were verified "in the future" is a fixture test below.
    let r = check(
        &PackSource::embedded(),
        Date {
            year: 2100,
            month: 1,
            day: 1,
        },
    );
    let errors: Vec<String> = r
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(ToString::to_string)
        .collect();
    assert!(
        errors.is_empty(),
        "the embedded pack has errors:\n{}",
        errors.join("\n")
    );
    let pack = r.pack.expect("pack assembles");
    assert_eq!(pack.sections.len(), 6);
    let total: f64 = pack.sections.iter().map(|s| s.weight).sum();
    assert!((total - 100.0).abs() <= 1.0, "weights add up to {total}");
    for s in &pack.sections {
        let n = pack.questions.iter().filter(|q| q.section == s.id).count();
        assert!(n >= 5, "section {} has only {n} questions", s.id);
    }
    assert!(pack.cards.len() >= 30, "only {} cards", pack.cards.len());
}

#[test]
fn embedded_pack_covers_every_seed_heading_with_a_topic() {
    let r = check(
        &PackSource::embedded(),
        Date {
            year: 2100,
            month: 1,
            day: 1,
        },
    );
    let pack = r.pack.expect("pack assembles");
    assert!(pack.seed_headings.len() >= 30);
    for h in &pack.seed_headings {
        assert!(
            pack.topics.iter().any(|t| t.seed_headings.contains(&h.id)),
            "{} uncovered",
            h.id
        );
    }
}

#[test]
fn clean_fixture_is_clean() {
    let r = check(&fixture("mini"), TODAY);
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    assert_eq!(r.figures.questions, 3);
}

#[test]
fn mistakes_are_reported_with_file_and_line() {
    insta::assert_snapshot!("mistakes", report_text("mistakes"));
}

#[test]
fn corrupted_pack_toml_names_file_and_line() {
    let text = report_text("broken-pack-toml");
    insta::assert_snapshot!("broken_pack_toml", text);
    assert!(text.starts_with("pack.toml:18:"), "{text}");
}

#[test]
fn future_verification_dates_are_errors() {
    let r = check(
        &fixture("mini"),
        Date {
            year: 2026,
            month: 10,
            day: 1,
        },
    );
    assert!(r.diagnostics.iter().all(|d| d.code == "last-verified"));
    assert_eq!(r.errors(), 3);
}
