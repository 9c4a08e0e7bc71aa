//! Cross-file rules: every id unique, every reference known, every URL official, the pack's
//! quality figures within bounds.
//!
//! The rules mirror CONTENT-STANDARDS.md; a rule that can be checked by a machine is checked
//! here so that reviewers can spend their time on facts and wording.

mod decisions;
pub(crate) mod hostile_text;
mod items;
pub use items::letter;
mod giveaways;
mod learner_text;
mod pack_rules;
mod references;
pub(crate) mod review;
mod urls;
pub use urls::is_official_url;

use std::collections::HashMap;

use crate::diag::Diagnostic;
use crate::figures::Figures;
use crate::model::{Date, Location};
use crate::parse::Parsed;

/// The highest `schema-version` this build understands.
pub const SCHEMA_VERSION: i64 = 1;

/// Longest-option give-away rate above which the pack fails the check (CONTENT-STANDARDS).
pub const MAX_LONGEST_CORRECT_SHARE: f64 = 0.35;

/// Below this share of keys that are strictly the longest option, a section is warned about:
/// "never the longest" gives the answer away too.
pub const MIN_LONGEST_CORRECT_SHARE: f64 = 0.10;

/// Run every rule over what the parser produced; `today` bounds `last-verified` dates.
pub(crate) fn lint(p: &Parsed, today: Date, figures: &Figures) -> Vec<Diagnostic> {
    let mut d = Vec::new();
    pack_rules::meta(p, &mut d);
    pack_rules::topics(p, &mut d);
    let ctx = items::Ctx::new(p, today);
    items::questions(&ctx, &mut d);
    items::cards(&ctx, &mut d);
    items::notes(&ctx, &mut d);
    items::products(&ctx, &mut d);
    decisions::check(p, &mut d);
    review::check(&p.questions, &mut d);
    references::check(p, &mut d);
    learner_text::check(p, &mut d);
    pack_rules::has_questions(p, &mut d);
    figure_rules(figures, &mut d);
    giveaways::check(&figures.giveaways, &mut d);
    d
}

fn figure_rules(f: &Figures, d: &mut Vec<Diagnostic>) {
    let at = Location {
        file: "questions/".into(),
        line: 0,
        column: 0,
    };
    if f.single_questions > 0 && f.longest_correct_share > MAX_LONGEST_CORRECT_SHARE {
        d.push(Diagnostic::error(
            &at,
            "longest-option",
            format!(
                "the correct option is strictly the longest in {:.0}% of single-select questions \
                 ({} of {}); keep it at or under {:.0}% by lengthening distractors or tightening keys",
                f.longest_correct_share * 100.0,
                f.longest_correct,
                f.single_questions,
                MAX_LONGEST_CORRECT_SHARE * 100.0
            ),
        ));
    }
    // The reverse give-aways: a key that is never the longest, or usually the shortest, lets a
    // candidate rule options out by length alone.
    for sec in f.sections.iter().filter(|s| s.single >= 20) {
        let longest = sec.longest_correct as f64 / sec.single as f64;
        let shortest = sec.shortest_correct as f64 / sec.single as f64;
        if longest < MIN_LONGEST_CORRECT_SHARE || shortest > MAX_LONGEST_CORRECT_SHARE {
            d.push(Diagnostic::warning(
                &at,
                "key-length-skew",
                format!(
                    "section {}: the key is strictly the longest option in {:.0}% and strictly the shortest in {:.0}% \
                     of single-select questions; aim for about 20% and at most 35% so length gives nothing away",
                    sec.id,
                    longest * 100.0,
                    shortest * 100.0
                ),
            ));
        }
    }
    for pair in &f.near_duplicates {
        d.push(Diagnostic::error(
            &pair.location,
            "near-duplicate",
            format!(
                "question `{}` is a near-duplicate of `{}` ({:.0}% of their word trigrams are shared); \
                 rewrite the scenario or remove one",
                pair.id,
                pair.other,
                pair.similarity * 100.0
            ),
        ));
    }
}

/// Report ids that are malformed or used twice; returns nothing, pushes diagnostics.
pub(crate) fn unique_ids<'a>(
    what: &str,
    items: impl IntoIterator<Item = (&'a str, &'a Location)>,
    d: &mut Vec<Diagnostic>,
) {
    let mut seen: HashMap<&str, &Location> = HashMap::new();
    for (id, at) in items {
        if !is_valid_id(id) {
            d.push(Diagnostic::error(
                at,
                "bad-id",
                format!(
                    "{what} id `{id}` must be lowercase words joined by `-` (e.g. `s1-bqml-001`)"
                ),
            ));
        }
        if let Some(first) = seen.get(id) {
            d.push(Diagnostic::error(
                at,
                "duplicate-id",
                format!(
                    "{what} id `{id}` is already used at {}:{}; ids must be unique",
                    first.file, first.line
                ),
            ));
        } else {
            seen.insert(id, at);
        }
    }
}

/// `^[a-z0-9]+(-[a-z0-9]+)*$`
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert!(is_valid_id("s1-bqml-001"));
        assert!(!is_valid_id("S1"));
        assert!(!is_valid_id("a--b"));
        assert!(!is_valid_id("-a"));
        assert!(!is_valid_id(""));
    }

    #[test]
    fn official_urls_as_before() {
        let hosts = vec![
            "cloud.google.com".to_owned(),
            "github.com/tensorflow/".to_owned(),
        ];
        assert!(is_official_url("https://cloud.google.com/bigquery/docs", &hosts).is_ok());
        assert!(is_official_url("https://docs.cloud.google.com/x", &hosts).is_ok());
        assert!(is_official_url("https://github.com/tensorflow/tfx", &hosts).is_ok());
        assert!(is_official_url("https://github.com/someone/tfx", &hosts).is_err());
        assert!(is_official_url("http://cloud.google.com/x", &hosts).is_err());
        assert!(is_official_url("https://evilcloud.google.com.example.com/", &hosts).is_err());
        assert!(is_official_url("https://notcloud.google.com/", &hosts).is_err());
    }
}
