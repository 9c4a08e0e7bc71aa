//! The backup document: everything a learner has, as plain serde types.
//!
//! The layout is documented in docs/data-format.md and versioned by
//! [`BACKUP_SCHEMA_VERSION`]; unknown keys are refused so a damaged or foreign file is never
//! half-read.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{
    ExamPrediction, ExamRecord, NewAnswer, NewReport, QuestionMark, QuestionNote, ReviewRow,
    ScheduleRow,
};

/// The `format` value of every pmle backup.
pub const BACKUP_FORMAT: &str = "pmle-backup";
/// The newest backup schema this build reads and the one it writes. Version 2 added
/// `predictions`, version 3 an exam's `abandoned_at_ms`, version 4 the question `marks`,
/// `notes` and `reports`, version 5 a report's `triage`; files of older versions (without
/// them) import unchanged (a version 4 report's `status` stands for its triage:
/// [`crate::ReportTriage::from_status`]).
pub const BACKUP_SCHEMA_VERSION: u32 = 5;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Backup {
    pub format: String,
    pub schema_version: u32,
    /// The pmle version that wrote the file.
    pub pmle_version: String,
    pub exported_at_ms: i64,
    /// The content pack the ids refer to.
    pub pack_id: String,
    /// Oldest first.
    pub answers: Vec<NewAnswer>,
    /// Finished, unfinished and abandoned, by id.
    pub exams: Vec<ExamRecord>,
    pub schedule: Vec<ScheduleRow>,
    /// The full review log, oldest first.
    pub reviews: Vec<ReviewRow>,
    /// Setting name → JSON value.
    pub settings: BTreeMap<String, serde_json::Value>,
    /// The readiness prediction stored when each exam started, by the exam's id in this file.
    #[serde(default)]
    pub predictions: Vec<ExamPrediction>,
    /// Bookmarks and practice flags on questions (schema 4).
    #[serde(default)]
    pub marks: Vec<QuestionMark>,
    /// Private notes on questions, by question, oldest first (schema 4).
    #[serde(default)]
    pub notes: Vec<QuestionNote>,
    /// Reports of faulty questions, oldest first (schema 4), with their triage (schema 5).
    #[serde(default)]
    pub reports: Vec<NewReport>,
}

/// What an import changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    pub answers_added: usize,
    pub answers_skipped: usize,
    pub exams_added: usize,
    pub exams_skipped: usize,
    pub schedule_updated: usize,
    pub reviews_added: usize,
    pub reviews_skipped: usize,
    pub settings_set: usize,
    /// Bookmarks, flags, notes and reports added (schema 4).
    pub marks_notes_reports_added: usize,
}
