//! Readiness: the predicted score on a real exam, an 80% interval, coverage, and a verdict.
//!
//! The prediction samples abilities from each section's mastery belief and then a 60-question
//! exam with the blueprint's section counts, so the interval holds both what we do not know
//! about the learner and the luck of a finite exam. Google publishes no pass mark; the
//! target is a setting and the verdict says the figure is an estimate.

use rand::{Rng, RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::exam::allocate;
use crate::mastery::{Mastery, sigmoid};

/// Effective answers (after fading) a section needs before its estimate counts as covered.
pub const COVERED_EVIDENCE: f64 = 8.0;

#[derive(Debug, Clone, PartialEq)]
pub struct Readiness {
    /// Expected score, 0–1.
    pub mean: f64,
    /// 10th and 90th percentiles.
    pub low: f64,
    pub high: f64,
    pub target: f64,
    /// Probability that the score reaches the target.
    pub p_pass: f64,
    /// Share of the blueprint weight whose section has enough evidence, 0–1.
    pub coverage: f64,
    /// Index of the section that costs the most expected points.
    pub weakest: Option<usize>,
    pub verdict: Verdict,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Too little evidence to say.
    NotEnoughEvidence,
    NotReady,
    Borderline,
    LikelyReady,
}

/// Predict the exam score from section masteries and weights (percent).
pub fn predict(
    sections: &[Mastery],
    weights: &[f64],
    exam_questions: usize,
    target: f64,
    seed: u64,
) -> Readiness {
    let total_weight: f64 = weights.iter().sum::<f64>().max(f64::EPSILON);
    let counts = allocate(weights, exam_questions);
    let n: usize = counts.iter().sum::<usize>().max(1);
    let mean: f64 = sections
        .iter()
        .zip(weights)
        .map(|(m, w)| m.p * w)
        .sum::<f64>()
        .max(0.0) // an empty float sum is -0.0
        / total_weight;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    const DRAWS: usize = 2000;
    let mut scores = Vec::with_capacity(DRAWS);
    for _ in 0..DRAWS {
        let mut right = 0usize;
        for (m, &k) in sections.iter().zip(&counts) {
            let theta = m.belief.mean + m.belief.var.sqrt() * standard_normal(&mut rng);
            // p for this draw, over the section's difficulty mix: shift the mastery's p by
            // the draw's distance from the mean on the logit scale.
            let p = sigmoid(logit(m.p) + (theta - m.belief.mean));
            right += (0..k).filter(|_| rng.random::<f64>() < p).count();
        }
        scores.push(right as f64 / n as f64);
    }
    scores.sort_by(f64::total_cmp);
    let low = scores[DRAWS / 10];
    let high = scores[DRAWS * 9 / 10];
    let p_pass = scores.iter().filter(|&&s| s >= target).count() as f64 / DRAWS as f64;
    let coverage = sections
        .iter()
        .zip(weights)
        .filter(|(m, _)| m.belief.evidence >= COVERED_EVIDENCE)
        .map(|(_, w)| w)
        .sum::<f64>()
        .max(0.0) // an empty float sum is -0.0
        / total_weight;
    let weakest = sections
        .iter()
        .zip(weights)
        .enumerate()
        .max_by(|(_, (a, wa)), (_, (b, wb))| ((1.0 - a.p) * *wa).total_cmp(&((1.0 - b.p) * *wb)))
        .map(|(i, _)| i);
    let verdict = if coverage < 0.5 {
        Verdict::NotEnoughEvidence
    } else if low >= target {
        Verdict::LikelyReady
    } else if mean >= target {
        Verdict::Borderline
    } else {
        Verdict::NotReady
    };
    Readiness {
        mean,
        low,
        high,
        target,
        p_pass,
        coverage,
        weakest,
        verdict,
    }
}

fn logit(p: f64) -> f64 {
    let p = p.clamp(1e-6, 1.0 - 1e-6);
    (p / (1.0 - p)).ln()
}

/// Box–Muller from two uniforms.
fn standard_normal<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    let u1: f64 = rng.random::<f64>().max(f64::MIN_POSITIVE);
    let u2: f64 = rng.random::<f64>();
    (-2.0f64 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mastery::Belief;

    fn m(p: f64, var: f64, evidence: f64) -> Mastery {
        let mean = logit(p);
        Mastery {
            belief: Belief {
                mean,
                var,
                evidence,
            },
            p,
            low: p,
            high: p,
        }
    }

    const W: [f64; 6] = [13.0, 16.0, 21.0, 20.0, 18.0, 13.0];

    #[test]
    fn strong_learner_is_likely_ready() {
        let s = vec![m(0.92, 0.05, 30.0); 6];
        let r = predict(&s, &W, 60, 0.7, 1);
        assert!((r.mean - 0.92).abs() < 1e-9);
        assert!(r.low <= r.mean && r.mean <= r.high);
        assert_eq!(r.verdict, Verdict::LikelyReady);
        assert!(r.p_pass > 0.95);
    }

    #[test]
    fn weak_heavy_section_is_named() {
        let mut s = vec![m(0.85, 0.05, 30.0); 6];
        s[2] = m(0.4, 0.05, 30.0);
        let r = predict(&s, &W, 60, 0.7, 1);
        assert_eq!(r.weakest, Some(2));
    }

    #[test]
    fn little_evidence_says_so() {
        let s = vec![m(0.6, 1.0, 1.0); 6];
        let r = predict(&s, &W, 60, 0.7, 1);
        assert_eq!(r.verdict, Verdict::NotEnoughEvidence);
        assert_eq!(r.coverage, 0.0);
        assert!(r.high - r.low > 0.2, "wide band: {r:?}");
    }

    #[test]
    fn deterministic_for_a_seed() {
        let s = vec![m(0.7, 0.3, 10.0); 6];
        assert_eq!(predict(&s, &W, 60, 0.7, 5), predict(&s, &W, 60, 0.7, 5));
    }
}
