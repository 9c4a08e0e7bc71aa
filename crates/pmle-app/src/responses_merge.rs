//! `pmle calibrate --responses FILE…` and `pmle items --responses FILE…`: responses files
//! from several servers merged into one pool, every row checked against the pack; what
//! cannot be used is counted and reported, never trusted and never a crash.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use pmle_engine::item_stats::Response;
use serde::Serialize;

use crate::item_analysis::PooledResponses;
use crate::responses_file::{ResponsesFile, excerpt, read_responses};
use crate::{App, AppError};

/// At most this many unknown question ids are named in the report.
const EXAMPLES: usize = 5;

/// One file read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileSummary {
    pub path: String,
    /// The exam-guide version of the pack that wrote it.
    pub guide_version: String,
    pub pmle_version: String,
    pub rows: usize,
    /// Distinct learner keys among its kept rows.
    pub learners: usize,
}

/// What was read from the files, and every row set aside, by reason.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MergeReport {
    pub files: Vec<FileSummary>,
    /// Rows used.
    pub kept: usize,
    /// Rows for a question id this pack does not have (another pack version?): left out.
    pub unknown_questions: usize,
    /// Up to five of those ids (each cut to 60 characters).
    pub unknown_examples: Vec<String>,
    /// Rows choosing an option the question does not have, the same option twice, or more
    /// options than it has: left out.
    pub invalid_options: usize,
    /// Rows whose time is not a multiple of the file's own rounding, or whose attempt is 0:
    /// left out.
    pub malformed: usize,
    /// A learner's second first attempt at a question in one file: kept, but the statistics
    /// use only the first.
    pub duplicate_first_attempts: usize,
    /// Rows with attempt > 1: kept, not used (only first attempts are).
    pub later_attempts: usize,
    /// Rows whose `correct` disagrees with this pack's key for the options chosen (a key
    /// changed since?): kept as graded.
    pub correct_disagrees_with_key: usize,
    /// Files written with an exam-guide version other than this pack's.
    pub other_guide_versions: usize,
}

impl MergeReport {
    /// Rows left out, for any reason.
    pub fn set_aside(&self) -> usize {
        self.unknown_questions + self.invalid_options + self.malformed
    }
}

impl App {
    /// Read and merge responses files (docs/data-format.md). Learner keys are kept apart per
    /// file, so the same key in two files is two learners. A file that cannot be read, is
    /// not a responses file, or belongs to another pack is refused with the reason; rows
    /// that do not fit this pack are counted in the report and left out.
    pub fn merge_response_files(&self, paths: &[PathBuf]) -> Result<PooledResponses, AppError> {
        if paths.is_empty() {
            return Err(AppError::Import(
                "give at least one responses file (written by `pmle export responses FILE`)".into(),
            ));
        }
        let mut report = MergeReport::default();
        let mut responses = Vec::new();
        let mut learners = 0usize;
        let mut examples = BTreeSet::new();
        for path in paths {
            let file = read_responses(path)?;
            let summary = self.merge_one(
                path,
                &file,
                learners,
                &mut responses,
                &mut report,
                &mut examples,
            )?;
            learners += summary.learners;
            report.files.push(summary);
        }
        report.unknown_examples = examples.into_iter().take(EXAMPLES).collect();
        Ok(PooledResponses {
            responses,
            learners,
            files: Some(report),
        })
    }

    fn merge_one(
        &self,
        path: &Path,
        file: &ResponsesFile,
        first_learner: usize,
        out: &mut Vec<Response>,
        report: &mut MergeReport,
        examples: &mut BTreeSet<String>,
    ) -> Result<FileSummary, AppError> {
        let shown = path.display().to_string();
        if file.pack_id != self.pack.meta.id {
            return Err(AppError::Import(format!(
                "{shown} holds answers to the pack `{}`, but this pmle uses the pack `{}`; \
                 pass that pack with --pack DIR",
                excerpt(&file.pack_id),
                self.pack.meta.id
            )));
        }
        if file.guide_version != self.pack.meta.guide_version {
            report.other_guide_versions += 1;
        }
        let keys = self.keys();
        let mut learner_of: HashMap<&str, u32> = HashMap::new();
        let mut firsts: HashSet<(u32, usize)> = HashSet::new();
        for row in &file.responses {
            let Some(&item) = self.index.by_question.get(&row.question) else {
                report.unknown_questions += 1;
                if examples.len() < EXAMPLES {
                    examples.insert(excerpt(&row.question));
                }
                continue;
            };
            if row.attempt == 0 || row.answered_at % file.time_rounding_s != 0 {
                report.malformed += 1;
                continue;
            }
            let options = self.pack.questions[item].options.len();
            let mut chosen: Vec<u8> = Vec::with_capacity(row.chosen.len());
            let mut valid = row.chosen.len() <= options;
            for &c in &row.chosen {
                match u8::try_from(c) {
                    Ok(c) if usize::from(c) < options && !chosen.contains(&c) => chosen.push(c),
                    _ => valid = false,
                }
            }
            if !valid {
                report.invalid_options += 1;
                continue;
            }
            let next = u32::try_from(first_learner + learner_of.len()).map_err(|_| {
                AppError::Import(format!("{shown}: too many learners in the files merged"))
            })?;
            let learner = *learner_of.entry(row.learner.as_str()).or_insert(next);
            if row.attempt == 1 {
                if !firsts.insert((learner, item)) {
                    report.duplicate_first_attempts += 1;
                }
            } else {
                report.later_attempts += 1;
            }
            let mut sorted = chosen.clone();
            sorted.sort_unstable();
            if (sorted == keys[item]) != row.correct {
                report.correct_disagrees_with_key += 1;
            }
            report.kept += 1;
            out.push(Response {
                learner,
                item,
                chosen,
                correct: row.correct,
                duration_ms: row.time_taken_s.map(|s| s.saturating_mul(1000)),
                attempt: row.attempt,
            });
        }
        Ok(FileSummary {
            path: shown,
            guide_version: excerpt(&file.guide_version),
            pmle_version: excerpt(&file.pmle_version),
            rows: file.responses.len(),
            learners: learner_of.len(),
        })
    }
}
