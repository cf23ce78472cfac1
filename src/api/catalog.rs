use std::sync::Arc;

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::Catalog;

/// The public catalog: active phases in order with their active modules,
/// and on each module the signed-in learner's enrollment.
///
/// Shared (`Arc`) so that a visitor's page is rendered from the cached
/// catalog itself; a learner's gets a copy carrying their progress.
#[server(endpoint = "catalog")]
pub async fn get_catalog() -> Result<Arc<Catalog>, AppError> {
    use crate::server::fail;
    let state = crate::server::state()?;
    let catalog = crate::db::catalog::load(&state.db).await.map_err(|e| fail(e.into()))?;
    let Some(user) = crate::auth::session::request_user().await? else {
        return Ok(catalog);
    };
    let enrollments = crate::db::enrollment::list_for_user_in_existing_modules(&state.db, user.id)
        .await
        .map_err(|e| fail(e.into()))?;
    let progress: std::collections::HashMap<String, crate::model::catalog::CardProgress> = enrollments
        .into_iter()
        .map(|e| {
            let card = crate::model::catalog::CardProgress { status: e.status, percentage: e.progress.percentage };
            (e.module.to_hex(), card)
        })
        .collect();
    let mut mine = Catalog::clone(&catalog);
    for module in mine.phases.iter_mut().flat_map(|p| p.modules.iter_mut()) {
        module.progress = progress.get(&module.id).cloned();
    }
    Ok(Arc::new(mine))
}
