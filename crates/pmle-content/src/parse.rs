//! From pack files to model values, collecting syntax and shape problems as diagnostics.
//!
//! Each file is parsed on its own and each item (question, card, product…) is converted on
//! its own, so one mistake costs one diagnostic and the rest of the pack is still checked.
//! Cross-file rules live in [`crate::lint`].

use std::ops::Range;

use serde::de::DeserializeOwned;
use toml::Spanned;

use crate::diag::{Diagnostic, LineIndex};
use crate::model::*;
use crate::raw::*;
use crate::source::{PackSource, SourceFile};

/// What the parser could read, and what it could not.
#[derive(Debug, Default)]
pub(crate) struct Parsed {
    pub(crate) meta: Option<PackMeta>,
    pub(crate) sections: Vec<(Section, Location)>,
    pub(crate) seed_headings: Vec<SeedHeading>,
    pub(crate) topics: Vec<Topic>,
    pub(crate) questions: Vec<Question>,
    pub(crate) cards: Vec<Card>,
    pub(crate) notes: Vec<Note>,
    pub(crate) products: Vec<Product>,
    pub(crate) decisions: Vec<Decision>,
    /// The calibration file when present and clean, with its text (for locating ids).
    pub(crate) calibration: Option<(crate::calibration::DifficultyCalibration, String)>,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

/// Parse every file of `source`. Never panics, whatever the bytes.
pub(crate) fn parse(source: &PackSource) -> Parsed {
    let mut out = Parsed::default();
    let mut saw_pack_toml = false;
    for file in &source.files {
        match classify(&file.path) {
            FileKind::Pack => {
                saw_pack_toml = true;
                parse_pack_toml(file, &mut out);
            }
            FileKind::Topics => parse_topics(file, &mut out),
            FileKind::Catalog => parse_catalog(file, &mut out),
            FileKind::Questions => parse_questions(file, &mut out),
            FileKind::Cards => parse_cards(file, &mut out),
            FileKind::Note => parse_note(file, &mut out),
            FileKind::Decision => parse_decision(file, &mut out),
            FileKind::Calibration => {
                out.calibration = crate::calibration::parse_file(&file.text, &mut out.diagnostics)
                    .map(|c| (c, file.text.clone()));
            }
            FileKind::Ignored => {}
            FileKind::Unexpected => {
                let at = LineIndex::new(&file.path, &file.text, 0).whole_file();
                out.diagnostics.push(Diagnostic::warning(
                    &at,
                    "unexpected-file",
                    "this file is not read: questions go in questions/*.toml, cards in \
                     cards/*.toml, notes in notes/*.md",
                ));
            }
        }
    }
    if !saw_pack_toml {
        let at = Location {
            file: "pack.toml".into(),
            line: 0,
            column: 0,
        };
        out.diagnostics.push(Diagnostic::error(
            &at,
            "missing-pack-toml",
            format!(
                "no pack.toml at the root of {}: is this a pmle content pack?",
                source.origin
            ),
        ));
    }
    out
}

enum FileKind {
    Pack,
    Topics,
    Catalog,
    Questions,
    Cards,
    Note,
    Decision,
    Calibration,
    Ignored,
    Unexpected,
}

fn classify(path: &str) -> FileKind {
    let in_dir = |dir: &str, ext: &str| {
        path.strip_prefix(dir)
            .is_some_and(|rest| !rest.contains('/') && rest.ends_with(ext))
    };
    match path {
        "pack.toml" => FileKind::Pack,
        "topics.toml" => FileKind::Topics,
        "catalog.toml" => FileKind::Catalog,
        crate::calibration::CALIBRATION_FILE => FileKind::Calibration,
        _ if in_dir("questions/", ".toml") => FileKind::Questions,
        _ if in_dir("cards/", ".toml") => FileKind::Cards,
        _ if in_dir("notes/", ".md") => FileKind::Note,
        _ if in_dir("decisions/", ".toml") => FileKind::Decision,
        _ if path.ends_with("README.md") => FileKind::Ignored,
        _ => FileKind::Unexpected,
    }
}

/// Parse a whole file; a syntax error becomes one diagnostic at its position.
fn parse_file<T: DeserializeOwned>(idx: &LineIndex<'_>, out: &mut Parsed) -> Option<T> {
    match toml::from_str::<T>(idx.text()) {
        Ok(v) => Some(v),
        Err(e) => {
            let at = match e.span() {
                Some(span) => locate_error(idx, span, e.message()),
                None => idx.at(0),
            };
            out.diagnostics.push(Diagnostic::error(
                &at,
                code_for(e.message()),
                clean(e.message()),
            ));
            None
        }
    }
}

/// Convert one spanned table into its typed form; problems point into that item.
fn item<T: DeserializeOwned>(
    idx: &LineIndex<'_>,
    table: &Spanned<toml::Table>,
    what: &str,
    out: &mut Parsed,
) -> Option<T> {
    let extent = extent(idx, table);
    match toml::Value::Table(table.get_ref().clone()).try_into::<T>() {
        Ok(v) => Some(v),
        Err(e) => {
            let msg = e.message().to_owned();
            let at = match backticked(&msg) {
                Some(key) => idx.key_in(extent, key),
                None => idx.at(table.span().start),
            };
            let id = table
                .get_ref()
                .get("id")
                .and_then(|v| v.as_str())
                .unwrap_or("?");
            out.diagnostics.push(Diagnostic::error(
                &at,
                code_for(&msg),
                format!("{what} `{id}`: {}", clean(&msg)),
            ));
            None
        }
    }
}

/// The bytes of one array-of-tables item: from its `[[header]]` to the next header at the
/// same or outer level (toml spans cover only the header line).
fn extent(idx: &LineIndex<'_>, table: &Spanned<toml::Table>) -> Range<usize> {
    let text = idx.text();
    let start = table.span().start.min(text.len());
    let header = text[start..].lines().next().unwrap_or("").trim();
    let name = header.trim_start_matches('[').trim_end_matches(']').trim();
    let mut offset = start
        + text[start..]
            .find('\n')
            .map_or(text.len() - start, |i| i + 1);
    for line in text[offset..].split_inclusive('\n') {
        let t = line.trim_start();
        if t.starts_with('[') {
            let inner = t.trim_start_matches('[');
            // `[[question.option]]` belongs to the item; `[[question]]` or `[[topic]]` ends it.
            if !inner.starts_with(&format!("{name}.")) {
                return start..offset;
            }
        }
        offset += line.len();
    }
    start..text.len()
}

fn locate_error(idx: &LineIndex<'_>, span: Range<usize>, msg: &str) -> Location {
    // serde reports an unknown key at the table that holds it; point at the key itself.
    if msg.contains("unknown field")
        && let Some(key) = backticked(msg)
    {
        return idx.key_in(span, key);
    }
    idx.at(span.start)
}

fn backticked(msg: &str) -> Option<&str> {
    let start = msg.find('`')? + 1;
    let len = msg[start..].find('`')?;
    Some(&msg[start..start + len])
}

fn code_for(msg: &str) -> &'static str {
    if msg.contains("unknown field") {
        "unknown-key"
    } else if msg.contains("missing field") {
        "missing-key"
    } else if msg.contains("invalid type") || msg.contains("invalid value") {
        "wrong-type"
    } else if msg.contains("duplicate key") {
        "duplicate-key"
    } else {
        "syntax"
    }
}

