//! Catalog, flashcards and settings pages.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use pmle_app::Rating;

use crate::Shared;
use crate::pages::{app_error, busy, error_page, markdown, page};
use crate::security::expired;

struct ProductRow {
    id: String,
    name: String,
    purpose: String,
    status: &'static str,
    date: String,
    note: String,
    former: String,
    docs: String,
}

#[derive(Template)]
#[template(path = "catalog.html")]
struct CatalogPage {
    products: Vec<ProductRow>,
}

pub(crate) async fn catalog(State(s): State<Shared>) -> Response {
    let Ok(app) = s.app.lock() else { return busy() };
    let mut products: Vec<ProductRow> = app
        .pack()
        .products
        .iter()
        .map(|p| ProductRow {
            id: p.id.clone(),
            name: p.name.clone(),
            purpose: p.purpose.clone(),
            status: p.status.as_str(),
            date: p.status_date.map(|d| d.to_string()).unwrap_or_default(),
            note: p.status_note.clone(),
            former: p.former_names.join(", "),
            docs: p.docs_url.clone(),
        })
        .collect();
    products.sort_by_key(|p| p.name.to_lowercase());
    page(&CatalogPage { products })
}

#[derive(Template)]
#[template(path = "cards.html")]
struct CardsPage {
    id: String,
    front: String,
    back: String,
    revealed: bool,
    due: usize,
    new: usize,
    /// Cards in their learning steps, and whether this one is shown before its step is due.
    learning: usize,
    early: bool,
    params: &'static str,
    next: String,
    /// What the previous rating did, e.g. "Good: next review in 3 d".
    last: String,
    /// (rating number, name, interval)
    ratings: Vec<(u32, &'static str, String)>,
    csrf: String,
}

fn human(ms: i64) -> String {
    let min = ms.max(0) as f64 / 60_000.0;
    if min < 60.0 {
        format!("{:.0} min", min.max(1.0))
    } else if min < 1440.0 {
        format!("{:.0} h", min / 60.0)
    } else {
        format!("{:.0} d", min / 1440.0)
    }
}

/// The message after a rating: which button, and when that card comes back.
fn last_rated(q: &HashMap<String, String>) -> String {
    let names = ["Again", "Hard", "Good", "Easy"];
    let rating = q.get("rated").and_then(|r| r.parse::<usize>().ok());
    let wait = q.get("in").and_then(|r| r.parse::<i64>().ok());
    match (rating, wait) {
        (Some(r @ 1..=4), Some(ms)) => {
            format!("{}: that card comes back in {}.", names[r - 1], human(ms))
        }
        _ => String::new(),
    }
}

pub(crate) async fn cards(
    State(s): State<Shared>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let Ok(app) = s.app.lock() else { return busy() };
    let queue = match app.card_queue() {
        Ok(q) => q,
        Err(e) => return app_error(&e),
    };
    let params = if queue.personal_parameters {
        "personal"
    } else {
        "default"
    };
    let last = last_rated(&q);
    let Some(id) = queue.next_card().map(str::to_owned) else {
        let next = queue
            .next_due_at_ms
            .map(|at| format!("The next one is due in {}.", human(at - app.now_unix_ms())))
            .unwrap_or_default();
        return page(&CardsPage {
            id: String::new(),
            front: String::new(),
            back: String::new(),
            revealed: false,
            due: 0,
            new: 0,
            learning: 0,
            early: false,
            params,
            next,
            last,
            ratings: Vec::new(),
            csrf: s.csrf.to_string(),
        });
    };
    let card = match app.card(&id) {
        Ok(c) => c,
        Err(e) => return app_error(&e),
    };
    let names = ["Again", "Hard", "Good", "Easy"];
    page(&CardsPage {
        id: card.id.clone(),
        front: markdown(&card.front),
        back: markdown(&card.back),
        revealed: q.contains_key("reveal"),
        due: queue.due.len(),
        new: queue.new.len(),
        learning: queue.learning,
        early: queue.learning_soon.contains(&id),
        params,
        next: String::new(),
        last,
        ratings: (0..4)
            .map(|i| (i as u32 + 1, names[i], human(card.intervals_ms[i])))
            .collect(),
        csrf: s.csrf.to_string(),
    })
}

pub(crate) async fn rate(
    State(s): State<Shared>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if let Some(refused) = expired(&form, &s, "flashcards") {
        return refused;
    }
    let Some(rating) = form
        .get("rating")
        .and_then(|r| r.parse::<u32>().ok())
        .and_then(Rating::from_number)
    else {
        return error_page(
            StatusCode::BAD_REQUEST,
            "Pick a rating",
            "Rate the card from 1 (Again) to 4 (Easy).",
        );
    };
    let Ok(mut app) = s.app.lock() else {
        return busy();
    };
    match app.rate_card(form.get("card").map(String::as_str).unwrap_or(""), rating) {
        Ok(row) => Redirect::to(&format!(
            "/cards?rated={}&in={}",
            rating.number(),
            row.due_at_ms - app.now_unix_ms()
        ))
        .into_response(),
        Err(e) => app_error(&e),
    }
}

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    fields: Vec<(&'static str, &'static str, String)>,
    theme: String,
    exam_clock: String,
    /// `YYYY-MM-DD` or empty.
    exam_date: String,
    message: String,
    csrf: String,
}

