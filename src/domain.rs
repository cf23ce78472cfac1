//! Pure rules of the platform: no I/O, exhaustively unit-tested.

pub mod lockout;
pub mod metadata;
