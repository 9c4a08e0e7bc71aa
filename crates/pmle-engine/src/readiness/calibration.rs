//! The learner's own record: how readiness predictions made at the start of each mock exam
//! compared with the score, and the correction that record earns (docs/engine.md §5).

use super::logit;

/// One mock exam: the prediction made when it started and the score it got, all 0–1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PredictionCheck {
    pub predicted: f64,
    pub low: f64,
    pub high: f64,
    pub actual: f64,
    /// Questions in the exam (the score's resolution).
    pub questions: usize,
}

impl PredictionCheck {
    /// Whether the score landed inside the 80% interval.
    pub fn held(&self) -> bool {
        self.low - 1e-9 <= self.actual && self.actual <= self.high + 1e-9
    }
}

/// How far to move and widen the estimate, from the learner's record.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Calibration {
    /// Added to every ability (logits); never positive.
    pub shift: f64,
    /// Added in quadrature to the exam-gap spread (logits).
    pub extra_sd: f64,
    /// Checks the correction rests on.
    pub checks: usize,
}

/// Checks used: the most recent ones describe the learner as they are now.
pub const CALIBRATION_WINDOW: usize = 5;
/// Pseudo-checks of zero error the mean is shrunk toward, so one bad day moves little.
pub const CALIBRATION_PRIOR_CHECKS: f64 = 2.0;

/// The correction earned by `checks` (oldest first).
///
/// With `r = logit(actual) − logit(predicted)` over the latest [`CALIBRATION_WINDOW`]
/// checks, `shift = min(0, Σr / (n + 2))` and `extra_sd = −shift`: when mock scores keep
/// landing below the predictions the estimate moves down by the shrunk mean miss and
/// widens by as much. Scores above the predictions move nothing, since those answers
/// already raise the mastery they feed; only over-confidence, the error that makes a
/// learner stop studying too early, is corrected.
pub fn calibrate(checks: &[PredictionCheck]) -> Calibration {
    let recent = &checks[checks.len().saturating_sub(CALIBRATION_WINDOW)..];
    if recent.is_empty() {
        return Calibration::default();
    }
    let sum: f64 = recent
        .iter()
        .map(|c| {
            // Keep a perfect or a zero score finite: half a question from either end.
            let half = 0.5 / c.questions.max(1) as f64;
            logit(c.actual.clamp(half, 1.0 - half)) - logit(c.predicted)
        })
        .sum();
    let shift = (sum / (recent.len() as f64 + CALIBRATION_PRIOR_CHECKS)).min(0.0);
    Calibration {
        shift,
        extra_sd: -shift,
        checks: recent.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(predicted: f64, actual: f64) -> PredictionCheck {
        PredictionCheck {
            predicted,
            low: predicted - 0.1,
            high: predicted + 0.1,
            actual,
            questions: 60,
        }
    }

    #[test]
    fn no_record_no_correction() {
        assert_eq!(calibrate(&[]), Calibration::default());
    }

    #[test]
    fn scores_below_predictions_shift_down_and_widen() {
        let one = calibrate(&[check(0.8, 0.6)]);
        let three = calibrate(&[check(0.8, 0.6), check(0.8, 0.6), check(0.8, 0.6)]);
        assert!(one.shift < 0.0 && one.extra_sd > 0.0, "{one:?}");
        assert!(
            three.shift < one.shift,
            "a repeated miss moves more: {three:?}"
        );
        assert_eq!(three.checks, 3);
        assert!(three.shift > logit(0.6) - logit(0.8), "shrunk toward zero");
    }

    #[test]
    fn scores_above_predictions_move_nothing() {
        let c = calibrate(&[check(0.6, 0.8), check(0.6, 0.9)]);
        assert_eq!(c.shift, 0.0);
        assert_eq!(c.extra_sd, 0.0);
    }

    #[test]
    fn only_recent_checks_count() {
        let mut history = vec![check(0.8, 0.4); 10];
        history.extend(vec![check(0.7, 0.7); CALIBRATION_WINDOW]);
        assert_eq!(calibrate(&history).shift, 0.0);
    }

    #[test]
    fn held_is_inside_the_interval() {
        assert!(check(0.7, 0.75).held());
        assert!(!check(0.7, 0.55).held());
    }
}
