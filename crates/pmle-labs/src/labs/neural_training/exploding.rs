//! Exploding gradients: a deep ReLU network with too-large initial weights, trained with plain
//! SGD, and three remedies — a lower learning rate, gradient-norm clipping, and batch
//! normalisation. Why: the exam shows "gradient norms grow by orders of magnitude and the loss
//! becomes NaN" and expects clipping, a lower learning rate or normalisation as the fix.

use candle_core::Tensor;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::common::{Act, Mlp, ce, fig, grad_norm, matrix, mse, normal, scalar, sgd};
use crate::lab::{Chart, Lab, LabError, LabInfo, LabResult, Line};

pub(crate) struct Exploding;

const ID: &str = "exploding-gradients";
const TITLE: &str = "Exploding gradients and three remedies";
const ROWS: usize = 128;
const INPUTS: usize = 8;
const WIDTH: usize = 32;
const DEPTH: usize = 8;
/// Initial weights are this many times larger than He initialisation.
const INIT_SCALE: f64 = 1.5;
const STEPS: usize = 40;
const LR: f64 = 0.003;
const LOW_LR: f64 = 1e-5;
const CLIP_NORM: f64 = 1.0;
/// A gradient norm at or above this counts as exploded (so does inf or NaN).
const EXPLODED: f64 = 1e6;

/// How a run trains.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Plain,
    LowLr,
    Clip,
    BatchNorm,
}

/// Gradient norm (before any clipping) and loss of every step, stopping at the first explosion.
struct Run {
    grad_norms: Vec<f64>,
    losses: Vec<f64>,
    exploded_at: Option<usize>,
}

impl Run {
    fn max_grad(&self) -> f64 {
        self.grad_norms.iter().fold(0.0, |m, g| {
            if g.is_finite() {
                m.max(*g)
            } else {
                f64::INFINITY
            }
        })
    }
}

/// Forward pass; with batch normalisation every hidden pre-activation is standardised over the
/// batch (mean 0, variance 1 per unit) before the ReLU.
fn forward(mlp: &Mlp, x: &Tensor, bn: bool) -> candle_core::Result<Tensor> {
    let mut h = x.clone();
    let last = mlp.ws.len() - 1;
    for i in 0..=last {
        h = mlp.layer(i, &h)?;
        if i < last {
            if bn {
                let centred = h.broadcast_sub(&h.mean_keepdim(0)?)?;
                let sd = (centred.sqr()?.mean_keepdim(0)? + 1e-5)?.sqrt()?;
                h = centred.broadcast_div(&sd)?;
            }
            h = Act::Relu.apply(&h)?;
        }
    }
    Ok(h)
}

fn train(seed: u64, x: &Tensor, y: &Tensor, mode: Mode) -> Result<Run, LabError> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed.wrapping_add(2000));
    let mut sizes = vec![INPUTS];
    sizes.extend(std::iter::repeat_n(WIDTH, DEPTH - 1));
    sizes.push(1);
    let mlp = Mlp::new(&mut rng, &sizes, INIT_SCALE * 2f64.sqrt())?;
    let vars = mlp.vars();
    let mut run = Run {
        grad_norms: Vec::new(),
        losses: Vec::new(),
        exploded_at: None,
    };
    for step in 1..=STEPS {
        let loss = mse(&forward(&mlp, x, mode == Mode::BatchNorm).map_err(ce)?, y).map_err(ce)?;
        let grads = loss.backward().map_err(ce)?;
        let norm = grad_norm(&grads, &vars)?;
        let l = scalar(&loss)?;
        run.grad_norms.push(norm);
        run.losses.push(l);
        if !norm.is_finite() || !l.is_finite() || norm >= EXPLODED {
            run.exploded_at = Some(step);
            break;
        }
        let lr = match mode {
            Mode::LowLr => LOW_LR,
            // Clipping rescales the whole gradient to norm CLIP_NORM when it is longer.
            Mode::Clip if norm > CLIP_NORM => LR * CLIP_NORM / norm,
            _ => LR,
        };
        sgd(&grads, &vars, lr)?;
    }
    Ok(run)
}

impl Lab for Exploding {
    fn info(&self) -> LabInfo {
        LabInfo {
            id: ID,
            title: TITLE,
            shows: "large initial weights make SGD's gradients explode; a lower learning rate, clipping or batch normalisation keep them bounded",
            questions: &["s3-m-nn-002", "s3-m-nn-007", "s3-m-nn-006"],
            notes: &["neural-networks"],
        }
    }

