//! Attacks on the server over real loopback connections: a bad Host (DNS rebinding), empty
//! tokens, slow and idle connections, too many connections, oversized searches. Each test is
//! named after the attack it refuses.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::{
    CSRF, TOKEN, app, header, request, request_with, serve_with_options, serve_with_token, start,
    until_closed,
};
use tokio::io::AsyncWriteExt;

/// Options with short time limits, so the tests do not wait long.
fn quick(max_connections: usize) -> pmle_web::Options {
    let mut o = pmle_web::Options::new(CSRF.to_owned(), None);
    o.limits.header_read = Duration::from_millis(400);
    o.limits.body_read = Duration::from_millis(400);
    o.limits.max_connections = max_connections;
    o
}

/// One raw request (`head` without the blank line) on a new connection: (status, whole reply).
async fn raw(addr: std::net::SocketAddr, head: &str) -> (u16, String) {
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(format!("{head}\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let got = until_closed(&mut s, Duration::from_secs(10)).await.unwrap();
    let text = String::from_utf8_lossy(&got).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, text)
}

#[tokio::test]
async fn dns_rebinding_host_gets_421_and_no_backup() {
    let (addr, stop) = start().await;
    let (status, reply) = raw(
        addr,
        &format!(
            "GET /export/backup.json HTTP/1.1\r\nHost: evil.example:{}\r\nConnection: close",
            addr.port()
        ),
    )
    .await;
    assert_eq!(status, 421, "{reply}");
    assert!(
        !reply.contains("\"reviews\"") && !reply.contains("attachment"),
        "{reply}"
    );
    assert!(reply.contains("--allow-host"), "says what to do: {reply}");
    let head = reply.split("\r\n\r\n").next().unwrap();
    assert!(header(head, "content-security-policy").is_some(), "{head}");
    assert!(header(head, "x-frame-options").is_some(), "{head}");
    // A POST with the right CSRF token, from a rebinding page, changes nothing either.
    let (status, _) = raw(
        addr,
        &format!(
            "POST /settings HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\ncsrf={CSRF}&theme=dark",
            CSRF.len() + 16
        ),
    )
    .await;
    assert_eq!(status, 421);
    // An absolute URI naming another host is refused even with a good Host header.
    let (status, _) = raw(
        addr,
        "GET http://evil.example/ HTTP/1.1\r\nHost: localhost\r\nConnection: close",
    )
    .await;
    assert_eq!(status, 421);
    // Loopback names and addresses, with any port, are answered.
    for host in ["localhost", "127.0.0.1:1", "[::1]:7878", "LOCALHOST:9"] {
        let (status, reply) = raw(
            addr,
            &format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close"),
        )
        .await;
        assert_eq!(status, 200, "{host}: {reply}");
    }
    stop.send(()).unwrap();
}

#[tokio::test]
async fn a_request_without_host_is_refused() {
    let (addr, stop) = start().await;
    let (status, reply) = raw(addr, "GET /export/backup.json HTTP/1.0").await;
    assert_eq!(status, 400, "{reply}");
    assert!(reply.contains("Host"), "{reply}");
    let (status, _) = raw(
        addr,
        "GET / HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\nConnection: close",
    )
    .await;
    assert_ne!(status, 200, "two Host headers");
    stop.send(()).unwrap();
}

#[tokio::test]
async fn allow_host_names_are_answered() {
    let mut o = quick(16);
    o.hosts = pmle_web::AllowedHosts::new(&["pmle.lan".to_owned()]).unwrap();
    let (addr, stop, _) = serve_with_options(app(), o).await;
    let (status, _) = raw(
        addr,
        "GET / HTTP/1.1\r\nHost: pmle.lan:8080\r\nConnection: close",
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = raw(
        addr,
        "GET / HTTP/1.1\r\nHost: evil.lan\r\nConnection: close",
    )
    .await;
    assert_eq!(status, 421);
    stop.send(()).unwrap();
}

#[tokio::test]
async fn empty_access_token_is_refused() {
    // The library refuses to start with an empty or weak token.
    for bad in ["", "s3cret"] {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let err = pmle_web::serve(app(), listener, async {}, CSRF.to_owned(), Some(bad.into()))
            .await
            .unwrap_err();
        assert!(err.to_string().contains("leave out --token"), "{err}");
    }
    // On a server with a token, an empty `?token=` or cookie opens nothing.
    let (addr, stop) = serve_with_token(app(), Some(TOKEN)).await;
    for (path, extra) in [
        ("/export/backup.json?token=", ""),
        ("/export/backup.json?token", ""),
        ("/export/backup.json", "Cookie: pmle_token=\r\n"),
        (
            "/export/backup.json",
            "Cookie: pmle_token=; pmle_token=\r\n",
        ),
    ] {
        let (status, head, body) = request_with(addr, "GET", path, extra, "").await;
        assert_eq!(status, 401, "{path} {extra}: {head}");
        assert!(!body.contains("\"reviews\""));
    }
    let (status, _, _) = request(
        addr,
        "GET",
        &format!("/export/backup.json?token={TOKEN}"),
        "",
    )
    .await;
    assert_eq!(status, 200);
    stop.send(()).unwrap();
}

#[tokio::test]
async fn a_token_with_ampersand_hash_and_space_works_in_the_url_and_cookie() {
    let token = "k9#F &x!2Lp@7q*Z+w$M;,";
    let (addr, stop) = serve_with_token(app(), Some(token)).await;
    let encoded: String = form_urlencoded::byte_serialize(token.as_bytes()).collect();
    let (status, head, _) = request(addr, "GET", &format!("/?token={encoded}"), "").await;
    assert_eq!(status, 200, "{head}");
    let cookie = header(&head, "set-cookie").unwrap();
    let value = cookie
        .strip_prefix("pmle_token=")
        .unwrap()
        .split(';')
        .next()
        .unwrap();
    let (status, _, _) = request_with(
        addr,
        "GET",
        "/exam",
        &format!("Cookie: pmle_token={value}\r\n"),
        "",
    )
    .await;
    assert_eq!(status, 200, "the cookie it set lets the browser in");
    stop.send(()).unwrap();
}

#[tokio::test]
async fn slowloris_connections_are_closed_after_the_header_timeout() {
    let (addr, stop, _) = serve_with_options(app(), quick(64)).await;
    let mut slow = Vec::new();
    for _ in 0..10 {
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        s.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-a: ")
            .await
            .unwrap();
        slow.push(s);
    }
    for s in &mut slow {
        // Closed well within 5 s (the timeout is 0.4 s); on a server without one, never.
        let got = until_closed(s, Duration::from_secs(5)).await;
        assert!(got.is_some(), "a slow header kept its connection open");
    }
    // The server still answers.
    let (status, _, _) = request(addr, "GET", "/", "").await;
    assert_eq!(status, 200);
    stop.send(()).unwrap();
}

#[tokio::test]
async fn idle_keep_alive_connections_are_closed() {
    let (addr, stop, _) = serve_with_options(app(), quick(64)).await;
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(b"GET /static/icon.svg HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .unwrap();
    // The response comes, then the connection stays idle until the server closes it.
    let got = until_closed(&mut s, Duration::from_secs(5)).await.unwrap();
    assert!(String::from_utf8_lossy(&got).starts_with("HTTP/1.1 200"));
    // A connection that never sends a byte is closed too.
    let mut silent = tokio::net::TcpStream::connect(addr).await.unwrap();
    assert!(
        until_closed(&mut silent, Duration::from_secs(5))
            .await
            .is_some()
    );
    stop.send(()).unwrap();
}

#[tokio::test]
async fn slow_body_gets_408() {
    let (addr, stop, _) = serve_with_options(app(), quick(64)).await;
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(
        b"POST /settings HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ncsrf=",
    )
    .await
    .unwrap();
    let got = until_closed(&mut s, Duration::from_secs(5)).await.unwrap();
    let text = String::from_utf8_lossy(&got);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    stop.send(()).unwrap();
}

#[tokio::test]
async fn with_the_connection_cap_reached_a_fresh_request_is_served() {
    // Long header timeout: the idle connections are not reaped by time during the test.
    let mut o = quick(4);
    o.limits.header_read = Duration::from_secs(30);
    let (addr, stop, _) = serve_with_options(app(), o).await;
    let mut idle = Vec::new();
    for _ in 0..12 {
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        s.write_all(b"GET / HTTP/1.1\r\nHost: loc").await.unwrap();
        idle.push(s);
    }
    // A normal request is served although 12 idle connections were opened against a cap of 4.
    let served = tokio::time::timeout(Duration::from_secs(10), request(addr, "GET", "/", "")).await;
    assert_eq!(served.unwrap().0, 200);
    // Only the cap's worth of them can still be open: the others were closed to make room.
    let mut open = 0;
    for s in &mut idle {
        if until_closed(s, Duration::from_millis(200)).await.is_none() {
            open += 1;
        }
    }
    assert!(open <= 4, "{open} idle connections still open, cap 4");
    stop.send(()).unwrap();
}

#[tokio::test]
async fn shutdown_is_not_held_up_by_idle_or_slow_connections() {
    let mut o = quick(8);
    o.limits.header_read = Duration::from_secs(30);
    let (addr, stop, task) = serve_with_options(app(), o).await;
    let mut idle = tokio::net::TcpStream::connect(addr).await.unwrap();
    let mut slow = tokio::net::TcpStream::connect(addr).await.unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\nHost: loc")
        .await
        .unwrap();
    let (status, _, _) = request(addr, "GET", "/", "").await;
    assert_eq!(status, 200);
    tokio::time::sleep(Duration::from_millis(100)).await;
    stop.send(()).unwrap();
    // Well before the 30 s header timeout: idle and slow clients do not hold shutdown up.
    let done = tokio::time::timeout(Duration::from_secs(5), task).await;
    assert!(matches!(done, Ok(Ok(Ok(())))), "{done:?}");
    for s in [&mut idle, &mut slow] {
        assert!(until_closed(s, Duration::from_secs(5)).await.is_some());
    }
}

#[tokio::test]
async fn search_query_too_long_is_refused() {
    let (addr, stop) = start().await;
    let long = "a".repeat(201);
    let (status, _, body) = request(addr, "GET", &format!("/search?q={long}"), "").await;
    assert_eq!(status, 400);
    assert!(body.contains("at most 200 characters"), "{body}");
    let many = vec!["ml"; 33].join("+");
    let (status, _, _) = request(addr, "GET", &format!("/search?q={many}"), "").await;
    assert_eq!(status, 400);
    let (status, _, _) = request(addr, "GET", &format!("/search?q={}", "a".repeat(200)), "").await;
    assert_eq!(status, 200, "200 characters are fine");
    let ok = vec!["ml"; 32].join("+");
    let (status, _, _) = request(addr, "GET", &format!("/search?q={ok}"), "").await;
    assert_eq!(status, 200, "32 words are fine");
    stop.send(()).unwrap();
}

#[tokio::test]
async fn slow_body_connections_at_the_cap_make_room_for_a_fresh_request() {
    // Connections that sent a whole head and then trickle their body are not busy: at the
    // cap they are closed to make room, so they cannot hold every slot.
    let mut o = quick(2);
    o.limits.header_read = Duration::from_secs(30);
    o.limits.body_read = Duration::from_secs(30);
    let (addr, stop, _) = serve_with_options(app(), o).await;
    let mut slow = Vec::new();
    for _ in 0..2 {
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        s.write_all(
            b"POST /settings HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\ncsrf=",
        )
        .await
        .unwrap();
        slow.push(s);
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let served = tokio::time::timeout(Duration::from_secs(10), request(addr, "GET", "/", "")).await;
    assert_eq!(served.unwrap().0, 200);
    stop.send(()).unwrap();
}
