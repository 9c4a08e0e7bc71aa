//! Bookmarks, practice flags, private notes and reports on questions (issue 18), and the
//! reports file for the pack's maintainers (`pmle export reports FILE`).

use pmle_content::model::Question;
use pmle_store::{
    MAX_NOTE_CHARS, MAX_REPORT_CHARS, MarkKind, NewReport, ReportReason, ReportRecord,
};
use serde::Serialize;

use crate::{App, AppError};

/// The reasons a learner can give, as typed: `wrong-key|unclear|outdated|typo`.
pub const REPORT_REASONS: &str = "wrong-key, unclear, outdated or typo";

/// What the learner keeps about one question.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct QuestionMarks {
    pub question_id: String,
    pub bookmarked: bool,
    pub flagged: bool,
    /// The private note, if any.
    pub note: Option<String>,
    /// Reasons of the reports filed about it, oldest first.
    pub reports: Vec<ReportReason>,
    /// The same reports with what the maintainers decided, oldest first.
    pub your_reports: Vec<OwnReport>,
}

/// One of the learner's reports and its triage, as the reporter sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OwnReport {
    pub id: i64,
    pub reason: ReportReason,
    pub text: Option<String>,
    pub created_at_ms: i64,
    /// `null` while no maintainer decided; else the outcome, the version it was fixed in,
    /// the maintainer's note and when.
    pub triage: Option<pmle_store::ReportTriage>,
}

