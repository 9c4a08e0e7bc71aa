//! Overfitting: an over-sized network on a small noisy data set, then the same network with
//! dropout, and early stopping with patience. Why: the exam shows training and validation
//! curves that part ways and asks for the remedy (regularise, stop early, get more data).

use candle_core::{Tensor, Var};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::common::{Act, Mlp, ce, fig, matrix, mse, normal, scalar};
use crate::lab::{Chart, Lab, LabError, LabInfo, LabResult, Line};

pub(crate) struct Overfitting;

const ID: &str = "overfitting";
const TITLE: &str = "Overfitting, dropout and early stopping";
const TRAIN: usize = 40;
const VALID: usize = 200;
const INPUTS: usize = 5;
const WIDTH: usize = 64;
const NOISE: f64 = 1.0;
const EPOCHS: usize = 200;
const LR: f64 = 0.01;
const DROPOUT: f64 = 0.3;
const PATIENCE: usize = 20;

/// Training and validation loss per epoch.
struct Curves {
    train: Vec<f64>,
    valid: Vec<f64>,
}

/// A data set of `rows` rows: a smooth target plus Gaussian noise.
fn data(rng: &mut ChaCha8Rng, rows: usize) -> Result<(Tensor, Tensor), LabError> {
    let xs: Vec<f64> = (0..rows * INPUTS).map(|_| normal(rng)).collect();
    let ys: Vec<f64> = xs
        .chunks(INPUTS)
        .map(|r| r[0] - 0.5 * r[1] + r[2].sin() + NOISE * normal(rng))
        .collect();
    Ok((matrix(rows, INPUTS, xs)?, matrix(rows, 1, ys)?))
}

/// Forward pass; with a mask source, each hidden unit is zeroed with probability `DROPOUT`
/// and the survivors scaled by 1/(1 − p) (inverted dropout), a fresh mask every epoch.
fn forward(
    mlp: &Mlp,
    x: &Tensor,
    mut masks: Option<(&mut ChaCha8Rng, f64)>,
) -> Result<Tensor, LabError> {
    let mut h = x.clone();
    let last = mlp.ws.len() - 1;
    for i in 0..=last {
        h = mlp.layer(i, &h).map_err(ce)?;
        if i < last {
            h = Act::Relu.apply(&h).map_err(ce)?;
            if let Some((rng, p)) = masks.as_mut() {
                let p = *p;
                let (rows, cols) = h.dims2().map_err(ce)?;
                let keep = 1.0 / (1.0 - p);
                let m: Vec<f64> = (0..rows * cols)
                    .map(|_| if rng.random::<f64>() < p { 0.0 } else { keep })
                    .collect();
                h = h.mul(&matrix(rows, cols, m)?).map_err(ce)?;
            }
        }
    }
    Ok(h)
}

/// Adam moments for one parameter.
struct Moments {
    m: Tensor,
    v: Tensor,
}

fn train(seed: u64, d: &[(Tensor, Tensor); 2], dropout: f64) -> Result<Curves, LabError> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed.wrapping_add(3000));
    let mlp = Mlp::new(&mut rng, &[INPUTS, WIDTH, WIDTH, 1], 2f64.sqrt())?;
    let vars: Vec<&Var> = mlp.vars();
    let mut moments = vars
        .iter()
        .map(|v| {
            let z = v.as_tensor().zeros_like()?;
            Ok(Moments { m: z.clone(), v: z })
        })
        .collect::<candle_core::Result<Vec<_>>>()
        .map_err(ce)?;
    let (b1, b2, eps) = (0.9_f64, 0.999_f64, 1e-8);
    let [(xt, yt), (xv, yv)] = d;
    let mut curves = Curves {
        train: Vec::new(),
        valid: Vec::new(),
    };
    for epoch in 1..=EPOCHS {
        let pred = forward(
            &mlp,
            xt,
            if dropout > 0.0 {
                Some((&mut rng, dropout))
            } else {
                None
            },
        )?;
        let loss = mse(&pred, yt).map_err(ce)?;
        let grads = loss.backward().map_err(ce)?;
        // Adam update (an optimiser rule, not backpropagation: the gradients come from candle).
        let (c1, c2) = (1.0 - b1.powi(epoch as i32), 1.0 - b2.powi(epoch as i32));
        for (v, mo) in vars.iter().zip(moments.iter_mut()) {
            let Some(g) = grads.get(v.as_tensor()) else {
                continue;
            };
            let step = (|| {
                mo.m = ((&mo.m * b1)? + (g * (1.0 - b1))?)?;
                mo.v = ((&mo.v * b2)? + (g.sqr()? * (1.0 - b2))?)?;
                let denom = ((&mo.v / c2)?.sqrt()? + eps)?;
                let upd = ((&mo.m / c1)? / denom)?;
                v.set(&(v.as_tensor() - (upd * LR)?)?)
            })();
            step.map_err(ce)?;
        }
        // Curves are measured without dropout, as Keras reports validation loss.
        curves
            .train
            .push(scalar(&mse(&forward(&mlp, xt, None)?, yt).map_err(ce)?)?);
        curves
            .valid
            .push(scalar(&mse(&forward(&mlp, xv, None)?, yv).map_err(ce)?)?);
    }
    Ok(curves)
}

