//! Mastery over time: each section's mastery as the model estimated it at earlier dates,
//! from the answers given by then, against its estimate now (docs/engine.md §2, "Trend").
//!
//! Nothing new is modelled: a point is [`crate::mastery::estimate`] run on the observations
//! up to that instant with the clock at that instant, so "then" is exactly what pmle would
//! have shown on that day. A point is shown only with enough distinct questions behind it;
//! a change is called only when the two 80% intervals do not overlap.

use crate::items::{ItemMeta, MS_PER_DAY, Observation};
use crate::mastery::{MasteryConfig, estimate};

/// Tunables of the trend; the defaults are the ones documented in docs/engine.md.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrendConfig {
    /// Length of the window ending now, days.
    pub days: u32,
    /// Distinct questions of a section answered by a date before its mastery on that date is
    /// shown (below it the estimate leans on the prior and other sections).
    pub min_questions: u32,
    /// Answers in the window before their share right is shown.
    pub min_window_answers: u32,
    /// Points between the window's start and now, both included (at least 2).
    pub points: usize,
}

impl TrendConfig {
    /// One point about every week: 5 for 30 days, 13 for 90.
    pub fn for_days(days: u32) -> TrendConfig {
        TrendConfig {
            days,
            min_questions: 5,
            min_window_answers: 5,
            points: (days as usize / 7).max(1) + 1,
        }
    }
}

/// A section's mastery as estimated at one instant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrendPoint {
    pub at_ms: i64,
    /// Distinct questions of the section answered by then (repeats count once).
    pub questions: u32,
    /// Answers to the section's questions by then, repeats included.
    pub answers: u32,
    /// Probability of answering an unseen question and its 80% interval; `None` with fewer
    /// than `min_questions` distinct questions behind it.
    pub mastery: Option<(f64, f64, f64)>,
}

/// Which way a section moved over the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Now's interval lies wholly above then's.
    Up,
    /// Now's interval lies wholly below then's.
    Down,
    /// Both are measured but their intervals overlap.
    Unclear,
    /// Then or now lacks the evidence for a figure.
    TooLittleEvidence,
}

/// One section's trend over a window ending now.
#[derive(Debug, Clone, PartialEq)]
pub struct SectionTrend {
    pub section: usize,
    /// Evenly spaced from the window's start (first) to now (last).
    pub points: Vec<TrendPoint>,
    /// Answers in the window (after its start, up to now) and how many were right.
    pub window_answers: u32,
    pub window_correct: u32,
    /// Share right in the window with its 80% Wilson interval; `None` with fewer than
    /// `min_window_answers` answers.
    pub window_accuracy: Option<(f64, f64, f64)>,
    pub change: Change,
}

impl SectionTrend {
    pub fn then(&self) -> &TrendPoint {
        &self.points[0]
    }

    pub fn now(&self) -> &TrendPoint {
        &self.points[self.points.len() - 1]
    }
}

/// The 80% Wilson score interval of `k` successes in `n` trials: (share, low, high).
pub fn wilson80(k: u32, n: u32) -> Option<(f64, f64, f64)> {
    if n == 0 {
        return None;
    }
    let z = 1.2816f64;
    let (n, p) = (f64::from(n), f64::from(k) / f64::from(n));
    let denom = 1.0 + z * z / n;
    let centre = (p + z * z / (2.0 * n)) / denom;
    let half = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt() / denom;
    Some((p, (centre - half).max(0.0), (centre + half).min(1.0)))
}

/// Every section's trend over the `tcfg.days` before `now_ms`.
pub fn section_trends(
    items: &[ItemMeta],
    n_sections: usize,
    n_topics: usize,
    observations: &[Observation],
    now_ms: i64,
    cfg: &MasteryConfig,
    tcfg: &TrendConfig,
) -> Vec<SectionTrend> {
    let start = now_ms - i64::from(tcfg.days) * MS_PER_DAY as i64;
    let n_points = tcfg.points.max(2);
    let span = now_ms - start;
    let mut points: Vec<Vec<TrendPoint>> = vec![Vec::with_capacity(n_points); n_sections];
    for k in 0..n_points {
        let at = if k + 1 == n_points {
            now_ms
        } else {
            start + span * k as i64 / (n_points - 1) as i64
        };
        let upto: Vec<Observation> = observations
            .iter()
            .filter(|o| o.at_ms <= at && o.item < items.len())
            .copied()
            .collect();
        let model = estimate(items, n_sections, n_topics, &upto, at, cfg);
        let mut questions = vec![0u32; n_sections];
        let mut answers = vec![0u32; n_sections];
        let mut seen = vec![false; items.len()];
        for o in &upto {
            let s = items[o.item].section;
            if s >= n_sections {
                continue;
            }
            answers[s] += 1;
            if !seen[o.item] {
                seen[o.item] = true;
                questions[s] += 1;
            }
        }
        for (s, row) in points.iter_mut().enumerate() {
            let m = model.sections.get(s);
            row.push(TrendPoint {
                at_ms: at,
                questions: questions[s],
                answers: answers[s],
                mastery: m
                    .filter(|_| questions[s] >= tcfg.min_questions)
                    .map(|m| (m.p, m.low, m.high)),
            });
        }
    }
    points
        .into_iter()
        .enumerate()
        .map(|(section, points)| {
            let (mut n, mut k) = (0u32, 0u32);
            for o in observations {
                if o.item < items.len()
                    && items[o.item].section == section
                    && o.at_ms > start
                    && o.at_ms <= now_ms
                {
                    n += 1;
                    k += u32::from(o.correct);
                }
            }
            let change = match (points[0].mastery, points[points.len() - 1].mastery) {
                (Some((_, _, then_high)), Some((_, now_low, _))) if now_low > then_high => {
                    Change::Up
                }
                (Some((_, then_low, _)), Some((_, _, now_high))) if now_high < then_low => {
                    Change::Down
                }
                (Some(_), Some(_)) => Change::Unclear,
                _ => Change::TooLittleEvidence,
            };
            SectionTrend {
                section,
                points,
                window_answers: n,
                window_correct: k,
                window_accuracy: if n >= tcfg.min_window_answers {
                    wilson80(k, n)
                } else {
                    None
                },
                change,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
