//! pmle's memory: the learner's history, behind the [`Store`] trait.
//!
//! The engine and the front ends talk to `dyn Store`, never to SQLite, so a PostgreSQL
//! backend for a hosted study-group mode can be added as another implementation without
//! touching them. The SQLite implementation keeps everything in one file the user owns,
//! commits every answer the moment it is given (WAL, `synchronous = FULL`) and migrates
//! its schema with embedded, append-only migrations.

mod backup;
#[cfg(test)]
mod contract;
mod marks;
mod migrate;
mod postgres;
mod sqlite;

pub use backup::{BACKUP_FORMAT, BACKUP_SCHEMA_VERSION, Backup, ImportSummary};
pub use marks::{
    MAX_NOTE_CHARS, MAX_REPORT_CHARS, MAX_TRIAGE_NOTE_CHARS, MAX_VERSION_CHARS, MarkKind,
    NewReport, QuestionMark, QuestionNote, ReportOutcome, ReportReason, ReportRecord, ReportStatus,
    ReportTriage, check_triage_note, check_version, theirs_wins, version_key,
};

use serde::{Deserialize, Serialize};

pub use postgres::{
    AttemptCounts, LinkPurpose, LinkRow, NewLink, NewSession, PgAccounts, PgPool, PgStore, Role,
    SessionRow, UserRow,
};
pub use postgres::{
    CohortInviteRow, CohortRow, JoinOutcome, MemberRow as CohortMemberRow, PgCohorts,
};
pub use sqlite::{APPLICATION_ID, SqliteStore};

/// Where an answer was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Practice,
    Exam,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Practice => "practice",
            Mode::Exam => "exam",
        }
    }
}

/// An answer about to be recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewAnswer {
    pub question_id: String,
    pub section_id: String,
    pub mode: Mode,
    pub session_id: Option<String>,
    /// Authoring indexes of the options, in the order they were shown.
    pub shown_order: Vec<usize>,
    /// Authoring indexes the learner picked.
    pub chosen: Vec<usize>,
    pub correct: bool,
    /// Unix time in milliseconds.
    pub answered_at_ms: i64,
    pub duration_ms: Option<i64>,
}

/// A recorded answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnswerRecord {
    pub id: i64,
    #[serde(flatten)]
    pub answer: NewAnswer,
}

/// Answers and correct answers for one group (a section, a question).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub answers: u64,
    pub correct: u64,
}

/// What happened to one question so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuestionHistory {
    pub question_id: String,
    pub tally: Tally,
    pub last_answered_at_ms: i64,
    pub last_correct: bool,
}

