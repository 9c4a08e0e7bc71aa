//! The page of one exam question: the stem, the options with the saved choice, the flag,
//! the navigator of all questions, the countdown, and a notice when an action was not saved.

use askama::Template;
use axum::response::Response;
use pmle_app::{App, ExamSession};
use pmle_content::model::Kind;

use super::clock_text;
use crate::pages::{app_error, markdown, markdown_inline, page};

struct Cell {
    position: usize,
    number: usize,
    class: &'static str,
    label: String,
    current: bool,
}

#[derive(Template)]
#[template(path = "exam.html")]
struct ExamPage {
    number: usize,
    total: usize,
    position: usize,
    section: String,
    stem: String,
    /// (position, input name, letter, text html, checked)
    options: Vec<(usize, String, char, String, bool)>,
    input_type: &'static str,
    hint: String,
    /// The letter of the last option, for the key legend.
    last_letter: char,
    flagged: bool,
    first: bool,
    last: bool,
    left_ms: i64,
    left_text: String,
    /// How often the page sends a heartbeat.
    beat_ms: i64,
    answered: usize,
    cells: Vec<Cell>,
    csrf: String,
    /// The exam this page is about, sent back with every form.
    exam: i64,
    /// The version of the answer shown, sent back with the form.
    version: i64,
    /// Why the last action was not saved, if it was not.
    notice: String,
}

pub(super) fn exam_page(
    app: &App,
    s: &ExamSession,
    csrf: &str,
    notice: Option<String>,
) -> Response {
    let position = s.current();
    let item = match app.exam_item(s, position) {
        Ok(i) => i,
        Err(e) => return app_error(&e),
    };
    let multiple = matches!(item.kind, Kind::Multiple { .. });
    let left = s.time_left_ms(app.now_unix_ms());
    let cells = s
        .record
        .items
        .iter()
        .map(|it| {
            let answered = it.chosen.is_some();
            let state = match (answered, it.flagged) {
                (true, true) => "answered, flagged",
                (true, false) => "answered",
                (false, true) => "not answered, flagged",
                (false, false) => "not answered",
            };
            Cell {
                position: it.position,
                number: it.position + 1,
                // Both states show: the fill says answered, the border flagged.
                class: match (answered, it.flagged) {
                    (true, true) => "answered flagged",
                    (false, true) => "open flagged",
                    (true, false) => "answered",
                    (false, false) => "open",
                },
                label: format!("Question {}, {state}", it.position + 1),
                current: it.position == position,
            }
        })
        .collect();
    page(&ExamPage {
        number: position + 1,
        total: s.len(),
        position,
        section: item.section_title.clone(),
        stem: markdown(&item.stem),
        options: item
            .options
            .iter()
            .enumerate()
            .map(|(i, o)| {
                let name = if multiple {
                    format!("pick{i}")
                } else {
                    "pick".to_owned()
                };
                (
                    i,
                    name,
                    o.letter,
                    markdown_inline(&o.text),
                    item.chosen.contains(&i),
                )
            })
            .collect(),
        input_type: if multiple { "checkbox" } else { "radio" },
        hint: if multiple {
            format!("Choose {}.", item.kind.choose())
        } else {
            "Choose one.".into()
        },
        last_letter: item.options.last().map_or('A', |o| o.letter),
        flagged: item.flagged,
        first: position == 0,
        last: position + 1 == s.len(),
        left_ms: left,
        left_text: clock_text(left),
        beat_ms: pmle_app::PAGE_HEARTBEAT_MS,
        answered: s.answered(),
        cells,
        csrf: csrf.to_owned(),
        exam: s.id(),
        version: item.version,
        notice: notice.unwrap_or_default(),
    })
}
