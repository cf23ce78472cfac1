//! Password reset tokens: 128 random bits, sent to the learner, stored only
//! as a SHA-256 hash with an expiry (`security.passwordResetToken`,
//! `security.passwordResetExpires`), usable once.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use mongodb::Database;
use mongodb::bson::{DateTime, Document, doc};
use sha2::{Digest, Sha256};

use crate::db::collections::USERS;
use crate::db::error::RepoError;
use crate::db::user::{User, update_account};

/// How long a reset link works.
pub const TOKEN_MINUTES: i64 = 30;

/// A new token as sent to the learner (32 hex characters = 128 bits).
pub fn new_token() -> String {
    let mut bytes = [0u8; 16];
    OsRng.fill_bytes(&mut bytes);
    hex(&bytes)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What is stored: the token's SHA-256, so a database leak gives no usable link.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// Stores a fresh token for `user` (replacing any earlier one) and returns it.
pub async fn issue(db: &Database, user: &User) -> Result<String, RepoError> {
    let token = new_token();
    let expires = DateTime::from_millis(DateTime::now().timestamp_millis() + TOKEN_MINUTES * 60_000);
    update_account(
        db,
        user.id,
        doc! {},
        doc! { "$set": { "security.passwordResetToken": token_hash(&token), "security.passwordResetExpires": expires } },
    )
    .await?;
    Ok(token)
}

/// Sets a new password hash for the holder of a valid, unexpired `token`,
/// consuming the token; returns the user's id, or `None` for a bad or
/// expired token. `passwordChangedAt` moves, which ends every older session.
pub async fn redeem(
    db: &Database,
    token: &str,
    new_hash: &str,
) -> Result<Option<mongodb::bson::oid::ObjectId>, RepoError> {
    if token.len() != 32 || !token.chars().all(|c| c.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let now = DateTime::now();
    let filter =
        doc! { "security.passwordResetToken": token_hash(token), "security.passwordResetExpires": { "$gt": now } };
    let user = db.collection::<Document>(USERS).find_one(filter.clone()).projection(doc! { "_id": 1 }).await?;
    let Some(id) = user.and_then(|u| u.get_object_id("_id").ok()) else {
        return Ok(None);
    };
    // The filter repeats the token, so of two concurrent redemptions only one matches.
    let result = update_account(
        db,
        id,
        doc! { "security.passwordResetToken": token_hash(token) },
        doc! {
            "$set": { "password": new_hash, "security.passwordChangedAt": now, "security.loginAttempts": 0, "updatedAt": now },
            "$unset": { "security.passwordResetToken": "", "security.passwordResetExpires": "", "security.lockUntil": "" },
        },
    )
    .await?;
    Ok((result.modified_count == 1).then_some(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_128_bit_hex_and_stored_hashed() {
        let a = new_token();
        let b = new_token();
        assert_eq!(a.len(), 32);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
        assert_eq!(token_hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_ne!(token_hash(&a), a);
    }
}
