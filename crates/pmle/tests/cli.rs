//! The real binary, driven as a user or a script would drive it.

mod common;

use std::process::Command;

use common::*;
use serde_json::Value;

#[test]
fn piped_practice_is_recorded_and_counted() {
    let home = tempfile::tempdir().unwrap();
    let before = stats(home.path(), &[]);
    assert_eq!(before["progress"]["answers_total"], 0);
    let o = pmle(
        home.path(),
        &["practice", "--count", "5", "--seed", "3"],
        &answers(5),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert_eq!(out.matches("── Question").count(), 5, "{out}");
    assert!(out.contains("Done:"), "{out}");
    let after = stats(home.path(), &[]);
    assert_eq!(after["progress"]["answers_total"], 5);
    let by_section: u64 = after["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["answers"].as_u64().unwrap())
        .sum();
    assert_eq!(by_section, 5);
}

#[test]
fn end_of_input_stops_cleanly_and_keeps_answers() {
    let home = tempfile::tempdir().unwrap();
    let o = pmle(
        home.path(),
        &["practice", "--count", "5", "--seed", "9"],
        &answers(2)[..6],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("Your answers are saved"));
    let recorded = stats(home.path(), &[])["progress"]["answers_total"]
        .as_u64()
        .unwrap();
    assert!((1..=2).contains(&recorded), "{recorded}");
}

#[test]
fn practice_shows_every_explanation_and_accepts_section_numbers() {
    let home = tempfile::tempdir().unwrap();
    let pack = fixture("mini");
    let args = [
        "--pack",
        pack.to_str().unwrap(),
        "practice",
        "--section",
        "1",
        "--count",
        "1",
        "--seed",
        "1",
    ];
    let o = pmle(home.path(), &args, "a\n");
    let out = stdout(&o);
    assert!(o.status.success(), "{}", stderr(&o));
    // All four options are explained after answering, whichever was picked.
    assert_eq!(out.matches("Because ").count(), 4, "{out}");
    assert!(
        out.contains("Read more: https://cloud.google.com/"),
        "{out}"
    );
    let o = pmle(
        home.path(),
        &[
            "--pack",
            pack.to_str().unwrap(),
            "practice",
            "--section",
            "s7",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown section `s7`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn stats_json_lists_six_sections_with_weights() {
    let home = tempfile::tempdir().unwrap();
    let s = stats(home.path(), &[]);
    let sections = s["sections"].as_array().unwrap();
    assert_eq!(sections.len(), 6);
    let total: f64 = sections.iter().map(|s| s["weight"].as_f64().unwrap()).sum();
    assert!((total - 100.0).abs() <= 1.0, "{total}");
    for key in ["questions", "cards", "notes", "catalog"] {
        assert!(s["content"][key].is_u64(), "content.{key}");
    }
    assert!(s["progress"]["correct_share"].is_null());
}

#[test]
fn check_exit_codes_and_report() {
    let home = tempfile::tempdir().unwrap();
    let clean = pmle(home.path(), &["check"], "");
    assert_eq!(clean.status.code(), Some(0), "{}", stdout(&clean));
    let broken = fixture("broken-pack-toml");
    let o = pmle(
        home.path(),
        &["check", "--pack", broken.to_str().unwrap()],
        "",
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).starts_with("pack.toml:18:18: error[syntax]"),
        "{}",
        stdout(&o)
    );
    let o = pmle(home.path(), &["check", "--pack", "/no/such/pack"], "");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot read /no/such/pack"));
}

#[test]
fn check_json_snapshot_of_mistakes() {
    let home = tempfile::tempdir().unwrap();
    let dir = fixture("mistakes");
    let o = pmle(
        home.path(),
        &["check", "--json", "--pack", dir.to_str().unwrap()],
        "",
    );
    assert_eq!(o.status.code(), Some(1));
    let mut v: Value = serde_json::from_slice(&o.stdout).unwrap();
    v["pack"] = Value::from("[fixture]");
    insta::assert_json_snapshot!("check_mistakes_json", v);
}

#[test]
fn check_report_of_the_mini_pack_shows_giveaway_and_review_figures() {
    let home = tempfile::tempdir().unwrap();
    let dir = fixture("mini");
    let o = pmle(home.path(), &["check", "--pack", dir.to_str().unwrap()], "");
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let text = stdout(&o).replace(dir.to_str().unwrap(), "[fixture]");
    insta::assert_snapshot!("check_mini_text", text);
}

#[test]
fn check_fingerprints_lists_every_question_with_its_review_state() {
    let home = tempfile::tempdir().unwrap();
    let dir = fixture("mistakes");
    let o = pmle(
        home.path(),
        &[
            "check",
            "--fingerprints",
            "--json",
            "--pack",
            dir.to_str().unwrap(),
        ],
        "",
    );
    // The pack has errors, but it assembles: fingerprints are still listed.
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let rows = v["questions"].as_array().unwrap();
    let row = |id: &str| rows.iter().find(|r| r["id"] == id).unwrap().clone();
    assert_eq!(row("mini-q6")["review"], "stale");
    assert_eq!(row("mini-q7")["retired"], true);
    assert_eq!(row("mini-q4")["review"], "none");
    for r in rows {
        let f = r["fingerprint"].as_str().unwrap();
        assert!(
            f.len() == 16 && f.bytes().all(|b| b.is_ascii_hexdigit()),
            "{f}"
        );
    }
    let text = pmle(
        home.path(),
        &[
            "check",
            "--fingerprints",
            "--pack",
            fixture("mini").to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(
        stdout(&text),
        "mini-q1  35250a2394989358  current\nmini-q2  2257598ee1da45f4  current\nmini-q3  c1a17e046cbe5e7f  current\n"
    );
}

#[test]
fn broken_pack_makes_commands_fail_with_a_pointer_to_check() {
    let home = tempfile::tempdir().unwrap();
    let dir = fixture("mistakes");
    let o = pmle(home.path(), &["--pack", dir.to_str().unwrap(), "stats"], "");
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("run `pmle check --pack"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn damaged_database_is_reported_not_panicked() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("junk.sqlite3");
    std::fs::write(&db, vec![b'x'; 8192]).unwrap();
    let o = pmle(home.path(), &["--db", db.to_str().unwrap(), "stats"], "");
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("is not a pmle database"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    // The file is left as it was: nothing the user had is overwritten.
    assert_eq!(std::fs::read(&db).unwrap(), vec![b'x'; 8192]);
}

#[test]
fn db_flag_and_env_pick_the_same_file() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("mine.sqlite3");
    let dbs = db.to_str().unwrap();
    let o = pmle(
        home.path(),
        &["--db", dbs, "practice", "--count", "1", "--seed", "2"],
        &answers(1),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stats(home.path(), &["--db", dbs])["progress"]["answers_total"],
        1
    );
    let o = Command::new(env!("CARGO_BIN_EXE_pmle"))
        .args(["stats", "--json"])
        .env("PMLE_DB", &db)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["progress"]["answers_total"], 1);
    // Nothing was written to PMLE_HOME's default file.
    assert!(
        !home.path().join("pmle.sqlite3").exists()
            || stats(home.path(), &[])["progress"]["answers_total"] == 0
    );
}

#[test]
fn search_finds_current_product_by_former_name() {
    let home = tempfile::tempdir().unwrap();
    let pack = fixture("mini");
    let o = pmle(
        home.path(),
        &[
            "--pack",
            pack.to_str().unwrap(),
            "search",
            "AutoML",
            "Tables",
            "--json",
        ],
        "",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let first = &v["hits"][0];
    assert_eq!(first["kind"], "product");
    assert_eq!(first["id"], "agent-platform-automl");
    assert_eq!(first["alias"], "AutoML Tables");
    let o = pmle(
        home.path(),
        &["--pack", pack.to_str().unwrap(), "search", "ML.EVALUATE"],
        "",
    );
    assert!(stdout(&o).contains("mini-q2"), "{}", stdout(&o));
}

#[test]
fn former_names_in_the_embedded_catalog_lead_to_current_products() {
    let home = tempfile::tempdir().unwrap();
    for (query, current) in [
        ("AutoML Tables", "agent-platform-automl"),
        ("Cloud Composer", "managed-service-apache-airflow"),
        ("AI Platform Prediction", "agent-platform-inference"),
        ("Vertex AI Pipelines", "agent-platform-pipelines"),
    ] {
        let o = pmle(home.path(), &["search", query, "--json"], "");
        let v: Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["hits"][0]["id"], current, "{query}: {v}");
        assert!(
            v["hits"][0]["alias"].as_str().unwrap().contains(query),
            "{query}"
        );
    }
}

#[test]
fn backup_moves_progress_between_databases_and_junk_is_refused() {
    let home = tempfile::tempdir().unwrap();
    let o = pmle(
        home.path(),
        &["practice", "--count", "3", "--seed", "4"],
        &answers(3),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let file = home.path().join("backup.json");
    let f = file.to_str().unwrap();
    let o = pmle(home.path(), &["export", "json", f], "");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("Exported 3 answers"), "{}", stdout(&o));
    let other = home.path().join("other.sqlite3");
    let db = other.to_str().unwrap();
    for expected in [
        "Imported 3 answers (0 already there)",
        "Imported 0 answers (3 already there)",
    ] {
        let o = pmle(home.path(), &["--db", db, "import", "json", f], "");
        assert!(
            stdout(&o).contains(expected),
            "{}{}",
            stdout(&o),
            stderr(&o)
        );
    }
    assert_eq!(
        stats(home.path(), &["--db", db])["progress"]["answers_total"],
        3
    );
    let junk = home.path().join("junk.json");
    std::fs::write(&junk, vec![0xffu8; 4096]).unwrap();
    let o = pmle(
        home.path(),
        &["--db", db, "import", "json", junk.to_str().unwrap()],
        "",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not a pmle backup"), "{}", stderr(&o));
    assert_eq!(
        stats(home.path(), &["--db", db])["progress"]["answers_total"],
        3
    );
}

#[test]
fn product_chooser_answers_scripts_and_people() {
    let home = tempfile::tempdir().unwrap();
    let o = pmle(
        home.path(),
        &[
            "choose",
            "product",
            "--answer",
            "task=perceive",
            "--answer",
            "modality=video",
            "--answer",
            "video_need=standard",
            "--json",
        ],
        "",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["step"], "result");
    assert_eq!(v["product"], "gemini-models");
    assert!(v["why_not"].as_str().unwrap().contains("deprecated"), "{v}");
    // A missing answer: the pending question, as JSON, exit 1.
    let o = pmle(
        home.path(),
        &["choose", "product", "--answer", "task=predict", "--json"],
        "",
    );
    assert_eq!(o.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        (v["step"].as_str(), v["key"].as_str()),
        (Some("question"), Some("team"))
    );
    // People answer by number; a wrong number is asked again. Data in BigQuery asks whether
    // BigQuery ML's model types fit before deciding.
    let o = pmle(home.path(), &["choose", "product"], "2\n9\n1\n1\n");
    assert!(
        stdout(&o).contains("Recommendation: BigQuery ML"),
        "{}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("type a number from 1 to 3"));
    assert!(stdout(&o).contains("Do BigQuery ML's model types cover the problem"));
    // Custom text classification: five questions, Gemini tuning, AutoML Text named deprecated.
    let o = pmle(home.path(), &["choose", "product"], "3\n3\n1\n2\n2\n");
    let out = stdout(&o);
    assert!(
        out.contains("Recommendation: Gemini models on Agent Platform")
            && out.contains("AutoML Text, which is deprecated"),
        "{out}"
    );
    // Clinical text: the shut-down Healthcare Natural Language API is named as such.
    let o = pmle(
        home.path(),
        &[
            "choose",
            "product",
            "--answer",
            "task=perceive",
            "--answer",
            "modality=text",
            "--answer",
            "text_domain=clinical",
            "--answer",
            "clinical_need=standard",
            "--json",
        ],
        "",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["product"], "gemini-models");
    assert!(
        v["why"]
            .as_str()
            .unwrap()
            .contains("shut down on 2026-05-27"),
        "{v}"
    );
    let o = pmle(
        home.path(),
        &["choose", "product", "--answer", "task=nope"],
        "",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("choose one of: generate, predict, perceive, orchestrate"));
}

#[test]
fn strategy_chooser_and_metrics_from_the_command_line() {
    let home = tempfile::tempdir().unwrap();
    let o = pmle(
        home.path(),
        &[
            "choose",
            "strategy",
            "--nodes",
            "1",
            "--devices",
            "4",
            "--params",
            "cpu",
            "--json",
        ],
        "",
    );
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["strategy"], "CentralStorageStrategy");
    let csv = home.path().join("m.csv");
    std::fs::write(&csv, "label,score\n0,0.1\n0,0.4\n1,0.35\n1,0.8\n").unwrap();
    let svg = home.path().join("m.svg");
    let o = pmle(
        home.path(),
        &[
            "metrics",
            csv.to_str().unwrap(),
            "--json",
            "--svg",
            svg.to_str().unwrap(),
        ],
        "",
    );
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["roc_auc"], 0.75);
    assert!(
        std::fs::read_to_string(&svg)
            .unwrap()
            .contains("ROC curve (AUC 0.750)")
    );
    // The same sweep in JSON and in text: 11 thresholds, figures rounded for people.
    assert_eq!(v["sweep"].as_array().unwrap().len(), 11);
    let o = pmle(home.path(), &["metrics", csv.to_str().unwrap()], "");
    let text = stdout(&o);
    assert!(text.contains("threshold sweep (11 thresholds"), "{text}");
    let rows = text
        .lines()
        .skip_while(|l| !l.contains("threshold  precision"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .count();
    assert_eq!(rows, 11, "{text}");
    assert!(text.contains("ROC AUC 0.75 "), "{text}");
    // The lab that printed 0.000000000000004440892098500626: rounded in text, exact in JSON.
    let o = pmle(home.path(), &["lab", "run", "attributions"], "");
    let text = stdout(&o);
    assert!(text.contains("linear max abs difference"), "{text}");
    let longest = text
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == ',')
        .filter(|w| w.parse::<f64>().is_ok())
        .map(str::len)
        .max()
        .unwrap();
    assert!(longest <= 10, "a number of {longest} characters: {text}");
    let o = pmle(home.path(), &["lab", "run", "threshold"], "");
    assert!(stdout(&o).contains("precision at 0.5"), "{}", stdout(&o));
    let o = pmle(home.path(), &["lab", "run", "attributions", "--json"], "");
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let exact = v["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "linear_max_abs_difference")
        .unwrap()["value"]
        .as_f64()
        .unwrap();
    assert!(
        exact > 0.0 && exact < 1e-12,
        "JSON keeps the exact value: {exact}"
    );
    std::fs::write(&csv, "label,score\n1,high\n").unwrap();
    let o = pmle(home.path(), &["metrics", csv.to_str().unwrap()], "");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("line 2: score \"high\" is not a finite number"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn stats_screen_snapshot() {
    let home = tempfile::tempdir().unwrap();
    let pack = fixture("mini");
    let o = pmle(
        home.path(),
        &["--pack", pack.to_str().unwrap(), "stats"],
        "",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o).replace(home.path().to_str().unwrap(), "[HOME]");
    insta::assert_snapshot!("stats_mini_pack", text);
}