/// Keep serde's message but make "expected one of …" lists readable on one line.
fn clean(msg: &str) -> String {
    let msg = msg.trim().replace('\n', " ");
    if msg.contains("unknown field") {
        format!("{msg} (keys are kebab-case; see docs/content-format.md)")
    } else {
        msg
    }
}

fn to_date(dt: &toml::value::Datetime) -> Option<Date> {
    match (dt.date, dt.time, dt.offset) {
        (Some(d), None, None) => Some(Date {
            year: d.year,
            month: d.month,
            day: d.day,
        }),
        _ => None,
    }
}

fn bad_date(at: &Location, what: &str, out: &mut Parsed) -> Date {
    out.diagnostics.push(Diagnostic::error(
        at,
        "wrong-type",
        format!("{what} must be a plain date such as 2026-11-27 (no time, no quotes)"),
    ));
    Date {
        year: 1970,
        month: 1,
        day: 1,
    }
}

fn parse_pack_toml(file: &SourceFile, out: &mut Parsed) {
    let idx = LineIndex::new(&file.path, &file.text, 0);
    let Some(raw) = parse_file::<RawPack>(&idx, out) else {
        return;
    };
    let guide_date = to_date(&raw.guide_date).unwrap_or_else(|| {
        bad_date(
            &idx.key_in(0..file.text.len(), "guide-date"),
            "guide-date",
            out,
        )
    });
    for s in &raw.section {
        let at = idx.at(s.span().start);
        let s = s.get_ref();
        out.sections.push((
            Section {
                id: s.id.clone(),
                number: s.number,
                title: s.title.clone(),
                weight: s.weight,
            },
            at,
        ));
    }
    out.meta = Some(PackMeta {
        schema_version: *raw.schema_version.get_ref(),
        id: raw.id.get_ref().clone(),
        title: raw.title,
        guide_version: raw.guide_version,
        guide_date,
        guide_url: raw.guide_url.get_ref().clone(),
        description: raw.description.trim().to_owned(),
        exam: ExamFormat {
            min_questions: raw.exam.min_questions,
            max_questions: raw.exam.max_questions,
            default_questions: raw.exam.default_questions,
            minutes: raw.exam.minutes,
            kinds: raw.exam.kinds,
        },
        official_hosts: raw.references.official,
    });
}

