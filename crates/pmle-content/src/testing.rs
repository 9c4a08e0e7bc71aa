//! Builders for small fixture items in unit tests.

use crate::model::{Date, Kind, Location, Question, QuestionOption};

/// A single-select question `q-1` in section `s1` with these options (text, correct).
pub(crate) fn question(stem: &str, options: &[(&str, bool)]) -> Question {
    let at = Location {
        file: "questions/t.toml".into(),
        line: 1,
        column: 1,
    };
    Question {
        id: "q-1".into(),
        section: "s1".into(),
        topics: vec!["t".into()],
        kind: Kind::Single,
        difficulty: 2,
        last_verified: Date {
            year: 2026,
            month: 1,
            day: 1,
        },
        references: vec![],
        stem: stem.into(),
        options: options
            .iter()
            .map(|(t, c)| QuestionOption {
                text: (*t).into(),
                correct: *c,
                explanation: "why".into(),
                location: at.clone(),
            })
            .collect(),
        tradeoff: false,
        retired: false,
        review: None,
        location: at,
    }
}
