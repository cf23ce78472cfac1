//! Pure rules of the platform: no I/O, exhaustively unit-tested.

pub mod achievements;
pub mod analytics;
pub mod calendar;
pub mod certificate;
pub mod client;
pub mod gating;
pub mod grading;
pub mod lockout;
pub mod metadata;
pub mod points;
pub mod progress;
pub mod streak;