    fn run(&self, seed: u64) -> Result<LabResult, LabError> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let xs: Vec<f64> = (0..ROWS * INPUTS).map(|_| normal(&mut rng)).collect();
        let ys: Vec<f64> = xs
            .chunks(INPUTS)
            .map(|r| r[0] - 0.5 * r[1] + 0.3 * r[2] * r[3])
            .collect();
        let x = matrix(ROWS, INPUTS, xs)?;
        let y = matrix(ROWS, 1, ys)?;
        let plain = train(seed, &x, &y, Mode::Plain)?;
        let low = train(seed, &x, &y, Mode::LowLr)?;
        let clip = train(seed, &x, &y, Mode::Clip)?;
        let bn = train(seed, &x, &y, Mode::BatchNorm)?;
        let line = |name: &str, r: &Run| Line {
            name: name.into(),
            points: r
                .grad_norms
                .iter()
                .enumerate()
                .filter(|(_, g)| g.is_finite() && **g > 0.0)
                .map(|(i, g)| ((i + 1) as f64, *g))
                .collect(),
        };
        let exploded_step = plain.exploded_at.map_or(f64::NAN, |s| s as f64);
        Ok(LabResult {
            id: ID,
            title: TITLE,
            seed,
            headline: format!(
                "plain SGD's gradient norm exploded at step {exploded_step}; the largest norms with a lower learning rate, clipping and batch normalisation were {:.1e}, {:.1e} and {:.1e}",
                low.max_grad(),
                clip.max_grad(),
                bn.max_grad()
            ),
            lesson: "Backpropagation multiplies one factor per layer; when weights are too large \
                     those factors exceed one, the gradient grows geometrically with depth, and \
                     a plain SGD step makes the weights larger still, so within a few steps the \
                     loss becomes inf or NaN. A lower learning rate takes steps small enough not \
                     to feed the growth. Gradient-norm clipping (clipnorm in Keras) caps every \
                     step's length without changing its direction, the standard fix for \
                     occasional huge gradients in RNNs and LSTMs. Batch normalisation re-centres \
                     and re-scales each layer's activations per batch, so the signal keeps a \
                     sane size at any depth and larger learning rates become safe.",
            figures: vec![
                fig("plain_exploded_at_step", exploded_step),
                fig("plain_max_grad_norm", plain.max_grad()),
                fig("low_lr_max_grad_norm", low.max_grad()),
                fig("clip_max_grad_norm", clip.max_grad()),
                fig("batchnorm_max_grad_norm", bn.max_grad()),
                fig(
                    "initial_grad_norm",
                    plain.grad_norms.first().copied().unwrap_or(f64::NAN),
                ),
                fig(
                    "initial_loss",
                    plain.losses.first().copied().unwrap_or(f64::NAN),
                ),
                fig(
                    "low_lr_final_loss",
                    low.losses.last().copied().unwrap_or(f64::NAN),
                ),
                fig(
                    "clip_final_loss",
                    clip.losses.last().copied().unwrap_or(f64::NAN),
                ),
                fig(
                    "batchnorm_final_loss",
                    bn.losses.last().copied().unwrap_or(f64::NAN),
                ),
            ],
            charts: vec![Chart {
                title: "Gradient norm per SGD step (before clipping)".into(),
                x_label: "step".into(),
                y_label: "‖gradient‖ (log scale)".into(),
                log_y: true,
                lines: vec![
                    line(&format!("plain SGD, lr {LR}"), &plain),
                    line(&format!("lower lr {LOW_LR}"), &low),
                    line(&format!("clip norm {CLIP_NORM}"), &clip),
                    line("batch norm", &bn),
                ],
            }],
            questions: &["s3-m-nn-002", "s3-m-nn-007", "s3-m-nn-006"],
            notes: &["neural-networks"],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_sgd_explodes_and_each_remedy_keeps_gradients_bounded() {
        for seed in 1..=4 {
            let r = Exploding.run(seed).unwrap();
            let at = r.figure("plain_exploded_at_step").unwrap();
            assert!(at.is_finite() && at <= 10.0, "seed {seed}: {}", r.headline);
            assert!(
                r.figure("plain_max_grad_norm").unwrap() >= EXPLODED,
                "seed {seed}"
            );
            let start = r.figure("initial_loss").unwrap();
            let g0 = r.figure("initial_grad_norm").unwrap();
            for remedy in ["low_lr", "clip", "batchnorm"] {
                let g = r.figure(&format!("{remedy}_max_grad_norm")).unwrap();
                // Never above twice the starting norm, and far below the explosion mark.
                assert!(g <= 2.0 * g0 && g < EXPLODED, "seed {seed} {remedy}: {g}");
                let end = r.figure(&format!("{remedy}_final_loss")).unwrap();
                assert!(
                    end.is_finite() && end < start,
                    "seed {seed} {remedy}: {end} vs {start}"
                );
            }
        }
        assert_eq!(Exploding.run(2).unwrap(), Exploding.run(2).unwrap());
    }
}
