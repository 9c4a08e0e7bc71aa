//! pmle in the browser: server-rendered pages over the same `pmle-app` use-cases as the
//! terminal front ends. The web layer renders and checks requests; it decides nothing.
//!
//! Pages: dashboard, practice, mock exam and its report, flashcards, notes, search, catalog,
//! labs, tools, export and settings. Every page works without JavaScript; htmx (embedded)
//! swaps only the changed part where it helps (the exam panel, the flashcard), and `app.js`
//! adds keyboard shortcuts and the exam countdown.
//!
//! Security defaults: loopback only unless a strong token is given; only Host names it was
//! started for (localhost, IP addresses, `--allow-host`), against DNS rebinding; every
//! state-changing request is a POST carrying the per-server CSRF token; a
//! Content-Security-Policy without inline script; Markdown sanitised with ammonia; bodies
//! limited to 64 KiB; time limits on headers, bodies and idle connections, a cap on open
//! connections, on search queries and on labs running at once; errors render a page, never
//! a stack trace.

mod access;
mod account_pages;
mod assets;
mod catalog_page;
mod charts;
mod connections;
mod exam_pages;
mod flashcard_pages;
mod history_chart;
mod lab_pages;
mod note_page;
mod open_pages;
mod pages;
mod probes;
mod progress_page;
mod report_pages;
mod request_log;
mod review_pages;
mod search_page;
mod security;
mod settings_page;
mod sheet;
mod team;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use pmle_app::App;

pub use access::{AllowedHosts, TOKEN_BITS, check_bind, check_host_name, check_token, token_bits};
pub use connections::Limits;
pub use request_log::{LogFormat, REQUEST_ID, RequestLog};
pub use sheet::{SHEET_CSS, SheetStyle, render_sheet};
pub use team::{AppFactory, Team};

/// Why the server could not run.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error(
        "refusing to listen on {0}: it is reachable from other machines; use 127.0.0.1 or pass --token SECRET"
    )]
    NotLoopback(SocketAddr),
    #[error(
        "the access token is empty (an unset variable?); leave out --token and pmle serve makes a strong one, or give one of at least 32 hex digits (openssl rand -hex 16)"
    )]
    EmptyToken,
    #[error(
        "the access token may hold only printable ASCII: letters, digits, punctuation and spaces; make one with openssl rand -hex 16, or leave out --token and pmle serve makes one"
    )]
    TokenCharacters,
    #[error(
        "the access token is too easy to guess (about {bits} bits, {distinct} different characters; 128 bits and 8 different characters are needed: 32 hex digits or 22 base64url characters from a random source); make one with openssl rand -hex 16, or leave out --token and pmle serve makes one"
    )]
    WeakToken { bits: u32, distinct: usize },
    #[error(
        "--allow-host {0:?} is not a host name: give a name such as pmle.lan, without scheme or port"
    )]
    BadHostName(String),
    #[error("server error: {0}")]
    Io(#[from] std::io::Error),
}

pub(crate) type DashboardCache = ((pmle_app::ChangeToken, i64), axum::body::Bytes);

/// Shared state: the one learner's app, the per-server secret for forms, and what guards it.
/// In team mode the server's value holds no learner's app that a handler can reach: each
/// request gets its own copy with the logged-in user's app, caches and CSRF secret
/// ([`team::Req`]); the server's `app` serves only the probes and the pack.
#[derive(Clone)]
pub(crate) struct Shared {
    pub(crate) app: Arc<Mutex<App>>,
    /// The rendered dashboard and the (store change token, minute) it was rendered at.
    pub(crate) dashboard: Arc<Mutex<Option<DashboardCache>>>,
    /// The secret forms echo: the server's, or in team mode the session's.
    pub(crate) csrf: Arc<String>,
    /// Team mode: the accounts and each user's app.
    pub(crate) team: Option<Arc<team::TeamState>>,
    /// Team mode, in a request's copy: whose session it is (the role is there for the
    /// coach and admin pages to come).
    pub(crate) session: Option<Arc<pmle_app::accounts::SessionUser>>,
    pub(crate) token: Option<Arc<String>>,
    pub(crate) hosts: Arc<AllowedHosts>,
    pub(crate) limits: Arc<Limits>,
    /// The search index of the pack, built at the first search.
    pub(crate) search: Arc<std::sync::OnceLock<pmle_content::search::SearchIndex>>,
    /// One permit per lab allowed to compute at once.
    pub(crate) labs: Arc<tokio::sync::Semaphore>,
    /// The request log, if the server keeps one.
    pub(crate) log: Option<Arc<RequestLog>>,
    /// Ids for requests that bring no valid `X-Request-Id`.
    pub(crate) ids: Arc<request_log::RequestIds>,
}

