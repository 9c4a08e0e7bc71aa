//! Issue 20 point 6 in the CLI: `pmle reports [--json]` groups the reports by question and
//! `pmle reports triage` decides one; the reporter then reads the outcome in `pmle review
//! --reported` and `pmle show`. Hostile input gets a clear error and changes nothing.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use serde_json::Value;

const Q: &str = "s4-features-concepts-006";

fn run_ok(home: &std::path::Path, args: &[&str]) -> String {
    let o = pmle(home, args, "");
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    stdout(&o)
}

fn groups(home: &std::path::Path) -> Value {
    serde_json::from_str(&run_ok(home, &["reports", "--json"])).unwrap()
}

#[test]
fn reports_are_listed_by_question_triaged_and_the_reporter_sees_the_outcome() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    assert!(run_ok(h, &["reports"]).contains("No question is reported"));
    run_ok(h, &["report", Q, "--reason", "typo", "Vertx"]);
    run_ok(h, &["report", Q, "--reason", "wrong-key", "B is right"]);
    let g = groups(h);
    let q = &g["questions"][0];
    assert_eq!(q["question_id"], Q);
    assert_eq!(q["section_id"], "s4");
    assert!(q["line"].as_u64().unwrap() > 0, "{q}");
    assert_eq!(
        q["by_reason"],
        serde_json::json!({"typo": 1, "wrong-key": 1})
    );
    assert_eq!(
        (q["untriaged"].as_u64(), q["triaged"].as_u64()),
        (Some(2), Some(0))
    );
    let wrong_key = q["reports"][1]["id"].as_i64().unwrap();
    let typo = q["reports"][0]["id"].as_i64().unwrap();
    assert_eq!(q["reports"][1]["reason"], "wrong-key");
    assert_eq!(q["reports"][1]["user_id"], Value::Null);
    let text = run_ok(h, &["reports"]);
    assert!(
        text.contains(&format!("#{wrong_key} wrong-key")) && text.contains("untriaged"),
        "{text}"
    );

    let out = run_ok(
        h,
        &[
            "reports",
            "triage",
            &wrong_key.to_string(),
            "--fixed-in",
            "0.1.0",
            "--note",
            "key corrected",
        ],
    );
    assert!(out.contains("fixed in version 0.1.0"), "{out}");
    run_ok(h, &["reports", "triage", &typo.to_string(), "--reject"]);
    let q = &groups(h)["questions"][0];
    assert_eq!(q["triaged"], 2);
    assert_eq!(
        q["reports"][1]["triage"],
        serde_json::json!({"outcome": "fixed", "fixed_in": "0.1.0", "note": "key corrected",
                           "triaged_at_ms": q["reports"][1]["triage"]["triaged_at_ms"]})
    );
    assert!(q["reports"][1]["triage"]["triaged_at_ms"].as_i64().unwrap() > 0);

    // The reporter's side.
    let review = run_ok(h, &["review", "--reported"]);
    assert!(
        review.contains("wrong-key (fixed in version 0.1.0 — “key corrected”)")
            && review.contains("typo (rejected"),
        "{review}"
    );
    let shown = run_ok(h, &["show", Q]);
    assert!(
        shown.contains("Your report (wrong-key): fixed in version 0.1.0"),
        "{shown}"
    );
    // The backup carries it (schema 5).
    let file = h.join("b.json");
    run_ok(h, &["export", "json", file.to_str().unwrap(), "--quiet"]);
    let b: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(b["schema_version"], 5);
    assert_eq!(b["reports"][1]["triage"]["outcome"], "fixed");
}

