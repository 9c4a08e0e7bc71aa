//! The open exam page's heartbeat: the page clock counts only between heartbeats.

use crate::team::Req;
use std::collections::HashMap;

use axum::extract::Form;
use axum::response::{IntoResponse, Response};
use pmle_app::ExamEvent;

use super::{Gone, abandoned_url, asked, elsewhere_url, held, report_url};
use crate::pages::app_error;
use crate::security::expired;

/// A JSON reply to the page's script.
fn json(v: &serde_json::Value) -> Response {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        v.to_string(),
    )
        .into_response()
}

/// An open exam page's heartbeat: save the time since the last save (at most
/// `PAGE_GAP_MS` on the page clock). Replies `{"left_ms": n}` for the countdown, or
/// `{"go": url}` when the exam ended (time up, or submitted or abandoned elsewhere).
pub(crate) async fn beat(Req(sh): Req, Form(form): Form<HashMap<String, String>>) -> Response {
    if let Some(refused) = expired(&form, &sh, "exam") {
        return refused;
    }
    let (mut app, mut slot, gone) = match held(&sh, asked(&form)) {
        Ok(h) => h,
        Err(r) => return *r,
    };
    let Some(s) = slot.as_mut() else {
        let to = Gone::target(gone);
        return json(&serde_json::json!({ "go": to }));
    };
    match app.exam_heartbeat(s) {
        Ok(ExamEvent::TimeUp(r)) => json(&serde_json::json!({ "go": report_url(r.exam_id) })),
        Ok(ExamEvent::AlreadySubmitted(r)) => {
            json(&serde_json::json!({ "go": elsewhere_url(r.exam_id) }))
        }
        Ok(ExamEvent::Abandoned(id)) => json(&serde_json::json!({ "go": abandoned_url(id) })),
        Ok(ExamEvent::Saved | ExamEvent::ChangedElsewhere { .. }) => {
            let left = s.time_left_ms(app.now_unix_ms());
            json(&serde_json::json!({ "left_ms": left }))
        }
        Err(e) => app_error(&e),
    }
}
