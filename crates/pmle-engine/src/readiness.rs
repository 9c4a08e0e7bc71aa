//! Readiness: the predicted score on a real exam, an 80% interval, coverage, and a verdict
//! that says only what the evidence supports.
//!
//! The prediction samples abilities from each section's mastery belief, a common "exam gap"
//! between pmle's questions and the real exam, and then a 60-question exam with the
//! blueprint's section counts: the interval holds what we do not know about the learner,
//! what pmle cannot know about the real exam, and the luck of a finite exam. "Likely ready"
//! also needs evidence of the right kind (a timed full mock exam on mostly unseen questions,
//! enough first-time answers in every section); when some is missing the verdict names it.
//! Google publishes no pass mark; the target is a setting. docs/engine.md §5 gives the
//! reasons for every constant.

mod calibration;
mod exam_prediction;

pub use calibration::{
    CALIBRATION_PRIOR_CHECKS, CALIBRATION_WINDOW, Calibration, PredictionCheck, calibrate,
};
pub use exam_prediction::{ScorePrediction, predict_exam};

use rand::{Rng, RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::exam::allocate;
use crate::items::{ItemMeta, Observation};
use crate::mastery::{MasteryModel, sigmoid};

/// Effective answers (after fading) a section needs before its estimate counts as covered.
pub const COVERED_EVIDENCE: f64 = 8.0;

/// The evidence rules and the size of what pmle cannot know (docs/engine.md §5).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReadinessConfig {
    /// Spread (logits) of the gap between pmle's question bank and the real exam's
    /// questions: style, difficulty, topics. Nothing pmle observes shrinks it.
    pub bank_gap_sd: f64,
    /// Spread (logits) of the gap between untimed practice and a timed, mixed, 2-hour
    /// sitting, before the learner has sat a qualifying mock exam.
    pub conditions_gap_sd: f64,
    /// The same once a timed full mock exam on mostly unseen questions is submitted: the
    /// mock measured those conditions, but only once.
    pub conditions_gap_sd_after_mock: f64,
    /// First-time answers every section needs before "likely ready".
    pub min_section_answers: u32,
    /// Questions a mock exam needs to count as full (the real exam has 50–60).
    pub full_mock_min_questions: usize,
    /// Share of a mock exam's questions the learner must not have answered before.
    pub mock_min_unseen_share: f64,
    /// A mock exam stops counting after this many days…
    pub mock_max_age_days: f64,
    /// …or after this many later answers: the learner it measured has changed.
    pub mock_max_answers_since: u32,
    /// `p_pass` is kept within [floor, 1 − floor]: 2 000 draws of a model that may be
    /// wrong cannot support certainty either way.
    pub p_pass_floor: f64,
    /// Highest `p_pass` before a qualifying mock exam: pmle has never seen the learner sit
    /// a timed exam, so untimed practice alone cannot support a higher figure.
    pub p_pass_cap_without_mock: f64,
}

impl Default for ReadinessConfig {
    fn default() -> Self {
        ReadinessConfig {
            bank_gap_sd: 0.5,
            conditions_gap_sd: 0.8,
            conditions_gap_sd_after_mock: 0.3,
            min_section_answers: 15,
            full_mock_min_questions: 50,
            mock_min_unseen_share: 0.75,
            mock_max_age_days: 30.0,
            mock_max_answers_since: 300,
            p_pass_floor: 0.01,
            p_pass_cap_without_mock: 0.9,
        }
    }
}

/// A submitted mock exam as readiness sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MockTaken {
    /// Drawn from the whole blueprint (not a section-only or retry exam).
    pub full: bool,
    pub questions: usize,
    /// Share of its questions not answered before the exam started, 0–1.
    pub unseen_share: f64,
    /// Its score, 0–1.
    pub score: f64,
    /// Days since it was submitted.
    pub age_days: f64,
    /// Answers (practice and exams) given since it was submitted.
    pub answers_since: u32,
}

impl MockTaken {
    /// A timed full mock exam on mostly unseen questions, recent enough to still describe
    /// the learner (docs/engine.md §5).
    pub fn qualifies(&self, cfg: &ReadinessConfig) -> bool {
        self.full
            && self.questions >= cfg.full_mock_min_questions
            && self.unseen_share >= cfg.mock_min_unseen_share
            && self.age_days <= cfg.mock_max_age_days
            && self.answers_since <= cfg.mock_max_answers_since
    }
}

/// What the estimate rests on, besides the masteries.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evidence {
    /// Per section, in blueprint order: answers to questions never answered before.
    pub first_answers: Vec<u32>,
    /// Submitted mock exams, oldest first.
    pub mocks: Vec<MockTaken>,
    /// The learner's own record of predicted against actual mock scores.
    pub calibration: Calibration,
}

