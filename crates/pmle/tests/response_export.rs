//! `pmle export responses`, `pmle items|calibrate --responses` and the item analysis on
//! PostgreSQL, through the real binary. The PostgreSQL test runs when
//! `PMLE_TEST_DATABASE_URL` names a test server (scripts/test starts one).
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Command, Output};

use common::{bin, pmle, stderr, stdout};
use serde_json::Value;

const KEEP: [&str; 6] = [
    "s1-apis.toml",
    "s2-data.toml",
    "s3-ml-metrics.toml",
    "s4-endpoints.toml",
    "s5-kfp.toml",
    "s6-monitoring.toml",
];

/// Copy the flagship pack into `to`, keeping only the question files in `KEEP` (160).
fn copy_pack(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            copy_pack(&path, &target);
        } else {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !from.ends_with("questions") || KEEP.contains(&name.as_str()) {
                std::fs::copy(&path, &target).unwrap();
            }
        }
    }
}

fn small_pack(home: &Path) -> String {
    let pack = home.join("pack");
    copy_pack(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content/pmle"),
        &pack,
    );
    pack.to_str().unwrap().to_owned()
}

fn json(o: &Output) -> Value {
    assert!(o.status.success(), "{}", stderr(o));
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

fn ids(v: &Value, list: &str) -> BTreeSet<String> {
    v[list]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect()
}

fn difficulties(cal: &Value) -> BTreeMap<String, f64> {
    cal["calibration"]["fitted"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["id"].as_str().unwrap().to_owned(),
                f["difficulty"].as_f64().unwrap(),
            )
        })
        .collect()
}

fn assert_same_fit(a: &Value, b: &Value) {
    let (a, b) = (difficulties(a), difficulties(b));
    assert!(!a.is_empty());
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (id, d) in &a {
        assert!((d - b[id]).abs() < 1e-6, "{id}: {d} against {}", b[id]);
    }
}

