//! The harness of the handler tests: a real server on 127.0.0.1:0 and plain HTTP/1.1.
#![allow(dead_code, clippy::unwrap_used)]

use pmle_app::{App, ManualClock, load_pack};
use pmle_content::model::Date;
use pmle_store::SqliteStore;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub(crate) const CSRF: &str = "test-secret-0123456789";
/// A token strong enough for `check_token` (32 hex digits).
pub(crate) const TOKEN: &str = "3f9a1c0e7b2d4f6a8c0e1b3d5f7a9c2e";
pub(crate) const START: i64 = 1_795_000_000_000;

/// An app over `pack` (the embedded one when `None`), an in-memory store and `clock`.
pub(crate) fn app_with(pack: Option<&std::path::Path>, clock: &ManualClock) -> App {
    let pack = load_pack(
        pack,
        Date {
            year: 2100,
            month: 1,
            day: 1,
        },
    )
    .unwrap();
    App::new(
        pack,
        Box::new(SqliteStore::open_in_memory().unwrap()),
        Box::new(clock.clone()),
        3,
        ":memory:",
    )
}

/// An app over the embedded pack and the SQLite file at `path`, as each process has its own
/// connection (the server, or the CLI beside it).
pub(crate) fn app_on(path: &std::path::Path, clock: &ManualClock) -> App {
    let pack = load_pack(
        None,
        Date {
            year: 2100,
            month: 1,
            day: 1,
        },
    )
    .unwrap();
    App::new(
        pack,
        Box::new(SqliteStore::open(path).unwrap()),
        Box::new(clock.clone()),
        3,
        "file",
    )
}

/// Serve `app` on a free loopback port until the sender is dropped or fired.
pub(crate) async fn serve(app: App) -> (std::net::SocketAddr, tokio::sync::oneshot::Sender<()>) {
    serve_with_token(app, None).await
}

/// [`serve`], requiring `token` on every request when given.
pub(crate) async fn serve_with_token(
    app: App,
    token: Option<&str>,
) -> (std::net::SocketAddr, tokio::sync::oneshot::Sender<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(pmle_web::serve(
        app,
        listener,
        async move {
            rx.await.ok();
        },
        CSRF.to_owned(),
        token.map(str::to_owned),
    ));
    (addr, tx)
}

/// Serve `app` with `options` on a free loopback port: (address, stop, the server task).
pub(crate) async fn serve_with_options(
    app: App,
    options: pmle_web::Options,
) -> (
    std::net::SocketAddr,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<Result<(), pmle_web::WebError>>,
) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(pmle_web::serve_with(
        app,
        listener,
        async move {
            rx.await.ok();
        },
        options,
    ));
    (addr, tx, task)
}

/// The bytes a server sends on `s` before it closes the connection, or `None` when it is
/// still open after `wait`.
pub(crate) async fn until_closed(
    s: &mut tokio::net::TcpStream,
    wait: std::time::Duration,
) -> Option<Vec<u8>> {
    let mut got = Vec::new();
    match tokio::time::timeout(wait, s.read_to_end(&mut got)).await {
        Ok(_) => Some(got),
        Err(_) => None,
    }
}

/// (status, head, body) of one request; `extra` headers end with `\r\n`.
pub(crate) async fn request_with(
    addr: std::net::SocketAddr,
    method: &str,
    path: &str,
    extra: &str,
    body: &str,
) -> (u16, String, String) {
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n{extra}Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).await.unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    (status, head.to_owned(), body.to_owned())
}

pub(crate) async fn request(
    addr: std::net::SocketAddr,
    method: &str,
    path: &str,
    body: &str,
) -> (u16, String, String) {
    request_with(addr, method, path, "", body).await
}

/// The value of a response header (lower-case name).
pub(crate) fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        (k.trim().eq_ignore_ascii_case(name)).then(|| v.trim())
    })
}

/// The embedded pack at a fixed instant.
pub(crate) fn app() -> App {
    app_with(None, &ManualClock::new(START))
}

/// Serve [`app`].
pub(crate) async fn start() -> (std::net::SocketAddr, tokio::sync::oneshot::Sender<()>) {
    serve(app()).await
}

/// The value of the hidden field `name` in a form.
pub(crate) fn field(html: &str, name: &str) -> String {
    let at = html.find(&format!("name=\"{name}\" value=\"")).unwrap() + name.len() + 15;
    html[at..].split('"').next().unwrap().to_owned()
}
