//! `pmle simulate`: the engine graded by synthetic learners answering this pack.

use pmle_content::model::Kind;
use pmle_engine::sim::{SimConfig, SimPack, SimReport, simulate};

use crate::{App, AppError};

/// The most synthetic learners one simulation runs.
pub const MAX_SIM_LEARNERS: usize = 1000;
/// The most answers one synthetic learner gives.
pub const MAX_SIM_ANSWERS: usize = 100_000;

/// Refuse a configuration the simulation cannot run in bounded time and memory (a count of
/// 0, or more learners or answers than the limits), with what to change.
pub fn check_sim_config(cfg: &SimConfig) -> Result<(), AppError> {
    let bad = |what: &str, value: usize, max: usize| {
        Err(AppError::Simulation(format!(
            "{what} must be between 1 and {max}, not {value}"
        )))
    };
    if !(1..=MAX_SIM_LEARNERS).contains(&cfg.learners) {
        return bad("the number of learners", cfg.learners, MAX_SIM_LEARNERS);
    }
    if !(1..=MAX_SIM_ANSWERS).contains(&cfg.max_answers) {
        return bad("max answers", cfg.max_answers, MAX_SIM_ANSWERS);
    }
    for (what, value) in [
        ("answers per day", cfg.answers_per_day),
        ("answers between mock exams", cfg.mock_every),
        ("questions of a mock exam", cfg.exam_questions),
    ] {
        if !(1..=MAX_SIM_ANSWERS).contains(&value) {
            return bad(what, value, MAX_SIM_ANSWERS);
        }
    }
    if !(cfg.target > 0.0 && cfg.target <= 1.0) {
        return Err(AppError::Simulation(format!(
            "the readiness target must be above 0 and at most 1, not {}",
            cfg.target
        )));
    }
    for (what, value) in [
        ("the share of learners who memorise", cfg.memorise_share),
        ("the recall of a seen question", cfg.recall),
        ("the share of mislabelled items", cfg.mislabelled_share),
        ("the share of learners who stop early", cfg.stop_early_share),
    ] {
        if !(0.0..=1.0).contains(&value) {
            return Err(AppError::Simulation(format!(
                "{what} must be between 0 and 1, not {value}"
            )));
        }
    }
    if !(0.0..=5.0).contains(&cfg.exam_shift_max) {
        return Err(AppError::Simulation(format!(
            "the real exam's extra difficulty must be between 0 and 5 logits, not {}",
            cfg.exam_shift_max
        )));
    }
    Ok(())
}

impl App {
    /// How many options each question asks for (1, or the "choose N" of a multiple-select),
    /// in pack order: what the simulations need to grade a synthetic answer.
    pub(crate) fn options_to_choose(&self) -> Vec<u8> {
        self.pack
            .questions
            .iter()
            .map(|q| match q.kind {
                Kind::Single => 1,
                Kind::Multiple { choose } => choose as u8,
            })
            .collect()
    }

    /// Run the learner simulation on the loaded pack, after [`check_sim_config`].
    pub fn simulate(&self, cfg: &SimConfig) -> Result<SimReport, AppError> {
        check_sim_config(cfg)?;
        let choose = self.options_to_choose();
        let pack = SimPack {
            items: &self.index.items,
            choose: &choose,
            weights: &self.index.weights,
            n_topics: self.index.n_topics,
        };
        Ok(simulate(&pack, cfg))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_or_zero_simulation_counts_are_refused_not_allocated() {
        for cfg in [
            SimConfig {
                learners: 4_294_967_295,
                ..SimConfig::default()
            },
            SimConfig {
                learners: usize::MAX,
                ..SimConfig::default()
            },
            SimConfig {
                learners: 0,
                ..SimConfig::default()
            },
            SimConfig {
                max_answers: usize::MAX,
                ..SimConfig::default()
            },
            SimConfig {
                mock_every: 0,
                ..SimConfig::default()
            },
            SimConfig {
                answers_per_day: 0,
                ..SimConfig::default()
            },
            SimConfig {
                target: f64::NAN,
                ..SimConfig::default()
            },
            SimConfig {
                memorise_share: 1.5,
                ..SimConfig::default()
            },
            SimConfig {
                recall: f64::NAN,
                ..SimConfig::default()
            },
            SimConfig {
                mislabelled_share: -0.1,
                ..SimConfig::default()
            },
            SimConfig {
                stop_early_share: 2.0,
                ..SimConfig::default()
            },
            SimConfig {
                exam_shift_max: f64::INFINITY,
                ..SimConfig::default()
            },
        ] {
            let err = check_sim_config(&cfg).expect_err("refused");
            assert!(err.to_string().contains("must be"), "{err}");
        }
        assert!(check_sim_config(&SimConfig::default()).is_ok());
    }
}
