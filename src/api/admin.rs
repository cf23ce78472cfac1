//! Server functions for administrators. Each one starts with
//! `require_active_admin()`; a test walks every `/api/admin/` path to prove
//! students and anonymous callers are refused.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::model::AdminStatus;

/// One administrator account as the approval list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminAccount {
    pub id: String,
    pub username: String,
    pub email: String,
    pub status: AdminStatus,
    /// Signed up, as `YYYY-MM-DD`.
    pub since: String,
    /// The caller's own account (it cannot be suspended from here).
    pub is_me: bool,
}

/// Every administrator account, those waiting for approval first.
#[server(endpoint = "admin/admins")]
pub async fn list_admins() -> Result<Vec<AdminAccount>, AppError> {
    use crate::server::fail;
    let me = crate::auth::guard::require_active_admin().await?;
    let state = crate::server::state()?;
    let admins = crate::db::user::list_admins(&state.db).await.map_err(|e| fail(e.into()))?;
    Ok(admins
        .into_iter()
        .map(|u| AdminAccount {
            id: u.id.to_hex(),
            is_me: u.id == me.id,
            username: u.username,
            email: u.email,
            status: u.admin_status.unwrap_or(AdminStatus::Pending),
            since: crate::domain::calendar::utc_stamp(
                u.created_at.timestamp_millis(),
                crate::domain::calendar::Stamp::Day,
            ),
        })
        .collect())
}

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
    let before = crate::db::user::get(&state.db, id)
        .await
        .map_err(|e| fail(e.into()))?
        .ok_or_else(|| fail(AppError::NotFound("This account".into())))?;
    crate::db::user::set_admin_status(&state.db, id, status).await.map_err(|e| fail(e.into()))?;
    tracing::info!(target: "security", event = "admin_status_changed", by = %admin.id, user = %id, status = %status);
    let action = if status == crate::model::AdminStatus::Active { "user.approve_admin" } else { "user.suspend_admin" };
    let was = before.admin_status.map(|s| s.as_str()).unwrap_or("none");
    let entry = crate::db::audit::Entry::new(action, "user", Some(id), &before.username)
        .before(&mongodb::bson::doc! { "adminStatus": was })
        .after(&mongodb::bson::doc! { "adminStatus": status.as_str() });
    crate::db::audit::record(&state.db, admin.id, &admin.username, entry).await.map_err(|e| fail(e.into()))?;
    Ok(())
}
