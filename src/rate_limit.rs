//! Per-IP rate limiting of the sign-in, sign-up and other account endpoints,
//! so one client cannot try passwords (or create accounts) at speed. The
//! account lockout protects one account; this protects all of them.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderValue, Method, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The window the limit counts in (`FOOTHOLD_AUTH_RATE_LIMIT` requests per window).
pub const WINDOW: Duration = Duration::from_secs(60);

/// Fixed-window counters per client address, in this process.
#[derive(Debug, Clone)]
pub struct RateLimiter {
    limit: u32,
    windows: Arc<Mutex<HashMap<IpAddr, (Instant, u32)>>>,
}

impl RateLimiter {
    /// A limiter allowing `limit` account requests per address per [`WINDOW`].
    pub fn new(limit: u32) -> RateLimiter {
        RateLimiter { limit, windows: Arc::default() }
    }

    /// Counts one request from `ip` at `now`; `Err(wait)` when over the limit.
    pub fn check(&self, ip: IpAddr, now: Instant) -> Result<(), Duration> {
        let mut windows = self.windows.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if windows.len() > 10_000 {
            windows.retain(|_, (start, _)| now.duration_since(*start) < WINDOW);
        }
        let (start, count) = windows.entry(ip).or_insert((now, 0));
        if now.duration_since(*start) >= WINDOW {
            *start = now;
            *count = 0;
        }
        *count += 1;
        if *count > self.limit { Err(WINDOW.saturating_sub(now.duration_since(*start))) } else { Ok(()) }
    }
}

/// Whether a request is one of the limited account actions (reading who is
/// signed in is not: the header asks on every navigation).
fn is_limited(request: &Request<Body>) -> bool {
    request.method() == Method::POST
        && request.uri().path().starts_with("/api/auth/")
        && request.uri().path() != "/api/auth/me"
}

pub async fn limit_account_requests(
    State(limiter): State<RateLimiter>,
    request: Request<Body>,
    next: Next,
) -> Response {
    if is_limited(&request) {
        let ip = request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip())
            .unwrap_or(IpAddr::from([0, 0, 0, 0]));
        if let Err(wait) = limiter.check(ip, Instant::now()) {
            tracing::warn!(target: "security", event = "rate_limited", %ip, path = %request.uri().path());
            let seconds = wait.as_secs().max(1);
            let mut response = (
                StatusCode::TOO_MANY_REQUESTS,
                format!("Too many attempts from your network. Please wait {seconds} seconds and try again."),
            )
                .into_response();
            if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
                response.headers_mut().insert("retry-after", value);
            }
            return response;
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_address_gets_its_own_window() {
        let limiter = RateLimiter::new(20);
        let now = Instant::now();
        let a = IpAddr::from([10, 0, 0, 1]);
        let b = IpAddr::from([10, 0, 0, 2]);
        for _ in 0..20 {
            assert!(limiter.check(a, now).is_ok());
        }
        let wait = limiter.check(a, now + Duration::from_secs(10)).unwrap_err();
        assert_eq!(wait, Duration::from_secs(50));
        assert!(limiter.check(b, now).is_ok(), "another address is not affected");
        assert!(limiter.check(a, now + WINDOW).is_ok(), "a new window starts over");
    }
}
