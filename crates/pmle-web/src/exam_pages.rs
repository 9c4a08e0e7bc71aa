//! The mock exam in the browser: start, answer, flag, move, review, submit, abandon.
//!
//! Every action is a POST that the app saves before the page is redrawn, so a reload or a
//! closed tab loses nothing. The database is the single source of truth and the server
//! keeps nothing about the exam between requests: every request rebuilds the running exam
//! from the store ([`App::stored_exam`]: its questions, their order and option order, the
//! answers, flags, the question shown and the clock), so any of several servers may answer
//! any request, a server killed mid-exam loses nothing, and the CLI or the TUI may work on
//! the same exam at once. Each page names the exam it was drawn for (a hidden `exam` field),
//! so a form about an exam another front end ended is sent to where that exam went. The
//! clock is the stored time used plus the server clock since the store last counted; it
//! counts only while an exam page is open: the page posts a heartbeat to `/exam/beat` every
//! `PAGE_HEARTBEAT_MS`, each of which saves the time, and no save counts more than
//! `PAGE_GAP_MS` since the one before, so a closed tab stops the clock (the `exam_clock =
//! strict` setting counts all wall time since the last save instead). The form carries
//! the version of the answer it shows; a choice made on a page that another front end has
//! since overtaken is refused with a notice instead of being written back. The page's
//! countdown is only a display of the server's figure. Pages work without JavaScript (then
//! only actions count time, at most one gap each); with it, htmx swaps only the exam panel
//! and `app.js` adds the keyboard shortcuts, the countdown and the heartbeat.

use crate::team::Req;
use std::collections::HashMap;
use std::sync::MutexGuard;

use askama::Template;
use axum::Router;
use axum::extract::{Form, Query};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
pub(crate) use pmle_app::clock_text;
use pmle_app::{
    App, AppError, ExamEvent, ExamSession, ExamStatus, ExamVariant, PAGE_GAP_MS, PAGE_HEARTBEAT_MS,
};

use crate::Shared;

mod abandon;
mod beat;
mod question;
use crate::pages::{app_error, busy, error_page, page};
use crate::security::expired;
use abandon::{abandon, abandon_page};
use beat::beat;
use question::exam_page;

pub(crate) fn routes() -> Router<Shared> {
    Router::new()
        .route("/exam", get(exam))
        .route("/exam/start", post(start))
        .route("/exam/act", post(act))
        .route("/exam/review", get(review))
        .route("/exam/submit", post(submit))
        .route("/exam/beat", post(beat))
        .route("/exam/abandon", get(abandon_page).post(abandon))
        .merge(crate::report_pages::routes())
}

/// What became of the exam a page was drawn for, done by another front end meanwhile.
#[derive(Debug, Clone, Copy)]
enum Gone {
    Submitted(i64),
    Abandoned(i64),
}

impl Gone {
    /// Where to show it: the report of a submitted exam, the start page for an abandoned one.
    fn url(self) -> String {
        match self {
            Gone::Submitted(id) => elsewhere_url(id),
            Gone::Abandoned(id) => abandoned_url(id),
        }
    }

    /// Where to send a request about an exam this server no longer holds: where the exam
    /// went, or the start page when there was none.
    fn target(gone: Option<Gone>) -> String {
        gone.map_or_else(|| "/exam".to_owned(), Gone::url)
    }

    /// The redirect to [`Gone::target`].
    fn redirect(gone: Option<Gone>) -> Response {
        Redirect::to(&Gone::target(gone)).into_response()
    }
}

type Held<'a> = (MutexGuard<'a, App>, Option<ExamSession>, Option<Gone>);

/// The exam a form was drawn for (its hidden `exam` field), if it says.
fn asked(form: &HashMap<String, String>) -> Option<i64> {
    form.get("exam").and_then(|v| v.parse().ok())
}

/// The app, locked, with the running exam rebuilt from the store for this request, and
/// what became of `asked` (the exam the page was drawn for) when another front end ended
/// it. The running exam is `None` when a form names an exam that is not the running one:
/// a page about one exam never acts on another.
fn held(sh: &Shared, asked: Option<i64>) -> Result<Held<'_>, Box<Response>> {
    let app = sh.app.lock().map_err(|_| Box::new(busy()))?;
    let running = app.stored_exam().map_err(|e| Box::new(app_error(&e)))?;
    let Some(id) = asked.filter(|&id| running.as_ref().is_none_or(|s| s.id() != id)) else {
        return Ok((app, running, None));
    };
    let gone = match app.exam_status(id).map_err(|e| Box::new(app_error(&e)))? {
        Some(ExamStatus::Submitted) => Some(Gone::Submitted(id)),
        Some(ExamStatus::Abandoned) => Some(Gone::Abandoned(id)),
        Some(ExamStatus::Running) | None => None,
    };
    Ok((app, None, gone))
}

