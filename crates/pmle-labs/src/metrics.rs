//! The metrics calculator: from `label,score` rows to the confusion matrix at a threshold,
//! accuracy, precision, recall, F1, specificity, ROC AUC, PR AUC (average precision), the
//! two curves and a threshold sweep.
//!
//! Conventions follow scikit-learn so figures can be checked against it: a row is predicted
//! positive when `score >= threshold`; ROC AUC is the trapezoidal area under the ROC curve
//! built from every distinct score (ties form one step); PR AUC is average precision,
//! Σ (Rₙ − Rₙ₋₁) · Pₙ over distinct thresholds from the highest score down.

use serde::Serialize;

/// One labelled prediction.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Sample {
    pub label: bool,
    pub score: f64,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum MetricsError {
    #[error("line {line}: {message}")]
    BadRow { line: usize, message: String },
    #[error("the file has no data rows; give one `label,score` row per prediction (label 0 or 1)")]
    Empty,
    #[error("threshold {0} is not a finite number")]
    BadThreshold(f64),
}

/// Parse `label,score` rows. A first line that is not numeric is taken as a header. Labels
/// are `0`/`1` (or `true`/`false`); scores are finite numbers.
pub fn parse_csv(text: &str) -> Result<Vec<Sample>, MetricsError> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.split(',').map(str::trim);
        let (Some(l), Some(s), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(MetricsError::BadRow {
                line: i + 1,
                message: format!("expected `label,score`, got {line:?}"),
            });
        };
        let label = match l.to_ascii_lowercase().as_str() {
            "1" | "1.0" | "true" => true,
            "0" | "0.0" | "false" => false,
            _ if i == 0 && out.is_empty() && s.parse::<f64>().is_err() => continue, // header
            other => {
                return Err(MetricsError::BadRow {
                    line: i + 1,
                    message: format!("label {other:?} must be 0 or 1"),
                });
            }
        };
        let score: f64 = s
            .parse()
            .ok()
            .filter(|x: &f64| x.is_finite())
            .ok_or_else(|| MetricsError::BadRow {
                line: i + 1,
                message: format!("score {s:?} is not a finite number"),
            })?;
        out.push(Sample { label, score });
    }
    if out.is_empty() {
        return Err(MetricsError::Empty);
    }
    Ok(out)
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Confusion {
    pub tp: u64,
    pub fp: u64,
    pub tn: u64,
    #[serde(rename = "fn")]
    pub fn_: u64,
}

impl Confusion {
    pub fn at(samples: &[Sample], threshold: f64) -> Confusion {
        let mut c = Confusion::default();
        for s in samples {
            match (s.score >= threshold, s.label) {
                (true, true) => c.tp += 1,
                (true, false) => c.fp += 1,
                (false, false) => c.tn += 1,
                (false, true) => c.fn_ += 1,
            }
        }
        c
    }
}

fn ratio(a: u64, b: u64) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

/// Figures at one threshold; `None` where the ratio is undefined (0/0).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct AtThreshold {
    pub threshold: f64,
    pub confusion: Confusion,
    pub accuracy: f64,
    pub precision: Option<f64>,
    pub recall: Option<f64>,
    pub f1: Option<f64>,
    pub specificity: Option<f64>,
    pub false_positive_rate: Option<f64>,
}

impl AtThreshold {
    pub fn compute(samples: &[Sample], threshold: f64) -> AtThreshold {
        let c = Confusion::at(samples, threshold);
        let precision = ratio(c.tp, c.tp + c.fp);
        let recall = ratio(c.tp, c.tp + c.fn_);
        let f1 = ratio(2 * c.tp, 2 * c.tp + c.fp + c.fn_);
        AtThreshold {
            threshold,
            confusion: c,
            accuracy: (c.tp + c.tn) as f64 / samples.len().max(1) as f64,
            precision,
            recall,
            f1,
            specificity: ratio(c.tn, c.tn + c.fp),
            false_positive_rate: ratio(c.fp, c.fp + c.tn),
        }
    }
}

/// Everything the calculator reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub rows: usize,
    pub positives: usize,
    pub negatives: usize,
    pub at: AtThreshold,
    /// `None` when only one class is present (the area is undefined).
    pub roc_auc: Option<f64>,
    /// Average precision; `None` without positives.
    pub pr_auc: Option<f64>,
    /// (false-positive rate, true-positive rate), from (0, 0) to (1, 1).
    pub roc: Vec<(f64, f64)>,
    /// (recall, precision), from the highest threshold down.
    pub pr: Vec<(f64, f64)>,
    /// The threshold sweep: [`SWEEP_POINTS`] thresholds evenly spaced from the lowest
    /// score to the highest (one row when every score is the same). Every front end shows
    /// all of these rows.
    pub sweep: Vec<AtThreshold>,
    /// Why an area is missing, for people.
    pub notes: Vec<String>,
}

/// How many thresholds the sweep has: the lowest score, the highest, and 9 evenly spaced
/// between them (steps of a tenth of the range).
pub const SWEEP_POINTS: usize = 11;

/// The sweep's thresholds for scores from `lo` to `hi`.
pub fn sweep_thresholds(lo: f64, hi: f64) -> Vec<f64> {
    if hi > lo {
        let last = (SWEEP_POINTS - 1) as f64;
        (0..SWEEP_POINTS)
            .map(|k| lo + (hi - lo) * k as f64 / last)
            .collect()
    } else {
        vec![lo]
    }
}

