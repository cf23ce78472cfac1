//! Types shared by the server and the browser: plain serde structs, with ids
//! as strings so that bson never enters the WebAssembly bundle, plus the
//! validation rules of the data model (the same messages on both sides).

pub mod achievement;
pub mod catalog;
pub mod content;
pub mod dashboard;
pub mod enums;
pub mod game;
pub mod learn;
pub mod module;
pub mod phase;
pub mod transfer;
pub mod user;
pub mod validation;

pub use catalog::{Catalog, ModuleCard, PhaseCard};
pub use enums::*;
pub use validation::FieldErrors;

/// Percent-encodes a query value (letters, digits and `-_.~` stay): links
/// built by the model (the catalog's filters) and by pages alike.
pub fn encode_query_value(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => char::from(b).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
