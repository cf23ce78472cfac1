//! Accounts and sessions: password hashing, the MongoDB session store.

pub mod bootstrap;
pub mod guard;
pub mod mailer;
pub mod password;
pub mod reset;
pub mod session;
pub mod session_store;
pub mod totp;
pub mod two_factor;
