//! `pmle show ID` opens what `pmle search` finds; `pmle practice --id ID` answers it.

mod common;

use common::*;
use serde_json::Value;

const QUESTION: &str = "s4-features-concepts-006";

#[test]
fn every_id_that_search_prints_opens_with_show() {
    let home = tempfile::tempdir().unwrap();
    let o = pmle(
        home.path(),
        &["search", "feature store", "--limit", "20"],
        "",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let ids: Vec<&str> = out
        .lines()
        .filter_map(|l| l.trim().strip_prefix("open: pmle show "))
        .collect();
    let kinds = out.lines().filter(|l| !l.starts_with(' ')).count();
    assert_eq!(ids.len(), kinds, "every hit says how to open it:\n{out}");
    assert!(ids.len() >= 5, "{out}");
    for id in ids {
        let o = pmle(home.path(), &["show", id, "--json"], "");
        assert!(o.status.success(), "{id}: {}", stderr(&o));
        let v: Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["id"], id);
    }
}

#[test]
fn search_labels_only_the_legacy_feature_store_deprecated() {
    let home = tempfile::tempdir().unwrap();
    let o = pmle(home.path(), &["search", "feature store"], "");
    let out = stdout(&o);
    let line = |title: &str| {
        out.lines()
            .find(|l| l.starts_with(&format!("product  {title}  ")))
            .unwrap_or_else(|| panic!("no line for {title}:\n{out}"))
            .to_owned()
    };
    let current = line("Agent Platform Feature Store");
    assert!(!current.contains("[deprecated"), "{current}");
    assert!(
        !current.contains("formerly Vertex AI Feature Store (Legacy)"),
        "{current}"
    );
    assert!(line("Feature Store (Legacy)").contains("[deprecated 2026-05-17]"));
    let o = pmle(home.path(), &["search", "feature store", "--json"], "");
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let hit = |id: &str| {
        v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(hit("agent-platform-feature-store")["status"], Value::Null);
    assert_eq!(
        hit("agent-platform-feature-store")["replaces"]["id"],
        "feature-store-legacy"
    );
    assert_eq!(hit("feature-store-legacy")["status"], "deprecated");
}

#[test]
fn a_question_is_shown_without_its_key_until_asked() {
    let home = tempfile::tempdir().unwrap();
    let o = pmle(home.path(), &["show", QUESTION], "");
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("  A. "), "{out}");
    assert!(!out.contains('✓') && !out.contains("Answer:"), "{out}");
    assert!(
        out.contains(&format!("pmle practice --id {QUESTION}")),
        "{out}"
    );
    let o = pmle(home.path(), &["show", QUESTION, "--json"], "");
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["kind"], "question");
    assert_eq!(v["revealed"], false);
    assert!(
        v["options"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["correct"].is_null() && o["explanation"].is_null()),
        "{v}"
    );

    let o = pmle(home.path(), &["show", QUESTION, "--answer"], "");
    let out = stdout(&o);
    assert!(out.contains("Answer: C, D"), "{out}");
    assert!(out.contains("✓ C. ") && out.contains("✗ A. "), "{out}");
    let o = pmle(home.path(), &["show", QUESTION, "--answer", "--json"], "");
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let key: Vec<&str> = v["options"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["correct"] == true)
        .map(|o| o["letter"].as_str().unwrap())
        .collect();
    assert_eq!(key, ["C", "D"]);
}

#[test]
fn a_card_shows_its_back_only_with_answer() {
    let home = tempfile::tempdir().unwrap();
    let back = "Your BigQuery tables or views";
    let o = pmle(home.path(), &["show", "card-fs-v2-offline"], "");
    let out = stdout(&o);
    assert!(
        out.contains("What is the offline store") && !out.contains(back),
        "{out}"
    );
    assert!(
        out.contains("pmle show card-fs-v2-offline --answer"),
        "{out}"
    );
    let o = pmle(home.path(), &["show", "card-fs-v2-offline", "--json"], "");
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["back"], Value::Null);
    let o = pmle(home.path(), &["show", "card-fs-v2-offline", "--answer"], "");
    assert!(stdout(&o).contains(back));
}

#[test]
fn an_unknown_id_is_refused_with_close_ids() {
    let home = tempfile::tempdir().unwrap();
    let o = pmle(home.path(), &["show", "feature-stor"], "");
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("`feature-store`"), "{err}");
    assert!(err.contains("pmle search"), "{err}");
}

#[test]
fn practice_id_answers_the_shown_question_and_records_it() {
    let home = tempfile::tempdir().unwrap();
    // Any two letters: the answer is recorded whether right or wrong.
    let o = pmle(
        home.path(),
        &["practice", "--id", QUESTION, "--seed", "1"],
        "a,b\n",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains(QUESTION), "{out}");
    assert!(out.contains("Read more:"), "{out}");
    assert_eq!(
        stats(home.path(), &[])["progress"]["answers_total"],
        1,
        "{out}"
    );
    // A card is not a question: say what it is and how to open it.
    let o = pmle(home.path(), &["practice", "--id", "card-fs-why"], "");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("pmle show card-fs-why"),
        "{}",
        stderr(&o)
    );
}