/// The precision-recall curve as the step function average precision measures: from recall
/// 0 at the first point's precision, then for each point a horizontal segment to its recall
/// and a vertical one to the next point's precision. `pr` is `Report::pr` (recall rising).
pub fn pr_steps(pr: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::with_capacity(pr.len() * 2);
    // A segment of length zero (a step where recall or precision did not change) is left out.
    let mut push = |pt: (f64, f64)| {
        if out.last() != Some(&pt) {
            out.push(pt);
        }
    };
    if let Some(&(_, p0)) = pr.first() {
        push((0.0, p0));
    }
    for (i, &(r, p)) in pr.iter().enumerate() {
        push((r, p));
        if let Some(&(_, next_p)) = pr.get(i + 1) {
            push((r, next_p));
        }
    }
    out
}

/// Cumulative (tp, fp) after each distinct score, highest first.
fn steps(samples: &[Sample]) -> Vec<(u64, u64)> {
    let mut sorted: Vec<&Sample> = samples.iter().collect();
    sorted.sort_by(|a, b| b.score.total_cmp(&a.score));
    let mut out = Vec::new();
    let (mut tp, mut fp) = (0u64, 0u64);
    for (i, s) in sorted.iter().enumerate() {
        if s.label {
            tp += 1;
        } else {
            fp += 1;
        }
        if sorted.get(i + 1).is_none_or(|next| next.score != s.score) {
            out.push((tp, fp));
        }
    }
    out
}

pub fn report(samples: &[Sample], threshold: f64) -> Result<Report, MetricsError> {
    if samples.is_empty() {
        return Err(MetricsError::Empty);
    }
    if !threshold.is_finite() {
        return Err(MetricsError::BadThreshold(threshold));
    }
    let positives = samples.iter().filter(|s| s.label).count();
    let negatives = samples.len() - positives;
    let (p, n) = (positives as f64, negatives as f64);
    let steps = steps(samples);
    let mut notes = Vec::new();

    let mut roc = vec![(0.0, 0.0)];
    let roc_auc = if positives > 0 && negatives > 0 {
        let mut area = 0.0;
        let (mut x0, mut y0) = (0.0, 0.0);
        for &(tp, fp) in &steps {
            let (x, y) = (fp as f64 / n, tp as f64 / p);
            area += (x - x0) * (y + y0) / 2.0;
            roc.push((x, y));
            (x0, y0) = (x, y);
        }
        Some(area)
    } else {
        notes.push(format!(
            "ROC AUC is undefined: the data has only {} examples",
            if positives == 0 {
                "negative"
            } else {
                "positive"
            }
        ));
        None
    };

    let mut pr = Vec::new();
    let pr_auc = if positives > 0 {
        let mut ap = 0.0;
        let mut r0 = 0.0;
        for &(tp, fp) in &steps {
            let (r, prec) = (tp as f64 / p, tp as f64 / (tp + fp) as f64);
            ap += (r - r0) * prec;
            pr.push((r, prec));
            r0 = r;
        }
        Some(ap)
    } else {
        notes.push("PR AUC is undefined: there are no positive examples".into());
        None
    };

    let (lo, hi) = samples
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), s| {
            (lo.min(s.score), hi.max(s.score))
        });
    let sweep = sweep_thresholds(lo, hi)
        .into_iter()
        .map(|t| AtThreshold::compute(samples, t))
        .collect();
    Ok(Report {
        rows: samples.len(),
        positives,
        negatives,
        at: AtThreshold::compute(samples, threshold),
        roc_auc,
        pr_auc,
        roc,
        pr,
        sweep,
        notes,
    })
}

/// ROC and PR curves side by side as one SVG document.
pub fn curves_svg(r: &Report) -> Result<String, String> {
    use crate::plot::{Series, unit_chart};
    let diagonal = [(0.0, 0.0), (1.0, 1.0)];
    let roc_title = match r.roc_auc {
        Some(a) => format!("ROC curve (AUC {a:.3})"),
        None => "ROC curve (undefined: one class)".to_owned(),
    };
    let roc = unit_chart(
        &roc_title,
        "false positive rate",
        "true positive rate (recall)",
        &[
            Series {
                name: "model",
                points: &r.roc,
            },
            Series {
                name: "random",
                points: &diagonal,
            },
        ],
        false,
    )?;
    let base = r.positives as f64 / r.rows.max(1) as f64;
    let baseline = [(0.0, base), (1.0, base)];
    let pr_title = match r.pr_auc {
        Some(a) => format!("Precision-recall curve (AP {a:.3})"),
        None => "Precision-recall curve (undefined: no positives)".to_owned(),
    };
    let pr_curve = pr_steps(&r.pr);
    let pr = unit_chart(
        &pr_title,
        "recall",
        "precision",
        &[
            Series {
                name: "model",
                points: &pr_curve,
            },
            Series {
                name: "share of positives",
                points: &baseline,
            },
        ],
        true,
    )?;
    // Two charts in one document, side by side.
    let inner = |svg: &str| {
        svg.split_once('>').map_or(String::new(), |(_, rest)| {
            rest.trim_end().trim_end_matches("</svg>").to_owned()
        })
    };
    Ok(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"960\" height=\"400\" viewBox=\"0 0 960 400\" role=\"img\" aria-label=\"{} and {}\">\n<title>{} and {}</title>\n<g>{}</g>\n<g transform=\"translate(480,0)\">{}</g>\n</svg>\n",
        roc_title,
        pr_title,
        roc_title,
        pr_title,
        inner(&roc),
        inner(&pr)
    ))
}

#[cfg(test)]
mod tests;
