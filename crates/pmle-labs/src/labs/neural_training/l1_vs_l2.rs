//! L1 vs L2 regularisation on a linear model with 5 relevant and 45 irrelevant features.
//! Why: the exam asks which penalty gives a sparse model that ignores useless features (L1)
//! and which keeps every feature with a small weight (L2); here both are trained by gradient
//! descent with candle autodiff, L1 through a proximal (soft-threshold) step.

use candle_core::{Tensor, Var};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::common::{ce, fig, matrix, mse, normal};
use crate::lab::{Chart, Lab, LabError, LabInfo, LabResult, Line};

pub(crate) struct L1VsL2;

const ID: &str = "l1-vs-l2";
const TITLE: &str = "L1 vs L2 regularisation with irrelevant features";
const ROWS: usize = 200;
const FEATURES: usize = 50;
const RELEVANT: usize = 5;
const TRUE_W: [f64; RELEVANT] = [3.0, -2.0, 1.5, -1.0, 2.0];
const NOISE: f64 = 0.5;
const LR: f64 = 0.1;
const STEPS: usize = 300;
const L1_LAMBDA: f64 = 0.3;
const L2_LAMBDA: f64 = 0.3;

/// Which penalty a run uses.
#[derive(Clone, Copy, PartialEq)]
enum Penalty {
    L1,
    L2,
}

/// Trains `y ≈ X·w + b` and returns the final weights and the count of exact zeros per step.
fn train(x: &Tensor, y: &Tensor, penalty: Penalty) -> Result<(Vec<f64>, Vec<f64>), LabError> {
    let w = Var::from_tensor(&matrix(FEATURES, 1, vec![0.0; FEATURES])?).map_err(ce)?;
    let b = Var::from_tensor(&matrix(1, 1, vec![0.0])?).map_err(ce)?;
    let mut zeros_per_step = Vec::with_capacity(STEPS);
    for _ in 0..STEPS {
        let pred = x.matmul(&w).and_then(|p| p.broadcast_add(&b)).map_err(ce)?;
        let mut loss = mse(&pred, y).map_err(ce)?;
        if penalty == Penalty::L2 {
            // The L2 penalty is differentiable: autodiff handles it with the data loss.
            let pen = w.sqr().and_then(|s| s.sum_all()).map_err(ce)?;
            loss = (loss + (pen * L2_LAMBDA).map_err(ce)?).map_err(ce)?;
        }
        let grads = loss.backward().map_err(ce)?;
        for v in [&w, &b] {
            if let Some(g) = grads.get(v.as_tensor()) {
                v.set(&(v.as_tensor() - (g * LR).map_err(ce)?).map_err(ce)?)
                    .map_err(ce)?;
            }
        }
        if penalty == Penalty::L1 {
            // Proximal step for λ|w|: shrink every weight by lr·λ and clip at exactly zero.
            let t = w.as_tensor();
            let shrunk = (t.abs().map_err(ce)? - LR * L1_LAMBDA)
                .and_then(|s| s.relu())
                .and_then(|s| t.sign()?.mul(&s))
                .map_err(ce)?;
            w.set(&shrunk).map_err(ce)?;
        }
        let now = w.as_tensor().flatten_all().and_then(|t| t.to_vec1::<f64>());
        let zeros = now.map_err(ce)?.iter().filter(|v| **v == 0.0).count();
        zeros_per_step.push(zeros as f64);
    }
    let weights = w.as_tensor().flatten_all().and_then(|t| t.to_vec1::<f64>());
    Ok((weights.map_err(ce)?, zeros_per_step))
}

impl Lab for L1VsL2 {
    fn info(&self) -> LabInfo {
        LabInfo {
            id: ID,
            title: TITLE,
            shows: "L1 sets irrelevant weights to exactly zero; L2 only shrinks them",
            questions: &["s3-m-reg-001", "s3-m-reg-002", "s3-m-reg-013"],
            notes: &["regularization"],
        }
    }

