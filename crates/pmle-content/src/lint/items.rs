//! Rules for the items authors write most: questions, cards, notes and catalog entries.

use std::collections::{HashMap, HashSet};

use super::{is_official_url, unique_ids};
use crate::diag::Diagnostic;
use crate::model::{Date, Kind, Location};
use crate::parse::Parsed;

pub(super) struct Ctx<'a> {
    p: &'a Parsed,
    today: Date,
    /// Reference checks need the allow-list; without a readable pack.toml they are skipped.
    official: Option<&'a [String]>,
    sections: HashSet<&'a str>,
    topics: HashSet<&'a str>,
    seeds: HashSet<&'a str>,
}

impl<'a> Ctx<'a> {
    pub(super) fn new(p: &'a Parsed, today: Date) -> Ctx<'a> {
        Ctx {
            p,
            today,
            official: p.meta.as_ref().map(|m| m.official_hosts.as_slice()),
            sections: p.sections.iter().map(|(s, _)| s.id.as_str()).collect(),
            topics: p.topics.iter().map(|t| t.id.as_str()).collect(),
            seeds: p.seed_headings.iter().map(|h| h.id.as_str()).collect(),
        }
    }

    fn section(&self, what: &str, section: &str, at: &Location, d: &mut Vec<Diagnostic>) {
        if self.p.meta.is_some() && !self.sections.contains(section) {
            let known: Vec<&str> = self.p.sections.iter().map(|(s, _)| s.id.as_str()).collect();
            d.push(Diagnostic::error(
                at,
                "unknown-section",
                format!(
                    "{what}: section `{section}` is not declared in pack.toml (known: {})",
                    known.join(", ")
                ),
            ));
        }
    }

    fn topic(&self, what: &str, topic: &str, at: &Location, d: &mut Vec<Diagnostic>) {
        if !self.topics.contains(topic) {
            d.push(Diagnostic::error(
                at,
                "unknown-topic",
                format!("{what}: topic `{topic}` is not declared in topics.toml"),
            ));
        }
    }

    fn references(&self, what: &str, refs: &[String], at: &Location, d: &mut Vec<Diagnostic>) {
        if refs.is_empty() {
            d.push(Diagnostic::error(
                at,
                "no-reference",
                format!("{what}: add at least one reference to official documentation"),
            ));
        }
        let Some(official) = self.official else {
            return;
        };
        for r in refs {
            if let Err(msg) = is_official_url(r, official) {
                d.push(Diagnostic::error(
                    at,
                    "bad-reference",
                    format!("{what}: {msg}"),
                ));
            }
        }
    }
}

fn empty(d: &mut Vec<Diagnostic>, at: &Location, what: &str, field: &str) {
    d.push(Diagnostic::error(
        at,
        "empty",
        format!("{what}: `{field}` is empty; write it"),
    ));
}

const NUMBER_WORDS: [&str; 7] = ["zero", "one", "two", "three", "four", "five", "six"];

pub(super) fn questions(c: &Ctx<'_>, d: &mut Vec<Diagnostic>) {
    let qs = &c.p.questions;
    unique_ids(
        "question",
        qs.iter().map(|q| (q.id.as_str(), &q.location)),
        d,
    );
    for q in qs {
        let what = format!("question `{}`", q.id);
        let at = &q.location;
        c.section(&what, &q.section, at, d);
        if q.topics.is_empty() {
            d.push(Diagnostic::error(
                at,
                "no-topic",
                format!("{what}: list at least one topic"),
            ));
        }
        for t in &q.topics {
            c.topic(&what, t, at, d);
        }
        if !(1..=3).contains(&q.difficulty) {
            d.push(Diagnostic::error(
                at,
                "difficulty",
                format!("{what}: difficulty must be 1, 2 or 3, not {}", q.difficulty),
            ));
        }
        if q.last_verified > c.today {
            d.push(Diagnostic::error(
                at,
                "last-verified",
                format!(
                    "{what}: last-verified {} is in the future; use the date you checked the facts",
                    q.last_verified
                ),
            ));
        }
        c.references(&what, &q.references, at, d);
        if q.stem.trim().is_empty() {
            empty(d, at, &what, "stem");
        }
        options(&what, q, d);
    }
}

fn options(what: &str, q: &crate::model::Question, d: &mut Vec<Diagnostic>) {
    let at = &q.location;
    let n = q.options.len();
    if !(2..=6).contains(&n) {
        d.push(Diagnostic::error(
            at,
            "option-count",
            format!("{what}: has {n} options; a question has 2 to 6 (4 for single select)"),
        ));
    }
    let mut texts = HashSet::new();
    for (i, o) in q.options.iter().enumerate() {
        let label = format!("{what}, option {} ({})", i + 1, letter(i));
        let at = &o.location;
        if o.text.trim().is_empty() {
            empty(d, at, &label, "text");
        } else if !texts.insert(o.text.trim().to_lowercase()) {
            d.push(Diagnostic::error(
                at,
                "duplicate-option",
                format!("{label}: the same text appears twice"),
            ));
        }
        if o.explanation.trim().is_empty() {
            d.push(Diagnostic::error(
                at,
                "no-explanation",
                format!(
                    "{label}: has no explanation; say why it is right or which constraint it breaks"
                ),
            ));
        }
    }
    let at = &q.location;
    let correct = q.options.iter().filter(|o| o.correct).count();
    match q.kind {
        Kind::Single if correct != 1 => d.push(Diagnostic::error(
            at,
            "correct-count",
            format!("{what}: a single-select question has exactly 1 correct option, this one has {correct}"),
        )),
        Kind::Multiple { choose } => {
            if correct != choose as usize {
                d.push(Diagnostic::error(
                    at,
                    "correct-count",
                    format!("{what}: says choose = {choose} but marks {correct} options correct"),
                ));
            }
            if choose < 2 || choose as usize >= n {
                d.push(Diagnostic::error(
                    at,
                    "correct-count",
                    format!("{what}: choose = {choose} must be at least 2 and below the number of options ({n})"),
                ));
            } else {
                let word = NUMBER_WORDS.get(choose as usize).copied().unwrap_or("");
                let stem = q.stem.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
                if !stem.contains(&format!("choose {word}")) && !stem.contains(&format!("select {word}")) {
                    d.push(Diagnostic::error(
                        at,
                        "choose-hint",
                        format!("{what}: a multiple-select stem must say \"Choose {word}.\""),
                    ));
                }
            }
        }
        Kind::Single => {}
    }
}

/// Option letters as the learner sees them: A, B, C…
pub fn letter(i: usize) -> char {
    (b'A' + (i as u8 % 26)) as char
}

pub(super) fn cards(c: &Ctx<'_>, d: &mut Vec<Diagnostic>) {
    unique_ids(
        "card",
        c.p.cards.iter().map(|x| (x.id.as_str(), &x.location)),
        d,
    );
    for card in &c.p.cards {
        let what = format!("card `{}`", card.id);
        c.section(&what, &card.section, &card.location, d);
        c.topic(&what, &card.topic, &card.location, d);
        if card.front.is_empty() {
            empty(d, &card.location, &what, "front");
        }
        if card.back.is_empty() {
            empty(d, &card.location, &what, "back");
        }
        c.references(&what, &card.references, &card.location, d);
    }
}

pub(super) fn notes(c: &Ctx<'_>, d: &mut Vec<Diagnostic>) {
    unique_ids(
        "note",
        c.p.notes.iter().map(|x| (x.id.as_str(), &x.location)),
        d,
    );
    for n in &c.p.notes {
        let what = format!("note `{}`", n.id);
        c.section(&what, &n.section, &n.location, d);
        for t in &n.topics {
            c.topic(&what, t, &n.location, d);
        }
        for h in &n.seed_headings {
            if !c.seeds.contains(h.as_str()) {
                d.push(Diagnostic::error(
                    &n.location,
                    "unknown-seed-heading",
                    format!("{what}: seed heading `{h}` is not declared in topics.toml"),
                ));
            }
        }
        if n.body.is_empty() {
            empty(d, &n.location, &what, "body");
        }
        c.references(&what, &n.references, &n.location, d);
    }
    // Coverage of the seed guide by notes: one error listing every heading still untaught.
    let missing: Vec<&str> =
        c.p.seed_headings
            .iter()
            .filter(|h| !c.p.notes.iter().any(|n| n.seed_headings.contains(&h.id)))
            .map(|h| h.id.as_str())
            .collect();
    if let Some(first) =
        c.p.seed_headings
            .iter()
            .find(|h| h.id == *missing.first().unwrap_or(&""))
    {
        d.push(Diagnostic::error(
            &first.location,
            "seed-heading-without-note",
            format!(
                "{} seed heading(s) taught by no note: {}; list each in a note's seed-headings",
                missing.len(),
                missing.join(", ")
            ),
        ));
    }
}

pub(super) fn products(c: &Ctx<'_>, d: &mut Vec<Diagnostic>) {
    let ps = &c.p.products;
    unique_ids(
        "product",
        ps.iter().map(|x| (x.id.as_str(), &x.location)),
        d,
    );
    let mut names: HashMap<String, &str> = HashMap::new();
    for p in ps {
        names.insert(p.name.to_lowercase(), &p.id);
    }
    let mut former: HashMap<String, &str> = HashMap::new();
    for p in ps {
        let what = format!("product `{}`", p.id);
        if p.name.trim().is_empty() {
            empty(d, &p.location, &what, "name");
        }
        if p.purpose.is_empty() {
            empty(d, &p.location, &what, "purpose");
        }
        if p.status != crate::model::ProductStatus::Active && p.status_date.is_none() {
            d.push(Diagnostic::error(
                &p.location,
                "status-date",
                format!(
                    "{what}: status {} needs a status-date (when it was deprecated or retired)",
                    p.status.as_str()
                ),
            ));
        }
        for f in &p.former_names {
            let key = f.to_lowercase();
            if let Some(other) = former.insert(key.clone(), &p.id) {
                d.push(Diagnostic::error(
                    &p.location,
                    "duplicate-former-name",
                    format!("{what}: former name {f:?} is also listed by `{other}`; a former name must lead to one product"),
                ));
            }
            if let Some(other) = names.get(&key).filter(|o| **o != p.id) {
                d.push(Diagnostic::error(
                    &p.location,
                    "duplicate-former-name",
                    format!("{what}: former name {f:?} is the current name of `{other}`"),
                ));
            }
        }
        if let Some(next) = &p.successor
            && (next == &p.id || !ps.iter().any(|x| &x.id == next))
        {
            d.push(Diagnostic::error(
                &p.location,
                "unknown-successor",
                format!("{what}: successor `{next}` is not another product of the catalog"),
            ));
        }
        c.references(&what, std::slice::from_ref(&p.docs_url), &p.location, d);
    }
}
