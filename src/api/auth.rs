//! Sign-up, sign-in, sign-out and "who am I".

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::model::{Role, Theme};

/// What the page needs to know about the signed-in user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Viewer {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub theme: Theme,
}

/// The one message for an unknown account and a wrong password, so the
/// form does not reveal which accounts exist.
pub const BAD_CREDENTIALS: &str = "Incorrect username, email or password.";

#[cfg(feature = "ssr")]
mod server {
    use tower_sessions::Session;

    use crate::error::AppError;
    use crate::server::{AppState, state};

    pub async fn context() -> Result<(AppState, Session), AppError> {
        Ok((state()?, crate::auth::session::request_session().await?))
    }

    /// A path on this site to go to after signing in; anything else goes to the catalog.
    pub fn safe_next(next: Option<&str>) -> String {
        match next {
            Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => path.to_string(),
            _ => "/catalog".to_string(),
        }
    }
}

#[cfg(feature = "ssr")]
pub use server::safe_next;

/// The sign-up form (fields `form[username]`, `form[email]`, …).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RegisterForm {
    pub username: String,
    pub email: String,
    pub password: String,
    pub password_confirm: String,
    #[serde(default)]
    pub first_name: Option<String>,
    #[serde(default)]
    pub last_name: Option<String>,
    #[serde(default)]
    pub experience_level: Option<String>,
    /// `admin` asks for an admin account, which starts `pending` until an active admin approves it.
    #[serde(default)]
    pub role: Option<String>,
}

/// Creates a student account (or a pending admin account) and signs it in.
#[server(endpoint = "auth/register")]
pub async fn register(form: RegisterForm) -> Result<(), AppError> {
    use crate::model::user::NewUserInput;
    use crate::server::fail;

    let (state, session) = server::context().await?;
    let RegisterForm { username, email, password, password_confirm, first_name, last_name, experience_level, role } =
        form;
    let input = NewUserInput { username, email, password, role, first_name, last_name, experience_level };
    let (valid, mut errors) = match input.validate() {
        Ok(valid) => (Some(valid), crate::model::FieldErrors::new()),
        Err(errors) => (None, errors),
    };
    crate::auth::password::check_new_password(&mut errors, &input.password, &password_confirm);
    let Some(valid) = valid.filter(|_| errors.is_empty()) else {
        return Err(fail(AppError::Invalid(errors)));
    };
    let hash = crate::auth::password::hash(valid.password.clone()).await.map_err(|e| fail(e.into()))?;
    let user = crate::db::user::create(&state.db, &valid, &hash).await.map_err(|e| fail(e.into()))?;
    tracing::info!(target: "security", event = "register", user = %user.id, role = %user.role);
    crate::auth::session::sign_in(&session, user.id).await.map_err(fail)?;
    leptos_axum::redirect("/catalog");
    Ok(())
}

/// Checks a username or email and password, with lockout, and starts a new session.
#[server(endpoint = "auth/login")]
pub async fn login(login: String, password: String, next: Option<String>) -> Result<(), AppError> {
    use mongodb::bson::DateTime;

    use crate::auth::password;
    use crate::domain::lockout::minutes_left;
    use crate::server::fail;

    let (state, session) = server::context().await?;
    let db = &state.db;
    let Some(user) = crate::db::user::find_by_login(db, &login).await.map_err(|e| fail(e.into()))? else {
        // Spend the same time as a real check so timing does not reveal unknown accounts.
        let _ = password::verify(password, password::dummy_hash().await.to_string()).await;
        tracing::info!(target: "security", event = "login_failed", reason = "unknown_account");
        return Err(fail(AppError::Unauthorized(BAD_CREDENTIALS.into())));
    };
    let now = DateTime::now().timestamp_millis();
    if let Some(minutes) = minutes_left(user.security.lock_until.map(|t| t.timestamp_millis()), now) {
        tracing::info!(target: "security", event = "login_refused_locked", user = %user.id);
        return Err(fail(AppError::Unauthorized(locked_message(minutes))));
    }
    let stored = crate::db::user::password_hash(db, user.id).await.map_err(|e| fail(e.into()))?.unwrap_or_default();
    let ok = password::verify(password, stored).await.map_err(|e| fail(e.into()))?;
    if !ok {
        let locked = crate::db::user::record_failed_login(db, user.id).await.map_err(|e| fail(e.into()))?;
        if locked.is_some() {
            tracing::warn!(target: "security", event = "account_locked", user = %user.id);
            return Err(fail(AppError::Unauthorized(locked_message(crate::domain::lockout::LOCK_MINUTES))));
        }
        tracing::info!(target: "security", event = "login_failed", reason = "wrong_password", user = %user.id);
        return Err(fail(AppError::Unauthorized(BAD_CREDENTIALS.into())));
    }
    if let Some(suspension) = &user.suspension {
        tracing::info!(target: "security", event = "login_refused_suspended", user = %user.id);
        return Err(fail(AppError::Unauthorized(suspended_message(&suspension.reason))));
    }
    let next = safe_next(next.as_deref());
    if user.security.two_factor_enabled {
        crate::auth::session::await_second_factor(&session, user.id, &next).await.map_err(fail)?;
        tracing::info!(target: "security", event = "login_awaiting_second_factor", user = %user.id);
        leptos_axum::redirect(TWO_FACTOR_PAGE);
        return Ok(());
    }
    finish_sign_in(&state, &session, &user, &next).await
}

