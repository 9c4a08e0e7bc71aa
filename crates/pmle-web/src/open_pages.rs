//! Pages that open one pack item by id, for search hits: a flashcard (answer on request).
//! Questions open on the practice page (asked, not answered), notes on their note page and
//! catalog entries at their row of the catalog; [`link`] says where each kind opens.

use crate::team::Req;
use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use pmle_app::Opened;
use pmle_content::search::DocKind;

use crate::pages::{busy, error_page, markdown, page};

/// Where a search hit of this kind and id opens. Ids are pack ids (letters, digits and
/// dashes, checked by `pmle check`); they are still escaped by the templates.
pub(crate) fn link(kind: DocKind, id: &str) -> String {
    match kind {
        DocKind::Note => format!("/notes/{id}"),
        DocKind::Product => format!("/catalog#{id}"),
        DocKind::Question => format!("/practice?question={id}"),
        DocKind::Card => format!("/cards/{id}"),
    }
}

#[derive(Template)]
#[template(path = "card_open.html")]
struct CardPage {
    id: String,
    section: String,
    front: String,
    back: String,
    revealed: bool,
    references: Vec<String>,
}

pub(crate) async fn card(
    Req(s): Req,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let Ok(app) = s.app.lock() else {
        return busy();
    };
    let revealed = q.get("reveal").is_some_and(|v| v == "1");
    let Ok(Opened::Card(card)) = app.open(&id, revealed) else {
        return error_page(
            StatusCode::NOT_FOUND,
            "No such flashcard",
            "Search for it, or review the cards due today.",
        );
    };
    page(&CardPage {
        id: card.id,
        section: card.section_id,
        front: markdown(&card.front),
        back: card.back.as_deref().map(markdown).unwrap_or_default(),
        revealed: card.revealed,
        references: card.references,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower::ServiceExt;

    async fn get(router: &axum::Router, path: &str) -> (StatusCode, String) {
        let res = router
            .clone()
            .oneshot(
                axum::http::Request::get(path)
                    .header(axum::http::header::HOST, "localhost")
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        let status = res.status();
        let body = axum::body::to_bytes(res.into_body(), 1 << 22)
            .await
            .unwrap();
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    fn router() -> (axum::Router, crate::Shared) {
        let shared = crate::Shared::new(
            crate::test_app(),
            crate::Options::new("csrf-secret-0123456789".into(), None),
        );
        (crate::router_of(shared.clone()), shared)
    }

    /// Every hit of a search opens on a page that exists; a question opens asked, with no
    /// explanation or key on the page; a card shows its back only when asked.
    #[tokio::test]
    async fn search_hits_open_and_questions_keep_their_answer() {
        let (router, shared) = router();
        let (status, html) = get(&router, "/search?q=feature+store").await;
        assert_eq!(status, StatusCode::OK);
        let hits = {
            let app = shared.app.lock().unwrap();
            app.search("feature store", 25)
        };
        let kinds: std::collections::HashSet<&str> = hits.iter().map(|h| h.kind.as_str()).collect();
        assert!(kinds.len() >= 3, "{kinds:?}");
        for h in &hits {
            let href = link(h.kind, &h.id);
            assert!(html.contains(&format!("href=\"{href}\"")), "{href}");
            let path = href.split('#').next().unwrap();
            let (status, page) = get(&router, path).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            match h.kind {
                DocKind::Question => {
                    let q = shared
                        .app
                        .lock()
                        .unwrap()
                        .pack()
                        .question(&h.id)
                        .unwrap()
                        .clone();
                    assert!(page.contains(&format!("value=\"{}\"", h.id)), "{path}");
                    for o in &q.options {
                        let why = markdown(&o.explanation);
                        let why = why
                            .trim()
                            .trim_start_matches("<p>")
                            .trim_end_matches("</p>");
                        assert!(!page.contains(why), "{path} shows an explanation");
                    }
                }
                DocKind::Card => {
                    assert!(page.contains("Show the answer") && !page.contains("card-back"));
                    let (_, shown) = get(&router, &format!("{path}?reveal=1")).await;
                    assert!(shown.contains("card-back"), "{path}");
                }
                DocKind::Product => {
                    let (_, cat) = get(&router, "/catalog").await;
                    assert!(cat.contains(&format!("id=\"{}\"", h.id)));
                }
                DocKind::Note => {}
            }
        }
        let (status, _) = get(&router, "/cards/no-such-card").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }

    /// The legacy Feature Store's "deprecated" once showed on the current one's hit.
    #[tokio::test]
    async fn search_page_labels_only_the_legacy_feature_store() {
        let (router, _) = router();
        let (_, html) = get(&router, "/search?q=feature+store").await;
        let item = |id: &str| {
            let at = html
                .find(&format!("href=\"/catalog#{id}\""))
                .unwrap_or_else(|| panic!("no hit {id}"));
            let end = html[at..].find("</li>").unwrap();
            html[at..at + end].to_owned()
        };
        let current = item("agent-platform-feature-store");
        assert!(!current.contains("deprecated</span>"), "{current}");
        assert!(current.contains("replaces"), "{current}");
        assert!(
            !current.contains("formerly Vertex AI Feature Store (Legacy)"),
            "{current}"
        );
        let legacy = item("feature-store-legacy");
        assert!(legacy.contains("deprecated 2026-05-17"), "{legacy}");
    }
}
