//! The PostgreSQL implementation of [`Store`], for a team server (issue 19).
//!
//! It keeps the semantics of [`crate::SqliteStore`] method by method; one contract test
//! suite (`crate::contract`) runs against both. Three design points:
//!
//! - **Its own thread.** The synchronous `postgres` client drives a private Tokio runtime, so
//!   it panics when called on a thread that already runs async tasks, and `pmle-web` calls the
//!   store inside its async handlers. A `PgStore` therefore owns one connection on a thread of
//!   its own and sends it each call as a closure ([`Worker`]); callers may be anywhere.
//! - **One write lock per scope, which is also the change token.** Every write transaction
//!   first bumps its row of `pmle_changes` ([`write`]): writers take turns as with SQLite's
//!   `BEGIN IMMEDIATE` (a merge that reads then writes sees no concurrent insert), and
//!   [`Store::change_token`] reads the counter, which moves with every commit by anyone.
//!   Sessions are `default_transaction_read_only`, so a write outside [`write`] fails loudly.
//! - **Reconnects.** A lost connection fails the call in progress (nothing half-written:
//!   the transaction rolls back) and the next call connects again.

use std::sync::mpsc;
use std::thread::JoinHandle;

use postgres::{Client, Config, GenericClient, NoTls, Transaction};

use crate::{
    AnswerRecord, Backup, ChangeToken, ExamPrediction, ExamRecord, ExamSubmit, ExamWrite,
    ImportSummary, MarkKind, Mode, NewAnswer, NewReport, QuestionHistory, QuestionMark,
    QuestionNote, ReportRecord, ReviewRow, ScheduleRow, Store, StoreError, Tally,
};

mod backup;
mod exams;
mod marks;
mod migrate;
mod schedule;

/// How long a write waits for another writer's lock (as SQLite's busy timeout).
const LOCK_TIMEOUT: &str = "15s";

/// A job for the connection's thread.
type Job = Box<dyn FnOnce(&mut Conn) + Send>;

/// The learner's history in a PostgreSQL database.
pub struct PgStore {
    jobs: Option<mpsc::Sender<Job>>,
    worker: Option<JoinHandle<()>>,
    shown: String,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore").field("url", &self.shown).finish()
    }
}

/// The connection, owned by the worker thread.
struct Conn {
    client: Option<Client>,
    config: Config,
    shown: String,
}

impl Conn {
    /// The live client, connecting again if the last one was lost.
    fn client(&mut self) -> Result<&mut Client, StoreError> {
        if self.client.as_ref().is_none_or(Client::is_closed) {
            self.client = None;
            self.client = Some(connect(&self.config, &self.shown)?);
        }
        self.client
            .as_mut()
            .ok_or_else(|| StoreError::Corrupt("no connection".to_owned()))
    }
}

fn connect(config: &Config, shown: &str) -> Result<Client, StoreError> {
    let mut client = config
        .connect(NoTls)
        .map_err(|source| StoreError::Connect {
            url: shown.to_owned(),
            source,
        })?;
    client.batch_execute(&format!(
        "SET default_transaction_read_only = on; SET lock_timeout = '{LOCK_TIMEOUT}'; \
         SET TIME ZONE 'UTC'"
    ))?;
    Ok(client)
}

impl PgStore {
    /// Connect to the database at `url` (`postgres://USER:PASSWORD@HOST:PORT/DATABASE`, or a
    /// key=value string), refuse one that belongs to another application or to a newer pmle,
    /// and run pending migrations. The tables live in the connection's current schema.
    pub fn open(url: &str) -> Result<PgStore, StoreError> {
        let shown = redact(url);
        let config: Config = url
            .parse()
            .map_err(|e: postgres::Error| StoreError::BadUrl {
                url: shown.clone(),
                detail: e.to_string(),
            })?;
        Self::open_config(config, shown)
    }

    pub(crate) fn open_config(config: Config, shown: String) -> Result<PgStore, StoreError> {
        let (jobs, rx) = mpsc::channel::<Job>();
        let (ready_tx, ready_rx) = mpsc::sync_channel::<Result<(), StoreError>>(1);
        let thread_shown = shown.clone();
        let worker = std::thread::Builder::new()
            .name("pmle-postgres".to_owned())
            .spawn(move || {
                let opened = connect(&config, &thread_shown).and_then(|mut client| {
                    migrate::run(&mut client, &thread_shown)?;
                    Ok(client)
                });
                let mut conn = Conn {
                    client: None,
                    config,
                    shown: thread_shown,
                };
                match opened {
                    Ok(client) => {
                        conn.client = Some(client);
                        let _ = ready_tx.send(Ok(()));
                    }
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                }
                for job in rx {
                    job(&mut conn);
                }
            })
            .map_err(|e| StoreError::Corrupt(format!("cannot start a thread: {e}")))?;
        let store = PgStore {
            jobs: Some(jobs),
            worker: Some(worker),
            shown,
        };
        match ready_rx.recv() {
            Ok(Ok(())) => Ok(store),
            Ok(Err(e)) => Err(e),
            Err(_) => Err(StoreError::Corrupt(
                "the database thread stopped while opening".to_owned(),
            )),
        }
    }

