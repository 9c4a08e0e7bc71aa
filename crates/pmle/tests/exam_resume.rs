//! The resume prompt and `pmle exam --abandon` through the real binary: a single `n` never
//! ends an unfinished exam; only a second confirmation abandons it, and an abandoned exam
//! is kept unscored and counts nowhere.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use serde_json::Value;

/// Start an exam of the mini pack, answer its first question, and leave it unfinished.
fn leave_unfinished(home: &std::path::Path, pack: &str) {
    let o = pmle(home, &["--pack", pack, "exam", "--seed", "2"], "a\nq\n");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("Saved."), "{}", stdout(&o));
}

fn report(home: &std::path::Path, pack: &str, id: &str) -> Value {
    let o = pmle(
        home,
        &["--pack", pack, "exam", "--report", id, "--json"],
        "",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn n_alone_never_ends_the_exam() {
    let home = tempfile::tempdir().unwrap();
    let pack = fixture("mini");
    let p = pack.to_str().unwrap();
    leave_unfinished(home.path(), p);
    // `n`, then Enter at the confirmation: resumed, nothing submitted or abandoned.
    let o = pmle(home.path(), &["--pack", p, "exam"], "n\n\nq\n");
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("Resume? [Y/n]"), "{out}");
    assert!(
        !out.contains("submits"),
        "the prompt no longer offers to submit: {out}"
    );
    assert!(out.contains("Type `abandon` to confirm"), "{out}");
    assert!(out.contains("Resuming exam 1."), "{out}");
    // `n` and then the end of input: still resumed.
    let o = pmle(home.path(), &["--pack", p, "exam"], "n\n");
    assert!(o.status.success(), "{}", stderr(&o));
    // `n` then `y` is not the confirmation either.
    let o = pmle(home.path(), &["--pack", p, "exam"], "n\ny\nq\n");
    assert!(stdout(&o).contains("Resuming exam 1."), "{}", stdout(&o));
    let s = stats(home.path(), &["--pack", p]);
    assert_eq!(s["exams"]["finished"], 0, "nothing was submitted");
    assert_eq!(s["exams"]["unfinished"]["id"], 1);
    assert_eq!(s["exams"]["unfinished"]["answered"], 1);
    assert_eq!(s["progress"]["answers_total"], 0);
    assert_eq!(report(home.path(), p, "1")["status"], "running");
}

#[test]
fn a_second_confirmation_abandons_and_starts_a_new_exam() {
    let home = tempfile::tempdir().unwrap();
    let pack = fixture("mini");
    let p = pack.to_str().unwrap();
    leave_unfinished(home.path(), p);
    let o = pmle(home.path(), &["--pack", p, "exam"], "n\nabandon\nq\n");
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("Exam 1 abandoned"), "{out}");
    assert!(out.contains("Mock exam 2:"), "a new exam started: {out}");
    let s = stats(home.path(), &["--pack", p]);
    assert_eq!(s["exams"]["finished"], 0, "not in the history");
    assert_eq!(s["exams"]["last_score"], Value::Null, "no last score");
    assert_eq!(s["exams"]["unfinished"]["id"], 2);
    assert_eq!(
        s["progress"]["answers_total"], 0,
        "its answer is not recorded"
    );
    assert!(
        s["readiness"]["mock_exams"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["exam_id"] != 1),
        "its prediction is not checked: {}",
        s["readiness"]["mock_exams"]
    );
    let r = report(home.path(), p, "1");
    assert_eq!(r["status"], "abandoned");
    assert_eq!(r["answered"], 1, "what was saved is kept");
    let o = pmle(home.path(), &["--pack", p, "exam", "--report", "1"], "");
    assert!(
        stdout(&o).contains("Exam 1 was abandoned"),
        "{}",
        stdout(&o)
    );
    let o = pmle(home.path(), &["--pack", p, "exam", "--list"], "");
    assert_eq!(stdout(&o).trim(), "", "the list holds finished exams only");
}

#[test]
fn abandon_flag_discards_the_unfinished_exam() {
    let home = tempfile::tempdir().unwrap();
    let pack = fixture("mini");
    let p = pack.to_str().unwrap();
    leave_unfinished(home.path(), p);
    let o = pmle(
        home.path(),
        &["--pack", p, "exam", "--abandon", "--json"],
        "",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["abandoned"], 1);
    assert_eq!(v["answered"], 1);
    assert_eq!(v["questions"], 2);
    let s = stats(home.path(), &["--pack", p]);
    assert_eq!(s["exams"]["unfinished"], Value::Null);
    assert_eq!(s["exams"]["finished"], 0);
    let o = pmle(home.path(), &["--pack", p, "exam", "--abandon"], "");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no unfinished exam to abandon"),
        "{}",
        stderr(&o)
    );
    // The abandoned exam travels in the backup.
    let file = home.path().join("b.json");
    let o = pmle(
        home.path(),
        &["export", "json", file.to_str().unwrap(), "--quiet"],
        "",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let b: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(b["schema_version"], 5);
    assert!(
        b["exams"][0]["abandoned_at_ms"].is_i64(),
        "{}",
        b["exams"][0]
    );
}

#[test]
fn the_report_uses_one_time_format_and_averages_answered_questions() {
    let home = tempfile::tempdir().unwrap();
    let pack = fixture("mini");
    let p = pack.to_str().unwrap();
    // Answer question 1 only, then submit.
    let o = pmle(
        home.path(),
        &["--pack", p, "exam", "--seed", "2"],
        "a\ns\ny\n",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let line = out
        .lines()
        .find(|l| l.contains(" used of "))
        .expect("the summary line");
    // "…, 0:00:00 used of 0:10:00": both times h:mm:ss, as every exam time is written.
    let times = line.rsplit(", ").next().unwrap();
    let (used, limit) = times.split_once(" used of ").unwrap();
    let hms = |t: &str| {
        let parts: Vec<&str> = t.split(':').collect();
        parts.len() == 3 && parts[1].len() == 2 && parts[2].len() == 2
    };
    assert!(hms(used) && hms(limit), "{line}");
    assert_eq!(limit, "0:10:00", "{line}");
    assert!(
        out.contains("average time per answered question: 0:00:") && out.contains("(1 answered)"),
        "{out}"
    );
}
