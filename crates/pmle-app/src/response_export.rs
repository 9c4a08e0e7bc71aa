//! `pmle export responses FILE`: the database's first attempts with nothing that identifies
//! a learner, for pooling with other servers' (docs/engine.md §11, docs/data-format.md).

use std::collections::HashSet;
use std::path::Path;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;
use serde::Serialize;

use crate::responses_file::{
    RESPONSES_FORMAT, RESPONSES_VERSION, ResponseRow, ResponsesFile, TIME_ROUNDING_S,
};
use pmle_store::AnswerRecord;

use crate::{App, AppError};

/// Fewest learners an export may hold unless `--min-cohort` says otherwise.
pub const DEFAULT_MIN_COHORT: usize = 5;

/// What `pmle export responses` wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportedResponses {
    pub learners: usize,
    pub responses: usize,
    /// Answers to questions no longer in the pack, left out.
    pub unknown_questions: usize,
}

/// Unix milliseconds rounded down to the start of their UTC day, in seconds.
fn round_time(ms: i64) -> i64 {
    ms.div_euclid(TIME_ROUNDING_S * 1000) * TIME_ROUNDING_S
}

/// Milliseconds to the nearest whole second; unknown for a negative time.
fn round_duration(ms: Option<i64>) -> Option<u32> {
    let ms = ms.filter(|&d| d >= 0)?;
    Some(u32::try_from(ms.saturating_add(500) / 1000).unwrap_or(u32::MAX))
}

/// `n` distinct random keys of 16 hex digits (64 bits) from `rng`.
fn learner_keys(n: usize, rng: &mut ChaCha20Rng) -> Vec<String> {
    let mut seen = HashSet::with_capacity(n);
    let mut keys = Vec::with_capacity(n);
    while keys.len() < n {
        let key = format!("{:016x}", rng.next_u64());
        if seen.insert(key.clone()) {
            keys.push(key);
        }
    }
    keys
}

impl App {
    /// The database as shown to people: a file's path, or a PostgreSQL URL without its
    /// password.
    pub fn database_label(&self) -> &str {
        &self.database
    }

    /// The database's first attempts, anonymised: each learner (the database's own and every
    /// pooled `learner-<key>`) gets a random key drawn from `seed` for this export only, so
    /// two exports cannot be joined; times are rounded down to the UTC day and durations to
    /// whole seconds; rows are sorted by key and question, so their order says nothing about
    /// who answered when. Refused when fewer than `min_cohort` learners would be in it.
    pub fn export_responses(
        &self,
        min_cohort: usize,
        seed: [u8; 32],
    ) -> Result<(ResponsesFile, usize), AppError> {
        let answers = self.store.answers()?;
        self.export_responses_of(&answers, min_cohort, seed)
    }