/// Why the store could not do what was asked. Messages say what to do.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "cannot open the database at {path}: {source}; check the path, or choose another with --db or PMLE_DB"
    )]
    Open {
        path: String,
        #[source]
        source: rusqlite::Error,
    },
    #[error(
        "{path} is not a pmle database or it is damaged; move it aside (pmle then starts a new one) and restore your latest backup with `pmle import json FILE`, or choose another with --db"
    )]
    NotADatabase { path: String },
    #[error(
        "{path} is an SQLite database of another application ({what}); pmle leaves it alone: choose another file with --db or PMLE_DB"
    )]
    Foreign { path: String, what: String },
    #[error(
        "{path} cannot be written ({detail}); pmle needs to save your answers: make the file and its folder writable, or choose another with --db"
    )]
    ReadOnly { path: String, detail: String },
    #[error(
        "{path} was written by a newer pmle (database schema {found}, this pmle knows up to {supported}); update pmle"
    )]
    TooNew {
        path: String,
        found: i64,
        supported: i64,
    },
    #[error(
        "{path} needs an upgrade to database schema {supported} (it has {found}) but is opened read-only; run any other pmle command on it first"
    )]
    NeedsUpgrade {
        path: String,
        found: i64,
        supported: i64,
    },
    #[error("cannot create the folder {path} for the database: {source}")]
    CreateDir {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "the database is damaged ({detail}); nothing more was written. Move the file aside (pmle then starts a new one) and restore your latest `pmle export json` backup with `pmle import json FILE`, or salvage what is readable with `sqlite3 OLD.sqlite3 .recover | sqlite3 NEW.sqlite3`"
    )]
    Damaged { detail: String },
    #[error(
        "the database is read-only ({detail}); make the file and its folder writable, or choose another with --db"
    )]
    WriteRefused { detail: String },
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
    #[error(
        "`{url}` is not a PostgreSQL address pmle can use ({detail}); write it as postgres://USER:PASSWORD@HOST:PORT/DATABASE in --database or PMLE_DATABASE_URL (an SQLite file is chosen with --db instead)"
    )]
    BadUrl { url: String, detail: String },
    #[error(
        "cannot connect to the PostgreSQL server at {url}; check that the server is running and reachable from here, and that the user, password and database in --database or PMLE_DATABASE_URL are right"
    )]
    Connect {
        url: String,
        #[source]
        source: ::postgres::Error,
    },
    #[error(
        "the connection to the PostgreSQL server was lost ({detail}); nothing of this action was saved: check the server, then try again (pmle connects again on the next action)"
    )]
    ConnectionLost { detail: String },
    #[error(
        "another pmle held the database for more than 15 s ({detail}); nothing was saved: try again"
    )]
    Busy { detail: String },
    #[error("database error: {0}")]
    Postgres(::postgres::Error),
    #[error("a stored answer is malformed ({0}); the database may have been edited by hand")]
    Corrupt(String),
    /// A write based on an older state of an exam than the one saved: another front end
    /// changed it in between. Nothing was written; re-read the exam, then re-apply or ask.
    #[error(
        "exam {exam_id}{} was changed in another window or by `pmle exam` since it was shown here; nothing was saved: reload it and try again",
        position.map(|p| format!(", question {}", p + 1)).unwrap_or_default()
    )]
    Conflict {
        exam_id: i64,
        /// The question whose answer changed; `None` for the exam as a whole.
        position: Option<usize>,
    },
    /// A write to an exam that is already submitted (perhaps by another front end).
    #[error(
        "exam {0} is already submitted (perhaps in another window or by `pmle exam`); nothing more is saved to it: read its report with `pmle exam --report {0}`"
    )]
    ExamSubmitted(i64),
    /// A write to an exam the learner abandoned (perhaps in another window).
    #[error(
        "exam {0} was abandoned (perhaps in another window or by `pmle exam --abandon`); nothing more is saved to it: start a new one with `pmle exam`"
    )]
    ExamAbandoned(i64),
    #[error("there is no exam {0}; see `pmle exam --list`")]
    NoExam(i64),
    #[error("there is no report {0}; `pmle reports` lists the reports and their ids")]
    NoReport(i64),
    /// A triage that breaks the rules (docs/data-format.md): the message says which.
    #[error("{0}")]
    BadTriage(String),
}

impl From<rusqlite::Error> for StoreError {
    /// Damage and a read-only file get their own advice wherever they surface.
    fn from(e: rusqlite::Error) -> StoreError {
        use rusqlite::ErrorCode as C;
        match e.sqlite_error_code() {
            Some(C::DatabaseCorrupt | C::NotADatabase) => StoreError::Damaged {
                detail: e.to_string(),
            },
            Some(C::ReadOnly) => StoreError::WriteRefused {
                detail: e.to_string(),
            },
            _ => StoreError::Sqlite(e),
        }
    }
}

impl From<::postgres::Error> for StoreError {
    /// A lost connection, a lock wait that timed out and a read-only server get their own
    /// advice wherever they surface.
    fn from(e: ::postgres::Error) -> StoreError {
        use ::postgres::error::SqlState;
        if e.is_closed() {
            return StoreError::ConnectionLost {
                detail: e.to_string(),
            };
        }
        match e.code() {
            Some(c) if *c == SqlState::LOCK_NOT_AVAILABLE => StoreError::Busy {
                detail: e.to_string(),
            },
            Some(c) if *c == SqlState::READ_ONLY_SQL_TRANSACTION => StoreError::WriteRefused {
                detail: e.to_string(),
            },
            Some(c)
                if *c == SqlState::ADMIN_SHUTDOWN
                    || *c == SqlState::CRASH_SHUTDOWN
                    || *c == SqlState::CANNOT_CONNECT_NOW =>
            {
                StoreError::ConnectionLost {
                    detail: e.to_string(),
                }
            }
            _ => StoreError::Postgres(e),
        }
    }
}