/// Go to `to`: a plain redirect, or for htmx a full-page navigation.
fn go(headers: &HeaderMap, to: &str) -> Response {
    if headers.contains_key("hx-request") {
        let mut r = StatusCode::OK.into_response();
        if let Ok(v) = HeaderValue::from_str(to) {
            r.headers_mut().insert("hx-redirect", v);
        }
        r
    } else {
        Redirect::to(to).into_response()
    }
}

fn report_url(id: i64) -> String {
    format!("/exam/report/{id}")
}

/// The report of an exam another front end submitted, saying so.
fn elsewhere_url(id: i64) -> String {
    format!("/exam/report/{id}?submitted=elsewhere")
}

/// The start page, saying that exam `id` was abandoned.
fn abandoned_url(id: i64) -> String {
    format!("/exam?abandoned={id}")
}

#[derive(Template)]
#[template(path = "exam_start.html")]
struct StartPage {
    questions: usize,
    minutes: u32,
    /// The clock counts only while an exam page is open (else: strict).
    page_clock: bool,
    gap_seconds: i64,
    /// "Exam 4 was abandoned…", or empty.
    notice: String,
    sections: Vec<(String, String)>,
    past: Vec<(i64, String, String, String)>,
    csrf: String,
}

/// The exam in progress, or the page to start one.
pub(crate) async fn exam(Req(sh): Req, Query(q): Query<HashMap<String, String>>) -> Response {
    let (mut app, mut slot, _) = match held(&sh, None) {
        Ok(h) => h,
        Err(r) => return *r,
    };
    if let Some(s) = slot.as_mut() {
        if s.time_left_ms(app.now_unix_ms()) == 0 {
            // The server's clock ran out while the page was away: submit as it stands.
            return match app.submit_exam(s, true) {
                Ok(r) => Redirect::to(&report_url(r.exam_id)).into_response(),
                Err(e) => match ended_elsewhere(&e) {
                    Some(g) => Redirect::to(&g.url()).into_response(),
                    None => app_error(&e),
                },
            };
        }
        return exam_page(&app, s, &sh.csrf, None);
    }
    let settings = match app.settings() {
        Ok(x) => x,
        Err(e) => return app_error(&e),
    };
    let past = match app.finished_exams() {
        Ok(list) => list
            .iter()
            .take(20)
            .filter_map(|e| {
                let r = app.exam_report(e.id).ok()?;
                Some((
                    e.id,
                    pmle_app::date_of_ms(e.started_at_ms),
                    r.variant.clone(),
                    format!("{:.0}% ({}/{})", r.score * 100.0, r.correct, r.total),
                ))
            })
            .collect(),
        Err(e) => return app_error(&e),
    };
    let notice = q
        .get("abandoned")
        .and_then(|id| id.parse::<i64>().ok())
        .map(|id| {
            format!(
                "Exam {id} was abandoned: it is kept, but never scored, and counts nowhere (history, last score, readiness)."
            )
        })
        .unwrap_or_default();
    page(&StartPage {
        questions: settings.exam_questions,
        minutes: settings.exam_minutes,
        page_clock: settings.exam_clock == pmle_app::ExamClock::Page,
        gap_seconds: PAGE_GAP_MS / 1000,
        notice,
        sections: app
            .pack()
            .sections
            .iter()
            .map(|s| (s.id.clone(), format!("{}. {}", s.number, s.title)))
            .collect(),
        past,
        csrf: sh.csrf.to_string(),
    })
}

pub(crate) async fn start(Req(sh): Req, Form(form): Form<HashMap<String, String>>) -> Response {
    if let Some(refused) = expired(&form, &sh, "exam") {
        return refused;
    }
    let variant = match form.get("variant").map(String::as_str) {
        Some("section") => ExamVariant::Section(form.get("section").cloned().unwrap_or_default()),
        Some("retry") => ExamVariant::Retry,
        _ => ExamVariant::Full,
    };
    let (mut app, slot, _) = match held(&sh, None) {
        Ok(h) => h,
        Err(r) => return *r,
    };
    if slot.is_none() {
        let seed = app.draw_seed();
        let started = app
            .plan_exam(&variant, seed)
            .and_then(|plan| app.start_exam(&plan));
        if let Err(e) = started {
            return app_error(&e);
        }
    }
    Redirect::to("/exam").into_response()
}

/// Positions picked in the form (`pick` for one answer, `pick0`… for several).
pub(crate) fn picks(form: &HashMap<String, String>, options: usize) -> Vec<usize> {
    let mut picked: Vec<usize> = form
        .iter()
        .filter(|(k, _)| k.starts_with("pick"))
        .filter_map(|(_, v)| v.parse().ok())
        .filter(|p: &usize| *p < options)
        .collect();
    picked.sort_unstable();
    picked.dedup();
    picked
}

