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
pub mod floor;
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

/// Room for the wasm splitter to lay out the read-only data per module.
///
/// `cargo leptos build --split` moves each read-only datum into the module
/// whose code uses it, packed per module, but only while the result fits in
/// the linker's `.rodata` segment; when it does not (alignment padding
/// between modules and data used by several of them make it longer), the
/// splitter keeps the whole segment in the main module, so every page
/// downloaded every page's strings and static HTML. Nothing refers to this
/// array, so the splitter emits it in no module: it costs no download, only
/// address space after the read-only data. Non-zero, so that it is placed
/// in `.rodata` and not `.bss`.
#[cfg(all(feature = "hydrate", target_arch = "wasm32"))]
#[used]
static SPLIT_DATA_ROOM: [u8; 64 * 1024] = [0x5a; 64 * 1024];
