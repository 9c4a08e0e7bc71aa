//! Marks, private notes and reports on questions (migration 0002), as in SQLite's 0006.

use postgres::{GenericClient, Transaction};

use crate::marks::{
    MarkKind, NewReport, QuestionMark, QuestionNote, ReportOutcome, ReportReason, ReportRecord,
    ReportTriage, theirs_wins,
};
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
    let id: i64 = tx
        .query_one(
            "INSERT INTO question_reports (user_id, question_id, reason, text, created_at, status) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            &[
                &user,
                &r.question_id,
                &r.reason.as_str(),
                &r.text,
                &r.created_at_ms,
                &r.effective_status().as_str(),
            ],
        )?
        .get(0);
    if let Some(t) = r.effective_triage() {
        write_triage(tx, user, id, &t)?;
    }
    Ok(id)
}

/// Set learner `user`'s report `id`'s triage (and its legacy status); false when they have
/// no such report.
fn write_triage(
    tx: &mut Transaction<'_>,
    user: i64,
    id: i64,
    t: &ReportTriage,
) -> Result<bool, StoreError> {
    t.check().map_err(StoreError::BadTriage)?;
    Ok(tx.execute(
        "UPDATE question_reports SET outcome = $3, fixed_in = $4, note = $5, triaged_at = $6, \
         status = $7 WHERE user_id = $1 AND id = $2",
        &[
            &user,
            &id,
            &t.outcome.kind(),
            &t.outcome.fixed_in(),
            &t.note,
            &t.triaged_at_ms,
            &t.outcome.status().as_str(),
        ],
    )? > 0)
}

/// Triage learner `user`'s report `id` at `now_ms`.
pub(super) fn set_report_outcome(
    tx: &mut Transaction<'_>,
    user: i64,
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
    if write_triage(tx, user, id, &t)? {
        Ok(())
    } else {
        Err(StoreError::NoReport(id))
    }
}

/// Whose report `id` is (`None`: nobody's).
pub(super) fn owner_of_report(
    c: &mut impl GenericClient,
    id: i64,
) -> Result<Option<i64>, StoreError> {
    Ok(
        c.query_opt("SELECT user_id FROM question_reports WHERE id = $1", &[&id])?
            .map(|r| r.get(0)),
    )
}

const REPORT_COLUMNS: &str = "id, question_id, reason, text, created_at, status, outcome, \
                              fixed_in, note, triaged_at, user_id";

pub(super) fn reports(
    c: &mut impl GenericClient,
    user: i64,
) -> Result<Vec<ReportRecord>, StoreError> {
    c.query(
        &format!(
            "SELECT {REPORT_COLUMNS} FROM question_reports WHERE user_id = $1 \
             ORDER BY created_at, id"
        ),
        &[&user],
    )?
    .iter()
    .map(report_of_row)
    .collect()
}

/// Every learner's reports with their user ids, oldest first: for maintainers only.
pub(super) fn every_learners_reports(
    c: &mut impl GenericClient,
) -> Result<Vec<(i64, ReportRecord)>, StoreError> {
    c.query(
        &format!("SELECT {REPORT_COLUMNS} FROM question_reports ORDER BY created_at, id"),
        &[],
    )?
    .iter()
    .map(|r| Ok((r.get(10), report_of_row(r)?)))
    .collect()
}

fn report_of_row(r: &postgres::Row) -> Result<ReportRecord, StoreError> {
    let reason: &str = r.get(2);
    let outcome: Option<&str> = r.get(6);
    Ok(ReportRecord {
        id: r.get(0),
        report: NewReport {
            question_id: r.get(1),
            reason: ReportReason::parse(reason)
                .ok_or_else(|| StoreError::Corrupt(format!("report reason {reason:?}")))?,
            text: r.get(3),
            created_at_ms: r.get(4),
            status: ReportStatus::parse(r.get(5))?,
            triage: match outcome {
                Some(kind) => Some(ReportTriage {
                    outcome: ReportOutcome::from_columns(kind, r.get(7))?,
                    note: r.get(8),
                    triaged_at_ms: r.get(9),
                }),
                None => None,
            },
        },
    })
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
        let there: Option<i64> = tx
            .query_opt(
                "SELECT id FROM question_reports WHERE user_id = $5 \
                 AND question_id = $1 AND created_at = $2 AND reason = $3 \
                 AND text IS NOT DISTINCT FROM $4 ORDER BY id LIMIT 1",
                &[
                    &r.question_id,
                    &r.created_at_ms,
                    &r.reason.as_str(),
                    &r.text,
                    &user,
                ],
            )?
            .map(|row| row.get(0));
        match there {
            None => {
                add_report(tx, user, r)?;
                added += 1;
            }
            // The same report: the file's triage replaces ours only when it is the
            // triaged or later-triaged copy (marks::theirs_wins), as on SQLite.
            Some(id) => {
                let ours = tx
                    .query(
                        &format!(
                            "SELECT {REPORT_COLUMNS} FROM question_reports \
                             WHERE user_id = $1 AND id = $2"
                        ),
                        &[&user, &id],
                    )?
                    .first()
                    .map(report_of_row)
                    .transpose()?
                    .and_then(|x| x.report.triage);
                let theirs = r.effective_triage();
                if theirs_wins(ours.as_ref(), theirs.as_ref())
                    && let Some(t) = theirs
                {
                    write_triage(tx, user, id, &t)?;
                }
            }
        }
    }
    Ok(added)
}
