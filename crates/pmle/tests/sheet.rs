//! `pmle export sheet FILE.html`: the printable summary as one self-contained file.

mod common;

use common::*;

#[test]
fn export_sheet_writes_one_self_contained_file_and_replaces_it_like_every_export() {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("summary.html");
    let path = file.to_str().unwrap();
    let o = pmle(home.path(), &["export", "sheet", path], "");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("Wrote the summary (6 sections, 0 weak topics from 0 answered"),
        "{}",
        stdout(&o)
    );
    let html = std::fs::read_to_string(&file).unwrap();
    assert!(html.starts_with("<!doctype html>"));
    assert!(
        html.contains("<style>") && html.contains("@page"),
        "print styles inline"
    );
    for fetch in ["<link", "<script", "<img", "src=", "@import", "url("] {
        assert!(
            !html.contains(fetch),
            "the file would fetch something: {fetch}"
        );
    }
    for n in 1..=6 {
        assert!(html.contains(&format!("<h2>Section {n}: ")), "section {n}");
    }
    for part in [
        "Your weak topics",
        "Key decisions",
        "Renames and retirements",
        "Formulas",
    ] {
        assert_eq!(
            html.matches(&format!("<h3>{part}</h3>")).count(),
            6,
            "{part}"
        );
    }
    assert!(html.contains("No evidence yet"));
    assert!(html.contains("AI Platform Training (legacy)") && html.contains("retired 2025-01-31"));
    assert!(html.contains("TP / (TP + FP)"));

    // After some practice the same command replaces the file (written beside it and renamed,
    // as every export is), and the summary counts the answers.
    let o = pmle(
        home.path(),
        &["practice", "--count", "5", "--seed", "3"],
        &answers(5),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = pmle(home.path(), &["export", "sheet", path, "--quiet"], "");
    assert!(
        o.status.success() && stdout(&o).is_empty(),
        "{}",
        stderr(&o)
    );
    let again = std::fs::read_to_string(&file).unwrap();
    assert!(
        again.contains("(5 questions answered so far)"),
        "the new history is in"
    );
    let leftovers: Vec<_> = std::fs::read_dir(home.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("summary") && n != "summary.html")
        .collect();
    assert!(
        leftovers.is_empty(),
        "no temporary file left: {leftovers:?}"
    );

    // A folder that does not exist: exit 2 and where it tried to write.
    let o = pmle(
        home.path(),
        &[
            "export",
            "sheet",
            home.path().join("no/such/dir/s.html").to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("writing the summary to"),
        "{}",
        stderr(&o)
    );
}
