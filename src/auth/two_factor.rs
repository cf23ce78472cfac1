//! Where two-factor state lives on the user document (additions to the
//! spec's `security` object, never read into [`crate::db::user::User`]):
//!
//! - `security.twoFactorSecret`: the base32 TOTP secret;
//! - `security.twoFactorLastStep`: the last time step a code was accepted
//!   for, so a code works once;
//! - `security.twoFactorRecoveryCodes`: SHA-256 hashes of the unused
//!   recovery codes.
//!
//! Every check that consumes something (a step, a recovery code) is one
//! conditional update, so two concurrent sign-ins with the same code cannot
//! both succeed.

use mongodb::Database;
use mongodb::bson::oid::ObjectId;
use mongodb::bson::{DateTime, Document, doc};

use super::totp;
use crate::db::collections::USERS;
use crate::db::error::RepoError;
use crate::db::user::update_account;

/// What proved the second factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proof {
    /// A code from the authenticator app.
    Code,
    /// A recovery code, now used up; this many are left.
    RecoveryCode { left: usize },
}

fn users(db: &Database) -> mongodb::Collection<Document> {
    db.collection::<Document>(USERS)
}

/// The stored secret of an account with two-factor on.
async fn secret(db: &Database, id: ObjectId) -> Result<Option<String>, RepoError> {
    let found = users(db)
        .find_one(doc! { "_id": id, "security.twoFactorEnabled": true })
        .projection(doc! { "security.twoFactorSecret": 1 })
        .await?;
    Ok(found
        .as_ref()
        .and_then(|d| d.get_document("security").ok())
        .and_then(|s| s.get_str("twoFactorSecret").ok())
        .map(str::to_string))
}

/// Unused recovery codes left on the account.
pub async fn recovery_codes_left(db: &Database, id: ObjectId) -> Result<usize, RepoError> {
    let found =
        users(db).find_one(doc! { "_id": id }).projection(doc! { "security.twoFactorRecoveryCodes": 1 }).await?;
    Ok(found
        .as_ref()
        .and_then(|d| d.get_document("security").ok())
        .and_then(|s| s.get_array("twoFactorRecoveryCodes").ok())
        .map_or(0, Vec::len))
}

/// Turns two-factor on with `secret` (already proven by a code of
/// `proven_step`) and the hashes of fresh recovery codes. `false` when it
/// was already on.
pub async fn enable(
    db: &Database,
    id: ObjectId,
    secret: &str,
    proven_step: i64,
    recovery_codes: &[String],
) -> Result<bool, RepoError> {
    let hashes: Vec<String> = recovery_codes.iter().map(|c| totp::recovery_hash(c)).collect();
    let result = update_account(
        db,
        id,
        doc! { "security.twoFactorEnabled": { "$ne": true } },
        doc! { "$set": {
            "security.twoFactorEnabled": true,
            "security.twoFactorSecret": secret,
            "security.twoFactorLastStep": proven_step,
            "security.twoFactorRecoveryCodes": hashes,
            "updatedAt": DateTime::now(),
        } },
    )
    .await?;
    Ok(result.modified_count == 1)
}

/// Turns two-factor off and forgets the secret and recovery codes.
pub async fn disable(db: &Database, id: ObjectId) -> Result<(), RepoError> {
    update_account(
        db,
        id,
        doc! {},
        doc! {
            "$set": { "security.twoFactorEnabled": false, "updatedAt": DateTime::now() },
            "$unset": {
                "security.twoFactorSecret": "",
                "security.twoFactorLastStep": "",
                "security.twoFactorRecoveryCodes": "",
            },
        },
    )
    .await?;
    Ok(())
}

/// Replaces the recovery codes (the old ones stop working).
pub async fn replace_recovery_codes(db: &Database, id: ObjectId, codes: &[String]) -> Result<(), RepoError> {
    let hashes: Vec<String> = codes.iter().map(|c| totp::recovery_hash(c)).collect();
    update_account(
        db,
        id,
        doc! { "security.twoFactorEnabled": true },
        doc! { "$set": { "security.twoFactorRecoveryCodes": hashes, "updatedAt": DateTime::now() } },
    )
    .await?;
    Ok(())
}

/// Checks what the learner typed: a current app code (each step usable
/// once) or an unused recovery code (consumed). `None` when it proves nothing.
pub async fn accept(db: &Database, id: ObjectId, typed: &str, now: DateTime) -> Result<Option<Proof>, RepoError> {
    let typed = typed.trim();
    if typed.is_empty() || typed.len() > 64 {
        return Ok(None);
    }
    if totp::looks_like_code(typed) {
        let Some(secret) = secret(db, id).await? else {
            return Ok(None);
        };
        let Some(step) = totp::matching_step(&secret, typed, totp::step_at(now.timestamp_millis() / 1000)) else {
            return Ok(None);
        };
        let result = update_account(
            db,
            id,
            doc! { "$or": [
                { "security.twoFactorLastStep": { "$lt": step } },
                { "security.twoFactorLastStep": { "$exists": false } },
            ] },
            doc! { "$set": { "security.twoFactorLastStep": step } },
        )
        .await?;
        return Ok((result.modified_count == 1).then_some(Proof::Code));
    }
    let hash = totp::recovery_hash(typed);
    let result = update_account(
        db,
        id,
        doc! { "security.twoFactorEnabled": true, "security.twoFactorRecoveryCodes": &hash },
        doc! { "$pull": { "security.twoFactorRecoveryCodes": &hash } },
    )
    .await?;
    if result.modified_count != 1 {
        return Ok(None);
    }
    Ok(Some(Proof::RecoveryCode { left: recovery_codes_left(db, id).await? }))
}
