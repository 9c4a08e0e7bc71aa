//! The printable summary rendered as one HTML document: `pmle export sheet FILE.html` writes it
//! with its stylesheet inline (a self-contained file that fetches nothing), and the web UI
//! shows the same document at `/sheet` with the stylesheet linked (its CSP allows no inline
//! style) and offers the self-contained file at `/sheet/download`.

use crate::team::Req;
use std::fmt::Write as _;

use axum::http::header;
use axum::response::{IntoResponse, Response};
use pmle_app::{SheetSection, StudySheet};

use crate::Shared;
use crate::pages::{app_error, busy};

/// The summary's stylesheet (print styles: page margins, a page per section, black on white).
pub const SHEET_CSS: &str = include_str!("../assets/sheet.css");

/// Where the stylesheet comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetStyle {
    /// In a `<style>` element: the file stands alone.
    Inline,
    /// Linked from `/static/sheet.css`, with links back to the web UI.
    Linked,
}

/// Text for HTML outside Markdown.
fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Markdown as sanitised HTML with no images or other embedded resources: the file must
/// fetch nothing when it is opened.
fn markdown(md: &str) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(
        &mut html,
        pulldown_cmark::Parser::new_ext(md, pulldown_cmark::Options::ENABLE_TABLES),
    );
    ammonia::Builder::default()
        .rm_tags(["img"])
        .clean(&html)
        .to_string()
}

/// One paragraph of Markdown without its `<p>`.
fn markdown_inline(md: &str) -> String {
    let html = markdown(md);
    match html
        .trim_end()
        .strip_prefix("<p>")
        .and_then(|x| x.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_owned(),
        _ => html,
    }
}

fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// The whole document. Learner-facing text comes from the pack (Markdown, sanitised) and the
/// learner's history (numbers); every plain string is escaped.
pub fn render_sheet(sheet: &StudySheet, style: SheetStyle) -> String {
    let mut h = String::with_capacity(200_000);
    h.push_str("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(
        h,
        "<title>PMLE exam summary, {}</title>",
        esc(&sheet.made_on)
    );
    match style {
        SheetStyle::Inline => {
            let _ = writeln!(h, "<style>\n{SHEET_CSS}</style>");
        }
        SheetStyle::Linked => h.push_str("<link rel=\"stylesheet\" href=\"/static/sheet.css\">\n"),
    }
    h.push_str("</head>\n<body>\n<header class=\"cover\">\n");
    h.push_str("<h1>Professional ML Engineer: exam summary</h1>\n");
    let _ = writeln!(
        h,
        "<p>Made by pmle on {} from its study notes and product catalog, with your weak topics \
         from your own answers ({} question{} answered so far). For each exam section: your weak \
         topics, the key decisions, the product renames and the formulas. Not affiliated with \
         Google.</p>",
        esc(&sheet.made_on),
        sheet.answered,
        if sheet.answered == 1 { "" } else { "s" }
    );
    if style == SheetStyle::Linked {
        h.push_str(
            "<p class=\"screen-only\"><a href=\"/\">Back to pmle</a> · Print this page from the \
             browser (each section starts a new page), or <a href=\"/sheet/download\" \
             download=\"pmle-summary.html\">download it as one HTML file</a>.</p>\n",
        );
    }
    h.push_str("<nav class=\"toc\" aria-label=\"Sections\"><ol>\n");
    for s in &sheet.sections {
        let _ = writeln!(
            h,
            "<li><a href=\"#{}\">{}</a> ({} %)</li>",
            esc(&s.id),
            esc(&s.title),
            s.weight
        );
    }
    h.push_str("</ol></nav>\n</header>\n");
    for s in &sheet.sections {
        section(&mut h, s, sheet.target);
    }
    h.push_str("</body>\n</html>\n");
    h
}

