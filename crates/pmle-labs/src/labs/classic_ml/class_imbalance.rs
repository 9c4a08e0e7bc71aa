//! Class imbalance: the accuracy paradox and two remedies. Always predicting the majority
//! class scores about 97% accuracy and catches no positive at all; a logistic regression
//! trained on the natural distribution barely does better on recall. Weighting the minority
//! class in the loss, or downsampling the majority, moves the decision boundary and recall
//! jumps, at the price of precision and of inflated probabilities.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::common::{LogReg, normal, scores, train_logreg};
use crate::lab::{Chart, Figure, Lab, LabError, LabInfo, LabResult, Line};

pub(crate) struct ClassImbalance;

const ID: &str = "class-imbalance";
const TITLE: &str = "Class imbalance: the accuracy paradox, class weights and downsampling";
const N: usize = 2_000;
const MINORITY_SHARE: f64 = 0.03;
/// Mean shift of the minority class along each feature (distance 1.5 standard deviations).
const SHIFT: [f64; 2] = [1.2, 0.9];
const EPOCHS: usize = 300;
const LR: f64 = 0.05;
/// Positive-class weights drawn on the chart (the balanced weight is added to them).
const CHART_WEIGHTS: [f64; 6] = [1.0, 2.0, 4.0, 8.0, 16.0, 24.0];

fn data(rng: &mut ChaCha8Rng) -> (Vec<Vec<f64>>, Vec<bool>) {
    (0..N)
        .map(|_| {
            let pos = rng.random::<f64>() < MINORITY_SHARE;
            let row = SHIFT
                .iter()
                .map(|s| normal(rng) + if pos { *s } else { 0.0 })
                .collect();
            (row, pos)
        })
        .unzip()
}

/// (accuracy, precision, recall, mean predicted probability) on the test set.
fn evaluate(m: &LogReg, x: &[Vec<f64>], y: &[bool]) -> [f64; 4] {
    let probs: Vec<f64> = x.iter().map(|r| m.prob(r)).collect();
    let pred: Vec<bool> = probs.iter().map(|&p| p >= 0.5).collect();
    let (a, p, r) = scores(&pred, y);
    [
        a,
        p,
        r,
        probs.iter().sum::<f64>() / probs.len().max(1) as f64,
    ]
}

fn figs(prefix: &str, e: [f64; 4]) -> Vec<Figure> {
    ["accuracy", "precision", "recall", "mean_probability"]
        .iter()
        .zip(e)
        .map(|(n, value)| Figure {
            name: format!("{prefix}_{n}"),
            value,
        })
        .collect()
}

impl Lab for ClassImbalance {
    fn info(&self) -> LabInfo {
        LabInfo {
            id: ID,
            title: TITLE,
            shows: "97% accuracy with zero recall, and how class weights or downsampling raise recall",
            questions: &[
                "s2-data-imbalance-metric-012",
                "s1-bqml-imbalance-010",
                "s2-data-imbalance-downsample-011",
                "s3-m-metrics-007",
            ],
            notes: &["data-preparation", "metrics"],
        }
    }

    fn run(&self, seed: u64) -> Result<LabResult, LabError> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let (x, y) = data(&mut rng);
        let (xt, yt) = data(&mut rng);
        let n_pos = y.iter().filter(|&&l| l).count().max(1);
        let balanced = (y.len() - n_pos) as f64 / n_pos as f64;

        // Majority baseline: predict "negative" for everyone.
        let (base_acc, _, base_recall) = scores(&vec![false; yt.len()], &yt);

        // Logistic regressions with a growing weight on the minority class.
        let mut curve = Vec::new();
        let mut by_weight = Vec::new();
        for w in CHART_WEIGHTS.iter().copied().chain([balanced]) {
            let sw: Vec<f64> = y.iter().map(|&l| if l { w } else { 1.0 }).collect();
            let m = train_logreg(&x, &y, Some(&sw), EPOCHS, LR)?;
            let e = evaluate(&m, &xt, &yt);
            curve.push((w, e));
            by_weight.push(e);
        }
        let plain = by_weight.first().copied().unwrap_or([f64::NAN; 4]);
        let weighted = by_weight.last().copied().unwrap_or([f64::NAN; 4]);

