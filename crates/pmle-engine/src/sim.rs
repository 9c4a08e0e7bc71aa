//! Synthetic learners that grade the engine.
//!
//! Each learner has a hidden skill per topic and answers the real pack's questions under a
//! model deliberately unlike the engine's own estimator: two-parameter logistic items with a
//! guessing floor (¼ for single select, 1/10 for choose-two), item difficulties that differ
//! from the authored 1–3 labels, learning that is larger after a likely miss and spills over
//! to the rest of the section, and forgetting toward the starting skill. Strategies are
//! compared on the number of answers until the learner's *true* expected exam score reaches
//! the target; the readiness estimate is compared with that true score at mock-exam times.

mod learner;

use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::adaptive::{AdaptiveConfig, Context, next_item};
use crate::exam::allocate;
use crate::items::{ItemMeta, Observation, item_status};
use crate::mastery::{MasteryConfig, estimate};
use crate::readiness::{
    Evidence, MockTaken, ReadinessConfig, first_answers, first_seen, predict, unseen_share,
};
pub use learner::Learner;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    Adaptive,
    Random,
    Sequential,
}

impl Strategy {
    pub const ALL: [Strategy; 3] = [Strategy::Adaptive, Strategy::Random, Strategy::Sequential];

    pub fn name(self) -> &'static str {
        match self {
            Strategy::Adaptive => "adaptive",
            Strategy::Random => "random",
            Strategy::Sequential => "sequential",
        }
    }
}

/// How much a learner learns from answering a question and reading its explanations.
/// The choice matters to which strategy wins, so both are available and reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LearningModel {
    /// Gain ∝ 4p(1−p): questions within reach teach most (the default).
    WithinReach,
    /// Gain ∝ (1−p), more after a miss: the hardest questions teach most.
    Hardest,
}

