//! The cohort dashboard's figures (issue 19, "Cohorts and coaches"): per member, readiness
//! with its interval, sections, answers this week, mock exams and days to the exam; for the
//! cohort, a per-section heat map, the weakest topics, who has gone quiet, and a learner's
//! anonymised standing. Computed here from each member's [`MemberSummary`], independent of
//! how cohorts are stored or drawn; the rules and why are in docs/engine.md §10.

mod csv;
mod member;
mod standing;
#[cfg(test)]
mod tests;

use serde::Serialize;

pub use csv::{FIXED_COLUMNS, csv_cell, neutralise_formula};
pub use member::{MemberMock, MemberSection, MemberSummary, MemberTopic, RECENT_ANSWER_DAYS};
pub use standing::{Standing, StandingError};

use member::{DAY_MS, day_start_ms, days_from};

use crate::date_of_ms;

/// The thresholds the cohort figures use; `Default` gives the documented ones.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CohortRules {
    /// The line members are counted below, 0–1: the readiness target's default. Google
    /// publishes no pass mark; this is the score the cohort aims at.
    pub target: f64,
    /// Distinct questions of a section a member needs before their section mastery counts
    /// in the heat map (the trend's rule for showing a figure at all).
    pub section_min_questions: u32,
    /// Distinct questions of a topic a member needs before their topic mastery counts
    /// (the printable summary's rule, `MIN_TOPIC_ANSWERS`).
    pub topic_min_questions: u32,
    /// Members measured on a topic before it can be named among the cohort's weakest.
    pub weak_topic_min_members: usize,
    /// How many weakest topics are listed.
    pub weak_topics_shown: usize,
    /// A member with no study action in this many days has gone quiet.
    pub quiet_days: u32,
    /// Members with enough evidence before any standing is given.
    pub standing_min_members: usize,
    /// First-time answers a member needs in every section to be ranked (readiness's own
    /// rule before it gives a verdict).
    pub standing_min_section_answers: u32,
}

impl Default for CohortRules {
    fn default() -> Self {
        CohortRules {
            target: crate::Settings::default().readiness_target,
            section_min_questions: pmle_engine::trend::TrendConfig::for_days(30).min_questions,
            topic_min_questions: crate::MIN_TOPIC_ANSWERS as u32,
            weak_topic_min_members: 3,
            weak_topics_shown: 10,
            quiet_days: 7,
            standing_min_members: 5,
            standing_min_section_answers: pmle_engine::readiness::ReadinessConfig::default()
                .min_section_answers,
        }
    }
}

impl CohortRules {
    /// The rules in sentences, for the page beside the figures.
    pub fn sentences(&self) -> Vec<String> {
        let pct = |x: f64| format!("{:.0}%", x * 100.0);
        vec![
            format!(
                "Heat map: a member's section counts once they have answered {} different questions in it; \"below\" counts members whose estimate is under the {} line, \"clearly below\" those whose whole 80% interval is. Google publishes no pass mark: the line is the cohort's target.",
                self.section_min_questions,
                pct(self.target)
            ),
            format!(
                "Weakest topics: a member counts on a topic after {} different questions on it; a topic is listed once {} or more members count on it, ranked by the share of them under the {} line times the topic's share of the exam.",
                self.topic_min_questions,
                self.weak_topic_min_members,
                pct(self.target)
            ),
            format!(
                "Gone quiet: no answer, flashcard review or mock-exam work in {} days; members who have never studied are listed apart.",
                self.quiet_days
            ),
            format!(
                "Standing: given only when {} or more members have {} first-time answers in every section, and never with names.",
                self.standing_min_members, self.standing_min_section_answers
            ),
        ]
    }
}

/// The whole dashboard.
#[derive(Debug, Clone, Serialize)]
pub struct CohortDashboard {
    pub as_of_ms: i64,
    /// `YYYY-MM-DD` (UTC).
    pub as_of: String,
    pub rules: CohortRules,
    /// The cohort's shared exam date, `YYYY-MM-DD`, and the days to it from today (UTC).
    pub shared_exam_date: Option<String>,
    pub days_to_shared_exam: Option<i64>,
    /// One row per member, in the order given.
    pub members: Vec<MemberRow>,
    /// Per blueprint section.
    pub heat_map: Vec<SectionHeat>,
    /// Weakest first; empty when no topic has enough measured members.
    pub weakest_topics: Vec<TopicWeakness>,
    /// Members who studied before but not in `quiet_days` days, quiet longest first.
    pub quiet: Vec<QuietMember>,
    /// Members with no study action at all.
    pub never_started: Vec<String>,
    /// Members with enough evidence to be ranked for a standing.
    pub standing_eligible: usize,
}

