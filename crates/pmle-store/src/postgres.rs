//! The PostgreSQL implementation of [`Store`], for a team server (issue 19).
//!
//! It keeps the semantics of [`crate::SqliteStore`] method by method; one contract test
//! suite (`crate::contract`) runs against both. Four design points:
//!
//! - **A pool of connection threads.** The synchronous `postgres` client drives a private
//!   Tokio runtime, so it panics when called on a thread that already runs async tasks, and
//!   `pmle-web` calls the store inside its async handlers. Connections therefore live on
//!   worker threads of a [`PgPool`] (one connection each) that run each call as a closure
//!   taken from one queue; callers may be anywhere.
//! - **Many learners, one handle each.** A [`PgStore`] is a pool and a user id. Every query
//!   it runs is scoped by that id: reads filter by it, writes set it (migration 0003 put
//!   `user_id` first in every key and index). [`PgStore::open`] is the database's single
//!   learner, user 0, on a pool of one connection.
//! - **One write lock per learner, which is also their change token.** Every write
//!   transaction first bumps the learner's row of `pmle_changes` ([`write`]): one learner's
//!   writers take turns as with SQLite's `BEGIN IMMEDIATE` (a merge that reads then writes
//!   sees no concurrent insert) while other learners' writers do not wait, and
//!   [`Store::change_token`] reads the learner's counter, which moves with every commit of
//!   theirs by anyone. Sessions are `default_transaction_read_only`, so a write outside
//!   [`write`] fails loudly.
//! - **Reconnects.** A lost connection fails the call in progress (nothing half-written:
//!   the transaction rolls back) and that worker's next call connects again.

use postgres::{Client, GenericClient, Transaction};

pub use accounts::{
    AttemptCounts, LinkPurpose, LinkRow, NewLink, NewSession, PgAccounts, Role, SessionRow, UserRow,
};

use crate::{
    AnswerRecord, Backup, ChangeToken, ExamPrediction, ExamRecord, ExamSubmit, ExamWrite,
    ImportSummary, MarkKind, Mode, NewAnswer, NewReport, QuestionHistory, QuestionMark,
    QuestionNote, ReportRecord, ReviewRow, ScheduleRow, Store, StoreError, Tally,
};

mod accounts;
mod backup;
mod cohorts;
mod exams;
mod marks;
mod migrate;
mod pool;
mod schedule;

pub use cohorts::{CohortInviteRow, CohortRow, JoinOutcome, MemberRow, PgCohorts};
pub use pool::PgPool;

/// One learner's history in a PostgreSQL database: a cheap handle (a [`PgPool`] and a user
/// id) whose every call reads and writes only that learner's rows. Clones share the pool.
#[derive(Clone)]
pub struct PgStore {
    pool: PgPool,
    user_id: i64,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore")
            .field("url", &self.pool.url())
            .field("user_id", &self.user_id)
            .finish()
    }
}

impl PgStore {
    /// The database's single learner (user 0), as before tenancy: connect to the database
    /// at `url` (`postgres://USER:PASSWORD@HOST:PORT/DATABASE`, or a key=value string) with
    /// a pool of one connection (one learner's calls come one at a time), refuse one that
    /// belongs to another application or to a newer pmle, and run pending migrations. The
    /// tables live in the connection's current schema. A server for many learners opens a
    /// [`PgPool`] once and calls [`PgPool::store_for`].
    pub fn open(url: &str) -> Result<PgStore, StoreError> {
        Ok(PgPool::open(url, 1)?.store_for(0))
    }

    /// The schema version this build writes.
    pub fn schema_version() -> i64 {
        migrate::latest()
    }

    /// The database's address as given, without its password (for messages).
    pub fn url(&self) -> &str {
        self.pool.url()
    }

    /// Whose rows this handle reads and writes.
    pub fn user_id(&self) -> i64 {
        self.user_id
    }

    /// The pool this handle sends its calls to.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// Run `f` on a free connection of the pool and wait for its result.
    fn run<R: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Client) -> Result<R, StoreError> + Send + 'static,
    ) -> Result<R, StoreError> {
        self.pool.run(f)
    }
}

/// `url` without its password, to show in messages.
pub(crate) fn redact(url: &str) -> String {
    let mut out = url.to_owned();
    if let Some(scheme_end) = out.find("://") {
        let rest = &out[scheme_end + 3..];
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        if let Some(at) = rest[..authority_end].rfind('@')
            && let Some(colon) = rest[..at].find(':')
        {
            let (a, b) = (scheme_end + 3 + colon + 1, scheme_end + 3 + at);
            out.replace_range(a..b, "***");
        }
    }
    // password=… in a query string or a key=value string.
    let mut from = 0;
    while let Some(i) = out[from..].find("password=") {
        let start = from + i + "password=".len();
        let end = out[start..]
            .find(['&', ' '])
            .map_or(out.len(), |j| start + j);
        out.replace_range(start..end, "***");
        from = start + 3;
    }
    out
}

