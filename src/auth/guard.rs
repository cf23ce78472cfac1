//! Who may call a server function: every one of them starts with one of these.

use crate::db::user::User;
use crate::error::AppError;
use crate::model::{AdminStatus, Role};
use crate::server::fail;

pub const SIGN_IN_FIRST: &str = "Please sign in to continue.";
pub const ADMINS_ONLY: &str = "Only administrators can do this.";

/// The signed-in user, or 401.
pub async fn require_user() -> Result<User, AppError> {
    super::session::request_user().await?.ok_or_else(|| fail(AppError::Unauthorized(SIGN_IN_FIRST.into())))
}

/// Why `user` may not act as an administrator, or `None` when they may.
pub fn admin_refusal(user: &User) -> Option<String> {
    match (user.role, user.admin_status) {
        (Role::Admin, Some(AdminStatus::Active)) => None,
        (Role::Admin, Some(AdminStatus::Pending) | None) => {
            Some("Your administrator account is waiting for approval by an active administrator.".into())
        }
        (Role::Admin, Some(AdminStatus::Suspended)) => {
            Some("Your administrator account is suspended; ask an active administrator to restore it.".into())
        }
        (Role::Student, _) => Some(ADMINS_ONLY.into()),
    }
}

/// The signed-in, active administrator; 401 for anonymous callers, 403 (with the reason) for everyone else.
pub async fn require_active_admin() -> Result<User, AppError> {
    let user = require_user().await?;
    match admin_refusal(&user) {
        None => Ok(user),
        Some(reason) => {
            tracing::warn!(target: "security", event = "access_denied", user = %user.id, reason = %reason);
            Err(fail(AppError::Forbidden(reason)))
        }
    }
}
