//! Import and export of the catalog as JSON (see `db::transfer` for the
//! format), for administrators only: exports carry answer keys. Every export
//! and every import that writes is recorded in the audit log.
//!
//! Arguments default when missing, so that a caller who is not an active
//! administrator is refused (401/403) before any argument is looked at.

use leptos::prelude::*;

use crate::error::AppError;

pub use crate::model::transfer::{ImportProblem, ImportReport, Tally};

/// The whole catalog as a JSON catalog file.
#[server(endpoint = "admin/export_catalog")]
pub async fn export_catalog() -> Result<String, AppError> {
    use crate::server::fail;
    let admin = crate::auth::guard::require_active_admin().await?;
    let state = crate::server::state()?;
    let file = crate::db::transfer::export_catalog(&state.db).await.map_err(|e| fail(e.into()))?;
    let text = to_json(&file)?;
    let (phases, modules, content) = file.counts();
    let entry = crate::db::audit::Entry::new("catalog.export", "catalog", None, "catalog")
        .detail(format!("{phases} phase(s), {modules} module(s), {content} content item(s)"));
    crate::db::audit::record(&state.db, admin.id, &admin.username, entry).await.map_err(|e| fail(e.into()))?;
    Ok(text)
}

/// One module with its content and its phase, as a JSON catalog file.
#[server(endpoint = "admin/export_module")]
pub async fn export_module(#[server(default)] module_id: String) -> Result<String, AppError> {
    use crate::server::fail;
    let admin = crate::auth::guard::require_active_admin().await?;
    let state = crate::server::state()?;
    let id = crate::db::oid(&module_id, "moduleId").map_err(|e| fail(e.into()))?;
    let file = crate::db::transfer::export_module(&state.db, id).await.map_err(|e| fail(e.into()))?;
    let text = to_json(&file)?;
    let (_, _, content) = file.counts();
    let title = file.phases.first().and_then(|p| p.modules.first()).map(|m| m.module.title.clone()).unwrap_or_default();
    let entry = crate::db::audit::Entry::new("module.export", "module", Some(id), &title)
        .detail(format!("{content} content item(s)"));
    crate::db::audit::record(&state.db, admin.id, &admin.username, entry).await.map_err(|e| fail(e.into()))?;
    Ok(text)
}

/// Imports a catalog file (the text of an export). With `dry_run` nothing is
/// written; the report says what would be done. A file with any problem is
/// refused whole (422, messages keyed by their path in the file).
#[server(endpoint = "admin/import")]
pub async fn import_catalog(
    #[server(default)] json: String,
    #[server(default)] dry_run: bool,
) -> Result<ImportReport, AppError> {
    use crate::server::fail;
    let admin = crate::auth::guard::require_active_admin().await?;
    let state = crate::server::state()?;
    let file = crate::db::transfer::parse(&json).map_err(|errors| fail(AppError::Invalid(errors)))?;
    let report = crate::db::transfer::import(&state.db, &file, dry_run).await.map_err(|e| fail(e.into()))?;
    if !report.errors.is_empty() {
        return Err(fail(AppError::Invalid(report.field_errors())));
    }
    if !dry_run {
        let entry = crate::db::audit::Entry::new("catalog.import", "catalog", None, "catalog").detail(report.summary());
        crate::db::audit::record(&state.db, admin.id, &admin.username, entry).await.map_err(|e| fail(e.into()))?;
    }
    Ok(report)
}

#[cfg(feature = "ssr")]
fn to_json(file: &crate::db::transfer::CatalogFile) -> Result<String, AppError> {
    file.to_json().map_err(|e| {
        tracing::error!(error = %e, "writing a catalog file failed");
        crate::server::fail(AppError::Internal)
    })
}

/// `GET /admin/catalog.json` (and `?module=ID`): the export as a file
/// download, for active administrators only (the same rules as the server
/// functions; audited the same way).
#[cfg(feature = "ssr")]
pub async fn download(
    axum::extract::State(state): axum::extract::State<crate::server::AppState>,
    session: tower_sessions::Session,
    axum::extract::Query(query): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> axum::response::Response {
    use axum::http::{StatusCode, header};
    use axum::response::IntoResponse;

    let max_age = i64::try_from(state.session_max.as_millis()).unwrap_or(i64::MAX);
    let admin = match crate::auth::session::current_user(&state.db, &session, max_age).await {
        Ok(Some(user)) => match crate::auth::guard::admin_refusal(&user) {
            None => user,
            Some(reason) => return (StatusCode::FORBIDDEN, reason).into_response(),
        },
        Ok(None) => return (StatusCode::UNAUTHORIZED, crate::auth::guard::SIGN_IN_FIRST).into_response(),
        Err(err) => return (err.status(), err.to_string()).into_response(),
    };
    let module = query.get("module").filter(|m| !m.is_empty());
    let exported = match module {
        Some(raw) => match crate::db::oid(raw, "module") {
            Ok(id) => crate::db::transfer::export_module(&state.db, id).await.map(|f| (f, Some(id))),
            Err(err) => Err(err),
        },
        None => crate::db::transfer::export_catalog(&state.db).await.map(|f| (f, None)),
    };
    let (file, module) = match exported {
        Ok(found) => found,
        Err(err) => {
            let err = AppError::from(err);
            return (err.status(), err.to_string()).into_response();
        }
    };
    let Ok(text) = file.to_json() else {
        return (StatusCode::INTERNAL_SERVER_ERROR, AppError::Internal.to_string()).into_response();
    };
    let (phases, modules, content) = file.counts();
    let (action, kind) = if module.is_some() { ("module.export", "module") } else { ("catalog.export", "catalog") };
    let entry = crate::db::audit::Entry::new(action, kind, module, kind)
        .detail(format!("{phases} phase(s), {modules} module(s), {content} content item(s), downloaded"));
    if let Err(err) = crate::db::audit::record(&state.db, admin.id, &admin.username, entry).await {
        let err = AppError::from(err);
        return (err.status(), err.to_string()).into_response();
    }
    let name = match module {
        Some(id) => format!("foothold-module-{id}.json"),
        None => "foothold-catalog.json".into(),
    };
    (
        [
            (header::CONTENT_TYPE, "application/json".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        text,
    )
        .into_response()
}
