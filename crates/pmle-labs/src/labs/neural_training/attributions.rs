//! Feature attributions: sampled Shapley vs integrated gradients on two small differentiable
//! models, one linear and one with an interaction. Why: the exam asks which attribution method
//! fits which model and what "completeness" and the baseline mean; seeing both methods on the
//! same prediction shows where they agree and where they split credit differently.

use candle_core::{Tensor, Var};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::common::{ce, fig, matrix};
use crate::lab::{Chart, Lab, LabError, LabInfo, LabResult, Line};

pub(crate) struct Attributions;

const ID: &str = "attributions";
const TITLE: &str = "Sampled Shapley vs integrated gradients";
const FEATURES: usize = 4;
const WEIGHTS: [f64; FEATURES] = [1.5, -2.0, 0.8, 0.3];
const BIAS: f64 = 0.1;
/// Coefficient of the interaction term x₁²·x₂ in the second model.
const INTERACTION: f64 = 1.0;
const IG_STEPS: usize = 64;
const PERMUTATIONS: usize = 256;

/// The two models, as candle functions of a `rows × 4` batch.
#[derive(Clone, Copy, PartialEq)]
enum Model {
    Linear,
    Interaction,
}

impl Model {
    fn eval(self, x: &Tensor) -> candle_core::Result<Tensor> {
        let w = Tensor::from_vec(WEIGHTS.to_vec(), (FEATURES, 1), x.device())?;
        let linear = (x.matmul(&w)? + BIAS)?;
        match self {
            Model::Linear => Ok(linear),
            Model::Interaction => {
                let term = x.narrow(1, 0, 1)?.sqr()?.mul(&x.narrow(1, 1, 1)?)?;
                linear + (term * INTERACTION)?
            }
        }
    }

    fn at(self, x: &[f64]) -> Result<f64, LabError> {
        let out = self.eval(&matrix(1, FEATURES, x.to_vec())?).map_err(ce)?;
        out.flatten_all()
            .and_then(|t| t.to_vec1::<f64>())
            .map_err(ce)?
            .first()
            .copied()
            .ok_or_else(|| LabError::Compute("empty output".into()))
    }
}

/// Integrated gradients: (x − x′) times the mean gradient at the midpoints of `IG_STEPS`
/// equal steps on the straight path from the baseline x′ to x (gradients from candle).
fn integrated_gradients(model: Model, x: &[f64], base: &[f64]) -> Result<Vec<f64>, LabError> {
    let mut path = Vec::with_capacity(IG_STEPS * FEATURES);
    for k in 0..IG_STEPS {
        let alpha = (k as f64 + 0.5) / IG_STEPS as f64;
        path.extend(x.iter().zip(base).map(|(xi, bi)| bi + alpha * (xi - bi)));
    }
    let points = Var::from_tensor(&matrix(IG_STEPS, FEATURES, path)?).map_err(ce)?;
    let grads = model
        .eval(&points)
        .and_then(|y| y.sum_all())
        .and_then(|s| s.backward())
        .map_err(ce)?;
    let g = grads
        .get(points.as_tensor())
        .ok_or_else(|| LabError::Compute("no gradient".into()))?;
    let mean = g.mean(0).and_then(|m| m.to_vec1::<f64>()).map_err(ce)?;
    Ok(mean
        .iter()
        .zip(x.iter().zip(base))
        .map(|(m, (xi, bi))| m * (xi - bi))
        .collect())
}

/// Sampled Shapley: for random feature orders, switch features from the baseline to their
/// real value one at a time and credit each with the change in output; average the credits.
fn sampled_shapley(
    model: Model,
    x: &[f64],
    base: &[f64],
    rng: &mut ChaCha8Rng,
) -> Result<Vec<f64>, LabError> {
    let mut orders = Vec::with_capacity(PERMUTATIONS);
    let mut rows = Vec::with_capacity(PERMUTATIONS * (FEATURES + 1) * FEATURES);
    for _ in 0..PERMUTATIONS {
        let mut order: Vec<usize> = (0..FEATURES).collect();
        for i in (1..FEATURES).rev() {
            order.swap(i, rng.random_range(0..=i));
        }
        let mut row = base.to_vec();
        rows.extend_from_slice(&row);
        for &f in &order {
            row[f] = x[f];
            rows.extend_from_slice(&row);
        }
        orders.push(order);
    }
    let n = PERMUTATIONS * (FEATURES + 1);
    let out = model
        .eval(&matrix(n, FEATURES, rows)?)
        .and_then(|t| t.flatten_all())
        .and_then(|t| t.to_vec1::<f64>())
        .map_err(ce)?;
    let mut phi = vec![0.0; FEATURES];
    for (p, order) in orders.iter().enumerate() {
        let o = &out[p * (FEATURES + 1)..(p + 1) * (FEATURES + 1)];
        for (j, &f) in order.iter().enumerate() {
            phi[f] += (o[j + 1] - o[j]) / PERMUTATIONS as f64;
        }
    }
    Ok(phi)
}

/// Attributions of one model: (IG, Shapley, f(x) − f(baseline)).
fn explain(
    model: Model,
    x: &[f64],
    base: &[f64],
    rng: &mut ChaCha8Rng,
) -> Result<(Vec<f64>, Vec<f64>, f64), LabError> {
    let ig = integrated_gradients(model, x, base)?;
    let sh = sampled_shapley(model, x, base, rng)?;
    Ok((ig, sh, model.at(x)? - model.at(base)?))
}

fn max_diff(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).fold(0.0, |m, (p, q)| m.max((p - q).abs()))
}

fn gap(a: &[f64], total: f64) -> f64 {
    (a.iter().sum::<f64>() - total).abs()
}

