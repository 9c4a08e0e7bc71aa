use super::*;
use crate::contract::{Backend, answer, contract_tests};

/// A fresh database file in a temporary folder; every `open` is a new connection to it.
struct SqliteBackend {
    dir: tempfile::TempDir,
}

impl SqliteBackend {
    fn new() -> SqliteBackend {
        SqliteBackend {
            dir: tempfile::tempdir().unwrap(),
        }
    }
}

impl Backend for SqliteBackend {
    fn open(&self) -> Box<dyn Store> {
        Box::new(SqliteStore::open(&self.dir.path().join("pmle.sqlite3")).unwrap())
    }

    fn another(&self) -> Box<dyn Backend> {
        Box::new(SqliteBackend::new())
    }
}

contract_tests!(Some(SqliteBackend::new()));

#[test]
fn answers_survive_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/dir/pmle.sqlite3");
    {
        let mut s = SqliteStore::open(&path).unwrap();
        s.record_answer(&answer("q1", "s1", true, 1)).unwrap();
    }
    let s = SqliteStore::open(&path).unwrap();
    assert_eq!(s.tally().unwrap().answers, 1);
    let mode: String = s
        .conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn garbage_file_is_not_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("junk.sqlite3");
    std::fs::write(
        &path,
        b"this is not sqlite, just some text that is long enough to matter ".repeat(100),
    )
    .unwrap();
    let err = SqliteStore::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::NotADatabase { .. }), "{err:?}");
    assert!(err.to_string().contains("move it aside"));
}

#[test]
fn the_schema_version_is_read_from_the_file_each_time() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.sqlite3");
    let store = SqliteStore::open(&path).unwrap();
    let v = store.schema_version().unwrap();
    assert!(v.is_current() && v.found > 0, "{v:?}");
    // A newer pmle migrated the file while this one runs: a readiness probe must see it.
    Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", v.supported + 1)
        .unwrap();
    let now = store.schema_version().unwrap();
    assert_eq!(now.found, v.supported + 1);
    assert!(!now.is_current());
}

#[test]
fn newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.sqlite3");
    {
        let c = Connection::open(&path).unwrap();
        c.pragma_update(None, "user_version", 99).unwrap();
    }
    let err = SqliteStore::open(&path).unwrap_err();
    assert!(
        matches!(err, StoreError::TooNew { found: 99, .. }),
        "{err:?}"
    );
}
