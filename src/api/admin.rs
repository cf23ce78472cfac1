//! Server functions for administrators. Each one starts with
//! `require_active_admin()`; a test walks every `/api/admin/` path to prove
//! students and anonymous callers are refused.

use leptos::prelude::*;

use crate::error::AppError;

/// Approves a pending administrator (or restores a suspended one).
#[server(endpoint = "admin/approve_admin")]
pub async fn approve_admin(user_id: String) -> Result<(), AppError> {
    set_status(user_id, crate::model::AdminStatus::Active).await
}

/// Suspends an administrator; an admin cannot suspend themself (someone must stay in charge).
#[server(endpoint = "admin/suspend_admin")]
pub async fn suspend_admin(user_id: String) -> Result<(), AppError> {
    set_status(user_id, crate::model::AdminStatus::Suspended).await
}

#[cfg(feature = "ssr")]
async fn set_status(user_id: String, status: crate::model::AdminStatus) -> Result<(), AppError> {
    use crate::server::fail;
    let admin = crate::auth::guard::require_active_admin().await?;
    let state = crate::server::state()?;
    let id = crate::db::oid(&user_id, "userId").map_err(|e| fail(e.into()))?;
    if id == admin.id && status != crate::model::AdminStatus::Active {
        return Err(fail(AppError::Forbidden("You cannot suspend your own administrator account.".into())));
    }
    crate::db::user::set_admin_status(&state.db, id, status).await.map_err(|e| fail(e.into()))?;
    tracing::info!(target: "security", event = "admin_status_changed", by = %admin.id, user = %id, status = %status);
    Ok(())
}
