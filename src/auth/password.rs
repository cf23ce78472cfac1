//! Password hashing with argon2id and the common-password check.
//!
//! Parameters follow OWASP's recommendation for argon2id: 19 MiB of memory,
//! 2 passes, 1 lane. Hashing takes tens of milliseconds of CPU, so it runs on
//! tokio's blocking pool, never on a request thread.

use std::collections::HashSet;
use std::sync::OnceLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use argon2::{Algorithm, Argon2, Params, Version};

/// The message for a password on the common-passwords list.
pub const TOO_COMMON: &str = "This password is among the most common ones; choose one that is harder to guess";

/// The rules beyond length for a password being set (sign-up, reset, the
/// admin command): not a common one (checked only when it passed the length
/// rules), and typed the same twice.
pub fn check_new_password(errors: &mut crate::model::FieldErrors, password: &str, confirm: &str) {
    if errors.get("password").is_none() && is_common(password) {
        errors.add("password", TOO_COMMON);
    }
    if password != confirm {
        errors.add("passwordConfirm", "The two passwords do not match");
    }
}

impl From<PasswordError> for crate::error::AppError {
    fn from(err: PasswordError) -> Self {
        tracing::error!(error = %err, "password hashing failed");
        crate::error::AppError::Internal
    }
}

/// m = 19456 KiB, t = 2, p = 1.
pub const MEMORY_KIB: u32 = 19_456;
pub const ITERATIONS: u32 = 2;
pub const PARALLELISM: u32 = 1;

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("password hashing failed: {0}")]
    Hash(String),
    #[error("the hashing task did not finish: {0}")]
    Task(#[from] tokio::task::JoinError),
}

fn argon2() -> Result<Argon2<'static>, PasswordError> {
    let params =
        Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None).map_err(|e| PasswordError::Hash(e.to_string()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`) for `password`, with a fresh random salt.
pub async fn hash(password: String) -> Result<String, PasswordError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2()?
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| PasswordError::Hash(e.to_string()))
    })
    .await?
}

/// Whether `password` matches the stored PHC string. A malformed or foreign hash never matches.
pub async fn verify(password: String, stored: String) -> Result<bool, PasswordError> {
    tokio::task::spawn_blocking(move || {
        let Ok(parsed) = PasswordHash::new(&stored) else {
            return Ok(false);
        };
        Ok(argon2()?.verify_password(password.as_bytes(), &parsed).is_ok())
    })
    .await?
}

/// A hash of a random password, verified against when the account does not
/// exist, so that "unknown user" takes as long as "wrong password".
pub async fn dummy_hash() -> &'static str {
    static DUMMY: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    DUMMY
        .get_or_init(|| async {
            let random = SaltString::generate(&mut OsRng).to_string();
            hash(random).await.unwrap_or_default()
        })
        .await
}

/// Whether `password` is one of the most common passwords (case-insensitive).
pub fn is_common(password: &str) -> bool {
    static LIST: OnceLock<HashSet<&'static str>> = OnceLock::new();
    LIST.get_or_init(|| include_str!("common-passwords.txt").lines().collect())
        .contains(password.to_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_with_the_required_parameters_and_verify() {
        let stored = hash("correct horse battery staple".into()).await.unwrap();
        assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{stored}");
        assert!(verify("correct horse battery staple".into(), stored.clone()).await.unwrap());
        assert!(!verify("correct horse battery stapler".into(), stored.clone()).await.unwrap());
        assert!(!verify("anything".into(), "not a hash".into()).await.unwrap());
        assert_ne!(stored, hash("correct horse battery staple".into()).await.unwrap(), "salts differ");
        assert!(!verify(String::new(), dummy_hash().await.to_string()).await.unwrap());
    }

    #[test]
    fn common_passwords_are_recognised() {
        for common in ["password", "12345678", "qwertyuiop", "Password1", "iloveyou"] {
            assert!(is_common(common), "{common}");
        }
        for rare in ["correct horse battery staple", "v8#Lq2!xR9@mW4", "foothold-learner-2026"] {
            assert!(!is_common(rare), "{rare}");
        }
    }
}
