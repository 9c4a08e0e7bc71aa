//! PostgreSQL's embedded, append-only migrations, tracked in the `pmle_schema` table.
//!
//! Never edit a migration that has shipped: add a file to `migrations-postgres/` and append
//! it to [`MIGRATIONS`]; `shipped_migrations_are_unchanged` fails if an existing one changes.

use postgres::Client;

use crate::StoreError;

/// In order; the database's version is the highest applied.
pub(super) const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_schema",
        include_str!("../../migrations-postgres/0001_schema.sql"),
    ),
    (
        "0002_question_marks_notes_reports",
        include_str!("../../migrations-postgres/0002_question_marks_notes_reports.sql"),
    ),
    (
        "0003_tenancy",
        include_str!("../../migrations-postgres/0003_tenancy.sql"),
    ),
    (
        "0004_accounts",
        include_str!("../../migrations-postgres/0004_accounts.sql"),
    ),
    (
        "0005_cohorts",
        include_str!("../../migrations-postgres/0005_cohorts.sql"),
    ),
    (
        "0006_report_outcomes",
        include_str!("../../migrations-postgres/0006_report_outcomes.sql"),
    ),
    (
        "0007_login_attempts_checked",
        include_str!("../../migrations-postgres/0007_login_attempts_checked.sql"),
    ),
];

pub(super) fn latest() -> i64 {
    MIGRATIONS.len() as i64
}

/// Tables a pmle database has; finding one of them without `pmle_schema` means the schema
/// belongs to another application.
const OURS: &[&str] = &[
    "answers", "exams", "schedule", "settings", "reviews", "users", "sessions",
];

/// Refuse another application's schema or a newer pmle's; run what is pending, in one
/// transaction under an advisory lock, re-reading the version under the lock (two servers
/// starting at once migrate once).
pub(super) fn run(client: &mut Client, shown: &str) -> Result<(), StoreError> {
    if version(client, shown)? == Some(latest()) {
        return Ok(());
    }
    let mut tx = client.build_transaction().read_only(false).start()?;
    tx.execute(
        "SELECT pg_advisory_xact_lock(hashtext('pmle-migrate ' || current_schema()))",
        &[],
    )?;
    let found = match version(&mut tx, shown)? {
        Some(v) => v,
        None => {
            let tables: Vec<String> = tx
                .query(
                    "SELECT table_name::text FROM information_schema.tables \
                     WHERE table_schema = current_schema() ORDER BY 1",
                    &[],
                )?
                .iter()
                .map(|r| r.get(0))
                .collect();
            if tables.iter().any(|t| OURS.contains(&t.as_str())) {
                return Err(StoreError::Foreign {
                    path: shown.to_owned(),
                    what: format!(
                        "its schema has tables {} but no pmle_schema",
                        tables
                            .iter()
                            .take(4)
                            .cloned()
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                });
            }
            0
        }
    };
    for (i, (name, sql)) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        tx.batch_execute(sql)?;
        tx.execute(
            "INSERT INTO pmle_schema (version, name) VALUES ($1, $2)",
            &[&(i as i32 + 1), name],
        )?;
    }
    tx.commit()?;
    Ok(())
}

/// The schema version, `None` when there is no `pmle_schema` table; a newer one is refused.
fn version(
    client: &mut impl postgres::GenericClient,
    shown: &str,
) -> Result<Option<i64>, StoreError> {
    // A catalog query under this statement's snapshot (not `to_regclass`, whose catalog
    // cache may predate a migration another server committed while we waited for the lock).
    let exists: bool = client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_tables \
             WHERE schemaname = current_schema() AND tablename = 'pmle_schema')",
            &[],
        )?
        .get(0);
    if !exists {
        return Ok(None);
    }
    let found: i64 = client
        .query_one(
            "SELECT coalesce(max(version), 0)::bigint FROM pmle_schema",
            &[],
        )?
        .get(0);
    if found > latest() {
        return Err(StoreError::TooNew {
            path: shown.to_owned(),
            found,
            supported: latest(),
        });
    }
    Ok(Some(found))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_migrations_are_unchanged() {
        // When you add a migration, append its fingerprint; never change an existing one.
        let shipped: Vec<u64> = MIGRATIONS
            .iter()
            .map(|(_, sql)| crate::migrate::tests::fingerprint(sql))
            .collect();
        let pinned: Vec<u64> = vec![
            0x2f96_278d_c423_544a,
            0xd131_141f_c298_5d59,
            0xe8f5_600a_2b00_1fa3,
            0x5b99_2ae8_3e0f_87d4,
            0xa857_5cdc_10aa_7389,
            0xbbf9_12fc_6dd1_fb43,
            0x84e5_7173_a5f3_e181,
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
