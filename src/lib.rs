//! Foothold: a gamified cybersecurity learning platform.
//!
//! One crate, two builds: with `ssr` it is the server (axum + MongoDB), with
//! `hydrate` it is the WebAssembly that makes server-rendered pages
//! interactive. Code that must never reach the browser lives in modules that
//! only exist with `ssr`.

#![recursion_limit = "256"]

pub mod api;
pub mod app;
pub mod components;
pub mod domain;
pub mod error;
pub mod model;
pub mod pages;
pub mod theme;

#[cfg(feature = "ssr")]
pub mod auth;
#[cfg(feature = "ssr")]
pub mod certificate;
#[cfg(feature = "ssr")]
pub mod config;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod finish_pages;
#[cfg(feature = "ssr")]
pub mod markdown;
#[cfg(feature = "ssr")]
pub mod rate_limit;
#[cfg(feature = "ssr")]
pub mod security;
#[cfg(feature = "ssr")]
pub mod seed;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod timezone;

/// Browser entry point: attaches the WebAssembly app to the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Lazy routes: hydration waits for the chunk of the page being shown.
    leptos::mount::hydrate_lazy(app::App);
}