    fn run(&self, seed: u64) -> Result<LabResult, LabError> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let xs: Vec<f64> = (0..ROWS * FEATURES).map(|_| normal(&mut rng)).collect();
        let ys: Vec<f64> = (0..ROWS)
            .map(|r| {
                let row = &xs[r * FEATURES..r * FEATURES + RELEVANT];
                let signal: f64 = row.iter().zip(TRUE_W).map(|(a, w)| a * w).sum();
                signal + NOISE * normal(&mut rng)
            })
            .collect();
        let x = matrix(ROWS, FEATURES, xs)?;
        let y = matrix(ROWS, 1, ys)?;
        let (w1, zeros1) = train(&x, &y, Penalty::L1)?;
        let (w2, zeros2) = train(&x, &y, Penalty::L2)?;
        let irrelevant_zeros = |w: &[f64]| w[RELEVANT..].iter().filter(|v| **v == 0.0).count();
        let relevant_kept = |w: &[f64]| w[..RELEVANT].iter().filter(|v| **v != 0.0).count();
        let max_abs = |w: &[f64]| w[RELEVANT..].iter().fold(0.0_f64, |m, v| m.max(v.abs()));
        let (z1, z2) = (irrelevant_zeros(&w1), irrelevant_zeros(&w2));
        let irrelevant = FEATURES - RELEVANT;
        let weight_line = |name: &str, w: &[f64]| Line {
            name: name.into(),
            points: w
                .iter()
                .enumerate()
                .map(|(i, v)| ((i + 1) as f64, v.abs()))
                .collect(),
        };
        let step_line = |name: &str, z: &[f64]| Line {
            name: name.into(),
            points: z
                .iter()
                .enumerate()
                .map(|(i, v)| ((i + 1) as f64, *v))
                .collect(),
        };
        let mut truth = vec![0.0; FEATURES];
        truth[..RELEVANT].copy_from_slice(&TRUE_W);
        Ok(LabResult {
            id: ID,
            title: TITLE,
            seed,
            headline: format!(
                "L1 set {z1} of {irrelevant} irrelevant weights to exactly 0 and kept {} of {RELEVANT} relevant ones; L2 zeroed {z2} (largest irrelevant |w| {:.3})",
                relevant_kept(&w1),
                max_abs(&w2)
            ),
            lesson: "Both penalties fought the 45 noise features, but differently. The L1 step \
                     subtracts a fixed amount from every weight's size, so weights whose data \
                     gradient cannot pay that amount land on exactly zero and the model ignores \
                     those features: a smaller, sparser model, which is what you want with many \
                     useless or hashed features (L1 in Keras, l1_reg in BigQuery ML). L2 shrinks \
                     each weight in proportion to its size, so weights get small but never zero; \
                     it spreads weight across correlated features and keeps every feature \
                     contributing. Both reduce overfitting; only L1 selects features.",
            figures: vec![
                fig("irrelevant_features", irrelevant as f64),
                fig("l1_irrelevant_exact_zeros", z1 as f64),
                fig("l2_irrelevant_exact_zeros", z2 as f64),
                fig("l1_relevant_nonzero", relevant_kept(&w1) as f64),
                fig("l2_relevant_nonzero", relevant_kept(&w2) as f64),
                fig("l1_max_abs_irrelevant_weight", max_abs(&w1)),
                fig("l2_max_abs_irrelevant_weight", max_abs(&w2)),
            ],
            charts: vec![
                Chart {
                    title: "Weight size per feature (features 1–5 are the relevant ones)".into(),
                    x_label: "feature".into(),
                    y_label: "|weight|".into(),
                    log_y: false,
                    lines: vec![
                        weight_line("true", &truth),
                        weight_line("L1", &w1),
                        weight_line("L2", &w2),
                    ],
                },
                Chart {
                    title: "Weights exactly zero during training".into(),
                    x_label: "gradient step".into(),
                    y_label: "weights equal to 0".into(),
                    log_y: false,
                    lines: vec![step_line("L1", &zeros1), step_line("L2", &zeros2)],
                },
            ],
            questions: &["s3-m-reg-001", "s3-m-reg-002", "s3-m-reg-013"],
            notes: &["regularization"],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn l1_zeroes_irrelevant_weights_and_l2_zeroes_none() {
        for seed in 1..=4 {
            let r = L1VsL2.run(seed).unwrap();
            let z1 = r.figure("l1_irrelevant_exact_zeros").unwrap();
            assert!(z1 >= 0.8 * 45.0, "seed {seed}: {}", r.headline);
            assert_eq!(
                r.figure("l2_irrelevant_exact_zeros"),
                Some(0.0),
                "seed {seed}"
            );
            assert_eq!(r.figure("l1_relevant_nonzero"), Some(5.0), "seed {seed}");
            assert_eq!(r.figure("l2_relevant_nonzero"), Some(5.0), "seed {seed}");
            assert!(r.figure("l2_max_abs_irrelevant_weight").unwrap() > 0.0);
        }
        assert_eq!(L1VsL2.run(2).unwrap(), L1VsL2.run(2).unwrap());
    }
}
