//! HTTP hardening: cross-site request refusal and protective response headers.

use axum::body::Body;
use axum::http::header::{CACHE_CONTROL, COOKIE, HOST, ORIGIN, VARY};
use axum::http::{HeaderName, HeaderValue, Method, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Refuses state-changing requests (anything but GET, HEAD, OPTIONS) that a
/// browser marks as coming from another site: `Sec-Fetch-Site` other than
/// `same-origin`/`none`, or an `Origin` whose host is not this host. A request
/// with neither header is not from a browser and cannot carry a victim's
/// cookies unknowingly, so it passes.
pub async fn refuse_cross_site(request: Request<Body>, next: Next) -> Response {
    if is_cross_site(&request) {
        tracing::warn!(
            target: "security",
            event = "cross_site_refused",
            method = %request.method(),
            path = %request.uri().path(),
        );
        return (StatusCode::FORBIDDEN, "Cross-site request refused.").into_response();
    }
    next.run(request).await
}

fn is_cross_site(request: &Request<Body>) -> bool {
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return false;
    }
    let headers = request.headers();
    if let Some(site) = headers.get("sec-fetch-site") {
        return !matches!(site.to_str().unwrap_or(""), "same-origin" | "none");
    }
    match headers.get(ORIGIN) {
        None => false,
        Some(origin) => {
            let origin_host = origin.to_str().ok().and_then(|o| o.split_once("://")).map(|(_, host)| host);
            let host = headers.get(HOST).and_then(|h| h.to_str().ok());
            origin_host.is_none() || origin_host != host
        }
    }
}

/// The Content-Security-Policy of a page, allowing only this site's files and
/// the inline scripts that carry `nonce` (the hydration loader and the data
/// Leptos streams for it). `'wasm-unsafe-eval'` lets the page compile its
/// WebAssembly; `style-src-attr` allows the few inline style attributes.
pub fn csp(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         style-src-attr 'unsafe-inline'; img-src 'self' data:; media-src 'self'; font-src 'self'; \
         connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Gives this page render a fresh nonce and sends the matching policy.
/// Call while rendering (the shell does), before any script is rendered.
pub fn content_security_policy() {
    leptos::nonce::provide_nonce();
    let (Some(nonce), Some(response)) =
        (leptos::nonce::use_nonce(), leptos::prelude::use_context::<leptos_axum::ResponseOptions>())
    else {
        return;
    };
    if let Ok(value) = HeaderValue::from_str(&csp(&nonce)) {
        response.insert_header(HeaderName::from_static("content-security-policy"), value);
    }
}

const SECURITY_HEADERS: &[(&str, &str)] = &[
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "strict-origin-when-cross-origin"),
    ("x-frame-options", "DENY"),
    ("permissions-policy", "camera=(), microphone=(), geolocation=(), payment=()"),
    ("cross-origin-opener-policy", "same-origin"),
];

/// Adds the protective headers to every response, and `Cache-Control:
/// no-store` to server-function answers and to anything served to a
/// signed-in browser (pages with personal data must not be cached).
pub async fn protective_headers(request: Request<Body>, next: Next) -> Response {
    let personal = request.uri().path().starts_with("/api/")
        || request.headers().get_all(COOKIE).iter().any(|c| c.to_str().is_ok_and(|c| c.contains("foothold_session=")));
    let is_site_file = request.uri().path().starts_with("/pkg/");
    let is_asset = is_site_file || request.uri().path().starts_with("/media/");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    for (name, value) in SECURITY_HEADERS {
        headers.entry(HeaderName::from_static(name)).or_insert(HeaderValue::from_static(value));
    }
    // The site's files are sent from their gzip copy to clients that accept
    // it: a cache must keep the two answers apart.
    if is_site_file && !headers.contains_key(VARY) {
        headers.insert(VARY, HeaderValue::from_static("accept-encoding"));
    }
    if personal && !is_asset {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(headers: &[(&str, &str)]) -> Request<Body> {
        let mut builder = Request::post("/api/auth/login").header(HOST, "foothold.test:3000");
        for (k, v) in headers {
            builder = builder.header(*k, *v);
        }
        builder.body(Body::empty()).unwrap()
    }

    #[test]
    fn cross_site_requests_are_recognised() {
        assert!(!is_cross_site(&post(&[])), "no browser headers: not a browser");
        assert!(!is_cross_site(&post(&[("sec-fetch-site", "same-origin")])));
        assert!(!is_cross_site(&post(&[("origin", "http://foothold.test:3000")])));
        assert!(is_cross_site(&post(&[("sec-fetch-site", "cross-site")])));
        assert!(is_cross_site(&post(&[("sec-fetch-site", "same-site")])));
        assert!(is_cross_site(&post(&[("origin", "https://evil.example")])));
        assert!(is_cross_site(&post(&[("origin", "http://foothold.test:3000.evil.example")])));
        assert!(is_cross_site(&post(&[("origin", "null")])));
        assert!(is_cross_site(&post(&[("sec-fetch-site", "cross-site"), ("origin", "http://foothold.test:3000")])));
        let get = Request::get("/").header("sec-fetch-site", "cross-site").body(Body::empty()).unwrap();
        assert!(!is_cross_site(&get), "navigations and links from other sites are fine");
    }
}