/// The learner's reports on a question and what became of each, for a front end's line:
/// `wrong-key (fixed in version 0.2.0 — “key corrected”), typo (open)`.
pub fn reports_text(m: &QuestionMarks) -> String {
    m.your_reports
        .iter()
        .map(|r| {
            format!(
                "{} ({})",
                r.reason.as_str(),
                crate::report_triage::report_standing(r.triage.as_ref())
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A report as front ends and the reports file show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportView {
    pub id: i64,
    pub question_id: String,
    pub section_id: String,
    /// The question's `last_verified` date in the pack, so maintainers see its age.
    pub question_last_verified: String,
    pub reason: ReportReason,
    pub text: Option<String>,
    pub created_at_ms: i64,
    /// `open` until triaged (`resolved` for accepted or fixed, `dismissed` for rejected).
    pub status: pmle_store::ReportStatus,
    /// The maintainers' decision, `null` while untriaged.
    pub triage: Option<pmle_store::ReportTriage>,
}

/// The file `pmle export reports FILE` writes (docs/cli.md).
#[derive(Debug, Clone, Serialize)]
pub struct ReportsFile {
    pub format: &'static str,
    pub schema_version: u32,
    pub pack_id: String,
    /// The exam guide the pack follows.
    pub guide_version: String,
    pub pmle_version: &'static str,
    pub exported_at_ms: i64,
    pub reports: Vec<ReportView>,
}

impl App {
    /// The question `id` names, or an error that says how to find ids: a close id, or what
    /// the id is instead (a card, a note…).
    pub(crate) fn question_for_marks(&self, id: &str) -> Result<&Question, AppError> {
        let id = id.trim();
        if let Some(q) = self.pack.question(id) {
            return Ok(q);
        }
        match self.open(id, false) {
            Ok(other) => Err(AppError::Review(format!(
                "`{id}` is a {}, not a question; find question ids with `pmle search WORDS`",
                match other {
                    crate::Opened::Question(_) => "question",
                    crate::Opened::Card(_) => "flashcard",
                    crate::Opened::Note(_) => "note",
                    crate::Opened::Product(_) => "catalog entry",
                }
            ))),
            Err(e) => Err(e),
        }
    }

    /// Bookmark (`on`) or unbookmark question `id`; true when that changed anything.
    pub fn set_bookmark(&mut self, id: &str, on: bool) -> Result<bool, AppError> {
        self.set_mark(id, MarkKind::Bookmark, on)
    }

    /// Flag (`on`) or unflag question `id` for review; true when that changed anything.
    pub fn set_flag(&mut self, id: &str, on: bool) -> Result<bool, AppError> {
        self.set_mark(id, MarkKind::Flag, on)
    }

    fn set_mark(&mut self, id: &str, mark: MarkKind, on: bool) -> Result<bool, AppError> {
        let qid = self.question_for_marks(id)?.id.clone();
        let now = self.now_ms();
        Ok(self.store.set_mark(&qid, mark, on, now)?)
    }

    /// Set the private note on question `id` (replacing any); 1 to 2000 characters.
    pub fn set_question_note(&mut self, id: &str, text: &str) -> Result<(), AppError> {
        let qid = self.question_for_marks(id)?.id.clone();
        let text = text.trim();
        if text.is_empty() {
            return Err(AppError::Review(format!(
                "the note is empty; to remove the note on {qid} use `pmle note-on {qid} --clear`"
            )));
        }
        let n = text.chars().count();
        if n > MAX_NOTE_CHARS {
            return Err(AppError::Review(format!(
                "the note has {n} characters; keep it to {MAX_NOTE_CHARS} (link to a longer text instead)"
            )));
        }
        let now = self.now_ms();
        self.store.set_note(&qid, Some(text), now)?;
        Ok(())
    }

    /// Remove the private note on question `id`; true when there was one.
    pub fn clear_question_note(&mut self, id: &str) -> Result<bool, AppError> {
        let qid = self.question_for_marks(id)?.id.clone();
        let now = self.now_ms();
        Ok(self.store.set_note(&qid, None, now)?)
    }

    /// Report question `id` as faulty: `reason` is one of wrong-key, unclear, outdated,
    /// typo; `text` (optional, up to 1000 characters) says what is wrong.
    pub fn report_question(
        &mut self,
        id: &str,
        reason: &str,
        text: Option<&str>,
    ) -> Result<ReportView, AppError> {
        let qid = self.question_for_marks(id)?.id.clone();
        let reason = ReportReason::parse(reason).ok_or_else(|| {
            AppError::Review(format!(
                "`{}` is not a reason for a report; give one of {REPORT_REASONS}",
                reason.trim()
            ))
        })?;
        let text = text.map(str::trim).filter(|t| !t.is_empty());
        if let Some(t) = text {
            let n = t.chars().count();
            if n > MAX_REPORT_CHARS {
                return Err(AppError::Review(format!(
                    "the report text has {n} characters; keep it to {MAX_REPORT_CHARS}"
                )));
            }
        }
        let report = NewReport {
            question_id: qid,
            reason,
            text: text.map(str::to_owned),
            created_at_ms: self.now_ms(),
            status: pmle_store::ReportStatus::Open,
            triage: None,
        };
        let id = self.store.add_report(&report)?;
        Ok(self.report_view(ReportRecord { id, report }))
    }

    fn report_view(&self, r: ReportRecord) -> ReportView {
        let q = self.pack.question(&r.report.question_id);
        let (status, triage) = (r.report.effective_status(), r.report.effective_triage());
        ReportView {
            id: r.id,
            section_id: q.map(|q| q.section.clone()).unwrap_or_default(),
            question_last_verified: q.map(|q| q.last_verified.to_string()).unwrap_or_default(),
            question_id: r.report.question_id,
            reason: r.report.reason,
            text: r.report.text,
            created_at_ms: r.report.created_at_ms,
            status,
            triage,
        }
    }

    /// Every report, oldest first.
    pub fn question_reports(&self) -> Result<Vec<ReportView>, AppError> {
        Ok(self
            .store
            .reports()?
            .into_iter()
            .map(|r| self.report_view(r))
            .collect())
    }

    /// What the learner keeps about question `id`.
    pub fn question_marks(&self, id: &str) -> Result<QuestionMarks, AppError> {
        let qid = self.question_for_marks(id)?.id.clone();
        let all = self.all_marks()?;
        Ok(all.get(&qid).cloned().unwrap_or(QuestionMarks {
            question_id: qid,
            ..QuestionMarks::default()
        }))
    }

    /// Marks, notes and reports of every question that has any, by id.
    pub(crate) fn all_marks(
        &self,
    ) -> Result<std::collections::BTreeMap<String, QuestionMarks>, AppError> {
        let mut out = std::collections::BTreeMap::<String, QuestionMarks>::new();
        for m in self.store.marks()? {
            let e = out
                .entry(m.question_id.clone())
                .or_insert_with(|| blank(&m.question_id));
            match m.mark {
                MarkKind::Bookmark => e.bookmarked = true,
                MarkKind::Flag => e.flagged = true,
            }
        }
        // Notes come oldest first per question: the last one is the note.
        for n in self.store.notes()? {
            out.entry(n.question_id.clone())
                .or_insert_with(|| blank(&n.question_id))
                .note = Some(n.text);
        }
        for r in self.store.reports()? {
            let e = out
                .entry(r.report.question_id.clone())
                .or_insert_with(|| blank(&r.report.question_id));
            e.reports.push(r.report.reason);
            e.your_reports.push(OwnReport {
                id: r.id,
                reason: r.report.reason,
                triage: r.report.effective_triage(),
                text: r.report.text,
                created_at_ms: r.report.created_at_ms,
            });
        }
        Ok(out)
    }

    /// The reports file for the pack's maintainers (docs/cli.md, `pmle export reports`).
    pub fn reports_file(&self) -> Result<ReportsFile, AppError> {
        Ok(ReportsFile {
            format: "pmle-question-reports",
            // 2: each report's `triage`.
            schema_version: 2,
            pack_id: self.pack.meta.id.clone(),
            guide_version: self.pack.meta.guide_version.clone(),
            pmle_version: env!("CARGO_PKG_VERSION"),
            exported_at_ms: self.now_ms(),
            reports: self.question_reports()?,
        })
    }
}

fn blank(id: &str) -> QuestionMarks {
    QuestionMarks {
        question_id: id.to_owned(),
        ..QuestionMarks::default()
    }
}
