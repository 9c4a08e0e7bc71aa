//! Export and import of the whole history (one transaction for an import), as in SQLite.

use std::collections::{BTreeMap, HashMap};

use postgres::{Client, Transaction};

use crate::sqlite::json;
use crate::{BACKUP_FORMAT, BACKUP_SCHEMA_VERSION, Backup, ImportSummary, StoreError};

pub(super) fn export(c: &mut Client, user: i64, now_ms: i64) -> Result<Backup, StoreError> {
    // One snapshot for the whole document (REPEATABLE READ), so a write committed meanwhile
    // is either all in it or not at all.
    let mut tx = c
        .build_transaction()
        .isolation_level(postgres::IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()?;
    let answers = super::answers_in(&mut tx, user)?
        .into_iter()
        .map(|a| a.answer)
        .collect();
    let ids: Vec<i64> = tx
        .query(
            "SELECT id FROM exams WHERE user_id = $1 ORDER BY id",
            &[&user],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let mut exams = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(e) = super::exams::get(&mut tx, user, id)? {
            exams.push(e);
        }
    }
    let mut schedule = super::schedule::all(&mut tx, user)?;
    schedule.sort_by(|a, b| (a.kind.as_str(), &a.item_id).cmp(&(b.kind.as_str(), &b.item_id)));
    let mut settings = BTreeMap::new();
    for r in tx.query(
        "SELECT key, value FROM settings WHERE user_id = $1 ORDER BY key",
        &[&user],
    )? {
        let (k, v): (String, &str) = (r.get(0), r.get(1));
        let value = serde_json::from_str(v)
            .map_err(|e| StoreError::Corrupt(format!("setting {k}: {e}")))?;
        settings.insert(k, value);
    }
    let reviews = super::schedule::reviews(&mut tx, user)?;
    let predictions = super::exams::predictions(&mut tx, user)?;
    let marks = super::marks::marks(&mut tx, user)?;
    let notes = super::marks::notes(&mut tx, user)?;
    let reports = super::marks::reports(&mut tx, user)?
        .into_iter()
        .map(|r| r.report)
        .collect();
    tx.commit()?;
    Ok(Backup {
        format: BACKUP_FORMAT.to_owned(),
        schema_version: BACKUP_SCHEMA_VERSION,
        pmle_version: env!("CARGO_PKG_VERSION").to_owned(),
        exported_at_ms: now_ms,
        pack_id: String::new(),
        answers,
        exams,
        schedule,
        reviews,
        settings,
        predictions,
        marks,
        notes,
        reports,
    })
}

/// Merge into learner `user`'s rows inside a write transaction ([`super::write`] holds the
/// learner's write lock, so the checks below see every committed row of theirs and no writer
/// of theirs can slip in between check and insert). Every check looks at their rows only:
/// another learner's identical exam or answer is not "already there".
pub(super) fn import(
    tx: &mut Transaction<'_>,
    user: i64,
    b: &Backup,
) -> Result<ImportSummary, StoreError> {
    let mut sum = ImportSummary::default();
    // Exams first: an exam is the same exam when it started at the same moment with the same
    // seed and variant. Imported ids are kept when free, so a restore reproduces the source.
    let mut exam_ids: HashMap<i64, i64> = HashMap::new();
    for e in &b.exams {
        let existing: Option<i64> = tx
            .query_opt(
                "SELECT id FROM exams WHERE user_id = $5 AND started_at = $1 AND seed = $2 \
                 AND variant = $3 AND section_id IS NOT DISTINCT FROM $4",
                &[
                    &e.started_at_ms,
                    &(e.seed as i64),
                    &e.variant,
                    &e.section_id,
                    &user,
                ],
            )?
            .map(|r| r.get(0));
        if let Some(id) = existing {
            exam_ids.insert(e.id, id);
            sum.exams_skipped += 1;
            continue;
        }
        // Ids are global identities: an id any learner has is taken (the import then gets a
        // new one, as when this learner has it).
        let taken: bool = tx
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM exams WHERE id = $1)",
                &[&e.id],
            )?
            .get(0);
        let params: [&(dyn postgres::types::ToSql + Sync); 12] = [
            &(e.seed as i64),
            &e.variant,
            &e.section_id,
            &e.time_limit_ms,
            &e.elapsed_ms,
            &(e.current as i64),
            &e.started_at_ms,
            &e.updated_at_ms,
            &e.submitted_at_ms,
            &e.auto_submitted,
            // Submitted wins: a row is never both.
            &e.abandoned_at_ms.filter(|_| e.submitted_at_ms.is_none()),
            &user,
        ];
        const COLUMNS: &str = "seed, variant, section_id, time_limit_ms, elapsed_ms, current, \
                               started_at, updated_at, submitted_at, auto_submitted, abandoned_at, \
                               user_id";
        const VALUES: &str = "$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12";
        let id: i64 = if taken {
            tx.query_one(
                &format!("INSERT INTO exams ({COLUMNS}) VALUES ({VALUES}) RETURNING id"),
                &params,
            )?
            .get(0)
        } else {
            let mut with_id = params.to_vec();
            with_id.push(&e.id);
            tx.execute(
                &format!("INSERT INTO exams (id, {COLUMNS}) VALUES ($13, {VALUES})"),
                &with_id,
            )?;
            // An id given explicitly does not move the identity: the next exam made here
            // (later in this import, or after it) must come after it, as in SQLite.
            tx.execute(
                "SELECT setval(pg_get_serial_sequence('exams', 'id'), m) \
                 FROM (SELECT max(id) AS m FROM exams) AS t WHERE m >= 1",
                &[],
            )?;
            e.id
        };
        exam_ids.insert(e.id, id);
        super::exams::insert_items(tx, user, id, &e.items)?;
        sum.exams_added += 1;
    }
    for p in &b.predictions {
        // Only for an exam of this file, under the id it now has; an exam that was already
        // there keeps the prediction it had.
        if let Some(&id) = exam_ids.get(&p.exam_id) {
            let p = crate::ExamPrediction { exam_id: id, ..*p };
            super::exams::insert_prediction(tx, user, &p, false)?;
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
        let exists: bool = tx
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM answers WHERE user_id = $5 AND question_id = $1 \
                 AND answered_at = $2 AND mode = $3 AND chosen = $4)",
                &[
                    &a.question_id,
                    &a.answered_at_ms,
                    &a.mode.as_str(),
                    &json(&a.chosen),
                    &user,
                ],
            )?
            .get(0);
        if exists {
            sum.answers_skipped += 1;
        } else {
            super::insert_answer(tx, user, &a)?;
            sum.answers_added += 1;
        }
    }
    for r in &b.reviews {
        let exists: bool = tx
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM reviews WHERE user_id = $5 AND item_kind = $1 \
                 AND item_id = $2 AND reviewed_at = $3 AND rating = $4)",
                &[
                    &r.kind.as_str(),
                    &r.item_id,
                    &r.reviewed_at_ms,
                    &i32::from(r.rating),
                    &user,
                ],
            )?
            .get(0);
        if exists {
            sum.reviews_skipped += 1;
            continue;
        }
        super::schedule::insert_review(tx, user, r)?;
        sum.reviews_added += 1;
    }
    // A schedule entry is replaced only by a more recent review of the same item.
    for s in &b.schedule {
        sum.schedule_updated += super::schedule::upsert(tx, user, s, true)?;
    }
    for (k, v) in &b.settings {
        let value = v.to_string();
        let same = super::schedule::setting(tx, user, k)?.is_some_and(|saved| saved == value);
        if !same {
            super::schedule::set_setting(tx, user, k, &value)?;
            sum.settings_set += 1;
        }
    }
    sum.marks_notes_reports_added = super::marks::import(tx, user, &b.marks, &b.notes, &b.reports)?;
    Ok(sum)
}
