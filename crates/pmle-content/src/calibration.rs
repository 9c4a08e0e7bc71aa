//! The pack's optional calibration file (`calibration.toml`): per question, a difficulty
//! measured from pooled responses, with its standard error and the number of responses it
//! rests on. The readiness estimate uses it in place of the authored label
//! (docs/content-format.md, docs/engine.md §5).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::diag::{Diagnostic, LineIndex};
use crate::model::{Location, Question};

/// The file name inside a pack.
pub const CALIBRATION_FILE: &str = "calibration.toml";
/// The only version this pmle reads.
pub const CALIBRATION_VERSION: i64 = 1;
/// Allowed difficulty, logits: beyond ±5 nearly everyone (or no one) answers right, and a
/// fit that far out says more about too few responses than about the question.
pub const DIFFICULTY_RANGE: (f64, f64) = (-5.0, 5.0);
/// Allowed discrimination: below 0.2 a question says almost nothing about ability; above 4
/// the fit has most likely diverged.
pub const DISCRIMINATION_RANGE: (f64, f64) = (0.2, 4.0);
/// Allowed standard error of the difficulty, logits: above 2 the measurement is no better
/// than the label, so leave the question out.
pub const SE_RANGE: (f64, f64) = (0.0, 2.0);

/// One question's measured parameters, on the engine's logit scale (labels 1, 2, 3 sit at
/// −0.8, 0, +0.8).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ItemCalibration {
    pub difficulty: f64,
    /// `None` when the fit did not estimate it (the engine then uses 1).
    pub discrimination: Option<f64>,
    pub responses: u32,
    pub se: f64,
}

/// The whole file.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DifficultyCalibration {
    pub version: i64,
    /// By question id.
    pub questions: BTreeMap<String, ItemCalibration>,
}

/// What is wrong with a calibration file; each message says what to do.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CalibrationError {
    #[error("calibration.toml is not valid TOML: {message}; fix the syntax or regenerate the file")]
    Syntax { offset: usize, message: String },
    #[error("calibration.toml has no `version`; add `version = {CALIBRATION_VERSION}` at the top")]
    MissingVersion,
    #[error(
        "calibration.toml is version {found}, but this pmle reads version {CALIBRATION_VERSION}; \
         regenerate it with the matching item-analysis tool or update pmle"
    )]
    Version { found: i64 },
    #[error(
        "calibration.toml: {message}; the file holds `version` and `[question.<id>]` tables only"
    )]
    Shape { message: String },
    #[error(
        "calibration.toml: question `{id}`: {field} = {value} is outside {low}–{high}; \
         refit it, or remove its entry so the label is used"
    )]
    OutOfRange {
        id: String,
        field: &'static str,
        value: f64,
        low: f64,
        high: f64,
    },
    #[error(
        "calibration.toml: question `{id}` has {field} = {value}; a measured difficulty needs \
         at least one response and a standard error above 0: refit it or remove its entry"
    )]
    Degenerate {
        id: String,
        field: &'static str,
        value: f64,
    },
}

