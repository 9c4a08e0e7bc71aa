//! Request-level safety: bind policy, security headers, the access token, CSRF.

use std::net::SocketAddr;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::{Shared, WebError};

/// Loopback is always allowed; any other address needs a token.
pub fn check_bind(addr: SocketAddr, has_token: bool) -> Result<(), WebError> {
    if addr.ip().is_loopback() || has_token {
        Ok(())
    } else {
        Err(WebError::NotLoopback(addr))
    }
}

pub(crate) const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                              frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

/// Security headers on every response; with a token, every request must carry it (as
/// `?token=` once, then the cookie it sets).
pub(crate) async fn headers_and_token(
    State(s): State<Shared>,
    req: Request,
    next: Next,
) -> Response {
    if let Some(token) = &s.token {
        let in_query = req.uri().query().is_some_and(|q| {
            q.split('&')
                .any(|kv| kv.strip_prefix("token=").is_some_and(|t| csrf_ok(token, t)))
        });
        let in_cookie = req
            .headers()
            .get(header::COOKIE)
            .and_then(|c| c.to_str().ok())
            .is_some_and(|c| {
                c.split(';').any(|kv| {
                    kv.trim()
                        .strip_prefix("pmle_token=")
                        .is_some_and(|t| csrf_ok(token, t))
                })
            });
        if !in_query && !in_cookie {
            let mut res = crate::pages::error_page(
                StatusCode::UNAUTHORIZED,
                "This server needs its token",
                "pmle serve was started with --token. Open the address it printed, which \
                 carries the token once; this browser remembers it after that.",
            );
            secure(res.headers_mut());
            return res;
        }
    }
    let mut res = friendly(next.run(req).await);
    secure(res.headers_mut());
    if let Some(token) = &s.token
        && let Ok(v) = HeaderValue::from_str(&format!(
            "pmle_token={token}; HttpOnly; SameSite=Strict; Path=/"
        ))
    {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    res
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
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !(status.is_client_error() || status.is_server_error()) || is_html {
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

/// Constant-time comparison of a secret (the CSRF or access token) with what was sent.
pub(crate) fn csrf_ok(expected: &str, given: &str) -> bool {
    expected.len() == given.len()
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
    fn bind_policy() {
        assert!(check_bind("127.0.0.1:7878".parse().unwrap(), false).is_ok());
        assert!(check_bind("[::1]:7878".parse().unwrap(), false).is_ok());
        let err = check_bind("0.0.0.0:7878".parse().unwrap(), false).unwrap_err();
        assert!(err.to_string().contains("--token"));
        assert!(check_bind("0.0.0.0:7878".parse().unwrap(), true).is_ok());
    }

    #[test]
    fn csrf_comparison() {
        assert!(csrf_ok("abc", "abc"));
        assert!(!csrf_ok("abc", "abd"));
        assert!(!csrf_ok("abc", "ab"));
    }
}
