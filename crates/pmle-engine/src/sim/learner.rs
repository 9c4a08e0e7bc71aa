//! One synthetic learner: hidden skills, the items' true parameters, learning and forgetting,
//! and (optionally) recall of questions already seen.

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
    /// Items this learner has answered (practice or mock exam).
    seen: Vec<bool>,
    /// Chance that a memoriser answers a seen item right from memory (0 = no memorising).
    recall: f64,
}

/// How a learner's hidden skills are drawn: an overall level `N(mean, base_sd²)`, and each
/// topic's skill that level plus `N(0, topic_sd²)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SkillSpread {
    pub mean: f64,
    pub base_sd: f64,
    pub topic_sd: f64,
}

pub(crate) fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1 = unit(rng).max(f64::MIN_POSITIVE);
    let u2 = unit(rng);
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

impl Learner {
    /// A learner whose items' true difficulties follow their authored labels (plus noise),
    /// who does not memorise.
    pub fn new(pack: &SimPack<'_>, seed: u64) -> Learner {
        let labels: Vec<u8> = pack.items.iter().map(|it| it.difficulty).collect();
        Learner::in_world(pack, seed, &labels, 0.0)
    }

    /// A learner in a world where item `i`'s true level is `true_labels[i]` (which may
    /// differ from the label the engine sees), and who answers a seen item right with
    /// probability at least `recall` (0 for a learner who does not memorise).
    pub fn in_world(pack: &SimPack<'_>, seed: u64, true_labels: &[u8], recall: f64) -> Learner {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let base = -0.6 + 0.6 * normal(&mut rng);
        let skill: Vec<f64> = (0..pack.n_topics)
            .map(|_| base + 0.9 * normal(&mut rng))
            .collect();
        let difficulty = pack
            .items
            .iter()
            .enumerate()
            .map(|(i, it)| {
                let level = true_labels.get(i).copied().unwrap_or(it.difficulty);
                1.3 * difficulty_logit(level) + 0.6 * normal(&mut rng)
            })
            .collect();
        let discrimination = pack
            .items
            .iter()
            .map(|_| 0.7 + 0.9 * unit(&mut rng))
            .collect();
        Learner::from_parts(pack, skill, difficulty, discrimination, recall)
    }

    /// A learner (who does not memorise) whose skills are drawn from `seed` with `spread`,
    /// in a world where every learner meets the same item parameters (item analysis needs
    /// items that are the same for everyone).
    pub fn with_items(
        pack: &SimPack<'_>,
        seed: u64,
        spread: SkillSpread,
        difficulty: &[f64],
        discrimination: &[f64],
    ) -> Learner {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let base = spread.mean + spread.base_sd * normal(&mut rng);
        let skill: Vec<f64> = (0..pack.n_topics)
            .map(|_| base + spread.topic_sd * normal(&mut rng))
            .collect();
        Learner::from_parts(
            pack,
            skill,
            difficulty.to_vec(),
            discrimination.to_vec(),
            0.0,
        )
    }

