//! `/settings`: the signed-in learner's profile, preferences, password and
//! two-factor authentication. Every function acts on the caller's own
//! account only; none takes a user id.
//!
//! Endpoints that check a password or a one-time code live under
//! `/api/auth/` so the per-address rate limit covers them.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::model::user::ProfileInput;
use crate::model::{ExperienceLevel, Theme};

/// Everything `/settings` shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    pub username: String,
    pub email: String,
    pub profile: ProfileInput,
    pub experience_level: ExperienceLevel,
    pub preferences: PreferencesView,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PreferencesView {
    pub email_notifications: bool,
    pub progress_notifications: bool,
    pub achievement_notifications: bool,
    pub theme: Theme,
    pub language: String,
    pub time_zone: String,
    /// Every time zone the learner can pick.
    pub time_zones: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TwoFactorView {
    pub enabled: bool,
    pub recovery_codes_left: usize,
    /// A set-up in progress: scan the QR code, then confirm with a code.
    pub setup: Option<TwoFactorSetup>,
    /// Recovery codes just issued, shown once.
    pub fresh_codes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TwoFactorSetup {
    /// The QR code as a `data:` image.
    pub qr: String,
    /// The secret in groups of four, to type in by hand.
    pub secret: String,
}

/// The message for a wrong current password.
pub const WRONG_PASSWORD: &str = "That is not your current password";
/// The message for a one-time code that proves nothing.
pub const WRONG_CODE: &str = "That code is not right. Enter the newest code from your app, or an unused recovery code.";

#[cfg(feature = "ssr")]
mod server {
    use mongodb::bson::DateTime;
    use tower_sessions::Session;

    use crate::db::user::User;
    use crate::error::AppError;
    use crate::model::FieldErrors;
    use crate::server::{AppState, fail};

    /// A two-factor set-up waiting for its first code: (secret, started at).
    pub const SETUP: &str = "two_factor_setup";
    /// Recovery codes to show once: (codes, issued at).
    pub const FRESH_CODES: &str = "two_factor_fresh_codes";
    /// How long a set-up or a list of fresh codes is kept.
    pub const KEEP_MS: i64 = 15 * 60_000;

    pub struct Caller {
        pub state: AppState,
        pub session: Session,
        pub user: User,
    }

    /// The signed-in caller, or 401.
    pub async fn caller() -> Result<Caller, AppError> {
        let user = crate::auth::guard::require_user().await?;
        let state = crate::server::state()?;
        let session = crate::auth::session::request_session().await?;
        Ok(Caller { state, session, user })
    }

    pub fn session_error(err: tower_sessions::session::Error) -> AppError {
        tracing::error!(error = %err, "session store failed");
        fail(AppError::Unavailable)
    }

    pub fn invalid(field: &str, message: &str) -> AppError {
        let mut errors = FieldErrors::new();
        errors.add(field, message);
        fail(AppError::Invalid(errors))
    }

    /// A value kept in the session for at most [`KEEP_MS`].
    pub async fn recent<T: serde::de::DeserializeOwned>(session: &Session, key: &str) -> Result<Option<T>, AppError> {
        let kept = session.get::<(T, i64)>(key).await.map_err(session_error)?;
        let now = DateTime::now().timestamp_millis();
        Ok(kept.and_then(|(value, at)| (now - at <= KEEP_MS).then_some(value)))
    }

    /// Re-checks the caller's password before a sensitive change. Wrong
    /// guesses count towards the account lockout like failed sign-ins, and a
    /// locked account cannot make these changes until the lock ends.
    pub async fn confirm_password(caller: &Caller, field: &str, password: String) -> Result<(), AppError> {
        use crate::domain::lockout::{LOCK_MINUTES, minutes_left};
        let db = &caller.state.db;
        let user = &caller.user;
        let now = DateTime::now().timestamp_millis();
        if let Some(minutes) = minutes_left(user.security.lock_until.map(|t| t.timestamp_millis()), now) {
            return Err(fail(AppError::Unauthorized(crate::api::auth::locked_message(minutes))));
        }
        let stored = crate::db::user::password_hash(db, user.id).await.map_err(|e| fail(e.into()))?.unwrap_or_default();
        if crate::auth::password::verify(password, stored).await.map_err(|e| fail(e.into()))? {
            return Ok(());
        }
        let locked = crate::db::user::record_failed_login(db, user.id).await.map_err(|e| fail(e.into()))?;
        tracing::info!(target: "security", event = "password_recheck_failed", user = %user.id, locked = locked.is_some());
        if locked.is_some() {
            return Err(fail(AppError::Unauthorized(crate::api::auth::locked_message(LOCK_MINUTES))));
        }
        Err(invalid(field, super::WRONG_PASSWORD))
    }

    /// Checks a one-time or recovery code of the caller; a wrong one counts
    /// towards the lockout.
    pub async fn confirm_code(caller: &Caller, code: &str) -> Result<(), AppError> {
        let db = &caller.state.db;
        match crate::auth::two_factor::accept(db, caller.user.id, code, DateTime::now()).await {
            Ok(Some(_)) => Ok(()),
            Ok(None) => {
                crate::db::user::record_failed_login(db, caller.user.id).await.map_err(|e| fail(e.into()))?;
                tracing::info!(target: "security", event = "two_factor_code_rejected", user = %caller.user.id);
                Err(invalid("code", super::WRONG_CODE))
            }
            Err(e) => Err(fail(e.into())),
        }
    }

    /// Keeps recovery codes just stored in the session, so the settings
    /// page shows them once.
    pub async fn show_once(session: &Session, codes: Vec<String>) -> Result<(), AppError> {
        session.insert(FRESH_CODES, (codes, DateTime::now().timestamp_millis())).await.map_err(session_error)
    }
}

/// The caller's profile and preferences.
#[server(endpoint = "settings")]
pub async fn get_settings() -> Result<Settings, AppError> {
    let user = crate::auth::guard::require_user().await?;
    let p = &user.profile;
    Ok(Settings {
        username: user.username.clone(),
        email: user.email.clone(),
        profile: ProfileInput {
            first_name: p.first_name.clone(),
            last_name: p.last_name.clone(),
            display_name: p.display_name.clone(),
            avatar: p.avatar.clone(),
            bio: p.bio.clone(),
            location: p.location.clone(),
            website: p.website.clone(),
            experience_level: Some(user.experience_level.as_str().to_string()),
        },
        experience_level: user.experience_level,
        preferences: PreferencesView {
            email_notifications: user.preferences.email_notifications,
            progress_notifications: user.preferences.progress_notifications,
            achievement_notifications: user.preferences.achievement_notifications,
            theme: user.preferences.theme,
            language: user.preferences.language.clone(),
            time_zone: user.preferences.time_zone.clone(),
            time_zones: crate::timezone::names(),
        },
    })
}

/// The caller's two-factor state: on or off, a set-up in progress, and
/// recovery codes just issued (included once, then forgotten).
#[server(endpoint = "settings/two-factor")]
pub async fn get_two_factor() -> Result<TwoFactorView, AppError> {
    use crate::auth::totp;
    use crate::server::fail;

    let caller = server::caller().await?;
    let user = &caller.user;
    let enabled = user.security.two_factor_enabled;
    let setup = match server::recent::<String>(&caller.session, server::SETUP).await? {
        Some(secret) if !enabled => totp::qr_data_uri(&totp::otpauth_uri(&secret, &user.username))
            .map(|qr| TwoFactorSetup { qr, secret: totp::grouped(&secret) }),
        _ => None,
    };
    let fresh_codes = server::recent::<Vec<String>>(&caller.session, server::FRESH_CODES).await?.unwrap_or_default();
    if !fresh_codes.is_empty() {
        caller.session.remove_value(server::FRESH_CODES).await.map_err(server::session_error)?;
    }
    let recovery_codes_left = if enabled {
        crate::auth::two_factor::recovery_codes_left(&caller.state.db, user.id).await.map_err(|e| fail(e.into()))?
    } else {
        0
    };
    Ok(TwoFactorView { enabled, recovery_codes_left, setup, fresh_codes })
}

/// Saves the profile (fields `profile[firstName]`, `profile[bio]`, …) with the data model's rules.
#[server(endpoint = "settings/profile")]
pub async fn update_profile(profile: ProfileInput) -> Result<(), AppError> {
    use crate::server::fail;

    let caller = server::caller().await?;
    let valid = profile.validate().map_err(|errors| fail(AppError::Invalid(errors)))?;
    crate::db::user::update_profile(&caller.state.db, caller.user.id, &valid).await.map_err(|e| fail(e.into()))?;
    Ok(())
}

/// Saves the preferences; a checkbox left unticked is absent from the form.
/// Returns the theme so the open page can switch to it.
#[server(endpoint = "settings/preferences")]
pub async fn update_preferences(
    theme: String,
    language: String,
    email_notifications: Option<String>,
    progress_notifications: Option<String>,
    achievement_notifications: Option<String>,
    #[server(default)] time_zone: Option<String>,
) -> Result<Theme, AppError> {
    use crate::model::user::PreferencesInput;
    use crate::server::fail;

    let caller = server::caller().await?;
    let input = PreferencesInput {
        email_notifications: email_notifications.is_some(),
        progress_notifications: progress_notifications.is_some(),
        achievement_notifications: achievement_notifications.is_some(),
        theme,
        language,
    };
    let (theme, language) = input.validate().map_err(|errors| fail(AppError::Invalid(errors)))?;
    let time_zone = match time_zone.map(|z| z.trim().to_string()) {
        None => caller.user.preferences.time_zone.clone(),
        Some(zone) if crate::timezone::is_known(&zone) => zone,
        Some(_) => {
            let mut errors = crate::model::FieldErrors::new();
            errors.add("preferences.timeZone", "Choose a time zone from the list");
            return Err(fail(AppError::Invalid(errors)));
        }
    };
    let preferences = crate::db::user::Preferences {
        email_notifications: input.email_notifications,
        progress_notifications: input.progress_notifications,
        achievement_notifications: input.achievement_notifications,
        theme,
        language,
        time_zone,
    };
    crate::db::user::update_preferences(&caller.state.db, caller.user.id, &preferences)
        .await
        .map_err(|e| fail(e.into()))?;
    crate::theme::remember(theme, caller.state.secure_cookies);
    Ok(theme)
}

/// Changes the password after re-checking the current one, then ends every
/// session of the account, this one included, and signs this one in again
/// under a new id: other devices must sign in with the new password.
#[server(endpoint = "auth/password")]
pub async fn change_password(
    current_password: String,
    password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    use crate::server::fail;

    let caller = server::caller().await?;
    let mut errors = crate::model::FieldErrors::new();
    crate::model::user::validate_password(&mut errors, "password", &password);
    crate::auth::password::check_new_password(&mut errors, &password, &password_confirm);
    if errors.get("password").is_none() && password == current_password {
        errors.add("password", "Choose a password different from the current one");
    }
    if current_password.is_empty() {
        errors.add("currentPassword", "Enter your current password");
    }
    if !errors.is_empty() {
        return Err(fail(AppError::Invalid(errors)));
    }
    server::confirm_password(&caller, "currentPassword", current_password).await?;
    let hash = crate::auth::password::hash(password).await.map_err(|e| fail(e.into()))?;
    let db = &caller.state.db;
    crate::db::user::set_password(db, caller.user.id, &hash).await.map_err(|e| fail(e.into()))?;
    let ended = crate::auth::session_store::MongoSessionStore::new(db)
        .end_sessions_of(&caller.user.id.to_hex(), None)
        .await
        .map_err(|e| fail(e.into()))?;
    crate::auth::session::sign_in(&caller.session, caller.user.id).await.map_err(fail)?;
    tracing::info!(target: "security", event = "password_changed", user = %caller.user.id, sessions_ended = ended);
    Ok(())
}

/// Starts turning on two-factor authentication: a new secret waits in the
/// session (not on the account) until a code from it is confirmed.
#[server(endpoint = "auth/2fa/begin")]
pub async fn begin_two_factor() -> Result<(), AppError> {
    use crate::server::fail;

    let caller = server::caller().await?;
    if caller.user.security.two_factor_enabled {
        return Err(fail(AppError::Forbidden("Two-factor authentication is already on.".into())));
    }
    let secret = crate::auth::totp::new_secret();
    let now = mongodb::bson::DateTime::now().timestamp_millis();
    caller.session.insert(server::SETUP, (secret, now)).await.map_err(server::session_error)?;
    Ok(())
}

/// Abandons a two-factor set-up in progress.
#[server(endpoint = "auth/2fa/cancel")]
pub async fn cancel_two_factor() -> Result<(), AppError> {
    let caller = server::caller().await?;
    caller.session.remove_value(server::SETUP).await.map_err(server::session_error)?;
    Ok(())
}

/// Turns two-factor authentication on once `code` proves the app holds the
/// secret; issues recovery codes (shown once on the settings page).
#[server(endpoint = "auth/2fa/enable")]
pub async fn enable_two_factor(code: String) -> Result<(), AppError> {
    use crate::auth::totp;
    use crate::server::fail;

    let caller = server::caller().await?;
    let Some(secret) = server::recent::<String>(&caller.session, server::SETUP).await? else {
        return Err(fail(AppError::Forbidden(
            "The set-up timed out or was not started. Start again to get a new QR code.".into(),
        )));
    };
    let now_step = totp::step_at(mongodb::bson::DateTime::now().timestamp_millis() / 1000);
    let Some(step) = totp::matching_step(&secret, &code, now_step) else {
        return Err(server::invalid(
            "code",
            "That code does not match. Enter the 6-digit code your app shows now (check that the device's clock is right).",
        ));
    };
    let codes = totp::new_recovery_codes();
    let db = &caller.state.db;
    if !crate::auth::two_factor::enable(db, caller.user.id, &secret, step, &codes).await.map_err(|e| fail(e.into()))? {
        return Err(fail(AppError::Forbidden("Two-factor authentication is already on.".into())));
    }
    caller.session.remove_value(server::SETUP).await.map_err(server::session_error)?;
    server::show_once(&caller.session, codes).await?;
    tracing::info!(target: "security", event = "two_factor_enabled", user = %caller.user.id);
    Ok(())
}

/// Turns two-factor authentication off; needs the password and a code.
#[server(endpoint = "auth/2fa/disable")]
pub async fn disable_two_factor(password: String, code: String) -> Result<(), AppError> {
    use crate::server::fail;

    let caller = server::caller().await?;
    if !caller.user.security.two_factor_enabled {
        return Err(fail(AppError::Forbidden("Two-factor authentication is already off.".into())));
    }
    server::confirm_password(&caller, "password", password).await?;
    server::confirm_code(&caller, &code).await?;
    crate::auth::two_factor::disable(&caller.state.db, caller.user.id).await.map_err(|e| fail(e.into()))?;
    tracing::info!(target: "security", event = "two_factor_disabled", user = %caller.user.id);
    Ok(())
}

/// Replaces the recovery codes (the old ones stop working); needs a code.
#[server(endpoint = "auth/2fa/recovery-codes")]
pub async fn regenerate_recovery_codes(code: String) -> Result<(), AppError> {
    use crate::server::fail;

    let caller = server::caller().await?;
    if !caller.user.security.two_factor_enabled {
        return Err(fail(AppError::Forbidden("Turn on two-factor authentication first.".into())));
    }
    server::confirm_code(&caller, &code).await?;
    let codes = crate::auth::totp::new_recovery_codes();
    crate::auth::two_factor::replace_recovery_codes(&caller.state.db, caller.user.id, &codes)
        .await
        .map_err(|e| fail(e.into()))?;
    server::show_once(&caller.session, codes).await?;
    tracing::info!(target: "security", event = "recovery_codes_replaced", user = %caller.user.id);
    Ok(())
}
