//! The exam report: score, a chart per section against its weight, time per question, and
//! the review of every question filtered by wrong, flagged or all.
//!
//! Charts are SVG written here on the server, so they read without JavaScript and carry a
//! title and a description for screen readers; the numbers are also in a table.

use crate::team::Req;
use std::collections::HashMap;
use std::fmt::Write as _;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use pmle_app::ExamReport;

use crate::Shared;
use crate::exam_pages::clock_text;
use crate::pages::{OptionView, busy, error_page, markdown, page};

pub(crate) fn routes() -> Router<Shared> {
    Router::new().route("/exam/report/{id}", get(report))
}

struct SectionLine {
    title: String,
    weight: f64,
    correct: usize,
    total: usize,
    share: String,
}

struct ItemLine {
    number: usize,
    section: String,
    outcome: &'static str,
    class: &'static str,
    flagged: bool,
    time: String,
    stem: String,
    options: Vec<OptionView>,
    references: Vec<String>,
}

#[derive(Template)]
#[template(path = "exam_report.html")]
struct ReportPage {
    id: i64,
    score: String,
    correct: usize,
    total: usize,
    answered: usize,
    flagged: usize,
    used: String,
    limit: String,
    /// "0:01:05 per answered question", or "no question answered".
    mean: String,
    /// The exam was abandoned: never scored.
    abandoned: bool,
    auto: bool,
    sections: Vec<SectionLine>,
    section_chart: String,
    time_chart: String,
    show: &'static str,
    /// Another front end submitted it while this page's exam was open.
    elsewhere: bool,
    counts: (usize, usize, usize),
    items: Vec<ItemLine>,
    /// "Readiness predicted 72% (60–83%), scored 65%: inside the interval", or empty.
    prediction: String,
}

/// Bars of the share correct per section, with the section's exam weight as a label.
fn section_chart(r: &ExamReport) -> String {
    let row = 30;
    let height = r.sections.len() * row + 20;
    let mut svg = format!(
        "<svg class=\"wide-chart\" role=\"img\" aria-labelledby=\"sc-t sc-d\" viewBox=\"0 0 560 {height}\" width=\"100%\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"sc-t\">Score by section</title><desc id=\"sc-d\">Share of this exam's questions answered correctly in each section; the section's weight in the exam is given beside it.</desc>"
    );
    for (i, s) in r.sections.iter().enumerate() {
        let y = 10 + i * row;
        let share = s.correct as f64 / s.total.max(1) as f64;
        let w = (share * 300.0).round();
        let _ = write!(
            svg,
            "<g><title>Section {n}: {c} of {t} right</title><text x=\"0\" y=\"{ty}\">S{n}</text><rect x=\"40\" y=\"{y}\" width=\"300\" height=\"22\" fill=\"none\" stroke=\"currentColor\" opacity=\"0.3\"/>\
             <rect x=\"40\" y=\"{y}\" width=\"{w}\" height=\"22\" class=\"bar\"/><text x=\"350\" y=\"{ty}\">{pct:.0}% · weight {wt}%</text></g>",
            ty = y + 16,
            n = s.number,
            pct = share * 100.0,
            c = s.correct,
            t = s.total,
            wt = s.weight,
        );
    }
    svg.push_str("</svg>");
    svg
}