    /// The schema version this build writes.
    pub fn schema_version() -> i64 {
        migrate::latest()
    }

    /// The database's address as given, without its password (for messages).
    pub fn url(&self) -> &str {
        &self.shown
    }

    /// Run `f` on the connection's thread and wait for its result.
    fn run<R: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Client) -> Result<R, StoreError> + Send + 'static,
    ) -> Result<R, StoreError> {
        let (tx, rx) = mpsc::sync_channel(1);
        let job: Job = Box::new(move |conn: &mut Conn| {
            let result = conn.client().and_then(f);
            let _ = tx.send(result);
        });
        let lost = || StoreError::ConnectionLost {
            detail: "the database thread stopped".to_owned(),
        };
        self.jobs
            .as_ref()
            .ok_or_else(lost)?
            .send(job)
            .map_err(|_| lost())?;
        rx.recv().map_err(|_| lost())?
    }
}

impl Drop for PgStore {
    fn drop(&mut self) {
        // Closing the channel ends the thread, which closes the connection.
        self.jobs = None;
        if let Some(w) = self.worker.take() {
            let _ = w.join();
        }
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

/// Run `f` in a write transaction of scope 0, after taking the scope's write lock (which
/// bumps the change token). Dropping the transaction on an error rolls everything back.
pub(crate) fn write<R>(
    client: &mut Client,
    f: impl FnOnce(&mut Transaction<'_>) -> Result<R, StoreError>,
) -> Result<R, StoreError> {
    let mut tx = client.build_transaction().read_only(false).start()?;
    tx.execute(
        "UPDATE pmle_changes SET counter = counter + 1 WHERE scope = 0",
        &[],
    )?;
    let out = f(&mut tx)?;
    tx.commit()?;
    Ok(out)
}

fn insert_answer(tx: &mut Transaction<'_>, a: &NewAnswer) -> Result<i64, StoreError> {
    let row = tx.query_one(
        "INSERT INTO answers (question_id, section_id, mode, session_id, shown_order, chosen, \
         correct, answered_at, duration_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         RETURNING id",
        &[
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

fn answers_in(c: &mut impl GenericClient) -> Result<Vec<AnswerRecord>, StoreError> {
    let rows = c.query(
        "SELECT id, question_id, section_id, mode, session_id, shown_order, chosen, correct, \
         answered_at, duration_ms FROM answers ORDER BY answered_at, id",
        &[],
    )?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let mode = match r.get::<_, &str>(3) {
            "practice" => Mode::Practice,
            "exam" => Mode::Exam,
            other => return Err(StoreError::Corrupt(format!("mode {other:?}"))),
        };
        out.push(AnswerRecord {
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
        });
    }
    Ok(out)
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
        // every page asks for the token.
        self.run(|c| {
            let counter = c
                .simple_query("SELECT counter FROM pmle_changes WHERE scope = 0")?
                .into_iter()
                .find_map(|m| match m {
                    postgres::SimpleQueryMessage::Row(r) => r.get(0).map(str::to_owned),
                    _ => None,
                })
                .ok_or_else(|| StoreError::Corrupt("pmle_changes has no row".to_owned()))?;
            let counter = counter
                .parse::<i64>()
                .map_err(|e| StoreError::Corrupt(format!("change counter {counter:?}: {e}")))?;
            Ok((counter, 0))
        })
    }

    fn record_answer(&mut self, a: &NewAnswer) -> Result<i64, StoreError> {
        let a = a.clone();
        self.run(move |c| write(c, |tx| insert_answer(tx, &a)))
    }

    fn answers(&self) -> Result<Vec<AnswerRecord>, StoreError> {
        self.run(answers_in)
    }

    fn tally(&self) -> Result<Tally, StoreError> {
        self.run(|c| {
            let r = c.query_one(
                "SELECT count(*), coalesce(sum(correct::int), 0)::bigint FROM answers",
                &[],
            )?;
            Ok(tally_of(r.get(0), r.get(1)))
        })
    }

    fn tally_by_section(&self) -> Result<Vec<(String, Tally)>, StoreError> {
        self.run(|c| {
            let rows = c.query(
                "SELECT section_id, count(*), sum(correct::int)::bigint FROM answers \
                 GROUP BY section_id ORDER BY section_id",
                &[],
            )?;
            Ok(rows
                .iter()
                .map(|r| (r.get(0), tally_of(r.get(1), r.get(2))))
                .collect())
        })
    }

    fn question_history(&self) -> Result<Vec<QuestionHistory>, StoreError> {
        // The last answer per question is the one with the highest (time, id).
        self.run(|c| {
            let rows = c.query(
                "SELECT a.question_id, count(*), sum(a.correct::int)::bigint, max(a.answered_at), \
                   (SELECT b.correct FROM answers b WHERE b.question_id = a.question_id \
                    ORDER BY b.answered_at DESC, b.id DESC LIMIT 1) \
                 FROM answers a GROUP BY a.question_id ORDER BY a.question_id",
                &[],
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
        self.run(schedule::all)
    }

    fn record_review(&mut self, row: &ScheduleRow, rating: u8) -> Result<(), StoreError> {
        let row = row.clone();
        self.run(move |c| schedule::record(c, &row, rating))
    }

    fn reviews(&self) -> Result<Vec<ReviewRow>, StoreError> {
        self.run(schedule::reviews)
    }

    fn create_exam(&mut self, exam: &ExamRecord) -> Result<i64, StoreError> {
        let exam = exam.clone();
        self.run(move |c| exams::create(c, &exam))
    }

    fn unfinished_exam(&self) -> Result<Option<ExamRecord>, StoreError> {
        self.run(exams::unfinished)
    }

    fn exam(&self, id: i64) -> Result<Option<ExamRecord>, StoreError> {
        self.run(move |c| exams::get(c, id))
    }

    fn finished_exams(&self) -> Result<Vec<ExamRecord>, StoreError> {
        self.run(exams::finished)
    }

    fn write_exam(&mut self, exam_id: i64, w: &ExamWrite) -> Result<ExamRecord, StoreError> {
        let w = w.clone();
        self.run(move |c| exams::write(c, exam_id, &w))
    }

    fn submit_exam(&mut self, exam_id: i64, s: &ExamSubmit<'_>) -> Result<(), StoreError> {
        let owned = exams::OwnedSubmit::from(s);
        self.run(move |c| exams::submit(c, exam_id, &owned))
    }

    fn abandon_exam(&mut self, exam_id: i64, now_ms: i64) -> Result<(), StoreError> {
        self.run(move |c| exams::abandon(c, exam_id, now_ms))
    }

    fn record_prediction(&mut self, p: &ExamPrediction) -> Result<(), StoreError> {
        let p = *p;
        self.run(move |c| write(c, |tx| exams::insert_prediction(tx, &p, true)))
    }

    fn predictions(&self) -> Result<Vec<ExamPrediction>, StoreError> {
        self.run(exams::predictions)
    }

    fn set_mark(
        &mut self,
        question_id: &str,
        mark: MarkKind,
        on: bool,
        now_ms: i64,
    ) -> Result<bool, StoreError> {
        let question_id = question_id.to_owned();
        self.run(move |c| write(c, |tx| marks::set_mark(tx, &question_id, mark, on, now_ms)))
    }

    fn marks(&self) -> Result<Vec<QuestionMark>, StoreError> {
        self.run(marks::marks)
    }

    fn set_note(
        &mut self,
        question_id: &str,
        text: Option<&str>,
        now_ms: i64,
    ) -> Result<bool, StoreError> {
        let (question_id, text) = (question_id.to_owned(), text.map(str::to_owned));
        self.run(move |c| {
            write(c, |tx| {
                marks::set_note(tx, &question_id, text.as_deref(), now_ms)
            })
        })
    }

    fn notes(&self) -> Result<Vec<QuestionNote>, StoreError> {
        self.run(marks::notes)
    }

    fn add_report(&mut self, report: &NewReport) -> Result<i64, StoreError> {
        let report = report.clone();
        self.run(move |c| write(c, |tx| marks::add_report(tx, &report)))
    }

    fn reports(&self) -> Result<Vec<ReportRecord>, StoreError> {
        self.run(marks::reports)
    }

    fn export_backup(&self) -> Result<Backup, StoreError> {
        self.run(|c| backup::export(c, 0))
    }

    fn import_backup(&mut self, b: &Backup) -> Result<ImportSummary, StoreError> {
        let b = b.clone();
        self.run(move |c| write(c, |tx| backup::import(tx, &b)))
    }

    fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        let key = key.to_owned();
        self.run(move |c| schedule::setting(c, &key))
    }

    fn set_setting(&mut self, key: &str, json_value: &str) -> Result<(), StoreError> {
        let (key, value) = (key.to_owned(), json_value.to_owned());
        self.run(move |c| write(c, |tx| schedule::set_setting(tx, &key, &value)))
    }

    fn delete_setting(&mut self, key: &str) -> Result<bool, StoreError> {
        let key = key.to_owned();
        self.run(move |c| {
            write(c, |tx| {
                Ok(tx.execute("DELETE FROM settings WHERE key = $1", &[&key])? > 0)
            })
        })
    }
}

#[cfg(test)]
mod tests;