#[test]
fn hostile_triage_input_is_refused_with_a_clear_error() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    run_ok(h, &["report", Q, "--reason", "typo"]);
    let id = groups(h)["questions"][0]["reports"][0]["id"]
        .as_i64()
        .unwrap();
    let id = id.to_string();
    let long = "n".repeat(501);
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["reports", "triage", "999", "--accept"],
            "there is no report 999",
        ),
        (
            vec!["reports", "triage", &id, "--fixed-in", "next"],
            "MAJOR.MINOR.PATCH",
        ),
        (
            vec!["reports", "triage", &id, "--fixed-in", "1.2.3\u{1b}[2J"],
            "MAJOR.MINOR.PATCH",
        ),
        (
            vec!["reports", "triage", &id, "--reject", "--note", &long],
            "keep it to 500",
        ),
        (
            vec!["reports", "triage", &id, "--reject", "--note", "a\u{7}b"],
            "control character",
        ),
        (vec!["reports", "triage", &id], "--accept"),
        (
            vec!["reports", "triage", &id, "--accept", "--reject"],
            "cannot be used with",
        ),
        (
            vec!["reports", "triage", "seven", "--accept"],
            "invalid value",
        ),
    ];
    for (args, needle) in cases {
        let o = pmle(h, &args, "");
        assert!(!o.status.success(), "{args:?} succeeded");
        let e = stderr(&o);
        assert!(e.contains(needle), "{args:?}: expected {needle:?} in {e}");
        assert!(
            !e.contains('\u{1b}'),
            "{args:?}: a control character echoed"
        );
    }
    let q = &groups(h)["questions"][0];
    assert_eq!(q["untriaged"], 1, "nothing was written: {q}");
}

struct Schema {
    admin: postgres::Client,
    name: String,
    url: String,
}

impl Drop for Schema {
    fn drop(&mut self) {
        let _ = self
            .admin
            .batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name));
    }
}

fn schema(tag: &str) -> Option<Schema> {
    let Ok(base) = std::env::var("PMLE_TEST_DATABASE_URL") else {
        assert!(
            std::env::var_os("PMLE_TEST_REQUIRE_POSTGRES").is_none(),
            "PMLE_TEST_REQUIRE_POSTGRES is set but PMLE_TEST_DATABASE_URL is not"
        );
        eprintln!("skipped: set PMLE_TEST_DATABASE_URL to run the PostgreSQL tests");
        return None;
    };
    let name = format!("pmle_cli_{tag}_{}", std::process::id());
    let mut admin = postgres::Client::connect(&base, postgres::NoTls).unwrap();
    admin
        .batch_execute(&format!(
            "DROP SCHEMA IF EXISTS {name} CASCADE; CREATE SCHEMA {name}"
        ))
        .unwrap();
    let sep = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{sep}options=-csearch_path%3D{name}");
    Some(Schema { admin, name, url })
}

#[test]
fn on_a_team_server_every_accounts_reports_are_grouped_and_triage_reaches_one_learner() {
    use pmle_store::{NewReport, PgPool, ReportReason, ReportStatus, Store};
    let Some(pg) = schema("triage") else { return };
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let pool = PgPool::open(&pg.url, 1).unwrap();
    let report = |reason, at| NewReport {
        question_id: Q.into(),
        reason,
        text: None,
        created_at_ms: at,
        status: ReportStatus::Open,
        triage: None,
    };
    let (mut one, mut two) = (pool.store_for(1), pool.store_for(2));
    let r1 = one.add_report(&report(ReportReason::Outdated, 10)).unwrap();
    let r2 = two.add_report(&report(ReportReason::WrongKey, 20)).unwrap();
    let url = pg.url.as_str();
    let g: Value =
        serde_json::from_str(&run_ok(h, &["reports", "--json", "--database", url])).unwrap();
    let q = &g["questions"][0];
    assert_eq!(g["questions"].as_array().unwrap().len(), 1, "{g}");
    let who: Vec<(i64, i64)> = q["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["id"].as_i64().unwrap(), r["user_id"].as_i64().unwrap()))
        .collect();
    assert_eq!(who, vec![(r1, 1), (r2, 2)]);
    let text = run_ok(h, &["reports", "--database", url]);
    assert!(
        text.contains(" · user 2 · "),
        "reporters as user ids: {text}"
    );

    let out = run_ok(
        h,
        &[
            "reports",
            "triage",
            &r2.to_string(),
            "--accept",
            "--database",
            url,
        ],
    );
    assert!(out.contains("user 2") && out.contains("accepted"), "{out}");
    assert!(one.reports().unwrap()[0].report.triage.is_none());
    assert!(two.reports().unwrap()[0].report.triage.is_some());
    let o = pmle(
        h,
        &["reports", "triage", "99999", "--reject", "--database", url],
        "",
    );
    assert!(
        stderr(&o).contains("there is no report 99999"),
        "{}",
        stderr(&o)
    );
}