/// What a suspended account's owner reads at sign-in (only after the right password).
pub fn suspended_message(reason: &str) -> String {
    format!("Your account is suspended: {reason}. Contact an administrator if you think this is a mistake.")
}

/// Where a sign-in goes for its second factor.
pub const TWO_FACTOR_PAGE: &str = "/login/two-factor";

/// The end of every successful sign-in: attempts reset, `lastLogin`, a new
/// session id, the learner's theme remembered by this browser.
#[cfg(feature = "ssr")]
async fn finish_sign_in(
    state: &crate::server::AppState,
    session: &tower_sessions::Session,
    user: &crate::db::user::User,
    next: &str,
) -> Result<(), AppError> {
    use crate::server::fail;
    crate::db::user::record_login(&state.db, user.id).await.map_err(|e| fail(e.into()))?;
    crate::auth::session::sign_in(session, user.id).await.map_err(fail)?;
    crate::theme::remember(user.preferences.theme, state.secure_cookies);
    tracing::info!(target: "security", event = "login", user = %user.id);
    leptos_axum::redirect(next);
    Ok(())
}

/// What the second step says when its time ran out (or it was never started).
pub const SECOND_FACTOR_EXPIRED: &str = "Your sign-in timed out. Enter your username and password again.";

/// The second step of signing in to an account with two-factor on: a code
/// from the authenticator app or an unused recovery code. Wrong codes count
/// towards the lockout like wrong passwords.
#[server(endpoint = "auth/two-factor")]
pub async fn verify_second_factor(code: String) -> Result<(), AppError> {
    use mongodb::bson::DateTime;

    use crate::domain::lockout::{LOCK_MINUTES, minutes_left};
    use crate::server::fail;

    let (state, session) = server::context().await?;
    let db = &state.db;
    let expired = || fail(AppError::Unauthorized(SECOND_FACTOR_EXPIRED.into()));
    let Some((id, next)) = crate::auth::session::pending_second_factor(&session).await? else {
        return Err(expired());
    };
    let Some(user) = crate::db::user::get(db, id).await.map_err(|e| fail(e.into()))? else {
        return Err(expired());
    };
    let now = DateTime::now();
    if let Some(minutes) = minutes_left(user.security.lock_until.map(|t| t.timestamp_millis()), now.timestamp_millis())
    {
        return Err(fail(AppError::Unauthorized(locked_message(minutes))));
    }
    match crate::auth::two_factor::accept(db, id, &code, now).await.map_err(|e| fail(e.into()))? {
        Some(proof) => {
            if let crate::auth::two_factor::Proof::RecoveryCode { left } = proof {
                tracing::info!(target: "security", event = "recovery_code_used", user = %id, left);
            }
            finish_sign_in(&state, &session, &user, &next).await
        }
        None => {
            let locked = crate::db::user::record_failed_login(db, user.id).await.map_err(|e| fail(e.into()))?;
            tracing::info!(target: "security", event = "second_factor_failed", user = %id, locked = locked.is_some());
            if locked.is_some() {
                crate::auth::session::sign_out(&session).await.map_err(fail)?;
                return Err(fail(AppError::Unauthorized(locked_message(LOCK_MINUTES))));
            }
            let mut errors = crate::model::FieldErrors::new();
            errors.add("code", crate::api::settings::WRONG_CODE);
            Err(fail(AppError::Invalid(errors)))
        }
    }
}

