//! Thresholds on the give-away figures (definitions in `crate::giveaways`, reasons in
//! docs/content-format.md "Give-away figures").

use crate::diag::Diagnostic;
use crate::giveaways::{GiveawayReport, Giveaways};
use crate::model::Location;

/// Fewest eligible questions in a scope before the stem-echo rate is judged: below this one
/// question moves the rate by more than 3 points and the figure is noise.
pub(crate) const MIN_ECHO_ELIGIBLE: usize = 30;
/// Stem-echo rate above chance, in points, that fails the pack.
pub(crate) const ECHO_ERROR_POINTS: f64 = 10.0;
/// … and that earns a warning, above or below chance: a key that echoes the stem less than
/// chance teaches the reverse give-away ("the option that parrots the scenario is wrong").
pub(crate) const ECHO_WARNING_POINTS: f64 = 3.0;
/// Distractors may carry absolute words at most this many times as often as keys.
pub(crate) const ABSOLUTE_RATIO_LIMIT: f64 = 2.0;
/// Fewest questions in a scope before the absolute-word rates are judged.
pub(crate) const MIN_ABSOLUTE_QUESTIONS: usize = 30;
/// Below this distractor rate absolute words are too rare to be a pattern.
pub(crate) const MIN_ABSOLUTE_DISTRACTOR_RATE: f64 = 0.05;

pub(super) fn check(r: &GiveawayReport, d: &mut Vec<Diagnostic>) {
    scope("the pack", &r.overall, d);
    for s in &r.sections {
        scope(&format!("section {}", s.id), &s.figures, d);
    }
}

fn scope(name: &str, f: &Giveaways, d: &mut Vec<Diagnostic>) {
    let at = Location {
        file: "questions/".into(),
        line: 0,
        column: 0,
    };
    let above = (f.echo_rate - f.echo_chance) * 100.0;
    if f.echo_eligible >= MIN_ECHO_ELIGIBLE && above > ECHO_WARNING_POINTS {
        let message = format!(
            "{name}: the key is the option that repeats the stem's words most in {:.0}% of the {} single-select \
             questions where one option does ({} of them); chance is {:.0}%. Reword keys so they do not echo the \
             scenario, or let distractors reuse its terms",
            f.echo_rate * 100.0,
            f.echo_eligible,
            f.echo_key,
            f.echo_chance * 100.0
        );
        d.push(if above > ECHO_ERROR_POINTS {
            Diagnostic::error(&at, "stem-echo", message)
        } else {
            Diagnostic::warning(&at, "stem-echo", message)
        });
    }
    if f.echo_eligible >= MIN_ECHO_ELIGIBLE && -above > ECHO_WARNING_POINTS {
        d.push(Diagnostic::warning(
            &at,
            "stem-echo",
            format!(
                "{name}: the key is the option that repeats the stem's words most in only {:.0}% of the {} \
                 single-select questions where one option does ({} of them); chance is {:.0}%, so the option \
                 that echoes the scenario most is a tell that it is wrong. Let keys reuse the stem's own terms \
                 as often as distractors do",
                f.echo_rate * 100.0,
                f.echo_eligible,
                f.echo_key,
                f.echo_chance * 100.0
            ),
        ));
    }
    if f.questions >= MIN_ABSOLUTE_QUESTIONS
        && f.distractor_absolute_rate >= MIN_ABSOLUTE_DISTRACTOR_RATE
        && f.distractor_absolute_rate > ABSOLUTE_RATIO_LIMIT * f.key_absolute_rate
    {
        d.push(Diagnostic::warning(
            &at,
            "absolute-words",
            format!(
                "{name}: {:.0}% of distractors but {:.0}% of keys use absolute words (always, never, only, all…); \
                 a candidate can rule options out by them. Qualify distractors by the constraint they break instead",
                f.distractor_absolute_rate * 100.0,
                f.key_absolute_rate * 100.0
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Severity;

    fn with(eligible: usize, rate: f64, chance: f64) -> Vec<(Severity, &'static str)> {
        let r = GiveawayReport {
            overall: Giveaways {
                echo_eligible: eligible,
                echo_rate: rate,
                echo_chance: chance,
                ..Giveaways::default()
            },
            sections: vec![],
        };
        let mut d = Vec::new();
        check(&r, &mut d);
        d.iter().map(|x| (x.severity, x.code)).collect()
    }

    #[test]
    fn stem_echo_well_above_chance_fails_the_pack() {
        assert_eq!(with(30, 0.36, 0.25), vec![(Severity::Error, "stem-echo")]);
        assert_eq!(with(30, 0.30, 0.25), vec![(Severity::Warning, "stem-echo")]);
        assert_eq!(with(30, 0.27, 0.25), vec![]);
        assert_eq!(with(30, 0.23, 0.25), vec![]);
        // Too few eligible questions to judge.
        assert_eq!(with(29, 0.90, 0.25), vec![]);
    }

    #[test]
    fn stem_echo_well_below_chance_is_warned_about() {
        assert_eq!(with(30, 0.17, 0.25), vec![(Severity::Warning, "stem-echo")]);
        assert_eq!(with(30, 0.00, 0.25), vec![(Severity::Warning, "stem-echo")]);
        assert_eq!(with(30, 0.22, 0.25), vec![]);
        assert_eq!(with(29, 0.00, 0.25), vec![]);
    }

    fn absolute(questions: usize, keys: f64, distractors: f64) -> usize {
        let r = GiveawayReport {
            overall: Giveaways {
                questions,
                key_absolute_rate: keys,
                distractor_absolute_rate: distractors,
                ..Giveaways::default()
            },
            sections: vec![],
        };
        let mut d = Vec::new();
        check(&r, &mut d);
        d.iter().filter(|x| x.code == "absolute-words").count()
    }

    #[test]
    fn absolute_words_marking_distractors_are_warned_about() {
        assert_eq!(absolute(30, 0.05, 0.11), 1);
        assert_eq!(absolute(30, 0.05, 0.10), 0);
        assert_eq!(absolute(30, 0.0, 0.04), 0);
        assert_eq!(absolute(29, 0.0, 0.50), 0);
    }
}
