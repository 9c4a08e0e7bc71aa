//! What the learner keeps about single questions: bookmarks and practice flags, private
//! notes, and reports of a faulty question (migration 0006, backup schema 4).

use serde::{Deserialize, Serialize};

use crate::StoreError;

/// Longest private note, in characters (the database refuses longer ones too).
pub const MAX_NOTE_CHARS: usize = 2000;
/// Longest report text, in characters.
pub const MAX_REPORT_CHARS: usize = 1000;

/// A mark the learner sets on a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MarkKind {
    /// Kept to come back to (`pmle bookmark ID`).
    Bookmark,
    /// Flagged while practising: "not sure about this one".
    Flag,
}

impl MarkKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MarkKind::Bookmark => "bookmark",
            MarkKind::Flag => "flag",
        }
    }

    pub(crate) fn parse(s: &str) -> Result<MarkKind, StoreError> {
        match s {
            "bookmark" => Ok(MarkKind::Bookmark),
            "flag" => Ok(MarkKind::Flag),
            other => Err(StoreError::Corrupt(format!("question mark {other:?}"))),
        }
    }
}

/// One mark on one question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionMark {
    pub question_id: String,
    pub mark: MarkKind,
    pub created_at_ms: i64,
}

/// A private note on a question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionNote {
    pub question_id: String,
    pub text: String,
    pub updated_at_ms: i64,
}

/// Why a question is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReportReason {
    /// The key is wrong: another option is the right one.
    WrongKey,
    /// The stem or options can be read more than one way.
    Unclear,
    /// A product, name or fact has changed since it was written.
    Outdated,
    Typo,
}

impl ReportReason {
    pub const ALL: [ReportReason; 4] = [
        ReportReason::WrongKey,
        ReportReason::Unclear,
        ReportReason::Outdated,
        ReportReason::Typo,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReportReason::WrongKey => "wrong-key",
            ReportReason::Unclear => "unclear",
            ReportReason::Outdated => "outdated",
            ReportReason::Typo => "typo",
        }
    }

    /// What a learner typed (`wrong-key`, `unclear`, `outdated`, `typo`).
    pub fn parse(s: &str) -> Option<ReportReason> {
        Self::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }
}

/// Where a report stands in the maintainers' triage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReportStatus {
    Open,
    Resolved,
    Dismissed,
}

impl ReportStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ReportStatus::Open => "open",
            ReportStatus::Resolved => "resolved",
            ReportStatus::Dismissed => "dismissed",
        }
    }

    pub(crate) fn parse(s: &str) -> Result<ReportStatus, StoreError> {
        match s {
            "open" => Ok(ReportStatus::Open),
            "resolved" => Ok(ReportStatus::Resolved),
            "dismissed" => Ok(ReportStatus::Dismissed),
            other => Err(StoreError::Corrupt(format!("report status {other:?}"))),
        }
    }
}

/// A report about to be stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewReport {
    pub question_id: String,
    pub reason: ReportReason,
    pub text: Option<String>,
    pub created_at_ms: i64,
    #[serde(default = "open")]
    pub status: ReportStatus,
}

fn open() -> ReportStatus {
    ReportStatus::Open
}

/// A stored report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportRecord {
    pub id: i64,
    #[serde(flatten)]
    pub report: NewReport,
}
