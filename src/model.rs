//! Types shared by the server and the browser: plain serde structs, with ids
//! as strings so that bson never enters the WebAssembly bundle.

pub mod catalog;
pub mod difficulty;

pub use catalog::{Catalog, ModuleCard, PhaseCard};
pub use difficulty::Difficulty;
