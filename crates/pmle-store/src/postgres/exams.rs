//! Mock exams: created whole, changed action by action, submitted once.
//!
//! As in SQLite: every write is one transaction that holds the write lock before it reads
//! ([`super::write`]), adds to the clock and times instead of assigning them, and sets an
//! answer only over the version its writer showed (see [`crate::ExamWrite`]).

use postgres::{Client, GenericClient, Row, Transaction};

use crate::sqlite::{indexes, json};
use crate::{
    ExamItemChange, ExamItemRecord, ExamPrediction, ExamRecord, ExamSubmit, ExamWrite, NewAnswer,
    StoreError,
};

const EXAM_COLUMNS: &str = "id, seed, variant, section_id, time_limit_ms, elapsed_ms, current, \
                            started_at, updated_at, submitted_at, auto_submitted, version, \
                            abandoned_at";

fn exam_row(r: &Row) -> ExamRecord {
    ExamRecord {
        id: r.get(0),
        seed: r.get::<_, i64>(1) as u64,
        variant: r.get(2),
        section_id: r.get(3),
        time_limit_ms: r.get(4),
        elapsed_ms: r.get(5),
        current: r.get::<_, i64>(6).max(0) as usize,
        started_at_ms: r.get(7),
        updated_at_ms: r.get(8),
        submitted_at_ms: r.get(9),
        auto_submitted: r.get(10),
        abandoned_at_ms: r.get(12),
        items: Vec::new(),
        version: r.get(11),
    }
}

pub(super) fn create(c: &mut Client, user: i64, e: &ExamRecord) -> Result<i64, StoreError> {
    super::write(c, user, |tx| {
        let id: i64 = tx
            .query_one(
                "INSERT INTO exams (user_id, seed, variant, section_id, time_limit_ms, elapsed_ms, \
                 current, started_at, updated_at) VALUES ($9, $1, $2, $3, $4, $5, $6, $7, $8) \
                 RETURNING id",
                &[
                    &(e.seed as i64),
                    &e.variant,
                    &e.section_id,
                    &e.time_limit_ms,
                    &e.elapsed_ms,
                    &(e.current as i64),
                    &e.started_at_ms,
                    &e.updated_at_ms,
                    &user,
                ],
            )?
            .get(0);
        insert_items(tx, user, id, &e.items)?;
        Ok(id)
    })
}

/// Write an exam's items (used when creating an exam and when importing one).
pub(super) fn insert_items(
    tx: &mut Transaction<'_>,
    user: i64,
    exam_id: i64,
    items: &[ExamItemRecord],
) -> Result<(), StoreError> {
    if items.is_empty() {
        return Ok(());
    }
    let stmt = tx.prepare(
        "INSERT INTO exam_items (user_id, exam_id, position, question_id, section_id, \
         shown_order, chosen, flagged, time_ms) VALUES ($9, $1, $2, $3, $4, $5, $6, $7, $8)",
    )?;
    for it in items {
        tx.execute(
            &stmt,
            &[
                &exam_id,
                &(it.position as i64),
                &it.question_id,
                &it.section_id,
                &json(&it.shown_order),
                &it.chosen.as_deref().map(json),
                &it.flagged,
                &it.time_ms,
                &user,
            ],
        )?;
    }
    Ok(())
}

fn items(
    c: &mut impl GenericClient,
    user: i64,
    exam_id: i64,
) -> Result<Vec<ExamItemRecord>, StoreError> {
    let rows = c.query(
        "SELECT position, question_id, section_id, shown_order, chosen, flagged, time_ms, version \
         FROM exam_items WHERE user_id = $1 AND exam_id = $2 ORDER BY position",
        &[&user, &exam_id],
    )?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(ExamItemRecord {
            position: r.get::<_, i64>(0).max(0) as usize,
            question_id: r.get(1),
            section_id: r.get(2),
            shown_order: indexes(r.get(3))?,
            chosen: r.get::<_, Option<&str>>(4).map(indexes).transpose()?,
            flagged: r.get(5),
            time_ms: r.get(6),
            version: r.get(7),
        });
    }
    Ok(out)
}

/// The learner's exam `id` with its items; another learner's exam is `None`.
pub(super) fn get(
    c: &mut impl GenericClient,
    user: i64,
    id: i64,
) -> Result<Option<ExamRecord>, StoreError> {
    let exam = c
        .query_opt(
            &format!("SELECT {EXAM_COLUMNS} FROM exams WHERE user_id = $1 AND id = $2"),
            &[&user, &id],
        )?
        .map(|r| exam_row(&r));
    match exam {
        Some(mut e) => {
            e.items = items(c, user, e.id)?;
            Ok(Some(e))
        }
        None => Ok(None),
    }
}

