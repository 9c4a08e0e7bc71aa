//! A learner's anonymised standing in their cohort: where their readiness estimate falls
//! among the members with enough evidence, with no name and no other member's figure, and
//! refused when so few members are ranked that one could be picked out.

use serde::Serialize;

use super::{CohortDashboard, CohortRules, MemberSummary};

/// Where one member stands. Carries counts only, never another member's name or figure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Standing {
    /// Members ranked (with enough evidence), this one included.
    pub eligible: usize,
    /// 1 for the top quarter of the ranked members … 4 for the bottom quarter.
    pub quarter: u8,
    /// "top quarter", "second quarter", "third quarter" or "bottom quarter".
    pub band: String,
    /// Percent of the other ranked members whose readiness estimate is below this one's
    /// (a tie counts half), rounded.
    pub percentile: u32,
    /// Other ranked members whose whole 80% interval lies above this member's interval,
    /// and below it: the differences the evidence can tell apart.
    pub clearly_above: usize,
    pub clearly_below: usize,
    pub sentence: String,
}

/// Why no standing is given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StandingError {
    #[error("there is no member {0} in this cohort")]
    NoSuchMember(usize),
    #[error(
        "no standing yet: it needs {needed} first-time answers in every section, and section \
         {section} has {answers}; practise there first"
    )]
    NotEnoughEvidence {
        needed: u32,
        section: u32,
        answers: u32,
    },
    #[error(
        "no standing: only {eligible} member{} of the cohort {} enough evidence to be ranked, \
         and a standing needs {needed} so that no one can be picked out",
        if *eligible == 1 { "" } else { "s" },
        if *eligible == 1 { "has" } else { "have" }
    )]
    TooFewMembers { eligible: usize, needed: usize },
}

/// Enough evidence to be ranked: a readiness figure and `standing_min_section_answers`
/// first-time answers in every section.
pub(super) fn eligible(s: &MemberSummary, rules: &CohortRules) -> bool {
    thinnest(s, rules).is_none() && figures(s).is_some()
}

/// The section with the fewest answers when it is under the rule: (number, answers).
fn thinnest(s: &MemberSummary, rules: &CohortRules) -> Option<(u32, u32)> {
    s.sections
        .iter()
        .filter(|x| x.questions_answered < rules.standing_min_section_answers)
        .min_by_key(|x| (x.questions_answered, x.number))
        .map(|x| (x.number, x.questions_answered))
}

/// (mean, low, high) of the readiness estimate.
fn figures(s: &MemberSummary) -> Option<(f64, f64, f64)> {
    let r = &s.readiness;
    Some((r.mean?, r.low?, r.high?))
}

impl CohortDashboard {
    /// The standing of the member at `index` in `members`, for that learner's own view.
    pub fn standing_for(&self, index: usize) -> Result<Standing, StandingError> {
        let me = &self
            .members
            .get(index)
            .ok_or(StandingError::NoSuchMember(index))?
            .summary;
        let rules = &self.rules;
        if let Some((section, answers)) = thinnest(me, rules) {
            return Err(StandingError::NotEnoughEvidence {
                needed: rules.standing_min_section_answers,
                section,
                answers,
            });
        }
        let Some((mean, low, high)) = figures(me) else {
            // Every section has its answers, so the model gives a figure; kept for safety.
            return Err(StandingError::NotEnoughEvidence {
                needed: rules.standing_min_section_answers,
                section: 0,
                answers: 0,
            });
        };
        let others: Vec<(f64, f64, f64)> = self
            .members
            .iter()
            .enumerate()
            .filter(|(i, r)| *i != index && eligible(&r.summary, rules))
            .filter_map(|(_, r)| figures(&r.summary))
            .collect();
        let ranked = others.len() + 1;
        if ranked < rules.standing_min_members {
            return Err(StandingError::TooFewMembers {
                eligible: ranked,
                needed: rules.standing_min_members,
            });
        }
        let below = others.iter().filter(|o| o.0 < mean).count() as f64;
        let ties = others.iter().filter(|o| o.0 == mean).count() as f64;
        let share = (below + ties / 2.0) / others.len() as f64;
        let (quarter, band) = if share >= 0.75 {
            (1, "top quarter")
        } else if share >= 0.5 {
            (2, "second quarter")
        } else if share >= 0.25 {
            (3, "third quarter")
        } else {
            (4, "bottom quarter")
        };
        let clearly_above = others.iter().filter(|o| o.1 > high).count();
        let clearly_below = others.iter().filter(|o| o.2 < low).count();
        let percentile = (share * 100.0).round() as u32;
        let sentence = format!(
            "Among the {ranked} members with enough evidence, your readiness estimate is in the \
             {band} (above {percentile}% of the others). Estimates are uncertain: {clearly_above} \
             member{} 80% interval{} wholly above yours and {clearly_below} wholly below; the \
             rest overlap yours, so the evidence cannot order you against them.",
            if clearly_above == 1 { "'s" } else { "s'" },
            if clearly_above == 1 { " lies" } else { "s lie" },
        );
        Ok(Standing {
            eligible: ranked,
            quarter,
            band: band.to_owned(),
            percentile,
            clearly_above,
            clearly_below,
            sentence,
        })
    }
}
