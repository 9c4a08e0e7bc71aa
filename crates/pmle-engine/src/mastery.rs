//! Mastery: the probability of answering an unseen question of a section or topic correctly,
//! with its uncertainty.
//!
//! A one-parameter logistic (Rasch) model with a hierarchical Gaussian prior
//! (learner → section → topic), fitted by a Laplace approximation, with evidence that fades
//! with age. The equations and the reasons for this choice are in `docs/engine.md`.

use crate::items::{ItemMeta, MS_PER_DAY, Observation};

/// Tunables of the mastery model; the defaults are the ones documented in docs/engine.md.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MasteryConfig {
    /// Evidence loses half its weight after this many days (forgetting).
    pub half_life_days: f64,
    /// Evidence also loses half its weight after this many later answers in the same section:
    /// a learner who is studying changes faster than the calendar says (learning, not only
    /// forgetting).
    pub half_life_answers: f64,
    /// Weight of a repeat attempt at a question already answered (memory, not skill). It
    /// compounds: the k-th repeat counts `repeat_weight^k` (k capped at 3), because each
    /// earlier sight of the same question makes the answer more a memory of it.
    pub repeat_weight: f64,
    /// Prior on overall ability before any answer: mean and standard deviation (logits).
    pub prior_mean: f64,
    pub prior_sd: f64,
    /// How far a section may sit from overall ability, and a topic from its section.
    pub section_sd: f64,
    pub topic_sd: f64,
    /// Uncertainty (logits) of a difficulty taken from an authored label, and from a label
    /// a blind review confirmed. Measured difficulties carry their own standard error.
    pub label_sd: f64,
    pub reviewed_label_sd: f64,
}

impl Default for MasteryConfig {
    fn default() -> Self {
        MasteryConfig {
            half_life_days: 45.0,
            half_life_answers: 60.0,
            repeat_weight: 0.5,
            prior_mean: 0.2,
            prior_sd: 1.2,
            section_sd: 0.8,
            topic_sd: 0.6,
            label_sd: 0.6,
            reviewed_label_sd: 0.4,
        }
    }
}

/// Item difficulty on the logit scale for authored difficulty 1, 2, 3.
pub fn difficulty_logit(d: u8) -> f64 {
    match d {
        1 => -0.8,
        2 => 0.0,
        _ => 0.8,
    }
}

pub fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// A Gaussian belief about an ability (logits).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Belief {
    pub mean: f64,
    pub var: f64,
    /// Sum of evidence weights behind it (0 = prior only).
    pub evidence: f64,
}

impl Belief {
    /// Expected probability of a correct answer to an item of logit difficulty `b`,
    /// integrating over the belief (probit approximation).
    pub fn p_correct(&self, b: f64) -> f64 {
        self.p_correct_2pl(b, 1.0)
    }

    /// The same for an item of discrimination `a`: σ(a(θ − b)) over the belief.
    pub fn p_correct_2pl(&self, b: f64, a: f64) -> f64 {
        sigmoid(a * (self.mean - b) / (1.0 + std::f64::consts::PI * a * a * self.var / 8.0).sqrt())
    }

    /// The same with a guessing floor `c`: P = c + (1 − c)·σ(θ − b).
    pub fn p_correct_guessing(&self, b: f64, c: f64) -> f64 {
        c + (1.0 - c) * self.p_correct(b)
    }

    /// The 80% interval of that probability (ability at ±1.2816 sd).
    pub fn p_interval(&self, b: f64) -> (f64, f64) {
        let sd = self.var.sqrt();
        (
            sigmoid(self.mean - 1.2816 * sd - b),
            sigmoid(self.mean + 1.2816 * sd - b),
        )
    }
}

/// Mastery of one section or topic, as shown to the learner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mastery {
    pub belief: Belief,
    /// Probability of answering an unseen question correctly (over the pack's difficulty mix).
    pub p: f64,
    pub low: f64,
    pub high: f64,
}

