//! Parts of a page that only the server renders.
//!
//! A read-only part of a page (the catalog's module list) can be rendered
//! by the server and placed by the browser as HTML, so that the browser's
//! code has no view of it to hydrate, build or rebuild. Its links and forms
//! still work: the router handles the links, and a page handles a form's
//! submit event (it bubbles to an element the page renders itself).

use leptos::either::Either;
use leptos::prelude::*;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::AppError;

/// HTML the server rendered for a part of a page, as a resource holds it.
///
/// The page the server sends already carries this HTML, so the copy in the
/// page's hydration data is left empty (it serialises as `null`): the
/// browser hydrates the element around it without touching its children
/// (leptos sets `inner_html` when it builds or rebuilds an element, not when
/// it hydrates one). When the resource loads again in the browser, its
/// fetcher wraps the `String` a server function sent.
///
/// So a server function must return the `String`, never this type.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServerHtml(pub String);

impl Serialize for ServerHtml {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_unit()
    }
}

impl<'de> Deserialize<'de> for ServerHtml {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<ServerHtml, D::Error> {
        <()>::deserialize(deserializer).map(|()| ServerHtml::default())
    }
}

/// Renders `view` to HTML on the server, under an owner of its own that is
/// dropped afterwards (with every signal the view made). Typed, not an
/// `AnyView`: `into_any()` on the server first copies a view into its owned
/// form, every class string included (Finding 21 in `docs/performance.md`).
#[cfg(feature = "ssr")]
pub fn render<V: IntoView>(view: impl FnOnce() -> V) -> String {
    Owner::new().with(|| view().into_view().to_html())
}

/// The server's HTML in an element of the page, or what went wrong.
pub fn placed(html: Result<ServerHtml, AppError>) -> impl IntoView + use<> {
    match html {
        Ok(html) => Either::Left(view! { <div inner_html=html.0></div> }),
        Err(err) => Either::Right(view! {
            <p role="alert" class="rounded border border-red-500/50 bg-red-500/10 p-4">
                {err.to_string()}
            </p>
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hydration_copy_is_empty_and_reads_back_as_empty() {
        let html = ServerHtml("<p>a card</p>".into());
        assert_eq!(serde_json::to_string(&html).unwrap(), "null");
        assert_eq!(serde_json::from_str::<ServerHtml>("null").unwrap(), ServerHtml::default());
        let result: Result<ServerHtml, AppError> = Ok(html);
        assert_eq!(serde_json::to_string(&result).unwrap(), r#"{"Ok":null}"#);
    }
}