    fn from_parts(
        pack: &SimPack<'_>,
        skill: Vec<f64>,
        difficulty: Vec<f64>,
        discrimination: Vec<f64>,
        recall: f64,
    ) -> Learner {
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
            seen: vec![false; pack.items.len()],
            recall: recall.clamp(0.0, 1.0),
        }
    }

    /// True probability of answering item `i` correctly now by ability alone, on an exam
    /// whose items are `shift` logits harder than the bank's.
    pub fn p_shifted(&self, pack: &SimPack<'_>, i: usize, shift: f64) -> f64 {
        let it = pack.items[i];
        let guess = if pack.choose[i] <= 1 { 0.25 } else { 0.1 };
        let s = self.skill.get(it.topic).copied().unwrap_or(0.0);
        guess + (1.0 - guess) * sigmoid(self.discrimination[i] * (s - self.difficulty[i] - shift))
    }

    /// True probability of answering bank item `i` correctly now by ability alone.
    pub fn p(&self, pack: &SimPack<'_>, i: usize) -> f64 {
        self.p_shifted(pack, i, 0.0)
    }

    /// Probability of answering bank item `i` right now, memory included: a memoriser
    /// answers an item already seen right with probability at least `recall`.
    pub fn p_answer(&self, pack: &SimPack<'_>, i: usize) -> f64 {
        let p = self.p(pack, i);
        if self.seen[i] {
            self.recall + (1.0 - self.recall) * p
        } else {
            p
        }
    }

    /// Answer item `i`, then learn from its explanation. Learning follows the ability
    /// alone: an answer recalled from memory teaches what the question would have taught.
    pub fn answer(
        &mut self,
        pack: &SimPack<'_>,
        i: usize,
        rng: &mut ChaCha8Rng,
        model: LearningModel,
    ) -> bool {
        let p = self.p(pack, i);
        let correct = unit(rng) < self.p_answer(pack, i);
        self.seen[i] = true;
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

    /// Per section, the mean true success over the section's items on an exam `shift`
    /// logits harder than the bank (`None` for a section without items).
    fn section_means(&self, pack: &SimPack<'_>, shift: f64) -> Vec<Option<f64>> {
        let n_sections = pack.weights.len();
        let mut sum = vec![0.0; n_sections];
        let mut count = vec![0usize; n_sections];
        for i in 0..pack.items.len() {
            let s = pack.items[i].section;
            if s < n_sections {
                sum[s] += self.p_shifted(pack, i, shift);
                count[s] += 1;
            }
        }
        (0..n_sections)
            .map(|s| (count[s] > 0).then(|| sum[s] / count[s] as f64))
            .collect()
    }

    /// True expected score on the practice bank: blueprint-weighted mean success.
    pub fn expected_score(&self, pack: &SimPack<'_>) -> f64 {
        self.expected_exam_score(pack, 0.0)
    }

    /// True expected score on a real exam whose items are `shift` logits harder than the
    /// bank's, answered by ability alone (its questions are new to the learner).
    pub fn expected_exam_score(&self, pack: &SimPack<'_>, shift: f64) -> f64 {
        let mut total = 0.0;
        let mut weight = 0.0;
        for (s, m) in self.section_means(pack, shift).iter().enumerate() {
            if let Some(m) = m {
                total += pack.weights[s] * m;
                weight += pack.weights[s];
            }
        }
        if weight == 0.0 { 0.0 } else { total / weight }
    }

    /// True chance of scoring at least `target` on a `questions`-question real exam
    /// `shift` logits harder than the bank, with the blueprint's seats per section.
    pub fn pass_probability(
        &self,
        pack: &SimPack<'_>,
        shift: f64,
        questions: usize,
        target: f64,
    ) -> f64 {
        let means = self.section_means(pack, shift);
        let counts = seats(pack.weights, questions);
        let per_seat: Vec<f64> = counts
            .iter()
            .enumerate()
            .flat_map(|(s, &k)| means[s].map(|m| std::iter::repeat_n(m, k)))
            .flatten()
            .collect();
        pass_chance(&per_seat, target)
    }

    /// Score on one simulated real exam `shift` logits harder than the bank (new
    /// questions: no memory, no learning).
    pub fn sit_exam(
        &self,
        pack: &SimPack<'_>,
        shift: f64,
        questions: usize,
        rng: &mut ChaCha8Rng,
    ) -> f64 {
        let drawn = draw_exam(pack, questions, rng);
        let right = drawn
            .iter()
            .filter(|&&i| unit(rng) < self.p_shifted(pack, i, shift))
            .count();
        if drawn.is_empty() {
            0.0
        } else {
            right as f64 / drawn.len() as f64
        }
    }

    /// Sit a mock exam of the `drawn` bank items (memory counts, nothing is learnt):
    /// `(item, correct)` pairs. Its items are seen afterwards.
    pub fn mock_exam(
        &mut self,
        pack: &SimPack<'_>,
        drawn: &[usize],
        rng: &mut ChaCha8Rng,
    ) -> Vec<(usize, bool)> {
        let out: Vec<(usize, bool)> = drawn
            .iter()
            .map(|&i| (i, unit(rng) < self.p_answer(pack, i)))
            .collect();
        for &i in drawn {
            self.seen[i] = true;
        }
        out
    }
}

/// Items of one exam drawn by blueprint weight, with replacement within a section.
fn draw_exam(pack: &SimPack<'_>, questions: usize, rng: &mut ChaCha8Rng) -> Vec<usize> {
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
            out.push(pool[(unit(rng) * pool.len() as f64) as usize % pool.len()]);
        }
    }
    out
}

/// Chance that independent questions with success chances `p` give a score (share right)
/// of at least `target`: the exact Poisson-binomial distribution.
pub fn pass_chance(p: &[f64], target: f64) -> f64 {
    if p.is_empty() {
        return if target <= 0.0 { 1.0 } else { 0.0 };
    }
    let mut dist = vec![1.0];
    for &q in p {
        let mut next = vec![0.0; dist.len() + 1];
        for (k, &d) in dist.iter().enumerate() {
            next[k] += d * (1.0 - q);
            next[k + 1] += d * q;
        }
        dist = next;
    }
    let n = p.len() as f64;
    dist.iter()
        .enumerate()
        .filter(|(k, _)| *k as f64 / n >= target - 1e-12)
        .map(|(_, d)| d)
        .sum()
}