fn parse_topics(file: &SourceFile, out: &mut Parsed) {
    let idx = LineIndex::new(&file.path, &file.text, 0);
    let Some(raw) = parse_file::<RawTopicsFile>(&idx, out) else {
        return;
    };
    for t in &raw.seed_heading {
        if let Some(h) = item::<RawSeedHeading>(&idx, t, "seed heading", out) {
            let location = idx.at(t.span().start);
            out.seed_headings.push(SeedHeading {
                id: h.id,
                title: h.title,
                location,
            });
        }
    }
    for t in &raw.topic {
        if let Some(r) = item::<RawTopic>(&idx, t, "topic", out) {
            out.topics.push(Topic {
                id: r.id,
                title: r.title,
                section: r.section,
                seed_headings: r.seed_headings,
                location: idx.at(t.span().start),
            });
        }
    }
}

fn parse_questions(file: &SourceFile, out: &mut Parsed) {
    let idx = LineIndex::new(&file.path, &file.text, 0);
    let Some(raw) = parse_file::<RawQuestionsFile>(&idx, out) else {
        return;
    };
    for t in &raw.question {
        let Some(r) = item::<RawQuestion>(&idx, t, "question", out) else {
            continue;
        };
        let location = idx.at(t.span().start);
        let span = extent(&idx, t);
        let option_at: Vec<Location> = idx.text()[span.clone()]
            .match_indices("[[question.option]]")
            .map(|(i, _)| idx.at(span.start + i))
            .collect();
        let kind = match (r.kind.as_str(), r.choose) {
            ("single", None | Some(1)) => Kind::Single,
            ("multiple", Some(n)) => Kind::Multiple { choose: n },
            ("single", Some(n)) => {
                let at = idx.key_in(extent(&idx, t), "choose");
                out.diagnostics.push(Diagnostic::error(
                    &at,
                    "bad-kind",
                    format!("question `{}`: a single-select question chooses 1, not {n}; remove `choose` or set kind = \"multiple\"", r.id),
                ));
                Kind::Single
            }
            ("multiple", None) => {
                let at = idx.key_in(extent(&idx, t), "kind");
                out.diagnostics.push(Diagnostic::error(
                    &at,
                    "bad-kind",
                    format!(
                        "question `{}`: a multiple-select question needs `choose = 2` (or 3)",
                        r.id
                    ),
                ));
                continue;
            }
            (other, _) => {
                let at = idx.key_in(extent(&idx, t), "kind");
                out.diagnostics.push(Diagnostic::error(
                    &at,
                    "bad-kind",
                    format!(
                        "question `{}`: kind must be \"single\" or \"multiple\", not {other:?}",
                        r.id
                    ),
                ));
                continue;
            }
        };
        let last_verified = to_date(&r.last_verified).unwrap_or_else(|| {
            bad_date(
                &idx.key_in(extent(&idx, t), "last-verified"),
                "last-verified",
                out,
            )
        });
        let review = r.review.map(|rv| Review {
            date: to_date(&rv.date).unwrap_or_else(|| {
                bad_date(&idx.key_in(extent(&idx, t), "review"), "review.date", out)
            }),
            blind_choice: rv.blind_choice,
            confidence: rv.confidence,
            decided_by: rv.decided_by,
            level: rv.level,
            fingerprint: rv.fingerprint,
            key_checked: rv.key_checked,
        });
        out.questions.push(Question {
            id: r.id,
            section: r.section,
            topics: r.topics,
            kind,
            difficulty: r.difficulty,
            last_verified,
            references: r.references,
            stem: r.stem.trim().to_owned(),
            options: r
                .option
                .into_iter()
                .enumerate()
                .map(|(i, o)| QuestionOption {
                    text: o.text.trim().to_owned(),
                    correct: o.correct,
                    explanation: o.explanation.trim().to_owned(),
                    location: option_at
                        .get(i)
                        .cloned()
                        .unwrap_or_else(|| location.clone()),
                })
                .collect(),
            tradeoff: r.tradeoff,
            retired: r.retired,
            review,
            location,
        });
    }
}

