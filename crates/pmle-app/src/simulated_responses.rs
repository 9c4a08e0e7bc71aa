//! `pmle simulate --write-responses DB`: synthetic learners' answers, some questions made
//! faulty, written through the store into a new database so that `pmle items` and `pmle
//! calibrate` can be exercised end to end.

use pmle_engine::sim::{ItemFault, ResponseSimConfig, SimPack, simulate_responses};
use pmle_store::{BACKUP_FORMAT, BACKUP_SCHEMA_VERSION, Backup, Mode, NewAnswer};
use serde::Serialize;

use crate::item_analysis::POOLED_LEARNER_PREFIX;
use crate::simulate::MAX_SIM_LEARNERS;
use crate::{App, AppError};

const DAY_MS: i64 = 86_400_000;

/// A question the simulation made faulty.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FaultyQuestion {
    pub id: String,
    pub fault: ItemFault,
}

/// What was written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SimulatedResponses {
    pub learners: usize,
    pub answers: usize,
    pub first_attempts: usize,
    /// Sorted by id.
    pub faulty: Vec<FaultyQuestion>,
}

impl App {
    /// Let `cfg.learners` synthetic learners answer the pack (some questions faulty) and
    /// write their answers into this app's database, which must hold no answer yet: synthetic
    /// answers are never mixed into a real learner's history.
    pub fn write_simulated_responses(
        &mut self,
        cfg: &ResponseSimConfig,
    ) -> Result<SimulatedResponses, AppError> {
        if !(1..=MAX_SIM_LEARNERS).contains(&cfg.learners) {
            return Err(AppError::Simulation(format!(
                "the number of learners must be between 1 and {MAX_SIM_LEARNERS}, not {}",
                cfg.learners
            )));
        }
        let live = self.index.items.iter().filter(|it| !it.retired).count();
        if !(1..=live).contains(&cfg.answers_per_learner) {
            return Err(AppError::Simulation(format!(
                "answers per learner must be between 1 and the pack's {live} live questions, \
                 not {}",
                cfg.answers_per_learner
            )));
        }
        for (what, v) in [
            ("the share of faulty questions", cfg.faulty_share),
            ("the share of repeated answers", cfg.repeat_share),
        ] {
            if !(0.0..=1.0).contains(&v) {
                return Err(AppError::Simulation(format!(
                    "{what} must be between 0 and 1, not {v}"
                )));
            }
        }
        let held = self.store.tally()?.answers;
        if held > 0 {
            return Err(AppError::Simulation(format!(
                "{} already holds {held} answers; synthetic learners are written only into a \
                 new database, so that they never mix with a real learner's history: pass a \
                 file that does not exist yet",
                self.database
            )));
        }
        let choose = self.options_to_choose();
        let pack = SimPack {
            items: &self.index.items,
            choose: &choose,
            weights: &self.index.weights,
            n_topics: self.index.n_topics,
        };
        let keys = self.keys();
        let sim = simulate_responses(&pack, &keys, cfg);
        // Learner l answers on day l (one answer a minute), all before now.
        let start = self.now_ms() - (cfg.learners as i64 + 1) * DAY_MS;
        let mut minute = vec![0i64; cfg.learners];
        let answers: Vec<NewAnswer> = sim
            .responses
            .iter()
            .map(|r| {
                let q = &self.pack.questions[r.item];
                let l = r.learner as usize;
                minute[l] += 1;
                NewAnswer {
                    question_id: q.id.clone(),
                    section_id: q.section.clone(),
                    mode: Mode::Practice,
                    session_id: Some(format!("{POOLED_LEARNER_PREFIX}{l}")),
                    shown_order: (0..q.options.len()).collect(),
                    chosen: r.chosen.iter().map(|&c| usize::from(c)).collect(),
                    correct: r.correct,
                    answered_at_ms: start + l as i64 * DAY_MS + minute[l] * 60_000,
                    duration_ms: r.duration_ms.map(i64::from),
                }
            })
            .collect();
        let backup = Backup {
            format: BACKUP_FORMAT.to_owned(),
            schema_version: BACKUP_SCHEMA_VERSION,
            pmle_version: env!("CARGO_PKG_VERSION").to_owned(),
            exported_at_ms: self.now_ms(),
            pack_id: self.pack.meta.id.clone(),
            answers,
            exams: Vec::new(),
            schedule: Vec::new(),
            reviews: Vec::new(),
            settings: Default::default(),
            predictions: Vec::new(),
            marks: Vec::new(),
            notes: Vec::new(),
            reports: Vec::new(),
        };
        // One transaction through the store (one commit per answer would take minutes).
        let summary = self.store.import_backup(&backup)?;
        let mut faulty: Vec<FaultyQuestion> = sim
            .items
            .iter()
            .enumerate()
            .filter_map(|(i, t)| {
                t.fault.map(|fault| FaultyQuestion {
                    id: self.pack.questions[i].id.clone(),
                    fault,
                })
            })
            .collect();
        faulty.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(SimulatedResponses {
            learners: cfg.learners,
            answers: summary.answers_added,
            first_attempts: sim.responses.iter().filter(|r| r.attempt == 1).count(),
            faulty,
        })
    }
}
