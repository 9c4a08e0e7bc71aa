//! `pmle progress`: the mock-exam history beside its predictions and the section trends,
//! through the real binary, on the fixture history moved to the binary's own "now".
#![allow(clippy::unwrap_used)]

mod common;

use common::{fixture, pmle, stderr, stdout};
use serde_json::Value;

/// Import tests/fixtures/progress/backup.json with every time moved so that its
/// `exported_at_ms` is the binary's now (read through an export of the empty database).
fn import_fixture(home: &std::path::Path) {
    let empty = home.join("empty.json");
    let o = pmle(home, &["export", "json", empty.to_str().unwrap()], "");
    assert!(o.status.success(), "{}", stderr(&o));
    let now =
        serde_json::from_slice::<Value>(&std::fs::read(&empty).unwrap()).unwrap()["exported_at_ms"]
            .as_i64()
            .unwrap();
    let mut doc: Value =
        serde_json::from_slice(&std::fs::read(fixture("progress/backup.json")).unwrap()).unwrap();
    let shift = now - doc["exported_at_ms"].as_i64().unwrap();
    shift_times(&mut doc, shift);
    let file = home.join("history.json");
    std::fs::write(&file, serde_json::to_vec(&doc).unwrap()).unwrap();
    let o = pmle(home, &["import", "json", file.to_str().unwrap()], "");
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
}

/// Add `shift` to every `…_at_ms` number.
fn shift_times(v: &mut Value, shift: i64) {
    match v {
        Value::Object(map) => {
            for (k, x) in map.iter_mut() {
                if k.ends_with("_at_ms")
                    && let Some(t) = x.as_i64()
                {
                    *x = Value::from(t + shift);
                } else {
                    shift_times(x, shift);
                }
            }
        }
        Value::Array(xs) => xs.iter_mut().for_each(|x| shift_times(x, shift)),
        _ => {}
    }
}

fn progress_json(home: &std::path::Path, days: &str) -> Value {
    let o = pmle(home, &["progress", "--days", days, "--json"], "");
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn an_empty_history_says_how_to_start_one() {
    let home = tempfile::tempdir().unwrap();
    let o = pmle(home.path(), &["progress"], "");
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.contains("take a mock exam to start your history"),
        "{text}"
    );
    assert!(text.contains("Google publishes no pass mark"), "{text}");
    assert_eq!(
        text.matches("too little evidence: 0 questions").count(),
        6,
        "{text}"
    );
    let p = progress_json(home.path(), "30");
    assert_eq!(p["exams"], Value::Array(vec![]));
    assert_eq!(p["days"], 30);
    // Only the offered windows.
    let o = pmle(home.path(), &["progress", "--days", "45"], "");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("give 30 or 90"), "{}", stderr(&o));
}

#[test]
fn the_history_and_trends_of_the_fixture() {
    let home = tempfile::tempdir().unwrap();
    import_fixture(home.path());
    let p = progress_json(home.path(), "30");
    let exams = p["exams"].as_array().unwrap();
    // Five submitted exams, oldest first; the abandoned exam 6 is left out.
    let ids: Vec<i64> = exams
        .iter()
        .map(|e| e["exam_id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![1, 2, 3, 4, 5]);
    let kinds: Vec<&str> = exams.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, vec!["section 1", "full", "retry", "full", "full"]);
    let scored: Vec<(i64, i64)> = exams
        .iter()
        .map(|e| {
            (
                e["correct"].as_i64().unwrap(),
                e["questions"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(scored, vec![(5, 10), (33, 60), (8, 12), (42, 60), (47, 60)]);
    // Section scores add up to the exam's.
    for e in exams {
        let secs = e["sections"].as_array().unwrap();
        let sum: i64 = secs.iter().map(|s| s["correct"].as_i64().unwrap()).sum();
        assert_eq!(sum, e["correct"].as_i64().unwrap(), "{e}");
    }
    // The stored predictions, and where each score fell: 33/60 = 55% is below 56%–76%.
    let outcomes: Vec<&str> = exams
        .iter()
        .map(|e| e["prediction"]["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(
        outcomes,
        vec!["inside", "below", "inside", "inside", "inside"]
    );
    assert_eq!(exams[1]["prediction"]["low"], 0.56);
    assert_eq!(p["target"], 0.7);
    assert!(p["history_note"].is_null());

    // Every section has answers in the last 30 days and enough questions then and now.
    for s in p["sections"].as_array().unwrap() {
        let pts = s["points"].as_array().unwrap();
        assert_eq!(pts.len(), 5);
        assert!(
            pts[0]["mastery"].is_number() && pts[4]["mastery"].is_number(),
            "{s}"
        );
        assert!(s["window_answers"].as_u64().unwrap() > 0, "{s}");
        let change = s["change"].as_str().unwrap();
        assert!(["up", "down", "no_clear_change"].contains(&change), "{s}");
    }
    // The last point is the mastery `stats` shows (a second later: evidence fades a little).
    let o = pmle(home.path(), &["stats", "--json"], "");
    let stats: Value = serde_json::from_slice(&o.stdout).unwrap();
    for (s, st) in p["sections"]
        .as_array()
        .unwrap()
        .iter()
        .zip(stats["sections"].as_array().unwrap())
    {
        let (a, b) = (
            s["points"][4]["mastery"].as_f64().unwrap(),
            st["mastery"].as_f64().unwrap(),
        );
        assert!((a - b).abs() < 1e-6, "{a} {b}");
    }
    // 90 days: the first practice answer is 85 days old, so 90 days ago nothing was measured.
    let p90 = progress_json(home.path(), "90");
    for s in p90["sections"].as_array().unwrap() {
        assert_eq!(s["points"].as_array().unwrap().len(), 13);
        assert!(s["points"][0]["mastery"].is_null());
        assert_eq!(s["change"], "too_little_evidence");
    }

    let o = pmle(home.path(), &["progress"], "");
    let text = stdout(&o);
    assert!(
        text.contains("predicted (80% interval) · score against it"),
        "{text}"
    );
    let row = text
        .lines()
        .find(|l| l.trim_start().starts_with("2 "))
        .unwrap();
    for part in ["full", "33/60 55%", "66% (56%–76%) · below"] {
        assert!(row.contains(part), "{row}");
    }
    assert!(!text.contains("take a mock exam to start"), "{text}");
}