/// How a server runs: its secrets, the names it answers to and its limits.
#[derive(Clone, Debug)]
pub struct Options {
    /// The CSRF secret for forms: random per run for one server; several servers behind
    /// one load balancer must share one (`pmle serve --csrf-secret-file`), or a form drawn
    /// by one is refused by another.
    pub csrf_secret: String,
    /// The access token every request must carry (checked with [`check_token`] by
    /// [`serve_with`]); `None` on loopback.
    pub token: Option<String>,
    /// Host names answered besides localhost and IP addresses.
    pub hosts: AllowedHosts,
    pub limits: Limits,
    /// One line per request, if given.
    pub log: Option<Arc<RequestLog>>,
    /// The start of the ids this server makes for requests without a valid
    /// `X-Request-Id` (up to 40 of `[A-Za-z0-9._-]`; a random one per server keeps ids
    /// from two servers apart).
    pub request_id_prefix: String,
    /// Team mode: logged-in users, each on their own app; `None` for one learner.
    pub team: Option<Team>,
}

impl Options {
    /// Default hosts and limits.
    pub fn new(csrf_secret: String, token: Option<String>) -> Options {
        Options {
            csrf_secret,
            token,
            hosts: AllowedHosts::default(),
            limits: Limits::default(),
            log: None,
            request_id_prefix: "pmle".to_owned(),
            team: None,
        }
    }
}

/// The router, for tests and for `serve`, with default hosts and limits.
pub fn router(app: App, csrf_secret: String, token: Option<String>) -> Router {
    router_with(app, Options::new(csrf_secret, token))
}

/// The router of a server run with `options`.
pub fn router_with(app: App, options: Options) -> Router {
    router_of(Shared::new(app, options))
}

impl Shared {
    pub(crate) fn new(app: App, options: Options) -> Shared {
        Shared {
            app: Arc::new(Mutex::new(app)),
            dashboard: Arc::new(Mutex::new(None)),
            csrf: Arc::new(options.csrf_secret),
            team: options.team.map(|t| Arc::new(team::TeamState::new(t))),
            session: None,
            token: options.token.map(Arc::new),
            hosts: Arc::new(options.hosts),
            search: Arc::new(std::sync::OnceLock::new()),
            labs: Arc::new(tokio::sync::Semaphore::new(options.limits.lab_runs)),
            limits: Arc::new(options.limits),
            log: options.log,
            ids: Arc::new(request_log::RequestIds::new(&options.request_id_prefix)),
        }
    }
}

/// Every path the router answers, as written in its `.route` calls (a test keeps this list
/// equal to them): the team isolation test requests each one as another user.
pub const ROUTES: &[&str] = &[
    "/",
    "/cards",
    "/cards/rate",
    "/cards/{id}",
    "/catalog",
    "/exam",
    "/exam/abandon",
    "/exam/act",
    "/exam/beat",
    "/exam/report/{id}",
    "/exam/review",
    "/exam/start",
    "/exam/submit",
    "/export",
    "/export/backup.json",
    "/export/pmle-anki.txt",
    "/export/pmle.apkg",
    "/export/reports.json",
    "/favicon.ico",
    "/healthz",
    "/invite/{token}",
    "/labs",
    "/labs/{id}",
    "/login",
    "/logout",
    "/notes",
    "/notes/{id}",
    "/practice",
    "/practice/answer",
    "/progress",
    "/readyz",
    "/review",
    "/review/mark",
    "/review/note",
    "/review/q/{id}",
    "/review/report",
    "/search",
    "/settings",
    "/settings/exam-date",
    "/sheet",
    "/sheet/download",
    "/static/app.css",
    "/static/app.js",
    "/static/htmx.min.js",
    "/static/icon.svg",
    "/static/sheet.css",
    "/theme.css",
    "/tools",
    "/tools/metrics",
    "/tools/product",
    "/tools/strategy",
];