/// One bar per question: its height is the time spent, its colour the outcome.
fn time_chart(r: &ExamReport) -> String {
    let n = r.items.len().max(1);
    let max_ms = r
        .items
        .iter()
        .map(|i| i.time_ms)
        .max()
        .unwrap_or(0)
        .max(60_000);
    let (left, width, top, plot_h) = (60.0, 488.0, 10.0, 120.0);
    let step = width / n as f64;
    let mut svg = format!(
        "<svg class=\"wide-chart\" role=\"img\" aria-labelledby=\"tc-t tc-d\" viewBox=\"0 0 560 170\" width=\"100%\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"tc-t\">Time per question</title><desc id=\"tc-d\">Seconds spent on each question in order; solid bars were answered correctly, hatched-light bars wrongly or not at all. Longest: {}.</desc>",
        clock_text(max_ms)
    );
    let _ = write!(
        svg,
        "<line x1=\"{left}\" y1=\"{b}\" x2=\"{r}\" y2=\"{b}\" stroke=\"currentColor\"/><line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{b}\" stroke=\"currentColor\"/>\
         <text x=\"{yl}\" y=\"{ty}\" text-anchor=\"end\">{max}</text><text x=\"{yl}\" y=\"{b}\" text-anchor=\"end\">{zero}</text><text x=\"{left}\" y=\"160\">question 1</text><text x=\"{rx}\" y=\"160\" text-anchor=\"end\">{n}</text>",
        b = top + plot_h,
        r = left + width,
        ty = top + 10.0,
        max = clock_text(max_ms),
        zero = clock_text(0),
        rx = left + width,
        yl = left - 6.0,
    );
    for (i, it) in r.items.iter().enumerate() {
        let h = (it.time_ms as f64 / max_ms as f64 * plot_h).max(1.0);
        let class = if it.correct { "bar" } else { "bar miss" };
        let _ = write!(
            svg,
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" class=\"{class}\"><title>Question {q}: {t}, {o}</title></rect>",
            x = left + i as f64 * step + 1.0,
            y = top + plot_h - h,
            w = (step - 2.0).max(1.0),
            q = i + 1,
            t = clock_text(it.time_ms),
            o = if it.correct {
                "right"
            } else if it.answered {
                "wrong"
            } else {
                "not answered"
            },
        );
    }
    svg.push_str("</svg>");
    svg
}

pub(crate) async fn report(
    Req(sh): Req,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let Ok(app) = sh.app.lock() else {
        return busy();
    };
    let Ok(r) = app.exam_report(id) else {
        return error_page(
            StatusCode::NOT_FOUND,
            "No such exam",
            "Start one from the mock exam page.",
        );
    };
    let show = match q.get("show").map(String::as_str) {
        Some("flagged") => "flagged",
        Some("all") => "all",
        _ => "wrong",
    };
    let wrong = r.items.iter().filter(|i| !i.correct).count();
    let section_title = |sid: &str| {
        app.pack()
            .section(sid)
            .map(|s| format!("{}. {}", s.number, s.title))
            .unwrap_or_default()
    };
    let items = r
        .items
        .iter()
        .filter(|i| match show {
            "flagged" => i.flagged,
            "all" => true,
            _ => !i.correct,
        })
        .map(|i| ItemLine {
            number: i.position + 1,
            section: section_title(&i.section_id),
            outcome: if i.correct {
                "right"
            } else if i.answered {
                "wrong"
            } else {
                "not answered"
            },
            class: if i.correct {
                "right"
            } else if i.answered {
                "wrong"
            } else {
                "unanswered"
            },
            flagged: i.flagged,
            time: clock_text(i.time_ms),
            stem: markdown(&i.stem),
            options: i.options.iter().map(OptionView::of).collect(),
            references: i.references.clone(),
        })
        .collect();
    page(&ReportPage {
        id: r.exam_id,
        score: format!("{:.0}%", r.score * 100.0),
        correct: r.correct,
        total: r.total,
        answered: r.answered,
        flagged: r.flagged,
        used: clock_text(r.elapsed_ms),
        limit: clock_text(r.time_limit_ms),
        mean: r.mean_answered_ms.map_or_else(
            || "no question answered".to_owned(),
            |ms| format!("{} per answered question", clock_text(ms)),
        ),
        abandoned: r.status == pmle_app::ExamStatus::Abandoned,
        auto: r.auto_submitted,
        sections: r
            .sections
            .iter()
            .map(|s| SectionLine {
                title: format!("{}. {}", s.number, s.title),
                weight: s.weight,
                correct: s.correct,
                total: s.total,
                share: format!("{:.0}%", s.correct as f64 * 100.0 / s.total.max(1) as f64),
            })
            .collect(),
        section_chart: section_chart(&r),
        time_chart: time_chart(&r),
        show,
        elsewhere: q.get("submitted").is_some_and(|v| v == "elsewhere"),
        counts: (wrong, r.flagged, r.total),
        items,
        prediction: r.prediction.as_ref().map_or_else(String::new, |p| {
            format!("Readiness check: {}.", p.sentence())
        }),
    })
}
