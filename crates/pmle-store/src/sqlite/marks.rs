//! Marks, private notes and reports on questions (migration 0006).

use rusqlite::{Connection, OptionalExtension, params};

use crate::marks::{
    MarkKind, NewReport, QuestionMark, QuestionNote, ReportOutcome, ReportReason, ReportRecord,
    ReportTriage, theirs_wins,
};
use crate::{ReportStatus, StoreError};

pub(super) fn set_mark(
    conn: &Connection,
    question_id: &str,
    mark: MarkKind,
    on: bool,
    now_ms: i64,
) -> Result<bool, StoreError> {
    let changed = if on {
        conn.execute(
            "INSERT OR IGNORE INTO question_marks (question_id, mark, created_at) VALUES (?1, ?2, ?3)",
            params![question_id, mark.as_str(), now_ms],
        )?
    } else {
        conn.execute(
            "DELETE FROM question_marks WHERE question_id = ?1 AND mark = ?2",
            params![question_id, mark.as_str()],
        )?
    };
    Ok(changed > 0)
}

pub(super) fn marks(conn: &Connection) -> Result<Vec<QuestionMark>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT question_id, mark, created_at FROM question_marks ORDER BY question_id, mark",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (question_id, mark, created_at_ms) = row?;
        out.push(QuestionMark {
            question_id,
            mark: MarkKind::parse(&mark)?,
            created_at_ms,
        });
    }
    Ok(out)
}

/// Replace this database's note on the question (`None` deletes it); true when one was there.
pub(super) fn set_note(
    conn: &mut Connection,
    question_id: &str,
    text: Option<&str>,
    now_ms: i64,
) -> Result<bool, StoreError> {
    let tx = conn.transaction()?;
    let had = tx.execute(
        "DELETE FROM question_notes WHERE question_id = ?1",
        [question_id],
    )? > 0;
    if let Some(text) = text {
        tx.execute(
            "INSERT INTO question_notes (question_id, text, updated_at) VALUES (?1, ?2, ?3)",
            params![question_id, text, now_ms],
        )?;
    }
    tx.commit()?;
    Ok(had)
}

/// Every note row, by question then oldest first (the last row of a question is its note).
pub(super) fn notes(conn: &Connection) -> Result<Vec<QuestionNote>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT question_id, text, updated_at FROM question_notes ORDER BY question_id, updated_at, id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(QuestionNote {
            question_id: r.get(0)?,
            text: r.get(1)?,
            updated_at_ms: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(super) fn add_report(conn: &Connection, r: &NewReport) -> Result<i64, StoreError> {
    let triage = r.effective_triage();
    conn.execute(
        "INSERT INTO question_reports (question_id, reason, text, created_at, status) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            r.question_id,
            r.reason.as_str(),
            r.text,
            r.created_at_ms,
            r.effective_status().as_str()
        ],
    )?;
    let id = conn.last_insert_rowid();
    if let Some(t) = triage {
        write_triage(conn, id, &t)?;
    }
    Ok(id)
}

/// Set a report's triage columns (and its legacy status); false when there is no such row.
fn write_triage(conn: &Connection, id: i64, t: &ReportTriage) -> Result<bool, StoreError> {
    t.check().map_err(StoreError::BadTriage)?;
    Ok(conn.execute(
        "UPDATE question_reports SET outcome = ?2, fixed_in = ?3, note = ?4, triaged_at = ?5, \
         status = ?6 WHERE id = ?1",
        params![
            id,
            t.outcome.kind(),
            t.outcome.fixed_in(),
            t.note,
            t.triaged_at_ms,
            t.outcome.status().as_str()
        ],
    )? > 0)
}

/// Triage report `id` (this database's learner's: SQLite holds one).
pub(super) fn set_report_outcome(
    conn: &Connection,
    id: i64,
    outcome: &ReportOutcome,
    note: Option<&str>,
    now_ms: i64,
) -> Result<(), StoreError> {
    let t = ReportTriage {
        outcome: outcome.clone(),
        note: note.map(str::to_owned),
        triaged_at_ms: Some(now_ms),
    };
    if write_triage(conn, id, &t)? {
        Ok(())
    } else {
        Err(StoreError::NoReport(id))
    }
}

pub(super) fn reports(conn: &Connection) -> Result<Vec<ReportRecord>, StoreError> {
    reports_in(conn, None)
}

/// Every report, oldest first, or only report `only`.
fn reports_in(conn: &Connection, only: Option<i64>) -> Result<Vec<ReportRecord>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT id, question_id, reason, text, created_at, status, outcome, fixed_in, note, \
         triaged_at FROM question_reports WHERE ?1 IS NULL OR id = ?1 ORDER BY created_at, id",
    )?;
    let rows = stmt.query_map([only], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Option<String>>(3)?,
            r.get::<_, i64>(4)?,
            r.get::<_, String>(5)?,
            (
                r.get::<_, Option<String>>(6)?,
                r.get::<_, Option<String>>(7)?,
                r.get::<_, Option<String>>(8)?,
                r.get::<_, Option<i64>>(9)?,
            ),
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, question_id, reason, text, created_at_ms, status, (outcome, fixed_in, note, at)) =
            row?;
        out.push(ReportRecord {
            id,
            report: NewReport {
                question_id,
                reason: ReportReason::parse(&reason)
                    .ok_or_else(|| StoreError::Corrupt(format!("report reason {reason:?}")))?,
                text,
                created_at_ms,
                status: ReportStatus::parse(&status)?,
                triage: match outcome {
                    Some(kind) => Some(ReportTriage {
                        outcome: ReportOutcome::from_columns(&kind, fixed_in)?,
                        note,
                        triaged_at_ms: at,
                    }),
                    None => None,
                },
            },
        });
    }
    Ok(out)
}

