//! What the learner keeps about single questions: bookmarks and practice flags, private
//! notes, and reports of a faulty question (migration 0006, backup schema 4) with their
//! triage (migration 0007, backup schema 5).

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
    /// The maintainers' decision (backup schema 5); absent while untriaged. A file of an
    /// older schema has only `status`, read as [`ReportTriage::from_status`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub triage: Option<ReportTriage>,
}

impl NewReport {
    /// The triage, or what the legacy status stands for.
    pub fn effective_triage(&self) -> Option<ReportTriage> {
        self.triage
            .clone()
            .or_else(|| ReportTriage::from_status(self.status))
    }

    /// The legacy status matching [`Self::effective_triage`].
    pub fn effective_status(&self) -> ReportStatus {
        self.effective_triage()
            .map_or(ReportStatus::Open, |t| t.outcome.status())
    }
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

/// Longest maintainer's note on a triaged report, in characters.
pub const MAX_TRIAGE_NOTE_CHARS: usize = 500;
/// Longest version string a report can be fixed in.
pub const MAX_VERSION_CHARS: usize = 32;

/// What a maintainer decided about a report (migration 0007; backup schema 5).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ReportOutcome {
    /// The question is faulty; a fix is still to come.
    Accepted,
    /// The question is right as it is.
    Rejected,
    /// Fixed in this pmle release (`MAJOR.MINOR.PATCH`): the pack is embedded in the binary
    /// and has no version of its own, so a release of pmle is what ships a fixed question.
    FixedIn(String),
}

impl ReportOutcome {
    /// `accepted`, `rejected` or `fixed` (the stored `outcome` column).
    pub fn kind(&self) -> &'static str {
        match self {
            ReportOutcome::Accepted => "accepted",
            ReportOutcome::Rejected => "rejected",
            ReportOutcome::FixedIn(_) => "fixed",
        }
    }

    /// The version a fix shipped in, if fixed.
    pub fn fixed_in(&self) -> Option<&str> {
        match self {
            ReportOutcome::FixedIn(v) => Some(v),
            _ => None,
        }
    }

    /// The legacy `status` column kept beside it: `resolved` for accepted or fixed,
    /// `dismissed` for rejected.
    pub fn status(&self) -> ReportStatus {
        match self {
            ReportOutcome::Rejected => ReportStatus::Dismissed,
            _ => ReportStatus::Resolved,
        }
    }

    /// From the stored columns.
    pub(crate) fn from_columns(
        kind: &str,
        fixed_in: Option<String>,
    ) -> Result<ReportOutcome, StoreError> {
        match (kind, fixed_in) {
            ("accepted", None) => Ok(ReportOutcome::Accepted),
            ("rejected", None) => Ok(ReportOutcome::Rejected),
            ("fixed", Some(v)) => Ok(ReportOutcome::FixedIn(v)),
            (k, v) => Err(StoreError::Corrupt(format!(
                "report outcome {k:?} with fixed_in {v:?}"
            ))),
        }
    }
}

/// A release version as `pmle reports triage --fixed-in` takes it: `MAJOR.MINOR.PATCH`,
/// each a number of at most 5 digits without a leading zero (e.g. `0.2.0`), or why not.
pub fn check_version(v: &str) -> Result<(), String> {
    let parts: Vec<&str> = v.split('.').collect();
    let number = |p: &&str| {
        !p.is_empty()
            && p.len() <= 5
            && p.bytes().all(|b| b.is_ascii_digit())
            && (p.len() == 1 || !p.starts_with('0'))
    };
    if v.len() <= MAX_VERSION_CHARS && parts.len() == 3 && parts.iter().all(number) {
        Ok(())
    } else {
        Err(format!(
            "`{}` is not a pmle release version; give MAJOR.MINOR.PATCH such as {} (the release \
             whose embedded pack carries the fix)",
            v.chars()
                .filter(|c| !c.is_control())
                .take(40)
                .collect::<String>(),
            env!("CARGO_PKG_VERSION")
        ))
    }
}

/// `MAJOR.MINOR.PATCH` as numbers, for comparing releases (`None` if malformed).
pub fn version_key(v: &str) -> Option<(u32, u32, u32)> {
    check_version(v).ok()?;
    let mut it = v.split('.').map(|p| p.parse::<u32>().ok());
    Some((it.next()??, it.next()??, it.next()??))
}