fn parse_cards(file: &SourceFile, out: &mut Parsed) {
    let idx = LineIndex::new(&file.path, &file.text, 0);
    let Some(raw) = parse_file::<RawCardsFile>(&idx, out) else {
        return;
    };
    for t in &raw.card {
        if let Some(r) = item::<RawCard>(&idx, t, "card", out) {
            out.cards.push(Card {
                id: r.id,
                section: r.section,
                topic: r.topic,
                front: r.front.trim().to_owned(),
                back: r.back.trim().to_owned(),
                references: r.references,
                location: idx.at(t.span().start),
            });
        }
    }
}

fn parse_catalog(file: &SourceFile, out: &mut Parsed) {
    let idx = LineIndex::new(&file.path, &file.text, 0);
    let Some(raw) = parse_file::<RawCatalogFile>(&idx, out) else {
        return;
    };
    for t in &raw.product {
        let Some(r) = item::<RawProduct>(&idx, t, "product", out) else {
            continue;
        };
        let location = idx.at(t.span().start);
        let status = match r.status.as_str() {
            "active" => ProductStatus::Active,
            "deprecated" => ProductStatus::Deprecated,
            "retired" => ProductStatus::Retired,
            other => {
                out.diagnostics.push(Diagnostic::error(
                    &idx.key_in(extent(&idx, t), "status"),
                    "bad-status",
                    format!(
                        "product `{}`: status must be active, deprecated or retired, not {other:?}",
                        r.id
                    ),
                ));
                continue;
            }
        };
        let status_date = r.status_date.as_ref().map(|d| {
            to_date(d).unwrap_or_else(|| {
                bad_date(
                    &idx.key_in(extent(&idx, t), "status-date"),
                    "status-date",
                    out,
                )
            })
        });
        out.products.push(Product {
            id: r.id,
            name: r.name,
            former_names: r.former_names,
            purpose: r.purpose.trim().to_owned(),
            exam_tip: r.exam_tip.trim().to_owned(),
            status,
            status_date,
            status_note: r.status_note.trim().to_owned(),
            docs_url: r.docs_url,
            successor: r.successor,
            location,
        });
    }
}

fn parse_decision(file: &SourceFile, out: &mut Parsed) {
    let idx = LineIndex::new(&file.path, &file.text, 0);
    let Some(raw) = parse_file::<RawDecision>(&idx, out) else {
        return;
    };
    out.decisions.push(Decision {
        id: raw.id,
        title: raw.title,
        start: raw.start,
        references: raw.references,
        nodes: raw
            .node
            .into_iter()
            .map(|n| DecisionNode {
                id: n.id,
                key: n.key,
                question: n.question,
                choices: n
                    .choices
                    .into_iter()
                    .map(|c| DecisionChoice {
                        value: c.value,
                        label: c.label,
                        next: c.next,
                    })
                    .collect(),
            })
            .collect(),
        results: raw
            .result
            .into_iter()
            .map(|r| DecisionResult {
                id: r.id,
                product: r.product,
                why: r.why.trim().to_owned(),
                runner_up: r.runner_up,
                why_not: r.why_not.trim().to_owned(),
                notes: r.notes,
            })
            .collect(),
        location: idx.at(0),
    });
}

fn parse_note(file: &SourceFile, out: &mut Parsed) {
    let whole = LineIndex::new(&file.path, &file.text, 0);
    let Some((front, body)) = split_front_matter(&file.text) else {
        out.diagnostics.push(Diagnostic::error(
            &whole.at(0),
            "front-matter",
            "a note starts with TOML front matter between two `+++` lines (id, title, section, references)",
        ));
        return;
    };
    let idx = LineIndex::new(&file.path, front, 1);
    let Some(meta) = parse_file::<RawNoteMeta>(&idx, out) else {
        return;
    };
    out.notes.push(Note {
        id: meta.id,
        title: meta.title,
        section: meta.section,
        topics: meta.topics,
        seed_headings: meta.seed_headings,
        references: meta.references,
        body: body.trim().to_owned(),
        location: whole.at(0),
    });
}

/// `+++\n<toml>\n+++\n<markdown>` → (toml, markdown).
fn split_front_matter(text: &str) -> Option<(&str, &str)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let rest = text
        .strip_prefix("+++\n")
        .or_else(|| text.strip_prefix("+++\r\n"))?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            return Some((&rest[..offset], &rest[offset + line.len()..]));
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
pub(crate) mod tests;
