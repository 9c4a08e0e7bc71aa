//! One learner's part of a cohort dashboard, computed from their own `App` at one instant
//! with the same code as their own dashboard: readiness (`readiness_stats`), section and
//! topic mastery (the mastery model), mock exams (`mock_history`), the exam date.

use std::collections::HashSet;

use serde::Serialize;

use crate::{App, AppError, ReadinessStats, date_of_ms};

pub(crate) const DAY_MS: i64 = 86_400_000;

/// Days counted by [`MemberSummary::answers_last_7_days`].
pub const RECENT_ANSWER_DAYS: i64 = 7;

/// What a cohort dashboard knows about one member at `as_of_ms`. No name: the caller pairs
/// it with one, so the same summary can feed an anonymised standing.
#[derive(Debug, Clone, Serialize)]
pub struct MemberSummary {
    /// The instant it was computed for, Unix ms.
    pub as_of_ms: i64,
    /// Readiness exactly as the learner's own dashboard shows it: its figures are `null`
    /// when the model gives none (no answer yet), `status` and `missing` say what evidence
    /// a verdict still needs.
    pub readiness: ReadinessStats,
    /// Distinct questions answered in all.
    pub questions_answered: usize,
    /// Every blueprint section, in order.
    pub sections: Vec<MemberSection>,
    /// Topics with at least one answered question, in pack order.
    pub topics: Vec<MemberTopic>,
    /// Answers (practice and submitted exams) in the 7 days up to `as_of_ms`.
    pub answers_last_7_days: u64,
    pub answers_total: u64,
    /// Submitted mock exams, oldest first.
    pub mock_exams: Vec<MemberMock>,
    /// The learner's own exam date (`YYYY-MM-DD`) and the days from `as_of_ms`'s UTC day
    /// to it (0 on the day, negative after).
    pub exam_date: Option<String>,
    pub days_to_exam: Option<i64>,
    /// Latest study action up to `as_of_ms`: an answer, a flashcard review or work on a
    /// mock exam (an exam's answers are only recorded when it is submitted).
    pub last_activity_ms: Option<i64>,
    /// Latest answer up to `as_of_ms`.
    pub last_answer_ms: Option<i64>,
}

/// One section's mastery for one member.
#[derive(Debug, Clone, Serialize)]
pub struct MemberSection {
    pub id: String,
    pub number: u32,
    pub title: String,
    /// Percentage of the exam.
    pub weight: f64,
    /// Distinct questions of the section answered (repeats do not count).
    pub questions_answered: u32,
    /// Chance on an unseen question of the section and its 80% interval; `null` before the
    /// section's first answer (it would be the prior).
    pub mastery: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
}

/// One topic's mastery for one member (only topics with an answer are listed).
#[derive(Debug, Clone, Serialize)]
pub struct MemberTopic {
    pub id: String,
    pub title: String,
    pub section_number: u32,
    /// The topic's share of the exam, percent: its section's weight divided among the
    /// section's live questions, summed over the topic's (as adaptive practice weighs it).
    pub exam_share: f64,
    /// Distinct questions answered whose first topic is this one.
    pub questions_answered: u32,
    /// Chance on an unseen question of the topic and its 80% interval.
    pub mastery: f64,
    pub low: f64,
    pub high: f64,
}

/// One submitted mock exam.
#[derive(Debug, Clone, Serialize)]
pub struct MemberMock {
    /// `YYYY-MM-DD` (UTC) of the submit.
    pub date: String,
    pub submitted_at_ms: i64,
    /// "full", "section 3", "retry".
    pub kind: String,
    pub questions: usize,
    pub correct: usize,
    /// Share right, 0–1 (unanswered count as wrong).
    pub score: f64,
}

