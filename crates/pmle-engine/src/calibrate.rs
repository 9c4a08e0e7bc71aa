//! Pooled calibration: each question's difficulty measured from many learners' first
//! attempts, on the engine's logit scale, with its authored label as the prior.
//!
//! The model is the engine's own (docs/engine.md §2) with the slope fixed at 1 (Rasch) and
//! the guessing floor `c` known from the option count:
//!
//! ```text
//! P(right | θ, b) = c + (1 − c)·σ(θ − b),   b ~ N(label logit, 0.6²)  (0.4² blind-reviewed)
//! ```
//!
//! fitted by marginal maximum a posteriori (Bock–Aitkin EM): learners' abilities are
//! integrated over a normal population `N(μ, σ²)` (fitted too) on a fixed quadrature, so a
//! learner who answered few questions does not bias the difficulties as a per-learner
//! estimate would. The reasons, and the recovery measured by simulation, are in
//! docs/engine.md §9.

mod toml_out;

use std::collections::BTreeMap;

use crate::item_stats::Response;
use crate::items::ItemMeta;
use crate::mastery::{difficulty_logit, sigmoid};
pub use toml_out::{CALIBRATION_VERSION, calibration_toml};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CalibrateConfig {
    /// Prior sd of a difficulty around its label (the mastery model's `label_sd`), and
    /// around a label a blind review confirmed.
    pub label_sd: f64,
    pub reviewed_label_sd: f64,
    /// Quadrature nodes over ±4 population sd.
    pub nodes: usize,
    pub max_iterations: usize,
    /// Stop when no difficulty moves by more than this in an iteration (logits).
    pub tolerance: f64,
}

impl Default for CalibrateConfig {
    fn default() -> Self {
        CalibrateConfig {
            label_sd: 0.6,
            reviewed_label_sd: 0.4,
            nodes: 31,
            max_iterations: 500,
            tolerance: 1e-4,
        }
    }
}

/// One question's fitted difficulty.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ItemFit {
    pub item: usize,
    /// Posterior mode, logits, on the engine's scale.
    pub difficulty: f64,
    /// Posterior standard error (the expected information at the mode plus the prior's).
    pub se: f64,
    /// First attempts the fit rests on.
    pub responses: u32,
    /// The label's logit (the prior mean).
    pub prior: f64,
    /// Share of the posterior precision that comes from the responses rather than the
    /// label: 0 with no response, ½ when the data weigh as much as the label.
    pub data_weight: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Calibration {
    /// Every item, in item order (an item without responses keeps its label, `se` the
    /// prior's).
    pub items: Vec<ItemFit>,
    /// Fitted population of abilities, `N(mean, sd²)`.
    pub ability_mean: f64,
    pub ability_sd: f64,
    pub learners: usize,
    pub iterations: usize,
    pub converged: bool,
}