const FIELDS: [(&str, &str); 7] = [
    (
        "desired_retention",
        "Desired retention for flashcards (0.70–0.99)",
    ),
    (
        "recent_window",
        "Questions not repeated in practice (the last N)",
    ),
    ("exam_questions", "Mock exam length (questions)"),
    ("exam_minutes", "Mock exam time (minutes)"),
    ("readiness_target", "Readiness target (0.30–1.00)"),
    ("new_cards_per_day", "New flashcards per day"),
    (
        "learning_steps",
        "Flashcard learning steps (e.g. 1m 10m; empty for none)",
    ),
];

fn settings_page(app: &pmle_app::App, message: String, csrf: &str) -> Response {
    let current = match app.settings() {
        Ok(s) => field_values(&s),
        Err(e) => return app_error(&e),
    };
    page(&SettingsPage {
        fields: FIELDS
            .iter()
            .map(|(k, label)| (*k, *label, current.get(*k).cloned().unwrap_or_default()))
            .collect(),
        theme: current.get("theme").cloned().unwrap_or_default(),
        exam_clock: current.get("exam_clock").cloned().unwrap_or_default(),
        exam_date: current.get("exam_date").cloned().unwrap_or_default(),
        message,
        csrf: csrf.to_owned(),
    })
}

/// Settings as name → text, for the form.
fn field_values(s: &pmle_app::Settings) -> HashMap<String, String> {
    let mut m = HashMap::new();
    m.insert("desired_retention".into(), s.desired_retention.to_string());
    m.insert("recent_window".into(), s.recent_window.to_string());
    m.insert("exam_questions".into(), s.exam_questions.to_string());
    m.insert("exam_minutes".into(), s.exam_minutes.to_string());
    m.insert("readiness_target".into(), s.readiness_target.to_string());
    m.insert("new_cards_per_day".into(), s.new_cards_per_day.to_string());
    m.insert("learning_steps".into(), s.learning_steps.clone());
    m.insert("theme".into(), s.theme.as_str().to_owned());
    m.insert("exam_clock".into(), s.exam_clock.as_str().to_owned());
    m.insert("exam_date".into(), s.exam_date.clone().unwrap_or_default());
    m
}

pub(crate) async fn settings(State(s): State<Shared>) -> Response {
    let Ok(app) = s.app.lock() else { return busy() };
    settings_page(&app, String::new(), &s.csrf)
}

pub(crate) async fn save_settings(
    State(s): State<Shared>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if let Some(refused) = expired(&form, &s, "settings") {
        return refused;
    }
    let Ok(mut app) = s.app.lock() else {
        return busy();
    };
    let mut settings = match app.settings() {
        Ok(x) => x,
        Err(e) => return app_error(&e),
    };
    for key in FIELDS.iter().map(|f| f.0).chain(["theme", "exam_clock"]) {
        if let Some(v) = form.get(key)
            && let Err(e) = settings.set(key, v.trim())
        {
            return settings_page(&app, format!("Not saved: {e}"), &s.csrf);
        }
    }
    let message = match app.save_settings(&settings) {
        Ok(()) => "Saved.".to_owned(),
        Err(e) => format!("Not saved: {e}"),
    };
    settings_page(&app, message, &s.csrf)
}

/// The exam-date form: save the date (checked against today by the app) or clear it.
pub(crate) async fn save_exam_date(
    State(s): State<Shared>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if let Some(refused) = expired(&form, &s, "settings") {
        return refused;
    }
    let Ok(mut app) = s.app.lock() else {
        return busy();
    };
    let clear = form.get("action").is_some_and(|a| a == "clear");
    let value = if clear {
        ""
    } else {
        form.get("exam_date").map_or("", |v| v.trim())
    };
    let message = match app.set_setting("exam_date", value) {
        Ok(saved) => match saved.exam_date {
            Some(d) => {
                format!("Exam date saved: {d}. The dashboard shows the days left and the plan.")
            }
            None => "Exam date cleared.".to_owned(),
        },
        Err(e) => format!("Exam date not saved: {e}"),
    };
    settings_page(&app, message, &s.csrf)
}
