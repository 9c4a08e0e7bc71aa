//! Serde mirrors of the pack files, as close to the TOML as possible.
//!
//! Every struct denies unknown fields so a misspelt key is an error, never a silently
//! ignored line. Validation beyond "is it the right type" happens in [`crate::lint`],
//! which needs the whole pack (ids of other files) to judge.

use serde::Deserialize;
use toml::Spanned;
use toml::value::Datetime;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub(crate) struct RawPack {
    pub schema_version: Spanned<i64>,
    pub id: Spanned<String>,
    pub title: String,
    pub guide_version: String,
    pub guide_date: Datetime,
    pub guide_url: Spanned<String>,
    #[serde(default)]
    pub description: String,
    pub exam: RawExam,
    #[serde(default)]
    pub section: Vec<Spanned<RawSection>>,
    pub references: RawReferences,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub(crate) struct RawExam {
    pub min_questions: u32,
    pub max_questions: u32,
    pub default_questions: u32,
    pub minutes: u32,
    pub kinds: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub(crate) struct RawSection {
    pub id: String,
    pub number: u32,
    pub title: String,
    pub weight: f64,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub(crate) struct RawReferences {
    pub official: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub(crate) struct RawTopicsFile {
    #[serde(default)]
    pub seed_heading: Vec<Spanned<toml::Table>>,
    #[serde(default)]
    pub topic: Vec<Spanned<toml::Table>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub(crate) struct RawSeedHeading {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub(crate) struct RawTopic {
    pub id: String,
    pub title: String,
    pub section: String,
    #[serde(default)]
    pub seed_headings: Vec<String>,
}

/// `questions/*.toml`: each item is kept as a spanned table first, so one bad question
/// does not hide the problems of the others in the same file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawQuestionsFile {
    #[serde(default)]
    pub question: Vec<Spanned<toml::Table>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub(crate) struct RawQuestion {
    pub id: String,
    pub section: String,
    pub topics: Vec<String>,
    pub kind: String,
    pub choose: Option<u32>,
    pub difficulty: u8,
    pub last_verified: Datetime,
    pub references: Vec<String>,
    pub stem: String,
    #[serde(default)]
    pub tradeoff: bool,
    #[serde(default)]
    pub retired: bool,
    pub review: Option<RawReview>,
    #[serde(default)]
    pub option: Vec<RawOption>,
}

/// `[question.review]`: the last blind review of the question (see docs/content-format.md).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub(crate) struct RawReview {
    pub date: Datetime,
    pub blind_choice: Vec<String>,
    pub confidence: String,
    pub decided_by: String,
    pub level: u8,
    pub fingerprint: String,
    #[serde(default)]
    pub key_checked: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub(crate) struct RawOption {
    pub text: String,
    pub correct: bool,
    #[serde(default)]
    pub explanation: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCardsFile {
    #[serde(default)]
    pub card: Vec<Spanned<toml::Table>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub(crate) struct RawCard {
    pub id: String,
    pub section: String,
    pub topic: String,
    pub front: String,
    pub back: String,
    pub references: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub(crate) struct RawNoteMeta {
    pub id: String,
    pub title: String,
    pub section: String,
    #[serde(default)]
    pub topics: Vec<String>,
    #[serde(default)]
    pub seed_headings: Vec<String>,
    pub references: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCatalogFile {
    #[serde(default)]
    pub product: Vec<Spanned<toml::Table>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub(crate) struct RawProduct {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub former_names: Vec<String>,
    pub purpose: String,
    #[serde(default)]
    pub exam_tip: String,
    pub status: String,
    pub status_date: Option<Datetime>,
    #[serde(default)]
    pub status_note: String,
    pub docs_url: String,
    pub successor: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub(crate) struct RawDecision {
    pub id: String,
    pub title: String,
    pub start: String,
    #[serde(default)]
    pub references: Vec<String>,
    #[serde(default)]
    pub node: Vec<RawDecisionNode>,
    #[serde(default)]
    pub result: Vec<RawDecisionResult>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub(crate) struct RawDecisionNode {
    pub id: String,
    pub key: String,
    pub question: String,
    pub choices: Vec<RawChoice>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub(crate) struct RawChoice {
    pub value: String,
    pub label: String,
    pub next: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub(crate) struct RawDecisionResult {
    pub id: String,
    pub product: String,
    pub why: String,
    pub runner_up: String,
    pub why_not: String,
    #[serde(default)]
    pub notes: Vec<String>,
}
