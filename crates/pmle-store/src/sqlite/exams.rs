//! Mock exams: created whole, changed action by action, submitted once.
//!
//! Several front ends may run the same exam at once, each with its own connection. Every
//! write is one transaction that starts by writing (so it holds SQLite's write lock before it
//! reads), adds to the clock and times instead of assigning them, and sets an answer only
//! over the version its writer showed: see [`crate::ExamWrite`].

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{indexes, insert_answer, json};
use crate::{ExamItemChange, ExamItemRecord, ExamRecord, ExamSubmit, ExamWrite, StoreError};

const EXAM_COLUMNS: &str = "id, seed, variant, section_id, time_limit_ms, elapsed_ms, current, \
                            started_at, updated_at, submitted_at, auto_submitted, version, \
                            abandoned_at";

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
        abandoned_at_ms: r.get(12)?,
        items: Vec::new(),
        version: r.get(11)?,
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
        "SELECT position, question_id, section_id, shown_order, chosen, flagged, time_ms, version \
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
            r.get::<_, i64>(7)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (position, question_id, section_id, shown, chosen, flagged, time_ms, version) = row?;
        out.push(ExamItemRecord {
            position: position as usize,
            question_id,
            section_id,
            shown_order: indexes(&shown)?,
            chosen: chosen.as_deref().map(indexes).transpose()?,
            flagged,
            time_ms,
            version,
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
            "SELECT id FROM exams WHERE submitted_at IS NULL AND abandoned_at IS NULL ORDER BY started_at DESC, id DESC LIMIT 1",
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

/// The clock rule of [`ExamWrite`] in SQL: `?now` is the writer's instant, `?since` when its
/// clock last counted. Wall time is counted once however many front ends run the exam, and
/// `elapsed_ms` never decreases (nor passes the limit by counting).
const CLOCK: &str = "elapsed_ms = MAX(elapsed_ms, MIN(time_limit_ms, \
                     elapsed_ms + MAX(0, :now - MAX(:since, updated_at)))), \
                     updated_at = MAX(updated_at, :now), version = version + 1";

/// Why a conditional write to a running exam changed nothing.
fn not_running(conn: &Connection, exam_id: i64) -> StoreError {
    let ended: Result<Option<(Option<i64>, Option<i64>)>, _> = conn
        .query_row(
            "SELECT submitted_at, abandoned_at FROM exams WHERE id = ?1",
            [exam_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional();
    match ended {
        Ok(None) => StoreError::NoExam(exam_id),
        Ok(Some((Some(_), _))) => StoreError::ExamSubmitted(exam_id),
        Ok(Some((None, Some(_)))) => StoreError::ExamAbandoned(exam_id),
        Ok(Some((None, None))) => StoreError::Conflict {
            exam_id,
            position: None,
        },
        Err(e) => e.into(),
    }
}

fn no_question(exam_id: i64, position: usize) -> StoreError {
    StoreError::Corrupt(format!(
        "exam {exam_id} has no question at position {position}"
    ))
}

pub(super) fn write(
    conn: &mut Connection,
    exam_id: i64,
    w: &ExamWrite,
) -> Result<ExamRecord, StoreError> {
    let tx = conn.transaction()?;
    // The first statement writes, so the transaction holds the write lock from here on.
    let changed = tx.execute(
        &format!(
            "UPDATE exams SET {CLOCK}, current = :current \
             WHERE id = :id AND submitted_at IS NULL AND abandoned_at IS NULL"
        ),
        rusqlite::named_params! {
            ":now": w.now_ms, ":since": w.since_ms, ":current": w.current as i64, ":id": exam_id,
        },
    )?;
    if changed != 1 {
        return Err(not_running(&tx, exam_id));
    }
    if let Some((position, ms)) = w.time_spent {
        let changed = tx.execute(
            "UPDATE exam_items SET time_ms = time_ms + MAX(0, ?3) WHERE exam_id = ?1 AND position = ?2",
            params![exam_id, position as i64, ms],
        )?;
        if changed != 1 {
            return Err(no_question(exam_id, position));
        }
    }
    match &w.change {
        None => {}
        Some(ExamItemChange::Flag { position, flagged }) => {
            let changed = tx.execute(
                "UPDATE exam_items SET flagged = ?3 WHERE exam_id = ?1 AND position = ?2",
                params![exam_id, *position as i64, flagged],
            )?;
            if changed != 1 {
                return Err(no_question(exam_id, *position));
            }
        }
        Some(ExamItemChange::Answer {
            position,
            chosen,
            seen_version,
        }) => {
            let (version, saved): (i64, Option<String>) = tx
                .query_row(
                    "SELECT version, chosen FROM exam_items WHERE exam_id = ?1 AND position = ?2",
                    params![exam_id, *position as i64],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?
                .ok_or_else(|| no_question(exam_id, *position))?;
            let saved = saved.as_deref().map(indexes).transpose()?;
            if !same_choice(saved.as_deref(), chosen.as_deref()) {
                if version != *seen_version {
                    // Dropping the transaction rolls the clock back too: the writer's time
                    // is counted by its next write, which starts from the same `since`.
                    return Err(StoreError::Conflict {
                        exam_id,
                        position: Some(*position),
                    });
                }
                tx.execute(
                    "UPDATE exam_items SET chosen = ?3, version = version + 1 \
                     WHERE exam_id = ?1 AND position = ?2",
                    params![exam_id, *position as i64, chosen.as_deref().map(json)],
                )?;
            }
        }
    }
    let saved = get(&tx, exam_id)?.ok_or(StoreError::NoExam(exam_id))?;
    tx.commit()?;
    Ok(saved)
}

/// The same options picked, in any order.
fn same_choice(a: Option<&[usize]>, b: Option<&[usize]>) -> bool {
    let set = |v: Option<&[usize]>| {
        v.map(|v| v.iter().copied().collect::<std::collections::BTreeSet<_>>())
    };
    set(a) == set(b)
}

pub(super) fn submit(
    conn: &mut Connection,
    exam_id: i64,
    s: &ExamSubmit<'_>,
) -> Result<(), StoreError> {
    let tx = conn.transaction()?;
    let changed = tx.execute(
        &format!(
            "UPDATE exams SET {CLOCK}, submitted_at = :now, auto_submitted = :auto \
             WHERE id = :id AND submitted_at IS NULL AND abandoned_at IS NULL AND version = :seen"
        ),
        rusqlite::named_params! {
            ":now": s.now_ms, ":since": s.since_ms, ":auto": s.auto, ":id": exam_id,
            ":seen": s.seen_version,
        },
    )?;
    if changed != 1 {
        return Err(not_running(&tx, exam_id));
    }
    for a in s.answers {
        insert_answer(&tx, a)?;
    }
    tx.commit()?;
    Ok(())
}

/// Mark a running exam abandoned; nothing is recorded and the clock is left as saved.
pub(super) fn abandon(conn: &mut Connection, exam_id: i64, now_ms: i64) -> Result<(), StoreError> {
    let tx = conn.transaction()?;
    let changed = tx.execute(
        "UPDATE exams SET abandoned_at = ?2, version = version + 1 \
         WHERE id = ?1 AND submitted_at IS NULL AND abandoned_at IS NULL",
        params![exam_id, now_ms],
    )?;
    if changed != 1 {
        return Err(not_running(&tx, exam_id));
    }
    tx.commit()?;
    Ok(())
}
