//! `pmle items` and `pmle calibrate`: how the pack's questions perform over the first
//! attempts in the database, and their difficulties fitted from them (docs/engine.md §8–9).
//!
//! A pmle database holds one learner. Answers whose session id is `learner-<key>` belong to
//! the pooled learner `<key>` (`pmle simulate --write-responses` writes such a database);
//! every other answer is the database's own learner. One learner alone gives each question
//! at most one first attempt, so the minimum counts keep every flag and fit away until
//! pooled responses exist.

use std::collections::{BTreeMap, HashMap};

use pmle_engine::calibrate::{CalibrateConfig, ItemFit, calibrate, calibration_toml};
use pmle_engine::item_stats::{
    ItemStats, ItemStatsConfig, Response, item_statistics, sort_by_attention,
};
use pmle_store::AnswerRecord;
use serde::Serialize;

use crate::responses_merge::MergeReport;
use crate::{App, AppError};

/// The session-id prefix that names a pooled learner.
pub const POOLED_LEARNER_PREFIX: &str = "learner-";
/// Fewest first attempts a question needs before `pmle calibrate` writes its fit: the
/// smallest size whose recovery was measured (docs/engine.md §9).
pub const DEFAULT_MIN_RESPONSES: u32 = 50;

/// One question's statistics, with where to find it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemRow {
    pub id: String,
    pub section: String,
    /// Its source file in the pack and the line of its `[[question]]` header.
    pub file: String,
    pub line: usize,
    /// The authored difficulty label (1–3).
    pub label: u8,
    /// How much it needs attention (the flags' weights summed): the sort key.
    pub attention: u32,
    #[serde(flatten)]
    pub stats: ItemStats,
}

/// Every answered question, most in need of attention first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemAnalysis {
    pub learners: usize,
    pub first_attempts: usize,
    /// Questions with at least one first attempt.
    pub items: Vec<ItemRow>,
    /// With responses files: what was read and set aside.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub files: Option<MergeReport>,
}

/// One question's fitted difficulty.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CalibratedRow {
    pub id: String,
    pub label: u8,
    /// The label's logit (the prior).
    pub prior: f64,
    pub difficulty: f64,
    pub se: f64,
    pub responses: u32,
    /// Share of the estimate's precision that comes from the responses, not the label.
    pub data_weight: f64,
}

/// What `pmle calibrate` found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CalibrationRun {
    pub learners: usize,
    pub first_attempts: usize,
    pub min_responses: u32,
    /// Questions with at least `min_responses` first attempts: these are written.
    pub fitted: Vec<CalibratedRow>,
    /// Live questions with fewer (they keep their label).
    pub below_minimum: usize,
    pub ability_mean: f64,
    pub ability_sd: f64,
    pub iterations: usize,
    pub converged: bool,
    /// The `calibration.toml` text for `fitted`.
    #[serde(skip)]
    pub toml: String,
    /// With responses files: what was read and set aside.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub files: Option<MergeReport>,
}

/// First attempts (and later ones) ready for the statistics: from the database, or merged
/// from responses files.
#[derive(Debug, Clone, PartialEq)]
pub struct PooledResponses {
    pub(crate) responses: Vec<Response>,
    /// Distinct learners with at least one response.
    pub learners: usize,
    /// When the responses came from files: what was read and what was set aside.
    pub files: Option<MergeReport>,
}

/// A team server's answers, each with its user id (`PgPool::answers_of_every_learner`), as
/// one list for [`App::responses_of`] and [`App::export_responses_of`]: each account is a
/// learner of its own (`learner-u<id>`). User 0, the database's learner without an account,
/// keeps its session ids, so the pooled learners a simulation wrote stay apart.
pub fn team_answers(by_user: Vec<(i64, AnswerRecord)>) -> Vec<AnswerRecord> {
    by_user
        .into_iter()
        .map(|(user, mut a)| {
            if user != 0 {
                a.answer.session_id = Some(format!("{POOLED_LEARNER_PREFIX}u{user}"));
            }
            a
        })
        .collect()
}

/// One answer's learner and attempt number, as item analysis counts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Numbered {
    pub(crate) learner: u32,
    pub(crate) item: usize,
    pub(crate) attempt: u32,
}

