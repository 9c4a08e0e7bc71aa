//! The flashcard review page and its rating form.

use crate::team::Req;
use std::collections::HashMap;

use askama::Template;
use axum::extract::{Form, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use pmle_app::Rating;

use crate::pages::{app_error, busy, error_page, markdown, page};
use crate::security::expired;

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

pub(crate) async fn cards(Req(s): Req, Query(q): Query<HashMap<String, String>>) -> Response {
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

pub(crate) async fn rate(Req(s): Req, Form(form): Form<HashMap<String, String>>) -> Response {
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
