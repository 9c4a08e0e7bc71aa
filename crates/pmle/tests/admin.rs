//! `pmle admin`: accounts of a team server. The refusals are checked always; the rest when
//! `PMLE_TEST_DATABASE_URL` names a test server (scripts/test starts one).

mod common;

use std::net::IpAddr;

use common::{pmle, stderr, stdout};
use pmle_app::accounts::{AccountError, Accounts};
use pmle_store::PgAccounts;
use time::OffsetDateTime;

#[test]
fn admin_without_postgres_says_accounts_need_it() {
    let home = tempfile::tempdir().unwrap();
    let o = pmle(home.path(), &["admin", "users"], "");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("accounts need the team server's PostgreSQL database"),
        "{err}"
    );
    assert!(err.contains("PMLE_DATABASE_URL"), "{err}");
    let o = pmle(
        home.path(),
        &["--db", "x.sqlite3", "admin", "disable", "a@example.org"],
        "",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("not in an SQLite file"),
        "{}",
        stderr(&o)
    );
    // An unknown role is a usage error that names the roles, before any connection.
    let o = pmle(
        home.path(),
        &[
            "admin",
            "create-user",
            "a@example.org",
            "--role",
            "root",
            "--database",
            "postgres://127.0.0.1:1/x",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("use learner, coach or admin"),
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
    fn new(tag: &str) -> Option<Schema> {
        let Ok(base) = std::env::var("PMLE_TEST_DATABASE_URL") else {
            assert!(
                std::env::var_os("PMLE_TEST_REQUIRE_POSTGRES").is_none(),
                "PMLE_TEST_REQUIRE_POSTGRES is set but PMLE_TEST_DATABASE_URL is not"
            );
            eprintln!("skipped: set PMLE_TEST_DATABASE_URL to run the PostgreSQL tests");
            return None;
        };
        let name = format!("pmle_admin_{tag}_{}", std::process::id());
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

/// The token of the one line of `out` that is a link under `base`.
fn token(out: &str, base: &str) -> String {
    let links: Vec<&str> = out.lines().filter(|l| l.starts_with(base)).collect();
    assert_eq!(links.len(), 1, "one link in {out}");
    links[0]
        .strip_prefix(&format!("{base}/invite/"))
        .unwrap_or_else(|| panic!("not an invitation link: {}", links[0]))
        .to_owned()
}

#[allow(clippy::disallowed_methods)] // the binary reads the wall clock; so must its test
fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

#[test]
fn create_user_prints_a_link_that_redeems_and_admin_manages_the_user() {
    let Some(db) = Schema::new("e2e") else { return };
    let home = tempfile::tempdir().unwrap();
    let admin = |args: &[&str]| {
        let mut all = vec!["admin"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--database", &db.url]);
        pmle(home.path(), &all, "")
    };
    let base = "https://pmle.example.org/team";
    let o = admin(&[
        "create-user",
        "Ana@Example.org",
        "--role",
        "coach",
        "--base-url",
        "https://pmle.example.org/team/",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("Invited Ana@Example.org as coach (user 1)."),
        "{out}"
    );
    assert!(out.contains("shown only now"), "{out}");
    let invite = token(&out, base);

    // The link redeems through the API a web page calls, once.
    let accounts = Accounts::new(PgAccounts::open(&db.url).unwrap());
    let from: IpAddr = "192.0.2.7".parse().unwrap();
    accounts
        .redeem(&invite, "correct horse battery staple", now())
        .unwrap();
    assert!(matches!(
        accounts.redeem(&invite, "correct horse battery staple", now()),
        Err(AccountError::LinkInvalid)
    ));
    let login = accounts
        .login(
            "ana@example.org",
            "correct horse battery staple",
            from,
            now(),
        )
        .unwrap();
    assert!(accounts.session(&login.token, now()).unwrap().is_some());

    // The same e-mail in another case is taken; hostile e-mails are refused with reasons.
    let o = admin(&["create-user", "ANA@example.org", "--role", "learner"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("already a user"), "{}", stderr(&o));
    let long = format!("{}@example.org", "a".repeat(260));
    for (email, why) in [
        (long.as_str(), "longer than 254 characters"),
        ("bell\u{7}@example.org", "control character U+0007"),
        ("no-at-sign", "it has no @"),
    ] {
        let o = admin(&["create-user", email, "--role", "learner"]);
        assert_eq!(o.status.code(), Some(2), "{email}");
        assert!(stderr(&o).contains(why), "{email}: {}", stderr(&o));
    }

    // users lists what is there, as text and JSON.
    let o = admin(&["users", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let users: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(users.as_array().unwrap().len(), 1, "{users}");
    assert_eq!(users[0]["email"], "Ana@Example.org");
    assert_eq!(users[0]["role"], "coach");
    assert_eq!(users[0]["status"], "active");
    let o = admin(&["users"]);
    assert!(stdout(&o).contains("Ana@Example.org"), "{}", stdout(&o));

    // disable ends the session and the log-in; enable restores the log-in.
    let o = admin(&["disable", "ana@EXAMPLE.org"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(accounts.session(&login.token, now()).unwrap(), None);
    assert!(matches!(
        accounts.login(
            "ana@example.org",
            "correct horse battery staple",
            from,
            now()
        ),
        Err(AccountError::Disabled)
    ));
    let o = admin(&["users", "--json"]);
    assert!(stdout(&o).contains("\"disabled\""), "{}", stdout(&o));
    let o = admin(&["enable", "ana@example.org"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let login = accounts
        .login(
            "ana@example.org",
            "correct horse battery staple",
            from,
            now(),
        )
        .unwrap();

    // reset-password ends the session and the password, and prints a new link.
    let o = admin(&["reset-password", "ana@example.org"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let reset = token(&stdout(&o), "http://127.0.0.1:7878");
    assert_eq!(accounts.session(&login.token, now()).unwrap(), None);
    assert!(matches!(
        accounts.login(
            "ana@example.org",
            "correct horse battery staple",
            from,
            now()
        ),
        Err(AccountError::WrongCredentials)
    ));
    accounts
        .redeem(&reset, "a new and longer passphrase", now())
        .unwrap();
    accounts
        .login(
            "ana@example.org",
            "a new and longer passphrase",
            from,
            now(),
        )
        .unwrap();

    let o = admin(&["disable", "nobody@example.org"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no user with the e-mail address"),
        "{}",
        stderr(&o)
    );
}
