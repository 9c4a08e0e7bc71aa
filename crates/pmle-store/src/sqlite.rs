//! The SQLite implementation of [`Store`]: one file, WAL, every answer its own transaction.

use std::path::Path;

use rusqlite::{Connection, MAIN_DB, OpenFlags, TransactionBehavior, params};

use crate::{
    AnswerRecord, Backup, ExamPrediction, ExamRecord, ExamSubmit, ExamWrite, ImportSummary,
    MarkKind, Mode, NewAnswer, NewReport, QuestionHistory, QuestionMark, QuestionNote,
    ReportRecord, ReviewRow, ScheduleRow, Store, StoreError, Tally, migrate,
};

mod backup;
mod exams;
mod marks;
mod schedule;

/// The learner's history in one SQLite file.
pub struct SqliteStore {
    conn: Connection,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.conn.path())
            .finish()
    }
}

/// `PRAGMA application_id` of every pmle database: "PMLE" in ASCII. Files with another id
/// belong to another application and are never touched.
pub const APPLICATION_ID: i32 = 0x504D_4C45;

/// How a database is opened.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Access {
    /// A file pmle will write to: must be writable, is migrated.
    Write,
    /// A file only read (export): never written, never migrated.
    Read,
    /// A private in-memory database.
    Memory,
}

impl SqliteStore {
    /// Open (or create) the database at `path` for a command that writes, creating its
    /// folder if needed. A write-protected file is refused here, before any question is shown.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        let shown = path.display().to_string();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir {
                path: dir.display().to_string(),
                source,
            })?;
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE;
        let conn = Connection::open_with_flags(path, flags).map_err(|source| StoreError::Open {
            path: shown.clone(),
            source,
        })?;
        Self::init(conn, &shown, Access::Write)
    }

    /// Open an existing database only to read it (e.g. to export a read-only file). It is
    /// never migrated: a database of an older schema must be opened with [`Self::open`] once.
    pub fn open_read_only(path: &Path) -> Result<SqliteStore, StoreError> {
        let shown = path.display().to_string();
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(
            |source| StoreError::Open {
                path: shown.clone(),
                source,
            },
        )?;
        Self::init(conn, &shown, Access::Read)
    }

    /// A private database that lives in memory, for tests and simulations.
    pub fn open_in_memory() -> Result<SqliteStore, StoreError> {
        Self::init(Connection::open_in_memory()?, ":memory:", Access::Memory)
    }

    fn init(mut conn: Connection, path: &str, access: Access) -> Result<SqliteStore, StoreError> {
        let not_a_db = |e: rusqlite::Error| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt) => {
                StoreError::NotADatabase {
                    path: path.to_owned(),
                }
            }
            Some(rusqlite::ErrorCode::ReadOnly) => StoreError::ReadOnly {
                path: path.to_owned(),
                detail: e.to_string(),
            },
            _ => StoreError::Open {
                path: path.to_owned(),
                source: e,
            },
        };
        conn.busy_timeout(std::time::Duration::from_secs(BUSY_TIMEOUT_SECS))
            .map_err(not_a_db)?;
        // Every transaction takes the write lock when it begins: a transaction that reads
        // and then writes would otherwise fail with SQLITE_BUSY_SNAPSHOT ("database is
        // locked", no retry) whenever another process committed in between.
        conn.set_transaction_behavior(TransactionBehavior::Immediate);
        if access == Access::Write && conn.is_readonly(MAIN_DB).unwrap_or(false) {
            return Err(StoreError::ReadOnly {
                path: path.to_owned(),
                detail: "the file is write-protected".to_owned(),
            });
        }
        // Before anything could change the file: is it pmle's? (The first real read, so a
        // file that is not a database at all fails here.)
        identify(&conn, path).map_err(|e| match e {
            StoreError::Sqlite(inner) => not_a_db(inner),
            StoreError::Damaged { .. } => StoreError::NotADatabase {
                path: path.to_owned(),
            },
            other => other,
        })?;
        if access == Access::Write {
            // Only now may the file change (WAL is recorded in its header).
            conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))
                .map_err(not_a_db)?;
        }
        conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")
            .map_err(not_a_db)?;
        let migrated = if access == Access::Read {
            migrate::check(&conn, path)
        } else {
            migrate::run(&mut conn, path)
        };
        migrated.map_err(|e| match e {
            StoreError::Sqlite(inner) => not_a_db(inner),
            other => other,
        })?;
        Ok(SqliteStore { conn })
    }

    /// The schema version this build writes.
    pub fn schema_version() -> i64 {
        migrate::latest()
    }
}

/// How long a write waits for another process's write to finish before giving up.
const BUSY_TIMEOUT_SECS: u64 = 15;

