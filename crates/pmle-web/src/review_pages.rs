//! The review centre (`/review`): past questions with the last answer, filtered by wrong,
//! bookmarked, flagged or reported, with "practise these" and the practice filters; one
//! question's page (`/review/q/ID`) with its marks, note and reports; and the forms that set
//! them (plain POST forms with the CSRF token, answered by a redirect: no JavaScript needed).

use crate::team::Req;
use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use pmle_app::{App, PracticeFilter, ReportReason, ReviewEntry, ReviewFilter, reports_text};

use crate::Shared;
use crate::pages::{app_error, busy, error_page, markdown, markdown_inline, page};
use crate::security::expired;

pub(crate) fn routes() -> Router<Shared> {
    Router::new()
        .route("/review", get(review))
        .route("/review/q/{id}", get(question))
        .route("/review/mark", post(mark))
        .route("/review/note", post(note))
        .route("/review/report", post(report))
        .route("/export/reports.json", get(reports_file))
}

/// Every report as the JSON `pmle export reports FILE` writes, for the pack's maintainers.
async fn reports_file(Req(s): Req) -> Response {
    let file = {
        let Ok(app) = s.app.lock() else { return busy() };
        match app.reports_file() {
            Ok(f) => f,
            Err(e) => return app_error(&e),
        }
    };
    match serde_json::to_vec_pretty(&file) {
        Ok(json) => (
            [
                (axum::http::header::CONTENT_TYPE, "application/json"),
                (
                    axum::http::header::CONTENT_DISPOSITION,
                    "attachment; filename=\"pmle-question-reports.json\"",
                ),
                (axum::http::header::CACHE_CONTROL, "no-store"),
            ],
            json,
        )
            .into_response(),
        Err(e) => app_error(&e),
    }
}

/// The practice filter a query asks for, and its filters (without the section) as a
/// canonical query string (only known keys, values checked), to carry from one question to
/// the next; empty when practice is adaptive.
pub(crate) fn practice_filter(q: &HashMap<String, String>) -> (PracticeFilter, String) {
    let on = |k: &str| q.get(k).is_some_and(|v| !v.is_empty() && v != "0");
    let mut f = q
        .get("filter")
        .and_then(|v| ReviewFilter::parse(v))
        .map(ReviewFilter::practice_filter)
        .unwrap_or_default();
    f.unseen |= on("unseen");
    f.missed |= on("missed");
    f.bookmarked |= on("bookmarked");
    f.flagged |= on("flagged");
    f.reported |= on("reported");
    f.difficulty = q.get("difficulty").and_then(|d| d.parse().ok());
    f.topic = q.get("topic").filter(|t| !t.is_empty()).map(|t| word(t));
    f.section = q.get("section").filter(|s| !s.is_empty()).map(|s| word(s));
    let mut parts = Vec::new();
    for (set, k) in [
        (f.unseen, "unseen"),
        (f.missed, "missed"),
        (f.bookmarked, "bookmarked"),
        (f.flagged, "flagged"),
        (f.reported, "reported"),
    ] {
        if set {
            parts.push(format!("{k}=1"));
        }
    }
    if f.reviewable {
        parts.push("filter=all".to_owned());
    }
    if let Some(d) = f.difficulty {
        parts.push(format!("difficulty={d}"));
    }
    if let Some(t) = &f.topic {
        parts.push(format!("topic={t}"));
    }
    // The section travels as the practice page's own focus, not here: a section alone is
    // adaptive practice, not a filtered session.
    (f, parts.join("&"))
}

/// Ids and filter values are kept to the characters ids use.
fn word(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .take(100)
        .collect()
}

/// Where a form goes back to: a practice or review page of this server, never elsewhere.
fn local(next: Option<&String>) -> String {
    match next {
        Some(n)
            if (n.starts_with("/practice") || n.starts_with("/review"))
                && !n.contains("//")
                && n.len() <= 2000 =>
        {
            n.clone()
        }
        _ => "/practice".to_owned(),
    }
}

struct Row {
    id: String,
    section: String,
    difficulty: u8,
    stem: String,
    /// "✓", "✗" or "·" (never answered).
    mark: &'static str,
    last: String,
    tags: Vec<String>,
    note: Option<String>,
}

