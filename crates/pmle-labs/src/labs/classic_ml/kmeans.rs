//! k-means (Lloyd's algorithm with k-means++ seeding, written with ndarray) on data with
//! four known clusters. Shows the elbow in inertia against k, and why distance-based
//! clustering needs scaled features: one feature recorded in units 1000× smaller dominates
//! every distance and the clusters found no longer match the real groups.

use ndarray::{Array2, ArrayView1};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::common::normal;
use crate::lab::{Chart, Figure, Lab, LabError, LabInfo, LabResult, Line};

pub(crate) struct KMeans;

const ID: &str = "kmeans";
const TITLE: &str = "k-means: the elbow and the cost of unscaled features";
const TRUE_K: usize = 4;
const PER_CLUSTER: usize = 100;
/// Centres at the corners of a regular tetrahedron (equal distances), scaled by SPREAD.
const CENTRES: [[f64; 3]; TRUE_K] = [
    [1.0, 1.0, 1.0],
    [1.0, -1.0, -1.0],
    [-1.0, 1.0, -1.0],
    [-1.0, -1.0, 1.0],
];
const SPREAD: f64 = 3.0;
const MAX_K: usize = 8;
const RESTARTS: usize = 3;
const MAX_ITER: usize = 100;

fn data(rng: &mut ChaCha8Rng) -> (Array2<f64>, Vec<usize>) {
    let n = TRUE_K * PER_CLUSTER;
    let mut x = Array2::zeros((n, 3));
    let mut labels = Vec::with_capacity(n);
    for (i, mut row) in x.rows_mut().into_iter().enumerate() {
        let c = i % TRUE_K;
        for (v, centre) in row.iter_mut().zip(CENTRES[c]) {
            *v = centre * SPREAD + normal(rng);
        }
        labels.push(c);
    }
    (x, labels)
}

fn dist2(a: &ArrayView1<'_, f64>, b: &ArrayView1<'_, f64>) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y).powi(2)).sum()
}

/// k-means++ seeding: each new centre is drawn with probability proportional to D².
fn seed_centres(x: &Array2<f64>, k: usize, rng: &mut ChaCha8Rng) -> Array2<f64> {
    let n = x.nrows();
    let mut centres = Array2::zeros((k, x.ncols()));
    centres.row_mut(0).assign(&x.row(rng.random_range(0..n)));
    let mut d2: Vec<f64> = x
        .rows()
        .into_iter()
        .map(|r| dist2(&r, &centres.row(0)))
        .collect();
    for c in 1..k {
        let total: f64 = d2.iter().sum();
        let mut target = rng.random::<f64>() * total;
        let mut pick = n - 1;
        for (i, d) in d2.iter().enumerate() {
            target -= d;
            if target <= 0.0 {
                pick = i;
                break;
            }
        }
        centres.row_mut(c).assign(&x.row(pick));
        for (d, r) in d2.iter_mut().zip(x.rows()) {
            *d = d.min(dist2(&r, &centres.row(c)));
        }
    }
    centres
}

/// Lloyd's algorithm from `RESTARTS` seedings; the run with the lowest inertia wins.
fn kmeans(x: &Array2<f64>, k: usize, rng: &mut ChaCha8Rng) -> (Vec<usize>, f64) {
    let mut best = (Vec::new(), f64::INFINITY);
    for _ in 0..RESTARTS {
        let mut centres = seed_centres(x, k, rng);
        let mut assign = vec![usize::MAX; x.nrows()];
        let mut inertia = 0.0;
        for _ in 0..MAX_ITER {
            let mut changed = false;
            inertia = 0.0;
            for (a, r) in assign.iter_mut().zip(x.rows()) {
                let (c, d) = centres
                    .rows()
                    .into_iter()
                    .map(|c| dist2(&r, &c))
                    .enumerate()
                    .fold(
                        (0, f64::INFINITY),
                        |b, (i, d)| if d < b.1 { (i, d) } else { b },
                    );
                changed |= *a != c;
                *a = c;
                inertia += d;
            }
            if !changed {
                break;
            }
            // Move each centre to the mean of its points (an empty cluster keeps its centre).
            let mut sums = Array2::<f64>::zeros(centres.dim());
            let mut counts = vec![0usize; k];
            for (&a, r) in assign.iter().zip(x.rows()) {
                let mut s = sums.row_mut(a);
                s += &r;
                counts[a] += 1;
            }
            for ((mut centre, s), &n) in
                centres.rows_mut().into_iter().zip(sums.rows()).zip(&counts)
            {
                if n > 0 {
                    centre.assign(&(&s / n as f64));
                }
            }
        }
        if inertia < best.1 {
            best = (assign, inertia);
        }
    }
    best
}

/// Share of points whose cluster's most common true label is their own.
fn purity(assign: &[usize], truth: &[usize], k: usize) -> f64 {
    let mut counts = vec![[0usize; TRUE_K]; k];
    for (&a, &t) in assign.iter().zip(truth) {
        counts[a][t] += 1;
    }
    let hits: usize = counts
        .iter()
        .map(|c| c.iter().max().copied().unwrap_or(0))
        .sum();
    hits as f64 / truth.len().max(1) as f64
}