impl App {
    /// This learner's summary for a cohort dashboard at `now` (Unix ms). Answers after
    /// `now` (a clock set back) are not counted in the recent figures.
    pub fn member_summary(&self, now: i64) -> Result<MemberSummary, AppError> {
        let snap = self.snapshot()?;
        let mastery = self.mastery_at(now)?;
        let readiness = self.readiness_stats_at(now)?;

        let mut seen = HashSet::new();
        let mut per_topic = vec![0u32; self.pack.topics.len()];
        let mut per_section = vec![0u32; self.pack.sections.len()];
        for o in &snap.observations {
            if o.at_ms <= now && seen.insert(o.item) {
                let meta = &self.index.items[o.item];
                if let Some(n) = per_topic.get_mut(meta.topic) {
                    *n += 1;
                }
                if let Some(n) = per_section.get_mut(meta.section) {
                    *n += 1;
                }
            }
        }

        let sections = self
            .pack
            .sections
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let answered = per_section.get(i).copied().unwrap_or(0);
                let m = mastery.sections.get(i).filter(|_| answered > 0);
                MemberSection {
                    id: s.id.clone(),
                    number: s.number,
                    title: s.title.clone(),
                    weight: s.weight,
                    questions_answered: answered,
                    mastery: m.map(|m| m.p),
                    low: m.map(|m| m.low),
                    high: m.map(|m| m.high),
                }
            })
            .collect();

        let shares = self.topic_exam_shares();
        let topics = self
            .pack
            .topics
            .iter()
            .enumerate()
            .filter_map(|(ti, t)| {
                let answered = per_topic.get(ti).copied().unwrap_or(0);
                let m = mastery.topics.get(ti).filter(|_| answered > 0)?;
                Some(MemberTopic {
                    id: t.id.clone(),
                    title: t.title.clone(),
                    section_number: self
                        .pack
                        .sections
                        .iter()
                        .find(|s| s.id == t.section)
                        .map_or(0, |s| s.number),
                    exam_share: shares.get(ti).copied().unwrap_or(0.0),
                    questions_answered: answered,
                    mastery: m.p,
                    low: m.low,
                    high: m.high,
                })
            })
            .collect();

        let answers = self.store.answers()?;
        let recent_from = now - RECENT_ANSWER_DAYS * DAY_MS;
        let past = || {
            answers
                .iter()
                .map(|a| a.answer.answered_at_ms)
                .filter(|&t| t <= now)
        };
        let answers_last_7_days = past().filter(|&t| t > recent_from).count() as u64;
        let last_answer_ms = past().max();
        let last_review = self
            .store
            .reviews()?
            .iter()
            .map(|r| r.reviewed_at_ms)
            .filter(|&t| t <= now)
            .max();
        let mut exams = self.store.finished_exams()?;
        exams.extend(self.store.unfinished_exam()?);
        let last_exam_action = exams
            .iter()
            .flat_map(|e| {
                [
                    Some(e.started_at_ms),
                    Some(e.updated_at_ms),
                    e.submitted_at_ms,
                ]
            })
            .flatten()
            .filter(|&t| t <= now)
            .max();
        let last_activity_ms = [last_answer_ms, last_review, last_exam_action]
            .into_iter()
            .flatten()
            .max();

        let mock_exams = self
            .mock_history()?
            .into_iter()
            .map(|e| MemberMock {
                date: e.date,
                submitted_at_ms: e.submitted_at_ms,
                kind: e.kind,
                questions: e.questions,
                correct: e.correct,
                score: e.score,
            })
            .collect();

        let exam_date = self.exam_date()?;
        Ok(MemberSummary {
            as_of_ms: now,
            readiness,
            questions_answered: seen.len(),
            sections,
            topics,
            answers_last_7_days,
            answers_total: answers.len() as u64,
            mock_exams,
            exam_date: exam_date.map(|d| date_of_ms(day_start_ms(d))),
            days_to_exam: exam_date.map(|d| days_from(now, d)),
            last_activity_ms,
            last_answer_ms,
        })
    }

    /// Each topic's share of the exam, percent: the section weight divided among the
    /// section's live questions, summed over the questions whose first topic it is.
    fn topic_exam_shares(&self) -> Vec<f64> {
        let n_sections = self.pack.sections.len();
        let mut live = vec![0usize; n_sections];
        for it in self.index.items.iter().filter(|it| !it.retired) {
            if let Some(n) = live.get_mut(it.section) {
                *n += 1;
            }
        }
        let mut out = vec![0.0; self.pack.topics.len()];
        for it in self.index.items.iter().filter(|it| !it.retired) {
            let (Some(w), Some(&n), Some(slot)) = (
                self.index.weights.get(it.section),
                live.get(it.section),
                out.get_mut(it.topic),
            ) else {
                continue;
            };
            *slot += w / n as f64;
        }
        out
    }
}

pub(crate) fn day_start_ms(d: time::Date) -> i64 {
    (d.midnight().assume_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

/// Whole days from the UTC day of `now_ms` to `date`: 0 on the day, negative after.
pub(crate) fn days_from(now_ms: i64, date: time::Date) -> i64 {
    (day_start_ms(date) - now_ms.div_euclid(DAY_MS) * DAY_MS).div_euclid(DAY_MS)
}