/// Refuse a database that another application made: pmle's own carry [`APPLICATION_ID`];
/// a pmle database from before the id existed has pmle's schema version and `answers`
/// table; an empty file becomes a pmle database.
fn identify(conn: &Connection, path: &str) -> Result<(), StoreError> {
    let app_id: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    if app_id == APPLICATION_ID {
        return Ok(());
    }
    let foreign = |what: String| {
        Err(StoreError::Foreign {
            path: path.to_owned(),
            what,
        })
    };
    if app_id != 0 {
        return foreign(format!("its application id is {app_id:#010x}"));
    }
    let objects: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
    if objects == 0 {
        return Ok(());
    }
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let has_answers: bool = conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'answers'",
        [],
        |r| r.get(0),
    )?;
    if version >= 1 && has_answers {
        return Ok(());
    }
    let tables: Vec<String> = {
        let mut stmt = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name LIMIT 4")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<Result<_, _>>()?
    };
    foreign(format!("it has tables {}", tables.join(", ")))
}

fn insert_answer(conn: &Connection, a: &NewAnswer) -> Result<i64, StoreError> {
    conn.execute(
        "INSERT INTO answers (question_id, section_id, mode, session_id, shown_order, chosen, \
         correct, answered_at, duration_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            a.question_id,
            a.section_id,
            a.mode.as_str(),
            a.session_id,
            json(&a.shown_order),
            json(&a.chosen),
            a.correct,
            a.answered_at_ms,
            a.duration_ms
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

pub(crate) fn json(v: &[usize]) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".to_owned())
}

pub(crate) fn indexes(s: &str) -> Result<Vec<usize>, StoreError> {
    serde_json::from_str(s).map_err(|e| StoreError::Corrupt(format!("option list {s:?}: {e}")))
}

impl Store for SqliteStore {
    fn schema_version(&self) -> Result<crate::SchemaVersion, StoreError> {
        let found: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?;
        Ok(crate::SchemaVersion {
            found,
            supported: crate::migrate::latest(),
        })
    }

    fn change_token(&self) -> Result<crate::ChangeToken, StoreError> {
        // `data_version` moves on commits by other connections, `total_changes` on ours.
        let other: i64 = self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?;
        Ok((other, self.conn.total_changes()))
    }

    fn record_answer(&mut self, a: &NewAnswer) -> Result<i64, StoreError> {
        insert_answer(&self.conn, a)
    }

    fn answers(&self) -> Result<Vec<AnswerRecord>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT id, question_id, section_id, mode, session_id, shown_order, chosen, correct, \
             answered_at, duration_ms FROM answers ORDER BY answered_at, id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, bool>(7)?,
                r.get::<_, i64>(8)?,
                r.get::<_, Option<i64>>(9)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, question_id, section_id, mode, session_id, shown, chosen, correct, at, dur) =
                row?;
            let mode = match mode.as_str() {
                "practice" => Mode::Practice,
                "exam" => Mode::Exam,
                other => return Err(StoreError::Corrupt(format!("mode {other:?}"))),
            };
            out.push(AnswerRecord {
                id,
                answer: NewAnswer {
                    question_id,
                    section_id,
                    mode,
                    session_id,
                    shown_order: indexes(&shown)?,
                    chosen: indexes(&chosen)?,
                    correct,
                    answered_at_ms: at,
                    duration_ms: dur,
                },
            });
        }
        Ok(out)
    }

    fn tally(&self) -> Result<Tally, StoreError> {
        Ok(self.conn.query_row(
            "SELECT count(*), coalesce(sum(correct), 0) FROM answers",
            [],
            |r| {
                Ok(Tally {
                    answers: r.get::<_, i64>(0)? as u64,
                    correct: r.get::<_, i64>(1)? as u64,
                })
            },
        )?)
    }

    fn tally_by_section(&self) -> Result<Vec<(String, Tally)>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT section_id, count(*), sum(correct) FROM answers GROUP BY section_id ORDER BY section_id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                Tally {
                    answers: r.get::<_, i64>(1)? as u64,
                    correct: r.get::<_, i64>(2)? as u64,
                },
            ))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn question_history(&self) -> Result<Vec<QuestionHistory>, StoreError> {
        // The last answer per question is the one with the highest (time, id).
        let mut stmt = self.conn.prepare(
            "SELECT a.question_id, count(*), sum(a.correct), max(a.answered_at), \
               (SELECT b.correct FROM answers b WHERE b.question_id = a.question_id \
                ORDER BY b.answered_at DESC, b.id DESC LIMIT 1) \
             FROM answers a GROUP BY a.question_id ORDER BY a.question_id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(QuestionHistory {
                question_id: r.get(0)?,
                tally: Tally {
                    answers: r.get::<_, i64>(1)? as u64,
                    correct: r.get::<_, i64>(2)? as u64,
                },
                last_answered_at_ms: r.get(3)?,
                last_correct: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn schedule(&self) -> Result<Vec<ScheduleRow>, StoreError> {
        schedule::all(&self.conn)
    }

    fn record_review(&mut self, row: &ScheduleRow, rating: u8) -> Result<(), StoreError> {
        schedule::record(&mut self.conn, row, rating)
    }

    fn reviews(&self) -> Result<Vec<ReviewRow>, StoreError> {
        schedule::reviews(&self.conn)
    }

    fn create_exam(&mut self, exam: &ExamRecord) -> Result<i64, StoreError> {
        exams::create(&mut self.conn, exam)
    }

    fn unfinished_exam(&self) -> Result<Option<ExamRecord>, StoreError> {
        exams::unfinished(&self.conn)
    }

    fn exam(&self, id: i64) -> Result<Option<ExamRecord>, StoreError> {
        exams::get(&self.conn, id)
    }

    fn finished_exams(&self) -> Result<Vec<ExamRecord>, StoreError> {
        exams::finished(&self.conn)
    }

    fn write_exam(&mut self, exam_id: i64, write: &ExamWrite) -> Result<ExamRecord, StoreError> {
        exams::write(&mut self.conn, exam_id, write)
    }

    fn submit_exam(&mut self, exam_id: i64, submit: &ExamSubmit<'_>) -> Result<(), StoreError> {
        exams::submit(&mut self.conn, exam_id, submit)
    }

    fn abandon_exam(&mut self, exam_id: i64, now_ms: i64) -> Result<(), StoreError> {
        exams::abandon(&mut self.conn, exam_id, now_ms)
    }

    fn record_prediction(&mut self, p: &ExamPrediction) -> Result<(), StoreError> {
        let clamp = |x: f64| x.clamp(0.0, 1.0);
        self.conn.execute(
            "INSERT OR IGNORE INTO exam_predictions (exam_id, predicted, low, high, made_at) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                p.exam_id,
                clamp(p.predicted),
                clamp(p.low),
                clamp(p.high),
                p.made_at_ms
            ],
        )?;
        Ok(())
    }

    fn predictions(&self) -> Result<Vec<ExamPrediction>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT exam_id, predicted, low, high, made_at FROM exam_predictions ORDER BY exam_id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(ExamPrediction {
                exam_id: r.get(0)?,
                predicted: r.get(1)?,
                low: r.get(2)?,
                high: r.get(3)?,
                made_at_ms: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    fn set_mark(
        &mut self,
        question_id: &str,
        mark: MarkKind,
        on: bool,
        now_ms: i64,
    ) -> Result<bool, StoreError> {
        marks::set_mark(&self.conn, question_id, mark, on, now_ms)
    }

    fn marks(&self) -> Result<Vec<QuestionMark>, StoreError> {
        marks::marks(&self.conn)
    }

    fn set_note(
        &mut self,
        question_id: &str,
        text: Option<&str>,
        now_ms: i64,
    ) -> Result<bool, StoreError> {
        marks::set_note(&mut self.conn, question_id, text, now_ms)
    }

    fn notes(&self) -> Result<Vec<QuestionNote>, StoreError> {
        marks::notes(&self.conn)
    }

    fn add_report(&mut self, report: &NewReport) -> Result<i64, StoreError> {
        marks::add_report(&self.conn, report)
    }

    fn reports(&self) -> Result<Vec<ReportRecord>, StoreError> {
        marks::reports(&self.conn)
    }

    fn set_report_outcome(
        &mut self,
        report_id: i64,
        outcome: &crate::ReportOutcome,
        note: Option<&str>,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        marks::set_report_outcome(&self.conn, report_id, outcome, note, now_ms)
    }

    fn export_backup(&self) -> Result<Backup, StoreError> {
        backup::export(self, 0)
    }

    fn import_backup(&mut self, b: &Backup) -> Result<ImportSummary, StoreError> {
        backup::import(&mut self.conn, b)
    }

    fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        schedule::setting(&self.conn, key)
    }

    fn set_setting(&mut self, key: &str, json_value: &str) -> Result<(), StoreError> {
        schedule::set_setting(&self.conn, key, json_value)
    }

    fn delete_setting(&mut self, key: &str) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .execute("DELETE FROM settings WHERE key = ?1", [key])?
            > 0)
    }
}

#[cfg(test)]
mod safety_tests;
#[cfg(test)]
mod tests;
