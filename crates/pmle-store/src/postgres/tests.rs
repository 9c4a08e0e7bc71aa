//! PostgreSQL: the contract suite (`crate::contract`) and what only a server can get wrong.
//!
//! These run when `PMLE_TEST_DATABASE_URL` names a server (scripts/test starts a throwaway
//! cluster with scripts/pg-cluster); each test gets a schema of its own. Without it they are
//! skipped with a notice, unless `PMLE_TEST_REQUIRE_POSTGRES` is set (as in scripts/test),
//! when they fail.

use std::sync::atomic::{AtomicU32, Ordering};

use postgres::{Config, NoTls};

use super::*;
use crate::contract::{Backend, answer, contract_tests};

/// The test server's URL, if there is one.
fn test_url() -> Option<String> {
    match std::env::var("PMLE_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var_os("PMLE_TEST_REQUIRE_POSTGRES").is_none(),
                "PMLE_TEST_REQUIRE_POSTGRES is set but PMLE_TEST_DATABASE_URL is not: start a server with scripts/pg-cluster"
            );
            eprintln!("skipped: set PMLE_TEST_DATABASE_URL to run the PostgreSQL tests");
            None
        }
    }
}

/// A fresh schema on the test server, dropped with this value.
pub(super) struct PgBackend {
    url: String,
    schema: String,
}

impl PgBackend {
    pub(super) fn new() -> Option<PgBackend> {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let url = test_url()?;
        let schema = format!(
            "pmle_test_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let mut admin = Client::connect(&url, NoTls).expect("the test server");
        admin
            .batch_execute(&format!(
                "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
            ))
            .unwrap();
        Some(PgBackend { url, schema })
    }

    fn config(&self) -> Config {
        let mut config: Config = self.url.parse().unwrap();
        config.options(&format!("-c search_path={}", self.schema));
        config
    }

    fn store(&self) -> Result<PgStore, StoreError> {
        Ok(self.pool(1)?.store_for(0))
    }

    pub(super) fn pool(&self, size: usize) -> Result<PgPool, StoreError> {
        PgPool::open_config(&self.config(), redact(&self.url), size)
    }

    /// A plain connection to this schema, for what no store method does.
    pub(super) fn admin(&self) -> Client {
        self.config().connect(NoTls).unwrap()
    }
}

impl Drop for PgBackend {
    fn drop(&mut self) {
        if let Ok(mut admin) = Client::connect(&self.url, NoTls) {
            let _ = admin.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.schema));
        }
    }
}

impl Backend for PgBackend {
    fn open(&self) -> Box<dyn Store> {
        Box::new(self.store().unwrap())
    }

    fn another(&self) -> Box<dyn Backend> {
        Box::new(PgBackend::new().expect("the test server"))
    }
}

contract_tests!(PgBackend::new());

