//! Labs and the backup download. The labs run `pmle-labs` experiments on a blocking thread,
//! outside the app's mutex, because they need no learner data and take about a second: a
//! page asking for one must not stall the other pages. At most `Limits::lab_runs` compute at
//! once (each can take a hundred MB); the others wait briefly, then get 503. The calculators live in
//! [`tool_pages`], which [`routes`] merges in, so that `lib.rs` needs one line for all of it.

mod tool_pages;

use crate::team::Req;
use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use pmle_labs::lab::{Chart, LabError};

use crate::Shared;
use crate::pages::{app_error, busy, error_page, markdown, page};

/// The routes of the labs, the tools and the export page.
pub(crate) fn routes() -> Router<Shared> {
    Router::new()
        .route("/labs", get(labs))
        .route("/labs/{id}", get(lab))
        .route("/export", get(export))
        .route("/export/backup.json", get(backup))
        .route("/export/pmle.apkg", get(anki))
        .route("/export/pmle-anki.txt", get(anki))
        .merge(tool_pages::routes())
}

/// Text for an HTML attribute or element built outside askama.
fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Make a chart's SVG fit the page and name it for screen readers: the root's fixed size
/// becomes `width="100%"` (the viewBox keeps the proportions), it gets `role="img"`, and a
/// `<title>` when it has none.
fn accessible_svg(svg: &str, title: &str) -> String {
    let Some(start) = svg.find("<svg") else {
        return String::new();
    };
    let Some(end) = svg[start..].find('>').map(|e| start + e) else {
        return String::new();
    };
    let mut tag = String::from("<svg");
    let mut attrs = &svg[start + 4..end];
    // Attributes are `name="value"` pairs (plotters and our own SVG write nothing else).
    while let Some(eq) = attrs.find("=\"") {
        let name = attrs[..eq].trim();
        let rest = &attrs[eq + 2..];
        let Some(close) = rest.find('"') else { break };
        if !matches!(name, "width" | "height") {
            tag.push_str(&format!(" {name}=\"{}\"", &rest[..close]));
        }
        attrs = &rest[close + 1..];
    }
    tag.push_str(" width=\"100%\"");
    if !tag.contains(" role=\"") {
        tag.push_str(" role=\"img\"");
    }
    tag.push('>');
    let body = &svg[end + 1..];
    if body.contains("<title") {
        format!("{tag}{body}")
    } else {
        format!("{tag}\n<title>{}</title>{body}", esc(title))
    }
}

/// The answer when every lab slot is taken: 503, try again in a few seconds.
fn labs_busy() -> Response {
    let mut res = error_page(
        StatusCode::SERVICE_UNAVAILABLE,
        "Labs are busy",
        "Other labs are running right now. Reload this page in a few seconds.",
    );
    res.headers_mut()
        .insert(header::RETRY_AFTER, header::HeaderValue::from_static("5"));
    res
}

use pmle_labs::human::number;

struct LabRow {
    id: &'static str,
    title: &'static str,
    shows: &'static str,
}

#[derive(Template)]
#[template(path = "labs.html")]
struct LabsPage {
    labs: Vec<LabRow>,
}

pub(crate) async fn labs() -> Response {
    page(&LabsPage {
        labs: pmle_labs::labs::all()
            .iter()
            .map(|l| {
                let i = l.info();
                LabRow {
                    id: i.id,
                    title: i.title,
                    shows: i.shows,
                }
            })
            .collect(),
    })
}

/// One chart, drawn, with the words a caption needs.
struct ChartView {
    svg: String,
    caption: String,
}

#[derive(Template)]
#[template(path = "lab.html")]
struct LabPage {
    id: &'static str,
    title: &'static str,
    seed: u64,
    headline: String,
    lesson: String,
    figures: Vec<(String, String)>,
    charts: Vec<ChartView>,
    /// (note id, title)
    notes: Vec<(String, String)>,
}

fn chart_view(c: &Chart) -> ChartView {
    let lines: Vec<&str> = c.lines.iter().map(|l| l.name.as_str()).collect();
    let y = if c.log_y {
        format!("{} (log scale)", c.y_label)
    } else {
        c.y_label.clone()
    };
    let caption = format!(
        "{}: {y} against {}; lines: {}.",
        c.title,
        c.x_label,
        lines.join(", ")
    );
    match pmle_labs::plot::chart_svg(c) {
        Ok(svg) => ChartView {
            svg: accessible_svg(&svg, &caption),
            caption,
        },
        Err(e) => ChartView {
            svg: String::new(),
            caption: format!("{caption} (The chart could not be drawn: {e}.)"),
        },
    }
}

