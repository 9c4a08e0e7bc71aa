//! Readiness through the real binary: a new database claims nothing, and a history of 45
//! right practice answers without a mock exam is never "likely ready" nor above 90%.
#![allow(clippy::unwrap_used)]

mod common;

use common::{pmle, stats, stderr, stdout};
use pmle_content::model::Date;
use serde_json::{Value, json};

#[test]
fn a_new_database_shows_no_figures_and_no_verdict() {
    let home = tempfile::tempdir().unwrap();
    let s = stats(home.path(), &[]);
    for sec in s["sections"].as_array().unwrap() {
        assert!(sec["mastery"].is_null(), "{sec}");
        assert!(sec["mastery_low"].is_null() && sec["mastery_high"].is_null());
    }
    let r = &s["readiness"];
    assert_eq!(r["status"], "not_enough_evidence");
    for key in ["mean", "low", "high", "p_pass"] {
        assert!(r[key].is_null(), "{key}: {r}");
    }
    assert_eq!(r["mock_exams"], json!([]));
    let o = pmle(home.path(), &["stats"], "");
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert_eq!(text.matches("not measured yet").count(), 6, "{text}");
    assert!(
        text.contains("readiness: Not enough evidence yet"),
        "{text}"
    );
    assert!(!text.contains("P(reach target)"), "{text}");
}

/// Import `answers` (question index into the pack, correct) as a backup, `minutes_ago` apart.
fn import_history(home: &std::path::Path, picks: &[usize]) {
    // The binary's own clock, read through an export of the empty database.
    let file = home.join("empty.json");
    let o = pmle(home, &["export", "json", file.to_str().unwrap()], "");
    assert!(o.status.success(), "{}", stderr(&o));
    let mut doc: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    let now = doc["exported_at_ms"].as_i64().unwrap();
    let pack = pmle_app::load_pack(
        None,
        Date {
            year: 2100,
            month: 1,
            day: 1,
        },
    )
    .unwrap();
    let live: Vec<_> = pack.questions.iter().filter(|q| !q.retired).collect();
    let answers: Vec<Value> = picks
        .iter()
        .enumerate()
        .map(|(k, &i)| {
            let q = live[i];
            json!({
                "question_id": q.id,
                "section_id": q.section,
                "mode": "practice",
                "session_id": null,
                "shown_order": (0..q.options.len()).collect::<Vec<_>>(),
                "chosen": q.correct_indexes(),
                "correct": true,
                "answered_at_ms": now - (picks.len() - k) as i64 * 60_000,
                "duration_ms": 40_000,
            })
        })
        .collect();
    doc["answers"] = Value::Array(answers);
    std::fs::write(&file, serde_json::to_vec(&doc).unwrap()).unwrap();
    let o = pmle(home, &["import", "json", file.to_str().unwrap()], "");
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains(&format!("Imported {} answers", picks.len())),
        "{}",
        stdout(&o)
    );
}

#[test]
fn forty_five_right_practice_answers_are_not_enough() {
    let pack = pmle_app::load_pack(
        None,
        Date {
            year: 2100,
            month: 1,
            day: 1,
        },
    )
    .unwrap();
    let live: Vec<_> = pack.questions.iter().filter(|q| !q.retired).collect();
    // 45 different questions, round-robin over the sections (the history most likely to
    // look ready), and 15 questions answered three times each (memory, not ability).
    let mut by_section: Vec<Vec<usize>> = vec![Vec::new(); pack.sections.len()];
    for (i, q) in live.iter().enumerate() {
        let s = pack
            .sections
            .iter()
            .position(|s| s.id == q.section)
            .unwrap();
        by_section[s].push(i);
    }
    let spread: Vec<usize> = (0..45)
        .map(|k| by_section[k % by_section.len()][k / by_section.len()])
        .collect();
    let repeated: Vec<usize> = (0..45).map(|k| spread[k % 15]).collect();
    for (name, picks) in [("spread", spread), ("repeated", repeated)] {
        let home = tempfile::tempdir().unwrap();
        import_history(home.path(), &picks);
        let s = stats(home.path(), &[]);
        assert_eq!(s["progress"]["answers_correct"], 45, "{name}");
        let r = &s["readiness"];
        assert_ne!(r["status"], "likely_ready", "{name}: {r}");
        let p = r["p_pass"].as_f64().unwrap();
        assert!(p <= 0.9, "{name}: P(pass) {p}");
        assert!(
            r["mean"].as_f64().unwrap() > 0.7,
            "{name}: the estimate is high: {r}"
        );
        let missing: Vec<&str> = r["missing"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m.as_str().unwrap())
            .collect();
        assert!(
            missing[0].starts_with("take a full timed mock exam"),
            "{name}: {missing:?}"
        );
        assert!(
            missing.iter().any(|m| m.contains("has only")),
            "{name}: no section can have 15 answered questions: {missing:?}"
        );
        let o = pmle(home.path(), &["stats"], "");
        let text = stdout(&o);
        if std::env::var_os("PMLE_SHOW").is_some() {
            eprintln!("{name}:\n{text}");
        }
        assert!(
            text.contains("take a full timed mock exam"),
            "{name}: {text}"
        );
        assert!(!text.contains("Likely ready"), "{name}: {text}");
        // The figure shown is the bounded one.
        let shown = text
            .split("P(reach target) ")
            .nth(1)
            .and_then(|t| t.split('%').next())
            .unwrap()
            .trim_start_matches(['<', '>']);
        assert!(shown.parse::<f64>().unwrap() <= 90.0, "{name}: {text}");
    }
}

#[test]
fn a_mock_exam_is_checked_against_its_prediction_everywhere() {
    let home = tempfile::tempdir().unwrap();
    let pack = common::fixture("mini");
    let p = pack.to_str().unwrap();
    // A first exam on a new database has nothing to check: its prediction would be the prior.
    // Two practice answers first.
    let o = pmle(
        home.path(),
        &["--pack", p, "practice", "--count", "2", "--seed", "4"],
        &common::answers(2),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = pmle(
        home.path(),
        &["--pack", p, "exam", "--seed", "2"],
        &format!("{}s\ny\n", common::answers(3)),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("Readiness check: predicted"),
        "{}",
        stdout(&o)
    );
    let o = pmle(
        home.path(),
        &["--pack", p, "exam", "--report", "--json"],
        "",
    );
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    let check = &report["prediction"];
    let (low, high) = (
        check["low"].as_f64().unwrap(),
        check["high"].as_f64().unwrap(),
    );
    let predicted = check["predicted"].as_f64().unwrap();
    assert!(low <= predicted && predicted <= high, "{check}");
    assert_eq!(check["actual"], report["score"]);
    let actual = report["score"].as_f64().unwrap();
    assert_eq!(
        check["held"],
        json!(low <= actual && actual <= high),
        "{check}"
    );
    let s = stats(home.path(), &["--pack", p]);
    let history = s["readiness"]["mock_exams"].as_array().unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0], *check);
    let o = pmle(home.path(), &["--pack", p, "stats"], "");
    let text = stdout(&o);
    assert!(
        text.contains("mock exams, predicted against scored"),
        "{text}"
    );
    assert!(
        text.contains(&format!("exam {} (full): predicted", report["exam_id"])),
        "{text}"
    );
}
