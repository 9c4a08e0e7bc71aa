//! Content and progress figures for `pmle stats`. The JSON keys are a stable interface
//! (documented in docs/cli.md): add keys, never rename or remove them.

use serde::Serialize;

use pmle_engine::readiness::Verdict;

use crate::{App, AppError};

#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    pub pack: PackInfo,
    pub database: String,
    pub content: ContentStats,
    pub sections: Vec<SectionStats>,
    pub progress: ProgressStats,
    pub readiness: ReadinessStats,
    pub cards: CardStats,
    pub exams: ExamStats,
}

/// The predicted exam score. Google publishes no pass mark: `target` is a setting.
#[derive(Debug, Clone, Serialize)]
pub struct ReadinessStats {
    /// Expected score, 0–1, and its 80% interval.
    pub mean: f64,
    pub low: f64,
    pub high: f64,
    pub target: f64,
    /// Probability of reaching the target on a 60-question exam.
    pub p_pass: f64,
    /// Share of the blueprint weight with enough evidence, 0–1.
    pub coverage: f64,
    /// `not_enough_evidence`, `not_ready`, `borderline` or `likely_ready`.
    pub status: String,
    /// One plain sentence for people.
    pub verdict: String,
    pub weakest_section: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CardStats {
    pub total: usize,
    pub due: usize,
    pub new_today: usize,
    pub scheduled_questions: usize,
    /// `default` or `personal` FSRS parameters.
    pub fsrs_parameters: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExamStats {
    pub finished: usize,
    pub last_score: Option<f64>,
    pub unfinished: Option<UnfinishedExam>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnfinishedExam {
    pub id: i64,
    pub questions: usize,
    pub answered: usize,
    pub flagged: usize,
    pub seconds_left: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct PackInfo {
    pub id: String,
    pub title: String,
    pub guide_version: String,
    pub guide_date: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ContentStats {
    pub questions: usize,
    pub cards: usize,
    pub notes: usize,
    pub catalog: usize,
    pub topics: usize,
    pub seed_headings: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionStats {
    pub id: String,
    pub number: u32,
    pub title: String,
    pub weight: f64,
    pub questions: usize,
    pub answers: u64,
    pub correct: u64,
    /// `correct / answers`, `null` before the first answer.
    pub correct_share: Option<f64>,
    /// Estimated probability of answering an unseen question of the section, with its
    /// 80% interval.
    pub mastery: f64,
    pub mastery_low: f64,
    pub mastery_high: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProgressStats {
    pub answers_total: u64,
    pub answers_correct: u64,
    pub correct_share: Option<f64>,
    /// Distinct questions answered at least once.
    pub questions_seen: usize,
}

fn share(correct: u64, answers: u64) -> Option<f64> {
    (answers > 0).then(|| correct as f64 / answers as f64)
}

impl App {
    pub fn stats(&self) -> Result<Stats, AppError> {
        let p = &self.pack;
        let tally = self.store.tally()?;
        let by_section = self.store.tally_by_section()?;
        let seen = self.store.question_history()?.len();
        let mastery = self.mastery()?;
        let sections = p
            .sections
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let m = mastery.sections[i];
                let t = by_section
                    .iter()
                    .find(|(id, _)| *id == s.id)
                    .map(|(_, t)| *t)
                    .unwrap_or_default();
                SectionStats {
                    id: s.id.clone(),
                    number: s.number,
                    title: s.title.clone(),
                    weight: s.weight,
                    questions: p
                        .questions
                        .iter()
                        .filter(|q| q.section == s.id && !q.retired)
                        .count(),
                    answers: t.answers,
                    correct: t.correct,
                    correct_share: share(t.correct, t.answers),
                    mastery: m.p,
                    mastery_low: m.low,
                    mastery_high: m.high,
                }
            })
            .collect();
        Ok(Stats {
            pack: PackInfo {
                id: p.meta.id.clone(),
                title: p.meta.title.clone(),
                guide_version: p.meta.guide_version.clone(),
                guide_date: p.meta.guide_date.to_string(),
            },
            database: self.database.clone(),
            content: ContentStats {
                questions: p.questions.iter().filter(|q| !q.retired).count(),
                cards: p.cards.len(),
                notes: p.notes.len(),
                catalog: p.products.len(),
                topics: p.topics.len(),
                seed_headings: p.seed_headings.len(),
            },
            sections,
            progress: ProgressStats {
                answers_total: tally.answers,
                answers_correct: tally.correct,
                correct_share: share(tally.correct, tally.answers),
                questions_seen: seen,
            },
            readiness: self.readiness_stats()?,
            cards: self.card_stats()?,
            exams: self.exam_stats()?,
        })
    }
}

impl App {
    fn readiness_stats(&self) -> Result<ReadinessStats, AppError> {
        let r = self.readiness()?;
        let weakest = r.weakest.and_then(|i| self.pack.sections.get(i));
        let weakest_text = weakest.map_or_else(String::new, |s| {
            format!("section {} ({})", s.number, s.title)
        });
        let pct = |x: f64| format!("{:.0}%", x * 100.0);
        let band = format!(
            "{} (80% interval {}–{})",
            pct(r.mean),
            pct(r.low),
            pct(r.high)
        );
        let (status, verdict) = match r.verdict {
            Verdict::NotEnoughEvidence => (
                "not_enough_evidence",
                format!(
                    "Not enough evidence yet: answer more questions across the sections. Estimate so far {band}."
                ),
            ),
            Verdict::NotReady => (
                "not_ready",
                format!(
                    "Not ready: estimated score {band}, below your {} target. Weakest: {weakest_text}.",
                    pct(r.target)
                ),
            ),
            Verdict::Borderline => (
                "borderline",
                format!(
                    "Borderline: estimated score {band} reaches your {} target only on average. Weakest: {weakest_text}.",
                    pct(r.target)
                ),
            ),
            Verdict::LikelyReady => (
                "likely_ready",
                format!(
                    "Likely ready: estimated score {band}, above your {} target.",
                    pct(r.target)
                ),
            ),
        };
        Ok(ReadinessStats {
            mean: r.mean,
            low: r.low,
            high: r.high,
            target: r.target,
            p_pass: r.p_pass,
            coverage: r.coverage,
            status: status.to_owned(),
            verdict: format!("{verdict} This is an estimate; Google publishes no pass mark."),
            weakest_section: weakest.map(|s| s.id.clone()),
        })
    }

    fn card_stats(&self) -> Result<CardStats, AppError> {
        let q = self.card_queue()?;
        let scheduled_questions = self
            .store
            .schedule()?
            .iter()
            .filter(|r| r.kind == pmle_store::ItemKind::Question)
            .count();
        Ok(CardStats {
            total: self.pack.cards.len(),
            due: q.due.len(),
            new_today: q.new.len(),
            scheduled_questions,
            fsrs_parameters: if q.personal_parameters {
                "personal"
            } else {
                "default"
            }
            .to_owned(),
        })
    }

    fn exam_stats(&self) -> Result<ExamStats, AppError> {
        let finished = self.store.finished_exams()?;
        let last_score = match finished.first() {
            Some(e) => Some(self.exam_report(e.id)?.score),
            None => None,
        };
        let unfinished = self.store.unfinished_exam()?.map(|e| UnfinishedExam {
            id: e.id,
            questions: e.items.len(),
            answered: e.items.iter().filter(|i| i.chosen.is_some()).count(),
            flagged: e.items.iter().filter(|i| i.flagged).count(),
            seconds_left: (e.time_limit_ms - e.elapsed_ms).max(0) / 1000,
        });
        Ok(ExamStats {
            finished: finished.len(),
            last_score,
            unfinished,
        })
    }
}
