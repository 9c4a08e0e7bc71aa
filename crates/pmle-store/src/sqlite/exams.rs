//! Mock exams: created whole, saved item by item, submitted once.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{indexes, insert_answer, json};
use crate::{ExamItemRecord, ExamItemUpdate, ExamRecord, NewAnswer, StoreError};

const EXAM_COLUMNS: &str = "id, seed, variant, section_id, time_limit_ms, elapsed_ms, current, \
                            started_at, updated_at, submitted_at, auto_submitted";

fn exam_row(r: &Row<'_>) -> rusqlite::Result<ExamRecord> {
    Ok(ExamRecord {
        id: r.get(0)?,
        seed: r.get::<_, i64>(1)? as u64,
        variant: r.get(2)?,
        section_id: r.get(3)?,
        time_limit_ms: r.get(4)?,
        elapsed_ms: r.get(5)?,
        current: r.get::<_, i64>(6)? as usize,
        started_at_ms: r.get(7)?,
        updated_at_ms: r.get(8)?,
        submitted_at_ms: r.get(9)?,
        auto_submitted: r.get(10)?,
        items: Vec::new(),
    })
}

pub(super) fn create(conn: &mut Connection, e: &ExamRecord) -> Result<i64, StoreError> {
    let tx = conn.transaction()?;
    tx.execute(
        "INSERT INTO exams (seed, variant, section_id, time_limit_ms, elapsed_ms, current, started_at, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            e.seed as i64,
            e.variant,
            e.section_id,
            e.time_limit_ms,
            e.elapsed_ms,
            e.current as i64,
            e.started_at_ms,
            e.updated_at_ms
        ],
    )?;
    let id = tx.last_insert_rowid();
    insert_items(&tx, id, &e.items)?;
    tx.commit()?;
    Ok(id)
}

/// Write an exam's items (used when creating an exam and when importing one).
pub(super) fn insert_items(
    conn: &Connection,
    exam_id: i64,
    items: &[ExamItemRecord],
) -> Result<(), StoreError> {
    for it in items {
        conn.execute(
            "INSERT INTO exam_items (exam_id, position, question_id, section_id, shown_order, chosen, flagged, time_ms) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                exam_id,
                it.position as i64,
                it.question_id,
                it.section_id,
                json(&it.shown_order),
                it.chosen.as_deref().map(json),
                it.flagged,
                it.time_ms
            ],
        )?;
    }
    Ok(())
}

fn items(conn: &Connection, exam_id: i64) -> Result<Vec<ExamItemRecord>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT position, question_id, section_id, shown_order, chosen, flagged, time_ms \
         FROM exam_items WHERE exam_id = ?1 ORDER BY position",
    )?;
    let rows = stmt.query_map([exam_id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, Option<String>>(4)?,
            r.get::<_, bool>(5)?,
            r.get::<_, i64>(6)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (position, question_id, section_id, shown, chosen, flagged, time_ms) = row?;
        out.push(ExamItemRecord {
            position: position as usize,
            question_id,
            section_id,
            shown_order: indexes(&shown)?,
            chosen: chosen.as_deref().map(indexes).transpose()?,
            flagged,
            time_ms,
        });
    }
    Ok(out)
}

pub(super) fn get(conn: &Connection, id: i64) -> Result<Option<ExamRecord>, StoreError> {
    let exam = conn
        .query_row(
            &format!("SELECT {EXAM_COLUMNS} FROM exams WHERE id = ?1"),
            [id],
            exam_row,
        )
        .optional()?;
    match exam {
        Some(mut e) => {
            e.items = items(conn, e.id)?;
            Ok(Some(e))
        }
        None => Ok(None),
    }
}

pub(super) fn unfinished(conn: &Connection) -> Result<Option<ExamRecord>, StoreError> {
    let id: Option<i64> = conn
        .query_row(
            "SELECT id FROM exams WHERE submitted_at IS NULL ORDER BY started_at DESC, id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?;
    match id {
        Some(id) => get(conn, id),
        None => Ok(None),
    }
}

pub(super) fn finished(conn: &Connection) -> Result<Vec<ExamRecord>, StoreError> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {EXAM_COLUMNS} FROM exams WHERE submitted_at IS NOT NULL ORDER BY submitted_at DESC, id DESC"
    ))?;
    let rows = stmt.query_map([], exam_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(super) fn save_item(
    conn: &mut Connection,
    exam_id: i64,
    u: &ExamItemUpdate,
    elapsed_ms: i64,
    current: usize,
    now_ms: i64,
) -> Result<(), StoreError> {
    let tx = conn.transaction()?;
    let changed = tx.execute(
        "UPDATE exam_items SET chosen = ?3, flagged = ?4, time_ms = ?5 WHERE exam_id = ?1 AND position = ?2",
        params![exam_id, u.position as i64, u.chosen.as_deref().map(json), u.flagged, u.time_ms],
    )?;
    if changed != 1 {
        return Err(StoreError::Corrupt(format!(
            "exam {exam_id} has no question at position {}",
            u.position
        )));
    }
    tx.execute(
        "UPDATE exams SET elapsed_ms = ?2, current = ?3, updated_at = ?4 WHERE id = ?1 AND submitted_at IS NULL",
        params![exam_id, elapsed_ms, current as i64, now_ms],
    )?;
    tx.commit()?;
    Ok(())
}

pub(super) fn submit(
    conn: &mut Connection,
    exam_id: i64,
    elapsed_ms: i64,
    now_ms: i64,
    auto: bool,
    answers: &[NewAnswer],
) -> Result<(), StoreError> {
    let tx = conn.transaction()?;
    let changed = tx.execute(
        "UPDATE exams SET elapsed_ms = ?2, updated_at = ?3, submitted_at = ?3, auto_submitted = ?4 \
         WHERE id = ?1 AND submitted_at IS NULL",
        params![exam_id, elapsed_ms, now_ms, auto],
    )?;
    if changed == 1 {
        for a in answers {
            insert_answer(&tx, a)?;
        }
    }
    tx.commit()?;
    Ok(())
}