/// One member's row.
#[derive(Debug, Clone, Serialize)]
pub struct MemberRow {
    pub name: String,
    pub summary: MemberSummary,
    /// The member's own exam date if they set one, else the cohort's shared one.
    pub exam_date: Option<String>,
    /// `own`, `cohort`, or `null` without a date.
    pub exam_date_source: Option<String>,
    pub days_to_exam: Option<i64>,
    /// Studied before, but not in `quiet_days` days.
    pub quiet: bool,
    /// Whole days since the last study action, `null` if never.
    pub days_since_activity: Option<i64>,
}

/// One section of the heat map.
#[derive(Debug, Clone, Serialize)]
pub struct SectionHeat {
    pub id: String,
    pub number: u32,
    pub title: String,
    /// Percentage of the exam.
    pub weight: f64,
    /// Members in the cohort, and those with enough evidence in this section.
    pub members: usize,
    pub measured: usize,
    /// Mean and median mastery of the measured members; `null` when none is.
    pub mean: Option<f64>,
    pub median: Option<f64>,
    /// Measured members whose estimate is below the target, and whose whole 80% interval is.
    pub below: usize,
    pub clearly_below: usize,
}

/// One of the cohort's weakest topics.
#[derive(Debug, Clone, Serialize)]
pub struct TopicWeakness {
    pub id: String,
    pub title: String,
    pub section_number: u32,
    /// Percent of the exam.
    pub exam_share: f64,
    /// Members measured on it, those below the target, those clearly below.
    pub measured: usize,
    pub below: usize,
    pub clearly_below: usize,
    /// Mean mastery of the measured members.
    pub mean: f64,
    /// `below / measured × exam_share`: the ranking score.
    pub score: f64,
}

/// A member who has gone quiet.
#[derive(Debug, Clone, Serialize)]
pub struct QuietMember {
    pub name: String,
    pub last_activity_ms: i64,
    /// `YYYY-MM-DD` (UTC).
    pub last_activity: String,
    pub days_since: i64,
}

impl CohortDashboard {
    /// The dashboard of `members` (display name, summary) at `now` (Unix ms).
    pub fn build(
        members: &[(String, MemberSummary)],
        shared_exam_date: Option<time::Date>,
        now: i64,
        rules: CohortRules,
    ) -> CohortDashboard {
        let quiet_ms = i64::from(rules.quiet_days) * DAY_MS;
        let rows: Vec<MemberRow> = members
            .iter()
            .map(|(name, s)| {
                let (exam_date, source, days) = match (&s.exam_date, shared_exam_date) {
                    (Some(d), _) => (Some(d.clone()), Some("own"), s.days_to_exam),
                    (None, Some(d)) => (
                        Some(date_of_ms(day_start_ms(d))),
                        Some("cohort"),
                        Some(days_from(now, d)),
                    ),
                    (None, None) => (None, None, None),
                };
                MemberRow {
                    name: name.clone(),
                    summary: s.clone(),
                    exam_date,
                    exam_date_source: source.map(str::to_owned),
                    days_to_exam: days,
                    quiet: s.last_activity_ms.is_some_and(|t| now - t >= quiet_ms),
                    days_since_activity: s
                        .last_activity_ms
                        .map(|t| (now - t).max(0).div_euclid(DAY_MS)),
                }
            })
            .collect();
        let mut quiet: Vec<QuietMember> = rows
            .iter()
            .filter(|r| r.quiet)
            .filter_map(|r| {
                let t = r.summary.last_activity_ms?;
                Some(QuietMember {
                    name: r.name.clone(),
                    last_activity_ms: t,
                    last_activity: date_of_ms(t),
                    days_since: (now - t).div_euclid(DAY_MS),
                })
            })
            .collect();
        quiet.sort_by(|a, b| {
            a.last_activity_ms
                .cmp(&b.last_activity_ms)
                .then_with(|| a.name.cmp(&b.name))
        });
        let never_started = rows
            .iter()
            .filter(|r| r.summary.last_activity_ms.is_none())
            .map(|r| r.name.clone())
            .collect();
        let summaries: Vec<&MemberSummary> = members.iter().map(|(_, s)| s).collect();
        CohortDashboard {
            as_of_ms: now,
            as_of: date_of_ms(now),
            rules,
            shared_exam_date: shared_exam_date.map(|d| date_of_ms(day_start_ms(d))),
            days_to_shared_exam: shared_exam_date.map(|d| days_from(now, d)),
            heat_map: heat_map(&summaries, &rules),
            weakest_topics: weakest_topics(&summaries, &rules),
            standing_eligible: summaries
                .iter()
                .filter(|s| standing::eligible(s, &rules))
                .count(),
            members: rows,
            quiet,
            never_started,
        }
    }
}

