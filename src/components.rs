//! UI pieces shared by several pages.

pub mod chart;
pub mod form;
pub mod layout;
pub mod learn;
pub mod module_card;

/// Percent-encodes a query value (letters, digits and `-_.~` stay).
pub fn encode_query_value(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => char::from(b).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A part of a page the browser re-renders whenever a signal it reads
/// changes (in the catalog: the filtered module list).
///
/// In the browser this is the closure itself, a reactive view. On the server
/// nothing changes during a render, but leptos calls a closure twice: once
/// to find the resources it reads (`dry_resolve`) and once to write its HTML.
/// For the catalog that built its 100 module cards twice per request. Here
/// the server calls it once, untracked, and both passes use that view. The
/// HTML is the same either way: a reactive view renders as what it returns,
/// so the browser hydrates it as the closure.
#[cfg(feature = "ssr")]
pub fn reactive_view<V>(view: impl Fn() -> V + Send + Sync + 'static) -> V
where
    V: leptos::prelude::IntoView + 'static,
{
    leptos::prelude::untrack(view)
}

#[cfg(not(feature = "ssr"))]
pub fn reactive_view<V>(view: impl Fn() -> V + Send + Sync + 'static) -> impl leptos::prelude::IntoView
where
    V: leptos::prelude::IntoView + 'static,
{
    view
}