/// Kinds of items with a spaced-repetition schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemKind {
    Card,
    Question,
}

impl ItemKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Card => "card",
            ItemKind::Question => "question",
        }
    }

    pub(crate) fn parse(s: &str) -> Result<ItemKind, StoreError> {
        match s {
            "card" => Ok(ItemKind::Card),
            "question" => Ok(ItemKind::Question),
            other => Err(StoreError::Corrupt(format!("item kind {other:?}"))),
        }
    }
}

/// The schedule of one item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleRow {
    pub kind: ItemKind,
    pub item_id: String,
    pub stability: f32,
    pub difficulty: f32,
    pub last_review_at_ms: i64,
    pub due_at_ms: i64,
    pub reps: u32,
    pub lapses: u32,
}

/// One review in the log, with the state it produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewRow {
    pub kind: ItemKind,
    pub item_id: String,
    pub rating: u8,
    pub reviewed_at_ms: i64,
    pub stability: f32,
    pub difficulty: f32,
    pub due_at_ms: i64,
}

/// A mock exam as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExamRecord {
    pub id: i64,
    pub seed: u64,
    /// `full`, `section` or `retry`.
    pub variant: String,
    pub section_id: Option<String>,
    pub time_limit_ms: i64,
    pub elapsed_ms: i64,
    pub current: usize,
    pub started_at_ms: i64,
    pub updated_at_ms: i64,
    pub submitted_at_ms: Option<i64>,
    pub auto_submitted: bool,
    /// When the learner abandoned it unscored (backup schema 3; absent before).
    #[serde(default)]
    pub abandoned_at_ms: Option<i64>,
    pub items: Vec<ExamItemRecord>,
    /// Grows with every write to the exam or its items (not part of a backup).
    #[serde(skip)]
    pub version: i64,
}

/// Where an exam stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ExamStatus {
    /// Neither submitted nor abandoned: it can be resumed.
    Running,
    /// Submitted and scored.
    Submitted,
    /// Given up without a score: its answers were never recorded.
    Abandoned,
}

impl ExamStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ExamStatus::Running => "running",
            ExamStatus::Submitted => "submitted",
            ExamStatus::Abandoned => "abandoned",
        }
    }
}

impl ExamRecord {
    pub fn status(&self) -> ExamStatus {
        match (self.submitted_at_ms, self.abandoned_at_ms) {
            (Some(_), _) => ExamStatus::Submitted,
            (None, Some(_)) => ExamStatus::Abandoned,
            (None, None) => ExamStatus::Running,
        }
    }
}

/// One question of a mock exam and what the learner did with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExamItemRecord {
    pub position: usize,
    pub question_id: String,
    pub section_id: String,
    pub shown_order: Vec<usize>,
    /// Authoring indexes picked; `None` while unanswered.
    pub chosen: Option<Vec<usize>>,
    pub flagged: bool,
    pub time_ms: i64,
    /// Grows with every change of `chosen` (not part of a backup).
    #[serde(skip)]
    pub version: i64,
}

