use std::sync::Arc;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::model::Catalog;
use crate::model::catalog::{CatalogFilter, ModuleCard};

/// The public catalog: active phases in order with their active modules,
/// and on each module the signed-in learner's enrollment.
///
/// Shared (`Arc`) so that a visitor's page is rendered from the cached
/// catalog itself; a learner's gets a copy carrying their progress.
#[server(endpoint = "catalog")]
pub async fn get_catalog() -> Result<Arc<Catalog>, AppError> {
    let state = crate::server::state()?;
    ssr::callers_catalog(&state.db).await
}

/// `/catalog`'s search form (text, tag and skill) showing `filter`, as HTML
/// the server renders (`components::server_html`): the page shows it once
/// per visit, and its submit event is handled by the page. A filter over
/// the length limit is not shown: the form comes empty, and the list beside
/// it says what was wrong (once, not twice).
#[server(endpoint = "catalog/search-form")]
pub async fn catalog_search_form(#[server(default)] filter: CatalogFilter) -> Result<String, AppError> {
    use crate::server::fail;
    let filter = filter.validate().unwrap_or_default();
    let state = crate::server::state()?;
    let catalog = crate::db::catalog::load(&state.db).await.map_err(|e| fail(e.into()))?;
    Ok(crate::pages::catalog::search_form_html(&catalog, &filter))
}

/// `/catalog`'s modules that match `filter` (the featured ones, then each
/// phase's), with the signed-in learner's progress, as HTML the server
/// renders (`components::server_html`): the page asks again whenever its
/// filter changes.
#[server(endpoint = "catalog/listing")]
pub async fn catalog_listing(#[server(default)] filter: CatalogFilter) -> Result<String, AppError> {
    let filter = filter.validate().map_err(|e| crate::server::fail(AppError::Invalid(e)))?;
    let state = crate::server::state()?;
    let catalog = ssr::callers_catalog(&state.db).await?;
    Ok(crate::pages::catalog::listing_html(&catalog, &filter))
}

/// What the home page shows of the catalog: how many phases and modules it
/// has, and its featured modules (with the signed-in learner's progress),
/// so the page carries a few cards rather than the whole catalog.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Highlights {
    pub phases: usize,
    pub modules: usize,
    pub featured: Vec<ModuleCard>,
}

/// The home page's [`Highlights`]: public; a signed-in learner's cards
/// carry their enrollment.
#[server(endpoint = "catalog/highlights")]
pub async fn get_highlights() -> Result<Highlights, AppError> {
    use crate::server::fail;
    let state = crate::server::state()?;
    let catalog = crate::db::catalog::load(&state.db).await.map_err(|e| fail(e.into()))?;
    let mut featured: Vec<ModuleCard> = catalog.featured().cloned().collect();
    if let Some(progress) = ssr::learners_progress(&state.db, featured.iter()).await? {
        for module in &mut featured {
            module.progress = progress.get(&module.id).cloned();
        }
    }
    Ok(Highlights { phases: catalog.phases.len(), modules: catalog.module_count(), featured })
}

#[cfg(feature = "ssr")]
mod ssr {
    use std::collections::HashMap;
    use std::sync::Arc;

    use mongodb::Database;
    use mongodb::bson::oid::ObjectId;

    use crate::db::enrollment::Enrollment;
    use crate::error::AppError;
    use crate::model::Catalog;
    use crate::model::catalog::{CardProgress, ModuleCard};

    /// The cached catalog for a visitor; for a signed-in learner, a copy
    /// whose modules carry their enrollment.
    pub async fn callers_catalog(db: &Database) -> Result<Arc<Catalog>, AppError> {
        let catalog = crate::db::catalog::load(db).await.map_err(|e| crate::server::fail(e.into()))?;
        let shown = catalog.phases.iter().flat_map(|p| p.modules.iter());
        let Some(progress) = learners_progress(db, shown).await? else {
            return Ok(catalog);
        };
        let mut mine = Catalog::clone(&catalog);
        for module in mine.phases.iter_mut().flat_map(|p| p.modules.iter_mut()) {
            module.progress = progress.get(&module.id).cloned();
        }
        Ok(Arc::new(mine))
    }

    /// The signed-in learner's enrollment in the modules of these `cards`
    /// (by module id), read by their derived ids, or `None` for a visitor.
    pub async fn learners_progress<'a>(
        db: &Database,
        cards: impl Iterator<Item = &'a ModuleCard>,
    ) -> Result<Option<HashMap<String, CardProgress>>, AppError> {
        let Some(user) = crate::auth::session::request_user().await? else {
            return Ok(None);
        };
        let modules: Vec<ObjectId> = cards.filter_map(|m| ObjectId::parse_str(&m.id).ok()).collect();
        let enrollments = crate::db::keys::enrollments_among::<Enrollment>(db, user.id, &modules)
            .await
            .map_err(|e| crate::server::fail(e.into()))?;
        Ok(Some(
            enrollments
                .into_iter()
                .map(|e| (e.module.to_hex(), CardProgress { status: e.status, percentage: e.progress.percentage }))
                .collect(),
        ))
    }
}