impl Row {
    fn of(e: &ReviewEntry) -> Row {
        let mut tags = Vec::new();
        if e.marks.bookmarked {
            tags.push("bookmarked".to_owned());
        }
        if e.marks.flagged {
            tags.push("flagged".to_owned());
        }
        if !e.marks.reports.is_empty() {
            tags.push(format!("reported: {}", reports_text(&e.marks)));
        }
        Row {
            id: e.question_id.clone(),
            section: e.section_id.clone(),
            difficulty: e.difficulty,
            stem: e.stem_start.clone(),
            mark: match e.last_correct {
                Some(true) => "✓",
                Some(false) => "✗",
                None => "·",
            },
            last: match e.last_answered_at_ms {
                Some(at) => format!(
                    "{} on {}: {} ({} of {} right so far)",
                    if e.last_correct == Some(true) {
                        "Right"
                    } else {
                        "Wrong"
                    },
                    pmle_app::date_of_ms(at),
                    e.last_chosen.join(" + "),
                    e.correct,
                    e.answers
                ),
                None => "Not answered yet.".to_owned(),
            },
            tags,
            note: e.marks.note.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "review.html")]
struct ReviewPage {
    filter: &'static str,
    /// (value, label, count) of each filter.
    filters: Vec<(&'static str, &'static str, usize)>,
    rows: Vec<Row>,
    /// (id, label) of every topic, for the practice filters.
    topics: Vec<(String, String)>,
}

async fn review(Req(s): Req, Query(q): Query<HashMap<String, String>>) -> Response {
    let Ok(app) = s.app.lock() else { return busy() };
    let filter = q
        .get("filter")
        .and_then(|f| ReviewFilter::parse(f))
        .unwrap_or_default();
    let (counts, entries) = match app.review_centre(filter) {
        Ok(x) => x,
        Err(e) => return app_error(&e),
    };
    let filters = counts
        .into_iter()
        .map(|(f, n)| {
            let label = match f {
                ReviewFilter::All => "All",
                ReviewFilter::Wrong => "Wrong",
                ReviewFilter::Bookmarked => "Bookmarked",
                ReviewFilter::Flagged => "Flagged",
                ReviewFilter::Reported => "Reported",
            };
            (f.as_str(), label, n)
        })
        .collect();
    let rows = entries.iter().map(Row::of).collect();
    page(&ReviewPage {
        filter: filter.as_str(),
        filters,
        rows,
        topics: app
            .pack()
            .topics
            .iter()
            .map(|t| (t.id.clone(), t.title.clone()))
            .collect(),
    })
}

#[derive(Template)]
#[template(path = "review_question.html")]
struct QuestionPage {
    id: String,
    section: String,
    stem: String,
    /// Options in authoring order: (letter, text html, correct, explanation html); the key
    /// only once the question was answered.
    options: Vec<(char, String, bool, String)>,
    revealed: bool,
    row: Row,
    keep: KeepForms,
    /// A confirmation of what was just saved.
    done: String,
}

/// The bookmark, flag, note and report forms, as on the feedback page.
pub(crate) struct KeepForms {
    pub(crate) id: String,
    pub(crate) bookmarked: bool,
    pub(crate) flagged: bool,
    pub(crate) note: String,
    pub(crate) reports: String,
    pub(crate) next: String,
    pub(crate) csrf: String,
    pub(crate) reasons: Vec<&'static str>,
}

impl KeepForms {
    pub(crate) fn of(app: &App, id: &str, next: &str, csrf: &str) -> Option<KeepForms> {
        let m = app.question_marks(id).ok()?;
        Some(KeepForms {
            id: id.to_owned(),
            bookmarked: m.bookmarked,
            flagged: m.flagged,
            note: m.note.clone().unwrap_or_default(),
            reports: reports_text(&m),
            next: next.to_owned(),
            csrf: csrf.to_owned(),
            reasons: ReportReason::ALL.iter().map(|r| r.as_str()).collect(),
        })
    }
}

async fn question(
    Req(s): Req,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let Ok(app) = s.app.lock() else { return busy() };
    let Some(pq) = app.pack().question(&id) else {
        return error_page(
            StatusCode::NOT_FOUND,
            "No such question",
            "Find question ids with Search, or open the review centre.",
        );
    };
    let entry = match app.review(ReviewFilter::All) {
        Ok(all) => all.into_iter().find(|e| e.question_id == id),
        Err(e) => return app_error(&e),
    };
    let revealed = entry
        .as_ref()
        .is_some_and(|e| e.last_answered_at_ms.is_some());
    let next = local(q.get("next"));
    let Some(keep) = KeepForms::of(&app, &id, &next, &s.csrf) else {
        return error_page(
            StatusCode::NOT_FOUND,
            "No such question",
            "Open the review centre.",
        );
    };
    let row = entry.as_ref().map_or_else(
        || Row {
            id: id.clone(),
            section: pq.section.clone(),
            difficulty: pq.difficulty,
            stem: String::new(),
            mark: "·",
            last: "Not answered yet.".to_owned(),
            tags: Vec::new(),
            note: None,
        },
        Row::of,
    );
    let done = match q.get("done").map(String::as_str) {
        Some("bookmark") => "Bookmarked.",
        Some("unbookmark") => "Bookmark removed.",
        Some("flag") => "Flagged.",
        Some("unflag") => "Flag removed.",
        Some("note") => "Note saved.",
        Some("clear") => "Note removed.",
        Some("report") => {
            "Report saved. Export your reports for the maintainers on the Export page or with `pmle export reports FILE`."
        }
        _ => "",
    };
    page(&QuestionPage {
        id: id.clone(),
        section: pq.section.clone(),
        stem: markdown(&pq.stem),
        options: pq
            .options
            .iter()
            .enumerate()
            .map(|(i, o)| {
                (
                    pmle_content::letter(i),
                    markdown_inline(&o.text),
                    revealed && o.correct,
                    if revealed {
                        markdown(&o.explanation)
                    } else {
                        String::new()
                    },
                )
            })
            .collect(),
        revealed,
        row,
        keep,
        done: done.to_owned(),
    })
}

fn back(id: &str, done: &str, next: &str) -> Response {
    let next: String = next
        .chars()
        .map(|c| match c {
            '&' => "%26".to_owned(),
            '=' => "%3D".to_owned(),
            '?' => "%3F".to_owned(),
            ',' => "%2C".to_owned(),
            c => c.to_string(),
        })
        .collect();
    Redirect::to(&format!("/review/q/{}?done={done}&next={next}", word(id))).into_response()
}

async fn mark(Req(s): Req, Form(form): Form<HashMap<String, String>>) -> Response {
    if let Some(refused) = expired(&form, &s, "question") {
        return refused;
    }
    let id = form.get("question").cloned().unwrap_or_default();
    let on = form.get("on").is_some_and(|v| v == "1");
    let Ok(mut app) = s.app.lock() else {
        return busy();
    };
    let (r, done) = match form.get("kind").map(String::as_str) {
        Some("bookmark") => (
            app.set_bookmark(&id, on),
            if on { "bookmark" } else { "unbookmark" },
        ),
        Some("flag") => (app.set_flag(&id, on), if on { "flag" } else { "unflag" }),
        _ => {
            return error_page(
                StatusCode::BAD_REQUEST,
                "Bad form",
                "Reload the page and try again.",
            );
        }
    };
    match r {
        Ok(_) => back(&id, done, &local(form.get("next"))),
        Err(e) => app_error(&e),
    }
}

async fn note(Req(s): Req, Form(form): Form<HashMap<String, String>>) -> Response {
    if let Some(refused) = expired(&form, &s, "question") {
        return refused;
    }
    let id = form.get("question").cloned().unwrap_or_default();
    let text = form.get("text").map(String::as_str).unwrap_or("");
    let clear = form.contains_key("clear") || text.trim().is_empty();
    let Ok(mut app) = s.app.lock() else {
        return busy();
    };
    let r = if clear {
        app.clear_question_note(&id).map(drop)
    } else {
        app.set_question_note(&id, text)
    };
    match r {
        Ok(()) => back(
            &id,
            if clear { "clear" } else { "note" },
            &local(form.get("next")),
        ),
        Err(e) => app_error(&e),
    }
}

async fn report(Req(s): Req, Form(form): Form<HashMap<String, String>>) -> Response {
    if let Some(refused) = expired(&form, &s, "question") {
        return refused;
    }
    let id = form.get("question").cloned().unwrap_or_default();
    let reason = form.get("reason").map(String::as_str).unwrap_or("");
    let Ok(mut app) = s.app.lock() else {
        return busy();
    };
    match app.report_question(&id, reason, form.get("text").map(String::as_str)) {
        Ok(_) => back(&id, "report", &local(form.get("next"))),
        Err(e) => app_error(&e),
    }
}