pub(crate) async fn lab(
    Req(s): Req,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let Ok(lab) = pmle_labs::lab::find(&id) else {
        return error_page(
            StatusCode::NOT_FOUND,
            "No such lab",
            "That lab does not exist; see the list of labs at /labs.",
        );
    };
    let seed = match q.get("seed").map(|t| t.trim()).filter(|t| !t.is_empty()) {
        None => 1,
        Some(t) => match t.parse::<u64>() {
            Ok(n) => n,
            Err(_) => {
                return error_page(
                    StatusCode::BAD_REQUEST,
                    "Not a seed",
                    "The seed is a whole number from 0 up, such as 1 or 42.",
                );
            }
        },
    };
    // At most `limits.lab_runs` labs compute at once: each is about a second of CPU and
    // some memory, and a client asking for many must not take the machine.
    let permit = tokio::time::timeout(s.limits.lab_wait, s.labs.clone().acquire_owned()).await;
    let Ok(Ok(permit)) = permit else {
        return labs_busy();
    };
    // About a second of arithmetic: off the async workers, and without the app lock.
    let run = tokio::task::spawn_blocking(move || {
        let r = lab.run(seed);
        drop(permit);
        r
    });
    let result = match run.await {
        Ok(Ok(r)) => r,
        Ok(Err(e @ LabError::Compute(_))) => {
            return error_page(
                StatusCode::INTERNAL_SERVER_ERROR,
                "The lab failed",
                &format!("{e}. Try another seed."),
            );
        }
        Ok(Err(e)) => return app_error(&e),
        Err(_) => return busy(),
    };
    // The lab is done; the lock is held only to look up note titles.
    let notes = {
        let Ok(app) = s.app.lock() else { return busy() };
        result
            .notes
            .iter()
            .map(|nid| {
                let title = app
                    .pack()
                    .notes
                    .iter()
                    .find(|n| n.id == *nid)
                    .map_or_else(|| (*nid).to_owned(), |n| n.title.clone());
                ((*nid).to_owned(), title)
            })
            .collect()
    };
    page(&LabPage {
        id: result.id,
        title: result.title,
        seed: result.seed,
        headline: result.headline.clone(),
        lesson: markdown(result.lesson),
        figures: result
            .figures
            .iter()
            .map(|f| (f.label(), number(f.value)))
            .collect(),
        charts: result.charts.iter().map(chart_view).collect(),
        notes,
    })
}

#[derive(Template)]
#[template(path = "export.html")]
struct ExportPage;

pub(crate) async fn export() -> Response {
    page(&ExportPage)
}

pub(crate) async fn backup(Req(s): Req) -> Response {
    let backup = {
        let Ok(app) = s.app.lock() else { return busy() };
        match app.export_backup() {
            Ok(b) => b,
            Err(e) => return app_error(&e),
        }
    };
    match serde_json::to_vec_pretty(&backup) {
        Ok(json) => (
            [
                (header::CONTENT_TYPE, "application/json"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"pmle-backup.json\"",
                ),
                (header::CACHE_CONTROL, "no-store"),
            ],
            json,
        )
            .into_response(),
        Err(e) => error_page(
            StatusCode::INTERNAL_SERVER_ERROR,
            "The backup could not be written",
            &e.to_string(),
        ),
    }
}

/// The flashcards (with `?questions=1` the questions too) for Anki, as a package or text.
pub(crate) async fn anki(
    Req(s): Req,
    uri: axum::http::Uri,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let apkg = uri.path().ends_with(".apkg");
    let questions = q.get("questions").is_some_and(|v| v == "1");
    let bytes = {
        let Ok(app) = s.app.lock() else { return busy() };
        match app.anki_export(questions, apkg) {
            Ok(b) => b,
            Err(e) => return app_error(&e),
        }
    };
    let (kind, name) = if apkg {
        (
            "application/octet-stream",
            "attachment; filename=\"pmle.apkg\"",
        )
    } else {
        (
            "text/plain; charset=utf-8",
            "attachment; filename=\"pmle-anki.txt\"",
        )
    };
    (
        [
            (header::CONTENT_TYPE, kind),
            (header::CONTENT_DISPOSITION, name),
            (header::CACHE_CONTROL, "no-store"),
        ],
        bytes,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower::ServiceExt;

    fn get(path: &str) -> axum::http::Request<axum::body::Body> {
        axum::http::Request::get(path)
            .header(header::HOST, "localhost")
            .body(axum::body::Body::empty())
            .unwrap()
    }

    #[tokio::test]
    async fn concurrent_lab_runs_beyond_the_limit_get_503() {
        let mut options = crate::Options::new("csrf-secret-0123456789".into(), None);
        options.limits.lab_runs = 1;
        options.limits.lab_wait = std::time::Duration::from_millis(50);
        let shared = Shared::new(crate::test_app(), options);
        let router = crate::router_of(shared.clone());
        // A lab is computing: it holds the only slot.
        let running = shared.labs.clone().try_acquire_owned().unwrap();
        let res = router.clone().oneshot(get("/labs/l1-vs-l2")).await.unwrap();
        assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(res.headers()[header::RETRY_AFTER], "5");
        drop(running);
        let res = router.oneshot(get("/labs/l1-vs-l2")).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(shared.labs.available_permits(), 1, "the slot is given back");
    }

    #[test]
    fn svg_gets_a_title_and_fits_the_page() {
        let svg = "<svg width=\"640\" height=\"420\" viewBox=\"0 0 640 420\" xmlns=\"http://www.w3.org/2000/svg\">\n<rect/></svg>";
        let out = accessible_svg(svg, "Loss <by> step");
        assert!(out.starts_with("<svg viewBox=\"0 0 640 420\""), "{out}");
        assert!(out.contains("width=\"100%\" role=\"img\">"), "{out}");
        assert!(!out.contains("height="), "{out}");
        assert!(out.contains("<title>Loss &lt;by&gt; step</title>"), "{out}");
        let titled = "<svg width=\"9\" role=\"img\"><title>Mine</title></svg>";
        let out = accessible_svg(titled, "Other");
        assert_eq!(out.matches("<title>").count(), 1, "{out}");
        assert_eq!(out.matches("role=").count(), 1, "{out}");
    }

    #[test]
    fn numbers_for_people() {
        assert_eq!(number(47.0), "47");
        assert_eq!(number(0.25), "0.25");
        assert_eq!(number(0.123_456), "0.1235");
        assert_eq!(number(2.5e-5), "2.5e-5");
        assert_eq!(number(4.440892098500626e-15), "4.44e-15");
    }
}
