//! Walking a decision tree of the pack (the product chooser) with the learner's answers.

use serde::Serialize;

use crate::{App, AppError};

/// One answer option of a question.
#[derive(Debug, Clone, Serialize)]
pub struct ChoiceView {
    pub value: String,
    pub label: String,
}

/// Where the answers so far lead.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "step", rename_all = "lowercase")]
pub enum DecisionStep {
    /// The next question to answer (`--answer KEY=VALUE`).
    Question {
        key: String,
        question: String,
        choices: Vec<ChoiceView>,
    },
    /// A recommendation with its reasons, the runner-up and why not, and notes to read.
    Result {
        product: String,
        product_name: String,
        why: String,
        runner_up: String,
        runner_up_name: String,
        why_not: String,
        notes: Vec<String>,
        docs_url: String,
        /// The path taken: (question, answer label) pairs.
        path: Vec<(String, String)>,
    },
}

impl App {
    /// Ids of the decision trees in the pack.
    pub fn decision_trees(&self) -> Vec<String> {
        self.pack.decisions.iter().map(|d| d.id.clone()).collect()
    }

    /// Follow `answers` (key, value) from the start of tree `id`.
    pub fn decide(&self, id: &str, answers: &[(String, String)]) -> Result<DecisionStep, AppError> {
        let tree = self
            .pack
            .decisions
            .iter()
            .find(|d| d.id == id)
            .ok_or_else(|| AppError::Decision(format!("the pack has no decision tree `{id}`")))?;
        let mut at = tree.start.as_str();
        let mut path = Vec::new();
        for _ in 0..=tree.nodes.len() {
            if let Some(r) = tree.results.iter().find(|r| r.id == at) {
                let name = |pid: &str| {
                    self.pack
                        .products
                        .iter()
                        .find(|p| p.id == pid)
                        .map(|p| p.name.clone())
                        .unwrap_or_default()
                };
                let docs = self
                    .pack
                    .products
                    .iter()
                    .find(|p| p.id == r.product)
                    .map(|p| p.docs_url.clone())
                    .unwrap_or_default();
                return Ok(DecisionStep::Result {
                    product: r.product.clone(),
                    product_name: name(&r.product),
                    why: r.why.clone(),
                    runner_up: r.runner_up.clone(),
                    runner_up_name: name(&r.runner_up),
                    why_not: r.why_not.clone(),
                    notes: r.notes.clone(),
                    docs_url: docs,
                    path,
                });
            }
            let node = tree.nodes.iter().find(|n| n.id == at).ok_or_else(|| {
                AppError::Decision(format!("decision tree `{id}` has no node `{at}`"))
            })?;
            let Some((_, value)) = answers.iter().find(|(k, _)| *k == node.key) else {
                return Ok(DecisionStep::Question {
                    key: node.key.clone(),
                    question: node.question.clone(),
                    choices: node
                        .choices
                        .iter()
                        .map(|c| ChoiceView {
                            value: c.value.clone(),
                            label: c.label.clone(),
                        })
                        .collect(),
                });
            };
            let choice = node
                .choices
                .iter()
                .find(|c| c.value == *value)
                .ok_or_else(|| {
                    let allowed: Vec<&str> =
                        node.choices.iter().map(|c| c.value.as_str()).collect();
                    AppError::Decision(format!(
                        "`{}={value}` is not an answer here; choose one of: {}",
                        node.key,
                        allowed.join(", ")
                    ))
                })?;
            path.push((node.question.clone(), choice.label.clone()));
            at = choice.next.as_str();
        }
        Err(AppError::Decision(format!("decision tree `{id}` loops")))
    }
}
