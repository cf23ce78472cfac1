//! The audit log for administrators: every admin action, newest first,
//! filtered by administrator, area, action and date.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// Areas an action can belong to (the `targetKind` of its events).
pub const AREAS: &[&str] = &["phase", "module", "content", "achievement", "user", "catalog"];
/// Events per page.
pub const PAGE_SIZE: u64 = 50;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditRow {
    pub id: String,
    /// `YYYY-MM-DD HH:MM:SS` UTC.
    pub at: String,
    pub actor: String,
    pub action: String,
    pub area: String,
    pub target: String,
    pub target_id: Option<String>,
    /// The document before and after, as indented JSON.
    pub before: Option<String>,
    pub after: Option<String>,
    pub detail: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditLog {
    pub rows: Vec<AuditRow>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
}

/// One page of the audit log. Every filter is optional (empty matches all);
/// `since` and `until` are `YYYY-MM-DD` days (UTC), `until` included.
#[server(endpoint = "admin/audit")]
pub async fn get_audit_log(
    #[server(default)] actor: String,
    #[server(default)] area: String,
    #[server(default)] action: String,
    #[server(default)] since: String,
    #[server(default)] until: String,
    #[server(default)] page: u64,
) -> Result<AuditLog, AppError> {
    crate::auth::guard::require_active_admin().await?;
    let db = crate::server::state()?.db;
    ssr::log(&db, &actor, &area, &action, &since, &until, page).await.map_err(crate::server::fail)
}

#[cfg(feature = "ssr")]
mod ssr {
    use mongodb::Database;
    use mongodb::bson::DateTime;

    use super::{AREAS, AuditLog, AuditRow, PAGE_SIZE};
    use crate::db::audit::Filter;
    use crate::error::AppError;
    use crate::model::FieldErrors;

    /// Milliseconds at the start of a `YYYY-MM-DD` day (UTC).
    fn day_start(field: &str, day: &str, errors: &mut FieldErrors) -> Option<DateTime> {
        if day.trim().is_empty() {
            return None;
        }
        match jiff::civil::Date::strptime("%Y-%m-%d", day.trim()) {
            Ok(date) => date
                .to_zoned(jiff::tz::TimeZone::UTC)
                .ok()
                .map(|z| DateTime::from_millis(z.timestamp().as_millisecond())),
            Err(_) => {
                errors.add(field, "Enter a date as YYYY-MM-DD");
                None
            }
        }
    }

    fn pretty(value: &Option<mongodb::bson::Bson>) -> Option<String> {
        let json = value.clone()?.into_relaxed_extjson();
        serde_json::to_string_pretty(&json).ok()
    }

    #[allow(clippy::too_many_arguments)]
    pub async fn log(
        db: &Database,
        actor: &str,
        area: &str,
        action: &str,
        since: &str,
        until: &str,
        page: u64,
    ) -> Result<AuditLog, AppError> {
        let mut errors = FieldErrors::new();
        let area = area.trim();
        if !area.is_empty() && !AREAS.contains(&area) {
            errors.add("area", format!("Choose one of: {}", AREAS.join(", ")));
        }
        let since_at = day_start("since", since, &mut errors);
        let until_at =
            day_start("until", until, &mut errors).map(|d| DateTime::from_millis(d.timestamp_millis() + 86_400_000));
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let filter = Filter {
            actor_username: text(actor).map(|a| a.to_lowercase()),
            action: text(action),
            target_kind: text(area),
            target_id: None,
            since: since_at,
            until: until_at,
        };
        let page = page.max(1);
        let (events, total) = crate::db::audit::list(db, &filter, (page - 1) * PAGE_SIZE, PAGE_SIZE as i64).await?;
        let rows = events
            .into_iter()
            .map(|e| AuditRow {
                id: e.id.to_hex(),
                at: crate::domain::calendar::utc_stamp(e.at.timestamp_millis(), crate::domain::calendar::Stamp::Second),
                actor: e.actor_username,
                action: e.action,
                area: e.target_kind,
                target: e.target_label,
                target_id: e.target_id.map(|i| i.to_hex()),
                before: pretty(&e.before),
                after: pretty(&e.after),
                detail: e.detail,
            })
            .collect();
        Ok(AuditLog { rows, total, page, pages: total.div_ceil(PAGE_SIZE).max(1) })
    }
}
