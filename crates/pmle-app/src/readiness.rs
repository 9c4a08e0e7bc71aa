//! Readiness with its evidence: what the estimate rests on (first-time answers per section,
//! the mock exams taken, the learner's record of predicted against actual), the prediction
//! stored when a mock exam starts, and that record (docs/engine.md §5).

use pmle_engine::grade;
use pmle_engine::readiness::{
    Calibration, Evidence, MockTaken, PredictionCheck, Readiness, ReadinessConfig, calibrate,
    first_answers, first_seen, predict, predict_exam, unseen_share,
};
use pmle_store::{ExamPrediction, ExamRecord};
use serde::Serialize;

use crate::{App, AppError};

/// One mock exam's prediction and, once submitted, its score.
#[derive(Debug, Clone, Serialize)]
pub struct PredictionRecord {
    pub exam_id: i64,
    /// `full`, `section` or `retry`.
    pub variant: String,
    pub questions: usize,
    pub started_at_ms: i64,
    /// Predicted score and its 80% interval, 0–1, made when the exam started.
    pub predicted: f64,
    pub low: f64,
    pub high: f64,
    /// The score, `null` while the exam runs.
    pub actual: Option<f64>,
    /// Whether the score landed inside the interval, `null` while the exam runs.
    pub held: Option<bool>,
}

impl PredictionRecord {
    /// "predicted 72% (60–83%), scored 65%: inside the interval".
    pub fn sentence(&self) -> String {
        let pct = |x: f64| format!("{:.0}%", x * 100.0);
        let head = format!(
            "predicted {} ({}–{})",
            pct(self.predicted),
            pct(self.low),
            pct(self.high)
        );
        match (self.actual, self.held) {
            (Some(a), Some(true)) => format!("{head}, scored {}: inside the interval", pct(a)),
            (Some(a), _) if a < self.low => {
                format!("{head}, scored {}: below the interval", pct(a))
            }
            (Some(a), _) => format!("{head}, scored {}: above the interval", pct(a)),
            (None, _) => format!("{head}, not submitted yet"),
        }
    }
}

impl App {
    /// The readiness estimate now; the seed makes its interval reproducible.
    pub fn readiness(&self) -> Result<Readiness, AppError> {
        self.readiness_at(self.now_ms())
    }

    /// The readiness estimate at `now` (Unix ms): the cohort dashboard summarises every
    /// member at one instant.
    pub(crate) fn readiness_at(&self, now: i64) -> Result<Readiness, AppError> {
        let settings = self.settings()?;
        let mastery = self.mastery_at(now)?;
        let evidence = self.readiness_evidence_at(now)?;
        Ok(predict(
            &mastery,
            &self.index.weights,
            settings.exam_questions,
            settings.readiness_target,
            &evidence,
            &ReadinessConfig::default(),
            0x5eed,
        ))
    }

    pub(crate) fn readiness_evidence(&self) -> Result<Evidence, AppError> {
        self.readiness_evidence_at(self.now_ms())
    }

    fn readiness_evidence_at(&self, now: i64) -> Result<Evidence, AppError> {
        let snap = self.snapshot()?;
        let seen = first_seen(self.index.items.len(), &snap.observations);
        let mut mocks = Vec::new();
        // Oldest first: readiness uses the latest one that qualifies.
        for e in self.store.finished_exams()?.into_iter().rev() {
            // Only full exams can qualify; read their items only then.
            if e.variant != "full" {
                mocks.push(MockTaken {
                    full: false,
                    questions: 0,
                    unseen_share: 0.0,
                    score: 0.0,
                    age_days: 0.0,
                    answers_since: 0,
                });
                continue;
            }
            let Some(e) = self.store.exam(e.id)? else {
                continue;
            };
            let items = self.exam_item_indexes(&e);
            let submitted = e.submitted_at_ms.unwrap_or(e.started_at_ms);
            mocks.push(MockTaken {
                full: true,
                questions: items.len(),
                unseen_share: unseen_share(&items, &seen, e.started_at_ms),
                score: self.exam_score(&e),
                age_days: (now - submitted).max(0) as f64 / 86_400_000.0,
                answers_since: snap
                    .observations
                    .iter()
                    .filter(|o| o.at_ms > submitted)
                    .count() as u32,
            });
        }
        Ok(Evidence {
            first_answers: first_answers(
                &self.index.items,
                self.index.weights.len(),
                &snap.observations,
            ),
            mocks,
            calibration: self.calibration()?,
        })
    }

