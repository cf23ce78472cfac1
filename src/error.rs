//! The one error type server functions return.
//!
//! The person using Foothold sees the `Display` text, so every variant says
//! what happened and what to do. Internal details (driver errors, paths) are
//! logged with `tracing` on the server and never serialised to the page.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};

use crate::model::FieldErrors;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// Submitted data broke rules of the data model; one message per field, shown next to it.
    #[error("Please correct the highlighted fields: {0}")]
    Invalid(FieldErrors),
    /// The caller must sign in first, or the sign-in itself failed (message says which).
    #[error("{0}")]
    Unauthorized(String),
    /// The caller is signed in but may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// The request named something that does not exist (or is not visible to the caller).
    #[error("{0} was not found.")]
    NotFound(String),
    /// The database could not be reached; the request may succeed later.
    #[error("Foothold cannot reach its database right now. Please try again in a moment.")]
    Unavailable,
    /// A bug or an unexpected failure on the server; details are in the server log.
    #[error("Something went wrong on our side. Please try again; if it keeps happening, tell an administrator.")]
    Internal,
    /// The request never reached the server function or could not be decoded.
    #[error("The request failed: {0}")]
    Transport(String),
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    /// Malformed arguments (missing fields, `field[$ne]=` brackets, wrong
    /// types) are the caller's mistake: answer 400, not 500.
    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        #[cfg(feature = "ssr")]
        if matches!(
            value,
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) | ServerFnErrorErr::Deserialization(_)
        ) && let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>()
        {
            response.set_status(axum::http::StatusCode::BAD_REQUEST);
        }
        AppError::Transport(value.to_string())
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    /// The HTTP status a server function answers with for this error.
    pub fn status(&self) -> axum::http::StatusCode {
        use axum::http::StatusCode;
        match self {
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            AppError::Transport(_) => StatusCode::BAD_REQUEST,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<mongodb::error::Error> for AppError {
    fn from(err: mongodb::error::Error) -> Self {
        if crate::db::health::unreachable(&err) {
            tracing::warn!(error = %err, "database unreachable");
            AppError::Unavailable
        } else {
            tracing::error!(error = %err, "database error");
            AppError::Internal
        }
    }
}
