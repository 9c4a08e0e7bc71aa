//! Synthetic learners that grade the engine.
//!
//! Each learner has a hidden skill per topic and answers the real pack's questions under a
//! model deliberately unlike the engine's own estimator: two-parameter logistic items with a
//! guessing floor (¼ for single select, 1/10 for choose-two), item difficulties that differ
//! from the authored 1–3 labels, learning that is larger after a likely miss and spills over
//! to the rest of the section, and forgetting toward the starting skill. What goes wrong in
//! real use is modelled too, each a [`SimConfig`] parameter: learners who memorise the
//! questions they have seen, difficulty labels that are a level off, a real exam harder than
//! the bank by a margin the engine is not told, and learners who stop early. Strategies are
//! compared on the number of answers until the learner's *true* expected real-exam score
//! reaches the target; the readiness estimate is graded against that true score at
//! mock-exam times (error, bias, interval coverage, false "likely ready" verdicts).

mod checks;
mod item_faults;
mod learner;

use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::adaptive::{AdaptiveConfig, Context, next_item};
use crate::exam::{Pool, allocate, assemble};
use crate::items::{ItemMeta, Observation, item_status};
use crate::mastery::{MasteryConfig, estimate};
use crate::readiness::{
    Evidence, MockTaken, ReadinessConfig, Verdict, first_answers, first_seen, predict, unseen_share,
};
pub use checks::{Calibration, Check, grade};
pub use item_faults::{ItemFault, ResponseSimConfig, SimItem, SimResponses, simulate_responses};
pub use learner::{Learner, SkillSpread, pass_chance};

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
    /// True expected real-exam score that counts as ready (0–1).
    pub target: f64,
    /// A learner who has not reached the target after this many answers stops (censored).
    pub max_answers: usize,
    pub answers_per_day: usize,
    /// Readiness is checked against the truth every this many answers.
    pub mock_every: usize,
    pub exam_questions: usize,
    pub learning: LearningModel,
    /// Share of learners who memorise the questions they have seen.
    pub memorise_share: f64,
    /// Chance that a memoriser answers a question already seen right from memory,
    /// whatever their ability.
    pub recall: f64,
    /// Share of items whose authored difficulty label is one level off their true level.
    pub mislabelled_share: f64,
    /// The real exam's items are `U(0, exam_shift_max)` logits harder than the bank's,
    /// drawn per learner: a margin the engine is not told.
    pub exam_shift_max: f64,
    /// Share of learners who stop practising early, at a point drawn uniformly between
    /// `mock_every` and half of `max_answers`.
    pub stop_early_share: f64,
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
            memorise_share: 0.5,
            recall: 0.9,
            mislabelled_share: 0.2,
            exam_shift_max: 1.0,
            stop_early_share: 0.2,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct StrategyResult {
    pub strategy: Strategy,
    /// Mean answers until the true expected real-exam score reaches the target, over the
    /// learners who did not stop early (censored learners count `max_answers`).
    pub questions_to_ready: f64,
    pub median: f64,
    /// Learners (of those who did not stop early) who reached the target within
    /// `max_answers`.
    pub reached: usize,
    /// Learners who stopped early; they count only in the readiness checks.
    pub stopped_early: usize,
    /// The readiness estimate at this strategy's mock-exam checks.
    pub readiness: Calibration,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SimReport {
    pub config: SimConfig,
    pub strategies: Vec<StrategyResult>,
    /// Items whose authored label differs from their true level.
    pub mislabelled_items: usize,
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

/// The items' true levels: a `share` of the items are one level off their label (a label
/// 1 or 3 is really 2; a label 2 is really 1 or 3), drawn from `seed`.
pub fn true_levels(items: &[ItemMeta], share: f64, seed: u64) -> Vec<u8> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x1abe_1ed0_0000_0000);
    items
        .iter()
        .map(|it| {
            let wrong = unit(&mut rng) < share;
            let up = unit(&mut rng) < 0.5;
            match (wrong, it.difficulty) {
                (false, d) => d,
                (true, 1) | (true, 3) => 2,
                (true, _) => {
                    if up {
                        3
                    } else {
                        1
                    }
                }
            }
        })
        .collect()
}

pub fn simulate(pack: &SimPack<'_>, cfg: &SimConfig) -> SimReport {
    let levels = true_levels(pack.items, cfg.mislabelled_share, cfg.seed);
    let mislabelled_items = levels
        .iter()
        .zip(pack.items)
        .filter(|(l, it)| **l != it.difficulty)
        .count();
    let mut strategies = Vec::new();
    for strategy in Strategy::ALL {
        let mut counts = Vec::with_capacity(cfg.learners);
        let mut checks = Vec::new();
        let mut stopped_early = 0;
        for l in 0..cfg.learners {
            let run = run_learner(pack, cfg, &levels, strategy, l as u64);
            checks.extend(run.checks);
            if run.stopped_early {
                stopped_early += 1;
            } else {
                counts.push(run.answers_to_ready);
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
            stopped_early,
            readiness: grade(&checks),
        });
    }
    SimReport {
        config: *cfg,
        strategies,
        mislabelled_items,
    }
}