/// Z-score every column.
fn standardise(x: &Array2<f64>) -> Array2<f64> {
    let mut out = x.clone();
    for mut col in out.columns_mut() {
        let mean = col.mean().unwrap_or(0.0);
        let sd = col.std(0.0).max(f64::MIN_POSITIVE);
        col.mapv_inplace(|v| (v - mean) / sd);
    }
    out
}

fn fig(name: &str, value: f64) -> Figure {
    Figure {
        name: name.into(),
        value,
    }
}

impl Lab for KMeans {
    fn info(&self) -> LabInfo {
        LabInfo {
            id: ID,
            title: TITLE,
            shows: "inertia bends at the true k, and one unscaled feature wrecks the clusters",
            questions: &["s3-b-cluster-003", "s3-b-cluster-001", "s1-bqml-models-002"],
            notes: &["clustering"],
        }
    }

    fn run(&self, seed: u64) -> Result<LabResult, LabError> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let (x, truth) = data(&mut rng);
        let inertia: Vec<f64> = (1..=MAX_K).map(|k| kmeans(&x, k, &mut rng).1).collect();
        // Curvature I(k−1) − 2·I(k) + I(k+1): the elbow is where it peaks.
        let elbow = (2..MAX_K)
            .map(|k| (k, inertia[k - 2] - 2.0 * inertia[k - 1] + inertia[k]))
            .fold((0, f64::NEG_INFINITY), |b, c| if c.1 > b.1 { c } else { b })
            .0;
        let (assign, _) = kmeans(&x, TRUE_K, &mut rng);
        let purity_raw = purity(&assign, &truth, TRUE_K);
        let mut scaled = x.clone();
        scaled.column_mut(2).mapv_inplace(|v| v * 1000.0);
        let (assign, _) = kmeans(&scaled, TRUE_K, &mut rng);
        let purity_scaled = purity(&assign, &truth, TRUE_K);
        let (assign, _) = kmeans(&standardise(&scaled), TRUE_K, &mut rng);
        let purity_standardised = purity(&assign, &truth, TRUE_K);
        if inertia.iter().any(|v| !v.is_finite()) {
            return Err(LabError::Compute(
                "k-means produced no finite inertia".into(),
            ));
        }
        Ok(LabResult {
            id: ID,
            title: TITLE,
            seed,
            headline: format!(
                "the elbow of inertia is at k = {elbow} (true k = {TRUE_K}); purity falls from {purity_raw:.2} to {purity_scaled:.2} \
                 when one feature is ×1000 and returns to {purity_standardised:.2} after standardising"
            ),
            lesson: "Inertia, the sum of squared distances to the nearest centroid, always falls as k grows, so the \
                     lowest value is no guide; look for the k after which extra clusters stop paying off (the elbow), \
                     then check that the segments make sense to the people who will use them. k-means measures plain \
                     Euclidean distance, so a feature on a scale 1000× larger decides every assignment on its own and \
                     the clusters follow it instead of the real groups. Standardise numeric features (z-scores, or \
                     BigQuery ML's standardize_features) before any distance-based method.",
            figures: vec![
                fig("elbow_k", elbow as f64),
                fig("true_k", TRUE_K as f64),
                fig("inertia_k3", inertia[2]),
                fig("inertia_k4", inertia[3]),
                fig("inertia_k5", inertia[4]),
                fig("purity_raw", purity_raw),
                fig("purity_one_feature_x1000", purity_scaled),
                fig("purity_standardised", purity_standardised),
            ],
            charts: vec![Chart {
                title: "Elbow: k-means inertia against k".into(),
                x_label: "number of clusters k".into(),
                y_label: "inertia (sum of squared distances)".into(),
                log_y: false,
                lines: vec![Line {
                    name: "inertia".into(),
                    points: inertia
                        .iter()
                        .enumerate()
                        .map(|(i, &v)| ((i + 1) as f64, v))
                        .collect(),
                }],
            }],
            questions: &["s3-b-cluster-003", "s3-b-cluster-001", "s1-bqml-models-002"],
            notes: &["clustering"],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elbow_at_true_k_and_scaling_breaks_then_standardising_restores() {
        for seed in 1..=5 {
            let r = KMeans.run(seed).unwrap();
            let f = |n: &str| r.figure(n).unwrap();
            assert_eq!(f("elbow_k"), TRUE_K as f64, "seed {seed}: {}", r.headline);
            assert!(f("purity_raw") >= 0.95, "seed {seed}");
            assert!(f("purity_one_feature_x1000") <= 0.7, "seed {seed}");
            assert!(f("purity_standardised") >= 0.95, "seed {seed}");
        }
        assert_eq!(KMeans.run(3).unwrap(), KMeans.run(3).unwrap());
    }
}
