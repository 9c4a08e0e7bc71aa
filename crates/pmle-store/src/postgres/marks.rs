//! Marks, private notes and reports on questions (migration 0002), as in SQLite's 0006.

use postgres::{GenericClient, Transaction};

use crate::marks::{MarkKind, NewReport, QuestionMark, QuestionNote, ReportReason, ReportRecord};
use crate::{ReportStatus, StoreError};

pub(super) fn set_mark(
    tx: &mut Transaction<'_>,
    user: i64,
    question_id: &str,
    mark: MarkKind,
    on: bool,
    now_ms: i64,
) -> Result<bool, StoreError> {
    let changed = if on {
        insert_mark(tx, user, question_id, mark, now_ms)?
    } else {
        tx.execute(
            "DELETE FROM question_marks WHERE user_id = $1 AND question_id = $2 AND mark = $3",
            &[&user, &question_id, &mark.as_str()],
        )?
    };
    Ok(changed > 0)
}

fn insert_mark(
    tx: &mut Transaction<'_>,
    user: i64,
    question_id: &str,
    mark: MarkKind,
    at_ms: i64,
) -> Result<u64, StoreError> {
    Ok(tx.execute(
        "INSERT INTO question_marks (user_id, question_id, mark, created_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (user_id, question_id, mark) DO NOTHING",
        &[&user, &question_id, &mark.as_str(), &at_ms],
    )?)
}

pub(super) fn marks(
    c: &mut impl GenericClient,
    user: i64,
) -> Result<Vec<QuestionMark>, StoreError> {
    c.query(
        "SELECT question_id, mark, created_at FROM question_marks WHERE user_id = $1 \
         ORDER BY question_id, mark",
        &[&user],
    )?
    .iter()
    .map(|r| {
        Ok(QuestionMark {
            question_id: r.get(0),
            mark: MarkKind::parse(r.get(1))?,
            created_at_ms: r.get(2),
        })
    })
    .collect()
}

/// Replace this database's note on the question (`None` deletes it); true when one was there.
pub(super) fn set_note(
    tx: &mut Transaction<'_>,
    user: i64,
    question_id: &str,
    text: Option<&str>,
    now_ms: i64,
) -> Result<bool, StoreError> {
    let had = tx.execute(
        "DELETE FROM question_notes WHERE user_id = $1 AND question_id = $2",
        &[&user, &question_id],
    )? > 0;
    if let Some(text) = text {
        insert_note(tx, user, question_id, text, now_ms)?;
    }
    Ok(had)
}

/// Every note row, by question then oldest first (the last row of a question is its note).
fn insert_note(
    tx: &mut Transaction<'_>,
    user: i64,
    question_id: &str,
    text: &str,
    at_ms: i64,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO question_notes (user_id, question_id, text, updated_at) \
         VALUES ($1, $2, $3, $4)",
        &[&user, &question_id, &text, &at_ms],
    )?;
    Ok(())
}

pub(super) fn notes(
    c: &mut impl GenericClient,
    user: i64,
) -> Result<Vec<QuestionNote>, StoreError> {
    Ok(c.query(
        "SELECT question_id, text, updated_at FROM question_notes WHERE user_id = $1 \
         ORDER BY question_id, updated_at, id",
        &[&user],
    )?
    .iter()
    .map(|r| QuestionNote {
        question_id: r.get(0),
        text: r.get(1),
        updated_at_ms: r.get(2),
    })
    .collect())
}

pub(super) fn add_report(
    tx: &mut Transaction<'_>,
    user: i64,
    r: &NewReport,
) -> Result<i64, StoreError> {
    Ok(tx
        .query_one(
            "INSERT INTO question_reports (user_id, question_id, reason, text, created_at, status) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            &[
                &user,
                &r.question_id,
                &r.reason.as_str(),
                &r.text,
                &r.created_at_ms,
                &r.status.as_str(),
            ],
        )?
        .get(0))
}

pub(super) fn reports(
    c: &mut impl GenericClient,
    user: i64,
) -> Result<Vec<ReportRecord>, StoreError> {
    c.query(
        "SELECT id, question_id, reason, text, created_at, status FROM question_reports \
         WHERE user_id = $1 ORDER BY created_at, id",
        &[&user],
    )?
    .iter()
    .map(|r| {
        let reason: &str = r.get(2);
        Ok(ReportRecord {
            id: r.get(0),
            report: NewReport {
                question_id: r.get(1),
                reason: ReportReason::parse(reason)
                    .ok_or_else(|| StoreError::Corrupt(format!("report reason {reason:?}")))?,
                text: r.get(3),
                created_at_ms: r.get(4),
                status: ReportStatus::parse(r.get(5))?,
            },
        })
    })
    .collect()
}

/// Merge one backup's marks, notes and reports (inside the import's transaction): a mark is
/// added when missing; a note or report is added unless the very same one is there, so a
/// merge never loses either and repeating it changes nothing. Returns rows added.
pub(super) fn import(
    tx: &mut Transaction<'_>,
    user: i64,
    marks: &[QuestionMark],
    notes: &[QuestionNote],
    reports: &[NewReport],
) -> Result<usize, StoreError> {
    let mut added = 0;
    for m in marks {
        added += insert_mark(tx, user, &m.question_id, m.mark, m.created_at_ms)? as usize;
    }
    for n in notes {
        let there: bool = tx
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM question_notes WHERE user_id = $1 \
                 AND question_id = $2 AND updated_at = $3 AND text = $4)",
                &[&user, &n.question_id, &n.updated_at_ms, &n.text],
            )?
            .get(0);
        if !there {
            insert_note(tx, user, &n.question_id, &n.text, n.updated_at_ms)?;
            added += 1;
        }
    }
    for r in reports {
        let there: bool = tx
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM question_reports WHERE user_id = $5 \
                 AND question_id = $1 AND created_at = $2 AND reason = $3 \
                 AND text IS NOT DISTINCT FROM $4)",
                &[
                    &r.question_id,
                    &r.created_at_ms,
                    &r.reason.as_str(),
                    &r.text,
                    &user,
                ],
            )?
            .get(0);
        if !there {
            add_report(tx, user, r)?;
            added += 1;
        }
    }
    Ok(added)
}
