//! The predicted score on one drawn mock exam, stored when the exam starts so the learner's
//! record can check the estimate (docs/engine.md §5, "Checked against your mock exams").

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::{Calibration, standard_normal};
use crate::items::ItemMeta;
use crate::mastery::{MasteryModel, sigmoid};

/// An expected score and its 80% interval, 0–1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScorePrediction {
    pub mean: f64,
    pub low: f64,
    pub high: f64,
}

/// Predict the score on the exam made of `exam_items` (indexes into `items`).
///
/// Each draw takes one ability deviation per section (shared by its topics, whose beliefs
/// sit around it), one common "conditions" term `N(calibration.shift, conditions_sd² +
/// calibration.extra_sd²)` for a timed sitting, then answers every question with
/// `c + (1 − c)·σ(θ_topic − b)`. No bank gap: the exam is made of pmle's own questions.
pub fn predict_exam(
    items: &[ItemMeta],
    exam_items: &[usize],
    mastery: &MasteryModel,
    conditions_sd: f64,
    calibration: &Calibration,
    seed: u64,
) -> ScorePrediction {
    let n = exam_items.len();
    if n == 0 {
        return ScorePrediction {
            mean: 0.0,
            low: 0.0,
            high: 0.0,
        };
    }
    let sd = (conditions_sd.powi(2) + calibration.extra_sd.powi(2)).sqrt();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    const DRAWS: usize = 2000;
    let mut scores = Vec::with_capacity(DRAWS);
    let mut expected = 0.0;
    let n_sections = mastery.sections.len().max(1);
    for _ in 0..DRAWS {
        let gap = calibration.shift + sd * standard_normal(&mut rng);
        let z: Vec<f64> = (0..n_sections).map(|_| standard_normal(&mut rng)).collect();
        let mut right = 0usize;
        for &i in exam_items {
            let Some(meta) = items.get(i) else { continue };
            let belief = mastery
                .topics
                .get(meta.topic)
                .map(|m| m.belief)
                .unwrap_or(mastery.overall);
            let theta = belief.mean + belief.var.sqrt() * z[meta.section.min(n_sections - 1)];
            let c = meta.guess();
            let p = c + (1.0 - c) * sigmoid(meta.a() * (theta + gap - meta.b()));
            expected += p;
            right += usize::from(rng.random::<f64>() < p);
        }
        scores.push(right as f64 / n as f64);
    }
    scores.sort_by(f64::total_cmp);
    ScorePrediction {
        mean: expected / (DRAWS * n) as f64,
        low: scores[DRAWS / 10],
        high: scores[DRAWS * 9 / 10],
    }
}