/// Fit every item's difficulty from the first attempts (`attempt == 1`, the first of a
/// learner's duplicates) in `responses`.
pub fn calibrate(items: &[ItemMeta], responses: &[Response], cfg: &CalibrateConfig) -> Calibration {
    let n = items.len();
    let mut by_learner: BTreeMap<u32, BTreeMap<usize, bool>> = BTreeMap::new();
    for r in responses {
        if r.attempt == 1 && r.item < n {
            by_learner
                .entry(r.learner)
                .or_default()
                .entry(r.item)
                .or_insert(r.correct);
        }
    }
    let learners: Vec<Vec<(usize, bool)>> = by_learner
        .into_values()
        .map(|m| m.into_iter().collect())
        .collect();
    let mut counts = vec![0u32; n];
    for l in &learners {
        for &(i, _) in l {
            counts[i] += 1;
        }
    }
    let prior: Vec<f64> = items
        .iter()
        .map(|it| difficulty_logit(it.difficulty))
        .collect();
    let prior_sd: Vec<f64> = items
        .iter()
        .map(|it| {
            if it.reviewed {
                cfg.reviewed_label_sd
            } else {
                cfg.label_sd
            }
        })
        .collect();
    let guess: Vec<f64> = items.iter().map(ItemMeta::guess).collect();

    let q = cfg.nodes.max(3);
    let x: Vec<f64> = (0..q)
        .map(|k| -4.0 + 8.0 * k as f64 / (q - 1) as f64)
        .collect();
    let pi: Vec<f64> = {
        let w: Vec<f64> = x.iter().map(|v| (-0.5 * v * v).exp()).collect();
        let s: f64 = w.iter().sum();
        w.iter().map(|v| v / s).collect()
    };

    let mut b = prior.clone();
    let (mut mu, mut sd) = (0.0, 1.0);
    let mut iterations = 0;
    let mut converged = false;
    let mut info = vec![0.0; n];
    // Expected right answers and responses per item and node.
    let mut r_jq = vec![0.0; n * q];
    let mut n_jq = vec![0.0; n * q];
    while iterations < cfg.max_iterations {
        iterations += 1;
        let theta: Vec<f64> = x.iter().map(|v| mu + sd * v).collect();
        // log P and log(1 − P) per item and node.
        let mut lp = vec![0.0; n * q];
        let mut lq = vec![0.0; n * q];
        for j in 0..n {
            for k in 0..q {
                let p = prob(guess[j], theta[k] - b[j]);
                lp[j * q + k] = p.ln();
                lq[j * q + k] = (1.0 - p).ln();
            }
        }
        r_jq.iter_mut().for_each(|v| *v = 0.0);
        n_jq.iter_mut().for_each(|v| *v = 0.0);
        let (mut m1, mut m2) = (0.0, 0.0);
        let mut post = vec![0.0; q];
        for l in &learners {
            for k in 0..q {
                post[k] = pi[k].ln();
            }
            for &(j, y) in l {
                let row = if y {
                    &lp[j * q..][..q]
                } else {
                    &lq[j * q..][..q]
                };
                for k in 0..q {
                    post[k] += row[k];
                }
            }
            let top = post.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let mut total = 0.0;
            for v in post.iter_mut() {
                *v = (*v - top).exp();
                total += *v;
            }
            for v in post.iter_mut() {
                *v /= total;
            }
            for k in 0..q {
                m1 += post[k] * theta[k];
                m2 += post[k] * theta[k] * theta[k];
            }
            for &(j, y) in l {
                for k in 0..q {
                    n_jq[j * q + k] += post[k];
                    if y {
                        r_jq[j * q + k] += post[k];
                    }
                }
            }
        }
        // M step: each difficulty by Fisher scoring on its expected log-posterior, each
        // step halved until the objective does not fall (plain scoring can cycle where the
        // guessing floor flattens the likelihood).
        let start = b.clone();
        for j in 0..n {
            let m = MStep {
                theta: &theta,
                r: &r_jq[j * q..][..q],
                n: &n_jq[j * q..][..q],
                c: guess[j],
                prior: prior[j],
                prec: 1.0 / (prior_sd[j] * prior_sd[j]),
            };
            let mut bj = b[j];
            let mut f = m.objective(bj);
            for _ in 0..50 {
                let (score, inf) = m.score_info(bj);
                info[j] = inf;
                let mut step = (score / inf).clamp(-1.0, 1.0);
                let mut accepted = false;
                for _ in 0..30 {
                    let f_new = m.objective(bj + step);
                    if f_new >= f {
                        bj += step;
                        f = f_new;
                        accepted = true;
                        break;
                    }
                    step *= 0.5;
                }
                if !accepted || step.abs() < 1e-9 {
                    break;
                }
            }
            info[j] = m.score_info(bj).1;
            b[j] = bj;
        }
        if !learners.is_empty() {
            let nl = learners.len() as f64;
            mu = m1 / nl;
            sd = (m2 / nl - mu * mu).max(1e-4).sqrt();
        }
        // Moving every difficulty and the population mean by the same δ leaves the
        // likelihood unchanged (it depends on θ − b only), so only the labels pin the
        // origin; EM crawls along that ridge. Take the step the labels ask for directly: the
        // δ that minimises Σ (b + δ − label)² / sd². At the fixed point the EM step and
        // this step cancel along the ridge (each moves every difficulty and μ alike), so
        // convergence is judged on the iteration's net change.
        let (mut num, mut den) = (0.0, 0.0);
        for j in 0..n {
            let w = 1.0 / (prior_sd[j] * prior_sd[j]);
            num += w * (b[j] - prior[j]);
            den += w;
        }
        let delta = if den > 0.0 { -num / den } else { 0.0 };
        if !learners.is_empty() {
            for bj in b.iter_mut() {
                *bj += delta;
            }
            mu += delta;
        }
        let moved = b
            .iter()
            .zip(&start)
            .map(|(x, y)| (x - y).abs())
            .fold(0.0, f64::max);
        if moved < cfg.tolerance {
            converged = true;
            break;
        }
    }
    let fits = (0..n)
        .map(|j| {
            let prec = 1.0 / (prior_sd[j] * prior_sd[j]);
            let total = info[j].max(prec);
            ItemFit {
                item: j,
                difficulty: b[j],
                se: total.recip().sqrt(),
                responses: counts[j],
                prior: prior[j],
                data_weight: (1.0 - prec / total).max(0.0),
            }
        })
        .collect();
    Calibration {
        items: fits,
        ability_mean: mu,
        ability_sd: sd,
        learners: learners.len(),
        iterations,
        converged,
    }
}

/// One item's expected complete-data log-posterior over the quadrature.
struct MStep<'a> {
    theta: &'a [f64],
    /// Expected right answers and responses at each node.
    r: &'a [f64],
    n: &'a [f64],
    c: f64,
    prior: f64,
    prec: f64,
}

impl MStep<'_> {
    fn objective(&self, b: f64) -> f64 {
        let mut f = -0.5 * (b - self.prior).powi(2) * self.prec;
        for k in 0..self.theta.len() {
            if self.n[k] > 0.0 {
                let p = prob(self.c, self.theta[k] - b);
                f += self.r[k] * p.ln() + (self.n[k] - self.r[k]) * (1.0 - p).ln();
            }
        }
        f
    }

    /// Score and expected information with respect to `b`.
    fn score_info(&self, b: f64) -> (f64, f64) {
        let (mut score, mut inf) = (-(b - self.prior) * self.prec, self.prec);
        for k in 0..self.theta.len() {
            let nk = self.n[k];
            if nk == 0.0 {
                continue;
            }
            let s = sigmoid(self.theta[k] - b);
            let p = prob(self.c, self.theta[k] - b);
            let dp = -(1.0 - self.c) * s * (1.0 - s); // dP/db
            score += (self.r[k] - nk * p) * dp / (p * (1.0 - p));
            inf += nk * dp * dp / (p * (1.0 - p));
        }
        (score, inf)
    }
}

fn prob(c: f64, z: f64) -> f64 {
    (c + (1.0 - c) * sigmoid(z)).clamp(1e-12, 1.0 - 1e-12)
}

#[cfg(test)]
mod tests;