impl App {
    /// Each answer's learner (from the session id) and attempt number (by time, per learner
    /// and question), in the order of `answers` (oldest first); `None` for a question no
    /// longer in the pack. Also the number of learners.
    pub(crate) fn number_answers(
        &self,
        answers: &[AnswerRecord],
    ) -> (Vec<Option<Numbered>>, usize) {
        let mut learners: BTreeMap<Option<&str>, u32> = BTreeMap::new();
        let mut attempts: HashMap<(u32, usize), u32> = HashMap::new();
        let numbered = answers
            .iter()
            .map(|a| {
                let a = &a.answer;
                let &item = self.index.by_question.get(&a.question_id)?;
                let key = a
                    .session_id
                    .as_deref()
                    .and_then(|s| s.strip_prefix(POOLED_LEARNER_PREFIX));
                let next = learners.len() as u32;
                let learner = *learners.entry(key).or_insert(next);
                let attempt = attempts.entry((learner, item)).or_insert(0);
                *attempt += 1;
                Some(Numbered {
                    learner,
                    item,
                    attempt: *attempt,
                })
            })
            .collect();
        (numbered, learners.len())
    }

    /// The database's answers as item-analysis responses (docs/engine.md §8: whose answers).
    pub fn database_responses(&self) -> Result<PooledResponses, AppError> {
        let answers = self.store.answers()?;
        Ok(self.responses_of(&answers))
    }

    /// Answers (oldest first, learners told apart by their session ids: see
    /// [`team_answers`]) as item-analysis responses.
    pub fn responses_of(&self, answers: &[AnswerRecord]) -> PooledResponses {
        let (numbered, learners) = self.number_answers(answers);
        let responses = answers
            .iter()
            .zip(numbered)
            .filter_map(|(a, n)| {
                let n = n?;
                let a = &a.answer;
                Some(Response {
                    learner: n.learner,
                    item: n.item,
                    chosen: a
                        .chosen
                        .iter()
                        .filter_map(|&c| u8::try_from(c).ok())
                        .collect(),
                    correct: a.correct,
                    duration_ms: a.duration_ms.and_then(|d| u32::try_from(d).ok()),
                    attempt: n.attempt,
                })
            })
            .collect();
        PooledResponses {
            responses,
            learners,
            files: None,
        }
    }

    /// The keyed options of every question, authoring indexes.
    pub(crate) fn keys(&self) -> Vec<Vec<u8>> {
        self.pack
            .questions
            .iter()
            .map(|q| {
                q.options
                    .iter()
                    .enumerate()
                    .filter(|(_, o)| o.correct)
                    .map(|(k, _)| k as u8)
                    .collect()
            })
            .collect()
    }

    /// Item statistics and flags over the database's first attempts (docs/engine.md §8).
    pub fn item_analysis(&self) -> Result<ItemAnalysis, AppError> {
        let pooled = self.database_responses()?;
        self.item_analysis_of(pooled)
    }

    /// Item statistics and flags over pooled responses: the database's
    /// ([`Self::database_responses`], with the reports filed here that still count against
    /// their question) or merged files' ([`Self::merge_response_files`]; reports are not in
    /// the files, so `reports` stays null).
    pub fn item_analysis_of(&self, pooled: PooledResponses) -> Result<ItemAnalysis, AppError> {
        let reports = if pooled.files.is_none() {
            Some(self.store.reports()?)
        } else {
            None
        };
        self.item_analysis_with(pooled, reports.as_deref())
    }

    /// [`Self::item_analysis_of`] over a team server's responses, with every account's
    /// reports (`PgPool::reports_of_every_learner`).
    pub fn item_analysis_of_team(
        &self,
        pooled: PooledResponses,
        pool: &pmle_store::PgPool,
    ) -> Result<ItemAnalysis, AppError> {
        let reports: Vec<pmle_store::ReportRecord> = pool
            .reports_of_every_learner()?
            .into_iter()
            .map(|(_, r)| r)
            .collect();
        self.item_analysis_with(pooled, Some(&reports))
    }