/// Something "likely ready" needs that the history does not have yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// No recent submitted timed full mock exam on mostly unseen questions.
    FullMockExam,
    /// The latest qualifying mock exam scored below the target (whole percent).
    MockBelowTarget { percent: u32 },
    /// A section with fewer first-time answers than needed.
    SectionAnswers {
        section: usize,
        answers: u32,
        needed: u32,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Readiness {
    /// Expected score, 0–1.
    pub mean: f64,
    /// 10th and 90th percentiles.
    pub low: f64,
    pub high: f64,
    pub target: f64,
    /// Probability that the score reaches the target, within [floor, 1 − floor], and at
    /// most `p_pass_cap_without_mock` before a qualifying mock exam.
    pub p_pass: f64,
    /// Share of the blueprint weight whose section has enough evidence, 0–1.
    pub coverage: f64,
    /// Index of the section that costs the most expected points.
    pub weakest: Option<usize>,
    pub verdict: Verdict,
    /// True when `p_pass` was lowered to the cap that applies before a qualifying mock.
    pub p_pass_capped: bool,
    /// What "likely ready" still needs, in blueprint order (the mock exam first).
    pub missing: Vec<Missing>,
    /// False when no section has a single answer: the figures are then the prior alone.
    pub measured: bool,
    /// Standard deviation (logits) of the exam-gap term used.
    pub gap_sd: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Too little evidence to say.
    NotEnoughEvidence,
    NotReady,
    Borderline,
    LikelyReady,
}

/// Predict the exam score from the masteries (overall and per section), the section
/// weights (percent) and the evidence.
pub fn predict(
    mastery: &MasteryModel,
    weights: &[f64],
    exam_questions: usize,
    target: f64,
    evidence: &Evidence,
    cfg: &ReadinessConfig,
    seed: u64,
) -> Readiness {
    let (sections, overall) = (&mastery.sections, &mastery.overall);
    let total_weight: f64 = weights.iter().sum::<f64>().max(f64::EPSILON);
    let counts = allocate(weights, exam_questions);
    let n: usize = counts.iter().sum::<usize>().max(1);
    let latest_mock = evidence.mocks.iter().rev().find(|m| m.qualifies(cfg));
    let mock_ok = latest_mock.is_some();
    let conditions = if mock_ok {
        cfg.conditions_gap_sd_after_mock
    } else {
        cfg.conditions_gap_sd
    };
    let cal = &evidence.calibration;
    let gap_sd = (cfg.bank_gap_sd.powi(2) + conditions.powi(2) + cal.extra_sd.powi(2)).sqrt();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    const DRAWS: usize = 2000;
    let mut scores = Vec::with_capacity(DRAWS);
    let mut expected = 0.0;
    for _ in 0..DRAWS {
        let gap = cal.shift + gap_sd * standard_normal(&mut rng);
        // What is unknown about the learner overall is shared by every section: drawing
        // the sections independently would let their errors cancel and the interval
        // would claim more than the evidence holds.
        let shared = standard_normal(&mut rng);
        let mut right = 0usize;
        for ((m, &k), w) in sections.iter().zip(&counts).zip(weights) {
            let rho = if m.belief.var > 0.0 {
                (overall.var / m.belief.var).clamp(0.0, 1.0)
            } else {
                0.0
            };
            let z = rho.sqrt() * shared + (1.0 - rho).sqrt() * standard_normal(&mut rng);
            let deviation = m.belief.var.sqrt() * z;
            // p for this draw, over the section's difficulty mix: shift the mastery's p by
            // the draw's distance from the mean on the logit scale, and by the exam gap.
            let p = sigmoid(logit(m.p) + deviation + gap);
            // The mean averages over the gap only: `m.p` already averages over the ability
            // belief, and drawing it again would shrink the mean twice.
            expected += w * sigmoid(logit(m.p) + gap);
            right += (0..k).filter(|_| rng.random::<f64>() < p).count();
        }
        scores.push(right as f64 / n as f64);
    }
    let mean = (expected / DRAWS as f64 / total_weight).max(0.0);
    scores.sort_by(f64::total_cmp);
    let low = scores[DRAWS / 10];
    let high = scores[DRAWS * 9 / 10];
    let cap = if mock_ok {
        1.0 - cfg.p_pass_floor
    } else {
        cfg.p_pass_cap_without_mock
    };
    let raw_p_pass = scores.iter().filter(|&&s| s >= target).count() as f64 / DRAWS as f64;
    let p_pass = raw_p_pass.clamp(cfg.p_pass_floor, cap);
    let p_pass_capped = !mock_ok && raw_p_pass > cap;
    let coverage = sections
        .iter()
        .zip(weights)
        .filter(|(m, _)| m.belief.evidence >= COVERED_EVIDENCE)
        .fold(0.0, |sum, (_, w)| sum + w) // not `sum()`: an empty float sum is -0.0
        / total_weight;
    let weakest = sections
        .iter()
        .zip(weights)
        .enumerate()
        .max_by(|(_, (a, wa)), (_, (b, wb))| ((1.0 - a.p) * *wa).total_cmp(&((1.0 - b.p) * *wb)))
        .map(|(i, _)| i);
    let mut missing = Vec::new();
    match latest_mock {
        None => missing.push(Missing::FullMockExam),
        // The direct measurement on unseen questions under exam conditions disagrees.
        Some(m) if m.score < target => missing.push(Missing::MockBelowTarget {
            percent: (m.score * 100.0).round() as u32,
        }),
        Some(_) => {}
    }
    for section in 0..sections.len() {
        let answers = evidence.first_answers.get(section).copied().unwrap_or(0);
        if answers < cfg.min_section_answers {
            missing.push(Missing::SectionAnswers {
                section,
                answers,
                needed: cfg.min_section_answers,
            });
        }
    }
    let measured = evidence.first_answers.iter().any(|&a| a > 0);
    let verdict = if !measured || coverage < 0.5 {
        Verdict::NotEnoughEvidence
    } else if mean < target {
        Verdict::NotReady
    } else if missing
        .iter()
        .any(|m| !matches!(m, Missing::MockBelowTarget { .. }))
    {
        // The estimate clears the target, but not on evidence that could support a verdict.
        Verdict::NotEnoughEvidence
    } else if low >= target && missing.is_empty() {
        Verdict::LikelyReady
    } else {
        Verdict::Borderline
    };
    Readiness {
        mean,
        low,
        high,
        target,
        p_pass,
        p_pass_capped,
        coverage,
        weakest,
        verdict,
        missing,
        measured,
        gap_sd,
    }
}

/// Whether a full mock exam of `questions` drawn now (unseen questions first, by the
/// blueprint's seats, as `exam::assemble` draws it) could qualify: long enough, and with
/// enough never-answered questions for its seats. When it cannot, the learner has used up
/// the bank and pmle can no longer measure them on new questions.
pub fn fresh_mock_possible(
    items: &[ItemMeta],
    answered: &[bool],
    weights: &[f64],
    questions: usize,
    cfg: &ReadinessConfig,
) -> bool {
    let seats = allocate(weights, questions);
    let mut unseen = vec![0usize; weights.len()];
    for (it, &seen) in items.iter().zip(answered) {
        if !it.retired
            && !seen
            && let Some(u) = unseen.get_mut(it.section)
        {
            *u += 1;
        }
    }
    let fresh: usize = seats.iter().zip(&unseen).map(|(s, u)| (*s).min(*u)).sum();
    questions >= cfg.full_mock_min_questions
        && fresh as f64 >= cfg.mock_min_unseen_share * questions as f64
}

/// Per section: answers to questions the learner had never answered before.
pub fn first_answers(
    items: &[ItemMeta],
    n_sections: usize,
    observations: &[Observation],
) -> Vec<u32> {
    let mut seen = vec![false; items.len()];
    let mut out = vec![0u32; n_sections];
    for o in observations {
        if let Some(s) = seen.get_mut(o.item)
            && !*s
        {
            *s = true;
            if let Some(c) = out.get_mut(items[o.item].section) {
                *c += 1;
            }
        }
    }
    out
}

/// When each item was first answered (`None`: never), from observations in any order.
pub fn first_seen(n_items: usize, observations: &[Observation]) -> Vec<Option<i64>> {
    let mut out: Vec<Option<i64>> = vec![None; n_items];
    for o in observations {
        if let Some(slot) = out.get_mut(o.item) {
            *slot = Some(slot.map_or(o.at_ms, |t| t.min(o.at_ms)));
        }
    }
    out
}

/// Share of `exam_items` with no answer before `started_at_ms`, 0–1 (1 for an empty exam);
/// `first_seen` is from [`first_seen`].
pub fn unseen_share(exam_items: &[usize], first_seen: &[Option<i64>], started_at_ms: i64) -> f64 {
    if exam_items.is_empty() {
        return 1.0;
    }
    let unseen = exam_items
        .iter()
        .filter(|&&i| {
            first_seen
                .get(i)
                .copied()
                .flatten()
                .is_none_or(|t| t >= started_at_ms)
        })
        .count();
    unseen as f64 / exam_items.len() as f64
}

pub(crate) fn logit(p: f64) -> f64 {
    let p = p.clamp(1e-6, 1.0 - 1e-6);
    (p / (1.0 - p)).ln()
}

/// Box–Muller from two uniforms.
pub(crate) fn standard_normal<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    let u1: f64 = rng.random::<f64>().max(f64::MIN_POSITIVE);
    let u2: f64 = rng.random::<f64>();
    (-2.0f64 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

#[cfg(test)]
mod tests;
