//! Embedded, append-only schema migrations tracked with `PRAGMA user_version`.
//!
//! Never edit a migration that has shipped: users' databases have already run it. Add a new
//! file and append it to [`MIGRATIONS`]; `shipped_migrations_are_unchanged` fails if an
//! existing one changes.

use rusqlite::Connection;

use crate::StoreError;

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
        "0004_exam_versions",
        include_str!("../migrations/0004_exam_versions.sql"),
    ),
];

pub(crate) fn latest() -> i64 {
    MIGRATIONS.len() as i64
}

pub(crate) fn run(conn: &mut Connection, path: &str) -> Result<(), StoreError> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > latest() {
        return Err(StoreError::TooNew {
            path: path.to_owned(),
            found: current,
            supported: latest(),
        });
    }
    for (n, (_name, sql)) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (n + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// FNV-1a, enough to notice an edit.
    fn fingerprint(s: &str) -> u64 {
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
