//! Request-level safety: the Host check, the access token, the body deadline, security
//! headers, CSRF. Who may connect at all is in [`crate::access`].

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::Shared;

/// The largest request body accepted.
pub(crate) const BODY_LIMIT: usize = 64 * 1024;

pub(crate) const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                              frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

/// Every request passes here first: a Host this server answers to, then (with a token, except
/// for the load balancer's probes) the token as `?token=` once or the cookie it sets, then the whole body within the body
/// deadline. Every response, a refusal included, carries the security headers.
pub(crate) async fn guard(State(s): State<Shared>, req: Request, next: Next) -> Response {
    // A load balancer's probes carry no token, and must not be handed its cookie.
    let probe = crate::probes::is_probe(req.uri().path());
    let (mut res, admitted) = match admit(&s, req, probe).await {
        Ok(req) => {
            // Whole and admitted: from now on its connection is not closed to make room.
            let _busy = req
                .extensions()
                .get::<crate::connections::Connection>()
                .map(crate::connections::Connection::busy);
            (friendly(next.run(req).await), true)
        }
        Err(refusal) => (refusal, false),
    };
    secure(res.headers_mut());
    if let Some(token) = &s.token
        && admitted
        && !probe
        && let Ok(v) = HeaderValue::from_str(&format!(
            "pmle_token={}; HttpOnly; SameSite=Strict; Path=/",
            cookie_value(token)
        ))
    {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    res
}

/// The request with its body read, or the page that refuses it. A `probe` (`/healthz`,
/// `/readyz`) needs no token.
async fn admit(s: &Shared, req: Request, probe: bool) -> Result<Request, Response> {
    if let Some(refusal) = misdirected(s, &req) {
        return Err(refusal);
    }
    if let Some(token) = &s.token
        && !probe
        && !token_ok(token, &req)
    {
        return Err(crate::pages::error_page(
            StatusCode::UNAUTHORIZED,
            "This server needs its token",
            "This pmle serve needs its access token. Open the address it printed, which \
             carries the token once; this browser remembers it after that.",
        ));
    }
    let (parts, body) = req.into_parts();
    let read = tokio::time::timeout(s.limits.body_read, axum::body::to_bytes(body, BODY_LIMIT));
    match read.await {
        Ok(Ok(bytes)) => Ok(Request::from_parts(parts, Body::from(bytes))),
        Ok(Err(e)) if is_too_large(&e) => Err(too_large()),
        Ok(Err(_)) => Err(crate::pages::error_page(
            StatusCode::BAD_REQUEST,
            "That did not work",
            "The request could not be read. Go back and try again.",
        )),
        Err(_) => Err(crate::pages::error_page(
            StatusCode::REQUEST_TIMEOUT,
            "Too slow",
            "The form took too long to arrive. Go back and send it again.",
        )),
    }
}

fn is_too_large(e: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = source {
        if err.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = err.source();
    }
    false
}

fn too_large() -> Response {
    crate::pages::error_page(
        StatusCode::PAYLOAD_TOO_LARGE,
        "That did not work",
        "That was more than this server accepts (64 KiB).",
    )
}

/// Refuse a request whose Host (or absolute URI) names a host this server was not started
/// for: a page on another site that got its name pointed at 127.0.0.1 (DNS rebinding) must
/// not read or change anything. A request without a Host header is refused too (HTTP/1.1
/// requires one, and every browser sends it). `None` when the request may go on.
fn misdirected(s: &Shared, req: &Request) -> Option<Response> {
    let mut hosts = req.headers().get_all(header::HOST).iter();
    let host = match (hosts.next(), hosts.next()) {
        (Some(h), None) => h.to_str().ok(),
        (None, _) => {
            return Some(crate::pages::error_page(
                StatusCode::BAD_REQUEST,
                "No Host header",
                "The request did not say which host it is for. Use a browser, or send a Host \
                 header such as `Host: localhost`.",
            ));
        }
        (Some(_), Some(_)) => None,
    };
    let uri_host_ok = req
        .uri()
        .authority()
        .is_none_or(|a| s.hosts.allows(a.as_str()));
    if host.is_some_and(|h| s.hosts.allows(h)) && uri_host_ok {
        return None;
    }
    Some(crate::pages::error_page(
        StatusCode::MISDIRECTED_REQUEST,
        "Not this address",
        "This server answers only to localhost and IP addresses, so that other web sites \
         cannot reach it through a name of their own. Open the address `pmle serve` printed, \
         or, to use another name for this machine, restart it with `--allow-host NAME`.",
    ))
}

/// Whether the request carries `token`: decoded from `?token=`, or the cookie.
fn token_ok(token: &str, req: &Request) -> bool {
    let in_query = req.uri().query().is_some_and(|q| {
        form_urlencoded::parse(q.as_bytes()).any(|(k, v)| k == "token" && csrf_ok(token, &v))
    });
    let expected = cookie_value(token);
    let in_cookie = req
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|c| c.to_str().ok())
        .any(|c| {
            c.split(';').any(|kv| {
                kv.trim()
                    .strip_prefix("pmle_token=")
                    .is_some_and(|t| csrf_ok(&expected, t))
            })
        });
    in_query || in_cookie
}

/// The token as a cookie value and in a URL: percent-encoded, so `;`, `&`, `#` and spaces
/// survive.
pub(crate) fn cookie_value(token: &str) -> String {
    form_urlencoded::byte_serialize(token.as_bytes()).collect()
}

/// The headers every response carries, a refusal included.
fn secure(h: &mut axum::http::HeaderMap) {
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
}

/// Replace axum's plain-text rejections (a bad path, a body too large, a form that is not a
/// form) with the same friendly page as every other error.
fn friendly(res: Response) -> Response {
    let status = res.status();
    // Our own pages and the probes' JSON stay as they are.
    let ours = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html") || v == "application/json");
    if !(status.is_client_error() || status.is_server_error()) || ours {
        return res;
    }
    let message = match status {
        StatusCode::PAYLOAD_TOO_LARGE => "That was more than this server accepts (64 KiB).",
        StatusCode::METHOD_NOT_ALLOWED => "That page cannot be used this way; follow a link.",
        _ => "The request could not be read. Go back and try again.",
    };
    crate::pages::error_page(status, "That did not work", message)
}

/// The refusal page for a form without this server's CSRF token, or `None` when it is valid.
pub(crate) fn expired(
    form: &std::collections::HashMap<String, String>,
    s: &Shared,
    page: &str,
) -> Option<Response> {
    if form.get("csrf").is_some_and(|t| csrf_ok(&s.csrf, t)) {
        return None;
    }
    Some(crate::pages::error_page(
        StatusCode::FORBIDDEN,
        "Form expired",
        &format!("Reload the {page} page and try again."),
    ))
}

/// Constant-time comparison of a secret (the CSRF or access token) with what was sent. An
/// empty value never matches, even an empty secret.
pub(crate) fn csrf_ok(expected: &str, given: &str) -> bool {
    !given.is_empty()
        && expected.len() == given.len()
        && expected
            .bytes()
            .zip(given.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csrf_comparison() {
        assert!(csrf_ok("abc", "abc"));
        assert!(!csrf_ok("abc", "abd"));
        assert!(!csrf_ok("abc", "ab"));
    }

    #[test]
    fn empty_access_token_never_matches() {
        assert!(!csrf_ok("", ""), "an empty secret and an empty value");
        assert!(!csrf_ok("abc", ""));
    }
}
