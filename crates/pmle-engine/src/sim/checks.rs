//! Readiness checks of a simulation and the figures that grade them.

/// One readiness check: what the engine said at a mock-exam time, and the truth.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Check {
    /// The estimate's mean and 80% interval (0–1).
    pub mean: f64,
    pub low: f64,
    pub high: f64,
    /// The estimate's probability of reaching the target.
    pub p_pass: f64,
    /// Whether the verdict was "likely ready".
    pub likely_ready: bool,
    /// True expected score on the (harder) real exam, 0–1.
    pub truth: f64,
    /// Score on one simulated real exam, 0–1.
    pub exam_score: f64,
    /// True chance of reaching the target on the real exam.
    pub true_p_pass: f64,
    /// Whether the simulated real exam reached the target.
    pub passed: bool,
}

/// How the readiness estimate fared against the truth over a set of checks.
#[derive(Debug, Clone, PartialEq)]
pub struct Calibration {
    /// Mean absolute error of the predicted score against the true expected real-exam
    /// score, in percentage points.
    pub mae_points: f64,
    /// Mean signed error (predicted − true), in points: positive means optimistic.
    pub bias_points: f64,
    /// Share of checks whose 80% interval contains the true expected real-exam score.
    pub coverage: f64,
    /// Share of checks whose 80% interval contains the score of one simulated real exam
    /// (what the interval is drawn for: it includes the luck of a finite exam).
    pub coverage_exam: f64,
    /// Brier score of `p_pass` against the outcome of one simulated real exam.
    pub brier: f64,
    /// "Likely ready" verdicts given.
    pub likely_ready: usize,
    /// Of those, the ones given to a learner whose true chance of passing is under 50%.
    pub false_ready: usize,
    /// `false_ready / likely_ready` (`None` when no "likely ready" verdict was given).
    pub false_ready_rate: Option<f64>,
    pub samples: usize,
}

fn mean(v: impl Iterator<Item = f64>) -> f64 {
    let (sum, n) = v.fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
    if n == 0 { 0.0 } else { sum / n as f64 }
}

/// Grade a set of readiness checks.
pub fn grade(checks: &[Check]) -> Calibration {
    let within = |x: f64, c: &Check| c.low <= x && x <= c.high;
    let likely_ready = checks.iter().filter(|c| c.likely_ready).count();
    let false_ready = checks
        .iter()
        .filter(|c| c.likely_ready && c.true_p_pass < 0.5)
        .count();
    Calibration {
        mae_points: mean(checks.iter().map(|c| (c.mean - c.truth).abs() * 100.0)),
        bias_points: mean(checks.iter().map(|c| (c.mean - c.truth) * 100.0)),
        coverage: mean(
            checks
                .iter()
                .map(|c| f64::from(u8::from(within(c.truth, c)))),
        ),
        coverage_exam: mean(
            checks
                .iter()
                .map(|c| f64::from(u8::from(within(c.exam_score, c)))),
        ),
        brier: mean(
            checks
                .iter()
                .map(|c| (c.p_pass - f64::from(u8::from(c.passed))).powi(2)),
        ),
        likely_ready,
        false_ready,
        false_ready_rate: (likely_ready > 0).then(|| false_ready as f64 / likely_ready as f64),
        samples: checks.len(),
    }
}