/// One front end's action on a running exam, written atomically by [`Store::write_exam`].
///
/// It carries only what this front end did, never a copy of the exam, so it cannot put back
/// an answer, flag or time another front end has changed since (ARCHITECTURE.md,
/// invariant 10; docs/engine.md, "Two front ends on one exam"):
/// - the clock counts wall time once, however many front ends run it: the exam's
///   `elapsed_ms` grows by `now_ms - max(since_ms, updated_at)` (never less than zero) and
///   `updated_at` becomes `max(updated_at, now_ms)`, so it never goes back;
/// - `time_spent` is added to the question's time, never assigned;
/// - an answer is set only if the question's answer is still the one this front end
///   showed (`seen_version`), else [`StoreError::Conflict`]; a flag is set as asked;
/// - `current` (where the exam resumes) is the last writer's position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExamWrite {
    /// When this front end's clock last counted: its previous save, or when it opened the exam.
    pub since_ms: i64,
    pub now_ms: i64,
    /// The position this front end is on after the action.
    pub current: usize,
    /// Time to add to the question this front end was showing: (position, ms).
    pub time_spent: Option<(usize, i64)>,
    pub change: Option<ExamItemChange>,
}

/// A change to one question of a running exam.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExamItemChange {
    /// Set the answer (`None` clears it). Refused with [`StoreError::Conflict`] when the
    /// question's answer changed since `seen_version` and differs from `chosen`.
    Answer {
        position: usize,
        chosen: Option<Vec<usize>>,
        seen_version: i64,
    },
    /// Set the flag.
    Flag { position: usize, flagged: bool },
}

/// What [`Store::submit_exam`] writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExamSubmit<'a> {
    pub seen_version: i64,
    pub since_ms: i64,
    pub now_ms: i64,
    pub auto: bool,
    pub answers: &'a [NewAnswer],
}

/// The readiness prediction for one mock exam's score, made when it started (0–1).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExamPrediction {
    pub exam_id: i64,
    pub predicted: f64,
    /// The 80% interval.
    pub low: f64,
    pub high: f64,
    pub made_at_ms: i64,
}

/// See [`Store::change_token`].
pub type ChangeToken = (i64, u64);

/// A database's schema version against this build's ([`Store::schema_version`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SchemaVersion {
    /// The migrations the database has run.
    pub found: i64,
    /// The migrations this build knows.
    pub supported: i64,
}

impl SchemaVersion {
    pub fn is_current(self) -> bool {
        self.found == self.supported
    }
}

/// The learner's history. Implementations must make each write durable before returning.
pub trait Store: Send {
    /// Record one answer and commit it; returns its id.
    fn record_answer(&mut self, answer: &NewAnswer) -> Result<i64, StoreError>;
    /// Every answer, oldest first.
    fn answers(&self) -> Result<Vec<AnswerRecord>, StoreError>;
    /// Totals over all answers.
    fn tally(&self) -> Result<Tally, StoreError>;
    /// Totals per section id, for the sections that have answers.
    fn tally_by_section(&self) -> Result<Vec<(String, Tally)>, StoreError>;
    /// One row per question ever answered.
    fn question_history(&self) -> Result<Vec<QuestionHistory>, StoreError>;

    /// Every scheduled item.
    fn schedule(&self) -> Result<Vec<ScheduleRow>, StoreError>;
    /// Save a review: append it to the log and replace the item's schedule, atomically.
    fn record_review(&mut self, row: &ScheduleRow, rating: u8) -> Result<(), StoreError>;
    /// The whole review log, oldest first.
    fn reviews(&self) -> Result<Vec<ReviewRow>, StoreError>;

