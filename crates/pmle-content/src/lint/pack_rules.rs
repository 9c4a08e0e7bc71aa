//! Rules for `pack.toml` and `topics.toml`: the skeleton every other file refers to.

use std::collections::HashSet;

use super::{SCHEMA_VERSION, unique_ids};
use crate::diag::Diagnostic;
use crate::model::Location;
use crate::parse::Parsed;

pub(super) fn meta(p: &Parsed, d: &mut Vec<Diagnostic>) {
    let Some(m) = &p.meta else { return };
    let at = Location {
        file: "pack.toml".into(),
        line: 1,
        column: 1,
    };
    if m.schema_version > SCHEMA_VERSION {
        d.push(Diagnostic::error(
            &at,
            "schema-version",
            format!(
                "this pack uses schema-version {} but this pmle reads up to {SCHEMA_VERSION}; \
                 update pmle to a version that supports it",
                m.schema_version
            ),
        ));
    } else if m.schema_version < 1 {
        d.push(Diagnostic::error(
            &at,
            "schema-version",
            "schema-version must be 1",
        ));
    }
    if !super::is_valid_id(&m.id) {
        d.push(Diagnostic::error(
            &at,
            "bad-id",
            format!("pack id `{}` must be lowercase words joined by `-`", m.id),
        ));
    }
    if !m.guide_url.starts_with("https://") {
        d.push(Diagnostic::error(
            &at,
            "bad-url",
            "guide-url must be an https URL",
        ));
    }
    let e = &m.exam;
    if !(e.min_questions <= e.default_questions && e.default_questions <= e.max_questions)
        || e.min_questions == 0
    {
        d.push(Diagnostic::error(
            &at,
            "exam-format",
            format!(
                "[exam] needs 0 < min-questions <= default-questions <= max-questions (got {}, {}, {})",
                e.min_questions, e.default_questions, e.max_questions
            ),
        ));
    }
    if e.minutes == 0 {
        d.push(Diagnostic::error(
            &at,
            "exam-format",
            "[exam] minutes must be above 0",
        ));
    }
    for k in &e.kinds {
        if k != "single" && k != "multiple" {
            d.push(Diagnostic::error(
                &at,
                "exam-format",
                format!("[exam] kinds: {k:?} is not \"single\" or \"multiple\""),
            ));
        }
    }
    if m.official_hosts.is_empty() {
        d.push(Diagnostic::error(
            &at,
            "references",
            "[references] official must list at least one host",
        ));
    }
    if p.sections.is_empty() {
        d.push(Diagnostic::error(
            &at,
            "sections",
            "the pack declares no [[section]]",
        ));
        return;
    }
    unique_ids(
        "section",
        p.sections.iter().map(|(s, l)| (s.id.as_str(), l)),
        d,
    );
    let mut numbers = HashSet::new();
    for (s, loc) in &p.sections {
        if !numbers.insert(s.number) {
            d.push(Diagnostic::error(
                loc,
                "duplicate-id",
                format!("section number {} is used twice", s.number),
            ));
        }
        if !(s.weight > 0.0 && s.weight <= 100.0) {
            d.push(Diagnostic::error(
                loc,
                "weights",
                format!("section `{}`: weight must be between 0 and 100", s.id),
            ));
        }
    }
    let total: f64 = p.sections.iter().map(|(s, _)| s.weight).sum();
    if (total - 100.0).abs() > 1.0 + 1e-9 {
        d.push(Diagnostic::error(
            &p.sections[0].1,
            "weights",
            format!(
                "section weights add up to {total}, not 100 ± 1; copy them from the official guide"
            ),
        ));
    }
}

/// A pack without a question has nothing to practise or examine.
pub(super) fn has_questions(p: &Parsed, d: &mut Vec<Diagnostic>) {
    if p.questions.is_empty() {
        let at = Location {
            file: "questions/".into(),
            line: 0,
            column: 0,
        };
        d.push(Diagnostic::error(
            &at,
            "no-questions",
            "the pack has no questions; add [[question]] items to questions/*.toml",
        ));
    }
}

pub(super) fn topics(p: &Parsed, d: &mut Vec<Diagnostic>) {
    unique_ids(
        "seed heading",
        p.seed_headings.iter().map(|h| (h.id.as_str(), &h.location)),
        d,
    );
    unique_ids(
        "topic",
        p.topics.iter().map(|t| (t.id.as_str(), &t.location)),
        d,
    );
    let sections: HashSet<&str> = p.sections.iter().map(|(s, _)| s.id.as_str()).collect();
    let seeds: HashSet<&str> = p.seed_headings.iter().map(|h| h.id.as_str()).collect();
    for t in &p.topics {
        if p.meta.is_some() && !sections.contains(t.section.as_str()) {
            d.push(Diagnostic::error(
                &t.location,
                "unknown-section",
                format!(
                    "topic `{}`: section `{}` is not declared in pack.toml",
                    t.id, t.section
                ),
            ));
        }
        for h in &t.seed_headings {
            if !seeds.contains(h.as_str()) {
                d.push(Diagnostic::error(
                    &t.location,
                    "unknown-seed-heading",
                    format!(
                        "topic `{}`: seed heading `{h}` is not declared in topics.toml",
                        t.id
                    ),
                ));
            }
        }
    }
    for h in &p.seed_headings {
        if !p.topics.iter().any(|t| t.seed_headings.contains(&h.id)) {
            d.push(Diagnostic::error(
                &h.location,
                "uncovered-seed-heading",
                format!(
                    "seed heading `{}` is covered by no topic; add it to a topic's seed-headings",
                    h.id
                ),
            ));
        }
    }
}
