use leptos::prelude::*;

use crate::error::AppError;
use crate::model::Catalog;

/// The public catalog: active phases in order with their active modules.
#[server(endpoint = "catalog")]
pub async fn get_catalog() -> Result<Catalog, AppError> {
    let state = crate::server::state()?;
    crate::db::catalog::load(&state.db).await.map_err(|e| crate::server::fail(e.into()))
}