#[test]
fn a_schema_of_a_newer_pmle_is_refused() {
    let Some(b) = PgBackend::new() else { return };
    drop(b.store().unwrap());
    b.admin()
        .batch_execute("INSERT INTO pmle_schema (version, name) VALUES (99, 'future')")
        .unwrap();
    let err = b.store().unwrap_err();
    assert!(
        matches!(err, StoreError::TooNew { found: 99, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("update pmle"), "{err}");
}

#[test]
fn the_schema_version_is_read_from_the_database_each_time() {
    let Some(b) = PgBackend::new() else { return };
    let store = b.store().unwrap();
    let v = store.schema_version().unwrap();
    assert!(v.is_current() && v.found > 0, "{v:?}");
    // Another server, of a newer pmle, migrated the schema while this one runs.
    b.admin()
        .execute(
            "INSERT INTO pmle_schema (version, name) VALUES ($1, 'future')",
            &[&(v.supported as i32 + 1)],
        )
        .unwrap();
    let now = store.schema_version().unwrap();
    assert_eq!(now.found, v.supported + 1);
    assert!(!now.is_current());
}

#[test]
fn another_applications_tables_are_refused_and_left_alone() {
    let Some(b) = PgBackend::new() else { return };
    b.admin()
        .batch_execute("CREATE TABLE answers (x int); INSERT INTO answers VALUES (7)")
        .unwrap();
    let err = b.store().unwrap_err();
    assert!(matches!(err, StoreError::Foreign { .. }), "{err:?}");
    let kept: i32 = b
        .admin()
        .query_one("SELECT x FROM answers", &[])
        .unwrap()
        .get(0);
    assert_eq!(kept, 7);
}

#[test]
fn servers_starting_at_once_migrate_once() {
    let Some(b) = PgBackend::new() else { return };
    let configs: Vec<Config> = (0..4).map(|_| b.config()).collect();
    let opened: Vec<_> = configs
        .into_iter()
        .map(|c| std::thread::spawn(move || PgPool::open_config(&c, "test".into(), 2).map(drop)))
        .collect();
    for t in opened {
        t.join().unwrap().unwrap();
    }
    let rows: Vec<(i32, String)> = b
        .admin()
        .query(
            "SELECT version, name FROM pmle_schema ORDER BY version",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    let expected: Vec<(i32, String)> = migrate::MIGRATIONS
        .iter()
        .enumerate()
        .map(|(i, (name, _))| (i as i32 + 1, (*name).to_owned()))
        .collect();
    assert_eq!(rows, expected);
    assert_eq!(PgStore::schema_version(), expected.len() as i64);
}

#[test]
fn a_bad_url_says_how_to_write_one() {
    let err = PgStore::open("postgres://pmle:s3cret@127.0.0.1:notaport/db").unwrap_err();
    assert!(matches!(err, StoreError::BadUrl { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("postgres://USER:PASSWORD@HOST:PORT/DATABASE"),
        "{text}"
    );
    assert!(
        !text.contains("s3cret"),
        "the password is not shown: {text}"
    );
}

#[test]
fn an_unreachable_server_says_what_to_check() {
    // Port 1 on loopback: nothing listens there.
    let err = PgStore::open("postgres://pmle:s3cret@127.0.0.1:1/db?connect_timeout=5").unwrap_err();
    assert!(matches!(err, StoreError::Connect { .. }), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("check that the server is running"), "{text}");
    assert!(text.contains("127.0.0.1:1"), "{text}");
    assert!(!text.contains("s3cret"), "{text}");
}

#[test]
fn passwords_are_redacted() {
    assert_eq!(redact("postgres://u:pw@h:5/d"), "postgres://u:***@h:5/d");
    assert_eq!(
        redact("postgres://u@h/d?password=pw&x=1"),
        "postgres://u@h/d?password=***&x=1"
    );
    assert_eq!(
        redact("host=h password=pw user=u"),
        "host=h password=*** user=u"
    );
    assert_eq!(redact("postgres://h/d"), "postgres://h/d");
}

/// The web server calls the store inside async handlers: the store must work there (the
/// synchronous client alone would panic: "Cannot start a runtime from within a runtime").
#[test]
fn works_when_called_from_async_code() {
    let Some(b) = PgBackend::new() else { return };
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let store = b.store().unwrap();
    let tally = rt.block_on(async move {
        let mut store = store;
        store.record_answer(&answer("q1", "s1", true, 1)).unwrap();
        store.tally().unwrap()
    });
    assert_eq!(tally.answers, 1);
}

#[test]
fn a_lost_connection_fails_one_call_and_the_next_reconnects() {
    let Some(b) = PgBackend::new() else { return };
    let mut s = b.store().unwrap();
    s.record_answer(&answer("q1", "s1", true, 1)).unwrap();
    let pid: i32 = s
        .run(|c| Ok(c.query_one("SELECT pg_backend_pid()", &[])?.get(0)))
        .unwrap();
    // Another session ends ours (and waits until it is gone), as a server restart would.
    let ended: bool = b
        .admin()
        .query_one("SELECT pg_terminate_backend($1, 10000)", &[&pid])
        .unwrap()
        .get(0);
    assert!(ended);
    let first = s.record_answer(&answer("q1", "s1", true, 2));
    assert!(
        matches!(first, Err(StoreError::ConnectionLost { .. })),
        "{first:?}"
    );
    s.record_answer(&answer("q1", "s1", true, 3)).unwrap();
    assert_eq!(
        s.tally().unwrap().answers,
        2,
        "the failed call wrote nothing"
    );
}
