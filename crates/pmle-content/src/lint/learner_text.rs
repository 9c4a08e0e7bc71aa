//! Learner-facing text never says how the content was made (CONTENT-STANDARDS, "Hard in the
//! right way"): no "seed" for the study guide the pack started from.
//!
//! The rule (docs/content-format.md): the word `seed` (any case) standing alone, possessive
//! (`seed's`), or in `seed-guide` / `seed-heading`, is an error in any text a learner reads.
//! Not flagged: `seeds`, `seeded`, other compounds such as `seed-breeding`, and any sentence
//! that is about random numbers (it contains `random`, `rng`, `shuffl`, `split` or
//! `reproduc`), where "seed" is the ordinary ML term.

use crate::diag::Diagnostic;
use crate::model::Location;
use crate::parse::Parsed;

const RNG_CONTEXT: [&str; 5] = ["random", "rng", "shuffl", "split", "reproduc"];

/// The first sentence of `text` that uses "seed" for how the content was made, if any.
pub(crate) fn seed_mention(text: &str) -> Option<&str> {
    text.split_inclusive(['.', '!', '?', '\n'])
        .find(|s| names_seed(s))
        .map(str::trim)
}

fn names_seed(sentence: &str) -> bool {
    let lower = sentence.to_lowercase();
    if RNG_CONTEXT.iter().any(|w| lower.contains(w)) {
        return false;
    }
    let bytes = lower.as_bytes();
    let mut from = 0;
    while let Some(pos) = lower[from..].find("seed") {
        let start = from + pos;
        let end = start + 4;
        from = end;
        let before_ok =
            start == 0 || !(bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_');
        if !before_ok {
            continue;
        }
        let after = &lower[end..];
        let standalone = after
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric() && c != '-' && c != '\'' && c != '’');
        let possessive = after.starts_with("'s") || after.starts_with("’s");
        let compound = after.starts_with("-guide") || after.starts_with("-heading");
        if standalone || possessive || compound {
            return true;
        }
    }
    false
}

pub(super) fn check(p: &Parsed, d: &mut Vec<Diagnostic>) {
    let mut look = |what: &str, field: &str, text: &str, at: &Location| {
        if let Some(sentence) = seed_mention(text) {
            let shown: String = sentence.chars().take(90).collect();
            d.push(Diagnostic::error(
                at,
                "learner-text",
                format!(
                    "{what}: `{field}` says \"seed\" (\"{shown}\"); learners do not know what it is. \
                     Say \"older study guides (2022) said …\" or drop it"
                ),
            ));
        }
    };
    for q in &p.questions {
        let what = format!("question `{}`", q.id);
        look(&what, "stem", &q.stem, &q.location);
        for o in &q.options {
            look(&what, "option.text", &o.text, &o.location);
            look(&what, "option.explanation", &o.explanation, &o.location);
        }
    }
    for c in &p.cards {
        let what = format!("card `{}`", c.id);
        look(&what, "front", &c.front, &c.location);
        look(&what, "back", &c.back, &c.location);
    }
    for n in &p.notes {
        let what = format!("note `{}`", n.id);
        look(&what, "title", &n.title, &n.location);
        look(&what, "body", &n.body, &n.location);
    }
    for t in &p.topics {
        look(&format!("topic `{}`", t.id), "title", &t.title, &t.location);
    }
    for x in &p.products {
        let what = format!("product `{}`", x.id);
        look(&what, "name", &x.name, &x.location);
        for f in &x.former_names {
            look(&what, "former-names", f, &x.location);
        }
        look(&what, "purpose", &x.purpose, &x.location);
        look(&what, "exam-tip", &x.exam_tip, &x.location);
        look(&what, "status-note", &x.status_note, &x.location);
    }
    for x in &p.decisions {
        let what = format!("decision `{}`", x.id);
        look(&what, "title", &x.title, &x.location);
        for n in &x.nodes {
            look(&what, "node.question", &n.question, &x.location);
            for c in &n.choices {
                look(&what, "choice.label", &c.label, &x.location);
            }
        }
        for r in &x.results {
            look(&what, "result.why", &r.why, &x.location);
            look(&what, "result.why-not", &r.why_not, &x.location);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::seed_mention;

    #[test]
    fn the_study_guide_called_seed_is_flagged() {
        for text in [
            "> **Seed correction:** the seed says TFX is for TensorFlow only.",
            "The seed's strategy table is dated.",
            "Map the seed guide's advice to Agent Platform.",
            "Named in the seed-guide but shut down.",
            "Listed under its seed heading.",
            "SEED",
        ] {
            assert!(seed_mention(text).is_some(), "{text}");
        }
    }

    #[test]
    fn random_seeds_and_other_words_are_not_flagged() {
        for text in [
            "Train with a different random seed each time so that results are not biased by one seed.",
            "Repeat the random split with different seeds until every category appears, then keep that seed.",
            "Re-rolling seeds until the result looks right is unrepeatable.",
            "A seed-breeding company's field stations upload plant images.",
            "Set `tf.random.set_seed(42)` for reproducible runs.",
            "The seeded generator gives the same draw.",
            "Linseed oil prices.",
        ] {
            assert_eq!(seed_mention(text), None, "{text}");
        }
    }

    #[test]
    fn the_offending_sentence_is_returned() {
        assert_eq!(
            seed_mention("First line is fine.\nThe seed lists three APIs. More."),
            Some("The seed lists three APIs.")
        );
    }
}
