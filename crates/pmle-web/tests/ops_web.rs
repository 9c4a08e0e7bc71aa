//! What a load balancer and an operator see: `/healthz`, `/readyz`, request ids and the
//! request log.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{CSRF, START, TOKEN, app_on, header, serve_with_options, until_closed};
use pmle_app::ManualClock;
use pmle_web::{LogFormat, Options, RequestLog};
use tokio::io::AsyncWriteExt;

/// One raw request (`head` without the blank line): (status, head, body).
async fn raw(addr: std::net::SocketAddr, head: &str) -> (u16, String, String) {
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(format!("{head}\r\nConnection: close\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let got = until_closed(&mut s, Duration::from_secs(10)).await.unwrap();
    let text = String::from_utf8_lossy(&got).into_owned();
    let (h, b) = text.split_once("\r\n\r\n").unwrap();
    let status = h.split_whitespace().nth(1).unwrap().parse().unwrap();
    (status, h.to_owned(), b.to_owned())
}

/// A log kept in memory.
#[derive(Clone, Default)]
struct Buf(Arc<Mutex<Vec<u8>>>);

impl Write for Buf {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Buf {
    fn lines(&self) -> Vec<String> {
        String::from_utf8(self.0.lock().unwrap().clone())
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect()
    }
}

/// A server with a token, over the SQLite file at `path`, logging JSON into the buffer.
async fn server(
    path: &std::path::Path,
    format: LogFormat,
) -> (std::net::SocketAddr, tokio::sync::oneshot::Sender<()>, Buf) {
    let clock = ManualClock::new(START);
    let buf = Buf::default();
    let mut o = Options::new(CSRF.to_owned(), Some(TOKEN.to_owned()));
    o.log = Some(Arc::new(RequestLog::new(
        format,
        Box::new(clock.clone()),
        Box::new(buf.clone()),
    )));
    o.request_id_prefix = "srvA".to_owned();
    let (addr, stop, _task) = serve_with_options(app_on(path, &clock), o).await;
    (addr, stop, buf)
}

#[tokio::test]
async fn probes_answer_without_the_token_and_say_nothing_about_the_learner() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.sqlite3");
    let (addr, _stop, _log) = server(&path, LogFormat::Json).await;

    let (status, head, body) = raw(addr, "GET /healthz HTTP/1.1\r\nHost: 10.0.0.5:7878").await;
    assert_eq!((status, body.as_str()), (200, "ok\n"));
    assert_eq!(
        header(&head, "set-cookie"),
        None,
        "no token cookie to a probe"
    );
    assert_eq!(header(&head, "cache-control"), Some("no-store"));

    let (status, head, body) = raw(addr, "GET /readyz HTTP/1.1\r\nHost: localhost").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(header(&head, "set-cookie"), None);
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        v,
        serde_json::json!({"database": "ok", "schema": pmle_store::SqliteStore::schema_version()})
    );

    // Only the probes: every other page still needs the token.
    let (status, _, _) = raw(addr, "GET / HTTP/1.1\r\nHost: localhost").await;
    assert_eq!(status, 401);
    let (status, _, _) = raw(addr, "GET /healthz/x HTTP/1.1\r\nHost: localhost").await;
    assert_eq!(status, 401);
    // The Host check still applies (DNS rebinding gets nothing, not even "ok").
    let (status, _, body) = raw(addr, "GET /healthz HTTP/1.1\r\nHost: evil.example").await;
    assert_eq!(status, 421);
    assert!(!body.contains("ok\n"));
    // A probe is a GET (HEAD too); nothing is posted to it.
    let (status, _, _) = raw(addr, "HEAD /readyz HTTP/1.1\r\nHost: localhost").await;
    assert_eq!(status, 200);
    let (status, _, _) = raw(
        addr,
        "POST /readyz HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0",
    )
    .await;
    assert_eq!(status, 405);
}

#[tokio::test]
async fn readyz_fails_when_a_newer_pmle_migrated_the_database_and_healthz_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.sqlite3");
    let (addr, _stop, log) = server(&path, LogFormat::Json).await;
    assert_eq!(
        raw(addr, "GET /readyz HTTP/1.1\r\nHost: localhost").await.0,
        200
    );
    rusqlite::Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let (status, _, body) = raw(addr, "GET /readyz HTTP/1.1\r\nHost: localhost").await;
    assert_eq!(status, 503, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["database"], "schema");
    assert_eq!(v["schema"], 99);
    assert_eq!(v["supported"], pmle_store::SqliteStore::schema_version());
    assert!(v["reason"].as_str().unwrap().contains("newer pmle"), "{v}");
    // Liveness does not ask the database.
    let (status, _, body) = raw(addr, "GET /healthz HTTP/1.1\r\nHost: localhost").await;
    assert_eq!((status, body.as_str()), (200, "ok\n"));
    let lines = log.lines();
    assert!(lines[1].contains("\"status\":503"), "{lines:?}");
}

