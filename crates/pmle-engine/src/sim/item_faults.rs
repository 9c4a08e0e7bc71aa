//! Synthetic learners answering a bank in which some questions are faulty, so that item
//! analysis can be checked against known faults: a wrong key, a dead distractor, a question
//! that does not discriminate, a question nearly everyone gets right.
//!
//! Every learner meets the same item parameters (unlike the strategy simulation, where item
//! difficulties also vary per learner), and learners do not learn between their first
//! attempts (as in one sitting of a test form): item analysis measures items, so they must be
//! the same items for everyone, measured against an ability that holds still. Repeats are
//! answered mostly from memory, so counting them would inflate the p-values.

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use super::learner::normal;
use super::{SimPack, SkillSpread, unit};
use crate::item_stats::Response;
use crate::mastery::difficulty_logit;

/// What is wrong with a simulated question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemFault {
    /// Learners who know the answer choose another option than the keyed one.
    WrongKey,
    /// One distractor is almost never chosen (attractiveness 1/200 of a normal one).
    DeadDistractor,
    /// The chance of a right answer does not depend on ability (discrimination 0).
    NoDiscrimination,
    /// Difficulty −4 logits: nearly everyone answers right.
    TooEasy,
}

impl ItemFault {
    pub const ALL: [ItemFault; 4] = [
        ItemFault::WrongKey,
        ItemFault::DeadDistractor,
        ItemFault::NoDiscrimination,
        ItemFault::TooEasy,
    ];
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ResponseSimConfig {
    pub learners: usize,
    /// Distinct live questions each learner answers (first attempts), in a random order.
    pub answers_per_learner: usize,
    /// Share of a learner's answered questions answered a second time afterwards (those
    /// answers are attempt 2 and must not count).
    pub repeat_share: f64,
    /// Share of the live items made faulty, the four faults in turn.
    pub faulty_share: f64,
    pub seed: u64,
}

impl Default for ResponseSimConfig {
    fn default() -> Self {
        ResponseSimConfig {
            learners: 600,
            answers_per_learner: 100,
            repeat_share: 0.1,
            faulty_share: 0.1,
            seed: 1,
        }
    }
}

/// One simulated question's truth.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SimItem {
    pub difficulty: f64,
    pub discrimination: f64,
    pub fault: Option<ItemFault>,
    /// What a learner who knows the answer chooses (the key, except under `WrongKey`).
    pub true_answer: Vec<u8>,
    /// Relative chance of each option being chosen by a learner who does not know.
    pub attractiveness: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SimResponses {
    pub items: Vec<SimItem>,
    /// In answering order; `learner` is the learner's index.
    pub responses: Vec<Response>,
}

/// Chance that a repeat is answered right from memory, whatever the learner's ability.
const REPEAT_RECALL: f64 = 0.9;

/// The learners' skills: one overall level with small topic deviations, so that an item's
/// discrimination shows against overall ability.
const SPREAD: SkillSpread = SkillSpread {
    mean: 0.0,
    base_sd: 1.0,
    topic_sd: 0.3,
};

/// Draw the items' truths (faults included) and let `cfg.learners` learners answer.
/// `keys[i]` holds the keyed options of item `i`.
pub fn simulate_responses(
    pack: &SimPack<'_>,
    keys: &[Vec<u8>],
    cfg: &ResponseSimConfig,
) -> SimResponses {
    let n = pack.items.len();
    let mut rng = ChaCha8Rng::seed_from_u64(cfg.seed ^ 0x17e3_a5a1_0000_0000);
    // Retired questions are never drawn, so nobody answers them.
    let live: Vec<usize> = (0..n).filter(|&i| !pack.items[i].retired).collect();
    let mut order = live.clone();
    order.shuffle(&mut rng);
    let faulty = ((live.len() as f64) * cfg.faulty_share).round() as usize;
    let mut fault = vec![None; n];
    for (k, &i) in order.iter().take(faulty).enumerate() {
        fault[i] = Some(ItemFault::ALL[k % ItemFault::ALL.len()]);
    }
    let items: Vec<SimItem> = (0..n)
        .map(|i| truth(pack, keys, i, fault[i], &mut rng))
        .collect();
    let difficulty: Vec<f64> = items.iter().map(|t| t.difficulty).collect();
    let discrimination: Vec<f64> = items.iter().map(|t| t.discrimination).collect();
    let mut responses = Vec::new();
    for l in 0..cfg.learners {
        let seed = cfg.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (l as u64) << 1;
        let learner = super::Learner::with_items(pack, seed, SPREAD, &difficulty, &discrimination);
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed);
        let mut mine = live.clone();
        mine.shuffle(&mut rng);
        mine.truncate(cfg.answers_per_learner);
        let repeats = ((mine.len() as f64) * cfg.repeat_share).round() as usize;
        let again: Vec<usize> = mine.iter().take(repeats).copied().collect();
        for (attempt, list) in [(1, &mine), (2, &again)] {
            for &i in list {
                let p = learner.p(pack, i);
                // A repeat is answered from memory as often as not (the failure mode of
                // the strategy simulation): it must not count.
                let p = if attempt == 1 {
                    p
                } else {
                    REPEAT_RECALL + (1.0 - REPEAT_RECALL) * p
                };
                let knows = unit(&mut rng) < p;
                let chosen = choose(&items[i], pack.choose[i], knows, &mut rng);
                let mut key = keys[i].clone();
                key.sort_unstable();
                responses.push(Response {
                    learner: l as u32,
                    item: i,
                    correct: chosen == key,
                    chosen,
                    duration_ms: Some(20_000 + (unit(&mut rng) * 80_000.0) as u32),
                    attempt,
                });
            }
        }
    }
    SimResponses { items, responses }
}

