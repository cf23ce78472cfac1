//! Accounts and sessions: password hashing, the MongoDB session store.

pub mod bootstrap;
pub mod guard;
pub mod password;
pub mod session;
pub mod session_store;
