use super::*;
use crate::source::PackSource;

fn pack_with(extra: &[(&str, &str)]) -> Parsed {
    let mut files = vec![("pack.toml", MINI_PACK)];
    files.extend_from_slice(extra);
    parse(&PackSource::from_files(
        "test",
        files.iter().map(|(a, b)| (*a, *b)),
    ))
}

pub(crate) const MINI_PACK: &str = r#"schema-version = 1
id = "mini"
title = "Mini"
guide-version = "June 2026"
guide-date = 2026-06-01
guide-url = "https://cloud.google.com/learn/certification/guides/machine-learning-engineer"
[exam]
min-questions = 1
max-questions = 3
default-questions = 2
minutes = 10
kinds = ["single", "multiple"]
[[section]]
id = "s1"
number = 1
title = "One"
weight = 100
[references]
official = ["cloud.google.com"]
"#;

const ONE_QUESTION: &str = r#"
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
"#;

#[test]
fn parses_a_question() {
    let p = pack_with(&[("questions/a.toml", ONE_QUESTION)]);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    assert_eq!(p.questions.len(), 1);
    let q = &p.questions[0];
    assert_eq!(q.kind, Kind::Single);
    assert_eq!(q.options.len(), 2);
    assert_eq!(q.location.line, 2);
    assert_eq!(
        q.last_verified,
        Date {
            year: 2026,
            month: 1,
            day: 1
        }
    );
}

#[test]
fn unknown_key_is_reported_at_its_line() {
    let bad = ONE_QUESTION.replace("explanation = \"no\"", "explantion = \"no\"");
    let p = pack_with(&[("questions/a.toml", &bad)]);
    assert_eq!(p.questions.len(), 0);
    let d = &p.diagnostics[0];
    assert_eq!(d.code, "unknown-key");
    assert_eq!((d.file.as_str(), d.line), ("questions/a.toml", 18));
    assert!(d.message.contains("explantion"), "{}", d.message);
}

#[test]
fn one_bad_question_does_not_hide_the_next() {
    let two = format!(
        "{ONE_QUESTION}\n{}",
        ONE_QUESTION
            .replace("q-1", "q-2")
            .replace("difficulty = 2", "difficulty = \"hard\"")
    );
    let p = pack_with(&[("questions/a.toml", &two)]);
    assert_eq!(p.questions.len(), 1);
    assert_eq!(p.diagnostics.len(), 1);
    assert_eq!(p.diagnostics[0].code, "wrong-type");
    assert!(p.diagnostics[0].message.contains("q-2"));
}

#[test]
fn syntax_error_names_line_and_column() {
    let p = pack_with(&[("questions/a.toml", "[[question]]\nid = \"x\nsection = 1\n")]);
    let d = &p.diagnostics[0];
    assert_eq!(d.code, "syntax");
    assert_eq!(d.line, 2);
}

#[test]
fn note_front_matter_lines_are_offset() {
    let note = "+++\nid = \"n\"\ntitle = \"N\"\nsection = \"s1\"\nreferencs = []\n+++\nBody\n";
    let p = pack_with(&[("notes/n.md", note)]);
    let d = &p.diagnostics[0];
    assert_eq!((d.code, d.line), ("unknown-key", 5));
}

#[test]
fn note_without_front_matter() {
    let p = pack_with(&[("notes/n.md", "# Title\n")]);
    assert_eq!(p.diagnostics[0].code, "front-matter");
}

#[test]
fn missing_pack_toml() {
    let p = parse(&PackSource::from_files("t", [("topics.toml", "")]));
    assert_eq!(p.diagnostics[0].code, "missing-pack-toml");
}

#[test]
fn multiple_without_choose() {
    let bad = ONE_QUESTION.replace("kind = \"single\"", "kind = \"multiple\"");
    let p = pack_with(&[("questions/a.toml", &bad)]);
    assert_eq!(p.diagnostics[0].code, "bad-kind");
    assert_eq!(p.diagnostics[0].line, 6);
}

#[test]
fn date_with_time_is_rejected() {
    let bad = ONE_QUESTION.replace("2026-01-01", "2026-01-01T10:00:00");
    let p = pack_with(&[("questions/a.toml", &bad)]);
    assert_eq!(p.diagnostics[0].code, "wrong-type");
}

#[test]
fn stray_file_is_a_warning() {
    let p = pack_with(&[("question/a.toml", ONE_QUESTION)]);
    assert_eq!(p.diagnostics[0].code, "unexpected-file");
    assert_eq!(p.diagnostics[0].severity, crate::Severity::Warning);
}

#[test]
fn options_point_at_their_own_header() {
    let bad = ONE_QUESTION.replace("explanation = \"no\"", "explanation = \"\"");
    let p = pack_with(&[("questions/a.toml", &bad)]);
    let q = &p.questions[0];
    assert_eq!(q.options[0].location.line, 11);
    assert_eq!(q.options[1].location.line, 15);
}

#[test]
fn second_question_options_located() {
    let two = format!("{ONE_QUESTION}\n{}", ONE_QUESTION.replace("q-1", "q-2"));
    let p = pack_with(&[("questions/a.toml", &two)]);
    let q = &p.questions[1];
    assert_eq!(q.location.line, 21);
    assert_eq!(q.options[0].location.line, 30);
}
