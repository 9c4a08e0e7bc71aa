//! `pmle cohort`: cohorts of a team server. The refusals are checked always; the rest when
//! `PMLE_TEST_DATABASE_URL` names a test server (scripts/test starts one).

mod common;

use std::sync::Arc;

use common::{pmle, stderr, stdout};
use pmle_app::accounts::Role;
use pmle_app::cohort_access::{Actor, Cohorts};
use pmle_app::{Clock, FIXED_COLUMNS};
use pmle_store::{Mode, NewAnswer, PgCohorts, PgPool, Store};
use time::OffsetDateTime;

#[test]
fn cohort_without_postgres_says_cohorts_need_it() {
    let home = tempfile::tempdir().unwrap();
    let o = pmle(home.path(), &["cohort", "dashboard", "1"], "");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("cohorts need the team server's PostgreSQL database"),
        "{err}"
    );
    assert!(err.contains("PMLE_DATABASE_URL"), "{err}");
    let o = pmle(
        home.path(),
        &[
            "--db",
            "x.sqlite3",
            "cohort",
            "create",
            "G",
            "--coach",
            "a@b.org",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("not in an SQLite file"),
        "{}",
        stderr(&o)
    );
}

/// A schema of its own on the test server, dropped at the end; its URL.
struct Schema {
    base: String,
    name: String,
    url: String,
}

impl Schema {
    fn new() -> Option<Schema> {
        let Ok(base) = std::env::var("PMLE_TEST_DATABASE_URL") else {
            assert!(
                std::env::var_os("PMLE_TEST_REQUIRE_POSTGRES").is_none(),
                "PMLE_TEST_REQUIRE_POSTGRES is set but PMLE_TEST_DATABASE_URL is not"
            );
            eprintln!("skipped: set PMLE_TEST_DATABASE_URL to run the PostgreSQL tests");
            return None;
        };
        let name = format!("pmle_cohort_cli_{}", std::process::id());
        postgres::Client::connect(&base, postgres::NoTls)
            .expect("the test server")
            .batch_execute(&format!(
                "DROP SCHEMA IF EXISTS {name} CASCADE; CREATE SCHEMA {name}"
            ))
            .expect("a fresh schema");
        let sep = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{sep}options=-csearch_path%3D{name}");
        Some(Schema { base, name, url })
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        if let Ok(mut c) = postgres::Client::connect(&self.base, postgres::NoTls) {
            let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name));
        }
    }
}

#[allow(clippy::disallowed_methods)] // the binary reads the wall clock; so must its test
fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

/// The user id `pmle admin create-user` printed.
fn user_id(out: &str) -> i64 {
    let at = out.find("(user ").expect("a user id") + "(user ".len();
    out[at..]
        .split(')')
        .next()
        .and_then(|s| s.parse().ok())
        .expect("a numeric user id")
}

#[test]
fn create_invite_and_export_a_dashboard_as_csv_end_to_end() {
    let Some(db) = Schema::new() else { return };
    let home = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend_from_slice(&["--database", &db.url]);
        let o = pmle(home.path(), &all, "");
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        stdout(&o)
    };
    run(&[
        "admin",
        "create-user",
        "coach@example.org",
        "--role",
        "coach",
    ]);
    let ids: Vec<i64> = ["a@example.org", "b@example.org"]
        .iter()
        .map(|e| user_id(&run(&["admin", "create-user", e, "--role", "learner"])))
        .collect();

    let out = run(&[
        "cohort",
        "create",
        "Spring cohort",
        "--coach",
        "coach@example.org",
    ]);
    assert!(out.contains("Created cohort 1 (Spring cohort)"), "{out}");
    // A learner cannot coach.
    let o = pmle(
        home.path(),
        &[
            "cohort",
            "create",
            "X",
            "--coach",
            "a@example.org",
            "--database",
            &db.url,
        ],
        "",
    );
    assert_ne!(o.status.code(), Some(0));
    assert!(stderr(&o).contains("is not a coach"), "{}", stderr(&o));

    let out = run(&[
        "cohort",
        "invite",
        "1",
        "--base-url",
        "https://pmle.example.org/",
    ]);
    let link = out
        .lines()
        .find_map(|l| l.strip_prefix("https://pmle.example.org/join/"))
        .unwrap_or_else(|| panic!("a join link in {out}"))
        .to_owned();

    // The learners join with the printed link and study, through the API the web calls.
    let pool = PgPool::open(&db.url, 1).unwrap();
    let pack = pmle_app::load_pack(None, pmle_app::SystemClock.today()).unwrap();
    let questions: Vec<(String, String)> = pack
        .questions
        .iter()
        .map(|q| (q.id.clone(), q.section.clone()))
        .collect();
    let cohorts = Cohorts::new(PgCohorts::new(&pool), Arc::new(pack));
    let t = now();
    for (n, &id) in [7usize, 3].iter().zip(&ids) {
        let me = Actor {
            user_id: id,
            role: Role::Learner,
        };
        cohorts.join(me, &link, t).unwrap();
        let mut store = pool.store_for(id);
        for (q, section) in questions.iter().take(*n) {
            store
                .record_answer(&NewAnswer {
                    question_id: q.clone(),
                    section_id: section.clone(),
                    mode: Mode::Practice,
                    session_id: None,
                    shown_order: vec![0, 1, 2, 3],
                    chosen: vec![0],
                    correct: true,
                    answered_at_ms: (t.unix_timestamp_nanos() / 1_000_000) as i64 - 60_000,
                    duration_ms: None,
                })
                .unwrap();
        }
    }

    let csv = home.path().join("cohort.csv");
    let out = run(&["cohort", "dashboard", "1", "--csv", csv.to_str().unwrap()]);
    assert!(out.contains("Wrote the dashboard of 2 members"), "{out}");
    let text = std::fs::read_to_string(&csv).unwrap();
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 3, "{text}");
    assert_eq!(&rows[0][..FIXED_COLUMNS.len()], &FIXED_COLUMNS[..]);
    let col = |name: &str| FIXED_COLUMNS.iter().position(|c| *c == name).unwrap();
    let by_name = |email: &str| rows.iter().find(|r| r[0] == email).unwrap().clone();
    assert_eq!(by_name("a@example.org")[col("answers_total")], "7");
    assert_eq!(by_name("b@example.org")[col("answers_total")], "3");
    assert_eq!(by_name("a@example.org")[col("answers_7d")], "7");

    // The JSON and the text views name the same members.
    let json: serde_json::Value =
        serde_json::from_str(&run(&["cohort", "dashboard", "1", "--json"])).unwrap();
    assert_eq!(json["members"].as_array().unwrap().len(), 2);
    let text = run(&["cohort", "dashboard", "1"]);
    assert!(text.contains("a@example.org: readiness"), "{text}");
    let list = run(&["cohort", "list"]);
    assert!(list.contains("Spring cohort"), "{list}");
    assert!(list.contains("2 member(s)"), "{list}");
    // An unknown cohort is an error that says so.
    let o = pmle(
        home.path(),
        &["cohort", "dashboard", "9", "--database", &db.url],
        "",
    );
    assert_ne!(o.status.code(), Some(0));
    assert!(
        stderr(&o).contains("there is no cohort 9"),
        "{}",
        stderr(&o)
    );
}