fn truth(
    pack: &SimPack<'_>,
    keys: &[Vec<u8>],
    i: usize,
    fault: Option<ItemFault>,
    rng: &mut ChaCha8Rng,
) -> SimItem {
    let it = pack.items[i];
    let options = it.options.max(2);
    let key = &keys[i];
    let distractors: Vec<u8> = (0..options).filter(|o| !key.contains(o)).collect();
    let mut attractiveness: Vec<f64> = (0..options).map(|_| 0.5 + unit(rng)).collect();
    // Sound items stay within −0.6 to 1.6 logits, where the learners get them right less
    // than 80% of the time: a sound item is never too easy.
    let mut difficulty =
        (difficulty_logit(it.difficulty) + 0.4 + 0.4 * normal(rng)).clamp(-0.6, 1.6);
    // Sound items discriminate clearly (a from 1 to 2); borderline items are a judgement
    // call that a simulation cannot settle.
    let mut discrimination = 1.0 + unit(rng);
    let mut true_answer = key.clone();
    // The first distractor takes the fault's part.
    let d = distractors.first().copied();
    match (fault, d) {
        (Some(ItemFault::WrongKey), Some(d)) => {
            true_answer[0] = d;
        }
        (Some(ItemFault::DeadDistractor), Some(d)) => attractiveness[usize::from(d)] = 0.005,
        (Some(ItemFault::NoDiscrimination), _) => discrimination = 0.0,
        (Some(ItemFault::TooEasy), _) => difficulty = -4.0,
        _ => {}
    }
    true_answer.sort_unstable();
    SimItem {
        difficulty,
        discrimination,
        fault,
        true_answer,
        attractiveness,
    }
}

/// The options a learner picks: the true answer when they know it, otherwise `choose`
/// options drawn by attractiveness that are not the true answer.
fn choose(item: &SimItem, choose: u8, knows: bool, rng: &mut ChaCha8Rng) -> Vec<u8> {
    if knows {
        return item.true_answer.clone();
    }
    let k = usize::from(choose.max(1)).min(item.attractiveness.len() - 1);
    for _ in 0..50 {
        let mut pool: Vec<(u8, f64)> = item
            .attractiveness
            .iter()
            .enumerate()
            .map(|(o, &w)| (o as u8, w))
            .collect();
        let mut picked = Vec::with_capacity(k);
        for _ in 0..k {
            let total: f64 = pool.iter().map(|p| p.1).sum();
            let mut x = unit(rng) * total;
            let mut at = pool.len() - 1;
            for (j, p) in pool.iter().enumerate() {
                if x < p.1 {
                    at = j;
                    break;
                }
                x -= p.1;
            }
            picked.push(pool.remove(at).0);
        }
        picked.sort_unstable();
        if picked != item.true_answer {
            return picked;
        }
    }
    // Fifty draws all gave the true answer (only when the others are nearly dead): take
    // the least attractive other set, the first non-answer options.
    let mut other: Vec<u8> = (0..item.attractiveness.len() as u8)
        .filter(|o| !item.true_answer.contains(o))
        .take(k)
        .collect();
    other.sort_unstable();
    other
}

#[cfg(test)]
mod tests;
