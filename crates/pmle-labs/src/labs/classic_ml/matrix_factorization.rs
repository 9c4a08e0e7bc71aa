//! Matrix factorisation for recommendations: a 50 × 40 ratings matrix with a known rank-3
//! structure is 30% observed. User and item embeddings are learned with candle's autodiff on
//! the observed cells only (squared error plus L2), then predict the held-out cells and rank
//! a user's unrated items. Shows what collaborative filtering learns from sparse feedback.

use candle_core::{Device, Tensor, Var};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::common::{Adam, ce, normal};
use crate::lab::{Chart, Figure, Lab, LabError, LabInfo, LabResult, Line};

pub(crate) struct MatrixFactorization;

const ID: &str = "matrix-factorization";
const TITLE: &str = "Matrix factorisation: embeddings from sparse ratings";
const USERS: usize = 50;
const ITEMS: usize = 40;
const RANK: usize = 3;
const OBSERVED: f64 = 0.30;
/// Share of the observed cells held out for evaluation.
const HELD_OUT: f64 = 0.20;
const NOISE: f64 = 0.25;
const EPOCHS: usize = 200;
const LR: f64 = 0.05;
/// λ in Σ err² + λ(‖U‖² + ‖V‖²); the loss divides both by the number of training ratings.
const L2: f64 = 1.0;
/// The user whose recommendations are shown.
const SAMPLE_USER: usize = 0;

/// Observed cells as (user, item, rating).
type Cells = Vec<(usize, usize, f64)>;

fn tensors(cells: &[(usize, usize, f64)], dev: &Device) -> candle_core::Result<[Tensor; 3]> {
    let n = cells.len();
    let u: Vec<u32> = cells.iter().map(|c| c.0 as u32).collect();
    let i: Vec<u32> = cells.iter().map(|c| c.1 as u32).collect();
    let r: Vec<f64> = cells.iter().map(|c| c.2).collect();
    Ok([
        Tensor::from_vec(u, n, dev)?,
        Tensor::from_vec(i, n, dev)?,
        Tensor::from_vec(r, n, dev)?,
    ])
}

/// Predicted ratings μ + ⟨U[u], V[i]⟩ for the given index tensors.
fn predict(mu: f64, u: &Var, v: &Var, t: &[Tensor; 3]) -> candle_core::Result<Tensor> {
    let pu = u.as_tensor().index_select(&t[0], 0)?;
    let pv = v.as_tensor().index_select(&t[1], 0)?;
    (pu * pv)?.sum(1)? + mu
}

fn rmse(pred: &Tensor, t: &[Tensor; 3]) -> candle_core::Result<f64> {
    (pred - &t[2])?
        .sqr()?
        .mean_all()?
        .to_scalar::<f64>()
        .map(f64::sqrt)
}

fn random_matrix(rng: &mut ChaCha8Rng, rows: usize, sd: f64) -> Vec<f64> {
    (0..rows * RANK).map(|_| sd * normal(rng)).collect()
}

fn fig(name: &str, value: f64) -> Figure {
    Figure {
        name: name.into(),
        value,
    }
}

impl Lab for MatrixFactorization {
    fn info(&self) -> LabInfo {
        LabInfo {
            id: ID,
            title: TITLE,
            shows: "rank-3 embeddings learned from 30% of a ratings matrix beat the global mean on unseen cells",
            questions: &["s3-b-recsys-004", "s1-bqml-recommend-003", "s3-b-hpt-007"],
            notes: &["recommendation-systems"],
        }
    }

    fn run(&self, seed: u64) -> Result<LabResult, LabError> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let true_u = random_matrix(&mut rng, USERS, 0.8);
        let true_v = random_matrix(&mut rng, ITEMS, 0.8);
        let truth = |u: usize, i: usize| -> f64 {
            3.5 + (0..RANK)
                .map(|k| true_u[u * RANK + k] * true_v[i * RANK + k])
                .sum::<f64>()
        };
        let (mut train, mut test): (Cells, Cells) = (Vec::new(), Vec::new());
        let mut rated = vec![false; USERS * ITEMS];
        for u in 0..USERS {
            for i in 0..ITEMS {
                if rng.random::<f64>() < OBSERVED {
                    rated[u * ITEMS + i] = true;
                    let cell = (u, i, truth(u, i) + NOISE * normal(&mut rng));
                    if rng.random::<f64>() < HELD_OUT {
                        test.push(cell);
                    } else {
                        train.push(cell);
                    }
                }
            }
        }
        let mu = train.iter().map(|c| c.2).sum::<f64>() / train.len().max(1) as f64;
        let baseline = (test.iter().map(|c| (c.2 - mu).powi(2)).sum::<f64>()
            / test.len().max(1) as f64)
            .sqrt();

        let dev = Device::Cpu;
        let tr = tensors(&train, &dev).map_err(ce)?;
        let te = tensors(&test, &dev).map_err(ce)?;
        let init = |rows: usize, rng: &mut ChaCha8Rng| {
            Tensor::from_vec(random_matrix(rng, rows, 0.1), (rows, RANK), &dev)
                .and_then(|t| Var::from_tensor(&t))
                .map_err(ce)
        };
        let u = init(USERS, &mut rng)?;
        let v = init(ITEMS, &mut rng)?;
        let mut opt = Adam::new(vec![u.clone(), v.clone()], LR)?;
        let n = train.len().max(1) as f64;
        let (mut loss_line, mut train_line, mut test_line) = (Vec::new(), Vec::new(), Vec::new());
        for epoch in 1..=EPOCHS {
            let pred = predict(mu, &u, &v, &tr).map_err(ce)?;
            let mse = (&pred - &tr[2])
                .and_then(|e| e.sqr()?.mean_all())
                .map_err(ce)?;
            let l2 = (u.as_tensor().sqr().and_then(|t| t.sum_all()).map_err(ce)?
                + v.as_tensor().sqr().and_then(|t| t.sum_all()).map_err(ce)?)
            .map_err(ce)?;
            let loss = (mse + (l2 * (L2 / n)).map_err(ce)?).map_err(ce)?;
            let x = epoch as f64;
            loss_line.push((x, loss.to_scalar::<f64>().map_err(ce)?));
            train_line.push((x, rmse(&pred, &tr).map_err(ce)?));
            let test_pred = predict(mu, &u, &v, &te).map_err(ce)?;
            test_line.push((x, rmse(&test_pred, &te).map_err(ce)?));
            opt.step(&loss)?;
        }
        let test_rmse = rmse(&predict(mu, &u, &v, &te).map_err(ce)?, &te).map_err(ce)?;
        let improvement = 1.0 - test_rmse / baseline;