impl LearningModel {
    pub fn name(self) -> &'static str {
        match self {
            LearningModel::WithinReach => "within-reach",
            LearningModel::Hardest => "hardest",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SimConfig {
    pub learners: usize,
    pub seed: u64,
    /// True expected score that counts as ready (0–1).
    pub target: f64,
    /// A learner who has not reached the target after this many answers stops (censored).
    pub max_answers: usize,
    pub answers_per_day: usize,
    /// Readiness is checked against the truth every this many answers.
    pub mock_every: usize,
    pub exam_questions: usize,
    pub learning: LearningModel,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            learners: 40,
            seed: 1,
            target: 0.7,
            max_answers: 1500,
            answers_per_day: 40,
            mock_every: 50,
            exam_questions: 60,
            learning: LearningModel::WithinReach,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct StrategyResult {
    pub strategy: Strategy,
    /// Mean answers until ready (censored learners count `max_answers`).
    pub questions_to_ready: f64,
    pub median: f64,
    /// Learners who reached the target within `max_answers`.
    pub reached: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Calibration {
    /// Mean absolute error of the predicted score, in percentage points.
    pub mae_points: f64,
    /// Brier score of the predicted probability of reaching the target on a simulated exam.
    pub brier: f64,
    /// Mean signed error (predicted − true), in points: positive means optimistic.
    pub bias_points: f64,
    pub samples: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SimReport {
    pub config: SimConfig,
    pub strategies: Vec<StrategyResult>,
    pub readiness: Calibration,
}

/// The pack as the simulation needs it.
#[derive(Debug, Clone, Copy)]
pub struct SimPack<'a> {
    pub items: &'a [ItemMeta],
    /// Number of correct options of each item (1 single, 2–3 multiple): sets the guess floor.
    pub choose: &'a [u8],
    pub weights: &'a [f64],
    pub n_topics: usize,
}

pub fn simulate(pack: &SimPack<'_>, cfg: &SimConfig) -> SimReport {
    let mut strategies = Vec::new();
    let mut errors = Vec::new();
    let mut briers = Vec::new();
    for strategy in Strategy::ALL {
        let mut counts = Vec::with_capacity(cfg.learners);
        for l in 0..cfg.learners {
            let run = run_learner(pack, cfg, strategy, l as u64);
            counts.push(run.answers_to_ready);
            if strategy == Strategy::Adaptive {
                errors.extend(run.errors);
                briers.extend(run.briers);
            }
        }
        let reached = counts.iter().filter(|c| c.is_some()).count();
        let mut n: Vec<f64> = counts
            .iter()
            .map(|c| c.unwrap_or(cfg.max_answers) as f64)
            .collect();
        n.sort_by(f64::total_cmp);
        let mean = n.iter().sum::<f64>() / n.len().max(1) as f64;
        let median = n.get(n.len() / 2).copied().unwrap_or(0.0);
        strategies.push(StrategyResult {
            strategy,
            questions_to_ready: mean,
            median,
            reached,
        });
    }
    let samples = errors.len();
    let mean = |v: &[f64]| {
        if v.is_empty() {
            0.0
        } else {
            v.iter().sum::<f64>() / v.len() as f64
        }
    };
    let abs: Vec<f64> = errors.iter().map(|e| e.abs()).collect();
    SimReport {
        config: *cfg,
        strategies,
        readiness: Calibration {
            mae_points: mean(&abs),
            brier: mean(&briers),
            bias_points: mean(&errors),
            samples,
        },
    }
}

struct Run {
    answers_to_ready: Option<usize>,
    /// Predicted minus true score at each mock time, in points.
    errors: Vec<f64>,
    briers: Vec<f64>,
}

fn run_learner(pack: &SimPack<'_>, cfg: &SimConfig, strategy: Strategy, index: u64) -> Run {
    let learner_seed = cfg.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ index;
    let mut learner = Learner::new(pack, learner_seed);
    // Outcomes depend on the strategy's path, but every strategy meets the same learner.
    let mut rng = ChaCha8Rng::seed_from_u64(learner_seed ^ (strategy as u64 + 1) << 48);
    let n = pack.items.len();
    let n_sections = pack.weights.len();
    let mut observations: Vec<Observation> = Vec::new();
    let mut recent: Vec<usize> = Vec::new();
    let mut random_order: Vec<usize> = (0..n).collect();
    random_order.shuffle(&mut rng);
    let mut sequential: Vec<usize> = (0..n).collect();
    sequential.sort_by_key(|&i| (pack.items[i].section, i));
    let mastery_cfg = MasteryConfig::default();
    let adaptive_cfg = AdaptiveConfig::default();
    let mut run = Run {
        answers_to_ready: None,
        errors: Vec::new(),
        briers: Vec::new(),
    };
    let mut mocks: Vec<MockTaken> = Vec::new();
    for k in 0..cfg.max_answers {
        let now_ms = ((k / cfg.answers_per_day.max(1)) as i64) * 86_400_000 + k as i64 * 60_000;
        if k > 0 && k % cfg.answers_per_day.max(1) == 0 {
            learner.forget_one_day();
        }
        if strategy == Strategy::Adaptive && k > 0 && k % cfg.mock_every == 0 {
            // The learner sits a mock exam; its answers are evidence (as in pmle, where exam
            // answers are recorded) but teach nothing and do not count as practice.
            let mock = learner.mock_exam(pack, cfg.exam_questions, &mut rng);
            let drawn: Vec<usize> = mock.iter().map(|&(item, _)| item).collect();
            mocks.push(MockTaken {
                full: true,
                questions: drawn.len(),
                unseen_share: unseen_share(&drawn, &first_seen(n, &observations), now_ms),
            });
            for (item, correct) in mock {
                observations.push(Observation {
                    item,
                    at_ms: now_ms,
                    correct,
                });
            }
            let mastery = estimate(
                pack.items,
                n_sections,
                pack.n_topics,
                &observations,
                now_ms,
                &mastery_cfg,
            );
            let evidence = Evidence {
                first_answers: first_answers(pack.items, n_sections, &observations),
                mocks: mocks.clone(),
                calibration: Default::default(),
            };
            let r = predict(
                &mastery,
                pack.weights,
                cfg.exam_questions,
                cfg.target,
                &evidence,
                &ReadinessConfig::default(),
                learner_seed ^ k as u64,
            );
            let truth = learner.expected_score(pack);
            run.errors.push((r.mean - truth) * 100.0);
            let passed = learner.sit_exam(pack, cfg.exam_questions, &mut rng) >= cfg.target;
            run.briers
                .push((r.p_pass - f64::from(u8::from(passed))).powi(2));
        }
        let item = match strategy {
            Strategy::Random => random_order[k % n],
            Strategy::Sequential => sequential[k % n],
            Strategy::Adaptive => {
                let status = item_status(n, &observations);
                let mastery = estimate(
                    pack.items,
                    n_sections,
                    pack.n_topics,
                    &observations,
                    now_ms,
                    &mastery_cfg,
                );
                let ctx = Context {
                    items: pack.items,
                    status: &status,
                    mastery: &mastery,
                    weights: pack.weights,
                    recent: &recent,
                    now_ms,
                    section: None,
                    seed: learner_seed,
                };
                match next_item(&ctx, &adaptive_cfg) {
                    Some(p) => p.item,
                    None => random_order[k % n],
                }
            }
        };
        let correct = learner.answer(pack, item, &mut rng, cfg.learning);
        observations.push(Observation {
            item,
            at_ms: now_ms,
            correct,
        });
        recent.push(item);
        if recent.len() > adaptive_cfg.recent_window {
            recent.remove(0);
        }
        if run.answers_to_ready.is_none() && learner.expected_score(pack) >= cfg.target {
            run.answers_to_ready = Some(k + 1);
            if strategy != Strategy::Adaptive {
                break;
            }
        }
        if run.answers_to_ready.is_some()
            && k + 1 >= run.answers_to_ready.unwrap_or(0) + 4 * cfg.mock_every
        {
            break; // enough readiness checks around the ready point
        }
    }
    run
}

/// Exam seats per section for a simulated real exam.
pub(crate) fn seats(weights: &[f64], total: usize) -> Vec<usize> {
    allocate(weights, total)
}

/// Uniform in [0, 1).
pub(crate) fn unit(rng: &mut ChaCha8Rng) -> f64 {
    rng.random::<f64>()
}

#[cfg(test)]
mod tests;