#[tokio::test]
async fn every_request_is_one_json_line_with_its_id_and_no_query() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.sqlite3");
    let (addr, _stop, log) = server(&path, LogFormat::Json).await;

    // A valid id is echoed and logged.
    let (status, head, _) = raw(
        addr,
        "GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Request-Id: lb.7F3a_9-x",
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(header(&head, "x-request-id"), Some("lb.7F3a_9-x"));
    // The token in the query string is never logged; the refused request is logged too.
    let (status, head, _) = raw(
        addr,
        &format!("GET /progress?token={TOKEN}&x=1 HTTP/1.1\r\nHost: localhost"),
    )
    .await;
    assert_eq!(status, 200);
    let made = header(&head, "x-request-id").unwrap().to_owned();
    assert!(made.starts_with("srvA-"), "{made}");
    let (status, _, _) = raw(
        addr,
        "GET /settings?token=wrong HTTP/1.1\r\nHost: localhost",
    )
    .await;
    assert_eq!(status, 401);

    // Hostile ids are replaced, never echoed or logged.
    let long = "a".repeat(10 * 1024);
    let hostile = [
        long.as_str(),
        &"b".repeat(65),
        "c d",
        "e\"f{}",
        "g%0Ah",
        "h\tj",
    ];
    for bad in hostile {
        let (status, head, _) = raw(
            addr,
            &format!("GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Request-Id: {bad}"),
        )
        .await;
        assert_eq!(status, 200, "{bad:?}");
        let id = header(&head, "x-request-id").unwrap();
        assert!(id.starts_with("srvA-"), "{bad:?} became {id}");
    }
    // Two ids: neither is trusted.
    let (_, head, _) = raw(
        addr,
        "GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Request-Id: one\r\nX-Request-Id: two",
    )
    .await;
    assert!(header(&head, "x-request-id").unwrap().starts_with("srvA-"));

    let lines = log.lines();
    assert_eq!(
        lines.len(),
        3 + hostile.len() + 1,
        "one line a request: {lines:?}"
    );
    let all = lines.join("\n");
    assert!(!all.contains(TOKEN), "the token is never logged");
    assert!(
        !all.contains("wrong") && !all.contains("x=1"),
        "no query string"
    );
    assert!(!all.contains("aaaaaaaaaa") && !all.contains("bbbbbbbbbb"));
    assert!(!all.contains("c d") && !all.contains("e\\\"f") && !all.contains("%0A"));
    let mut ids = std::collections::BTreeSet::new();
    for (i, line) in lines.iter().enumerate() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let o = v.as_object().unwrap();
        let keys: Vec<&str> = o.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "duration_ms",
                "level",
                "method",
                "msg",
                "path",
                "request_id",
                "status",
                "time"
            ],
            "{line}"
        );
        assert_eq!(o["time"], "2026-11-18T11:06:40.000Z");
        assert_eq!(o["level"], "info");
        assert_eq!(o["method"], "GET");
        assert!(o["duration_ms"].as_u64().is_some(), "{line}");
        assert!(ids.insert(o["request_id"].as_str().unwrap().to_owned()));
        let path = o["path"].as_str().unwrap();
        match i {
            0 => assert_eq!(
                (path, &o["request_id"]),
                ("/healthz", &"lb.7F3a_9-x".into())
            ),
            1 => assert_eq!(
                (path, &o["status"], &o["request_id"]),
                ("/progress", &200.into(), &made.clone().into())
            ),
            2 => assert_eq!((path, &o["status"]), ("/settings", &401.into())),
            _ => assert_eq!(path, "/healthz"),
        }
    }
}

#[tokio::test]
async fn the_text_log_has_the_same_fields_on_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.sqlite3");
    let (addr, _stop, log) = server(&path, LogFormat::Text).await;
    raw(
        addr,
        &format!("GET /exam?token={TOKEN} HTTP/1.1\r\nHost: localhost\r\nX-Request-Id: t-1"),
    )
    .await;
    let lines = log.lines();
    assert_eq!(lines.len(), 1, "{lines:?}");
    let ms = lines[0]
        .strip_prefix(
            "2026-11-18T11:06:40.000Z INFO request id=t-1 method=GET path=/exam status=200 ms=",
        )
        .unwrap_or_else(|| panic!("{}", lines[0]));
    assert!(ms.parse::<u64>().is_ok(), "{ms}");
}