/// The learner's mastery everywhere.
#[derive(Debug, Clone, PartialEq)]
pub struct MasteryModel {
    pub overall: Belief,
    pub sections: Vec<Mastery>,
    pub topics: Vec<Mastery>,
}

/// One weighted observation reduced to what the likelihood needs.
#[derive(Clone, Copy)]
struct Point {
    b: f64,
    /// Discrimination.
    a: f64,
    /// Chance that a blind guess is right.
    c: f64,
    y: f64,
    w: f64,
}

/// One distinct question answered, for the belief's variance: `m` is the weight of its
/// heaviest answer (a question counts once, however often it was repeated), `w2` the square
/// of its total weight and `v` the variance of its difficulty.
#[derive(Clone, Copy)]
struct Distinct {
    b: f64,
    a: f64,
    c: f64,
    m: f64,
    w2: f64,
    v: f64,
}

/// P(right) and the Fisher information about θ of one item at ability `theta`.
fn p_and_info(theta: f64, b: f64, a: f64, c: f64) -> (f64, f64, f64) {
    let s = sigmoid(a * (theta - b));
    let p = (c + (1.0 - c) * s).clamp(1e-9, 1.0 - 1e-9);
    let dp = (1.0 - c) * a * s * (1.0 - s);
    (p, dp, dp * dp / (p * (1.0 - p)))
}

/// Maximise the weighted Bernoulli log-likelihood of the guessing model plus a Gaussian
/// prior (Fisher scoring). The variance at the maximum counts each distinct question once
/// (repeats move the mean, but are not new evidence), and adds what the difficulties'
/// uncertainty does to the fitted ability: a difficulty off by `e` moves the estimate by
/// `w·J·e / curvature`, and those errors do not average away within one learner's answers.
fn fit(points: &[Point], distinct: &[Distinct], prior_mean: f64, prior_var: f64) -> Belief {
    // The likelihood depends on a point only through (b, a, c, y): merge equal ones by
    // adding their weights, so the Newton loop runs over a handful of groups.
    let mut groups: Vec<Point> = Vec::new();
    for pt in points {
        match groups
            .iter_mut()
            .find(|g| g.b == pt.b && g.a == pt.a && g.c == pt.c && g.y == pt.y)
        {
            Some(g) => g.w += pt.w,
            None => groups.push(*pt),
        }
    }
    let mut theta = prior_mean;
    let evidence: f64 = groups.iter().map(|p| p.w).sum();
    let mut curvature = 1.0 / prior_var;
    for _ in 0..30 {
        let mut grad = -(theta - prior_mean) / prior_var;
        curvature = 1.0 / prior_var;
        for pt in &groups {
            let (p, dp, info) = p_and_info(theta, pt.b, pt.a, pt.c);
            grad += pt.w * (pt.y - p) * dp / (p * (1.0 - p));
            curvature += pt.w * info;
        }
        let step = (grad / curvature).clamp(-2.0, 2.0);
        theta += step;
        if step.abs() < 1e-7 {
            break;
        }
    }
    let mut distinct_curvature = 1.0 / prior_var;
    let mut label_var = 0.0;
    for d in distinct {
        let (_, _, info) = p_and_info(theta, d.b, d.a, d.c);
        distinct_curvature += d.m * info;
        label_var += d.w2 * info * info * d.v;
    }
    Belief {
        mean: theta,
        var: 1.0 / distinct_curvature.min(curvature) + label_var / (curvature * curvature),
        evidence,
    }
}

