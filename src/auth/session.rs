//! Who is signed in: the session keys and the checks on every read.

use mongodb::Database;
use mongodb::bson::DateTime;
use mongodb::bson::oid::ObjectId;
use tower_sessions::Session;

use super::session_store::USER_KEY;
use crate::db::user::{self, User};
use crate::error::AppError;

/// When the user signed in (milliseconds since the epoch), for the absolute timeout.
const SIGNED_IN_AT: &str = "signed_in_at";
/// A sign-in waiting for its second factor: the user id, when the password
/// was accepted, and where to go afterwards. Not signed in until it is proven.
const SECOND_FACTOR: &str = "second_factor";
/// How long the second step of a sign-in may take.
pub const SECOND_FACTOR_MINUTES: i64 = 5;

fn session_error(err: tower_sessions::session::Error) -> AppError {
    tracing::error!(error = %err, "session store failed");
    AppError::Unavailable
}

/// The session of the request being served (inside a server function or a page render).
pub async fn request_session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(|e| {
        tracing::error!(error = %e, "no session layer on this request");
        crate::server::fail(AppError::Internal)
    })
}

/// The signed-in user of a page render, read once: the shell, the
/// navigation's badge and the page's own data each ask for it (three reads
/// of the same user per dashboard). Provided for every request; used only
/// by GET and HEAD, which change nothing, so a write in a server function
/// is always followed by a fresh read.
#[derive(Clone, Default)]
pub struct RenderUser(std::sync::Arc<tokio::sync::OnceCell<Option<User>>>);

/// The signed-in user of the request being served, if any (see [`current_user`]).
pub async fn request_user() -> Result<Option<User>, AppError> {
    let reads_only = leptos::prelude::use_context::<axum::http::request::Parts>()
        .is_some_and(|parts| parts.method == axum::http::Method::GET || parts.method == axum::http::Method::HEAD);
    match leptos::prelude::use_context::<RenderUser>().filter(|_| reads_only) {
        Some(memo) => memo.0.get_or_try_init(read_request_user).await.cloned(),
        None => read_request_user().await,
    }
}

async fn read_request_user() -> Result<Option<User>, AppError> {
    let state = crate::server::state()?;
    let session = request_session().await?;
    let max_age = i64::try_from(state.session_max.as_millis()).unwrap_or(i64::MAX);
    current_user(&state.db, &session, max_age).await.map_err(crate::server::fail)
}

/// The id of the user the request's session names, not yet checked against
/// the user's document (as [`request_user`] does): enough to take that
/// learner's lock before reading what a write will start from.
pub async fn request_user_id() -> Result<Option<ObjectId>, AppError> {
    let session = request_session().await?;
    let id = session.get::<String>(USER_KEY).await.map_err(session_error)?;
    Ok(id.and_then(|id| ObjectId::parse_str(id).ok()))
}

/// Starts a signed-in session for `user` under a new session id (so an id
/// planted before sign-in is worthless afterwards).
pub async fn sign_in(session: &Session, user: ObjectId) -> Result<(), AppError> {
    session.cycle_id().await.map_err(session_error)?;
    session.remove_value(SECOND_FACTOR).await.map_err(session_error)?;
    session.insert(USER_KEY, user.to_hex()).await.map_err(session_error)?;
    session.insert(SIGNED_IN_AT, DateTime::now().timestamp_millis()).await.map_err(session_error)?;
    Ok(())
}

/// Remembers a sign-in whose password was right and that now needs the
/// second factor (under a new session id, as for a full sign-in).
pub async fn await_second_factor(session: &Session, user: ObjectId, next: &str) -> Result<(), AppError> {
    session.cycle_id().await.map_err(session_error)?;
    let pending = (user.to_hex(), DateTime::now().timestamp_millis(), next.to_string());
    session.insert(SECOND_FACTOR, pending).await.map_err(session_error)
}

/// The user (and the page to go to) of a sign-in waiting for its second
/// factor, if one is waiting and has not run out of time.
pub async fn pending_second_factor(session: &Session) -> Result<Option<(ObjectId, String)>, AppError> {
    let pending = session.get::<(String, i64, String)>(SECOND_FACTOR).await.map_err(session_error)?;
    let now = DateTime::now().timestamp_millis();
    Ok(pending.and_then(|(user, at, next)| {
        let fresh = now - at <= SECOND_FACTOR_MINUTES * 60_000;
        ObjectId::parse_str(user).ok().filter(|_| fresh).map(|id| (id, next))
    }))
}

/// Ends the session: its document is deleted and the cookie cleared.
pub async fn sign_out(session: &Session) -> Result<(), AppError> {
    session.flush().await.map_err(session_error)
}

/// The signed-in user, if the session is still valid: within its absolute
/// lifetime, signed in after the last password change, and for an account
/// that still exists and is not suspended. An invalid session is ended on the spot.
pub async fn current_user(db: &Database, session: &Session, max_age_ms: i64) -> Result<Option<User>, AppError> {
    let Some(id) = session.get::<String>(USER_KEY).await.map_err(session_error)? else {
        return Ok(None);
    };
    let signed_in_at = session.get::<i64>(SIGNED_IN_AT).await.map_err(session_error)?.unwrap_or(0);
    let now = DateTime::now().timestamp_millis();
    let user = match ObjectId::parse_str(&id) {
        Ok(id) if now - signed_in_at <= max_age_ms => user::get(db, id).await?,
        _ => None,
    };
    match user {
        Some(user)
            if user.security.password_changed_at.timestamp_millis() <= signed_in_at && user.suspension.is_none() =>
        {
            Ok(Some(user))
        }
        _ => {
            sign_out(session).await?;
            Ok(None)
        }
    }
}
