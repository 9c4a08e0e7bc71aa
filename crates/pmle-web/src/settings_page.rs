//! The settings page: the settings form and the exam-date form.

use crate::team::Req;
use std::collections::HashMap;

use askama::Template;
use axum::extract::Form;
use axum::response::Response;

use crate::pages::{app_error, busy, page};
use crate::security::expired;

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
    /// The logged-in user's e-mail on a team server; empty for one learner.
    account: String,
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

fn settings_page(app: &pmle_app::App, message: String, s: &crate::Shared) -> Response {
    let current = match app.settings() {
        Ok(st) => field_values(&st),
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
        csrf: s.csrf.to_string(),
        account: s
            .session
            .as_ref()
            .map(|u| u.email.clone())
            .unwrap_or_default(),
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

pub(crate) async fn settings(Req(s): Req) -> Response {
    let Ok(app) = s.app.lock() else { return busy() };
    settings_page(&app, String::new(), &s)
}

pub(crate) async fn save_settings(
    Req(s): Req,
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
            return settings_page(&app, format!("Not saved: {e}"), &s);
        }
    }
    let message = match app.save_settings(&settings) {
        Ok(()) => "Saved.".to_owned(),
        Err(e) => format!("Not saved: {e}"),
    };
    settings_page(&app, message, &s)
}

/// The exam-date form: save the date (checked against today by the app) or clear it.
pub(crate) async fn save_exam_date(
    Req(s): Req,
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
    settings_page(&app, message, &s)
}
