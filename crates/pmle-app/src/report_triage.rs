//! Reports triage (issue 20 point 6): the question reports grouped by question for a
//! maintainer, most in need first; a maintainer's decision on one report (accepted,
//! rejected, fixed in a pmle release); and what the reporter sees of it.
//!
//! Who reads what: [`ReportScope::Own`] is the learner's own store (the single-user CLI,
//! SQLite), [`ReportScope::Team`] every account of a team server's PostgreSQL database
//! (reporters shown as user ids only). A web admin page calls [`App::report_groups`] and
//! [`App::triage_report`] with the team scope; a learner's page reads its own reports
//! through [`App::question_marks`] / [`App::review`].

use std::collections::BTreeMap;

use pmle_store::{
    PgPool, ReportOutcome, ReportReason, ReportRecord, ReportTriage, check_triage_note,
    check_version, version_key,
};
use serde::Serialize;

use crate::{App, AppError};

/// The pmle release running now: its embedded pack is the one a fix ships in.
pub const BUILD_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Whose reports a maintainer's view reads and writes.
#[derive(Clone, Copy)]
pub enum ReportScope<'a> {
    /// The app's own store: one learner (an SQLite file, or one account's handle).
    Own,
    /// Every account on a team server's PostgreSQL database.
    Team(&'a PgPool),
}

/// What a maintainer decides, before it is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TriageChoice {
    Accept,
    Reject,
    /// Fixed in this pmle release (`MAJOR.MINOR.PATCH`).
    FixedIn(String),
}

/// One report in a maintainer's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TriageReport {
    pub id: i64,
    /// The reporter's account on a team server (`None` for the single learner of a file).
    pub user_id: Option<i64>,
    pub reason: ReportReason,
    pub text: Option<String>,
    pub created_at_ms: i64,
    /// `null` while untriaged; else `{outcome, fixed_in, note, triaged_at_ms}`.
    pub triage: Option<ReportTriage>,
}

/// The reports filed against one question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportGroup {
    pub question_id: String,
    /// Empty when the pack no longer has the question.
    pub section_id: String,
    /// The question's source file in the pack and the line of its `[[question]]` header.
    pub file: String,
    pub line: usize,
    /// The question is retired or missing from this pack.
    pub retired: bool,
    pub in_pack: bool,
    /// Reports by reason, over all of them.
    pub by_reason: BTreeMap<&'static str, usize>,
    /// Reports no maintainer has decided yet.
    pub untriaged: usize,
    pub triaged: usize,
    /// Untriaged reports that say the key is wrong: the first sort key.
    pub untriaged_wrong_key: usize,
    /// Reports that still count against the question ([`counts_against_question`]).
    pub still_open: usize,
    /// Oldest first.
    pub reports: Vec<TriageReport>,
}

/// Whether a report still counts against its question in this build: untriaged, accepted
/// (faulty, not fixed yet), or fixed in a release newer than the one running (the fix is not
/// in this pack). Rejected reports and fixes already shipped do not count.
pub fn counts_against_question(triage: Option<&ReportTriage>) -> bool {
    match triage.map(|t| &t.outcome) {
        None | Some(ReportOutcome::Accepted) => true,
        Some(ReportOutcome::Rejected) => false,
        Some(ReportOutcome::FixedIn(v)) => version_key(v) > version_key(BUILD_VERSION),
    }
}

/// What the reporter reads about a report: `open` (no decision yet), `accepted: …`,
/// `rejected: …`, `fixed in version N` (and whether this pmle has it), then the
/// maintainer's note.
pub fn report_standing(triage: Option<&ReportTriage>) -> String {
    let Some(t) = triage else {
        return "open".to_owned();
    };
    let mut out = match &t.outcome {
        ReportOutcome::Accepted => "accepted: the question is being fixed".to_owned(),
        ReportOutcome::Rejected => "rejected: the question stays as it is".to_owned(),
        ReportOutcome::FixedIn(v) => {
            if version_key(v) > version_key(BUILD_VERSION) {
                format!("fixed in version {v} (you run {BUILD_VERSION}: update pmle to get it)")
            } else {
                format!("fixed in version {v}")
            }
        }
    };
    if let Some(n) = &t.note {
        out.push_str(&format!(" — “{n}”"));
    }
    out
}