/// Early stopping on a validation curve: (epoch training stops at, best epoch, best loss).
fn early_stop(valid: &[f64]) -> (usize, usize, f64) {
    let (mut best, mut best_epoch) = (f64::INFINITY, 0);
    for (i, v) in valid.iter().enumerate() {
        if *v < best {
            (best, best_epoch) = (*v, i + 1);
        } else if i + 1 - best_epoch >= PATIENCE {
            return (i + 1, best_epoch, best);
        }
    }
    (valid.len(), best_epoch, best)
}

impl Lab for Overfitting {
    fn info(&self) -> LabInfo {
        LabInfo {
            id: ID,
            title: TITLE,
            shows: "an over-sized network memorises 40 noisy rows; dropout and early stopping keep validation loss lower",
            questions: &[
                "s3-m-reg-003",
                "s3-m-reg-008",
                "s3-m-reg-010",
                "s3-m-reg-011",
            ],
            notes: &["regularization"],
        }
    }

    fn run(&self, seed: u64) -> Result<LabResult, LabError> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let d = [data(&mut rng, TRAIN)?, data(&mut rng, VALID)?];
        let plain = train(seed, &d, 0.0)?;
        let drop = train(seed, &d, DROPOUT)?;
        // Early stopping is the plain run halted: same weights up to the stopping epoch.
        let (stop, best_epoch, best) = early_stop(&plain.valid);
        let last = |v: &[f64]| v.last().copied().unwrap_or(f64::NAN);
        let curve = |name: &str, v: &[f64]| Line {
            name: name.into(),
            points: v
                .iter()
                .enumerate()
                .map(|(i, l)| ((i + 1) as f64, *l))
                .collect(),
        };
        Ok(LabResult {
            id: ID,
            title: TITLE,
            seed,
            headline: format!(
                "after {EPOCHS} epochs validation loss was {:.2} without remedies, {:.2} with dropout; early stopping (patience {PATIENCE}) stopped at epoch {stop} keeping epoch {best_epoch}'s {:.2}",
                last(&plain.valid),
                last(&drop.valid),
                best
            ),
            lesson: "With two 64-unit hidden layers and only 40 noisy rows, training loss kept \
                     falling towards zero while validation loss turned upwards: the network \
                     memorised the noise, and the widening gap is the overfitting signature the \
                     exam shows in TensorBoard curves. Dropout randomly silences 30% of the \
                     hidden units at each step, so no unit can rely on others to memorise a row, \
                     and validation loss stays lower. Early stopping watches validation loss, \
                     stops after it has not improved for a set patience and keeps the best \
                     weights (restore_best_weights in Keras); too small a patience stops on \
                     noise. More data, L1/L2 penalties and a smaller model are the other \
                     remedies; none of them helps an underfitting model.",
            figures: vec![
                fig("final_train_loss_plain", last(&plain.train)),
                fig("final_valid_loss_plain", last(&plain.valid)),
                fig("final_train_loss_dropout", last(&drop.train)),
                fig("final_valid_loss_dropout", last(&drop.valid)),
                fig("early_stop_epoch", stop as f64),
                fig("early_stop_best_epoch", best_epoch as f64),
                fig("early_stop_valid_loss", best),
                fig("epochs", EPOCHS as f64),
            ],
            charts: vec![Chart {
                title: "Training and validation loss (mean squared error)".into(),
                x_label: "epoch".into(),
                y_label: "loss".into(),
                log_y: false,
                lines: vec![
                    curve("train, no remedy", &plain.train),
                    curve("validation, no remedy", &plain.valid),
                    curve(&format!("train, dropout {DROPOUT}"), &drop.train),
                    curve(&format!("validation, dropout {DROPOUT}"), &drop.valid),
                    Line {
                        name: format!("early stop (epoch {stop})"),
                        points: vec![(stop as f64, best), (stop as f64, last(&plain.valid))],
                    },
                ],
            }],
            questions: &[
                "s3-m-reg-003",
                "s3-m-reg-008",
                "s3-m-reg-010",
                "s3-m-reg-011",
            ],
            notes: &["regularization"],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dropout_and_early_stopping_beat_the_overfitted_network() {
        for seed in 1..=4 {
            let r = Overfitting.run(seed).unwrap();
            let plain = r.figure("final_valid_loss_plain").unwrap();
            let train = r.figure("final_train_loss_plain").unwrap();
            assert!(
                train * 3.0 < plain,
                "seed {seed}: not overfitting: {}",
                r.headline
            );
            assert!(
                r.figure("final_valid_loss_dropout").unwrap() < plain,
                "seed {seed}: {}",
                r.headline
            );
            assert!(
                r.figure("early_stop_epoch").unwrap() < EPOCHS as f64,
                "seed {seed}"
            );
            assert!(
                r.figure("early_stop_valid_loss").unwrap() < plain,
                "seed {seed}"
            );
        }
        assert_eq!(Overfitting.run(2).unwrap(), Overfitting.run(2).unwrap());
    }
}
