use super::*;
use crate::model::Date;
use crate::source::PackSource;
use crate::{Severity, check};

const GOOD: &str = r#"version = 1

[question.q-1]
difficulty = 1.4
discrimination = 1.2
responses = 240
se = 0.15
"#;

#[test]
fn parses_a_good_file() {
    let c = parse_calibration(GOOD).expect("valid");
    assert_eq!(c.version, 1);
    let q = c.questions["q-1"];
    assert_eq!(q.difficulty, 1.4);
    assert_eq!(q.discrimination, Some(1.2));
    assert_eq!(q.responses, 240);
    assert_eq!(q.se, 0.15);
}

#[test]
fn discrimination_is_optional() {
    let c = parse_calibration(
        "version = 1\n[question.q-1]\ndifficulty = 0.0\nresponses = 30\nse = 0.4\n",
    )
    .expect("valid");
    assert_eq!(c.questions["q-1"].discrimination, None);
}

#[test]
fn a_wrong_or_missing_version_is_refused_before_anything_else() {
    let e = parse_calibration("version = 2\n[question.q-1]\nnonsense = true\n").unwrap_err();
    assert_eq!(e, vec![CalibrationError::Version { found: 2 }]);
    assert!(e[0].to_string().contains("reads version 1"), "{}", e[0]);
    let e = parse_calibration("[question.q-1]\ndifficulty = 0.0\n").unwrap_err();
    assert_eq!(e, vec![CalibrationError::MissingVersion]);
}

#[test]
fn every_out_of_range_value_is_reported() {
    let text = "version = 1\n\
        [question.a]\ndifficulty = 7.5\nresponses = 10\nse = 0.2\n\
        [question.b]\ndifficulty = 0.1\ndiscrimination = 9.0\nresponses = 0\nse = 0.0\n";
    let e = parse_calibration(text).unwrap_err();
    let fields: Vec<(&str, &str)> = e
        .iter()
        .map(|e| match e {
            CalibrationError::OutOfRange { id, field, .. }
            | CalibrationError::Degenerate { id, field, .. } => (id.as_str(), *field),
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert_eq!(
        fields,
        vec![
            ("a", "difficulty"),
            ("b", "discrimination"),
            ("b", "se"),
            ("b", "responses")
        ]
    );
    assert!(e[0].to_string().contains("outside -5–5"), "{}", e[0]);
}

#[test]
fn unknown_keys_and_bad_syntax_are_errors() {
    let e = parse_calibration(
        "version = 1\n[question.a]\ndifficulty = 0.1\nresponses = 3\nse = 0.2\nwhy = 1\n",
    )
    .unwrap_err();
    assert!(
        matches!(&e[0], CalibrationError::Shape { message } if message.contains("why")),
        "{e:?}"
    );
    let e = parse_calibration("version = = 1").unwrap_err();
    assert!(matches!(e[0], CalibrationError::Syntax { .. }));
}

const QUESTIONS: &str = r#"
[[question]]
id = "q-1"
section = "s1"
topics = ["t"]
kind = "single"
difficulty = 2
last-verified = 2026-01-01
references = ["https://cloud.google.com/x"]
stem = "Stem?"
[[question.option]]
text = "A"
correct = true
explanation = "yes"
[[question.option]]
text = "B"
correct = false
explanation = "no"

[[question]]
id = "q-2"
section = "s1"
topics = ["t"]
kind = "single"
difficulty = 2
last-verified = 2026-01-01
references = ["https://cloud.google.com/x"]
stem = "Stem two?"
retired = true
[[question.option]]
text = "A"
correct = true
explanation = "yes"
[[question.option]]
text = "B"
correct = false
explanation = "no"
"#;

fn check_with(calibration: &str) -> crate::CheckReport {
    let files = [
        ("pack.toml", crate::parse::tests::MINI_PACK),
        (
            "topics.toml",
            "[[topic]]\nid = \"t\"\nsection = \"s1\"\ntitle = \"T\"\n",
        ),
        ("questions/a.toml", QUESTIONS),
        ("calibration.toml", calibration),
    ];
    check(
        &PackSource::from_files("test", files.iter().map(|(a, b)| (*a, *b))),
        Date {
            year: 2026,
            month: 11,
            day: 27,
        },
    )
}

fn calibration_errors(r: &crate::CheckReport) -> Vec<String> {
    r.diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error && d.code.starts_with("calibration"))
        .map(ToString::to_string)
        .collect()
}

#[test]
fn check_accepts_a_good_file_and_the_pack_carries_it() {
    let r = check_with(GOOD);
    assert!(calibration_errors(&r).is_empty(), "{:?}", r.diagnostics);
    let pack = r.pack.expect("pack");
    assert_eq!(pack.calibration.expect("calibration").questions.len(), 1);
}

#[test]
fn check_refuses_unknown_and_retired_ids_at_their_line() {
    let r = check_with(
        "version = 1\n\
         [question.q-9]\ndifficulty = 0.1\nresponses = 3\nse = 0.2\n\
         [question.q-2]\ndifficulty = 0.1\nresponses = 3\nse = 0.2\n",
    );
    let errors = calibration_errors(&r);
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(
        errors.iter().any(
            |e| e.starts_with("calibration.toml:2:1: error[calibration-unknown-id]")
                && e.contains("`q-9` is not in the pack; fix the id or remove")
        ),
        "{errors:?}"
    );
    assert!(
        errors.iter().any(
            |e| e.starts_with("calibration.toml:6:1: error[calibration-retired-id]")
                && e.contains("remove its entry")
        ),
        "{errors:?}"
    );
}

#[test]
fn check_refuses_a_bad_version_with_advice() {
    let r = check_with("version = 3\n");
    let errors = calibration_errors(&r);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("error[calibration-version]"),
        "{}",
        errors[0]
    );
    assert!(errors[0].contains("regenerate it"), "{}", errors[0]);
}

#[test]
fn check_points_at_an_out_of_range_question() {
    let r = check_with("version = 1\n\n[question.q-1]\ndifficulty = -8\nresponses = 3\nse = 0.2\n");
    let errors = calibration_errors(&r);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("calibration.toml:3:1: error[calibration-range]"),
        "{}",
        errors[0]
    );
    assert!(errors[0].contains("remove its entry so the label is used"));
}