pub(super) fn unfinished(c: &mut Client, user: i64) -> Result<Option<ExamRecord>, StoreError> {
    let id: Option<i64> = c
        .query_opt(
            "SELECT id FROM exams WHERE user_id = $1 AND submitted_at IS NULL \
             AND abandoned_at IS NULL ORDER BY started_at DESC, id DESC LIMIT 1",
            &[&user],
        )?
        .map(|r| r.get(0));
    match id {
        Some(id) => get(c, user, id),
        None => Ok(None),
    }
}

pub(super) fn finished(c: &mut Client, user: i64) -> Result<Vec<ExamRecord>, StoreError> {
    Ok(c.query(
        &format!(
            "SELECT {EXAM_COLUMNS} FROM exams WHERE user_id = $1 AND submitted_at IS NOT NULL \
                 ORDER BY submitted_at DESC, id DESC"
        ),
        &[&user],
    )?
    .iter()
    .map(exam_row)
    .collect())
}

/// The clock rule of [`ExamWrite`] in SQL: `$1` is the writer's instant, `$2` when its clock
/// last counted. Wall time is counted once however many front ends run the exam, and
/// `elapsed_ms` never decreases (nor passes the limit by counting).
const CLOCK: &str = "elapsed_ms = GREATEST(elapsed_ms, LEAST(time_limit_ms, \
                     elapsed_ms + GREATEST(0, $1::bigint - GREATEST($2::bigint, updated_at)))), \
                     updated_at = GREATEST(updated_at, $1::bigint), version = version + 1";

