//! Request ids and the request log: one line per request, as text or as JSON.
//!
//! Every response carries `X-Request-Id`: the request's own when it is 1 to 64 characters
//! of `[A-Za-z0-9._-]` (a load balancer's, so one id follows the request through both
//! logs), else one made here (this server's prefix and a counter). Anything else in the
//! header (a newline, quotes, 10 KB) is replaced, never echoed or logged. With a log
//! ([`RequestLog`], `pmle serve --log-format text|json`), each request writes one line:
//! time (UTC, RFC 3339, from the clock it was given), level, request id, method, path
//! without the query string (an access token may be in it), status and duration in ms.

use std::io::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use pmle_app::Clock;

use crate::Shared;

/// The header that carries a request's id, in and out.
pub const REQUEST_ID: &str = "x-request-id";

/// The longest path written to the log; a longer one is cut.
const MAX_LOGGED_PATH: usize = 512;

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// `2026-12-03T19:47:30.123Z INFO request id=… method=GET path=/exam status=200 ms=3`
    Text,
    /// One JSON object a line: `time`, `level`, `msg`, `request_id`, `method`, `path`,
    /// `status`, `duration_ms`.
    Json,
}

/// Where and how the server logs: one line per request.
pub struct RequestLog {
    format: LogFormat,
    clock: Box<dyn Clock>,
    out: Mutex<Box<dyn Write + Send>>,
}

impl std::fmt::Debug for RequestLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestLog")
            .field("format", &self.format)
            .finish_non_exhaustive()
    }
}

impl RequestLog {
    /// Log in `format` to `out`, stamping lines with `clock`'s time.
    pub fn new(format: LogFormat, clock: Box<dyn Clock>, out: Box<dyn Write + Send>) -> Self {
        RequestLog {
            format,
            clock,
            out: Mutex::new(out),
        }
    }

    fn time(&self) -> String {
        let now = self.clock.now();
        let ms = now.unix_timestamp_nanos() / 1_000_000;
        let t = now.replace_nanosecond(0).unwrap_or(now);
        let base = t
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default();
        // `…:30Z` with milliseconds: `…:30.123Z`.
        match base.strip_suffix('Z') {
            Some(b) => format!("{b}.{:03}Z", ms.rem_euclid(1000)),
            None => base,
        }
    }

    fn write(&self, line: &str) {
        if let Ok(mut out) = self.out.lock() {
            // A log that cannot be written must not fail the request.
            let _ = out.write_all(line.as_bytes());
            let _ = out.flush();
        }
    }

    /// The line of one request.
    pub(crate) fn request(
        &self,
        id: &str,
        method: &Method,
        path: &str,
        status: StatusCode,
        ms: u128,
    ) {
        let level = if status.is_server_error() {
            "error"
        } else {
            "info"
        };
        let path = cut(path);
        let line = match self.format {
            LogFormat::Json => format!(
                "{}\n",
                serde_json::json!({
                    "time": self.time(),
                    "level": level,
                    "msg": "request",
                    "request_id": id,
                    "method": method.as_str(),
                    "path": path,
                    "status": status.as_u16(),
                    "duration_ms": ms,
                })
            ),
            LogFormat::Text => format!(
                "{} {} request id={id} method={} path={} status={} ms={ms}\n",
                self.time(),
                level.to_uppercase(),
                method.as_str(),
                escape_text(path, true),
                status.as_u16()
            ),
        };
        self.write(&line);
    }

    /// A line about the server itself (a probe's failure).
    pub(crate) fn event(&self, level: &str, message: &str) {
        let line = match self.format {
            LogFormat::Json => format!(
                "{}\n",
                serde_json::json!({ "time": self.time(), "level": level, "msg": message })
            ),
            LogFormat::Text => format!(
                "{} {} {}\n",
                self.time(),
                level.to_uppercase(),
                escape_text(message, false)
            ),
        };
        self.write(&line);
    }
}

/// A path of at most [`MAX_LOGGED_PATH`] bytes, cut at a character boundary.
fn cut(path: &str) -> &str {
    if path.len() <= MAX_LOGGED_PATH {
        return path;
    }
    let mut end = MAX_LOGGED_PATH;
    while !path.is_char_boundary(end) {
        end -= 1;
    }
    &path[..end]
}

