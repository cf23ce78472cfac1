//! The learner's device and browser, from the `User-Agent` header (the
//! spec's `device` and `browser` fields). A best guess, for analytics only.

use crate::model::Device;

pub fn device(user_agent: &str) -> Device {
    let ua = user_agent.to_ascii_lowercase();
    if ua.contains("ipad") || ua.contains("tablet") || (ua.contains("android") && !ua.contains("mobile")) {
        Device::Tablet
    } else if ua.contains("mobi") || ua.contains("iphone") {
        Device::Mobile
    } else {
        Device::Desktop
    }
}

/// The browser's family name, or `None` when the header names none we know.
pub fn browser(user_agent: &str) -> Option<String> {
    let ua = user_agent.to_ascii_lowercase();
    let name = if ua.contains("edg/") {
        "Edge"
    } else if ua.contains("opr/") || ua.contains("opera") {
        "Opera"
    } else if ua.contains("firefox/") {
        "Firefox"
    } else if ua.contains("chrome/") || ua.contains("chromium/") || ua.contains("headlesschrome/") {
        "Chrome"
    } else if ua.contains("safari/") {
        "Safari"
    } else {
        return None;
    };
    Some(name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHROME: &str =
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
    const IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
    const IPAD: &str = "Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Safari/604.1";
    const ANDROID_TABLET: &str =
        "Mozilla/5.0 (Linux; Android 14; SM-X700) AppleWebKit/537.36 Chrome/131.0 Safari/537.36";
    const EDGE: &str = "Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/131.0 Safari/537.36 Edg/131.0";
    const FIREFOX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";

    #[test]
    fn devices_and_browsers_are_recognised() {
        let cases = [
            (CHROME, Device::Desktop, Some("Chrome")),
            (IPHONE, Device::Mobile, Some("Safari")),
            (IPAD, Device::Tablet, Some("Safari")),
            (ANDROID_TABLET, Device::Tablet, Some("Chrome")),
            (EDGE, Device::Desktop, Some("Edge")),
            (FIREFOX, Device::Desktop, Some("Firefox")),
            ("curl/8.0", Device::Desktop, None),
            ("", Device::Desktop, None),
        ];
        for (ua, d, b) in cases {
            assert_eq!(device(ua), d, "{ua}");
            assert_eq!(browser(ua).as_deref(), b, "{ua}");
        }
    }
}