/// Why a conditional write to a running exam changed nothing.
fn not_running(tx: &mut Transaction<'_>, user: i64, exam_id: i64) -> StoreError {
    let ended = tx.query_opt(
        "SELECT submitted_at, abandoned_at FROM exams WHERE user_id = $1 AND id = $2",
        &[&user, &exam_id],
    );
    match ended {
        Ok(None) => StoreError::NoExam(exam_id),
        Ok(Some(r)) => match (r.get::<_, Option<i64>>(0), r.get::<_, Option<i64>>(1)) {
            (Some(_), _) => StoreError::ExamSubmitted(exam_id),
            (None, Some(_)) => StoreError::ExamAbandoned(exam_id),
            (None, None) => StoreError::Conflict {
                exam_id,
                position: None,
            },
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
    c: &mut Client,
    user: i64,
    exam_id: i64,
    w: &ExamWrite,
) -> Result<ExamRecord, StoreError> {
    super::write(c, user, |tx| {
        let changed = tx.execute(
            &format!(
                "UPDATE exams SET {CLOCK}, current = $3 WHERE user_id = $5 AND id = $4 \
                 AND submitted_at IS NULL AND abandoned_at IS NULL"
            ),
            &[&w.now_ms, &w.since_ms, &(w.current as i64), &exam_id, &user],
        )?;
        if changed != 1 {
            return Err(not_running(tx, user, exam_id));
        }
        if let Some((position, ms)) = w.time_spent {
            let changed = tx.execute(
                "UPDATE exam_items SET time_ms = time_ms + GREATEST(0, $3::bigint) \
                 WHERE user_id = $4 AND exam_id = $1 AND position = $2",
                &[&exam_id, &(position as i64), &ms, &user],
            )?;
            if changed != 1 {
                return Err(no_question(exam_id, position));
            }
        }
        match &w.change {
            None => {}
            Some(ExamItemChange::Flag { position, flagged }) => {
                let changed = tx.execute(
                    "UPDATE exam_items SET flagged = $3 \
                     WHERE user_id = $4 AND exam_id = $1 AND position = $2",
                    &[&exam_id, &(*position as i64), flagged, &user],
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
                let row = tx
                    .query_opt(
                        "SELECT version, chosen FROM exam_items \
                         WHERE user_id = $3 AND exam_id = $1 AND position = $2",
                        &[&exam_id, &(*position as i64), &user],
                    )?
                    .ok_or_else(|| no_question(exam_id, *position))?;
                let version: i64 = row.get(0);
                let saved = row.get::<_, Option<&str>>(1).map(indexes).transpose()?;
                if !same_choice(saved.as_deref(), chosen.as_deref()) {
                    if version != *seen_version {
                        // The rollback takes the clock back too: the writer's time is
                        // counted by its next write, which starts from the same `since`.
                        return Err(StoreError::Conflict {
                            exam_id,
                            position: Some(*position),
                        });
                    }
                    tx.execute(
                        "UPDATE exam_items SET chosen = $3, version = version + 1 \
                         WHERE user_id = $4 AND exam_id = $1 AND position = $2",
                        &[
                            &exam_id,
                            &(*position as i64),
                            &chosen.as_deref().map(json),
                            &user,
                        ],
                    )?;
                }
            }
        }
        get(tx, user, exam_id)?.ok_or(StoreError::NoExam(exam_id))
    })
}

/// The same options picked, in any order.
fn same_choice(a: Option<&[usize]>, b: Option<&[usize]>) -> bool {
    let set = |v: Option<&[usize]>| {
        v.map(|v| v.iter().copied().collect::<std::collections::BTreeSet<_>>())
    };
    set(a) == set(b)
}

/// [`ExamSubmit`] with its answers owned, to travel to the connection's thread.
pub(super) struct OwnedSubmit {
    seen_version: i64,
    since_ms: i64,
    now_ms: i64,
    auto: bool,
    answers: Vec<NewAnswer>,
}

impl From<&ExamSubmit<'_>> for OwnedSubmit {
    fn from(s: &ExamSubmit<'_>) -> OwnedSubmit {
        OwnedSubmit {
            seen_version: s.seen_version,
            since_ms: s.since_ms,
            now_ms: s.now_ms,
            auto: s.auto,
            answers: s.answers.to_vec(),
        }
    }
}

pub(super) fn submit(
    c: &mut Client,
    user: i64,
    exam_id: i64,
    s: &OwnedSubmit,
) -> Result<(), StoreError> {
    super::write(c, user, |tx| {
        let changed = tx.execute(
            &format!(
                "UPDATE exams SET {CLOCK}, submitted_at = $1::bigint, auto_submitted = $3 \
                 WHERE user_id = $6 AND id = $4 AND submitted_at IS NULL \
                 AND abandoned_at IS NULL AND version = $5"
            ),
            &[
                &s.now_ms,
                &s.since_ms,
                &s.auto,
                &exam_id,
                &s.seen_version,
                &user,
            ],
        )?;
        if changed != 1 {
            return Err(not_running(tx, user, exam_id));
        }
        for a in &s.answers {
            super::insert_answer(tx, user, a)?;
        }
        Ok(())
    })
}

/// Mark a running exam abandoned; nothing is recorded and the clock is left as saved.
pub(super) fn abandon(
    c: &mut Client,
    user: i64,
    exam_id: i64,
    now_ms: i64,
) -> Result<(), StoreError> {
    super::write(c, user, |tx| {
        let changed = tx.execute(
            "UPDATE exams SET abandoned_at = $2, version = version + 1 \
             WHERE user_id = $3 AND id = $1 AND submitted_at IS NULL AND abandoned_at IS NULL",
            &[&exam_id, &now_ms, &user],
        )?;
        if changed != 1 {
            return Err(not_running(tx, user, exam_id));
        }
        Ok(())
    })
}

/// Store a prediction once per exam; `clamp` keeps the figures in 0–1 (as `record_prediction`
/// does; an import stores what the validated file says).
pub(super) fn insert_prediction(
    tx: &mut Transaction<'_>,
    user: i64,
    p: &ExamPrediction,
    clamp: bool,
) -> Result<(), StoreError> {
    let c = |x: f64| if clamp { x.clamp(0.0, 1.0) } else { x };
    tx.execute(
        "INSERT INTO exam_predictions (user_id, exam_id, predicted, low, high, made_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (user_id, exam_id) DO NOTHING",
        &[
            &user,
            &p.exam_id,
            &c(p.predicted),
            &c(p.low),
            &c(p.high),
            &p.made_at_ms,
        ],
    )?;
    Ok(())
}

pub(super) fn predictions(
    c: &mut impl GenericClient,
    user: i64,
) -> Result<Vec<ExamPrediction>, StoreError> {
    Ok(c.query(
        "SELECT exam_id, predicted, low, high, made_at FROM exam_predictions \
         WHERE user_id = $1 ORDER BY exam_id",
        &[&user],
    )?
    .iter()
    .map(|r| ExamPrediction {
        exam_id: r.get(0),
        predicted: r.get(1),
        low: r.get(2),
        high: r.get(3),
        made_at_ms: r.get(4),
    })
    .collect())
}
