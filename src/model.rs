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