#[test]
fn export_refuses_a_small_cohort_and_calibrate_reads_the_files() {
    let home = tempfile::tempdir().unwrap();
    let pack = small_pack(home.path());
    let db = home.path().join("pooled.sqlite3");
    let db = db.to_str().unwrap();
    json(&pmle(
        home.path(),
        &[
            "--pack",
            &pack,
            "simulate",
            "--write-responses",
            db,
            "--learners",
            "120",
            "--answers-per-learner",
            "80",
            "--json",
        ],
        "",
    ));
    let out = home.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let file = out.join("r.json");
    let file = file.to_str().unwrap();

    // Too few learners for the threshold: refused, exit 2, the reason and the way out, and
    // no file (nor temporary file) left behind.
    let o = pmle(
        home.path(),
        &[
            "--pack",
            &pack,
            "--db",
            db,
            "export",
            "responses",
            file,
            "--min-cohort",
            "121",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("120 learners"), "{}", stderr(&o));
    assert!(stderr(&o).contains("Nothing was written"), "{}", stderr(&o));
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 0);

    let o = pmle(
        home.path(),
        &["--pack", &pack, "--db", db, "export", "responses", file],
        "",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("by 120 learners"), "{}", stdout(&o));
    let text = std::fs::read_to_string(file).unwrap();
    assert!(!text.contains("learner-"), "a session id leaked");

    // The file reproduces the database's fit; `--db` with `--responses` is refused.
    let from_db = json(&pmle(
        home.path(),
        &["--pack", &pack, "--db", db, "calibrate", "--json"],
        "",
    ));
    let from_file = json(&pmle(
        home.path(),
        &["--pack", &pack, "calibrate", "--responses", file, "--json"],
        "",
    ));
    assert_same_fit(&from_db, &from_file);
    assert_eq!(from_file["calibration"]["files"]["kept"], 120 * 80);
    // --write writes the pack's calibration.toml from the files, as from a database.
    let written = json(&pmle(
        home.path(),
        &[
            "--pack",
            &pack,
            "calibrate",
            "--responses",
            file,
            "--min-responses",
            "40",
            "--write",
            "--json",
        ],
        "",
    ));
    let fitted = written["calibration"]["fitted"].as_array().unwrap().len();
    assert!(fitted > 0);
    let toml = std::fs::read_to_string(Path::new(&pack).join("calibration.toml")).unwrap();
    assert_eq!(toml.matches("[question.").count(), fitted);
    let check = pmle(home.path(), &["--pack", &pack, "check"], "");
    assert!(
        !stdout(&check).contains("calibration-"),
        "{}",
        stdout(&check)
    );
    let both = json(&pmle(
        home.path(),
        &[
            "--pack",
            &pack,
            "items",
            "--responses",
            file,
            file,
            "--json",
        ],
        "",
    ));
    assert_eq!(both["learners"], 240);
    assert_eq!(both["first_attempts"], 2 * 120 * 80);
    let o = pmle(
        home.path(),
        &[
            "--pack",
            &pack,
            "--db",
            db,
            "calibrate",
            "--responses",
            file,
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("leave out --db"), "{}", stderr(&o));

    // Hostile files: a clear error that names the file, exit 2.
    let cut = home.path().join("cut.json");
    std::fs::write(&cut, &text[..text.len() / 3]).unwrap();
    let o = pmle(
        home.path(),
        &[
            "--pack",
            &pack,
            "calibrate",
            "--responses",
            cut.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("cut.json: the file ends too early"),
        "{}",
        stderr(&o)
    );
    let backup = home.path().join("backup.json");
    let o = pmle(
        home.path(),
        &[
            "--pack",
            &pack,
            "--db",
            db,
            "export",
            "json",
            backup.to_str().unwrap(),
        ],
        "",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = pmle(
        home.path(),
        &[
            "--pack",
            &pack,
            "items",
            "--responses",
            backup.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("this is a pmle backup"),
        "{}",
        stderr(&o)
    );
    // Unknown question ids (the full pack's file read with the small pack) are counted.
    let mut v: Value = serde_json::from_str(&text).unwrap();
    v["responses"][0]["question"] = "retired-long-ago-001".into();
    let odd = home.path().join("odd.json");
    std::fs::write(&odd, v.to_string()).unwrap();
    let o = pmle(
        home.path(),
        &[
            "--pack",
            &pack,
            "items",
            "--responses",
            odd.to_str().unwrap(),
        ],
        "",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("1 rows for question ids this pack does not have were left out (e.g. retired-long-ago-001)"),
        "{}",
        stdout(&o)
    );
}

/// A fresh schema on the PostgreSQL test server, dropped when the guard goes.
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
    let name = format!("pmle_{tag}_{}", std::process::id());
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
fn on_postgres_the_flagged_questions_are_the_faulty_ones() {
    let Some(pg) = schema("items") else {
        return;
    };
    let home = tempfile::tempdir().unwrap();
    let pack = small_pack(home.path());
    let url = pg.url.as_str();
    let written = json(&pmle(
        home.path(),
        &[
            "--pack",
            &pack,
            "simulate",
            "--write-responses",
            url,
            "--learners",
            "500",
            "--faulty-share",
            "0.1",
            "--json",
        ],
        "",
    ));
    let faulty = ids(&written["written"], "faulty");
    assert_eq!(faulty.len(), 16);

    let items = json(&pmle(
        home.path(),
        &[
            "--pack",
            &pack,
            "items",
            "--flagged",
            "--json",
            "--database",
            url,
        ],
        "",
    ));
    assert_eq!(items["learners"], 500);
    assert_eq!(ids(&items, "items"), faulty);

    // Through PMLE_DATABASE_URL too: export, then the file's fit equals the database's.
    let file = home.path().join("r.json");
    let with_env = |args: &[&str]| {
        Command::new(bin())
            .args(args)
            .env("PMLE_HOME", home.path())
            .env_remove("PMLE_DB")
            .env("PMLE_DATABASE_URL", url)
            .output()
            .unwrap()
    };
    let o = with_env(&[
        "--pack",
        &pack,
        "export",
        "responses",
        file.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("by 500 learners"), "{}", stdout(&o));
    let from_db = json(&with_env(&["--pack", &pack, "calibrate", "--json"]));
    let from_file = json(&pmle(
        home.path(),
        &[
            "--pack",
            &pack,
            "calibrate",
            "--responses",
            file.to_str().unwrap(),
            "--json",
        ],
        "",
    ));
    assert_same_fit(&from_db, &from_file);
    assert_eq!(difficulties(&from_db).len(), 160);

    // A second write into the same database is refused, as on SQLite.
    let again = pmle(
        home.path(),
        &[
            "--pack",
            &pack,
            "simulate",
            "--write-responses",
            url,
            "--learners",
            "5",
        ],
        "",
    );
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("already holds"),
        "{}",
        stderr(&again)
    );
}

/// A team server: every account is a learner of its own for `pmle items` and `pmle export
/// responses`, not only the database's learner without an account (user 0).
#[test]
fn on_a_team_server_every_account_is_a_learner() {
    let Some(pg) = schema("team") else {
        return;
    };
    let home = tempfile::tempdir().unwrap();
    let pack = small_pack(home.path());
    let text = std::fs::read_to_string(Path::new(&pack).join("questions/s1-apis.toml")).unwrap();
    let questions: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("id = \""))
        .filter_map(|l| l.strip_suffix('"'))
        .take(3)
        .collect();
    assert_eq!(questions.len(), 3);
    let pool = pmle_store::PgPool::open(&pg.url, 1).unwrap();
    let answer_as = |user: i64| {
        let mut store = pool.store_for(user);
        for (k, q) in questions.iter().enumerate() {
            pmle_store::Store::record_answer(
                &mut store,
                &pmle_store::NewAnswer {
                    question_id: (*q).to_owned(),
                    section_id: "s1".to_owned(),
                    mode: pmle_store::Mode::Practice,
                    session_id: Some(format!("web-session-of-user-{user}")),
                    shown_order: vec![0, 1, 2, 3],
                    chosen: vec![k % 4],
                    correct: k == 0,
                    answered_at_ms: 1_790_000_000_123 + user * 1_000 + k as i64,
                    duration_ms: Some(12_345),
                },
            )
            .unwrap();
        }
    };
    for user in 1..=4 {
        answer_as(user);
    }
    let file = home.path().join("team.json");
    let export = || {
        pmle(
            home.path(),
            &[
                "--pack",
                &pack,
                "export",
                "responses",
                file.to_str().unwrap(),
                "--database",
                &pg.url,
            ],
            "",
        )
    };
    let refused = export();
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("4 learners"),
        "{}",
        stderr(&refused)
    );
    assert!(!file.exists(), "a refusal leaves no file");

    answer_as(5);
    let o = export();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("15 first attempts by 5 learners"),
        "{}",
        stdout(&o)
    );
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(!written.contains("session"), "no session id leaks");
    assert!(!written.contains("learner-u"), "no user id leaks");
    assert!(!written.contains("123"), "no exact time leaks");

    let items = json(&pmle(
        home.path(),
        &["--pack", &pack, "items", "--json", "--database", &pg.url],
        "",
    ));
    assert_eq!(items["learners"], 5);
    assert_eq!(items["first_attempts"], 15);
    drop(pool);
}
