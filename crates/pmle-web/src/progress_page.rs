//! `/progress`: the mock-exam history (chart and table) and each section's mastery over the
//! last 30 or 90 days (`?days=90`), from `App::progress`.

use crate::team::Req;
use std::collections::HashMap;

use askama::Template;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use pmle_app::Progress;

use crate::history_chart::history_chart;
use crate::pages::{app_error, busy, error_page, page};

struct ExamRow {
    id: i64,
    date: String,
    kind: String,
    score: String,
    right: String,
    /// One cell per blueprint section: "4/6" or "–".
    sections: Vec<String>,
    predicted: String,
    outcome: String,
    below: bool,
}

struct TrendRow {
    number: u32,
    title: String,
    then: String,
    now: String,
    change: String,
    change_class: &'static str,
    window: String,
    summary: String,
}

#[derive(Template)]
#[template(path = "progress.html")]
struct ProgressPage {
    days: u32,
    chart: String,
    note: String,
    target_text: String,
    section_numbers: Vec<u32>,
    exams: Vec<ExamRow>,
    trends: Vec<TrendRow>,
    min_questions: u32,
    then_date: String,
    now_date: String,
}

fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

fn view(p: &Progress) -> ProgressPage {
    let numbers: Vec<u32> = p.sections.iter().map(|s| s.number).collect();
    let exams = p
        .exams
        .iter()
        .map(|e| ExamRow {
            id: e.exam_id,
            date: e.date.clone(),
            kind: e.kind.clone(),
            score: pct(e.score),
            right: format!("{}/{}", e.correct, e.questions),
            sections: numbers.iter().map(|&n| e.section_text(n)).collect(),
            predicted: e.prediction.as_ref().map_or_else(
                || "none stored".to_owned(),
                |pr| format!("{} ({}–{})", pct(pr.predicted), pct(pr.low), pct(pr.high)),
            ),
            outcome: e
                .prediction
                .as_ref()
                .map_or_else(|| "–".to_owned(), |pr| pr.outcome.clone()),
            below: e
                .prediction
                .as_ref()
                .is_some_and(|pr| pr.outcome == "below"),
        })
        .collect();
    let trends = p
        .sections
        .iter()
        .map(|s| TrendRow {
            number: s.number,
            title: s.title.clone(),
            then: s.then().text(),
            now: s.now().text(),
            change: match (s.change.as_str(), s.moved.as_deref()) {
                ("up", _) => "up".to_owned(),
                ("down", _) => "down".to_owned(),
                ("no_clear_change", Some("same")) => "no clear change (about the same)".to_owned(),
                ("no_clear_change", Some(m)) => format!("no clear change ({m} now)"),
                ("no_clear_change", None) => "no clear change".to_owned(),
                _ => "too little evidence".to_owned(),
            },
            change_class: match s.change.as_str() {
                "up" => "ok",
                "down" => "bad",
                _ => "muted",
            },
            window: s.window_text(),
            summary: s.summary.clone(),
        })
        .collect();
    let (then_date, now_date) = p.sections.first().map_or_else(Default::default, |s| {
        (s.then().date.clone(), s.now().date.clone())
    });
    ProgressPage {
        days: p.days,
        chart: history_chart(p),
        note: p.history_note.clone().unwrap_or_default(),
        target_text: p.target_text.clone(),
        section_numbers: numbers,
        exams,
        trends,
        min_questions: p.min_questions,
        then_date,
        now_date,
    }
}

pub(crate) async fn progress(Req(s): Req, Query(q): Query<HashMap<String, String>>) -> Response {
    let days = match q.get("days").map(String::as_str) {
        None | Some("30") => 30,
        Some("90") => 90,
        Some(_) => {
            return error_page(
                StatusCode::BAD_REQUEST,
                "No such window",
                "Progress is shown over the last 30 or 90 days: open /progress?days=30 or /progress?days=90.",
            );
        }
    };
    let Ok(app) = s.app.lock() else { return busy() };
    match app.progress(days) {
        Ok(p) => page(&view(&p)),
        Err(e) => app_error(&e),
    }
}
