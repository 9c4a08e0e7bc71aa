//! Embedded, append-only schema migrations tracked with `PRAGMA user_version`.
//!
//! Never edit a migration that has shipped: users' databases have already run it. Add a new
//! file and append it to [`MIGRATIONS`]; `shipped_migrations_are_unchanged` fails if an
//! existing one changes.

use rusqlite::{Connection, TransactionBehavior};

use crate::StoreError;
use crate::sqlite::APPLICATION_ID;

/// In order; the database's `user_version` is the number applied.
pub(crate) const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_answers",
        include_str!("../migrations/0001_answers.sql"),
    ),
    (
        "0002_schedule_exams_settings",
        include_str!("../migrations/0002_schedule_exams_settings.sql"),
    ),
    (
        "0003_exam_versions",
        include_str!("../migrations/0003_exam_versions.sql"),
    ),
    (
        "0004_exam_predictions",
        include_str!("../migrations/0004_exam_predictions.sql"),
    ),
    (
        "0005_exam_abandoned",
        include_str!("../migrations/0005_exam_abandoned.sql"),
    ),
    (
        "0006_question_marks_notes_reports",
        include_str!("../migrations/0006_question_marks_notes_reports.sql"),
    ),
    (
        "0007_report_outcomes",
        include_str!("../migrations/0007_report_outcomes.sql"),
    ),
];

pub(crate) fn latest() -> i64 {
    MIGRATIONS.len() as i64
}

pub(crate) fn run(conn: &mut Connection, path: &str) -> Result<(), StoreError> {
    let current = check_version(conn, path)?;
    let app_id: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    if current == latest() && app_id == APPLICATION_ID {
        return Ok(());
    }
    // One write transaction, taken up front: two processes opening a new database at once
    // cannot both run a migration, and the version is read again under the lock.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let current = check_version(&tx, path)?;
    for (_name, sql) in MIGRATIONS.iter().skip(current as usize) {
        tx.execute_batch(sql)?;
    }
    tx.pragma_update(None, "user_version", latest())?;
    tx.pragma_update(None, "application_id", APPLICATION_ID)?;
    tx.commit()?;
    Ok(())
}

/// For a database opened read-only: its schema must be the one this build knows.
pub(crate) fn check(conn: &Connection, path: &str) -> Result<(), StoreError> {
    let found = check_version(conn, path)?;
    if found < latest() {
        return Err(StoreError::NeedsUpgrade {
            path: path.to_owned(),
            found,
            supported: latest(),
        });
    }
    Ok(())
}

fn check_version(conn: &Connection, path: &str) -> Result<i64, StoreError> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > latest() {
        return Err(StoreError::TooNew {
            path: path.to_owned(),
            found: current,
            supported: latest(),
        });
    }
    Ok(current)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// FNV-1a, enough to notice an edit (also pins PostgreSQL's migrations).
    pub(crate) fn fingerprint(s: &str) -> u64 {
        s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        })
    }

    #[test]
    fn shipped_migrations_are_unchanged() {
        // When you add a migration, append its fingerprint; never change an existing one.
        let shipped: Vec<u64> = MIGRATIONS.iter().map(|(_, sql)| fingerprint(sql)).collect();
        let pinned: Vec<u64> = vec![
            0x9ce9_28ec_0647_ff35,
            0x539a_1ff8_76ec_9cb4,
            0xaf0f_7b87_9107_ed1f,
            0xf3f0_c066_eece_6f43,
            0x88d0_165f_1831_7ff0,
            0x60e0_8d1d_c1c2_10ef,
            0x95a3_9f92_563e_6a22,
        ];
        assert_eq!(
            shipped.len(),
            pinned.len(),
            "pin the new migration's fingerprint: {shipped:x?}"
        );
        assert_eq!(
            shipped, pinned,
            "a shipped migration changed; add a new one instead"
        );
    }
}