/// Merge one backup's marks, notes and reports (inside the import's transaction): a mark is
/// added when missing; a note or report is added unless the very same one is there, so a
/// merge never loses either and repeating it changes nothing. Returns rows added.
pub(super) fn import(
    tx: &Connection,
    marks: &[QuestionMark],
    notes: &[QuestionNote],
    reports: &[NewReport],
) -> Result<usize, StoreError> {
    let mut added = 0;
    for m in marks {
        added += tx.execute(
            "INSERT OR IGNORE INTO question_marks (question_id, mark, created_at) VALUES (?1, ?2, ?3)",
            params![m.question_id, m.mark.as_str(), m.created_at_ms],
        )?;
    }
    for n in notes {
        let there: Option<i64> = tx
            .query_row(
                "SELECT id FROM question_notes WHERE question_id = ?1 AND updated_at = ?2 AND text = ?3",
                params![n.question_id, n.updated_at_ms, n.text],
                |r| r.get(0),
            )
            .optional()?;
        if there.is_none() {
            tx.execute(
                "INSERT INTO question_notes (question_id, text, updated_at) VALUES (?1, ?2, ?3)",
                params![n.question_id, n.text, n.updated_at_ms],
            )?;
            added += 1;
        }
    }
    for r in reports {
        let there: Option<i64> = tx
            .query_row(
                "SELECT id FROM question_reports WHERE question_id = ?1 AND created_at = ?2 \
                 AND reason = ?3 AND text IS ?4 ORDER BY id LIMIT 1",
                params![r.question_id, r.created_at_ms, r.reason.as_str(), r.text],
                |row| row.get(0),
            )
            .optional()?;
        match there {
            None => {
                add_report(tx, r)?;
                added += 1;
            }
            // The same report: the file's triage replaces ours only when it is the
            // triaged or later-triaged copy (marks::theirs_wins).
            Some(id) => {
                let ours = reports_in(tx, Some(id))?
                    .pop()
                    .and_then(|x| x.report.triage);
                let theirs = r.effective_triage();
                if theirs_wins(ours.as_ref(), theirs.as_ref())
                    && let Some(t) = theirs
                {
                    write_triage(tx, id, &t)?;
                }
            }
        }
    }
    Ok(added)
}
