//! Dying ReLU: the share of hidden units that output zero for every training example after
//! training at a high learning rate, a low one, and with leaky ReLU. Why: the exam shows
//! "half the units output exactly zero for every example" and expects a lower learning rate or
//! leaky ReLU as the fix.

use candle_core::Tensor;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::common::{Act, Mlp, ce, fig, matrix, normal, scalar, sgd};
use crate::lab::{Chart, Lab, LabError, LabInfo, LabResult, Line};

pub(crate) struct DeadRelu;

const ID: &str = "dead-relu";
const TITLE: &str = "Dying ReLU units at a high learning rate";
const ROWS: usize = 128;
const INPUTS: usize = 8;
const WIDTH: usize = 64;
const STEPS: usize = 100;
const HIGH_LR: f64 = 2.0;
const LOW_LR: f64 = 0.5;
const LEAK: f64 = 0.01;
const CENSUS_EVERY: usize = 10;

/// Outcome of one training run.
struct Run {
    /// Share of hidden units whose output is exactly 0 for every training example.
    dead_share: f64,
    /// Share of hidden units whose input is negative for every example (for leaky ReLU these
    /// still pass a small gradient, so they can recover).
    negative_share: f64,
    /// Dead share after each step.
    dead_curve: Vec<(f64, f64)>,
    final_loss: f64,
}

/// Hidden-unit census: (exactly-zero-for-all share, negative-for-all share).
fn census(mlp: &Mlp, x: &Tensor, act: Act) -> Result<(f64, f64), LabError> {
    let (mut zero, mut negative, mut total) = (0usize, 0usize, 0usize);
    let mut h = x.clone();
    for i in 0..mlp.ws.len() - 1 {
        let pre = mlp.layer(i, &h).map_err(ce)?;
        h = act.apply(&pre).map_err(ce)?;
        let max_out = h
            .abs()
            .and_then(|a| a.max(0))
            .and_then(|m| m.to_vec1::<f64>());
        let max_pre = pre.max(0).and_then(|m| m.to_vec1::<f64>()).map_err(ce)?;
        zero += max_out.map_err(ce)?.iter().filter(|v| **v == 0.0).count();
        negative += max_pre.iter().filter(|v| **v <= 0.0).count();
        total += max_pre.len();
    }
    Ok((zero as f64 / total as f64, negative as f64 / total as f64))
}

/// Mean logistic loss for labels ±1: softplus(−y·z), written to stay finite for any z.
fn logistic_loss(z: &Tensor, y: &Tensor) -> candle_core::Result<Tensor> {
    let t = (z * y)?.neg()?;
    (t.relu()? + (t.abs()?.neg()?.exp()? + 1.0)?.log()?)?.mean_all()
}

fn train(seed: u64, x: &Tensor, y: &Tensor, act: Act, lr: f64) -> Result<Run, LabError> {
    // The same initial weights for every run (same seed): only the learning rate or the
    // activation differs.
    let mut rng = ChaCha8Rng::seed_from_u64(seed.wrapping_add(1000));
    let mlp = Mlp::new(&mut rng, &[INPUTS, WIDTH, WIDTH, 1], 2f64.sqrt())?;
    let mut dead_curve = Vec::with_capacity(STEPS + 1);
    dead_curve.push((0.0, 100.0 * census(&mlp, x, act)?.0));
    let mut final_loss = f64::NAN;
    for step in 1..=STEPS {
        let loss = logistic_loss(&mlp.forward(x, act).map_err(ce)?, y).map_err(ce)?;
        final_loss = scalar(&loss)?;
        let grads = loss.backward().map_err(ce)?;
        sgd(&grads, &mlp.vars(), lr)?;
        if step % CENSUS_EVERY == 0 {
            dead_curve.push((step as f64, 100.0 * census(&mlp, x, act)?.0));
        }
    }
    let (dead_share, negative_share) = census(&mlp, x, act)?;
    Ok(Run {
        dead_share,
        negative_share,
        dead_curve,
        final_loss,
    })
}

/// ±1 label: a nonlinear rule of the features with 5% of labels flipped.
fn label(r: &[f64], rng: &mut ChaCha8Rng) -> f64 {
    let score = 2.0 * r[0].sin() + r[1] * r[2] + r[3].abs() - 0.8;
    let flip = rng.random::<f64>() < 0.05;
    if (score > 0.0) != flip { 1.0 } else { -1.0 }
}