/// A maintainer's note or why it is refused: at most 500 characters, no control characters
/// other than line breaks and tabs.
pub fn check_triage_note(note: &str) -> Result<(), String> {
    let n = note.chars().count();
    if n > MAX_TRIAGE_NOTE_CHARS {
        return Err(format!(
            "the note has {n} characters; keep it to {MAX_TRIAGE_NOTE_CHARS} (link to a longer text instead)"
        ));
    }
    if let Some(c) = note
        .chars()
        .find(|c| c.is_control() && !matches!(c, '\n' | '\t'))
    {
        return Err(format!(
            "the note holds the control character U+{:04X}; write plain text",
            u32::from(c)
        ));
    }
    Ok(())
}

/// A report's triage: the outcome, an optional note for the reporter, and when it was
/// decided (`None` for a status from before migration 0007, whose time was not kept).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawTriage", into = "RawTriage")]
pub struct ReportTriage {
    pub outcome: ReportOutcome,
    pub note: Option<String>,
    pub triaged_at_ms: Option<i64>,
}

impl ReportTriage {
    /// The same triage validated: the version's form and the note's length and characters.
    pub fn check(&self) -> Result<(), String> {
        if let ReportOutcome::FixedIn(v) = &self.outcome {
            check_version(v)?;
        }
        if let Some(n) = &self.note {
            check_triage_note(n)?;
        }
        Ok(())
    }

    /// What a status from before triage outcomes means: resolved → accepted (its fix
    /// version unknown), dismissed → rejected, open → not triaged.
    pub fn from_status(status: ReportStatus) -> Option<ReportTriage> {
        let outcome = match status {
            ReportStatus::Open => return None,
            ReportStatus::Resolved => ReportOutcome::Accepted,
            ReportStatus::Dismissed => ReportOutcome::Rejected,
        };
        Some(ReportTriage {
            outcome,
            note: None,
            triaged_at_ms: None,
        })
    }
}

/// A triage as the backup writes it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTriage {
    outcome: String,
    #[serde(default)]
    fixed_in: Option<String>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    triaged_at_ms: Option<i64>,
}

impl TryFrom<RawTriage> for ReportTriage {
    type Error = String;

    fn try_from(r: RawTriage) -> Result<ReportTriage, String> {
        let outcome = match (r.outcome.as_str(), r.fixed_in) {
            ("accepted", None) => ReportOutcome::Accepted,
            ("rejected", None) => ReportOutcome::Rejected,
            ("fixed", Some(v)) => ReportOutcome::FixedIn(v),
            ("fixed", None) => return Err("an outcome `fixed` needs `fixed_in`".into()),
            ("accepted" | "rejected", Some(_)) => {
                return Err("only an outcome `fixed` has `fixed_in`".into());
            }
            (other, _) => {
                return Err(format!(
                    "unknown report outcome {other:?}; one of accepted, rejected, fixed"
                ));
            }
        };
        let t = ReportTriage {
            outcome,
            note: r.note,
            triaged_at_ms: r.triaged_at_ms,
        };
        t.check()?;
        Ok(t)
    }
}

impl From<ReportTriage> for RawTriage {
    fn from(t: ReportTriage) -> RawTriage {
        RawTriage {
            outcome: t.outcome.kind().to_owned(),
            fixed_in: t.outcome.fixed_in().map(str::to_owned),
            note: t.note,
            triaged_at_ms: t.triaged_at_ms,
        }
    }
}

/// Which of two copies of one report a merge keeps the triage of: a triaged copy over an
/// untriaged one; of two triaged ones, the later `triaged_at_ms` (an unknown time counts
/// as earliest); on a tie, `ours`. True when `theirs` should replace `ours`.
pub fn theirs_wins(ours: Option<&ReportTriage>, theirs: Option<&ReportTriage>) -> bool {
    match (ours, theirs) {
        (_, None) => false,
        (None, Some(_)) => true,
        (Some(o), Some(t)) => o != t && t.triaged_at_ms > o.triaged_at_ms,
    }
}