        // Top-3 among the sample user's unrated items.
        let uv = u.as_tensor().to_vec2::<f64>().map_err(ce)?;
        let vv = v.as_tensor().to_vec2::<f64>().map_err(ce)?;
        let score = |i: usize| {
            mu + uv[SAMPLE_USER]
                .iter()
                .zip(&vv[i])
                .map(|(a, b)| a * b)
                .sum::<f64>()
        };
        let mut unrated: Vec<usize> = (0..ITEMS)
            .filter(|&i| !rated[SAMPLE_USER * ITEMS + i])
            .collect();
        unrated.sort_by(|&a, &b| score(b).total_cmp(&score(a)));
        let top: Vec<usize> = unrated.iter().take(3).copied().collect();
        let mean_true = |items: &[usize]| {
            items.iter().map(|&i| truth(SAMPLE_USER, i)).sum::<f64>() / items.len().max(1) as f64
        };
        let (top_true, all_true) = (mean_true(&top), mean_true(&unrated));
        let mut figures = vec![
            fig("train_ratings", train.len() as f64),
            fig("held_out_ratings", test.len() as f64),
            fig("baseline_rmse", baseline),
            fig("mf_rmse", test_rmse),
            fig("rmse_improvement", improvement),
            fig("top3_mean_true_rating", top_true),
            fig("unrated_mean_true_rating", all_true),
        ];
        for (k, &i) in top.iter().enumerate() {
            figures.push(fig(&format!("rec{}_item", k + 1), i as f64));
            figures.push(fig(&format!("rec{}_predicted", k + 1), score(i)));
            figures.push(fig(&format!("rec{}_true", k + 1), truth(SAMPLE_USER, i)));
        }
        let items = top
            .iter()
            .map(|i| format!("#{i}"))
            .collect::<Vec<_>>()
            .join(", ");
        Ok(LabResult {
            id: ID,
            title: TITLE,
            seed,
            headline: format!(
                "rank-{RANK} embeddings predict held-out ratings with RMSE {test_rmse:.2} against {baseline:.2} for the global mean \
                 ({:.0}% better); user {SAMPLE_USER}'s top 3 unrated items ({items}) have true mean rating {top_true:.2} vs {all_true:.2} overall",
                improvement * 100.0
            ),
            lesson: "Collaborative filtering needs no item features: factorising the user × item matrix gives every user \
                     and item a short embedding whose dot product predicts the rating, and the loss is computed only on \
                     the cells that were observed. Because the true matrix has low rank, a handful of ratings pins down \
                     each embedding, and the L2 penalty stops users and items with few ratings from fitting noise; \
                     held-out cells measure how well the rest is filled in, and a global \
                     mean is the baseline to beat. Recommending means ranking a user's unrated items by predicted \
                     score. A new item or user has no embedding yet (cold start), so pair factorisation with \
                     content features; BigQuery ML's matrix factorization model does this training in SQL.",
            figures,
            charts: vec![
                Chart {
                    title: "Training loss (squared error + L2) per epoch".into(),
                    x_label: "epoch".into(),
                    y_label: "loss".into(),
                    log_y: true,
                    lines: vec![Line {
                        name: "training loss".into(),
                        points: loss_line,
                    }],
                },
                Chart {
                    title: "RMSE on training and held-out ratings".into(),
                    x_label: "epoch".into(),
                    y_label: "RMSE".into(),
                    log_y: false,
                    lines: vec![
                        Line {
                            name: "training".into(),
                            points: train_line,
                        },
                        Line {
                            name: "held out".into(),
                            points: test_line,
                        },
                        Line {
                            name: "global mean (held out)".into(),
                            points: vec![(1.0, baseline), (EPOCHS as f64, baseline)],
                        },
                    ],
                },
            ],
            questions: &["s3-b-recsys-004", "s1-bqml-recommend-003", "s3-b-hpt-007"],
            notes: &["recommendation-systems"],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn factorisation_beats_the_global_mean_and_recommends_well() {
        for seed in 1..=4 {
            let r = MatrixFactorization.run(seed).unwrap();
            let f = |n: &str| r.figure(n).unwrap();
            let (mf, base) = (f("mf_rmse"), f("baseline_rmse"));
            assert!(mf <= 0.8 * base, "seed {seed}: MF {mf} vs baseline {base}");
            assert!(
                f("top3_mean_true_rating") > f("unrated_mean_true_rating"),
                "seed {seed}: {}",
                r.headline
            );
            let loss = &r.charts[0].lines[0].points;
            assert!(loss[loss.len() - 1].1 < 0.5 * loss[0].1, "seed {seed}");
        }
        assert_eq!(
            MatrixFactorization.run(1).unwrap(),
            MatrixFactorization.run(1).unwrap()
        );
    }
}