    fn exam_item_indexes(&self, e: &ExamRecord) -> Vec<usize> {
        e.items
            .iter()
            .filter_map(|it| self.index.by_question.get(&it.question_id).copied())
            .collect()
    }

    /// The correction earned by full mock exams whose score fell against their prediction.
    pub(crate) fn calibration(&self) -> Result<Calibration, AppError> {
        let checks: Vec<PredictionCheck> = self
            .prediction_history()?
            .iter()
            .rev() // oldest first
            .filter(|r| r.variant == "full")
            .filter_map(|r| {
                r.actual.map(|actual| PredictionCheck {
                    predicted: r.predicted,
                    low: r.low,
                    high: r.high,
                    actual,
                    questions: r.questions,
                })
            })
            .collect();
        Ok(calibrate(&checks))
    }

    /// Every mock exam's prediction against its score, newest first.
    pub fn prediction_history(&self) -> Result<Vec<PredictionRecord>, AppError> {
        let mut out = Vec::new();
        for p in self.store.predictions()?.into_iter().rev() {
            let Some(e) = self.store.exam(p.exam_id)? else {
                continue;
            };
            // An abandoned exam was never scored: its prediction is never checked.
            if e.status() == pmle_store::ExamStatus::Abandoned {
                continue;
            }
            let actual = e.submitted_at_ms.map(|_| self.exam_score(&e));
            let check = |a: f64| PredictionCheck {
                predicted: p.predicted,
                low: p.low,
                high: p.high,
                actual: a,
                questions: e.items.len(),
            };
            out.push(PredictionRecord {
                exam_id: e.id,
                variant: e.variant.clone(),
                questions: e.items.len(),
                started_at_ms: e.started_at_ms,
                predicted: p.predicted,
                low: p.low,
                high: p.high,
                actual,
                held: actual.map(|a| check(a).held()),
            });
        }
        Ok(out)
    }

    /// The prediction stored for one exam, with its score if submitted.
    pub fn exam_prediction(&self, exam_id: i64) -> Result<Option<PredictionRecord>, AppError> {
        Ok(self
            .prediction_history()?
            .into_iter()
            .find(|r| r.exam_id == exam_id))
    }

    /// Predict the score of a just-created exam and store it, before any answer. Without a
    /// single earlier answer the prediction would be the prior alone, which is neither shown
    /// to the learner nor worth checking: nothing is stored then.
    pub(crate) fn record_exam_prediction(&mut self, e: &ExamRecord) -> Result<(), AppError> {
        let evidence = self.readiness_evidence()?;
        if evidence.first_answers.iter().all(|&a| a == 0) {
            return Ok(());
        }
        let mastery = self.mastery_now()?;
        let cfg = ReadinessConfig::default();
        let conditions = if evidence.mocks.iter().any(|m| m.qualifies(&cfg)) {
            cfg.conditions_gap_sd_after_mock
        } else {
            cfg.conditions_gap_sd
        };
        let items = self.exam_item_indexes(e);
        let p = predict_exam(
            &self.index.items,
            &items,
            &mastery,
            conditions,
            &evidence.calibration,
            e.seed ^ 0x9e37_79b9,
        );
        self.store.record_prediction(&ExamPrediction {
            exam_id: e.id,
            predicted: p.mean,
            low: p.low,
            high: p.high,
            made_at_ms: e.started_at_ms,
        })?;
        Ok(())
    }

    /// Share of an exam's questions answered right (unanswered count as wrong).
    fn exam_score(&self, e: &ExamRecord) -> f64 {
        let mut total = 0usize;
        let mut right = 0usize;
        for it in &e.items {
            let Some(q) = self.pack.question(&it.question_id) else {
                continue;
            };
            total += 1;
            if let Some(chosen) = &it.chosen
                && grade(&q.correct_indexes(), chosen)
            {
                right += 1;
            }
        }
        if total == 0 {
            0.0
        } else {
            right as f64 / total as f64
        }
    }
}
