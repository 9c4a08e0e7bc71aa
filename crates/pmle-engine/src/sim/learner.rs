//! One synthetic learner: hidden skills, the items' true parameters, learning and forgetting.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::{LearningModel, SimPack, seats, unit};
use crate::mastery::{difficulty_logit, sigmoid};

/// Learning rate per answer, in logits.
const LEARN: f64 = 0.22;
/// Share of a gain that spills to the other topics of the same section.
const TRANSFER: f64 = 0.25;
/// Gains fade toward the starting skill with this time constant (days).
const FORGET_DAYS: f64 = 60.0;

pub struct Learner {
    skill: Vec<f64>,
    start: Vec<f64>,
    /// True difficulty and discrimination of every item for this learner's world.
    difficulty: Vec<f64>,
    discrimination: Vec<f64>,
    topic_section: Vec<usize>,
}

fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1 = unit(rng).max(f64::MIN_POSITIVE);
    let u2 = unit(rng);
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

impl Learner {
    pub fn new(pack: &SimPack<'_>, seed: u64) -> Learner {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let base = -0.6 + 0.6 * normal(&mut rng);
        let skill: Vec<f64> = (0..pack.n_topics)
            .map(|_| base + 0.9 * normal(&mut rng))
            .collect();
        let difficulty = pack
            .items
            .iter()
            .map(|it| 1.3 * difficulty_logit(it.difficulty) + 0.6 * normal(&mut rng))
            .collect();
        let discrimination = pack
            .items
            .iter()
            .map(|_| 0.7 + 0.9 * unit(&mut rng))
            .collect();
        let mut topic_section = vec![usize::MAX; pack.n_topics];
        for it in pack.items {
            if let Some(slot) = topic_section.get_mut(it.topic)
                && *slot == usize::MAX
            {
                *slot = it.section;
            }
        }
        Learner {
            start: skill.clone(),
            skill,
            difficulty,
            discrimination,
            topic_section,
        }
    }

    /// True probability of answering item `i` correctly now.
    pub fn p(&self, pack: &SimPack<'_>, i: usize) -> f64 {
        let it = pack.items[i];
        let guess = if pack.choose[i] <= 1 { 0.25 } else { 0.1 };
        let s = self.skill.get(it.topic).copied().unwrap_or(0.0);
        guess + (1.0 - guess) * sigmoid(self.discrimination[i] * (s - self.difficulty[i]))
    }

    /// Answer item `i`, then learn from its explanation.
    pub fn answer(
        &mut self,
        pack: &SimPack<'_>,
        i: usize,
        rng: &mut ChaCha8Rng,
        model: LearningModel,
    ) -> bool {
        let p = self.p(pack, i);
        let correct = unit(rng) < p;
        let gain = LEARN
            * match model {
                // Most is learnt from questions within reach: 4p(1−p) peaks at p = ½.
                LearningModel::WithinReach => 4.0 * p * (1.0 - p),
                // Most is learnt from the questions most likely to be missed.
                LearningModel::Hardest => (1.0 - p) * if correct { 0.6 } else { 1.0 },
            };
        let topic = pack.items[i].topic;
        let section = self.topic_section.get(topic).copied();
        for t in 0..self.skill.len() {
            if t == topic {
                self.skill[t] += gain;
            } else if section.is_some() && self.topic_section[t] == section.unwrap_or(usize::MAX) {
                self.skill[t] += TRANSFER * gain;
            }
        }
        correct
    }

    pub fn forget_one_day(&mut self) {
        let keep = (-1.0 / FORGET_DAYS).exp();
        for (s, s0) in self.skill.iter_mut().zip(&self.start) {
            if *s > *s0 {
                *s = s0 + (*s - s0) * keep;
            }
        }
    }

    /// True expected exam score: blueprint-weighted mean success over each section's items.
    pub fn expected_score(&self, pack: &SimPack<'_>) -> f64 {
        let n_sections = pack.weights.len();
        let mut sum = vec![0.0; n_sections];
        let mut count = vec![0usize; n_sections];
        for i in 0..pack.items.len() {
            let s = pack.items[i].section;
            sum[s] += self.p(pack, i);
            count[s] += 1;
        }
        let mut total = 0.0;
        let mut weight = 0.0;
        for s in 0..n_sections {
            if count[s] > 0 {
                total += pack.weights[s] * sum[s] / count[s] as f64;
                weight += pack.weights[s];
            }
        }
        if weight == 0.0 { 0.0 } else { total / weight }
    }

    /// Score on one simulated real exam (answers drawn without learning).
    pub fn sit_exam(&self, pack: &SimPack<'_>, questions: usize, rng: &mut ChaCha8Rng) -> f64 {
        let answers = self.mock_exam(pack, questions, rng);
        let right = answers.iter().filter(|(_, ok)| *ok).count();
        if answers.is_empty() {
            0.0
        } else {
            right as f64 / answers.len() as f64
        }
    }

    /// Answer an exam drawn by blueprint weight (no learning): `(item, correct)` pairs.
    pub fn mock_exam(
        &self,
        pack: &SimPack<'_>,
        questions: usize,
        rng: &mut ChaCha8Rng,
    ) -> Vec<(usize, bool)> {
        let counts = seats(pack.weights, questions);
        let mut out = Vec::with_capacity(questions);
        for (s, &k) in counts.iter().enumerate() {
            let pool: Vec<usize> = (0..pack.items.len())
                .filter(|&i| pack.items[i].section == s)
                .collect();
            if pool.is_empty() {
                continue;
            }
            for _ in 0..k {
                let i = pool[(unit(rng) * pool.len() as f64) as usize % pool.len()];
                out.push((i, unit(rng) < self.p(pack, i)));
            }
        }
        out
    }
}