/// Per section, in the order of the first member's sections (every member's `App` holds
/// the same pack).
fn heat_map(members: &[&MemberSummary], rules: &CohortRules) -> Vec<SectionHeat> {
    let Some(first) = members.first() else {
        return Vec::new();
    };
    first
        .sections
        .iter()
        .map(|sec| {
            let cells: Vec<&MemberSection> = members
                .iter()
                .filter_map(|m| m.sections.iter().find(|s| s.id == sec.id))
                .filter(|s| s.questions_answered >= rules.section_min_questions)
                .filter(|s| s.mastery.is_some())
                .collect();
            let values: Vec<f64> = cells.iter().filter_map(|c| c.mastery).collect();
            SectionHeat {
                id: sec.id.clone(),
                number: sec.number,
                title: sec.title.clone(),
                weight: sec.weight,
                members: members.len(),
                measured: cells.len(),
                mean: mean(&values),
                median: median(&values),
                below: values.iter().filter(|&&p| p < rules.target).count(),
                clearly_below: cells
                    .iter()
                    .filter(|c| c.high.is_some_and(|h| h < rules.target))
                    .count(),
            }
        })
        .collect()
}

/// Topics ranked by the share of measured members below the target times the topic's
/// exam share; only topics with `weak_topic_min_members` measured members and at least one
/// below the target.
fn weakest_topics(members: &[&MemberSummary], rules: &CohortRules) -> Vec<TopicWeakness> {
    let mut order: Vec<&MemberTopic> = Vec::new();
    for m in members {
        for t in &m.topics {
            if !order.iter().any(|o| o.id == t.id) {
                order.push(t);
            }
        }
    }
    let mut out: Vec<TopicWeakness> = order
        .into_iter()
        .filter_map(|topic| {
            let cells: Vec<&MemberTopic> = members
                .iter()
                .filter_map(|m| m.topics.iter().find(|t| t.id == topic.id))
                .filter(|t| t.questions_answered >= rules.topic_min_questions)
                .collect();
            let measured = cells.len();
            let below = cells.iter().filter(|t| t.mastery < rules.target).count();
            if measured < rules.weak_topic_min_members.max(1) || below == 0 {
                return None;
            }
            let values: Vec<f64> = cells.iter().map(|t| t.mastery).collect();
            Some(TopicWeakness {
                id: topic.id.clone(),
                title: topic.title.clone(),
                section_number: topic.section_number,
                exam_share: topic.exam_share,
                measured,
                below,
                clearly_below: cells.iter().filter(|t| t.high < rules.target).count(),
                mean: mean(&values).unwrap_or(0.0),
                score: below as f64 / measured as f64 * topic.exam_share,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.mean.total_cmp(&b.mean))
            .then_with(|| a.id.cmp(&b.id))
    });
    out.truncate(rules.weak_topics_shown);
    out
}

fn mean(xs: &[f64]) -> Option<f64> {
    (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64)
}

fn median(xs: &[f64]) -> Option<f64> {
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(v[n / 2]),
        _ => Some((v[n / 2 - 1] + v[n / 2]) / 2.0),
    }
}