/// Save the choices shown in the form, then do the button's action.
pub(crate) async fn act(
    Req(sh): Req,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if let Some(refused) = expired(&form, &sh, "exam") {
        return refused;
    }
    let (mut app, mut slot, gone) = match held(&sh, asked(&form)) {
        Ok(h) => h,
        Err(r) => return *r,
    };
    let Some(s) = slot.as_mut() else {
        // Submitted elsewhere (say so, with its report), abandoned, or never started.
        return go(&headers, &Gone::target(gone));
    };
    let Some(position) = form
        .get("position")
        .and_then(|p| p.parse::<usize>().ok())
        .filter(|&p| p < s.len())
    else {
        return error_page(StatusCode::BAD_REQUEST, "Bad form", "Reload the exam page.");
    };
    let options = s.record.items[position].shown_order.len();
    let action = form.get("action").map_or("save", String::as_str);
    // The review page's buttons only move; every other form carries the choices shown, with
    // the version of the answer it showed: if the CLI or another window has changed that
    // answer since, the app refuses to write the page's older copy back.
    let seen = form
        .get("version")
        .and_then(|v| v.parse::<i64>().ok())
        .unwrap_or(s.record.items[position].version);
    let mut result = if form.contains_key("keep") {
        Ok(ExamEvent::Saved)
    } else {
        app.exam_answer_seen(s, position, &picks(&form, options), seen)
    };
    if matches!(result, Ok(ExamEvent::Saved)) {
        // The flag button sets the opposite of the state the page showed.
        let flagged = match form.get("flagged").map(String::as_str) {
            Some("true") => true,
            Some("false") => false,
            _ => s.record.items[position].flagged,
        };
        result = match action {
            "next" => app.exam_goto(s, position + 1),
            "prev" => app.exam_goto(s, position.saturating_sub(1)),
            "flag" => app.exam_flag(s, position, !flagged),
            other => match other.strip_prefix("goto:").and_then(|n| n.parse().ok()) {
                Some(n) => app.exam_goto(s, n),
                None => Ok(ExamEvent::Saved),
            },
        };
    }
    match result {
        Ok(ExamEvent::TimeUp(report)) => go(&headers, &report_url(report.exam_id)),
        Ok(ExamEvent::AlreadySubmitted(report)) => go(&headers, &elsewhere_url(report.exam_id)),
        Ok(ExamEvent::Abandoned(id)) => go(&headers, &abandoned_url(id)),
        // Not saved: the page again, with the saved answer and why.
        Ok(event @ ExamEvent::ChangedElsewhere { .. }) => {
            exam_page(&app, s, &sh.csrf, event.notice())
        }
        Ok(ExamEvent::Saved) if action == "review" => go(&headers, "/exam/review"),
        Ok(ExamEvent::Saved) => {
            if headers.contains_key("hx-request") {
                exam_page(&app, s, &sh.csrf, None)
            } else {
                Redirect::to("/exam").into_response()
            }
        }
        Err(e) => app_error(&e),
    }
}

#[derive(Template)]
#[template(path = "exam_review.html")]
struct ReviewPage {
    total: usize,
    answered: usize,
    unanswered: Vec<usize>,
    flagged: Vec<usize>,
    left_ms: i64,
    left_text: String,
    beat_ms: i64,
    position: usize,
    /// The exam this page is about.
    exam: i64,
    csrf: String,
}

pub(crate) async fn review(Req(sh): Req) -> Response {
    let (app, slot, gone) = match held(&sh, None) {
        Ok(h) => h,
        Err(r) => return *r,
    };
    let Some(s) = slot.as_ref() else {
        return Gone::redirect(gone);
    };
    let left = s.time_left_ms(app.now_unix_ms());
    page(&ReviewPage {
        total: s.len(),
        answered: s.answered(),
        unanswered: s.unanswered_positions(),
        flagged: s.flagged_positions(),
        left_ms: left,
        left_text: clock_text(left),
        beat_ms: PAGE_HEARTBEAT_MS,
        position: s.current(),
        exam: s.id(),
        csrf: sh.csrf.to_string(),
    })
}

/// Submit the exam; the server decides whether this was the time running out.
pub(crate) async fn submit(Req(sh): Req, Form(form): Form<HashMap<String, String>>) -> Response {
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
    let auto = s.time_left_ms(app.now_unix_ms()) == 0;
    match app.submit_exam(s, auto) {
        Ok(r) => Redirect::to(&report_url(r.exam_id)).into_response(),
        Err(e) => match ended_elsewhere(&e) {
            Some(g) => Redirect::to(&g.url()).into_response(),
            None => app_error(&e),
        },
    }
}

/// The error says another front end submitted or abandoned the exam.
fn ended_elsewhere(e: &AppError) -> Option<Gone> {
    e.submitted_exam()
        .map(Gone::Submitted)
        .or_else(|| e.abandoned_exam().map(Gone::Abandoned))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_are_checked() {
        let form: HashMap<String, String> = [("pick0", "2"), ("pick1", "9"), ("pick", "0")]
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        assert_eq!(picks(&form, 4), vec![0, 2]);
    }
}