struct Run {
    answers_to_ready: Option<usize>,
    stopped_early: bool,
    checks: Vec<Check>,
}

/// What goes wrong for one learner, the same whatever the strategy.
struct Faults {
    recall: f64,
    shift: f64,
    stop_at: Option<usize>,
}

fn faults(cfg: &SimConfig, learner_seed: u64) -> Faults {
    let mut rng = ChaCha8Rng::seed_from_u64(learner_seed ^ 0xfa17_5000_0000_0000);
    let memorises = unit(&mut rng) < cfg.memorise_share;
    let shift = unit(&mut rng) * cfg.exam_shift_max;
    let stops = unit(&mut rng) < cfg.stop_early_share;
    let latest = (cfg.max_answers / 2).max(cfg.mock_every);
    let stop_at = cfg.mock_every + (unit(&mut rng) * (latest - cfg.mock_every) as f64) as usize;
    Faults {
        recall: if memorises { cfg.recall } else { 0.0 },
        shift,
        stop_at: stops.then_some(stop_at.min(cfg.max_answers)),
    }
}

fn run_learner(
    pack: &SimPack<'_>,
    cfg: &SimConfig,
    levels: &[u8],
    strategy: Strategy,
    index: u64,
) -> Run {
    let learner_seed = cfg.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ index;
    let faults = faults(cfg, learner_seed);
    let mut learner = Learner::in_world(pack, learner_seed, levels, faults.recall);
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
        stopped_early: faults.stop_at.is_some(),
        checks: Vec::new(),
    };
    // Each mock exam as taken, with when it was taken and how many answers preceded it;
    // its age and the answers since are worked out at each check.
    let mut mocks: Vec<(MockTaken, i64, usize)> = Vec::new();
    let last = faults.stop_at.unwrap_or(cfg.max_answers);
    for k in 0..last {
        let now_ms = ((k / cfg.answers_per_day.max(1)) as i64) * 86_400_000 + k as i64 * 60_000;
        if k > 0 && k % cfg.answers_per_day.max(1) == 0 {
            learner.forget_one_day();
        }
        if k > 0 && k % cfg.mock_every == 0 {
            // The learner sits a mock exam; its answers are evidence (as in pmle, where exam
            // answers are recorded) but teach nothing and do not count as practice.
            // Drawn as pmle draws a full mock exam: unseen questions first.
            let drawn = assemble(
                pack.items,
                &item_status(n, &observations),
                pack.weights,
                cfg.exam_questions,
                Pool::All,
                learner_seed ^ (k as u64) << 20,
            )
            .items;
            let unseen = unseen_share(&drawn, &first_seen(n, &observations), now_ms);
            let mock = learner.mock_exam(pack, &drawn, &mut rng);
            let right = mock.iter().filter(|(_, c)| *c).count();
            for (item, correct) in mock {
                observations.push(Observation {
                    item,
                    at_ms: now_ms,
                    correct,
                });
            }
            mocks.push((
                MockTaken {
                    full: true,
                    questions: drawn.len(),
                    unseen_share: unseen,
                    score: right as f64 / drawn.len().max(1) as f64,
                    age_days: 0.0,
                    answers_since: 0,
                },
                now_ms,
                observations.len(),
            ));
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
                mocks: mocks
                    .iter()
                    .map(|&(m, at, before)| MockTaken {
                        age_days: (now_ms - at) as f64 / 86_400_000.0,
                        answers_since: (observations.len() - before) as u32,
                        ..m
                    })
                    .collect(),
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
            let exam_score = learner.sit_exam(pack, faults.shift, cfg.exam_questions, &mut rng);
            run.checks.push(Check {
                mean: r.mean,
                low: r.low,
                high: r.high,
                p_pass: r.p_pass,
                likely_ready: r.verdict == Verdict::LikelyReady,
                truth: learner.expected_exam_score(pack, faults.shift),
                exam_score,
                true_p_pass: learner.pass_probability(
                    pack,
                    faults.shift,
                    cfg.exam_questions,
                    cfg.target,
                ),
                passed: exam_score >= cfg.target,
            });
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
        if run.answers_to_ready.is_none()
            && learner.expected_exam_score(pack, faults.shift) >= cfg.target
        {
            run.answers_to_ready = Some(k + 1);
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
