//! Issue 18 in the CLI: keep a question after an answer (bookmark, flag, note, report), the
//! review centre, `pmle bookmark|flag|note-on|report`, `pmle export reports`, and practice
//! filters.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use serde_json::Value;

const Q: &str = "s4-features-concepts-006";

fn review_json(home: &std::path::Path, filter: &[&str]) -> Value {
    let mut args = vec!["review", "--json"];
    args.extend(filter);
    let o = pmle(home, &args, "");
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

fn ids(v: &Value) -> Vec<String> {
    v["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["question_id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn after_an_answer_the_question_can_be_bookmarked_flagged_noted_and_reported() {
    let home = tempfile::tempdir().unwrap();
    // Answer, then keep it four ways; `report boring` is refused with the reasons.
    let input = "a,b\nbookmark\nflag\nnote quota per project\nreport boring\nreport typo Vertx\n\n";
    let o = pmle(home.path(), &["practice", "--id", Q], input);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("Keep it: bookmark · flag · note TEXT · report"),
        "{out}"
    );
    assert!(out.contains(&format!("Bookmarked {Q}")), "{out}");
    assert!(
        out.contains("give one of wrong-key, unclear, outdated or typo"),
        "{out}"
    );
    for filter in ["--bookmarked", "--flagged", "--reported"] {
        assert_eq!(
            ids(&review_json(home.path(), &[filter])),
            vec![Q],
            "{filter}"
        );
    }
    let all = review_json(home.path(), &[]);
    let q = &all["questions"][0];
    assert_eq!(q["note"], "quota per project");
    assert_eq!(q["reports"], serde_json::json!(["typo"]));
    assert_eq!(q["answers"], 1);
    assert!(q["last_chosen"][0].is_string());
    // The text list shows the same.
    let o = pmle(home.path(), &["review", "--bookmarked"], "");
    let out = stdout(&o);
    assert!(out.contains(&format!("{Q} · s4")), "{out}");
    assert!(
        out.contains("[bookmarked] [flagged] [reported: typo (open)]"),
        "{out}"
    );
    assert!(out.contains("Note: quota per project"), "{out}");
    assert!(out.contains("pmle review --bookmarked --practice"), "{out}");

    // The reports file for the maintainers.
    let file = home.path().join("reports.json");
    let o = pmle(
        home.path(),
        &["export", "reports", file.to_str().unwrap()],
        "",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let r: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(r["format"], "pmle-question-reports");
    assert_eq!(r["reports"][0]["question_id"], Q);
    assert_eq!(r["reports"][0]["reason"], "typo");
    assert_eq!(r["reports"][0]["text"], "Vertx");
    assert_eq!(r["reports"][0]["status"], "open");
    assert_eq!(r["schema_version"], 2);
    assert_eq!(r["reports"][0]["triage"], Value::Null);

    // And the JSON backup carries all of it.
    let backup = home.path().join("b.json");
    let o = pmle(
        home.path(),
        &["export", "json", backup.to_str().unwrap()],
        "",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let b: Value = serde_json::from_slice(&std::fs::read(&backup).unwrap()).unwrap();
    assert_eq!(b["schema_version"], 5);
    assert_eq!(b["marks"].as_array().unwrap().len(), 2);
    assert_eq!(b["notes"][0]["text"], "quota per project");
    assert_eq!(b["reports"][0]["reason"], "typo");
    let other = tempfile::tempdir().unwrap();
    let o = pmle(
        other.path(),
        &["import", "json", backup.to_str().unwrap()],
        "",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(ids(&review_json(other.path(), &["--reported"])), vec![Q]);
}

#[test]
fn commands_keep_questions_and_refuse_unknown_ids_with_a_way_to_find_them() {
    let home = tempfile::tempdir().unwrap();
    let ok = |args: &[&str]| {
        let o = pmle(home.path(), args, "");
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        stdout(&o)
    };
    assert!(ok(&["bookmark", Q]).contains("is bookmarked"));
    assert!(ok(&["bookmark", Q]).contains("already bookmarked"));
    ok(&["flag", Q]);
    ok(&["note-on", Q, "two", "words"]);
    let r = ok(&["report", Q, "--reason", "outdated", "renamed", "--json"]);
    let r: Value = serde_json::from_str(&r).unwrap();
    assert_eq!(r["reason"], "outdated");
    assert_eq!(r["text"], "renamed");
    let all = review_json(home.path(), &[]);
    assert_eq!(all["questions"][0]["note"], "two words");
    assert_eq!(all["questions"][0]["last_answered_at_ms"], Value::Null);
    ok(&["bookmark", Q, "--remove"]);
    ok(&["flag", Q, "--remove"]);
    ok(&["note-on", Q, "--clear"]);
    assert!(ids(&review_json(home.path(), &["--bookmarked"])).is_empty());
    assert!(ids(&review_json(home.path(), &["--flagged"])).is_empty());
    assert_eq!(
        review_json(home.path(), &[])["questions"][0]["note"],
        Value::Null
    );

    for args in [
        vec!["bookmark", "no-such-q"],
        vec!["note-on", "no-such-q", "x"],
        vec!["report", "no-such-q", "--reason", "typo"],
    ] {
        let o = pmle(home.path(), &args, "");
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains("pmle search"), "{}", stderr(&o));
    }
    let o = pmle(home.path(), &["report", Q, "--reason", "boring"], "");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("wrong-key"), "{}", stderr(&o));
    let o = pmle(home.path(), &["review", "--wrong", "--flagged"], "");
    assert_eq!(o.status.code(), Some(2), "one filter at a time");
}

#[test]
fn practice_filters_pick_only_matching_questions_and_name_the_one_to_loosen() {
    let home = tempfile::tempdir().unwrap();
    // Nothing bookmarked yet: the error says which filter and what to do.
    let o = pmle(home.path(), &["practice", "--bookmarked"], "");
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("no question matches --bookmarked") && e.contains("pmle bookmark ID"),
        "{e}"
    );
    let o = pmle(home.path(), &["practice", "--difficulty", "4"], "");
    assert_eq!(o.status.code(), Some(2), "clap refuses 4");

    pmle(home.path(), &["bookmark", Q], "");
    let shown: Value = {
        let o = pmle(home.path(), &["show", Q, "--json"], "");
        serde_json::from_slice(&o.stdout).unwrap()
    };
    let difficulty = shown["difficulty"].as_u64().unwrap();
    let topic = shown["topics"][0].as_str().expect("show lists topic ids");
    let other = if difficulty == 1 { "2" } else { "1" };
    let o = pmle(
        home.path(),
        &["practice", "--bookmarked", "--difficulty", other],
        "",
    );
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("together") && e.contains("--bookmarked alone: 1"),
        "{e}"
    );

    // Only the bookmarked question is asked, once.
    let o = pmle(
        home.path(),
        &["practice", "--bookmarked", "--topic", topic, "--count", "3"],
        "a,b\n\n",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert_eq!(out.matches("── Question").count(), 1, "{out}");
    assert!(out.contains(Q), "{out}");
    assert!(
        out.contains(&format!(
            "Every question that matches --bookmarked --topic {topic} was asked"
        )),
        "{out}"
    );

    // --unseen never asks it again; --missed asks only missed ones.
    let o = pmle(
        home.path(),
        &["practice", "--unseen", "--count", "3", "--seed", "2"],
        &answers(3),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stdout(&o).contains(&format!("· {Q}\n")), "{}", stdout(&o));
    let wrong = ids(&review_json(home.path(), &["--wrong"]));
    // Answering "a" to three fresh questions (seed 2) misses at least one.
    let missed = wrong.first().expect("a missed question");
    let o = pmle(
        home.path(),
        &["review", "--wrong", "--practice", "--count", "5"],
        &answers(5),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert_eq!(out.matches("── Question").count(), wrong.len(), "{out}");
    assert!(out.contains(missed.as_str()), "{out}");
}
