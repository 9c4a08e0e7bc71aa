//! Schedule, review log and settings tables.

use rusqlite::{Connection, OptionalExtension, params};

use crate::{ItemKind, ReviewRow, ScheduleRow, StoreError};

pub(super) fn all(conn: &Connection) -> Result<Vec<ScheduleRow>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT item_kind, item_id, stability, difficulty, last_review_at, due_at, reps, lapses \
         FROM schedule ORDER BY due_at, item_kind, item_id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            ScheduleRow {
                kind: ItemKind::Card,
                item_id: r.get(1)?,
                stability: r.get::<_, f64>(2)? as f32,
                difficulty: r.get::<_, f64>(3)? as f32,
                last_review_at_ms: r.get(4)?,
                due_at_ms: r.get(5)?,
                reps: r.get(6)?,
                lapses: r.get(7)?,
            },
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (kind, mut s) = row?;
        s.kind = ItemKind::parse(&kind)?;
        out.push(s);
    }
    Ok(out)
}

/// Write an item's schedule; with `only_if_newer`, an existing row is replaced only by a
/// later review (imports). Returns the number of rows written.
pub(super) fn upsert(
    conn: &Connection,
    s: &ScheduleRow,
    only_if_newer: bool,
) -> Result<usize, StoreError> {
    let condition = if only_if_newer {
        " WHERE excluded.last_review_at > schedule.last_review_at"
    } else {
        ""
    };
    Ok(conn.execute(
        &format!(
            "INSERT INTO schedule (item_kind, item_id, stability, difficulty, last_review_at, due_at, reps, lapses) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) \
             ON CONFLICT (item_kind, item_id) DO UPDATE SET stability = excluded.stability, \
             difficulty = excluded.difficulty, last_review_at = excluded.last_review_at, \
             due_at = excluded.due_at, reps = excluded.reps, lapses = excluded.lapses{condition}"
        ),
        params![
            s.kind.as_str(),
            s.item_id,
            f64::from(s.stability),
            f64::from(s.difficulty),
            s.last_review_at_ms,
            s.due_at_ms,
            s.reps,
            s.lapses
        ],
    )?)
}

pub(super) fn record(conn: &mut Connection, s: &ScheduleRow, rating: u8) -> Result<(), StoreError> {
    let tx = conn.transaction()?;
    upsert(&tx, s, false)?;
    tx.execute(
        "INSERT INTO reviews (item_kind, item_id, rating, reviewed_at, stability, difficulty, due_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            s.kind.as_str(),
            s.item_id,
            rating,
            s.last_review_at_ms,
            f64::from(s.stability),
            f64::from(s.difficulty),
            s.due_at_ms
        ],
    )?;
    tx.commit()?;
    Ok(())
}

pub(super) fn reviews(conn: &Connection) -> Result<Vec<ReviewRow>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT item_kind, item_id, rating, reviewed_at, stability, difficulty, due_at \
         FROM reviews ORDER BY reviewed_at, id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            ReviewRow {
                kind: ItemKind::Card,
                item_id: r.get(1)?,
                rating: r.get(2)?,
                reviewed_at_ms: r.get(3)?,
                stability: r.get::<_, f64>(4)? as f32,
                difficulty: r.get::<_, f64>(5)? as f32,
                due_at_ms: r.get(6)?,
            },
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (kind, mut r) = row?;
        r.kind = ItemKind::parse(&kind)?;
        out.push(r);
    }
    Ok(out)
}

pub(super) fn setting(conn: &Connection, key: &str) -> Result<Option<String>, StoreError> {
    Ok(conn
        .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?)
}

pub(super) fn set_setting(conn: &Connection, key: &str, value: &str) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}
