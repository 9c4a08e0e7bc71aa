//! Schedule, review log and settings tables.

use postgres::{Client, GenericClient, Row, Transaction};

use crate::{ItemKind, ReviewRow, ScheduleRow, StoreError};

fn schedule_row(r: &Row) -> Result<ScheduleRow, StoreError> {
    Ok(ScheduleRow {
        kind: ItemKind::parse(r.get(0))?,
        item_id: r.get(1),
        stability: r.get::<_, f64>(2) as f32,
        difficulty: r.get::<_, f64>(3) as f32,
        last_review_at_ms: r.get(4),
        due_at_ms: r.get(5),
        reps: count(r.get(6))?,
        lapses: count(r.get(7))?,
    })
}

fn count(v: i64) -> Result<u32, StoreError> {
    u32::try_from(v).map_err(|_| StoreError::Corrupt(format!("count {v}")))
}

pub(super) fn all(c: &mut impl GenericClient, user: i64) -> Result<Vec<ScheduleRow>, StoreError> {
    c.query(
        "SELECT item_kind, item_id, stability, difficulty, last_review_at, due_at, reps, lapses \
         FROM schedule WHERE user_id = $1 ORDER BY due_at, item_kind, item_id",
        &[&user],
    )?
    .iter()
    .map(schedule_row)
    .collect()
}

/// Write an item's schedule; with `only_if_newer`, an existing row is replaced only by a
/// later review (imports). Returns the number of rows written.
pub(super) fn upsert(
    tx: &mut Transaction<'_>,
    user: i64,
    s: &ScheduleRow,
    only_if_newer: bool,
) -> Result<usize, StoreError> {
    let condition = if only_if_newer {
        " WHERE excluded.last_review_at > schedule.last_review_at"
    } else {
        ""
    };
    Ok(tx.execute(
        &format!(
            "INSERT INTO schedule (user_id, item_kind, item_id, stability, difficulty, last_review_at, due_at, reps, lapses) \
             VALUES ($9, $1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (user_id, item_kind, item_id) DO UPDATE SET stability = excluded.stability, \
             difficulty = excluded.difficulty, last_review_at = excluded.last_review_at, \
             due_at = excluded.due_at, reps = excluded.reps, lapses = excluded.lapses{condition}"
        ),
        &[
            &s.kind.as_str(),
            &s.item_id,
            &f64::from(s.stability),
            &f64::from(s.difficulty),
            &s.last_review_at_ms,
            &s.due_at_ms,
            &i64::from(s.reps),
            &i64::from(s.lapses),
            &user,
        ],
    )? as usize)
}

pub(super) fn insert_review(
    tx: &mut Transaction<'_>,
    user: i64,
    r: &ReviewRow,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO reviews (user_id, item_kind, item_id, rating, reviewed_at, stability, difficulty, due_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        &[
            &user,
            &r.kind.as_str(),
            &r.item_id,
            &i32::from(r.rating),
            &r.reviewed_at_ms,
            &f64::from(r.stability),
            &f64::from(r.difficulty),
            &r.due_at_ms,
        ],
    )?;
    Ok(())
}

pub(super) fn record(
    c: &mut Client,
    user: i64,
    s: &ScheduleRow,
    rating: u8,
) -> Result<(), StoreError> {
    super::write(c, user, |tx| {
        upsert(tx, user, s, false)?;
        insert_review(
            tx,
            user,
            &ReviewRow {
                kind: s.kind,
                item_id: s.item_id.clone(),
                rating,
                reviewed_at_ms: s.last_review_at_ms,
                stability: s.stability,
                difficulty: s.difficulty,
                due_at_ms: s.due_at_ms,
            },
        )
    })
}

pub(super) fn reviews(c: &mut impl GenericClient, user: i64) -> Result<Vec<ReviewRow>, StoreError> {
    c.query(
        "SELECT item_kind, item_id, rating, reviewed_at, stability, difficulty, due_at \
         FROM reviews WHERE user_id = $1 ORDER BY reviewed_at, id",
        &[&user],
    )?
    .iter()
    .map(|r| {
        Ok(ReviewRow {
            kind: ItemKind::parse(r.get(0))?,
            item_id: r.get(1),
            rating: u8::try_from(r.get::<_, i32>(2))
                .map_err(|_| StoreError::Corrupt("review rating".to_owned()))?,
            reviewed_at_ms: r.get(3),
            stability: r.get::<_, f64>(4) as f32,
            difficulty: r.get::<_, f64>(5) as f32,
            due_at_ms: r.get(6),
        })
    })
    .collect()
}

pub(super) fn setting(
    c: &mut impl GenericClient,
    user: i64,
    key: &str,
) -> Result<Option<String>, StoreError> {
    Ok(c.query_opt(
        "SELECT value FROM settings WHERE user_id = $1 AND key = $2",
        &[&user, &key],
    )?
    .map(|r| r.get(0)))
}

pub(super) fn set_setting(
    tx: &mut Transaction<'_>,
    user: i64,
    key: &str,
    value: &str,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO settings (user_id, key, value) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value",
        &[&user, &key, &value],
    )?;
    Ok(())
}