/// Text-format values on one line: control characters escaped, and spaces too when the
/// value is one field among others.
fn escape_text(s: &str, spaces: bool) -> String {
    s.chars()
        .flat_map(|c| {
            if spaces && c == ' ' {
                c.escape_unicode().collect::<Vec<_>>()
            } else if c.is_control() {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect()
}

/// Ids for requests that bring no valid one: this server's prefix and a counter.
#[derive(Debug)]
pub(crate) struct RequestIds {
    prefix: String,
    next: AtomicU64,
}

impl RequestIds {
    /// `prefix` is kept to its first 40 valid characters (ids stay within 64).
    pub(crate) fn new(prefix: &str) -> RequestIds {
        let prefix: String = prefix.chars().filter(|&c| valid_char(c)).take(40).collect();
        RequestIds {
            prefix: if prefix.is_empty() {
                "pmle".to_owned()
            } else {
                prefix
            },
            next: AtomicU64::new(1),
        }
    }

    fn make(&self) -> String {
        format!(
            "{}-{}",
            self.prefix,
            self.next.fetch_add(1, Ordering::Relaxed)
        )
    }
}

fn valid_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')
}

/// A request id as a client may send it: 1 to 64 of `[A-Za-z0-9._-]`.
pub(crate) fn valid_id(v: &[u8]) -> bool {
    (1..=64).contains(&v.len()) && v.iter().all(|&b| valid_char(char::from(b)))
}

/// The outermost layer: the request id in and out, and the log line.
pub(crate) async fn layer(State(s): State<Shared>, req: Request, next: Next) -> Response {
    let started = std::time::Instant::now();
    let mut given = req.headers().get_all(REQUEST_ID).iter();
    let id = match (given.next(), given.next()) {
        (Some(v), None) if valid_id(v.as_bytes()) => v.to_str().unwrap_or_default().to_owned(),
        _ => s.ids.make(),
    };
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let mut res = next.run(req).await;
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert(REQUEST_ID, v);
    }
    if let Some(log) = &s.log {
        log.request(
            &id,
            &method,
            &path,
            res.status(),
            started.elapsed().as_millis(),
        );
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Default)]
    struct Buf(std::sync::Arc<Mutex<Vec<u8>>>);

    impl Write for Buf {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn log(format: LogFormat) -> (RequestLog, Buf) {
        let buf = Buf::default();
        let clock = pmle_app::ManualClock::new(1_795_000_000_123);
        (
            RequestLog::new(format, Box::new(clock), Box::new(buf.clone())),
            buf,
        )
    }

    fn text(b: &Buf) -> String {
        String::from_utf8(b.0.lock().unwrap().clone()).unwrap()
    }

    #[test]
    fn ids_are_checked() {
        assert!(valid_id(b"abc-123_X.y"));
        assert!(valid_id(&[b'a'; 64]));
        assert!(!valid_id(&[b'a'; 65]));
        assert!(!valid_id(b""));
        assert!(!valid_id(b"a b"));
        assert!(!valid_id(b"a\nb"));
        assert!(!valid_id("é".as_bytes()));
        assert!(!valid_id(b"a\"b"));
    }

    #[test]
    fn made_ids_are_valid_and_distinct() {
        let ids = RequestIds::new(&format!("srv 1\n{}", "x".repeat(100)));
        let (a, b) = (ids.make(), ids.make());
        assert_ne!(a, b);
        assert!(valid_id(a.as_bytes()), "{a}");
        assert!(a.starts_with("srv1xxx"), "{a}");
        assert!(valid_id(RequestIds::new("").make().as_bytes()));
    }

    #[test]
    fn a_json_line_has_every_field() {
        let (l, buf) = log(LogFormat::Json);
        l.request("r-1", &Method::POST, "/exam/act", StatusCode::SEE_OTHER, 7);
        let out = text(&buf);
        assert_eq!(out.lines().count(), 1);
        let v: serde_json::Value = serde_json::from_str(out.trim_end()).unwrap();
        assert_eq!(
            v,
            serde_json::json!({
                "time": "2026-11-18T11:06:40.123Z",
                "level": "info",
                "msg": "request",
                "request_id": "r-1",
                "method": "POST",
                "path": "/exam/act",
                "status": 303,
                "duration_ms": 7,
            })
        );
    }

    #[test]
    fn a_text_line_is_one_line() {
        let (l, buf) = log(LogFormat::Text);
        l.request("r-2", &Method::GET, "/a b\nc", StatusCode::BAD_GATEWAY, 12);
        l.event("error", "two\nlines, spaced");
        assert_eq!(
            text(&buf),
            "2026-11-18T11:06:40.123Z ERROR request id=r-2 method=GET path=/a\\u{20}b\\nc status=502 ms=12\n\
             2026-11-18T11:06:40.123Z ERROR two\\nlines, spaced\n"
        );
    }

    #[test]
    fn long_paths_are_cut_at_a_character() {
        let p = format!("/{}", "é".repeat(600));
        let c = cut(&p);
        assert!(c.len() <= MAX_LOGGED_PATH && p.starts_with(c));
    }
}