/// Run `f` in a write transaction for learner `user`, after taking their write lock (which
/// bumps their change token; their row of `pmle_changes` is made by their first write).
/// Dropping the transaction on an error rolls everything back.
pub(crate) fn write<R>(
    client: &mut Client,
    user: i64,
    f: impl FnOnce(&mut Transaction<'_>) -> Result<R, StoreError>,
) -> Result<R, StoreError> {
    let mut tx = client.build_transaction().read_only(false).start()?;
    // Two first writes of one learner at once: the second waits on the first's insert, then
    // updates the row it made, so they still take turns.
    tx.execute(
        "INSERT INTO pmle_changes (user_id, counter) VALUES ($1, 1) \
         ON CONFLICT (user_id) DO UPDATE SET counter = pmle_changes.counter + 1",
        &[&user],
    )?;
    let out = f(&mut tx)?;
    tx.commit()?;
    Ok(out)
}

fn insert_answer(tx: &mut Transaction<'_>, user: i64, a: &NewAnswer) -> Result<i64, StoreError> {
    let row = tx.query_one(
        "INSERT INTO answers (user_id, question_id, section_id, mode, session_id, shown_order, \
         chosen, correct, answered_at, duration_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        &[
            &user,
            &a.question_id,
            &a.section_id,
            &a.mode.as_str(),
            &a.session_id,
            &crate::sqlite::json(&a.shown_order),
            &crate::sqlite::json(&a.chosen),
            &a.correct,
            &a.answered_at_ms,
            &a.duration_ms,
        ],
    )?;
    Ok(row.get(0))
}

/// Every learner's answers on this database, each with its user id, oldest first: for the
/// maintainers' reads over the whole team (`pmle items`, `pmle calibrate`, `pmle export
/// responses`), never for a learner's own pages (those go through a scoped [`PgStore`]).
pub(crate) fn every_learners_answers_in(
    c: &mut impl GenericClient,
) -> Result<Vec<(i64, AnswerRecord)>, StoreError> {
    let rows = c.query(
        "SELECT id, question_id, section_id, mode, session_id, shown_order, chosen, correct, \
         answered_at, duration_ms, user_id FROM answers ORDER BY answered_at, id",
        &[],
    )?;
    rows.iter()
        .map(|r| Ok((r.get(10), answer_of_row(r)?)))
        .collect()
}

fn answers_in(c: &mut impl GenericClient, user: i64) -> Result<Vec<AnswerRecord>, StoreError> {
    let rows = c.query(
        "SELECT id, question_id, section_id, mode, session_id, shown_order, chosen, correct, \
         answered_at, duration_ms FROM answers WHERE user_id = $1 ORDER BY answered_at, id",
        &[&user],
    )?;
    rows.iter().map(answer_of_row).collect()
}

/// An answer from a row whose first ten columns are those of [`answers_in`]'s query.
fn answer_of_row(r: &postgres::Row) -> Result<AnswerRecord, StoreError> {
    let mode = match r.get::<_, &str>(3) {
        "practice" => Mode::Practice,
        "exam" => Mode::Exam,
        other => return Err(StoreError::Corrupt(format!("mode {other:?}"))),
    };
    Ok(AnswerRecord {
        id: r.get(0),
        answer: NewAnswer {
            question_id: r.get(1),
            section_id: r.get(2),
            mode,
            session_id: r.get(4),
            shown_order: crate::sqlite::indexes(r.get(5))?,
            chosen: crate::sqlite::indexes(r.get(6))?,
            correct: r.get(7),
            answered_at_ms: r.get(8),
            duration_ms: r.get(9),
        },
    })
}

fn tally_of(answers: i64, correct: i64) -> Tally {
    Tally {
        answers: answers.max(0) as u64,
        correct: correct.max(0) as u64,
    }
}

impl Store for PgStore {
    fn schema_version(&self) -> Result<crate::SchemaVersion, StoreError> {
        self.run(|c| {
            let found: i64 = c
                .query_one(
                    "SELECT coalesce(max(version), 0)::bigint FROM pmle_schema",
                    &[],
                )?
                .get(0);
            Ok(crate::SchemaVersion {
                found,
                supported: migrate::latest(),
            })
        })
    }