    /// [`Self::export_responses`] over the answers given (oldest first, learners told apart
    /// by their session ids, as [`crate::team_answers`] makes them for a team server).
    pub fn export_responses_of(
        &self,
        answers: &[AnswerRecord],
        min_cohort: usize,
        seed: [u8; 32],
    ) -> Result<(ResponsesFile, usize), AppError> {
        let (numbered, _) = self.number_answers(answers);
        let unknown = numbered.iter().filter(|n| n.is_none()).count();
        let firsts: Vec<_> = answers
            .iter()
            .zip(&numbered)
            .filter_map(|(a, n)| n.filter(|n| n.attempt == 1).map(|n| (&a.answer, n)))
            .collect();
        let mut learner_ids: Vec<u32> = firsts.iter().map(|(_, n)| n.learner).collect();
        learner_ids.sort_unstable();
        learner_ids.dedup();
        let learners = learner_ids.len();
        if learners < min_cohort.max(1) {
            return Err(AppError::ItemAnalysis(format!(
                "refused: {} holds the first attempts of {learners} learner{}, and an export \
                 needs at least {min_cohort} (--min-cohort) so that no one person's answers can \
                 be singled out. Nothing was written. Export from a database that pools more \
                 learners (a team server), or lower --min-cohort only if every learner in it \
                 agreed to share their answers",
                self.database,
                if learners == 1 { "" } else { "s" }
            )));
        }
        let mut rng = ChaCha20Rng::from_seed(seed);
        let keys = learner_keys(learners, &mut rng);
        let key_of = |learner: u32| -> &str {
            let at = learner_ids.binary_search(&learner).unwrap_or(0);
            &keys[at]
        };
        let mut responses: Vec<ResponseRow> = firsts
            .iter()
            .map(|(a, n)| ResponseRow {
                learner: key_of(n.learner).to_owned(),
                question: a.question_id.clone(),
                chosen: a
                    .chosen
                    .iter()
                    .map(|&c| u32::try_from(c).unwrap_or(u32::MAX))
                    .collect(),
                correct: a.correct,
                answered_at: round_time(a.answered_at_ms),
                time_taken_s: round_duration(a.duration_ms),
                attempt: 1,
            })
            .collect();
        responses.sort_by(|a, b| (&a.learner, &a.question).cmp(&(&b.learner, &b.question)));
        let file = ResponsesFile {
            format: RESPONSES_FORMAT.to_owned(),
            version: RESPONSES_VERSION,
            pack_id: self.pack.meta.id.clone(),
            guide_version: self.pack.meta.guide_version.clone(),
            pmle_version: env!("CARGO_PKG_VERSION").to_owned(),
            time_rounding_s: TIME_ROUNDING_S,
            duration_rounding_s: 1,
            learners,
            responses,
        };
        Ok((file, unknown))
    }

    /// [`Self::export_responses`] written to `path` through a temporary file renamed over
    /// it: a refusal or a failure leaves no file (and an existing one untouched).
    pub fn export_responses_file(
        &self,
        path: &Path,
        min_cohort: usize,
        seed: [u8; 32],
    ) -> Result<ExportedResponses, AppError> {
        let answers = self.store.answers()?;
        self.export_responses_file_of(path, &answers, min_cohort, seed)
    }

    /// [`Self::export_responses_file`] over the answers given (see
    /// [`Self::export_responses_of`]).
    pub fn export_responses_file_of(
        &self,
        path: &Path,
        answers: &[AnswerRecord],
        min_cohort: usize,
        seed: [u8; 32],
    ) -> Result<ExportedResponses, AppError> {
        let (file, unknown_questions) = self.export_responses_of(answers, min_cohort, seed)?;
        pmle_anki::write_atomically(path, |f| {
            use std::io::Write;
            let mut w = std::io::BufWriter::new(f);
            serde_json::to_writer(&mut w, &file)
                .map_err(std::io::Error::from)
                .and_then(|()| w.write_all(b"\n"))
                .and_then(|()| w.flush())
                .map_err(|source| pmle_anki::AnkiError::Io {
                    path: path.display().to_string(),
                    source,
                })
        })?;
        Ok(ExportedResponses {
            learners: file.learners,
            responses: file.responses.len(),
            unknown_questions,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding() {
        let day = 86_400_000;
        assert_eq!(round_time(20_000 * day + 86_399_999), 20_000 * 86_400);
        assert_eq!(round_time(-1), -86_400);
        assert_eq!(round_duration(Some(1_499)), Some(1));
        assert_eq!(round_duration(Some(1_500)), Some(2));
        assert_eq!(round_duration(Some(-3)), None);
        assert_eq!(round_duration(Some(i64::MAX)), Some(u32::MAX));
    }

    #[test]
    fn keys_are_distinct_and_depend_on_the_seed() {
        let a = learner_keys(1000, &mut ChaCha20Rng::from_seed([1; 32]));
        let b = learner_keys(1000, &mut ChaCha20Rng::from_seed([2; 32]));
        assert_eq!(a.iter().collect::<HashSet<_>>().len(), 1000);
        assert!(a.iter().all(|k| k.len() == 16));
        assert!(a.iter().all(|k| !b.contains(k)));
    }
}
