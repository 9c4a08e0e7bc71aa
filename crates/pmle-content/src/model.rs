//! The validated pack model that the rest of pmle consumes.
//!
//! Values here have passed the parser; cross-reference rules (known sections, unique ids,
//! official references) are enforced by [`crate::lint`] before a [`Pack`] is handed out by
//! [`crate::load`]. Every item keeps the [`Location`] it came from so that problems found
//! later can still point at a file and line.

use serde::Serialize;

/// Where an item starts in the pack: a path relative to the pack root and a 1-based line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

/// A calendar date as written in the pack (`2026-11-27`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Identity and exam format from `pack.toml`.
#[derive(Debug, Clone, Serialize)]
pub struct PackMeta {
    pub schema_version: i64,
    pub id: String,
    pub title: String,
    pub guide_version: String,
    pub guide_date: Date,
    pub guide_url: String,
    pub description: String,
    pub exam: ExamFormat,
    pub official_hosts: Vec<String>,
}

/// The format of the real exam, which mock exams imitate.
#[derive(Debug, Clone, Serialize)]
pub struct ExamFormat {
    pub min_questions: u32,
    pub max_questions: u32,
    pub default_questions: u32,
    pub minutes: u32,
    pub kinds: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub id: String,
    pub number: u32,
    pub title: String,
    /// Percentage of the exam.
    pub weight: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct SeedHeading {
    pub id: String,
    pub title: String,
    pub location: Location,
}

#[derive(Debug, Clone, Serialize)]
pub struct Topic {
    pub id: String,
    pub title: String,
    pub section: String,
    pub seed_headings: Vec<String>,
    pub location: Location,
}

/// Single select, or multiple select with the number of options to choose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Kind {
    Single,
    Multiple { choose: u32 },
}

