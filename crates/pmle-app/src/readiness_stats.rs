//! The readiness figures and verdict in words, for `stats` and every front end.

use pmle_engine::readiness::{Missing, ReadinessConfig, Verdict, first_seen, fresh_mock_possible};

use crate::stats::{CalibrationStats, ReadinessStats, pct_bounded};
use crate::{App, AppError};

fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// What to do about a missing mock exam; `possible` is false when the learner has answered
/// so much of the bank that a mock on mostly new questions can no longer be drawn.
fn mock_sentence(possible: bool) -> String {
    let cfg = ReadinessConfig::default();
    if !possible {
        return format!(
            "a full mock exam on mostly new questions ({:.0}% or more not answered before) can no longer be drawn: you have answered nearly every question, so pmle cannot measure you on new ones; its estimate rests on questions you may remember, and a practice exam from another source is the next check",
            cfg.mock_min_unseen_share * 100.0
        );
    }
    format!(
        "take a full timed mock exam (`pmle exam`) on mostly new questions ({}+ questions, {:.0}% or more not answered before; one counts for {:.0} days or {} further answers)",
        cfg.full_mock_min_questions,
        cfg.mock_min_unseen_share * 100.0,
        cfg.mock_max_age_days,
        cfg.mock_max_answers_since
    )
}

fn below_target_sentence(percent: u32) -> String {
    format!(
        "your latest full mock exam on new questions scored {percent}%, below the target: practise, then take another"
    )
}

impl App {
    /// The missing evidence in one clause: the mock exam, then the thin sections together
    /// ("sections 1, 2 and 4 have only 8, 8 and 7 answered questions (15 needed in each)").
    fn missing_summary(&self, missing: &[Missing], mock_possible: bool) -> String {
        let mut parts = Vec::new();
        for m in missing {
            match *m {
                Missing::FullMockExam => parts.push(mock_sentence(mock_possible)),
                Missing::MockBelowTarget { percent } => parts.push(below_target_sentence(percent)),
                Missing::SectionAnswers { .. } => {}
            }
        }
        let thin: Vec<(u32, u32, u32)> = missing
            .iter()
            .filter_map(|m| match *m {
                Missing::SectionAnswers {
                    section,
                    answers,
                    needed,
                } => Some((
                    self.pack.sections.get(section).map_or(0, |s| s.number),
                    answers,
                    needed,
                )),
                Missing::FullMockExam | Missing::MockBelowTarget { .. } => None,
            })
            .collect();
        let list = |xs: Vec<String>| match xs.as_slice() {
            [] => String::new(),
            [one] => one.clone(),
            [init @ .., last] => format!("{} and {last}", init.join(", ")),
        };
        match thin.as_slice() {
            [] => {}
            [(number, answers, needed)] => parts.push(format!(
                "section {number} has only {answers} answered question{} ({needed} needed)",
                if *answers == 1 { "" } else { "s" }
            )),
            many => parts.push(format!(
                "sections {} have only {} answered questions ({} needed in each)",
                list(many.iter().map(|t| t.0.to_string()).collect()),
                list(many.iter().map(|t| t.1.to_string()).collect()),
                many[0].2
            )),
        }
        parts.join("; ")
    }

    /// True when a qualifying mock exam could be drawn from this pack for a new learner but
    /// no longer for this one: they have answered nearly every question.
    fn bank_used_up(&self) -> Result<bool, AppError> {
        let cfg = ReadinessConfig::default();
        let questions = self
            .settings()?
            .exam_questions
            .max(cfg.full_mock_min_questions);
        let possible = |answered: &[bool]| {
            fresh_mock_possible(
                &self.index.items,
                answered,
                &self.index.weights,
                questions,
                &cfg,
            )
        };
        let snap = self.snapshot()?;
        let answered: Vec<bool> = first_seen(self.index.items.len(), &snap.observations)
            .iter()
            .map(Option::is_some)
            .collect();
        Ok(!possible(&answered) && possible(&vec![false; answered.len()]))
    }

    pub(crate) fn readiness_stats(&self) -> Result<ReadinessStats, AppError> {
        self.readiness_stats_at(self.now_ms())
    }

    /// The readiness figures and verdict at `now` (Unix ms).
    pub(crate) fn readiness_stats_at(&self, now: i64) -> Result<ReadinessStats, AppError> {
        let r = self.readiness_at(now)?;
        let cal = self.calibration()?;
        let mock_possible = !r.missing.contains(&Missing::FullMockExam) || !self.bank_used_up()?;
        let weakest = r.weakest.and_then(|i| self.pack.sections.get(i));
        let weakest_text = weakest.map_or_else(String::new, |s| {
            format!("section {} ({})", s.number, s.title)
        });
        let missing: Vec<String> = r
            .missing
            .iter()
            .map(|m| match *m {
                Missing::FullMockExam => mock_sentence(mock_possible),
                Missing::MockBelowTarget { percent } => below_target_sentence(percent),
                Missing::SectionAnswers {
                    section,
                    answers,
                    needed,
                } => {
                    let number = self.pack.sections.get(section).map_or(0, |s| s.number);
                    format!(
                        "section {number} has only {answers} answered question{} ({needed} needed)",
                        if answers == 1 { "" } else { "s" }
                    )
                }
            })
            .collect();
        let band = format!(
            "{} (80% interval {}–{})",
            pct(r.mean),
            pct(r.low),
            pct(r.high)
        );
        let needs = if missing.is_empty() {
            String::new()
        } else {
            format!(
                " Still needed for a verdict: {}.",
                self.missing_summary(&r.missing, mock_possible)
            )
        };
        let (status, verdict) = match r.verdict {
            Verdict::NotEnoughEvidence if !r.measured => (
                "not_enough_evidence",
                "Not enough evidence yet: no answers so far. Practise in every section, then take a full mock exam.".to_owned(),
            ),
            Verdict::NotEnoughEvidence => (
                "not_enough_evidence",
                format!("Not enough evidence yet.{needs} Estimate so far {band}."),
            ),
            Verdict::NotReady => (
                "not_ready",
                format!(
                    "Not ready: estimated score {band}, below your {} target. Weakest: {weakest_text}.{needs}",
                    pct(r.target)
                ),
            ),
            Verdict::Borderline => (
                "borderline",
                format!(
                    "Borderline: estimated score {band} reaches your {} target only on average. Weakest: {weakest_text}.{needs}",
                    pct(r.target)
                ),
            ),
            Verdict::LikelyReady => (
                "likely_ready",
                format!(
                    "Likely ready: estimated score {band}, above your {} target (P(pass) {}).",
                    pct(r.target),
                    pct_bounded(r.p_pass)
                ),
            ),
        };
        let shown = |x: f64| r.measured.then_some(x);
        Ok(ReadinessStats {
            mean: shown(r.mean),
            low: shown(r.low),
            high: shown(r.high),
            target: r.target,
            p_pass: shown(r.p_pass),
            p_pass_capped: r.measured && r.p_pass_capped,
            coverage: r.coverage,
            status: status.to_owned(),
            verdict: format!(
                "{verdict} This is an estimate: Google publishes no pass mark, and pmle's questions are not the real exam's."
            ),
            weakest_section: weakest.filter(|_| r.measured).map(|s| s.id.clone()),
            missing,
            full_mock_taken: !r.missing.contains(&Missing::FullMockExam),
            exam_gap_sd: r.gap_sd,
            calibration: CalibrationStats {
                shift: cal.shift,
                extra_sd: cal.extra_sd,
                checks: cal.checks,
            },
            mock_exams: self.prediction_history()?,
        })
    }
}
