//! A study note: its body with a table of contents, the products it names, questions on its
//! topics, and the references the body does not already cite (each reference once).

use crate::team::Req;
use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;

use crate::pages::{error_page, markdown, page};

#[derive(Template)]
#[template(path = "note.html")]
struct NotePage {
    title: String,
    toc: Vec<(String, String)>,
    /// The note up to its first level-2 heading.
    intro: String,
    body: String,
    /// "References", or "More references" after the body's own References section.
    references_heading: &'static str,
    /// The front-matter references the body does not cite (each reference is listed once).
    references: Vec<String>,
    /// (question id, opening words) and (catalog id, name).
    questions: Vec<(String, String)>,
    /// All questions on the note's topics (the page lists the first few).
    question_count: usize,
    products: Vec<(String, String)>,
    section: String,
}

fn slug(text: &str) -> String {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

pub(crate) async fn note(Req(s): Req, Path(id): Path<String>) -> Response {
    let Ok(app) = s.app.lock() else {
        return error_page(StatusCode::INTERNAL_SERVER_ERROR, "Busy", "Try again.");
    };
    let Some(n) = app.pack().notes.iter().find(|n| n.id == id) else {
        return error_page(
            StatusCode::NOT_FOUND,
            "No such note",
            "See the list of notes.",
        );
    };
    let (questions, products) = app.note_links(&id);
    // Level-2 headings get ids for the table of contents, which goes between the opening
    // (title and first paragraphs) and the first heading.
    let mut toc = Vec::new();
    let mut intro = String::new();
    let mut md = String::new();
    for line in n.body.lines() {
        if toc.is_empty() && !line.starts_with("## ") {
            intro.push_str(&autolink(line));
            intro.push('\n');
        } else if let Some(h) = line.strip_prefix("## ") {
            let id = slug(h);
            toc.push((id.clone(), h.trim().to_owned()));
            md.push_str(&format!(
                "<h2 id=\"{id}\">{}</h2>\n",
                h.trim().replace('<', "&lt;")
            ));
        } else {
            md.push_str(&autolink(line));
            md.push('\n');
        }
    }
    page(&NotePage {
        title: n.title.clone(),
        toc,
        intro: markdown(&intro),
        body: markdown(&md),
        references_heading: if n.body.lines().any(|l| l.trim() == "## References") {
            "More references"
        } else {
            "References"
        },
        references: n.references_not_in_body().into_iter().cloned().collect(),
        question_count: questions.len(),
        questions: questions.into_iter().take(8).collect(),
        products,
        section: n.section.clone(),
    })
}

/// Bare `http(s)://` URLs in a Markdown line become autolinks (`<https://…>`), so the
/// references a note's body lists are links; URLs already in a link or code are left alone.
fn autolink(line: &str) -> String {
    if !line.contains("http") || line.contains('`') || line.contains("](") {
        return line.to_owned();
    }
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    while let Some(at) = rest.find("https://").or_else(|| rest.find("http://")) {
        let before = &rest[..at];
        let starts_word = before
            .chars()
            .last()
            .is_none_or(|c| c.is_whitespace() || c == '(' || c == ':');
        let end = rest[at..]
            .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"'))
            .map_or(rest.len(), |e| at + e);
        let mut url = &rest[at..end];
        while url.ends_with(['.', ',', ';', ':', ')']) {
            url = &url[..url.len() - 1];
        }
        out.push_str(before);
        if starts_word && !before.ends_with('<') {
            out.push_str(&format!("<{url}>"));
        } else {
            out.push_str(url);
        }
        rest = &rest[at + url.len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower::ServiceExt;

    #[test]
    fn bare_urls_become_links_and_links_stay() {
        assert_eq!(
            autolink("- Guide: https://a.example/x."),
            "- Guide: <https://a.example/x>."
        );
        assert_eq!(
            autolink("see (https://a.example/y)"),
            "see (<https://a.example/y>)"
        );
        assert_eq!(
            autolink("[x](https://a.example/)"),
            "[x](https://a.example/)"
        );
        assert_eq!(autolink("`https://a.example/`"), "`https://a.example/`");
        assert_eq!(autolink("<https://a.example/>"), "<https://a.example/>");
        assert_eq!(autolink("no links here"), "no links here");
    }

    /// Note pages listed every reference twice: the body's References section, then the
    /// front-matter list. Now each reference URL is linked once on the page.
    #[tokio::test]
    async fn every_note_lists_each_reference_once() {
        let shared = crate::Shared::new(
            crate::test_app(),
            crate::Options::new("csrf-secret-0123456789".into(), None),
        );
        let notes: Vec<(String, Vec<String>)> = {
            let app = shared.app.lock().unwrap();
            app.pack()
                .notes
                .iter()
                .map(|n| (n.id.clone(), n.references.clone()))
                .collect()
        };
        assert!(notes.len() > 10);
        let router = crate::router_of(shared);
        for (id, refs) in notes {
            let res = router
                .clone()
                .oneshot(
                    axum::http::Request::get(format!("/notes/{id}"))
                        .header(axum::http::header::HOST, "localhost")
                        .body(axum::body::Body::empty())
                        .unwrap(),
                )
                .await
                .unwrap();
            assert_eq!(res.status(), StatusCode::OK);
            let body = axum::body::to_bytes(res.into_body(), 1 << 22)
                .await
                .unwrap();
            let html = String::from_utf8_lossy(&body);
            for r in refs {
                let r = r.replace('&', "&amp;");
                let links = html.matches(&format!("href=\"{r}\"")).count();
                let shown = html.matches(r.as_str()).count() - links;
                assert_eq!((links, shown), (1, 1), "{id}: {r} linked once, shown once");
            }
            assert!(html.matches(">References</h2>").count() <= 1, "{id}");
        }
    }
}