/// Mastery per section and topic from `observations` (any order) at time `now_ms`.
pub fn estimate(
    items: &[ItemMeta],
    n_sections: usize,
    n_topics: usize,
    observations: &[Observation],
    now_ms: i64,
    cfg: &MasteryConfig,
) -> MasteryModel {
    let mut by_item_seen = vec![0u32; items.len()];
    let mut sorted: Vec<&Observation> = observations
        .iter()
        .filter(|o| o.item < items.len())
        .collect();
    sorted.sort_by_key(|o| o.at_ms);
    let mut per_section: Vec<Vec<Point>> = vec![Vec::new(); n_sections];
    let mut per_topic: Vec<Vec<Point>> = vec![Vec::new(); n_topics];
    let mut all = Vec::with_capacity(sorted.len());
    // How many answers in the same section came after each answer.
    let mut later = vec![0u32; sorted.len()];
    let mut seen_after = vec![0u32; n_sections];
    for (k, o) in sorted.iter().enumerate().rev() {
        if let Some(c) = seen_after.get_mut(items[o.item].section) {
            later[k] = *c;
            *c += 1;
        }
    }
    // Per item: the total weight of its answers and the weight of the heaviest one.
    let mut item_weight = vec![(0.0f64, 0.0f64); items.len()];
    for (k, o) in sorted.into_iter().enumerate() {
        let meta = items[o.item];
        let age_days = ((now_ms - o.at_ms) as f64 / MS_PER_DAY).max(0.0);
        let mut w = 0.5f64
            .powf(age_days / cfg.half_life_days + f64::from(later[k]) / cfg.half_life_answers);
        let seen_before = by_item_seen[o.item].min(3);
        if seen_before > 0 {
            w *= cfg.repeat_weight.powi(seen_before as i32);
        }
        by_item_seen[o.item] += 1;
        let (total, heaviest) = &mut item_weight[o.item];
        *total += w;
        *heaviest = heaviest.max(w);
        let pt = Point {
            b: meta.b(),
            a: meta.a(),
            c: meta.guess(),
            y: f64::from(u8::from(o.correct)),
            w,
        };
        all.push(pt);
        if let Some(v) = per_section.get_mut(meta.section) {
            v.push(pt);
        }
        if let Some(v) = per_topic.get_mut(meta.topic) {
            v.push(pt);
        }
    }
    let mut distinct_all: Vec<Distinct> = Vec::new();
    let mut distinct_section: Vec<Vec<Distinct>> = vec![Vec::new(); n_sections];
    let mut distinct_topic: Vec<Vec<Distinct>> = vec![Vec::new(); n_topics];
    for (meta, &(total, heaviest)) in items.iter().zip(&item_weight) {
        if total <= 0.0 {
            continue;
        }
        let d = Distinct {
            b: meta.b(),
            a: meta.a(),
            c: meta.guess(),
            m: heaviest,
            w2: total * total,
            v: meta.difficulty_var(cfg.label_sd, cfg.reviewed_label_sd),
        };
        add_distinct(&mut distinct_all, d);
        if let Some(v) = distinct_section.get_mut(meta.section) {
            add_distinct(v, d);
        }
        if let Some(v) = distinct_topic.get_mut(meta.topic) {
            add_distinct(v, d);
        }
    }
    let overall = fit(&all, &distinct_all, cfg.prior_mean, cfg.prior_sd.powi(2));
    let section_beliefs: Vec<Belief> = per_section
        .iter()
        .zip(&distinct_section)
        .map(|(pts, d)| fit(pts, d, overall.mean, cfg.section_sd.powi(2) + overall.var))
        .collect();
    // A topic's prior is the section of its items (the first item found decides).
    let mut topic_section = vec![None; n_topics];
    for it in items {
        if let Some(slot) = topic_section.get_mut(it.topic) {
            slot.get_or_insert(it.section);
        }
    }
    let topic_beliefs: Vec<Belief> = per_topic
        .iter()
        .enumerate()
        .map(|(t, pts)| {
            let parent = topic_section[t]
                .and_then(|s| section_beliefs.get(s))
                .copied()
                .unwrap_or(overall);
            fit(
                pts,
                &distinct_topic[t],
                parent.mean,
                cfg.topic_sd.powi(2) + parent.var,
            )
        })
        .collect();
    let mix_section = difficulty_mix(items, n_sections, |it| it.section);
    let mix_topic = difficulty_mix(items, n_topics, |it| it.topic);
    let topics: Vec<Mastery> = topic_beliefs
        .iter()
        .zip(&mix_topic)
        .map(|(b, mix)| summarise(*b, mix))
        .collect();
    // A section's chance on an unseen question is the mix of its topics' chances, weighted by
    // how many of the section's questions each topic holds: practice that dwells on weak
    // topics must not make the whole section look weak.
    let mut share = vec![vec![0.0f64; n_topics]; n_sections];
    for it in items {
        if let Some(row) = share.get_mut(it.section)
            && let Some(x) = row.get_mut(it.topic)
        {
            *x += 1.0;
        }
    }
    let sections = section_beliefs
        .iter()
        .zip(&mix_section)
        .zip(&share)
        .map(|((b, mix), row)| {
            let pooled = summarise(*b, mix);
            let total: f64 = row.iter().sum();
            if total == 0.0 {
                return pooled;
            }
            let blend = |f: fn(&Mastery) -> f64| {
                row.iter()
                    .enumerate()
                    .map(|(t, w)| w * f(&topics[t]))
                    .sum::<f64>()
                    / total
            };
            Mastery {
                belief: pooled.belief,
                p: blend(|m| m.p),
                low: blend(|m| m.low),
                high: blend(|m| m.high),
            }
        })
        .collect();
    MasteryModel {
        overall,
        sections,
        topics,
    }
}