pub(crate) fn router_of(shared: Shared) -> Router {
    Router::new()
        .merge(lab_pages::routes())
        .route("/", get(pages::dashboard))
        .route("/practice", get(pages::practice))
        .route("/practice/answer", post(pages::answer))
        .route("/progress", get(progress_page::progress))
        .route("/notes", get(pages::notes))
        .route("/notes/{id}", get(note_page::note))
        .route("/search", get(search_page::search))
        .route("/catalog", get(catalog_page::catalog))
        .route("/cards", get(flashcard_pages::cards))
        .route("/cards/rate", post(flashcard_pages::rate))
        .route("/cards/{id}", get(open_pages::card))
        .route(
            "/settings",
            get(settings_page::settings).post(settings_page::save_settings),
        )
        .route("/settings/exam-date", post(settings_page::save_exam_date))
        .merge(exam_pages::routes())
        .merge(review_pages::routes())
        .route("/sheet", get(sheet::page))
        .route("/sheet/download", get(sheet::download))
        .route("/static/sheet.css", get(sheet::css))
        .route("/static/app.css", get(assets::css))
        .route("/static/app.js", get(assets::js))
        .route("/static/htmx.min.js", get(assets::htmx))
        .route("/theme.css", get(assets::theme))
        .route("/static/icon.svg", get(assets::icon))
        .route("/favicon.ico", get(assets::icon))
        .route("/healthz", get(probes::healthz))
        .route("/readyz", get(probes::readyz))
        .route(
            "/login",
            get(account_pages::login_form).post(account_pages::login),
        )
        .route(
            "/invite/{token}",
            get(account_pages::invite_form).post(account_pages::invite),
        )
        .route("/logout", post(account_pages::logout))
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            team::gate,
        ))
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            security::guard,
        ))
        .layer(DefaultBodyLimit::max(security::BODY_LIMIT))
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            request_log::layer,
        ))
        .with_state(shared)
}

/// Serve until `shutdown` completes, with default hosts and limits. The caller binds the
/// listener (tests bind port 0).
pub async fn serve(
    app: App,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
    csrf_secret: String,
    token: Option<String>,
) -> Result<(), WebError> {
    serve_with(app, listener, shutdown, Options::new(csrf_secret, token)).await
}

/// Serve until `shutdown` completes, then let open requests finish. Refuses a non-loopback
/// listener without a token, and a token that [`check_token`] refuses.
pub async fn serve_with(
    app: App,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
    options: Options,
) -> Result<(), WebError> {
    // A team server admits only logged-in users: it may listen beyond loopback (behind a
    // proxy) without the single learner's access token.
    check_bind(
        listener.local_addr()?,
        options.token.is_some() || options.team.is_some(),
    )?;
    if let Some(t) = &options.token {
        check_token(t)?;
    }
    let limits = options.limits.clone();
    connections::serve(listener, router_with(app, options), limits, shutdown).await?;
    Ok(())
}

/// An app over the embedded pack and an in-memory store, for the unit tests.
#[cfg(test)]
pub(crate) fn test_app() -> App {
    let pack = pmle_app::load_pack(
        None,
        pmle_content::model::Date {
            year: 2100,
            month: 1,
            day: 1,
        },
    )
    .expect("the embedded pack loads");
    App::new(
        pack,
        Box::new(pmle_store::SqliteStore::open_in_memory().expect("an in-memory store")),
        Box::new(pmle_app::ManualClock::new(1_795_000_000_000)),
        3,
        ":memory:",
    )
}

#[cfg(test)]
mod route_list_tests {
    /// The paths of every `.route("…"` call under src/.
    fn routed(dir: &std::path::Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                routed(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for (at, _) in text.match_indices(".route(") {
                    let rest = text[at + 7..].trim_start();
                    if let Some(rest) = rest.strip_prefix("\"/") {
                        out.push(format!("/{}", rest.split('"').next().unwrap()));
                    }
                }
            }
        }
    }

    #[test]
    fn the_route_list_is_every_route_of_the_router() {
        let mut found = Vec::new();
        routed(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut found,
        );
        found.sort();
        found.dedup();
        let mut listed: Vec<String> = super::ROUTES.iter().map(|r| (*r).to_owned()).collect();
        listed.sort();
        assert!(found.len() > 40, "the scan found too few routes: {found:?}");
        assert_eq!(found, listed, "update ROUTES in lib.rs");
    }
}