fn section(h: &mut String, s: &SheetSection, target: f64) {
    let _ = writeln!(
        h,
        "<section class=\"part\" id=\"{}\">\n<h2>Section {}: {}</h2>\n<p class=\"weight\">About {} % \
         of the exam.</p>",
        esc(&s.id),
        s.number,
        esc(&s.title),
        s.weight
    );

    h.push_str("<h3>Your weak topics</h3>\n");
    let _ = writeln!(h, "<p class=\"verdict\">{}</p>", esc(&s.weak.verdict));
    if !s.weak.weak.is_empty() || !s.weak.unsure.is_empty() {
        let _ = writeln!(
            h,
            "<table class=\"weak\"><thead><tr><th>Topic</th><th>Estimated chance of a right \
             answer (80% interval)</th><th>Questions answered</th><th>Reading (target {})</th>\
             </tr></thead><tbody>",
            pct(target)
        );
        let rows = s.weak.weak.iter().map(|t| (t, "weak: below the target"));
        let maybe = s
            .weak
            .unsure
            .iter()
            .map(|t| (t, "maybe weak: cannot tell yet"));
        for (t, reading) in rows.chain(maybe) {
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td>{} ({}–{})</td><td>{}</td><td>{reading}</td></tr>",
                esc(&t.title),
                pct(t.mastery),
                pct(t.low),
                pct(t.high),
                t.answered
            );
        }
        h.push_str("</tbody></table>\n");
    }

    h.push_str("<h3>Key decisions</h3>\n");
    if s.decisions.is_empty() {
        h.push_str("<p class=\"muted\">The notes of this section have no decision passage.</p>\n");
    }
    for b in &s.decisions {
        let _ = writeln!(
            h,
            "<div class=\"block\"><h4>{} <span class=\"src\">— {}</span></h4>\n{}</div>",
            esc(&b.heading),
            esc(&b.note_title),
            markdown(&b.markdown)
        );
    }

    h.push_str("<h3>Renames and retirements</h3>\n");
    if s.renames.is_empty() {
        h.push_str("<p class=\"muted\">No product named in this section's notes was renamed or retired.</p>\n");
    } else {
        h.push_str(
            "<table class=\"renames\"><thead><tr><th>Former name(s)</th><th>Current name</th>\
             <th>Status</th></tr></thead><tbody>\n",
        );
        for r in &s.renames {
            let former = if r.former_names.is_empty() {
                "—".to_owned()
            } else {
                r.former_names
                    .iter()
                    .map(|n| esc(n))
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            let mut status = format!("<span class=\"status\">{}", esc(&r.status));
            if let Some(d) = &r.status_date {
                let _ = write!(status, " {}", esc(d));
            }
            status.push_str("</span>");
            if let Some(succ) = &r.successor {
                let _ = write!(status, " → {}", esc(succ));
            }
            if !r.status_note.is_empty() {
                let _ = write!(status, "<br>{}", esc(&r.status_note));
            }
            let _ = writeln!(
                h,
                "<tr><td>{former}</td><td>{}</td><td>{status}</td></tr>",
                esc(&r.name)
            );
        }
        h.push_str("</tbody></table>\n");
    }

    h.push_str("<h3>Formulas</h3>\n");
    if s.formulas.is_empty() {
        h.push_str("<p class=\"muted\">No formulas in this section's notes.</p>\n");
    } else {
        h.push_str("<ul class=\"formulas\">\n");
        for f in &s.formulas {
            let _ = writeln!(h, "<li>{}</li>", markdown_inline(&f.markdown));
        }
        h.push_str("</ul>\n");
    }
    h.push_str("</section>\n");
}

/// `/sheet`: the summary in the browser, stylesheet linked.
pub(crate) async fn page(Req(s): Req) -> Response {
    respond(&s, SheetStyle::Linked)
}

/// `/sheet/download`: the self-contained file.
pub(crate) async fn download(Req(s): Req) -> Response {
    respond(&s, SheetStyle::Inline)
}