/// The decision checked: the version's form, the note's length and characters (an empty
/// note is none). Errors say what to type instead.
pub fn checked_triage(
    choice: &TriageChoice,
    note: Option<&str>,
) -> Result<(ReportOutcome, Option<String>), AppError> {
    let outcome = match choice {
        TriageChoice::Accept => ReportOutcome::Accepted,
        TriageChoice::Reject => ReportOutcome::Rejected,
        TriageChoice::FixedIn(v) => {
            let v = v.trim();
            check_version(v).map_err(AppError::Review)?;
            ReportOutcome::FixedIn(v.to_owned())
        }
    };
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    if let Some(n) = note {
        check_triage_note(n).map_err(AppError::Review)?;
    }
    Ok((outcome, note.map(str::to_owned)))
}

impl App {
    /// Every report in `scope`, grouped by question, most in need of a decision first:
    /// untriaged wrong-key reports, then untriaged ones, then those still counting against
    /// the question, then by count; ties by question id.
    pub fn report_groups(&self, scope: ReportScope<'_>) -> Result<Vec<ReportGroup>, AppError> {
        let rows: Vec<(Option<i64>, ReportRecord)> = match scope {
            ReportScope::Own => self
                .store
                .reports()?
                .into_iter()
                .map(|r| (None, r))
                .collect(),
            ReportScope::Team(pool) => pool
                .reports_of_every_learner()?
                .into_iter()
                .map(|(u, r)| (Some(u), r))
                .collect(),
        };
        let mut groups: BTreeMap<String, ReportGroup> = BTreeMap::new();
        for (user_id, r) in rows {
            let qid = r.report.question_id.clone();
            let g = groups.entry(qid.clone()).or_insert_with(|| {
                let q = self.pack.question(&qid);
                ReportGroup {
                    section_id: q.map(|q| q.section.clone()).unwrap_or_default(),
                    file: q.map(|q| q.location.file.clone()).unwrap_or_default(),
                    line: q.map_or(0, |q| q.location.line),
                    retired: q.is_none_or(|q| q.retired),
                    in_pack: q.is_some(),
                    question_id: qid.clone(),
                    by_reason: BTreeMap::new(),
                    untriaged: 0,
                    triaged: 0,
                    untriaged_wrong_key: 0,
                    still_open: 0,
                    reports: Vec::new(),
                }
            });
            let triage = r.report.effective_triage();
            *g.by_reason.entry(r.report.reason.as_str()).or_default() += 1;
            if triage.is_none() {
                g.untriaged += 1;
                if r.report.reason == ReportReason::WrongKey {
                    g.untriaged_wrong_key += 1;
                }
            } else {
                g.triaged += 1;
            }
            if counts_against_question(triage.as_ref()) {
                g.still_open += 1;
            }
            g.reports.push(TriageReport {
                id: r.id,
                user_id,
                reason: r.report.reason,
                text: r.report.text,
                created_at_ms: r.report.created_at_ms,
                triage,
            });
        }
        let mut out: Vec<ReportGroup> = groups.into_values().collect();
        out.sort_by(|a, b| {
            (
                b.untriaged_wrong_key,
                b.untriaged,
                b.still_open,
                b.reports.len(),
            )
                .cmp(&(
                    a.untriaged_wrong_key,
                    a.untriaged,
                    a.still_open,
                    a.reports.len(),
                ))
                .then_with(|| a.question_id.cmp(&b.question_id))
        });
        Ok(out)
    }

    /// Decide report `report_id` in `scope` (checked by [`checked_triage`]), now. With
    /// [`ReportScope::Team`] it may be any learner's report; it is written as that learner's
    /// own change, so their pages show it. Returns the report as it now stands.
    pub fn triage_report(
        &mut self,
        scope: ReportScope<'_>,
        report_id: i64,
        choice: &TriageChoice,
        note: Option<&str>,
    ) -> Result<TriageReport, AppError> {
        let (outcome, note) = checked_triage(choice, note)?;
        let now = self.now_ms();
        let user_id = match scope {
            ReportScope::Own => {
                self.store
                    .set_report_outcome(report_id, &outcome, note.as_deref(), now)?;
                None
            }
            ReportScope::Team(pool) => {
                Some(pool.set_report_outcome_any(report_id, &outcome, note.as_deref(), now)?)
            }
        };
        self.report_groups(scope)?
            .into_iter()
            .flat_map(|g| g.reports)
            .find(|r| r.id == report_id && r.user_id == user_id)
            .ok_or_else(|| AppError::Store(pmle_store::StoreError::NoReport(report_id)))
    }
}
