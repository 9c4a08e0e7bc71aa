//! pmle in the browser: server-rendered pages over the same `pmle-app` use-cases as the
//! terminal front ends. The web layer renders and checks requests; it decides nothing.
//!
//! Pages: dashboard, practice, mock exam and its report, flashcards, notes, search, catalog,
//! labs, tools, export and settings. Every page works without JavaScript; htmx (embedded)
//! swaps only the changed part where it helps (the exam panel, the flashcard), and `app.js`
//! adds keyboard shortcuts and the exam countdown.
//!
//! Security defaults: loopback only unless a token is given; every state-changing request is
//! a POST carrying the per-server CSRF token; a Content-Security-Policy without inline
//! script; Markdown sanitised with ammonia; bodies limited to 64 KiB; errors render a page,
//! never a stack trace.

mod assets;
mod charts;
mod exam_pages;
mod lab_pages;
mod more_pages;
mod pages;
mod report_pages;
mod security;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use pmle_app::App;

pub use security::check_bind;

/// Why the server could not run.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error(
        "refusing to listen on {0}: it is reachable from other machines; use 127.0.0.1 or pass --token SECRET"
    )]
    NotLoopback(SocketAddr),
    #[error("server error: {0}")]
    Io(#[from] std::io::Error),
}

pub(crate) type DashboardCache = ((pmle_app::ChangeToken, i64), axum::body::Bytes);

/// Shared state: the one learner's app and the per-server secret for forms.
#[derive(Clone)]
pub(crate) struct Shared {
    pub(crate) app: Arc<Mutex<App>>,
    /// This server's view of the mock exam in progress (its question and clock), held so the
    /// clock runs between requests; the exam itself is re-read from the store on every
    /// request. Lock after `app`.
    pub(crate) exam: Arc<Mutex<Option<pmle_app::ExamSession>>>,
    /// The rendered dashboard and the (store change token, minute) it was rendered at.
    pub(crate) dashboard: Arc<Mutex<Option<DashboardCache>>>,
    pub(crate) csrf: Arc<String>,
    pub(crate) token: Option<Arc<String>>,
}

/// The router, for tests and for `serve`.
pub fn router(app: App, csrf_secret: String, token: Option<String>) -> Router {
    let shared = Shared {
        app: Arc::new(Mutex::new(app)),
        exam: Arc::new(Mutex::new(None)),
        dashboard: Arc::new(Mutex::new(None)),
        csrf: Arc::new(csrf_secret),
        token: token.map(Arc::new),
    };
    Router::new()
        .merge(lab_pages::routes())
        .route("/", get(pages::dashboard))
        .route("/practice", get(pages::practice))
        .route("/practice/answer", post(pages::answer))
        .route("/notes", get(pages::notes))
        .route("/notes/{id}", get(pages::note))
        .route("/search", get(pages::search))
        .route("/catalog", get(more_pages::catalog))
        .route("/cards", get(more_pages::cards))
        .route("/cards/rate", post(more_pages::rate))
        .route(
            "/settings",
            get(more_pages::settings).post(more_pages::save_settings),
        )
        .merge(exam_pages::routes())
        .route("/static/app.css", get(assets::css))
        .route("/static/app.js", get(assets::js))
        .route("/static/htmx.min.js", get(assets::htmx))
        .route("/theme.css", get(assets::theme))
        .route("/static/icon.svg", get(assets::icon))
        .route("/favicon.ico", get(assets::icon))
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            security::headers_and_token,
        ))
        .layer(DefaultBodyLimit::max(64 * 1024))
        .with_state(shared)
}

/// Serve until `shutdown` completes. The caller binds the listener (tests bind port 0).
pub async fn serve(
    app: App,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
    csrf_secret: String,
    token: Option<String>,
) -> Result<(), WebError> {
    check_bind(listener.local_addr()?, token.is_some())?;
    axum::serve(listener, router(app, csrf_secret, token))
        .with_graceful_shutdown(shutdown)
        .await?;
    Ok(())
}