#[cfg(feature = "ssr")]
pub(crate) fn locked_message(minutes: i64) -> String {
    let unit = if minutes == 1 { "minute" } else { "minutes" };
    format!("This account is locked after too many failed sign-ins. Try again in {minutes} {unit}.")
}

/// Ends the session (server side too) and goes home.
#[server(endpoint = "auth/logout")]
pub async fn logout() -> Result<(), AppError> {
    let (_state, session) = server::context().await?;
    crate::auth::session::sign_out(&session).await.map_err(crate::server::fail)?;
    leptos_axum::redirect("/");
    Ok(())
}

/// The signed-in user, or `None`.
#[server(endpoint = "auth/me")]
pub async fn get_viewer() -> Result<Option<Viewer>, AppError> {
    let user = crate::auth::session::request_user().await?;
    Ok(user.map(|u| Viewer {
        display_name: u.profile.display_name.clone().unwrap_or_else(|| u.username.clone()),
        username: u.username,
        role: u.role,
        theme: u.preferences.theme,
    }))
}

/// What `/forgot-password` says whether or not the address has an account.
pub const RESET_SENT: &str =
    "If an account uses that email, a link to choose a new password is on its way. It works for 30 minutes.";

/// Mails a single-use reset link to the account with this email, if any.
/// The answer is the same either way, so the form reveals no accounts.
#[server(endpoint = "auth/forgot")]
pub async fn request_password_reset(email: String) -> Result<String, AppError> {
    use crate::auth::mailer::Mail;
    use crate::server::fail;

    let state = crate::server::state()?;
    let email = email.trim().to_lowercase();
    if !crate::model::validation::is_valid_email(&email) {
        let mut errors = crate::model::FieldErrors::new();
        errors.add("email", "Please provide a valid email");
        return Err(fail(AppError::Invalid(errors)));
    }
    if let Some(user) = crate::db::user::find_by_login(&state.db, &email).await.map_err(|e| fail(e.into()))? {
        let token = crate::auth::reset::issue(&state.db, &user).await.map_err(|e| fail(e.into()))?;
        state.mailer.send(Mail {
            to: user.email.clone(),
            subject: "Choose a new Foothold password".into(),
            body: format!(
                "Someone (hopefully you) asked to reset the password of {}.\n\nChoose a new one here within {} minutes:\n{}/reset-password/{token}\n\nIf it was not you, ignore this message; your password stays as it is.",
                user.username,
                crate::auth::reset::TOKEN_MINUTES,
                state.public_url
            ),
        });
        tracing::info!(target: "security", event = "password_reset_requested", user = %user.id);
    }
    Ok(RESET_SENT.into())
}

/// Sets a new password with a reset token, then ends every session of the account.
#[server(endpoint = "auth/reset")]
pub async fn reset_password(token: String, password: String, password_confirm: String) -> Result<(), AppError> {
    use crate::server::fail;

    let state = crate::server::state()?;
    let mut errors = crate::model::FieldErrors::new();
    crate::model::user::validate_password(&mut errors, "password", &password);
    crate::auth::password::check_new_password(&mut errors, &password, &password_confirm);
    if !errors.is_empty() {
        return Err(fail(AppError::Invalid(errors)));
    }
    let hash = crate::auth::password::hash(password).await.map_err(|e| fail(e.into()))?;
    let Some(user) = crate::auth::reset::redeem(&state.db, &token, &hash).await.map_err(|e| fail(e.into()))? else {
        return Err(fail(AppError::Forbidden(
            "This reset link is invalid, used or expired. Ask for a new one.".into(),
        )));
    };
    let ended = crate::auth::session_store::MongoSessionStore::new(&state.db)
        .end_sessions_of(&user.to_hex(), None)
        .await
        .map_err(|e| fail(e.into()))?;
    tracing::info!(target: "security", event = "password_reset", user = %user, sessions_ended = ended);
    leptos_axum::redirect("/login?reset=1");
    Ok(())
}
