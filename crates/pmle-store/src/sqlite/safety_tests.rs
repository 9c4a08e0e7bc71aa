//! Hardening (issue 17): concurrent writers, foreign and damaged files, read-only files.

use std::path::Path;

use super::*;
use crate::{BACKUP_FORMAT, BACKUP_SCHEMA_VERSION};

fn answer(q: &str, at: i64) -> NewAnswer {
    NewAnswer {
        question_id: q.into(),
        section_id: "s1".into(),
        mode: Mode::Practice,
        session_id: None,
        shown_order: vec![1, 0],
        chosen: vec![0],
        correct: true,
        answered_at_ms: at,
        duration_ms: None,
    }
}

fn backup(answers: Vec<NewAnswer>) -> Backup {
    Backup {
        format: BACKUP_FORMAT.into(),
        schema_version: BACKUP_SCHEMA_VERSION,
        pmle_version: "test".into(),
        exported_at_ms: 0,
        pack_id: "pmle".into(),
        answers,
        exams: Vec::new(),
        schedule: Vec::new(),
        reviews: Vec::new(),
        settings: std::collections::BTreeMap::new(),
        predictions: Vec::new(),
        marks: Vec::new(),
        notes: Vec::new(),
        reports: Vec::new(),
    }
}

fn tables(path: &Path) -> Vec<String> {
    let conn = Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// Attack: `pmle import` while `pmle serve` records answers failed with "database is locked"
/// (SQLITE_BUSY_SNAPSHOT: the import read, then tried to write after another commit).
#[test]
fn concurrent_writers_with_separate_connections_all_succeed() {
    const WRITERS: i64 = 4;
    const ROUNDS: i64 = 25;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.sqlite3");
    drop(SqliteStore::open(&path).unwrap());
    let threads: Vec<_> = (0..WRITERS)
        .map(|w| {
            let path = path.clone();
            std::thread::spawn(move || -> Result<(), String> {
                let mut s = SqliteStore::open(&path).map_err(|e| e.to_string())?;
                for r in 0..ROUNDS {
                    let at = 1_000_000 + w * 10_000 + r * 2;
                    // An import reads (is it there already?) and then writes.
                    s.import_backup(&backup(vec![answer(&format!("q{w}"), at)]))
                        .map_err(|e| format!("writer {w} import {r}: {e}"))?;
                    s.record_answer(&answer(&format!("q{w}"), at + 1))
                        .map_err(|e| format!("writer {w} answer {r}: {e}"))?;
                    s.set_setting("settings", &format!("{{\"recent_window\":{r}}}"))
                        .map_err(|e| format!("writer {w} setting {r}: {e}"))?;
                }
                Ok(())
            })
        })
        .collect();
    let results: Vec<Result<(), String>> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    let failures: Vec<&String> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(
        failures.is_empty(),
        "{} writers failed: {failures:?}",
        failures.len()
    );
    let s = SqliteStore::open(&path).unwrap();
    assert_eq!(s.tally().unwrap().answers, (WRITERS * ROUNDS * 2) as u64);
}

/// Attack: an SQLite file of another application got pmle's tables added silently.
#[test]
fn foreign_sqlite_file_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.db");
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE notes (x); INSERT INTO notes VALUES (1);")
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = SqliteStore::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::Foreign { .. }), "{err}");
    assert!(err.to_string().contains("another application"), "{err}");
    assert_eq!(tables(&path), vec!["notes".to_owned()]);
    assert!(
        std::fs::read(&path).unwrap() == before,
        "the file is not touched"
    );

    let marked = dir.path().join("marked.db");
    {
        let conn = Connection::open(&marked).unwrap();
        conn.execute_batch("PRAGMA application_id = 1234;").unwrap();
    }
    let err = SqliteStore::open(&marked).unwrap_err();
    assert!(matches!(err, StoreError::Foreign { .. }), "{err}");
}

#[test]
fn new_databases_are_stamped_and_legacy_pmle_databases_still_open() {
    let dir = tempfile::tempdir().unwrap();
    let fresh = dir.path().join("new.sqlite3");
    drop(SqliteStore::open(&fresh).unwrap());
    let id: i32 = Connection::open(&fresh)
        .unwrap()
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    assert_eq!(id, APPLICATION_ID);
    assert!(SqliteStore::open(&fresh).is_ok(), "reopening works");

    // A database written before application_id existed: schema 2, id 0, one answer.
    let legacy = dir.path().join("legacy.sqlite3");
    {
        let conn = Connection::open(&legacy).unwrap();
        for (_, sql) in migrate::MIGRATIONS.iter().take(2) {
            conn.execute_batch(sql).unwrap();
        }
        conn.execute_batch("PRAGMA user_version = 2;").unwrap();
        insert_answer(&conn, &answer("q1", 5)).unwrap();
    }
    let s = SqliteStore::open(&legacy).unwrap();
    assert_eq!(s.tally().unwrap().answers, 1);
    let id: i32 = s
        .conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    assert_eq!(id, APPLICATION_ID);
}

/// Attack: a read-only database was noticed only after the learner typed an answer.
#[test]
fn write_protected_database_is_refused_when_opening_to_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.sqlite3");
    {
        let mut s = SqliteStore::open(&path).unwrap();
        s.record_answer(&answer("q1", 5)).unwrap();
    }
    // What SQLite does with a write-protected file: it opens it read-only. (Tests may run
    // as root, whom file modes do not stop, so the read-only open is made explicitly.)
    let conn = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let err = SqliteStore::init(conn, "p.sqlite3", Access::Write).unwrap_err();
    assert!(matches!(err, StoreError::ReadOnly { .. }), "{err}");
    assert!(
        err.to_string()
            .contains("make the file and its folder writable"),
        "{err}"
    );

    // Reading (export) still works on it, and a write says why it failed.
    let mut s = SqliteStore::open_read_only(&path).unwrap();
    assert_eq!(s.tally().unwrap().answers, 1);
    let err = s.record_answer(&answer("q1", 6)).unwrap_err();
    assert!(matches!(err, StoreError::WriteRefused { .. }), "{err}");
}

/// Attack: a damaged page gave "database disk image is malformed" with no advice.
#[test]
fn damaged_page_gives_advice_to_restore_or_recover() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.sqlite3");
    {
        let mut s = SqliteStore::open(&path).unwrap();
        for i in 0..50 {
            s.record_answer(&answer("q1", i)).unwrap();
        }
        s.conn
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
            .unwrap();
    }
    // Page 2 is the root of the first table (answers): overwrite it with junk.
    let mut bytes = std::fs::read(&path).unwrap();
    let page = 4096;
    bytes[page..2 * page].fill(7);
    std::fs::write(&path, bytes).unwrap();
    let err = SqliteStore::open(&path)
        .and_then(|s| s.answers().map(drop))
        .unwrap_err()
        .to_string();
    assert!(err.contains("pmle import json"), "{err}");
    assert!(
        err.contains(".recover") || err.contains("move it aside"),
        "{err}"
    );
}
