//! Blind-review records (`[question.review]`): the values are valid, the reviewer agreed with
//! the key, the label follows the review, and the review still matches the text.

use std::collections::BTreeMap;

use super::letter;
use crate::diag::Diagnostic;
use crate::fingerprint::fingerprint;
use crate::model::{Location, Question};

pub(crate) const CONFIDENCES: [&str; 3] = ["high", "medium", "low"];
pub(crate) const DECIDED_BY: [&str; 3] = ["constraints", "recall", "wording"];

/// The indexes (authoring order) that blind-choice letters name, or the first letter that names
/// no option.
pub(crate) fn choice_indexes(q: &Question, letters: &[String]) -> Result<Vec<usize>, String> {
    let mut out = Vec::new();
    for l in letters {
        let i =
            (0..q.options.len()).find(|&i| l.trim().eq_ignore_ascii_case(&letter(i).to_string()));
        match i {
            Some(i) => out.push(i),
            None => return Err(l.clone()),
        }
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

/// Did the blind answer match the key? `None` when the letters are not valid.
pub(crate) fn agrees(q: &Question) -> Option<bool> {
    let r = q.review.as_ref()?;
    let chosen = choice_indexes(q, &r.blind_choice).ok()?;
    Some(!chosen.is_empty() && chosen == q.correct_indexes())
}

/// Is the review's fingerprint that of the current text?
pub(crate) fn is_current(q: &Question) -> bool {
    q.review
        .as_ref()
        .is_some_and(|r| r.fingerprint.trim().eq_ignore_ascii_case(&fingerprint(q)))
}

pub(super) fn check(qs: &[Question], d: &mut Vec<Diagnostic>) {
    let mut unreviewed: BTreeMap<&str, usize> = BTreeMap::new();
    for q in qs {
        let Some(r) = &q.review else {
            if !q.retired {
                *unreviewed.entry(q.location.file.as_str()).or_default() += 1;
            }
            continue;
        };
        let what = format!("question `{}`", q.id);
        let at = &q.location;
        if !CONFIDENCES.contains(&r.confidence.as_str()) {
            d.push(Diagnostic::error(
                at,
                "review-value",
                format!(
                    "{what}: review confidence `{}` must be one of {}",
                    r.confidence,
                    CONFIDENCES.join(", ")
                ),
            ));
        }
        if !DECIDED_BY.contains(&r.decided_by.as_str()) {
            d.push(Diagnostic::error(
                at,
                "review-value",
                format!(
                    "{what}: review decided-by `{}` must be one of {}",
                    r.decided_by,
                    DECIDED_BY.join(", ")
                ),
            ));
        }
        if r.key_checked.is_some() && !key_checked(r) {
            d.push(Diagnostic::error(
                at,
                "review-value",
                format!(
                    "{what}: review key-checked must say how the key was confirmed and cite the official page (an https:// URL)"
                ),
            ));
        }
        if !(1..=3).contains(&r.level) {
            d.push(Diagnostic::error(
                at,
                "review-value",
                format!("{what}: review level must be 1, 2 or 3, not {}", r.level),
            ));
        } else if r.level != q.difficulty {
            d.push(Diagnostic::error(
                at,
                "review-level",
                format!(
                    "{what}: difficulty {} but the blind review found level {}; the label must follow the review",
                    q.difficulty, r.level
                ),
            ));
        }
        match choice_indexes(q, &r.blind_choice) {
            Err(bad) => d.push(Diagnostic::error(
                at,
                "review-choice",
                format!(
                    "{what}: review blind-choice `{bad}` is not an option letter (A–{})",
                    letter(q.options.len().saturating_sub(1))
                ),
            )),
            Ok(chosen) if chosen.is_empty() => d.push(Diagnostic::error(
                at,
                "review-choice",
                format!("{what}: review blind-choice is empty; record the letters the reviewer chose"),
            )),
            Ok(chosen) if chosen != q.correct_indexes() && !key_checked(r) => d.push(Diagnostic::error(
                at,
                "review-disagrees",
                format!(
                    "{what}: the blind review chose {} but the key is {}: reviewer and key disagree: fix the question or drop it, or, if the docs confirm the key and the question is fair, record how in `key-checked` (with the official page)",
                    letters(&chosen),
                    letters(&q.correct_indexes())
                ),
            )),
            Ok(_) => {
                if r.confidence == "high" && r.decided_by == "wording" {
                    d.push(Diagnostic::warning(
                        at,
                        "review-wording",
                        format!(
                            "{what}: answered from wording alone (confident, decided by wording): rewrite so the constraints decide"
                        ),
                    ));
                }
            }
        }
        if !is_current(q) {
            d.push(Diagnostic::warning(
                at,
                "review-stale",
                format!(
                    "{what}: changed since its blind review (fingerprint {} recorded, {} now); review it again",
                    r.fingerprint,
                    fingerprint(q)
                ),
            ));
        }
    }
    let total: usize = unreviewed.values().sum();
    if total > 0 {
        let mut by_file: Vec<(&str, usize)> = unreviewed.into_iter().collect();
        by_file.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let shown: Vec<String> = by_file
            .iter()
            .take(3)
            .map(|(f, n)| format!("{f} {n}"))
            .collect();
        let more = if by_file.len() > 3 {
            format!(", … ({} files)", by_file.len())
        } else {
            String::new()
        };
        d.push(Diagnostic::warning(
            &Location {
                file: "questions/".into(),
                line: 0,
                column: 0,
            },
            "no-review",
            format!(
                "{total} question(s) have no blind review ({}{more}); `pmle check --fingerprints` lists them",
                shown.join(", ")
            ),
        ));
    }
}

/// A miss was adjudicated: someone re-checked the key against the docs and said how.
fn key_checked(r: &crate::model::Review) -> bool {
    r.key_checked
        .as_deref()
        .is_some_and(|t| t.split_whitespace().count() >= 5 && t.contains("https://"))
}

fn letters(idx: &[usize]) -> String {
    idx.iter()
        .map(|&i| letter(i).to_string())
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Date, Review};
    use crate::testing::question;

    fn reviewed(choice: &[&str], confidence: &str, decided_by: &str, level: u8) -> Question {
        let mut q = question(
            "Which?",
            &[("A", false), ("B", true), ("C", false), ("D", false)],
        );
        q.review = Some(Review {
            date: Date {
                year: 2026,
                month: 12,
                day: 3,
            },
            blind_choice: choice.iter().map(|s| (*s).to_owned()).collect(),
            confidence: confidence.into(),
            decided_by: decided_by.into(),
            level,
            fingerprint: fingerprint(&q),
            key_checked: None,
        });
        q
    }

    fn codes(qs: &[Question]) -> Vec<(crate::Severity, &'static str)> {
        let mut d = Vec::new();
        check(qs, &mut d);
        d.iter().map(|x| (x.severity, x.code)).collect()
    }

    use crate::Severity::{Error, Warning};

    #[test]
    fn a_current_agreeing_review_is_clean() {
        assert_eq!(codes(&[reviewed(&["B"], "high", "constraints", 2)]), vec![]);
        assert_eq!(codes(&[reviewed(&["b"], "low", "recall", 2)]), vec![]);
    }

    #[test]
    fn invalid_enum_values_are_errors() {
        let c = codes(&[reviewed(&["B"], "sure", "vibes", 4)]);
        assert_eq!(c, vec![(Error, "review-value"); 3]);
    }

    #[test]
    fn blind_choice_letters_must_exist() {
        assert_eq!(
            codes(&[reviewed(&["E"], "high", "constraints", 2)]),
            vec![(Error, "review-choice")]
        );
        assert_eq!(
            codes(&[reviewed(&[], "high", "constraints", 2)]),
            vec![(Error, "review-choice")]
        );
    }

    #[test]
    fn reviewer_and_key_disagree_is_an_error() {
        let mut d = Vec::new();
        check(&[reviewed(&["C"], "high", "constraints", 2)], &mut d);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, "review-disagrees");
        assert!(
            d[0].message
                .contains("reviewer and key disagree: fix the question or drop it")
        );
        assert!(d[0].message.contains("chose C but the key is B"));
    }

    #[test]
    fn a_miss_whose_key_was_rechecked_is_a_measured_miss_not_an_error() {
        let mut q = reviewed(&["C"], "low", "recall", 2);
        q.review.as_mut().unwrap().key_checked = Some(
            "The docs say only batch inference is supported: https://docs.cloud.google.com/x"
                .into(),
        );
        let mut d = Vec::new();
        check(&[q.clone()], &mut d);
        assert!(d.is_empty(), "{d:?}");

        // A note without the page that settles it does not excuse the miss.
        q.review.as_mut().unwrap().key_checked = Some("checked it".into());
        let mut d = Vec::new();
        check(&[q], &mut d);
        let codes: Vec<_> = d.iter().map(|x| x.code).collect();
        assert_eq!(codes, ["review-value", "review-disagrees"]);
    }

    #[test]
    fn a_question_edited_after_review_is_stale() {
        let mut q = reviewed(&["B"], "high", "constraints", 2);
        q.options[2].text = "C, reworded".into();
        let mut d = Vec::new();
        check(&[q], &mut d);
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].severity, d[0].code), (Warning, "review-stale"));
        assert!(d[0].message.contains("changed since its blind review"));
    }

    #[test]
    fn confident_wording_decided_answer_must_be_rewritten() {
        assert_eq!(
            codes(&[reviewed(&["B"], "high", "wording", 2)]),
            vec![(Warning, "review-wording")]
        );
        // Unsure guesses from wording are not the give-away this rule is about.
        assert_eq!(codes(&[reviewed(&["B"], "medium", "wording", 2)]), vec![]);
    }

    #[test]
    fn difficulty_must_follow_the_review_level() {
        let c = codes(&[reviewed(&["B"], "high", "constraints", 3)]);
        assert_eq!(c, vec![(Error, "review-level")]);
    }

    #[test]
    fn unreviewed_questions_give_one_summary_warning() {
        let mut qs: Vec<Question> = (0..5)
            .map(|_| question("Q?", &[("A", true), ("B", false)]))
            .collect();
        qs[4].retired = true;
        let mut d = Vec::new();
        check(&qs, &mut d);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, "no-review");
        assert!(
            d[0].message
                .starts_with("4 question(s) have no blind review (questions/t.toml 4)"),
            "{}",
            d[0].message
        );
    }
}
