//! Probes for a load balancer or an orchestrator: `/healthz` (the process answers) and
//! `/readyz` (its database answers and has exactly the schema this build writes).
//!
//! Both answer without the access token, since a load balancer does not carry the learner's
//! token, and never set its cookie; so they say nothing about any learner: `/healthz` is a
//! fixed body, `/readyz` the database's state, the schema number and a fixed reason. The
//! Host check still applies (IP addresses always pass, so probes by address work; a probe
//! that sends a name needs `--allow-host NAME`). `/healthz` touches no database and takes no
//! lock; `/readyz` asks the database on every call (one small query) and logs the cause of
//! a failure, which may name the database's host, only in the server's log.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::Shared;

/// The paths a load balancer probes: answered without the access token.
pub(crate) fn is_probe(path: &str) -> bool {
    matches!(path, "/healthz" | "/readyz")
}

/// Liveness: the process answers HTTP. No database, no lock.
pub(crate) async fn healthz() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        "ok\n",
    )
        .into_response()
}

fn json(status: StatusCode, v: &serde_json::Value) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        format!("{v}\n"),
    )
        .into_response()
}

/// Readiness: 200 `{"database":"ok","schema":N}` when the database answers and its schema
/// is the one this build writes; else 503 with a fixed reason.
pub(crate) async fn readyz(State(sh): State<Shared>) -> Response {
    let unavailable = |reason: &str| {
        json(
            StatusCode::SERVICE_UNAVAILABLE,
            &serde_json::json!({ "database": "unavailable", "reason": reason }),
        )
    };
    let version = {
        let Ok(app) = sh.app.lock() else {
            return unavailable("the server failed an earlier request and must be restarted");
        };
        app.schema_version()
    };
    match version {
        Ok(v) if v.is_current() => json(
            StatusCode::OK,
            &serde_json::json!({ "database": "ok", "schema": v.found }),
        ),
        Ok(v) if v.found > v.supported => json(
            StatusCode::SERVICE_UNAVAILABLE,
            &serde_json::json!({
                "database": "schema",
                "schema": v.found,
                "supported": v.supported,
                "reason": "the database was migrated by a newer pmle: upgrade this server",
            }),
        ),
        Ok(v) => json(
            StatusCode::SERVICE_UNAVAILABLE,
            &serde_json::json!({
                "database": "schema",
                "schema": v.found,
                "supported": v.supported,
                "reason": "migrations are pending: restart this server to run them",
            }),
        ),
        Err(e) => {
            if let Some(log) = &sh.log {
                log.event(
                    "error",
                    &format!("readyz: the database did not answer: {e}"),
                );
            }
            unavailable("the database did not answer")
        }
    }
}