fn respond(s: &Shared, style: SheetStyle) -> Response {
    let sheet = {
        let Ok(app) = s.app.lock() else { return busy() };
        match app.study_sheet() {
            Ok(sheet) => sheet,
            Err(e) => return app_error(&e),
        }
    };
    let html = render_sheet(&sheet, style);
    let mut res = (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        html,
    )
        .into_response();
    if style == SheetStyle::Inline
        && let Ok(v) = "attachment; filename=\"pmle-summary.html\"".parse()
    {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

pub(crate) async fn css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=300"),
        ],
        SHEET_CSS,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use pmle_app::{SheetBlock, SheetFormula, SheetRename, SheetWeak, WeakTopic};

    const EVIL: &str = "<script>alert(1)</script><img src=x onerror=alert(2)>";

    fn hostile() -> StudySheet {
        let topic = WeakTopic {
            id: "t".into(),
            title: EVIL.into(),
            answered: 4,
            mastery: 0.3,
            low: 0.2,
            high: 0.45,
        };
        StudySheet {
            made_on: "2026-12-03\"><script>".into(),
            target: 0.7,
            answered: 4,
            sections: vec![SheetSection {
                id: "s1\" onclick=\"x".into(),
                number: 1,
                title: EVIL.into(),
                weight: 13.0,
                decisions: vec![SheetBlock {
                    note: "n".into(),
                    note_title: EVIL.into(),
                    heading: EVIL.into(),
                    markdown: format!("- a {EVIL}\n- [x](javascript:alert(3))"),
                }],
                renames: vec![SheetRename {
                    product: "p".into(),
                    name: EVIL.into(),
                    former_names: vec![EVIL.into()],
                    status: "retired".into(),
                    status_date: Some("2025-01-31".into()),
                    status_note: EVIL.into(),
                    successor: Some(EVIL.into()),
                }],
                formulas: vec![SheetFormula {
                    name: "F".into(),
                    markdown: format!("**F** = a / b {EVIL}"),
                    note: "n".into(),
                }],
                weak: SheetWeak {
                    answered: 4,
                    topics: 1,
                    measured: 1,
                    weak: vec![topic.clone()],
                    unsure: vec![topic],
                    verdict: EVIL.into(),
                },
            }],
        }
    }

    #[test]
    fn hostile_text_is_escaped_or_sanitised_everywhere() {
        for style in [SheetStyle::Inline, SheetStyle::Linked] {
            let html = render_sheet(&hostile(), style);
            // Escaped text (`&lt;img … onerror=…&gt;`) is harmless: look only at markup.
            let mut markup = String::new();
            let mut rest = html.as_str();
            while let Some(at) = rest.find("&lt;") {
                markup.push_str(&rest[..at]);
                rest = rest[at..].find("&gt;").map_or("", |e| &rest[at + e + 4..]);
            }
            markup.push_str(rest);
            let lower = markup.to_lowercase();
            assert!(!lower.contains("<script"), "{html}");
            assert!(!lower.contains("<img"), "{html}");
            assert!(
                !lower.contains("onerror="),
                "an attribute survived: {markup}"
            );
            assert!(
                !lower.contains("onclick=\""),
                "the id broke out of its attribute"
            );
            assert!(!lower.contains("javascript:"), "{html}");
            assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        }
    }

    #[test]
    fn the_file_stands_alone_and_the_page_links_its_stylesheet() {
        let inline = render_sheet(&hostile(), SheetStyle::Inline);
        assert!(inline.contains("<style>") && inline.contains("@page"));
        assert!(!inline.contains("<link") && !inline.contains("src=\"http"));
        assert!(!inline.contains("href=\"/"), "no link back to a server");
        let linked = render_sheet(&hostile(), SheetStyle::Linked);
        assert!(!linked.contains("<style>"));
        assert!(linked.contains("href=\"/static/sheet.css\""));
        // Both readings of a topic are shown.
        assert!(inline.contains("weak: below the target"));
        assert!(inline.contains("maybe weak: cannot tell yet"));
    }
}
