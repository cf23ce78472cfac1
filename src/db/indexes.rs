//! Every index of `spec/data-model.md` (and the few Foothold adds), created at start.
//!
//! `createIndexes` with an identical definition is a no-op on MongoDB and
//! FerretDB, so running this on every start is safe.

use mongodb::bson::{Document, doc};
use mongodb::options::IndexOptions;
use mongodb::{Database, IndexModel};

use super::collections::*;

/// One index: collection, keys, unique or not.
pub struct IndexSpec {
    pub collection: &'static str,
    pub keys: Document,
    pub unique: bool,
}

fn index(collection: &'static str, keys: Document) -> IndexSpec {
    IndexSpec { collection, keys, unique: false }
}

fn unique(collection: &'static str, keys: Document) -> IndexSpec {
    IndexSpec { collection, keys, unique: true }
}

/// The indexes the spec lists, collection by collection.
pub fn spec_indexes() -> Vec<IndexSpec> {
    vec![
        unique(USERS, doc! { "username": 1 }),
        unique(USERS, doc! { "email": 1 }),
        index(USERS, doc! { "role": 1 }),
        index(USERS, doc! { "stats.totalPoints": -1 }),
        index(USERS, doc! { "currentStreak": -1 }),
        index(PHASES, doc! { "order": 1 }),
        index(PHASES, doc! { "difficulty": 1 }),
        index(PHASES, doc! { "isActive": 1 }),
        index(MODULES, doc! { "phase": 1, "order": 1 }),
        index(MODULES, doc! { "difficulty": 1 }),
        index(MODULES, doc! { "isActive": 1 }),
        index(MODULES, doc! { "isFeatured": 1 }),
        index(MODULES, doc! { "tags": 1 }),
        index(CONTENTS, doc! { "module": 1, "order": 1 }),
        index(CONTENTS, doc! { "type": 1 }),
        index(CONTENTS, doc! { "isActive": 1 }),
        index(CONTENTS, doc! { "section": 1 }),
        index(CONTENTS, doc! { "tags": 1 }),
        unique(ENROLLMENTS, doc! { "user": 1, "module": 1 }),
        index(ENROLLMENTS, doc! { "user": 1, "status": 1 }),
        index(ENROLLMENTS, doc! { "module": 1, "status": 1 }),
        index(ENROLLMENTS, doc! { "enrolledAt": -1 }),
        index(ENROLLMENTS, doc! { "lastAccessedAt": -1 }),
        unique(PROGRESS, doc! { "user": 1, "content": 1 }),
        index(PROGRESS, doc! { "user": 1, "module": 1 }),
        index(PROGRESS, doc! { "user": 1, "progress.isCompleted": 1 }),
        index(PROGRESS, doc! { "content": 1, "progress.isCompleted": 1 }),
        index(PROGRESS, doc! { "lastAccessedAt": -1 }),
        index(ACHIEVEMENTS, doc! { "category": 1 }),
        index(ACHIEVEMENTS, doc! { "type": 1 }),
        index(ACHIEVEMENTS, doc! { "isActive": 1 }),
        index(ACHIEVEMENTS, doc! { "rarity": 1 }),
        index(ACHIEVEMENTS, doc! { "order": 1 }),
        unique(USER_ACHIEVEMENTS, doc! { "user": 1, "achievement": 1 }),
        index(USER_ACHIEVEMENTS, doc! { "user": 1, "earnedAt": -1 }),
        index(USER_ACHIEVEMENTS, doc! { "achievement": 1, "earnedAt": -1 }),
        index(USER_ACHIEVEMENTS, doc! { "user": 1, "isViewed": 1 }),
    ]
}

/// Indexes Foothold adds beyond the spec: session expiry (for the purge
/// timer), session owner (to end a user's sessions) and certificate id (for
/// public verification; not unique, as FerretDB has no partial indexes and
/// most enrollments have none — 125 random bits make collisions moot), and
/// the audit log's date, area and actor (its page filters by them).
pub fn app_indexes() -> Vec<IndexSpec> {
    vec![
        index(ENROLLMENTS, doc! { "certificate.certificateId": 1 }),
        index(super::audit::COLLECTION, doc! { "at": -1 }),
        index(super::audit::COLLECTION, doc! { "targetKind": 1, "at": -1 }),
        index(super::audit::COLLECTION, doc! { "actorUsername": 1, "at": -1 }),
        index(crate::auth::session_store::COLLECTION, doc! { "expiresAt": 1 }),
        index(crate::auth::session_store::COLLECTION, doc! { "user": 1 }),
    ]
}

/// MongoDB's default index name: `field_direction` pairs joined by `_`.
pub fn index_name(keys: &Document) -> String {
    keys.iter().map(|(field, dir)| format!("{field}_{dir}")).collect::<Vec<_>>().join("_")
}

/// Creates every spec index, one `createIndexes` call per index.
///
/// One at a time on purpose: FerretDB 1.24 panics (and drops the connection)
/// when a single `createIndexes` names two or more indexes that already exist
/// (`validateIndexesForCreation` deletes from a slice it has already
/// shortened), which is exactly what every restart would send.
pub async fn ensure_indexes(db: &Database) -> mongodb::error::Result<usize> {
    let specs: Vec<IndexSpec> = spec_indexes().into_iter().chain(app_indexes()).collect();
    for spec in &specs {
        let options = IndexOptions::builder().name(index_name(&spec.keys)).unique(spec.unique.then_some(true)).build();
        let model = IndexModel::builder().keys(spec.keys.clone()).options(options).build();
        db.collection::<Document>(spec.collection).create_index(model).await?;
    }
    Ok(specs.len())
}
