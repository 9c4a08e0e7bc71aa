//! Choosing a classification threshold under class imbalance. A logistic regression scores
//! a test set with about 5% positives; sweeping the threshold trades precision for recall,
//! and the ROC curve looks far better than the precision-recall curve because the huge
//! number of negatives keeps the false-positive *rate* small even when false alarms swamp
//! the true positives. The curves come from [`crate::metrics::report`].

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::common::{normal, train_logreg};
use crate::lab::{Chart, Figure, Lab, LabError, LabInfo, LabResult, Line};
use crate::metrics::{AtThreshold, Sample, report};

pub(crate) struct Threshold;

const ID: &str = "threshold";
const TITLE: &str = "Thresholds, ROC and PR curves under class imbalance";
const N: usize = 2_000;
const POSITIVE_SHARE: f64 = 0.05;
/// Mean shift of the positives along each feature (distance 1.8 standard deviations).
const SHIFT: [f64; 2] = [1.4, 1.1];
/// The recall an operations team asks for in the headline.
const TARGET_RECALL: f64 = 0.8;

fn data(rng: &mut ChaCha8Rng) -> (Vec<Vec<f64>>, Vec<bool>) {
    let mut x = Vec::with_capacity(N);
    let mut y = Vec::with_capacity(N);
    for _ in 0..N {
        let pos = rng.random::<f64>() < POSITIVE_SHARE;
        let row = SHIFT
            .iter()
            .map(|s| normal(rng) + if pos { *s } else { 0.0 })
            .collect();
        x.push(row);
        y.push(pos);
    }
    (x, y)
}

fn fig(name: &str, value: f64) -> Figure {
    Figure {
        name: name.into(),
        value,
    }
}

impl Lab for Threshold {
    fn info(&self) -> LabInfo {
        LabInfo {
            id: ID,
            title: TITLE,
            shows: "with 5% positives ROC AUC stays high while average precision is low",
            questions: &[
                "s3-m-metrics-002",
                "s1-automl-objective-001",
                "s3-m-metrics-016",
                "s1-bqml-evaluate-009",
            ],
            notes: &["metrics"],
        }
    }

    fn run(&self, seed: u64) -> Result<LabResult, LabError> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let (x_train, y_train) = data(&mut rng);
        let (x_test, y_test) = data(&mut rng);
        let model = train_logreg(&x_train, &y_train, None, 200, 0.05)?;
        let samples: Vec<Sample> = x_test
            .iter()
            .zip(&y_test)
            .map(|(x, &label)| Sample {
                label,
                score: model.prob(x),
            })
            .collect();
        let rep = report(&samples, 0.5).map_err(|e| LabError::Compute(e.to_string()))?;
        let roc_auc = rep.roc_auc.unwrap_or(f64::NAN);
        let pr_auc = rep.pr_auc.unwrap_or(f64::NAN);
        let share = rep.positives as f64 / rep.rows as f64;

