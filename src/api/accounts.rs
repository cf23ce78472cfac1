//! Account management for administrators: a searchable, paged list of
//! users; one learner's enrollments and progress; suspending (with a reason
//! the user is shown) and reactivating accounts, unlocking locked ones and
//! ending someone's sessions. Every change is in the audit log.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::model::{EnrollmentStatus, Role};

/// Accounts per page.
pub const PAGE_SIZE: u64 = 25;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: String,
    pub username: String,
    pub email: String,
    pub role: Role,
    /// "active", "suspended", "locked", "pending admin" or "suspended admin".
    pub status: String,
    /// `YYYY-MM-DD HH:MM` UTC, or none yet.
    pub last_login: Option<String>,
    pub points: i64,
    pub level: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserList {
    pub rows: Vec<UserRow>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnrollmentRow {
    pub module_id: String,
    pub module_title: String,
    pub status: EnrollmentStatus,
    pub percentage: f64,
    pub completed: i32,
    pub total: i32,
    /// Minutes.
    pub time_spent: f64,
    /// `YYYY-MM-DD`.
    pub last_accessed: String,
    pub certificate_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserDetail {
    pub row: UserRow,
    pub display_name: String,
    /// `YYYY-MM-DD`.
    pub joined: String,
    pub suspension_reason: Option<String>,
    pub locked_until: Option<String>,
    pub two_factor: bool,
    pub stats: crate::model::dashboard::StatsView,
    pub enrollments: Vec<EnrollmentRow>,
    pub is_me: bool,
}

#[server(endpoint = "admin/users")]
pub async fn list_users(
    #[server(default)] q: String,
    #[server(default)] role: String,
    #[server(default)] status: String,
    #[server(default)] page: u64,
) -> Result<UserList, AppError> {
    crate::auth::guard::require_active_admin().await?;
    let db = crate::server::state()?.db;
    ssr::list(&db, &q, &role, &status, page).await.map_err(crate::server::fail)
}

#[server(endpoint = "admin/user")]
pub async fn get_user(#[server(default)] user_id: String) -> Result<UserDetail, AppError> {
    let admin = crate::auth::guard::require_active_admin().await?;
    let db = crate::server::state()?.db;
    ssr::detail(&db, &admin, &user_id).await.map_err(crate::server::fail)
}

/// Suspends an account: its sessions end and sign-in shows `reason`.
#[server(endpoint = "admin/suspend_user")]
pub async fn suspend_user(
    #[server(default)] user_id: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    let admin = crate::auth::guard::require_active_admin().await?;
    let db = crate::server::state()?.db;
    ssr::suspend(&db, &admin, &user_id, &reason).await.map_err(crate::server::fail)
}

#[server(endpoint = "admin/reactivate_user")]
pub async fn reactivate_user(#[server(default)] user_id: String) -> Result<(), AppError> {
    let admin = crate::auth::guard::require_active_admin().await?;
    let db = crate::server::state()?.db;
    ssr::change(&db, &admin, &user_id, ssr::Change::Reactivate).await.map_err(crate::server::fail)
}

/// Clears a lockout after too many failed sign-ins.
#[server(endpoint = "admin/unlock_user")]
pub async fn unlock_user(#[server(default)] user_id: String) -> Result<(), AppError> {
    let admin = crate::auth::guard::require_active_admin().await?;
    let db = crate::server::state()?.db;
    ssr::change(&db, &admin, &user_id, ssr::Change::Unlock).await.map_err(crate::server::fail)
}

/// Signs the user out everywhere.
#[server(endpoint = "admin/end_sessions")]
pub async fn end_user_sessions(#[server(default)] user_id: String) -> Result<(), AppError> {
    let admin = crate::auth::guard::require_active_admin().await?;
    let db = crate::server::state()?.db;
    ssr::change(&db, &admin, &user_id, ssr::Change::EndSessions).await.map_err(crate::server::fail)
}

#[cfg(feature = "ssr")]
mod ssr {
    use std::collections::HashMap;

    use mongodb::Database;
    use mongodb::bson::oid::ObjectId;
    use mongodb::bson::{DateTime, Document, doc};

    use super::{EnrollmentRow, PAGE_SIZE, UserDetail, UserList, UserRow};
    use crate::db::audit::Entry;
    use crate::db::collections::MODULES;
    use crate::db::error::RepoError;
    use crate::db::user::{Search, User};
    use crate::domain::calendar::{Stamp, utc_stamp};
    use crate::error::AppError;
    use crate::model::{AdminStatus, Role};

    const STATUSES: &[&str] = &["suspended", "locked", "pending"];
    const MAX_REASON: usize = 500;

    fn stamp(at: DateTime, part: Stamp) -> String {
        utc_stamp(at.timestamp_millis(), part)
    }

    fn status_of(u: &User, now: DateTime) -> &'static str {
        match (u.suspension.is_some(), u.is_account_locked(now), u.admin_status) {
            (true, ..) => "suspended",
            (_, true, _) => "locked",
            (_, _, Some(AdminStatus::Pending)) => "pending admin",
            (_, _, Some(AdminStatus::Suspended)) => "suspended admin",
            _ => "active",
        }
    }

    fn row(u: &User, now: DateTime) -> UserRow {
        UserRow {
            id: u.id.to_hex(),
            username: u.username.clone(),
            email: u.email.clone(),
            role: u.role,
            status: status_of(u, now).into(),
            last_login: u.security.last_login.map(|d| stamp(d, Stamp::Minute)),
            points: u.stats.total_points,
            level: crate::domain::points::level_for(u.stats.total_points).level,
        }
    }

    pub async fn list(db: &Database, q: &str, role: &str, status: &str, page: u64) -> Result<UserList, AppError> {
        let mut errors = crate::model::FieldErrors::new();
        let role = match role.trim() {
            "" => None,
            other => Role::parse_field(&mut errors, "role", other),
        };
        let status = status.trim();
        if !status.is_empty() && !STATUSES.contains(&status) {
            errors.add("status", format!("Choose one of: {}", STATUSES.join(", ")));
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let search = Search {
            text: Some(q.to_string()).filter(|q| !q.trim().is_empty()),
            role,
            status: Some(status.to_string()).filter(|s| !s.is_empty()),
        };
        let page = page.max(1);
        let (users, total) = crate::db::user::search(db, &search, (page - 1) * PAGE_SIZE, PAGE_SIZE as i64).await?;
        let now = DateTime::now();
        Ok(UserList {
            rows: users.iter().map(|u| row(u, now)).collect(),
            total,
            page,
            pages: total.div_ceil(PAGE_SIZE).max(1),
        })
    }

    async fn user(db: &Database, raw: &str) -> Result<User, AppError> {
        let id = crate::db::oid(raw, "userId")?;
        crate::db::user::get(db, id).await?.ok_or_else(|| AppError::NotFound("This account".into()))
    }

    pub async fn detail(db: &Database, admin: &User, raw: &str) -> Result<UserDetail, AppError> {
        let u = user(db, raw).await?;
        let now = DateTime::now();
        let enrollments = crate::db::enrollment::list_for_user(db, u.id).await?;
        let ids: Vec<ObjectId> = enrollments.iter().map(|e| e.module).collect();
        let titles: HashMap<ObjectId, String> =
            crate::db::titles(db, MODULES, doc! { "_id": { "$in": ids } }, doc! {}).await?.into_iter().collect();
        let mut rows: Vec<EnrollmentRow> = enrollments
            .iter()
            .map(|e| EnrollmentRow {
                module_id: e.module.to_hex(),
                module_title: titles.get(&e.module).cloned().unwrap_or_else(|| "(deleted module)".into()),
                status: e.status,
                percentage: e.progress.percentage,
                completed: e.progress.completed_content,
                total: e.progress.total_content,
                time_spent: e.time_spent.total,
                last_accessed: stamp(e.last_accessed_at, Stamp::Day),
                certificate_id: e.certificate.certificate_id.clone().filter(|_| e.certificate.issued),
            })
            .collect();
        rows.sort_by(|a, b| b.last_accessed.cmp(&a.last_accessed));
        Ok(UserDetail {
            row: row(&u, now),
            display_name: u.profile.display_name.clone().unwrap_or_else(|| u.username.clone()),
            joined: stamp(u.created_at, Stamp::Day),
            suspension_reason: u.suspension.as_ref().map(|s| s.reason.clone()),
            locked_until: u.security.lock_until.filter(|t| *t > now).map(|t| stamp(t, Stamp::Minute)),
            two_factor: u.security.two_factor_enabled,
            stats: crate::api::dashboard::stats_view(&u, now.timestamp_millis()),
            enrollments: rows,
            is_me: u.id == admin.id,
        })
    }

    async fn end_sessions(db: &Database, id: ObjectId) -> Result<u64, AppError> {
        crate::auth::session_store::MongoSessionStore::new(db).end_sessions_of(&id.to_hex(), None).await.map_err(|e| {
            tracing::error!(error = %e, "ending sessions failed");
            AppError::from(e)
        })
    }

    fn snapshot(u: &User) -> Document {
        doc! {
            "suspension": u.suspension.as_ref().map(|s| s.reason.clone()),
            "lockUntil": u.security.lock_until,
            "loginAttempts": u.security.login_attempts,
        }
    }

    pub async fn suspend(db: &Database, admin: &User, raw: &str, reason: &str) -> Result<(), AppError> {
        let reason = reason.trim();
        let mut errors = crate::model::FieldErrors::new();
        errors.required("reason", reason, "Say why the account is suspended; its owner will read it");
        errors.max_len("reason", reason, MAX_REASON, "Reason cannot exceed 500 characters");
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let before = user(db, raw).await?;
        if before.id == admin.id {
            return Err(AppError::Forbidden("You cannot suspend your own account.".into()));
        }
        crate::db::user::suspend(db, before.id, reason, &admin.username).await?;
        let ended = end_sessions(db, before.id).await?;
        let after = user(db, raw).await?;
        tracing::info!(target: "security", event = "account_suspended", by = %admin.id, user = %before.id);
        let entry = Entry::new("user.suspend", "user", Some(before.id), &before.username)
            .before(&snapshot(&before))
            .after(&snapshot(&after))
            .detail(format!("{reason} ({ended} session(s) ended)"));
        Ok(crate::db::audit::record(db, admin.id, &admin.username, entry).await?)
    }

    pub enum Change {
        Reactivate,
        Unlock,
        EndSessions,
    }

    pub async fn change(db: &Database, admin: &User, raw: &str, change: Change) -> Result<(), AppError> {
        let before = user(db, raw).await?;
        let (action, detail) = match change {
            Change::Reactivate => {
                crate::db::user::reactivate(db, before.id).await?;
                ("user.reactivate", None)
            }
            Change::Unlock => {
                crate::db::user::unlock(db, before.id).await?;
                ("user.unlock", None)
            }
            Change::EndSessions => {
                let ended = end_sessions(db, before.id).await?;
                ("user.end_sessions", Some(format!("{ended} session(s) ended")))
            }
        };
        let after = user(db, raw).await?;
        tracing::info!(target: "security", event = action, by = %admin.id, user = %before.id);
        let mut entry = Entry::new(action, "user", Some(before.id), &before.username)
            .before(&snapshot(&before))
            .after(&snapshot(&after));
        if let Some(detail) = detail {
            entry = entry.detail(detail);
        }
        crate::db::audit::record(db, admin.id, &admin.username, entry).await.map_err(|e: RepoError| e.into())
    }
}