impl Lab for DeadRelu {
    fn info(&self) -> LabInfo {
        LabInfo {
            id: ID,
            title: TITLE,
            shows: "a too-high learning rate kills ReLU units for good; leaky ReLU keeps them alive",
            questions: &["s3-m-nn-003", "s3-m-nn-010", "s3-m-nn-004"],
            notes: &["neural-networks"],
        }
    }

    fn run(&self, seed: u64) -> Result<LabResult, LabError> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let xs: Vec<f64> = (0..ROWS * INPUTS).map(|_| normal(&mut rng)).collect();
        let ys: Vec<f64> = xs.chunks(INPUTS).map(|r| label(r, &mut rng)).collect();
        let x = matrix(ROWS, INPUTS, xs)?;
        let y = matrix(ROWS, 1, ys)?;
        let high = train(seed, &x, &y, Act::Relu, HIGH_LR)?;
        let low = train(seed, &x, &y, Act::Relu, LOW_LR)?;
        let leaky = train(seed, &x, &y, Act::Leaky(LEAK), HIGH_LR)?;
        let pct = |r: &Run| 100.0 * r.dead_share;
        Ok(LabResult {
            id: ID,
            title: TITLE,
            seed,
            headline: format!(
                "{:.0}% of ReLU units died at learning rate {HIGH_LR}, {:.0}% at {LOW_LR}; leaky ReLU at {HIGH_LR}: {:.0}% dead",
                pct(&high),
                pct(&low),
                pct(&leaky)
            ),
            lesson: "A ReLU unit whose input is negative for every example outputs zero and \
                     passes back zero gradient, so nothing can ever move its weights again: it \
                     is dead. Large learning-rate steps are the usual cause, because one big \
                     update can push a unit's weights and bias far into the negative region; \
                     with a smaller rate the same network keeps almost all its units. Leaky ReLU \
                     (or ELU/GELU) gives negative inputs a small slope, so even a unit that is \
                     negative on every example still receives gradient and can recover. Here the \
                     training loss still looked fine, so only activation statistics (TensorBoard \
                     histograms) reveal the dead units. On the exam, 'many units output exactly \
                     zero for all inputs' points to lowering the learning rate or switching to \
                     leaky ReLU.",
            figures: vec![
                fig("high_lr", HIGH_LR),
                fig("low_lr", LOW_LR),
                fig("dead_share_high_lr", high.dead_share),
                fig("dead_share_low_lr", low.dead_share),
                fig("dead_share_leaky_high_lr", leaky.dead_share),
                fig("negative_share_leaky_high_lr", leaky.negative_share),
                fig("final_loss_high_lr", high.final_loss),
                fig("final_loss_low_lr", low.final_loss),
                fig("final_loss_leaky_high_lr", leaky.final_loss),
            ],
            charts: vec![Chart {
                title: "Hidden units that output 0 for every training example".into(),
                x_label: "gradient step".into(),
                y_label: "dead units (%)".into(),
                log_y: false,
                lines: vec![
                    Line {
                        name: format!("ReLU, lr {HIGH_LR}"),
                        points: high.dead_curve,
                    },
                    Line {
                        name: format!("ReLU, lr {LOW_LR}"),
                        points: low.dead_curve,
                    },
                    Line {
                        name: format!("leaky ReLU, lr {HIGH_LR}"),
                        points: leaky.dead_curve,
                    },
                ],
            }],
            questions: &["s3-m-nn-003", "s3-m-nn-010", "s3-m-nn-004"],
            notes: &["neural-networks"],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn high_learning_rate_kills_relu_units_and_leaky_relu_has_none_dead() {
        for seed in 1..=4 {
            let r = DeadRelu.run(seed).unwrap();
            let high = r.figure("dead_share_high_lr").unwrap();
            let low = r.figure("dead_share_low_lr").unwrap();
            assert!(high >= 0.1, "seed {seed}: {}", r.headline);
            assert!(high >= 3.0 * low + 0.05, "seed {seed}: {}", r.headline);
            assert_eq!(
                r.figure("dead_share_leaky_high_lr"),
                Some(0.0),
                "seed {seed}"
            );
            for name in [
                "final_loss_high_lr",
                "final_loss_low_lr",
                "final_loss_leaky_high_lr",
            ] {
                assert!(r.figure(name).unwrap().is_finite(), "seed {seed}: {name}");
            }
        }
        assert_eq!(DeadRelu.run(2).unwrap(), DeadRelu.run(2).unwrap());
    }
}