        // Sweep the threshold from 0.01 to 0.99.
        let sweep: Vec<AtThreshold> = (1..100)
            .map(|k| AtThreshold::compute(&samples, f64::from(k) / 100.0))
            .collect();
        let line = |f: fn(&AtThreshold) -> Option<f64>| -> Vec<(f64, f64)> {
            sweep
                .iter()
                .filter_map(|a| f(a).map(|v| (a.threshold, v)))
                .collect()
        };
        // The highest threshold that still catches TARGET_RECALL of the positives.
        let at_target = sweep
            .iter()
            .rev()
            .find(|a| a.recall.unwrap_or(0.0) >= TARGET_RECALL)
            .copied()
            .unwrap_or(rep.at);
        let prec_target = at_target.precision.unwrap_or(0.0);
        let false_alarms_per_hit = if at_target.confusion.tp > 0 {
            at_target.confusion.fp as f64 / at_target.confusion.tp as f64
        } else {
            f64::NAN
        };
        let base = [(0.0, share), (1.0, share)];
        Ok(LabResult {
            id: ID,
            title: TITLE,
            seed,
            headline: format!(
                "with {:.1}% positives the model's ROC AUC is {roc_auc:.2} but its average precision only {pr_auc:.2}: \
                 catching {:.0}% of positives costs {false_alarms_per_hit:.1} false alarms per true one",
                share * 100.0,
                at_target.recall.unwrap_or(0.0) * 100.0
            ),
            lesson: "Moving the threshold down raises recall and lowers precision; where to stop is a business \
                     decision about the cost of a miss against the cost of a false alarm, taken on held-out data. \
                     With few positives the ROC curve flatters the model: its x axis is the false-positive rate, and \
                     thousands of negatives keep that rate small even when false alarms outnumber the true hits \
                     several times over. The precision-recall curve and its area (average precision) measure exactly \
                     what an analyst's queue feels, and its baseline is the share of positives rather than 0.5. \
                     For rare-event problems such as fraud or defects, compare models on PR AUC and then pick the \
                     operating threshold from the precision and recall it gives.",
            figures: vec![
                fig("positive_share", share),
                fig("roc_auc", roc_auc),
                fig("pr_auc", pr_auc),
                fig("precision_at_0_5", rep.at.precision.unwrap_or(0.0)),
                fig("recall_at_0_5", rep.at.recall.unwrap_or(0.0)),
                fig("threshold_for_recall_0_8", at_target.threshold),
                fig("precision_at_recall_0_8", prec_target),
                fig(
                    "false_positive_rate_at_recall_0_8",
                    at_target.false_positive_rate.unwrap_or(0.0),
                ),
                fig("false_alarms_per_hit_at_recall_0_8", false_alarms_per_hit),
            ],
            charts: vec![
                Chart {
                    title: format!("ROC curve (AUC {roc_auc:.2})"),
                    x_label: "false positive rate".into(),
                    y_label: "true positive rate (recall)".into(),
                    log_y: false,
                    lines: vec![
                        Line {
                            name: "model".into(),
                            points: rep.roc.clone(),
                        },
                        Line {
                            name: "random".into(),
                            points: vec![(0.0, 0.0), (1.0, 1.0)],
                        },
                    ],
                },
                Chart {
                    title: format!("Precision-recall curve (AP {pr_auc:.2})"),
                    x_label: "recall".into(),
                    y_label: "precision".into(),
                    log_y: false,
                    lines: vec![
                        Line {
                            name: "model".into(),
                            points: rep.pr,
                        },
                        Line {
                            name: "share of positives".into(),
                            points: base.to_vec(),
                        },
                    ],
                },
                Chart {
                    title: "Precision and recall as the threshold moves".into(),
                    x_label: "threshold".into(),
                    y_label: "value".into(),
                    log_y: false,
                    lines: vec![
                        Line {
                            name: "precision".into(),
                            points: line(|a| a.precision),
                        },
                        Line {
                            name: "recall".into(),
                            points: line(|a| a.recall),
                        },
                    ],
                },
            ],
            questions: &[
                "s3-m-metrics-002",
                "s1-automl-objective-001",
                "s3-m-metrics-016",
                "s1-bqml-evaluate-009",
            ],
            notes: &["metrics"],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roc_auc_flatters_while_average_precision_stays_low() {
        for seed in 1..=5 {
            let r = Threshold.run(seed).unwrap();
            let roc = r.figure("roc_auc").unwrap();
            let pr = r.figure("pr_auc").unwrap();
            assert!(roc > 0.85, "seed {seed}: ROC AUC {roc}");
            assert!(pr < 0.6, "seed {seed}: PR AUC {pr}");
            assert!(roc - pr > 0.3, "seed {seed}: {roc} vs {pr}");
            // At 80% recall, false alarms outnumber the true positives.
            let prec = r.figure("precision_at_recall_0_8").unwrap();
            assert!(prec < 0.5, "seed {seed}: precision {prec}");
            // Recall never rises as the threshold goes up.
            let recall = &r.charts[2].lines[1].points;
            assert!(recall.windows(2).all(|w| w[1].1 <= w[0].1), "seed {seed}");
        }
        assert_eq!(Threshold.run(4).unwrap(), Threshold.run(4).unwrap());
    }
}