    fn change_token(&self) -> Result<ChangeToken, StoreError> {
        // The simple-query protocol: one round trip (a prepared query takes two), and
        // every page asks for the token. The user id is an i64 formatted here, never text
        // from outside. No row yet: the learner never wrote, counter 0.
        let user = self.user_id;
        self.run(move |c| {
            let counter = c
                .simple_query(&format!(
                    "SELECT counter FROM pmle_changes WHERE user_id = {user}"
                ))?
                .into_iter()
                .find_map(|m| match m {
                    postgres::SimpleQueryMessage::Row(r) => r.get(0).map(str::to_owned),
                    _ => None,
                });
            let Some(counter) = counter else {
                return Ok((0, 0));
            };
            let counter = counter
                .parse::<i64>()
                .map_err(|e| StoreError::Corrupt(format!("change counter {counter:?}: {e}")))?;
            Ok((counter, 0))
        })
    }

    fn record_answer(&mut self, a: &NewAnswer) -> Result<i64, StoreError> {
        let (a, user) = (a.clone(), self.user_id);
        self.run(move |c| write(c, user, |tx| insert_answer(tx, user, &a)))
    }

    fn answers(&self) -> Result<Vec<AnswerRecord>, StoreError> {
        let user = self.user_id;
        self.run(move |c| answers_in(c, user))
    }

    fn tally(&self) -> Result<Tally, StoreError> {
        let user = self.user_id;
        self.run(move |c| {
            let r = c.query_one(
                "SELECT count(*), coalesce(sum(correct::int), 0)::bigint FROM answers \
                 WHERE user_id = $1",
                &[&user],
            )?;
            Ok(tally_of(r.get(0), r.get(1)))
        })
    }

    fn tally_by_section(&self) -> Result<Vec<(String, Tally)>, StoreError> {
        let user = self.user_id;
        self.run(move |c| {
            let rows = c.query(
                "SELECT section_id, count(*), sum(correct::int)::bigint FROM answers \
                 WHERE user_id = $1 GROUP BY section_id ORDER BY section_id",
                &[&user],
            )?;
            Ok(rows
                .iter()
                .map(|r| (r.get(0), tally_of(r.get(1), r.get(2))))
                .collect())
        })
    }

    fn question_history(&self) -> Result<Vec<QuestionHistory>, StoreError> {
        // The last answer per question is the one with the highest (time, id).
        let user = self.user_id;
        self.run(move |c| {
            let rows = c.query(
                "SELECT a.question_id, count(*), sum(a.correct::int)::bigint, max(a.answered_at), \
                   (SELECT b.correct FROM answers b \
                    WHERE b.user_id = a.user_id AND b.question_id = a.question_id \
                    ORDER BY b.answered_at DESC, b.id DESC LIMIT 1) \
                 FROM answers a WHERE a.user_id = $1 \
                 GROUP BY a.user_id, a.question_id ORDER BY a.question_id",
                &[&user],
            )?;
            Ok(rows
                .iter()
                .map(|r| QuestionHistory {
                    question_id: r.get(0),
                    tally: tally_of(r.get(1), r.get(2)),
                    last_answered_at_ms: r.get(3),
                    last_correct: r.get(4),
                })
                .collect())
        })
    }

    fn schedule(&self) -> Result<Vec<ScheduleRow>, StoreError> {
        let user = self.user_id;
        self.run(move |c| schedule::all(c, user))
    }

    fn record_review(&mut self, row: &ScheduleRow, rating: u8) -> Result<(), StoreError> {
        let (row, user) = (row.clone(), self.user_id);
        self.run(move |c| schedule::record(c, user, &row, rating))
    }

    fn reviews(&self) -> Result<Vec<ReviewRow>, StoreError> {
        let user = self.user_id;
        self.run(move |c| schedule::reviews(c, user))
    }

    fn create_exam(&mut self, exam: &ExamRecord) -> Result<i64, StoreError> {
        let (exam, user) = (exam.clone(), self.user_id);
        self.run(move |c| exams::create(c, user, &exam))
    }

    fn unfinished_exam(&self) -> Result<Option<ExamRecord>, StoreError> {
        let user = self.user_id;
        self.run(move |c| exams::unfinished(c, user))
    }

    fn exam(&self, id: i64) -> Result<Option<ExamRecord>, StoreError> {
        let user = self.user_id;
        self.run(move |c| exams::get(c, user, id))
    }

    fn finished_exams(&self) -> Result<Vec<ExamRecord>, StoreError> {
        let user = self.user_id;
        self.run(move |c| exams::finished(c, user))
    }

