//! Errors of the repository functions.

use mongodb::error::{ErrorKind, WriteFailure};

use crate::error::AppError;
use crate::model::FieldErrors;

#[derive(Debug, thiserror::Error)]
pub enum RepoError {
    /// The input broke a rule; messages per field. Nothing was written.
    #[error("{0}")]
    Invalid(FieldErrors),
    #[error("{0} was not found")]
    NotFound(&'static str),
    #[error("database error: {0}")]
    Db(#[from] mongodb::error::Error),
    #[error("cannot encode a document: {0}")]
    Encode(#[from] mongodb::bson::ser::Error),
    #[error("a stored document does not match its type: {0}")]
    Decode(String),
}

impl RepoError {
    /// One field's message, for rules checked against the database (references, uniqueness).
    pub fn field(field: &str, message: impl Into<String>) -> RepoError {
        let mut errors = FieldErrors::new();
        errors.add(field, message);
        RepoError::Invalid(errors)
    }
}

impl From<FieldErrors> for RepoError {
    fn from(errors: FieldErrors) -> Self {
        RepoError::Invalid(errors)
    }
}

impl From<RepoError> for AppError {
    fn from(err: RepoError) -> Self {
        match err {
            RepoError::Invalid(errors) => AppError::Invalid(errors),
            RepoError::NotFound(what) => AppError::NotFound(what.to_string()),
            RepoError::Db(e) => e.into(),
            RepoError::Encode(e) => {
                tracing::error!(error = %e, "encoding a document failed");
                AppError::Internal
            }
            RepoError::Decode(e) => {
                tracing::error!(error = %e, "decoding a document failed");
                AppError::Internal
            }
        }
    }
}

/// Whether `err` is a unique-index violation (E11000) on MongoDB or FerretDB.
pub fn is_duplicate_key(err: &mongodb::error::Error) -> bool {
    const DUPLICATE_KEY: i32 = 11000;
    match err.kind.as_ref() {
        ErrorKind::Write(WriteFailure::WriteError(e)) => e.code == DUPLICATE_KEY,
        ErrorKind::Command(e) => e.code == DUPLICATE_KEY,
        ErrorKind::InsertMany(e) => {
            e.write_errors.as_ref().is_some_and(|errors| errors.iter().any(|w| w.code == DUPLICATE_KEY))
        }
        _ => false,
    }
}