        // Downsampling: keep every minority row and an equal number of majority rows.
        let keep_neg = n_pos as f64 / (y.len() - n_pos).max(1) as f64;
        let (xd, yd): (Vec<Vec<f64>>, Vec<bool>) = x
            .iter()
            .zip(&y)
            .filter(|&(_, &l)| l || rng.random::<f64>() < keep_neg)
            .map(|(r, &l)| (r.clone(), l))
            .unzip();
        let down = evaluate(&train_logreg(&xd, &yd, None, EPOCHS, LR)?, &xt, &yt);

        let line = |name: &str, k: usize| Line {
            name: name.into(),
            points: curve.iter().map(|(w, e)| (*w, e[k])).collect(),
        };
        let mut figures = vec![
            Figure {
                name: "minority_share".into(),
                value: yt.iter().filter(|&&l| l).count() as f64 / yt.len() as f64,
            },
            Figure {
                name: "majority_accuracy".into(),
                value: base_acc,
            },
            Figure {
                name: "majority_recall".into(),
                value: base_recall,
            },
            Figure {
                name: "balanced_weight".into(),
                value: balanced,
            },
        ];
        figures.extend(figs("unweighted", plain));
        figures.extend(figs("weighted", weighted));
        figures.extend(figs("downsampled", down));
        Ok(LabResult {
            id: ID,
            title: TITLE,
            seed,
            headline: format!(
                "always saying \"negative\" scores {:.1}% accuracy and 0 recall; class weights lift the logistic regression's minority recall from {:.2} to {:.2}",
                base_acc * 100.0,
                plain[2],
                weighted[2]
            ),
            lesson: "When 3% of rows are positive, a model that never predicts the positive class is 97% accurate and \
                     useless, so accuracy hides the failure; look at recall, precision and PR AUC. Trained on the \
                     natural distribution, a logistic regression sees so few positives that its probabilities rarely \
                     pass 0.5 and recall stays low. Weighting minority examples in the loss, or downsampling the \
                     majority class, shifts the boundary: recall rises sharply and precision falls. Both also inflate \
                     the predicted probabilities (see mean_probability), so if calibrated scores matter, upweight the \
                     downsampled majority by the same factor or simply choose a lower threshold.",
            figures,
            charts: vec![Chart {
                title: "Test metrics as the minority class weight grows".into(),
                x_label: "weight of a minority example in the loss".into(),
                y_label: "value at threshold 0.5".into(),
                log_y: false,
                lines: vec![line("accuracy", 0), line("precision", 1), line("recall", 2)],
            }],
            questions: &[
                "s2-data-imbalance-metric-012",
                "s1-bqml-imbalance-010",
                "s2-data-imbalance-downsample-011",
                "s3-m-metrics-007",
            ],
            notes: &["data-preparation", "metrics"],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accuracy_paradox_and_weighting_raises_recall() {
        for seed in 1..=4 {
            let r = ClassImbalance.run(seed).unwrap();
            let f = |n: &str| r.figure(n).unwrap();
            assert!(f("majority_accuracy") >= 0.9, "seed {seed}");
            assert_eq!(f("majority_recall"), 0.0, "seed {seed}");
            let (plain, weighted) = (f("unweighted_recall"), f("weighted_recall"));
            assert!(
                weighted >= plain + 0.3,
                "seed {seed}: {plain} -> {weighted}"
            );
            assert!(f("downsampled_recall") >= plain + 0.3, "seed {seed}");
            // Accuracy falls although the model became useful; probabilities are inflated.
            assert!(
                f("weighted_accuracy") < f("unweighted_accuracy"),
                "seed {seed}"
            );
            assert!(f("weighted_mean_probability") > 3.0 * f("minority_share"));
        }
        assert_eq!(
            ClassImbalance.run(2).unwrap(),
            ClassImbalance.run(2).unwrap()
        );
    }
}
