//! What a lab is: a deterministic experiment that returns figures, charts and the lesson.

use serde::Serialize;

/// A named number a lab measured.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    pub name: String,
    pub value: f64,
}

impl Figure {
    /// The name for people: `precision_at_0_5` is "precision at 0.5" (an underscore
    /// between two digits is a decimal point, any other a space). `--json` keeps `name`.
    pub fn label(&self) -> String {
        let chars: Vec<char> = self.name.chars().collect();
        chars
            .iter()
            .enumerate()
            .map(|(i, &c)| {
                if c != '_' {
                    c
                } else if i > 0
                    && chars[i - 1].is_ascii_digit()
                    && chars.get(i + 1).is_some_and(char::is_ascii_digit)
                {
                    '.'
                } else {
                    ' '
                }
            })
            .collect()
    }

    /// The value for people (see [`crate::human::number`]).
    pub fn shown(&self) -> String {
        crate::human::number(self.value)
    }
}

/// One line of a chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Line {
    pub name: String,
    pub points: Vec<(f64, f64)>,
}

/// A chart a lab draws.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chart {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    /// Draw the y axis on a log10 scale (values must be positive).
    pub log_y: bool,
    pub lines: Vec<Line>,
}

/// Everything one run of a lab produced.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LabResult {
    pub id: &'static str,
    pub title: &'static str,
    pub seed: u64,
    /// One sentence with the key number, e.g. "L1 zeroed 47 of 50 irrelevant weights; L2 none".
    pub headline: String,
    /// "What you just saw": the concept, in a short paragraph, tied to the exam.
    pub lesson: &'static str,
    pub figures: Vec<Figure>,
    pub charts: Vec<Chart>,
    /// Ids of questions and notes of the embedded pack that this lab explains.
    pub questions: &'static [&'static str],
    pub notes: &'static [&'static str],
}

impl LabResult {
    /// The value of a figure by name (for tests and front ends).
    pub fn figure(&self, name: &str) -> Option<f64> {
        self.figures
            .iter()
            .find(|f| f.name == name)
            .map(|f| f.value)
    }
}

/// Why a lab could not run.
#[derive(Debug, thiserror::Error)]
pub enum LabError {
    #[error("unknown lab `{0}`; see `pmle lab list`")]
    Unknown(String),
    #[error("lab computation failed: {0}")]
    Compute(String),
}

/// A lab's identity, for listings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LabInfo {
    pub id: &'static str,
    pub title: &'static str,
    /// What the lab shows, in a few words.
    pub shows: &'static str,
    /// Ids of questions and notes of the embedded pack that this lab explains (the same as
    /// in its results), so question feedback can link back without running the lab.
    pub questions: &'static [&'static str],
    pub notes: &'static [&'static str],
}

/// An experiment. `run` must be deterministic for a seed and finish in about a second.
pub trait Lab: Sync {
    fn info(&self) -> LabInfo;
    fn run(&self, seed: u64) -> Result<LabResult, LabError>;
}

/// Find a lab by id.
pub fn find(id: &str) -> Result<&'static dyn Lab, LabError> {
    crate::labs::all()
        .into_iter()
        .find(|l| l.info().id == id)
        .ok_or_else(|| LabError::Unknown(id.to_owned()))
}

/// Labs that explain question `id`.
pub fn explaining(question_id: &str) -> Vec<LabInfo> {
    crate::labs::all()
        .into_iter()
        .map(|l| l.info())
        .filter(|i| i.questions.contains(&question_id))
        .collect()
}

#[cfg(test)]
mod label_tests {
    use super::Figure;

    #[test]
    fn labels_read_decimal_points_as_such() {
        let f = |name: &str| {
            Figure {
                name: name.into(),
                value: 0.0,
            }
            .label()
        };
        assert_eq!(f("precision_at_0_5"), "precision at 0.5");
        assert_eq!(f("precision_at_recall_0_8"), "precision at recall 0.8");
        assert_eq!(f("inertia_k3"), "inertia k3");
        assert_eq!(f("rec1_true"), "rec1 true");
        assert_eq!(f("top3_mean"), "top3 mean");
    }
}
