//! Hostile form bodies and query strings against every form and query handler: huge bodies,
//! malformed percent-encoding, repeated keys, bytes that are not UTF-8, wrong content types.
//! No input may panic the server; a form without this server's CSRF token gets a 4xx.
#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::http::{Request, header};
use common::CSRF;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use tower::ServiceExt;

const POSTS: &[&str] = &[
    "/practice/answer",
    "/cards/rate",
    "/settings",
    "/settings/exam-date",
    "/exam/start",
    "/exam/act",
    "/exam/submit",
    "/tools/metrics",
];

const GETS: &[&str] = &[
    "/search",
    "/practice",
    "/cards",
    "/exam/report/1",
    "/tools/product",
    "/tools/strategy",
    "/settings",
];

/// Form bodies an attacker might send.
fn hostile_body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        // Any bytes at all, UTF-8 or not.
        proptest::collection::vec(any::<u8>(), 0..2048),
        // Malformed percent-encoding, stray separators and pluses.
        "(%[0-9a-fA-F]?|%[g-zG-Z%]{1,2}|[a-z]{1,8}=|&|=|\\+|%C3|%FF|%00|[a-z0-9]{0,6}){0,64}"
            .prop_map(String::into_bytes),
        // The same keys many times over.
        (
            prop::sample::select(vec![
                "csrf", "choice", "card", "rating", "action", "q", "csv"
            ]),
            1usize..400
        )
            .prop_map(|(k, n)| format!("{k}=x&").repeat(n).into_bytes()),
        // Just over the size limit.
        (0usize..512).prop_map(|n| vec![b'a'; 64 * 1024 + 1 + n]),
    ]
}

/// Query strings an attacker might send.
fn hostile_query() -> impl Strategy<Value = String> {
    prop_oneof![
        "(%[0-9a-fA-F]?|%[g-z]{2}|[a-z]{1,8}=|&|=|\\+|%C3|%FF|%00|[a-z0-9]{0,6}){0,48}",
        (
            prop::sample::select(vec![
                "q", "section", "show", "rated", "in", "seed", "question"
            ]),
            1usize..100
        )
            .prop_map(|(k, n)| format!("{k}=%FF%FE&").repeat(n)),
    ]
}

fn content_type() -> impl Strategy<Value = Option<&'static str>> {
    prop::sample::select(vec![
        Some("application/x-www-form-urlencoded"),
        Some("application/x-www-form-urlencoded; charset=latin1"),
        Some("text/plain"),
        Some("multipart/form-data; boundary=x"),
        None,
    ])
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

async fn send(router: axum::Router, req: Request<Body>) -> (u16, Vec<u8>) {
    let res = router.oneshot(req).await.unwrap();
    let status = res.status().as_u16();
    let body = axum::body::to_bytes(res.into_body(), 4 << 20)
        .await
        .unwrap();
    (status, body.to_vec())
}

fn cases(n: u32) -> Config {
    Config {
        cases: n,
        failure_persistence: None,
        ..Config::default()
    }
}

#[test]
fn hostile_form_bodies_get_a_4xx_never_a_panic() {
    let rt = runtime();
    let router = pmle_web::router(common::app(), CSRF.to_owned(), None);
    // The harness reaches the handlers: a good form is accepted.
    let ok = Request::post("/settings")
        .header(header::HOST, "localhost")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("csrf={CSRF}&theme=dark")))
        .unwrap();
    let (status, _) = rt.block_on(send(router.clone(), ok));
    assert!(status < 400, "a good form: {status}");

    let strategy = (
        prop::sample::select(POSTS),
        hostile_body(),
        content_type(),
        any::<bool>(),
    );
    TestRunner::new(cases(300))
        .run(&strategy, |(path, body, ctype, lead_with_csrf)| {
            // With the CSRF token in front, the handler itself parses the rest.
            let mut bytes = if lead_with_csrf {
                format!("csrf={CSRF}&").into_bytes()
            } else {
                Vec::new()
            };
            bytes.extend_from_slice(&body);
            let too_big = bytes.len() > 64 * 1024;
            let mut req = Request::post(path).header(header::HOST, "localhost");
            if let Some(t) = ctype {
                req = req.header(header::CONTENT_TYPE, t);
            }
            let (status, page) =
                rt.block_on(send(router.clone(), req.body(Body::from(bytes)).unwrap()));
            prop_assert!(status < 500, "{path}: {status}");
            prop_assert!(!String::from_utf8_lossy(&page).contains("panicked"));
            // Without the token (a random body cannot guess it), always refused.
            if !lead_with_csrf || too_big {
                prop_assert!((400..500).contains(&status), "{path}: {status}");
            }
            if too_big {
                prop_assert_eq!(status, 413);
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn hostile_query_strings_never_panic() {
    let rt = runtime();
    let router = pmle_web::router(common::app(), CSRF.to_owned(), None);
    TestRunner::new(cases(200))
        .run(
            &(prop::sample::select(GETS), hostile_query()),
            |(path, query)| {
                let req = Request::get(format!("{path}?{query}"))
                    .header(header::HOST, "localhost")
                    .body(Body::empty());
                // A query the URI parser itself refuses never reaches the server.
                let Ok(req) = req else { return Ok(()) };
                let (status, _) = rt.block_on(send(router.clone(), req));
                prop_assert!(status < 500, "{path}?{query}: {status}");
                Ok(())
            },
        )
        .unwrap();
}