    /// Create an exam with its items; returns its id.
    fn create_exam(&mut self, exam: &ExamRecord) -> Result<i64, StoreError>;
    /// The newest exam neither submitted nor abandoned.
    fn unfinished_exam(&self) -> Result<Option<ExamRecord>, StoreError>;
    fn exam(&self, id: i64) -> Result<Option<ExamRecord>, StoreError>;
    /// Submitted exams, newest first, without their items (abandoned ones are not listed).
    fn finished_exams(&self) -> Result<Vec<ExamRecord>, StoreError>;
    /// Apply one front end's action to a running exam in one transaction and return the exam
    /// as saved after it. [`StoreError::ExamSubmitted`] if it is submitted,
    /// [`StoreError::Conflict`] if the answer it would replace is not the one it showed.
    fn write_exam(&mut self, exam_id: i64, write: &ExamWrite) -> Result<ExamRecord, StoreError>;
    /// Mark the exam submitted and record `answers`, atomically, if the exam is still at
    /// `seen_version` (the answers were scored from exactly what is saved), else
    /// [`StoreError::Conflict`]; the clock moves as in [`ExamWrite`] (`since_ms`, `now_ms`),
    /// but not past the time limit. [`StoreError::ExamSubmitted`] if it already is.
    fn submit_exam(&mut self, exam_id: i64, submit: &ExamSubmit<'_>) -> Result<(), StoreError>;
    /// Abandon a running exam: mark it with `now_ms` and record nothing, so it is never
    /// scored. [`StoreError::ExamSubmitted`] if it was submitted, [`StoreError::ExamAbandoned`]
    /// if it already was abandoned.
    fn abandon_exam(&mut self, exam_id: i64, now_ms: i64) -> Result<(), StoreError>;
    /// Store the prediction for an exam's score (once; a second one for the same exam is
    /// ignored, so the record keeps what was predicted before the exam was seen).
    fn record_prediction(&mut self, prediction: &ExamPrediction) -> Result<(), StoreError>;
    /// Every stored prediction, oldest exam first.
    fn predictions(&self) -> Result<Vec<ExamPrediction>, StoreError>;

    /// Set (`on`) or clear a bookmark or flag on a question; true when that changed anything.
    fn set_mark(
        &mut self,
        question_id: &str,
        mark: MarkKind,
        on: bool,
        now_ms: i64,
    ) -> Result<bool, StoreError>;
    /// Every mark, by question.
    fn marks(&self) -> Result<Vec<QuestionMark>, StoreError>;
    /// Replace the note on a question (`None` deletes it); true when there was one.
    fn set_note(
        &mut self,
        question_id: &str,
        text: Option<&str>,
        now_ms: i64,
    ) -> Result<bool, StoreError>;
    /// Every stored note, by question, oldest first: the last of a question is its note
    /// (an import may add an older one beside it, see [`Store::import_backup`]).
    fn notes(&self) -> Result<Vec<QuestionNote>, StoreError>;
    /// Store a report about a question; returns its id.
    fn add_report(&mut self, report: &NewReport) -> Result<i64, StoreError>;
    /// Every report, oldest first.
    fn reports(&self) -> Result<Vec<ReportRecord>, StoreError>;
    /// Triage one of this learner's reports: its outcome, an optional note for the reporter
    /// (checked: [`ReportTriage::check`]) and `now_ms` as the triage time, replacing any
    /// earlier triage. [`StoreError::NoReport`] when this learner has no report `report_id`.
    fn set_report_outcome(
        &mut self,
        report_id: i64,
        outcome: &ReportOutcome,
        note: Option<&str>,
        now_ms: i64,
    ) -> Result<(), StoreError>;

    /// Everything the learner has, in a stable order (see docs/data-format.md).
    fn export_backup(&self) -> Result<Backup, StoreError>;
    /// Merge a validated backup in one transaction: all or nothing, idempotent.
    fn import_backup(&mut self, backup: &Backup) -> Result<ImportSummary, StoreError>;

    /// A value that differs whenever anything was committed since it was last read, by
    /// this connection or any other process: front ends use it to reuse what they derived
    /// from the history (caches are keyed on it, so a cache can never serve stale progress).
    fn change_token(&self) -> Result<ChangeToken, StoreError>;

    /// The database's schema version as it is now (read from the database, so a newer pmle
    /// that migrated it since shows) and the one this build writes: a readiness probe
    /// compares them.
    fn schema_version(&self) -> Result<SchemaVersion, StoreError>;

    /// A setting's JSON value.
    fn setting(&self, key: &str) -> Result<Option<String>, StoreError>;
    fn set_setting(&mut self, key: &str, json_value: &str) -> Result<(), StoreError>;
    /// Forget a setting (its default applies again); true when it was there.
    fn delete_setting(&mut self, key: &str) -> Result<bool, StoreError>;
}
