use super::*;
use crate::ReportStatus;
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

/// Migration 0007 keeps what a status of 0006 meant: resolved → accepted, dismissed →
/// rejected (time unknown), open → untriaged.
#[test]
fn statuses_from_before_triage_outcomes_keep_their_meaning() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pmle.sqlite3");
    {
        let conn = Connection::open(&path).unwrap();
        for (_, sql) in migrate::MIGRATIONS.iter().take(6) {
            conn.execute_batch(sql).unwrap();
        }
        conn.execute_batch(
            "PRAGMA user_version = 6; \
             INSERT INTO question_reports (question_id, reason, created_at, status) VALUES \
             ('q1', 'typo', 1, 'open'), ('q2', 'wrong-key', 2, 'resolved'), \
             ('q3', 'unclear', 3, 'dismissed');",
        )
        .unwrap();
    }
    let s = SqliteStore::open(&path).unwrap();
    let got: Vec<(ReportStatus, Option<crate::ReportTriage>)> = s
        .reports()
        .unwrap()
        .into_iter()
        .map(|r| (r.report.status, r.report.triage))
        .collect();
    let t = |outcome| {
        Some(crate::ReportTriage {
            outcome,
            note: None,
            triaged_at_ms: None,
        })
    };
    assert_eq!(
        got,
        vec![
            (ReportStatus::Open, None),
            (ReportStatus::Resolved, t(crate::ReportOutcome::Accepted)),
            (ReportStatus::Dismissed, t(crate::ReportOutcome::Rejected)),
        ]
    );
}
