//! Team mode's own pages: log in, set a password from an invitation or reset link, log out.
//! The accounts rules (rate limit, password rules, one-time links) are `pmle_app::accounts`'.

use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use pmle_app::accounts::AccountError;

use crate::Shared;
use crate::pages::{error_page, page};
use crate::security::expired;
use crate::team::{Peer, Req, TeamState};

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    csrf: String,
    email: String,
    message: String,
}

#[derive(Template)]
#[template(path = "invite.html")]
struct InvitePage {
    csrf: String,
    email: String,
    message: String,
}

/// The team state, or the "not found" page a single learner's server answers these with.
fn team(s: &Shared) -> Result<Arc<TeamState>, Box<Response>> {
    s.team.clone().ok_or_else(|| {
        Box::new(error_page(
            StatusCode::NOT_FOUND,
            "Not found",
            "There is no such page.",
        ))
    })
}

fn no_store(mut res: Response) -> Response {
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    res
}

/// The log-in form. Its CSRF token is the server's (there is no session yet), so that
/// another site cannot log a browser into an account of its choosing.
pub(crate) async fn login_form(State(s): State<Shared>) -> Response {
    if let Err(r) = team(&s) {
        return *r;
    }
    no_store(page(&LoginPage {
        csrf: s.csrf.to_string(),
        email: String::new(),
        message: String::new(),
    }))
}

pub(crate) async fn login(
    State(s): State<Shared>,
    peer: Option<axum::Extension<Peer>>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let team = match team(&s) {
        Ok(t) => t,
        Err(r) => return *r,
    };
    if let Some(refusal) = expired(&form, &s, "log-in") {
        return refusal;
    }
    let email = form.get("email").cloned().unwrap_or_default();
    let password = form.get("password").cloned().unwrap_or_default();
    let client = team.client(&headers, peer.map(|p| p.0.0));
    let accounts = team.team.accounts.clone();
    let now = team.team.clock.now();
    let who = email.clone();
    // argon2 takes tens of milliseconds: off the async workers.
    let done =
        tokio::task::spawn_blocking(move || accounts.login(&who, &password, client, now)).await;
    let (status, message) = match done {
        Ok(Ok(login)) => {
            let mut res = (
                StatusCode::SEE_OTHER,
                [(header::LOCATION, "/"), (header::CACHE_CONTROL, "no-store")],
            )
                .into_response();
            res.headers_mut()
                .insert(header::SET_COOKIE, team.cookie(Some(&login.token)));
            return res;
        }
        Ok(Err(e @ AccountError::RateLimited { .. })) => {
            (StatusCode::TOO_MANY_REQUESTS, e.to_string())
        }
        // One message for a wrong password and an unknown e-mail: the accounts say the same.
        Ok(Err(e @ (AccountError::WrongCredentials | AccountError::Disabled))) => {
            (StatusCode::UNAUTHORIZED, e.to_string())
        }
        Ok(Err(_)) | Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "Log-in failed for a reason of the server's; try again in a moment.".to_owned(),
        ),
    };
    let mut res = page(&LoginPage {
        csrf: s.csrf.to_string(),
        email,
        message,
    });
    *res.status_mut() = status;
    no_store(res)
}

/// What the link is for, or the page that says it no longer works.
async fn link_email(team: &TeamState, token: &str) -> Result<String, Response> {
    let accounts = team.team.accounts.clone();
    let now = team.team.clock.now();
    let token = token.to_owned();
    let found = tokio::task::spawn_blocking(move || accounts.link(&token, now)).await;
    match found {
        Ok(Ok(Some(info))) => Ok(info.email),
        Ok(Ok(None)) => Err(error_page(
            StatusCode::GONE,
            "This link does not work",
            "It was used already, has expired or was replaced by a newer one. Ask an admin \
             for a new one (pmle admin reset-password EMAIL).",
        )),
        Ok(Err(_)) | Err(_) => Err(crate::pages::busy()),
    }
}

pub(crate) async fn invite_form(State(s): State<Shared>, Path(token): Path<String>) -> Response {
    let team = match team(&s) {
        Ok(t) => t,
        Err(r) => return *r,
    };
    match link_email(&team, &token).await {
        Ok(email) => no_store(page(&InvitePage {
            csrf: s.csrf.to_string(),
            email,
            message: String::new(),
        })),
        Err(r) => no_store(r),
    }
}

/// Set the password. The link's token stays in this one URL; the next page is /login.
pub(crate) async fn invite(
    State(s): State<Shared>,
    Path(token): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let team = match team(&s) {
        Ok(t) => t,
        Err(r) => return *r,
    };
    if let Some(refusal) = expired(&form, &s, "password") {
        return refusal;
    }
    let email = match link_email(&team, &token).await {
        Ok(e) => e,
        Err(r) => return no_store(r),
    };
    let password = form.get("password").cloned().unwrap_or_default();
    let accounts = team.team.accounts.clone();
    let now = team.team.clock.now();
    let done = tokio::task::spawn_blocking(move || accounts.redeem(&token, &password, now)).await;
    match done {
        Ok(Ok(_)) => (
            StatusCode::SEE_OTHER,
            [
                (header::LOCATION, "/login"),
                (header::CACHE_CONTROL, "no-store"),
            ],
        )
            .into_response(),
        Ok(Err(e @ AccountError::WeakPassword(_))) => {
            let mut res = page(&InvitePage {
                csrf: s.csrf.to_string(),
                email,
                message: e.to_string(),
            });
            *res.status_mut() = StatusCode::BAD_REQUEST;
            no_store(res)
        }
        Ok(Err(AccountError::LinkInvalid)) => no_store(error_page(
            StatusCode::GONE,
            "This link does not work",
            "It was used already, has expired or was replaced by a newer one.",
        )),
        Ok(Err(_)) | Err(_) => crate::pages::busy(),
    }
}

/// End this session (its row is deleted, so the cookie stops working on every server).
pub(crate) async fn logout(
    Req(s): Req,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let team = match team(&s) {
        Ok(t) => t,
        Err(r) => return *r,
    };
    if let Some(refusal) = expired(&form, &s, "settings") {
        return refusal;
    }
    if let Some(token) = crate::team::cookie(&headers, team.cookie_name()).map(str::to_owned) {
        let accounts = team.team.accounts.clone();
        if !matches!(
            tokio::task::spawn_blocking(move || accounts.logout(&token)).await,
            Ok(Ok(_))
        ) {
            return crate::pages::busy();
        }
    }
    let mut res = (
        StatusCode::SEE_OTHER,
        [
            (header::LOCATION, "/login"),
            (header::CACHE_CONTROL, "no-store"),
        ],
    )
        .into_response();
    res.headers_mut()
        .insert(header::SET_COOKIE, team.cookie(None));
    res
}
