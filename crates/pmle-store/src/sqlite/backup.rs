//! Export and import of the whole history (one transaction for an import).

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::{insert_answer, json};
use crate::{BACKUP_FORMAT, BACKUP_SCHEMA_VERSION, Backup, ImportSummary, StoreError};

pub(super) fn export(store: &super::SqliteStore, now_ms: i64) -> Result<Backup, StoreError> {
    use crate::Store;
    let answers = store.answers()?.into_iter().map(|a| a.answer).collect();
    let mut exams = Vec::new();
    let ids: Vec<i64> = {
        let mut stmt = store.conn.prepare("SELECT id FROM exams ORDER BY id")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<Result<_, _>>()?
    };
    for id in ids {
        if let Some(e) = store.exam(id)? {
            exams.push(e);
        }
    }
    let mut schedule = store.schedule()?;
    schedule.sort_by(|a, b| (a.kind.as_str(), &a.item_id).cmp(&(b.kind.as_str(), &b.item_id)));
    let mut settings = std::collections::BTreeMap::new();
    {
        let mut stmt = store
            .conn
            .prepare("SELECT key, value FROM settings ORDER BY key")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (k, v) = row?;
            let value = serde_json::from_str(&v)
                .map_err(|e| StoreError::Corrupt(format!("setting {k}: {e}")))?;
            settings.insert(k, value);
        }
    }
    Ok(Backup {
        format: BACKUP_FORMAT.to_owned(),
        schema_version: BACKUP_SCHEMA_VERSION,
        pmle_version: env!("CARGO_PKG_VERSION").to_owned(),
        exported_at_ms: now_ms,
        pack_id: String::new(),
        answers,
        exams,
        schedule,
        reviews: store.reviews()?,
        settings,
        predictions: store.predictions()?,
        marks: store.marks()?,
        notes: store.notes()?,
        reports: store.reports()?.into_iter().map(|r| r.report).collect(),
    })
}

pub(super) fn import(conn: &mut Connection, b: &Backup) -> Result<ImportSummary, StoreError> {
    let mut sum = ImportSummary::default();
    // The write lock is taken up front (BEGIN IMMEDIATE): the merge reads, then writes.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Exams first: an exam is the same exam when it started at the same moment with the same
    // seed and variant. Imported ids are kept when free, so a restore reproduces the source.
    let mut exam_ids: HashMap<i64, i64> = HashMap::new();
    for e in &b.exams {
        let existing: Option<i64> = tx
            .query_row(
                "SELECT id FROM exams WHERE started_at = ?1 AND seed = ?2 AND variant = ?3 AND section_id IS ?4",
                params![e.started_at_ms, e.seed as i64, e.variant, e.section_id],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(id) = existing {
            exam_ids.insert(e.id, id);
            sum.exams_skipped += 1;
            continue;
        }
        let taken: bool = tx.query_row(
            "SELECT count(*) > 0 FROM exams WHERE id = ?1",
            [e.id],
            |r| r.get(0),
        )?;
        tx.execute(
            "INSERT INTO exams (id, seed, variant, section_id, time_limit_ms, elapsed_ms, current, \
             started_at, updated_at, submitted_at, auto_submitted, abandoned_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
                if taken { None } else { Some(e.id) },
                e.seed as i64,
                e.variant,
                e.section_id,
                e.time_limit_ms,
                e.elapsed_ms,
                e.current as i64,
                e.started_at_ms,
                e.updated_at_ms,
                e.submitted_at_ms,
                e.auto_submitted,
                // Submitted wins: a row is never both (schema 0005).
                e.abandoned_at_ms.filter(|_| e.submitted_at_ms.is_none())
            ],
        )?;
        let id = tx.last_insert_rowid();
        exam_ids.insert(e.id, id);
        super::exams::insert_items(&tx, id, &e.items)?;
        sum.exams_added += 1;
    }
    for p in &b.predictions {
        // Only for an exam of this file, under the id it now has; an exam that was already
        // there keeps the prediction it had.
        if let Some(&id) = exam_ids.get(&p.exam_id) {
            tx.execute(
                "INSERT OR IGNORE INTO exam_predictions (exam_id, predicted, low, high, made_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, p.predicted, p.low, p.high, p.made_at_ms],
            )?;
        }
    }
    for a in &b.answers {
        let mut a = a.clone();
        if let Some(old) = a
            .session_id
            .as_deref()
            .and_then(|s| s.strip_prefix("exam-"))
            .and_then(|n| n.parse::<i64>().ok())
            && let Some(new) = exam_ids.get(&old)
        {
            a.session_id = Some(format!("exam-{new}"));
        }
        let exists: bool = tx.query_row(
            "SELECT count(*) > 0 FROM answers WHERE question_id = ?1 AND answered_at = ?2 AND mode = ?3 AND chosen = ?4",
            params![a.question_id, a.answered_at_ms, a.mode.as_str(), json(&a.chosen)],
            |r| r.get(0),
        )?;
        if exists {
            sum.answers_skipped += 1;
        } else {
            insert_answer(&tx, &a)?;
            sum.answers_added += 1;
        }
    }
    for r in &b.reviews {
        let exists: bool = tx.query_row(
            "SELECT count(*) > 0 FROM reviews WHERE item_kind = ?1 AND item_id = ?2 AND reviewed_at = ?3 AND rating = ?4",
            params![r.kind.as_str(), r.item_id, r.reviewed_at_ms, r.rating],
            |row| row.get(0),
        )?;
        if exists {
            sum.reviews_skipped += 1;
            continue;
        }
        tx.execute(
            "INSERT INTO reviews (item_kind, item_id, rating, reviewed_at, stability, difficulty, due_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                r.kind.as_str(),
                r.item_id,
                r.rating,
                r.reviewed_at_ms,
                f64::from(r.stability),
                f64::from(r.difficulty),
                r.due_at_ms
            ],
        )?;
        sum.reviews_added += 1;
    }
    // A schedule entry is replaced only by a more recent review of the same item.
    for s in &b.schedule {
        let changed = super::schedule::upsert(&tx, s, true)?;
        sum.schedule_updated += changed;
    }
    for (k, v) in &b.settings {
        let value = v.to_string();
        let same: bool = tx
            .query_row(
                "SELECT value = ?2 FROM settings WHERE key = ?1",
                params![k, value],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(false);
        if !same {
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![k, value],
            )?;
            sum.settings_set += 1;
        }
    }
    sum.marks_notes_reports_added = super::marks::import(&tx, &b.marks, &b.notes, &b.reports)?;
    tx.commit()?;
    Ok(sum)
}