    /// The statistics, with `reports` counted per question when given: only those that
    /// still count against it (untriaged, accepted, or fixed in a release newer than this
    /// one: [`crate::counts_against_question`]; docs/engine.md §8).
    fn item_analysis_with(
        &self,
        pooled: PooledResponses,
        reports: Option<&[pmle_store::ReportRecord]>,
    ) -> Result<ItemAnalysis, AppError> {
        let PooledResponses {
            responses,
            learners,
            files,
        } = pooled;
        let mut stats = item_statistics(
            &self.index.items,
            &self.keys(),
            &responses,
            &ItemStatsConfig::default(),
        );
        // Reports still counting against each question (the report-a-question feature): a
        // reported question is listed even before anyone has answered it here.
        if let Some(reports) = reports {
            let mut open_reports: HashMap<&str, u32> = HashMap::new();
            for r in reports {
                if crate::counts_against_question(r.report.effective_triage().as_ref()) {
                    *open_reports
                        .entry(r.report.question_id.as_str())
                        .or_default() += 1;
                }
            }
            for s in &mut stats {
                let id = self.pack.questions[s.item].id.as_str();
                s.set_reports(open_reports.get(id).copied().unwrap_or(0));
            }
        }
        stats.retain(|s| s.n > 0 || s.reports.unwrap_or(0) > 0);
        sort_by_attention(&mut stats);
        let items = stats
            .into_iter()
            .map(|s| {
                let q = &self.pack.questions[s.item];
                ItemRow {
                    id: q.id.clone(),
                    section: q.section.clone(),
                    file: q.location.file.clone(),
                    line: q.location.line,
                    label: q.difficulty,
                    attention: s.attention(),
                    stats: s,
                }
            })
            .collect();
        Ok(ItemAnalysis {
            learners,
            first_attempts: responses.iter().filter(|r| r.attempt == 1).count(),
            items,
            files,
        })
    }

    /// Difficulties fitted from the database's first attempts (docs/engine.md §9); live
    /// questions with at least `min_responses` first attempts are kept.
    pub fn calibrate_items(&self, min_responses: u32) -> Result<CalibrationRun, AppError> {
        let pooled = self.database_responses()?;
        self.calibrate_items_of(pooled, min_responses)
    }

    /// Difficulties fitted from pooled responses, the database's or merged files'.
    pub fn calibrate_items_of(
        &self,
        pooled: PooledResponses,
        min_responses: u32,
    ) -> Result<CalibrationRun, AppError> {
        if min_responses == 0 {
            return Err(AppError::ItemAnalysis(
                "--min-responses must be at least 1 (the calibration file needs a response \
                 behind every entry)"
                    .into(),
            ));
        }
        let PooledResponses {
            responses,
            learners,
            files,
        } = pooled;
        let fit = calibrate(&self.index.items, &responses, &CalibrateConfig::default());
        let live = |f: &&ItemFit| !self.index.items[f.item].retired;
        let kept: Vec<&ItemFit> = fit
            .items
            .iter()
            .filter(live)
            .filter(|f| f.responses >= min_responses)
            .collect();
        let below_minimum = fit.items.iter().filter(live).count() - kept.len();
        let ids = &self.index.question_ids;
        let entries: Vec<(&str, &ItemFit)> =
            kept.iter().map(|f| (ids[f.item].as_str(), *f)).collect();
        let first_attempts = responses.iter().filter(|r| r.attempt == 1).count();
        let note = format!(
            "Fitted by `pmle calibrate` (Rasch with the guessing floor, the label as the prior;\n\
             docs/engine.md §9) from {first_attempts} first attempts by {learners} learners.\n\
             Questions with fewer than {min_responses} first attempts are left out: their label \
             is used."
        );
        let toml = calibration_toml(&entries, &note);
        let fitted = kept
            .iter()
            .map(|f| CalibratedRow {
                id: ids[f.item].clone(),
                label: self.index.items[f.item].difficulty,
                prior: f.prior,
                difficulty: f.difficulty,
                se: f.se,
                responses: f.responses,
                data_weight: f.data_weight,
            })
            .collect();
        Ok(CalibrationRun {
            learners,
            first_attempts,
            min_responses,
            fitted,
            below_minimum,
            ability_mean: fit.ability_mean,
            ability_sd: fit.ability_sd,
            iterations: fit.iterations,
            converged: fit.converged,
            toml,
            files,
        })
    }
}
