//! Embedded static files: the stylesheet, the small keyboard-and-timer script, htmx, and the
//! theme override. Everything ships inside the binary so the UI works offline.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use pmle_app::Theme;

use crate::Shared;

/// htmx 2.0.11 (Zero-Clause BSD), vendored from npm's `htmx.org` package.
const HTMX: &str = include_str!("../assets/vendor/htmx-2.0.11.min.js");

fn text(kind: &'static str, body: &'static str, cache: &'static str) -> Response {
    (
        [(header::CONTENT_TYPE, kind), (header::CACHE_CONTROL, cache)],
        body,
    )
        .into_response()
}

pub(crate) async fn css() -> Response {
    text(
        "text/css; charset=utf-8",
        include_str!("../assets/app.css"),
        "max-age=300",
    )
}

pub(crate) async fn js() -> Response {
    text(
        "text/javascript; charset=utf-8",
        include_str!("../assets/app.js"),
        "max-age=300",
    )
}

pub(crate) async fn htmx() -> Response {
    text(
        "text/javascript; charset=utf-8",
        HTMX,
        "public, max-age=86400, immutable",
    )
}

pub(crate) async fn icon() -> Response {
    text(
        "image/svg+xml",
        include_str!("../assets/icon.svg"),
        "public, max-age=86400",
    )
}

/// Colours forced by the theme setting; empty when following the system.
pub(crate) fn theme_css(theme: Theme) -> &'static str {
    match theme {
        Theme::System => "",
        Theme::Light => {
            ":root { color-scheme: light; --fg: #1b1f24; --bg: #ffffff; --muted: #57606a; --accent: #0b57d0; --ok: #1a7f37; --bad: #b3261e; --warn: #9a6700; --line: #d0d7de; }\n"
        }
        Theme::Dark => {
            ":root { color-scheme: dark; --fg: #e6edf3; --bg: #0d1117; --muted: #9198a1; --accent: #7cacf8; --ok: #56d364; --bad: #ff7b72; --warn: #d29922; --line: #30363d; }\n"
        }
    }
}

/// The learner's theme; in team mode before log-in (no session), the system's.
pub(crate) async fn theme(
    State(s): State<Shared>,
    user: Option<axum::Extension<crate::team::UserShared>>,
) -> Response {
    let s = match user {
        Some(u) => u.0.0,
        None if s.team.is_some() => {
            return text(
                "text/css; charset=utf-8",
                theme_css(Theme::System),
                "no-cache",
            );
        }
        None => s,
    };
    let theme = s
        .app
        .lock()
        .ok()
        .and_then(|a| a.settings().ok())
        .map_or(Theme::System, |st| st.theme);
    text("text/css; charset=utf-8", theme_css(theme), "no-cache")
}
