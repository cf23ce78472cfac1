//! UI pieces shared by several pages.

pub mod chart;
pub mod form;
pub mod layout;
pub mod learn;
pub mod module_card;
pub mod server_html;

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