    fn write_exam(&mut self, exam_id: i64, w: &ExamWrite) -> Result<ExamRecord, StoreError> {
        let (w, user) = (w.clone(), self.user_id);
        self.run(move |c| exams::write(c, user, exam_id, &w))
    }

    fn submit_exam(&mut self, exam_id: i64, s: &ExamSubmit<'_>) -> Result<(), StoreError> {
        let (owned, user) = (exams::OwnedSubmit::from(s), self.user_id);
        self.run(move |c| exams::submit(c, user, exam_id, &owned))
    }

    fn abandon_exam(&mut self, exam_id: i64, now_ms: i64) -> Result<(), StoreError> {
        let user = self.user_id;
        self.run(move |c| exams::abandon(c, user, exam_id, now_ms))
    }

    fn record_prediction(&mut self, p: &ExamPrediction) -> Result<(), StoreError> {
        let (p, user) = (*p, self.user_id);
        self.run(move |c| write(c, user, |tx| exams::insert_prediction(tx, user, &p, true)))
    }

    fn predictions(&self) -> Result<Vec<ExamPrediction>, StoreError> {
        let user = self.user_id;
        self.run(move |c| exams::predictions(c, user))
    }

    fn set_mark(
        &mut self,
        question_id: &str,
        mark: MarkKind,
        on: bool,
        now_ms: i64,
    ) -> Result<bool, StoreError> {
        let (question_id, user) = (question_id.to_owned(), self.user_id);
        self.run(move |c| {
            write(c, user, |tx| {
                marks::set_mark(tx, user, &question_id, mark, on, now_ms)
            })
        })
    }

    fn marks(&self) -> Result<Vec<QuestionMark>, StoreError> {
        let user = self.user_id;
        self.run(move |c| marks::marks(c, user))
    }

    fn set_note(
        &mut self,
        question_id: &str,
        text: Option<&str>,
        now_ms: i64,
    ) -> Result<bool, StoreError> {
        let (question_id, text) = (question_id.to_owned(), text.map(str::to_owned));
        let user = self.user_id;
        self.run(move |c| {
            write(c, user, |tx| {
                marks::set_note(tx, user, &question_id, text.as_deref(), now_ms)
            })
        })
    }

    fn notes(&self) -> Result<Vec<QuestionNote>, StoreError> {
        let user = self.user_id;
        self.run(move |c| marks::notes(c, user))
    }

    fn add_report(&mut self, report: &NewReport) -> Result<i64, StoreError> {
        let (report, user) = (report.clone(), self.user_id);
        self.run(move |c| write(c, user, |tx| marks::add_report(tx, user, &report)))
    }

    fn reports(&self) -> Result<Vec<ReportRecord>, StoreError> {
        let user = self.user_id;
        self.run(move |c| marks::reports(c, user))
    }

    fn set_report_outcome(
        &mut self,
        report_id: i64,
        outcome: &crate::ReportOutcome,
        note: Option<&str>,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        let (outcome, note, user) = (outcome.clone(), note.map(str::to_owned), self.user_id);
        self.run(move |c| {
            write(c, user, |tx| {
                marks::set_report_outcome(tx, user, report_id, &outcome, note.as_deref(), now_ms)
            })
        })
    }

    fn export_backup(&self) -> Result<Backup, StoreError> {
        let user = self.user_id;
        self.run(move |c| backup::export(c, user, 0))
    }

    fn import_backup(&mut self, b: &Backup) -> Result<ImportSummary, StoreError> {
        let (b, user) = (b.clone(), self.user_id);
        self.run(move |c| write(c, user, |tx| backup::import(tx, user, &b)))
    }

    fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        let (key, user) = (key.to_owned(), self.user_id);
        self.run(move |c| schedule::setting(c, user, &key))
    }

    fn set_setting(&mut self, key: &str, json_value: &str) -> Result<(), StoreError> {
        let (key, value) = (key.to_owned(), json_value.to_owned());
        let user = self.user_id;
        self.run(move |c| write(c, user, |tx| schedule::set_setting(tx, user, &key, &value)))
    }

    fn delete_setting(&mut self, key: &str) -> Result<bool, StoreError> {
        let (key, user) = (key.to_owned(), self.user_id);
        self.run(move |c| {
            write(c, user, |tx| {
                Ok(tx.execute(
                    "DELETE FROM settings WHERE user_id = $1 AND key = $2",
                    &[&user, &key],
                )? > 0)
            })
        })
    }
}

#[cfg(test)]
mod pool_tests;
#[cfg(test)]
mod tenancy_tests;
#[cfg(test)]
mod tests;
