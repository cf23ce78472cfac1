use leptos::prelude::*;

use crate::error::AppError;
use crate::model::Catalog;

/// The public catalog: active phases in order with their active modules,
/// and on each module the signed-in learner's enrollment.
#[server(endpoint = "catalog")]
pub async fn get_catalog() -> Result<Catalog, AppError> {
    use crate::server::fail;
    let state = crate::server::state()?;
    let mut catalog = crate::db::catalog::load(&state.db).await.map_err(|e| fail(e.into()))?;
    if let Some(user) = crate::auth::session::request_user().await? {
        let enrollments = crate::db::enrollment::list_for_user_in_existing_modules(&state.db, user.id)
            .await
            .map_err(|e| fail(e.into()))?;
        for module in catalog.phases.iter_mut().flat_map(|p| p.modules.iter_mut()) {
            module.progress = enrollments
                .iter()
                .find(|e| e.module.to_hex() == module.id)
                .map(|e| crate::model::catalog::CardProgress { status: e.status, percentage: e.progress.percentage });
        }
    }
    Ok(catalog)
}
