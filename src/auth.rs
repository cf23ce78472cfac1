//! Accounts and sessions: password hashing, the MongoDB session store.

pub mod password;
pub mod session;
pub mod session_store;
