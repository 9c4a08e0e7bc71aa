//! Feature crosses: a linear model cannot separate XOR-like data, but the same model with
//! the product x1·x2 as an extra feature can. Shows why crossing features lets a linear
//! (wide) model learn interactions without becoming a neural network.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::common::{LogReg, scores, train_logreg};
use crate::lab::{Chart, Figure, Lab, LabError, LabInfo, LabResult, Line};

pub(crate) struct FeatureCrosses;

const ID: &str = "feature-crosses";
const TITLE: &str = "Feature crosses let a linear model learn XOR";
const N_TRAIN: usize = 400;
const N_TEST: usize = 400;
const EPOCHS: usize = 500;

/// Points uniform in the square [−1, 1]²; the label is "same sign" (x1·x2 > 0), i.e. XOR.
fn xor_data(rng: &mut ChaCha8Rng, n: usize) -> (Vec<[f64; 2]>, Vec<bool>) {
    let pts: Vec<[f64; 2]> = (0..n)
        .map(|_| {
            [
                rng.random::<f64>() * 2.0 - 1.0,
                rng.random::<f64>() * 2.0 - 1.0,
            ]
        })
        .collect();
    let y = pts.iter().map(|p| p[0] * p[1] > 0.0).collect();
    (pts, y)
}

fn plain(p: &[f64; 2]) -> Vec<f64> {
    p.to_vec()
}

fn crossed(p: &[f64; 2]) -> Vec<f64> {
    vec![p[0], p[1], p[0] * p[1]]
}

fn accuracy(model: &LogReg, x: &[Vec<f64>], y: &[bool]) -> f64 {
    let pred: Vec<bool> = x.iter().map(|r| model.prob(r) >= 0.5).collect();
    scores(&pred, y).0
}

fn loss_line(name: &str, losses: &[f64]) -> Line {
    Line {
        name: name.into(),
        points: losses
            .iter()
            .enumerate()
            .map(|(i, &l)| ((i + 1) as f64, l))
            .collect(),
    }
}

impl Lab for FeatureCrosses {
    fn info(&self) -> LabInfo {
        LabInfo {
            id: ID,
            title: TITLE,
            shows: "logistic regression is at chance on XOR until the cross x1·x2 is added",
            questions: &[
                "s2-feat-cross-latlon-004",
                "s2-feat-cross-multi-021",
                "s2-feat-hashedcross-010",
            ],
            notes: &["data-preparation", "tf-feature-preprocessing"],
        }
    }

    fn run(&self, seed: u64) -> Result<LabResult, LabError> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let (train, y_train) = xor_data(&mut rng, N_TRAIN);
        let (test, y_test) = xor_data(&mut rng, N_TEST);
        let feats = |pts: &[[f64; 2]], f: fn(&[f64; 2]) -> Vec<f64>| -> Vec<Vec<f64>> {
            pts.iter().map(f).collect()
        };
        let (xp_train, xp_test) = (feats(&train, plain), feats(&test, plain));
        let (xc_train, xc_test) = (feats(&train, crossed), feats(&test, crossed));
        let linear = train_logreg(&xp_train, &y_train, None, EPOCHS, 0.1)?;
        let cross = train_logreg(&xc_train, &y_train, None, EPOCHS, 0.1)?;
        let acc_linear = accuracy(&linear, &xp_test, &y_test);
        let acc_cross = accuracy(&cross, &xc_test, &y_test);
        let last = |m: &LogReg| m.losses.last().copied().unwrap_or(f64::NAN);
        let cross_weight = cross.w.get(2).copied().unwrap_or(0.0);
        Ok(LabResult {
            id: ID,
            title: TITLE,
            seed,
            headline: format!(
                "on XOR data logistic regression scores {:.0}% test accuracy with x1, x2 and {:.0}% once the cross x1·x2 is added",
                acc_linear * 100.0,
                acc_cross * 100.0
            ),
            lesson: "No straight line separates points whose class depends on whether x1 and x2 have the same sign, \
                     so a logistic regression on the raw features stays at chance and its loss never leaves ln 2. \
                     Adding one synthetic feature, the product x1·x2, makes the classes linearly separable and the same \
                     model becomes almost perfect. That is a feature cross: it lets a linear or wide model memorise \
                     interactions (latitude × longitude, day × hour) while staying simple and interpretable; for \
                     high-cardinality categories, cross then hash into a bounded number of buckets.",
            figures: vec![
                Figure {
                    name: "accuracy_linear".into(),
                    value: acc_linear,
                },
                Figure {
                    name: "accuracy_crossed".into(),
                    value: acc_cross,
                },
                Figure {
                    name: "final_loss_linear".into(),
                    value: last(&linear),
                },
                Figure {
                    name: "final_loss_crossed".into(),
                    value: last(&cross),
                },
                Figure {
                    name: "weight_on_cross".into(),
                    value: cross_weight,
                },
            ],
            charts: vec![Chart {
                title: "Training log loss on XOR data".into(),
                x_label: "epoch".into(),
                y_label: "log loss".into(),
                log_y: false,
                lines: vec![
                    loss_line("x1, x2 only", &linear.losses),
                    loss_line("x1, x2, x1·x2", &cross.losses),
                ],
            }],
            questions: &[
                "s2-feat-cross-latlon-004",
                "s2-feat-cross-multi-021",
                "s2-feat-hashedcross-010",
            ],
            notes: &["data-preparation", "tf-feature-preprocessing"],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cross_turns_chance_into_near_perfect_accuracy() {
        for seed in 1..=4 {
            let r = FeatureCrosses.run(seed).unwrap();
            let lin = r.figure("accuracy_linear").unwrap();
            let cross = r.figure("accuracy_crossed").unwrap();
            assert!(lin < 0.65, "seed {seed}: linear {lin}");
            assert!(cross >= 0.95, "seed {seed}: crossed {cross}");
            assert!(r.figure("final_loss_linear").unwrap() > 0.65, "seed {seed}");
        }
        assert_eq!(
            FeatureCrosses.run(2).unwrap(),
            FeatureCrosses.run(2).unwrap()
        );
    }
}
