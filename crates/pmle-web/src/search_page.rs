//! The search page: one query over notes, questions, cards and products, bounded in size
//! and run off the async workers over an index built once per server.

use crate::team::Req;
use std::collections::HashMap;

use askama::Template;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use pmle_content::search::SearchIndex;

use crate::pages::{busy, error_page, page};

struct HitView {
    kind: &'static str,
    title: String,
    link: String,
    alias: String,
    /// This entry's own status and date ("deprecated 2026-05-17"), or empty.
    status: String,
    /// "Feature Store (Legacy), which is deprecated", or empty.
    replaces: String,
    snippet: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    query: String,
    hits: Vec<HitView>,
}

/// The longest search query accepted, in characters and in words. Each word is looked up in
/// the whole index, so an unbounded query is unbounded work for one request.
pub(crate) const QUERY_CHARS: usize = 200;
pub(crate) const QUERY_TERMS: usize = 32;

pub(crate) async fn search(Req(s): Req, Query(q): Query<HashMap<String, String>>) -> Response {
    let query = q.get("q").cloned().unwrap_or_default();
    if query.chars().count() > QUERY_CHARS || query.split_whitespace().count() > QUERY_TERMS {
        return error_page(
            StatusCode::BAD_REQUEST,
            "Search query too long",
            &format!(
                "Search for at most {QUERY_CHARS} characters and {QUERY_TERMS} words: a product \
                 name or a few key words work best. Shorten the query and try again."
            ),
        );
    }
    // The search is CPU work: off the async workers, and over an index built once per server
    // (the pack does not change while it runs), so it never holds the app lock that every
    // other page needs.
    let found = tokio::task::spawn_blocking(move || {
        let index = match s.search.get() {
            Some(index) => index,
            None => {
                let built = SearchIndex::build(s.app.lock().ok()?.pack());
                s.search.get_or_init(|| built)
            }
        };
        let hits = index
            .search(&query, 25)
            .into_iter()
            .map(hit_view)
            .collect::<Vec<_>>();
        Some((query, hits))
    })
    .await;
    let Ok(Some((query, hits))) = found else {
        return busy();
    };
    page(&SearchPage { query, hits })
}

fn hit_view(h: pmle_content::search::Hit) -> HitView {
    let status = match (&h.status, &h.status_date) {
        (Some(s), Some(d)) => format!("{s} {d}"),
        (Some(s), None) => s.clone(),
        _ => String::new(),
    };
    HitView {
        kind: h.kind.as_str(),
        link: crate::open_pages::link(h.kind, &h.id),
        title: h.title,
        alias: h.alias.unwrap_or_default(),
        status,
        replaces: h
            .replaces
            .map(|r| format!("{}, which is {}", r.name, r.status))
            .unwrap_or_default(),
        snippet: h.snippet,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower::ServiceExt;

    fn get(path: &str) -> axum::http::Request<axum::body::Body> {
        axum::http::Request::get(path)
            .header(axum::http::header::HOST, "localhost")
            .body(axum::body::Body::empty())
            .unwrap()
    }

    /// Concurrent searches stalled every other page: they held the app lock. Now a search
    /// (after the first, which builds the index) runs while another request holds it.
    #[tokio::test]
    // Holding the lock across the request is the point: it stands for a slow page.
    #[allow(clippy::await_holding_lock)]
    async fn concurrent_searches_do_not_stall_other_pages() {
        let shared = crate::Shared::new(
            crate::test_app(),
            crate::Options::new("csrf-secret-0123456789".into(), None),
        );
        let router = crate::router_of(shared.clone());
        let first = router
            .clone()
            .oneshot(get("/search?q=vertex"))
            .await
            .unwrap();
        assert_eq!(first.status(), StatusCode::OK);
        let held = shared.app.lock().unwrap();
        let during = tokio::time::timeout(
            std::time::Duration::from_secs(30),
            router.oneshot(get("/search?q=feature+store+pipelines")),
        )
        .await;
        drop(held);
        assert_eq!(
            during
                .expect("the search waited for the app lock")
                .unwrap()
                .status(),
            StatusCode::OK
        );
    }
}
