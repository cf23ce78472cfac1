//! The colour theme, chosen before the first paint.
//!
//! The server renders `<html data-theme="…">` from the `foothold_theme`
//! cookie, so a page never flashes the wrong colours: the CSS alone picks
//! the palette (`auto` through `prefers-color-scheme`). The cookie is set
//! when a learner signs in (from their saved preference) and when they
//! change it in `/settings`; after hydration the page also switches the
//! attribute in place.

use crate::model::Theme;

/// The cookie holding this browser's theme.
pub const COOKIE: &str = "foothold_theme";

/// The theme a request asked for through its cookie; dark when it has none.
#[cfg(feature = "ssr")]
pub fn from_request() -> Theme {
    leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|parts| from_cookie_header(parts.headers.get_all(axum::http::header::COOKIE).iter()))
        .unwrap_or(Theme::Dark)
}

#[cfg(feature = "ssr")]
fn from_cookie_header<'a>(headers: impl Iterator<Item = &'a axum::http::HeaderValue>) -> Option<Theme> {
    headers
        .filter_map(|h| h.to_str().ok())
        .flat_map(|h| h.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .and_then(|(_, value)| Theme::parse(value))
}

/// Asks the browser to remember `theme` for a year (sent with the current
/// server-function or page response).
#[cfg(feature = "ssr")]
pub fn remember(theme: Theme, secure: bool) {
    use axum::http::HeaderValue;
    let secure = if secure { "; Secure" } else { "" };
    let cookie = format!("{COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly{secure}", theme.as_str());
    if let (Some(response), Ok(value)) =
        (leptos::prelude::use_context::<leptos_axum::ResponseOptions>(), HeaderValue::from_str(&cookie))
    {
        response.append_header(axum::http::header::SET_COOKIE, value);
    }
}

/// Switches the open page to `theme` (in the browser; nothing on the server).
pub fn apply_in_page(theme: Theme) {
    #[cfg(feature = "hydrate")]
    if let Some(root) = leptos::prelude::document().document_element() {
        let _ = root.set_attribute("data-theme", theme.as_str());
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = theme;
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn the_cookie_is_read_among_others_and_checked() {
        let read = |h: &str| from_cookie_header([HeaderValue::from_str(h).unwrap()].iter());
        assert_eq!(read("a=1; foothold_theme=light; b=2"), Some(Theme::Light));
        assert_eq!(read("foothold_theme=auto"), Some(Theme::Auto));
        assert_eq!(read("foothold_theme=\"><script>"), None);
        assert_eq!(read("other_theme=light"), None);
    }
}
