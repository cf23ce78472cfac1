//! Whether the database answers, watched in the background, so that while it
//! is down every request that needs it is answered 503 at once instead of
//! waiting for the driver to give up on it.
//!
//! It goes down when a request is answered 503 because the database could
//! not be reached (a request already running when it went away fails at once
//! on its broken connection, or within the driver's server selection timeout,
//! [`super::RUNTIME_SELECTION_TIMEOUT`]), or when the watcher's ping, every
//! [`INTERVAL_UP`], fails to reach it. While it is down the watcher pings
//! every [`INTERVAL_DOWN`]; the first answer brings it back up. A ping that
//! is merely slow (a busy pool) changes nothing: only "unreachable" counts.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, RETRY_AFTER};
use axum::http::{HeaderValue, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use mongodb::Database;

use crate::error::AppError;

pub const INTERVAL_UP: Duration = Duration::from_millis(500);
pub const INTERVAL_DOWN: Duration = Duration::from_millis(100);
pub const PING_TIMEOUT: Duration = Duration::from_secs(2);

/// The database's last known state; cloning shares it.
#[derive(Clone, Debug)]
pub struct Health {
    up: Arc<AtomicBool>,
}

impl Health {
    /// Starts watching `db` until the last copy of this `Health` (the
    /// router's) is dropped; it counts as up until a ping says otherwise.
    pub fn watch(db: Database) -> Health {
        let health = Health { up: Arc::new(AtomicBool::new(true)) };
        let watched = Arc::downgrade(&health.up);
        tokio::spawn(async move {
            while let Some(up) = watched.upgrade() {
                match tokio::time::timeout(PING_TIMEOUT, super::ping(&db)).await {
                    Ok(Ok(())) if !up.swap(true, Ordering::Relaxed) => {
                        tracing::info!(target: "database", event = "database_up", "the database answers again");
                    }
                    Ok(Err(e)) if unreachable(&e) => mark_down(&up),
                    // Slow or another failure: the requests themselves tell.
                    _ => {}
                }
                let interval = if up.load(Ordering::Relaxed) { INTERVAL_UP } else { INTERVAL_DOWN };
                // Not held while asleep, so a dropped router ends its watcher.
                drop(up);
                tokio::time::sleep(interval).await;
            }
        });
        health
    }

    pub fn is_up(&self) -> bool {
        self.up.load(Ordering::Relaxed)
    }
}

fn mark_down(up: &AtomicBool) {
    if up.swap(false, Ordering::Relaxed) {
        tracing::warn!(target: "database", event = "database_down", "the database cannot be reached; answering 503 until it answers again");
    }
}

/// Whether `e` says the database cannot be reached (as opposed to refusing a
/// command); such errors are answered 503 ([`AppError::Unavailable`]).
pub fn unreachable(e: &mongodb::error::Error) -> bool {
    use mongodb::error::ErrorKind;
    matches!(*e.kind, ErrorKind::ServerSelection { .. } | ErrorKind::Io(_) | ErrorKind::ConnectionPoolCleared { .. })
}

/// Whether a request can be answered without the database: liveness and
/// readiness probes, and static files (the wasm bundle, styles, media).
fn needs_database(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or_default();
    !(path == "/healthz" || path == "/readyz" || path.starts_with("/pkg/") || file.contains('.'))
}

/// Answers 503 at once, with `Retry-After`, while the database is down; a
/// request answered 503 (only an unreachable database does that) marks it down.
pub async fn refuse_while_down(State(health): State<Health>, request: Request<Body>, next: Next) -> Response {
    if !needs_database(request.uri().path()) {
        return next.run(request).await;
    }
    if health.is_up() {
        let response = next.run(request).await;
        if response.status() == StatusCode::SERVICE_UNAVAILABLE {
            mark_down(&health.up);
        }
        return response;
    }
    let message = AppError::Unavailable.to_string();
    let mut response = if request.uri().path().starts_with("/api/") {
        // The shape server functions use for their errors.
        let body = serde_json::to_string(&AppError::Unavailable).unwrap_or_default();
        (StatusCode::SERVICE_UNAVAILABLE, [(CONTENT_TYPE, "application/json")], body).into_response()
    } else {
        let page = format!(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
             content=\"width=device-width, initial-scale=1\"><meta http-equiv=\"refresh\" content=\"5\">\
             <title>Foothold is unavailable</title></head><body style=\"background:#0d1117;color:#e6edf3;\
             font-family:system-ui,sans-serif;padding:2rem\"><main><h1 style=\"color:#00ff41\">Back in a moment</h1>\
             <p>{message}</p><p>This page reloads by itself.</p></main></body></html>"
        );
        (StatusCode::SERVICE_UNAVAILABLE, [(CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response()
    };
    let headers = response.headers_mut();
    headers.insert(RETRY_AFTER, HeaderValue::from_static("5"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    use super::needs_database;

    #[test]
    fn static_files_and_probes_do_not_need_the_database() {
        for path in ["/healthz", "/readyz", "/pkg/foothold.wasm", "/media/intro.webm", "/favicon.ico"] {
            assert!(!needs_database(path), "{path}");
        }
        for path in ["/", "/catalog", "/modules/6b075e5b7b44bec56fee2755", "/api/learn/heartbeat", "/u/ada"] {
            assert!(needs_database(path), "{path}");
        }
    }
}