impl CalibrationError {
    /// The question the error is about, if any.
    pub fn question(&self) -> Option<&str> {
        match self {
            CalibrationError::OutOfRange { id, .. } | CalibrationError::Degenerate { id, .. } => {
                Some(id)
            }
            _ => None,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            CalibrationError::Syntax { .. } => "calibration-syntax",
            CalibrationError::MissingVersion | CalibrationError::Version { .. } => {
                "calibration-version"
            }
            CalibrationError::Shape { .. } => "calibration-shape",
            CalibrationError::OutOfRange { .. } | CalibrationError::Degenerate { .. } => {
                "calibration-range"
            }
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[allow(dead_code)] // checked before the rest is read
    version: i64,
    #[serde(default)]
    question: BTreeMap<String, RawItem>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    difficulty: f64,
    discrimination: Option<f64>,
    responses: i64,
    se: f64,
}

/// Parse a calibration file. Every problem is returned (not only the first), so an author
/// fixes a whole batch at once; ids are checked against the pack by [`check_ids`].
pub fn parse_calibration(text: &str) -> Result<DifficultyCalibration, Vec<CalibrationError>> {
    let table: toml::Table = toml::from_str(text).map_err(|e| {
        vec![CalibrationError::Syntax {
            offset: e.span().map_or(0, |s| s.start),
            message: e.message().to_owned(),
        }]
    })?;
    // The version first: another version may have another shape, and its errors would only
    // confuse.
    match table.get("version").map(toml::Value::as_integer) {
        None => return Err(vec![CalibrationError::MissingVersion]),
        Some(Some(CALIBRATION_VERSION)) => {}
        Some(Some(found)) => return Err(vec![CalibrationError::Version { found }]),
        Some(None) => {
            return Err(vec![CalibrationError::Shape {
                message: "`version` must be a whole number".into(),
            }]);
        }
    }
    let raw: RawFile = toml::Value::Table(table).try_into().map_err(|e| {
        vec![CalibrationError::Shape {
            message: e.message().trim().to_owned(),
        }]
    })?;
    let mut errors = Vec::new();
    let mut questions = BTreeMap::new();
    for (id, it) in raw.question {
        let mut ok = true;
        let mut range = |field: &'static str, value: f64, (low, high): (f64, f64)| {
            if !(low..=high).contains(&value) {
                errors.push(CalibrationError::OutOfRange {
                    id: id.clone(),
                    field,
                    value,
                    low,
                    high,
                });
                ok = false;
            }
        };
        range("difficulty", it.difficulty, DIFFICULTY_RANGE);
        if let Some(a) = it.discrimination {
            range("discrimination", a, DISCRIMINATION_RANGE);
        }
        range("se", it.se, SE_RANGE);
        if it.se == 0.0 {
            errors.push(CalibrationError::Degenerate {
                id: id.clone(),
                field: "se",
                value: it.se,
            });
            ok = false;
        }
        if it.responses < 1 {
            errors.push(CalibrationError::Degenerate {
                id: id.clone(),
                field: "responses",
                value: it.responses as f64,
            });
            ok = false;
        }
        if ok {
            questions.insert(
                id,
                ItemCalibration {
                    difficulty: it.difficulty,
                    discrimination: it.discrimination,
                    responses: u32::try_from(it.responses).unwrap_or(u32::MAX),
                    se: it.se,
                },
            );
        }
    }
    if errors.is_empty() {
        Ok(DifficultyCalibration {
            version: CALIBRATION_VERSION,
            questions,
        })
    } else {
        Err(errors)
    }
}

/// Where a question's table starts in the file (the file as a whole if not found).
fn locate(idx: &LineIndex<'_>, id: &str) -> Location {
    let text = idx.text();
    for pattern in [format!("[question.{id}]"), format!("[question.\"{id}\"]")] {
        if let Some(at) = text.find(&pattern) {
            return idx.at(at);
        }
    }
    idx.whole_file()
}

/// Parse the file's text into diagnostics (errors) and, when it is clean, the calibration.
pub(crate) fn parse_file(
    text: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<DifficultyCalibration> {
    let idx = LineIndex::new(CALIBRATION_FILE, text, 0);
    match parse_calibration(text) {
        Ok(c) => Some(c),
        Err(errors) => {
            for e in errors {
                let at = match (&e, e.question()) {
                    (CalibrationError::Syntax { offset, .. }, _) => idx.at(*offset),
                    (_, Some(id)) => locate(&idx, id),
                    _ => idx.at(0),
                };
                diagnostics.push(Diagnostic::error(&at, e.code(), e.to_string()));
            }
            None
        }
    }
}

/// Every calibrated id must be a live question of the pack: a measurement of a question
/// that does not exist (a typo, a renamed id) or is retired (never drawn again) is a stale
/// file.
pub(crate) fn check_ids(
    calibration: &DifficultyCalibration,
    text: &str,
    questions: &[Question],
    diagnostics: &mut Vec<Diagnostic>,
) {
    let idx = LineIndex::new(CALIBRATION_FILE, text, 0);
    for id in calibration.questions.keys() {
        match questions.iter().find(|q| &q.id == id) {
            None => diagnostics.push(Diagnostic::error(
                &locate(&idx, id),
                "calibration-unknown-id",
                format!(
                    "calibration.toml: question `{id}` is not in the pack; fix the id or remove \
                     its entry (a renamed question needs a new fit)"
                ),
            )),
            Some(q) if q.retired => diagnostics.push(Diagnostic::error(
                &locate(&idx, id),
                "calibration-retired-id",
                format!(
                    "calibration.toml: question `{id}` is retired and never drawn; remove its \
                     entry"
                ),
            )),
            Some(_) => {}
        }
    }
}

#[cfg(test)]
mod tests;