impl Kind {
    /// How many options the learner must pick.
    pub fn choose(self) -> u32 {
        match self {
            Kind::Single => 1,
            Kind::Multiple { choose } => choose,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct QuestionOption {
    pub text: String,
    pub correct: bool,
    pub explanation: String,
    /// Where its `[[question.option]]` header is.
    #[serde(skip)]
    pub location: Location,
}

#[derive(Debug, Clone, Serialize)]
pub struct Question {
    pub id: String,
    pub section: String,
    pub topics: Vec<String>,
    pub kind: Kind,
    pub difficulty: u8,
    pub last_verified: Date,
    pub references: Vec<String>,
    pub stem: String,
    /// In authoring order; front ends show them shuffled.
    pub options: Vec<QuestionOption>,
    /// A design trade-off item: complete candidate solutions that differ in one or two decisions.
    pub tradeoff: bool,
    /// Retired items stay in the pack so that history refers to them, but are never drawn.
    pub retired: bool,
    /// The last blind review, if any.
    pub review: Option<Review>,
    pub location: Location,
}

/// A blind review: a reviewer who had not seen the key answered the question first.
#[derive(Debug, Clone, Serialize)]
pub struct Review {
    pub date: Date,
    /// Letters (authoring order) the reviewer chose before seeing the key.
    pub blind_choice: Vec<String>,
    /// `high`, `medium` or `low`.
    pub confidence: String,
    /// What decided it: `constraints`, `recall` or `wording`.
    pub decided_by: String,
    /// The level the review found: 1 recall, 2 applied rule, 3 weighed designs.
    pub level: u8,
    /// Fingerprint of the text that was reviewed (stem, options, key).
    pub fingerprint: String,
    /// When the reviewer missed: how the key was re-checked (a sentence and the official page
    /// that settles it). A missed question whose key holds is a measured miss, not an error.
    pub key_checked: Option<String>,
}

impl Question {
    /// Indexes (authoring order) of the correct options.
    pub fn correct_indexes(&self) -> Vec<usize> {
        (0..self.options.len())
            .filter(|&i| self.options[i].correct)
            .collect()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Card {
    pub id: String,
    pub section: String,
    pub topic: String,
    pub front: String,
    pub back: String,
    pub references: Vec<String>,
    pub location: Location,
}

#[derive(Debug, Clone, Serialize)]
pub struct Note {
    pub id: String,
    pub title: String,
    pub section: String,
    pub topics: Vec<String>,
    pub seed_headings: Vec<String>,
    pub references: Vec<String>,
    /// Markdown without the front matter.
    pub body: String,
    pub location: Location,
}

impl Note {
    /// The front-matter references that the body does not already cite (most notes end with
    /// a `## References` section that names them with a description): a page that shows the
    /// body lists only these after it, so no reference is listed twice.
    pub fn references_not_in_body(&self) -> Vec<&String> {
        self.references
            .iter()
            .filter(|r| !self.body.contains(r.as_str()))
            .collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ProductStatus {
    Active,
    Deprecated,
    Retired,
}

impl ProductStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ProductStatus::Active => "active",
            ProductStatus::Deprecated => "deprecated",
            ProductStatus::Retired => "retired",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Product {
    pub id: String,
    pub name: String,
    pub former_names: Vec<String>,
    pub purpose: String,
    pub exam_tip: String,
    pub status: ProductStatus,
    pub status_date: Option<Date>,
    pub status_note: String,
    pub docs_url: String,
    /// The product that replaced this one (id), for retired and deprecated entries.
    pub successor: Option<String>,
    pub location: Location,
}

/// A decision tree such as the product chooser: questions lead to other questions or to a
/// recommendation.
#[derive(Debug, Clone, Serialize)]
pub struct Decision {
    pub id: String,
    pub title: String,
    pub start: String,
    pub references: Vec<String>,
    pub nodes: Vec<DecisionNode>,
    pub results: Vec<DecisionResult>,
    pub location: Location,
}

#[derive(Debug, Clone, Serialize)]
pub struct DecisionNode {
    pub id: String,
    /// The name of the answer in `--answer KEY=VALUE`.
    pub key: String,
    pub question: String,
    pub choices: Vec<DecisionChoice>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DecisionChoice {
    pub value: String,
    pub label: String,
    /// A node id or a result id.
    pub next: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DecisionResult {
    pub id: String,
    /// Catalog id of the recommended product.
    pub product: String,
    pub why: String,
    /// Catalog id of the second choice, and why it lost here.
    pub runner_up: String,
    pub why_not: String,
    /// Note ids to read next.
    pub notes: Vec<String>,
}

/// A whole content pack.
#[derive(Debug, Clone, Serialize)]
pub struct Pack {
    pub meta: PackMeta,
    pub sections: Vec<Section>,
    pub seed_headings: Vec<SeedHeading>,
    pub topics: Vec<Topic>,
    pub questions: Vec<Question>,
    pub cards: Vec<Card>,
    pub notes: Vec<Note>,
    pub products: Vec<Product>,
    pub decisions: Vec<Decision>,
    /// Measured difficulties (`calibration.toml`), when the pack has them.
    pub calibration: Option<crate::calibration::DifficultyCalibration>,
}

impl Pack {
    pub fn section(&self, id: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.id == id)
    }

    /// Resolve what a user typed for a section: its id (`s3`) or its number (`3`).
    pub fn resolve_section(&self, input: &str) -> Option<&Section> {
        let input = input.trim();
        self.sections
            .iter()
            .find(|s| s.id.eq_ignore_ascii_case(input) || s.number.to_string() == input)
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    pub fn topic(&self, id: &str) -> Option<&Topic> {
        self.topics.iter().find(|t| t.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(body: &str, refs: &[&str]) -> Note {
        Note {
            id: "n".into(),
            title: "N".into(),
            section: "s1".into(),
            topics: vec![],
            seed_headings: vec![],
            references: refs.iter().map(|r| (*r).to_owned()).collect(),
            body: body.into(),
            location: Location {
                file: "notes/n.md".into(),
                line: 1,
                column: 1,
            },
        }
    }

    #[test]
    fn references_the_body_cites_are_not_listed_again() {
        let n = note(
            "# N\n\n## References\n\n- Guide: https://a.example/x\n",
            &["https://a.example/x", "https://b.example/y"],
        );
        assert_eq!(
            n.references_not_in_body(),
            [&"https://b.example/y".to_owned()]
        );
        let n = note("# N\n", &["https://a.example/x"]);
        assert_eq!(n.references_not_in_body().len(), 1);
    }
}