/// Add one distinct question, merged with an equal one (same parameters): the variance
/// terms are sums, so merging changes nothing but the cost.
fn add_distinct(list: &mut Vec<Distinct>, d: Distinct) {
    match list
        .iter_mut()
        .find(|g| g.b == d.b && g.a == d.a && g.c == d.c && g.v == d.v)
    {
        Some(g) => {
            g.m += d.m;
            g.w2 += d.w2;
        }
        None => list.push(d),
    }
}

/// A group's questions as the prediction needs them: (difficulty, discrimination, share),
/// equal ones merged, and the mean chance of a blind guess.
type Mix = (Vec<(f64, f64, f64)>, f64);

/// Per group: the mix of its items' difficulties (the three label levels evenly when a group
/// has no items) and the mean chance of a blind guess (¼ when it has none).
fn difficulty_mix(items: &[ItemMeta], n: usize, group: impl Fn(&ItemMeta) -> usize) -> Vec<Mix> {
    let mut mixes: Vec<Mix> = vec![(Vec::new(), 0.0); n];
    for it in items {
        if let Some((levels, g)) = mixes.get_mut(group(it)) {
            let (b, a) = (it.b(), it.a());
            match levels.iter_mut().find(|(lb, la, _)| *lb == b && *la == a) {
                Some(x) => x.2 += 1.0,
                None => levels.push((b, a, 1.0)),
            }
            *g += it.guess();
        }
    }
    for (levels, g) in &mut mixes {
        let total: f64 = levels.iter().map(|x| x.2).sum();
        if total == 0.0 {
            *levels = (1..=3u8)
                .map(|d| (difficulty_logit(d), 1.0, 1.0 / 3.0))
                .collect();
            *g = 0.25;
        } else {
            levels.iter_mut().for_each(|x| x.2 /= total);
            *g /= total;
        }
    }
    mixes
}

fn summarise(belief: Belief, mix: &Mix) -> Mastery {
    let (levels, guess) = mix;
    let (mut p, mut low, mut high) = (0.0, 0.0, 0.0);
    let sd = belief.var.sqrt();
    for &(b, a, share) in levels {
        p += share * (guess + (1.0 - guess) * belief.p_correct_2pl(b, a));
        let (l, h) = (
            sigmoid(a * (belief.mean - 1.2816 * sd - b)),
            sigmoid(a * (belief.mean + 1.2816 * sd - b)),
        );
        low += share * (guess + (1.0 - guess) * l);
        high += share * (guess + (1.0 - guess) * h);
    }
    Mastery {
        belief,
        p,
        low,
        high,
    }
}

#[cfg(test)]
mod tests;