impl Lab for Attributions {
    fn info(&self) -> LabInfo {
        LabInfo {
            id: ID,
            title: TITLE,
            shows: "integrated gradients and sampled Shapley agree on a linear model and split an interaction differently",
            questions: &[
                "s6-explain-method-match-011",
                "s6-explain-precision-008",
                "s6-explain-tree-shapley-001",
                "s6-explain-deprecation-006",
            ],
            notes: &["explainable-ai", "aip-explanations"],
        }
    }

    fn run(&self, seed: u64) -> Result<LabResult, LabError> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        // The instance to explain: every feature between 0.8 and 1.6 away from the baseline 0.
        let x: Vec<f64> = (0..FEATURES)
            .map(|_| {
                let size = 0.8 + 0.8 * rng.random::<f64>();
                if rng.random::<f64>() < 0.5 {
                    -size
                } else {
                    size
                }
            })
            .collect();
        let base = vec![0.0; FEATURES];
        let (ig_l, sh_l, total_l) = explain(Model::Linear, &x, &base, &mut rng)?;
        let (ig_i, sh_i, total_i) = explain(Model::Interaction, &x, &base, &mut rng)?;
        let pts = |v: &[f64]| {
            v.iter()
                .enumerate()
                .map(|(i, a)| ((i + 1) as f64, *a))
                .collect()
        };
        let line = |name: &str, v: &[f64]| Line {
            name: name.into(),
            points: pts(v),
        };
        let mut figures = vec![
            fig("linear_max_abs_difference", max_diff(&ig_l, &sh_l)),
            fig("linear_ig_completeness_gap", gap(&ig_l, total_l)),
            fig("linear_shapley_completeness_gap", gap(&sh_l, total_l)),
            fig("interaction_max_abs_difference", max_diff(&ig_i, &sh_i)),
            fig("interaction_ig_completeness_gap", gap(&ig_i, total_i)),
            fig("interaction_shapley_completeness_gap", gap(&sh_i, total_i)),
            fig("interaction_term_value", INTERACTION * x[0] * x[0] * x[1]),
        ];
        for i in 0..FEATURES {
            figures.push(fig(&format!("interaction_ig_x{}", i + 1), ig_i[i]));
            figures.push(fig(&format!("interaction_shapley_x{}", i + 1), sh_i[i]));
        }
        Ok(LabResult {
            id: ID,
            title: TITLE,
            seed,
            headline: format!(
                "on the linear model the methods differ by at most {:.1e}; with the x₁²·x₂ interaction, integrated gradients gives x₁ {:.2} and x₂ {:.2} where Shapley gives {:.2} and {:.2}",
                max_diff(&ig_l, &sh_l),
                ig_i[0],
                ig_i[1],
                sh_i[0],
                sh_i[1]
            ),
            lesson: "Both methods explain one prediction relative to a baseline, and both are \
                     complete: the attributions add up to f(x) − f(baseline), which is how you \
                     check an explanation's approximation error (more integral steps or more \
                     permutations shrink it). On a linear model they agree exactly, each feature \
                     getting weight × (value − baseline). With an interaction they split the \
                     credit differently: Shapley averages over feature orders and halves the \
                     x₁²·x₂ term (up to sampling noise), while integrated gradients follows the \
                     straight path and gives x₁ two thirds. Integrated gradients needs a \
                     differentiable model (neural networks, images); sampled Shapley works on \
                     any model, including trees and ensembles. Vertex Explainable AI, the \
                     managed service that offered both, is deprecated since 2026-03-16 and \
                     unavailable from 2027-03-16; the methods themselves remain exam topics.",
            figures,
            charts: vec![
                Chart {
                    title: "Linear model: attribution per feature".into(),
                    x_label: "feature".into(),
                    y_label: "attribution".into(),
                    log_y: false,
                    lines: vec![
                        line("integrated gradients", &ig_l),
                        line("sampled Shapley", &sh_l),
                    ],
                },
                Chart {
                    title: "Model with an x₁²·x₂ interaction: attribution per feature".into(),
                    x_label: "feature".into(),
                    y_label: "attribution".into(),
                    log_y: false,
                    lines: vec![
                        line("integrated gradients", &ig_i),
                        line("sampled Shapley", &sh_i),
                    ],
                },
            ],
            questions: &[
                "s6-explain-method-match-011",
                "s6-explain-precision-008",
                "s6-explain-tree-shapley-001",
                "s6-explain-deprecation-006",
            ],
            notes: &["explainable-ai", "aip-explanations"],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_agree_on_linear_are_complete_and_split_an_interaction_differently() {
        for seed in 1..=4 {
            let r = Attributions.run(seed).unwrap();
            let f = |n: &str| r.figure(n).unwrap();
            assert!(
                f("linear_max_abs_difference") < 1e-6,
                "seed {seed}: {}",
                r.headline
            );
            for m in ["linear", "interaction"] {
                for method in ["ig", "shapley"] {
                    let g = f(&format!("{m}_{method}_completeness_gap"));
                    assert!(g < 1e-2, "seed {seed} {m} {method}: {g}");
                }
            }
            // IG gives x1 two thirds of the interaction term, Shapley one half.
            let term = f("interaction_term_value");
            let (ig1, sh1) = (f("interaction_ig_x1"), f("interaction_shapley_x1"));
            // Shapley's half is sampled: allow about three standard errors of 256 orders.
            assert!(
                (ig1 - sh1 - term / 6.0).abs() < 0.1 * term.abs() + 0.01,
                "seed {seed}: {ig1} {sh1} {term}"
            );
            assert!(
                f("interaction_max_abs_difference") > 0.05,
                "seed {seed}: {}",
                r.headline
            );
        }
        assert_eq!(Attributions.run(2).unwrap(), Attributions.run(2).unwrap());
    }
}
