//! Abandoning the running exam: a confirmation page, then the abandon itself.

use crate::team::Req;
use std::collections::HashMap;

use askama::Template;
use axum::extract::Form;
use axum::response::{IntoResponse, Redirect, Response};

use super::{Gone, abandoned_url, asked, ended_elsewhere, held};
use crate::pages::{app_error, page};
use crate::security::expired;

#[derive(Template)]
#[template(path = "exam_abandon.html")]
struct AbandonPage {
    id: i64,
    total: usize,
    answered: usize,
    csrf: String,
}

/// Ask before abandoning: the second confirmation.
pub(crate) async fn abandon_page(Req(sh): Req) -> Response {
    let (_app, slot, gone) = match held(&sh, None) {
        Ok(h) => h,
        Err(r) => return *r,
    };
    let Some(s) = slot.as_ref() else {
        return Gone::redirect(gone);
    };
    page(&AbandonPage {
        id: s.id(),
        total: s.len(),
        answered: s.answered(),
        csrf: sh.csrf.to_string(),
    })
}

/// Abandon the running exam (the one the confirmation page named): kept, never scored.
pub(crate) async fn abandon(Req(sh): Req, Form(form): Form<HashMap<String, String>>) -> Response {
    if let Some(refused) = expired(&form, &sh, "exam") {
        return refused;
    }
    let (mut app, mut slot, gone) = match held(&sh, asked(&form)) {
        Ok(h) => h,
        Err(r) => return *r,
    };
    let Some(s) = slot.as_mut() else {
        return Gone::redirect(gone);
    };
    // Only the exam the page asked about: another may have started since.
    if form.get("exam").and_then(|v| v.parse::<i64>().ok()) != Some(s.id()) {
        return Redirect::to("/exam").into_response();
    }
    match app.abandon_exam(s) {
        Ok(()) => {
            let id = s.id();
            Redirect::to(&abandoned_url(id)).into_response()
        }
        Err(e) => match ended_elsewhere(&e) {
            Some(g) => Redirect::to(&g.url()).into_response(),
            None => app_error(&e),
        },
    }
}
