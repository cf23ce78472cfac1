//! Keys that make a learner's documents reachable by `_id`.
//!
//! A progress document's `_id` is decided by its learner and item, and an
//! enrollment's by its learner and module ([`progress_id`], [`enrollment_id`]):
//! the first 12 bytes of a SHA-256 of the pair, still a BSON ObjectId as the
//! data model says, so one learner's record is one `_id` lookup. The unique
//! `(user, content)` and `(user, module)` indexes keep guarding them, and
//! each learner has a `learner_keys` document (Foothold's collection)
//! listing the modules they joined and the items they opened, written
//! *before* the document it names (a crash leaves a key to a missing
//! document, never a document nobody can list).
//!
//! On FerretDB 1.24 with SQLite only an `_id` lookup avoids reading the whole
//! collection, and only with Foothold's patch (`db/ferretdb/patches`): the
//! upstream `_id` index is on `->"_id"` while its queries filter on
//! `->'$._id'`, so SQLite never used it (the last of 100,000 records: 0.9 s
//! to find; patched: 0.8 ms). A learner's documents are read as one
//! `{_id: {$in: [...]}}` per list, which a second patch answers from the
//! same index (see [`fetch`]).
//!
//! A learner's award of an achievement is keyed the same way ([`award_id`]):
//! there are dozens of achievements and, in a large school, hundreds of
//! thousands of awards, so a learner's awards are read by the `_id`s of
//! every achievement ([`awards`]) rather than a read of every award (about 25 ms
//! per 1,000 awards on FerretDB/SQLite, and the badge count, the dashboard
//! and every points recomputation read them).
//!
//! [`migrate`] gives documents written before this their derived ids, once
//! per database (`serve` and `foothold rebuild` run it).

use std::collections::HashMap;

use futures::TryStreamExt;
use mongodb::Database;
use mongodb::bson::oid::ObjectId;
use mongodb::bson::{Bson, Document, RawDocumentBuf, doc};
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};

use super::collections::{ACHIEVEMENTS, ENROLLMENTS, PROGRESS, USER_ACHIEVEMENTS};
use super::error::{RepoError, is_duplicate_key};

/// Foothold's collection of per-learner key lists.
pub const LEARNER_KEYS: &str = "learner_keys";
/// Foothold's collection of one-time migrations done.
pub const MIGRATIONS: &str = "foothold_migrations";
const DERIVED_IDS: &str = "derived-ids";
const DERIVED_AWARD_IDS: &str = "derived-award-ids";
const USER_KEYS: &str = "user-keys";

fn derived(kind: &str, a: ObjectId, b: ObjectId) -> ObjectId {
    let mut hash = Sha256::new();
    hash.update(kind.as_bytes());
    hash.update(a.bytes());
    hash.update(b.bytes());
    let digest = hash.finalize();
    let mut bytes = [0u8; 12];
    bytes.copy_from_slice(&digest[..12]);
    ObjectId::from_bytes(bytes)
}

/// The `_id` of `user`'s progress document on `content`.
pub fn progress_id(user: ObjectId, content: ObjectId) -> ObjectId {
    derived("progress", user, content)
}

/// The `_id` of `user`'s enrollment in `module`.
pub fn enrollment_id(user: ObjectId, module: ObjectId) -> ObjectId {
    derived("enrollment", user, module)
}

/// The `_id` of `user`'s award of `achievement`.
pub fn award_id(user: ObjectId, achievement: ObjectId) -> ObjectId {
    derived("award", user, achievement)
}

/// Which list of a learner's keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum List {
    /// Modules the learner enrolled in.
    Modules,
    /// Content items the learner opened.
    Contents,
}

impl List {
    fn field(self) -> &'static str {
        match self {
            List::Modules => "modules",
            List::Contents => "contents",
        }
    }
}

/// Adds `id` to the learner's `list` (idempotent). Call it holding the learner's lock.
pub async fn add(db: &Database, user: ObjectId, list: List, id: ObjectId) -> Result<(), RepoError> {
    let keys = db.collection::<Document>(LEARNER_KEYS);
    let add = || keys.update_one(doc! { "_id": user }, doc! { "$addToSet": { list.field(): id } }).upsert(true);
    match add().await {
        Ok(_) => Ok(()),
        // Two first keys at once: both upserts insert, one loses; the document exists now.
        Err(err) if is_duplicate_key(&err) => Ok(add().await.map(|_| ())?),
        Err(err) => Err(err.into()),
    }
}

/// The ids in the learner's `list`.
pub async fn list(db: &Database, user: ObjectId, list: List) -> Result<Vec<ObjectId>, RepoError> {
    let Some(keys) = db.collection::<Document>(LEARNER_KEYS).find_one(doc! { "_id": user }).await? else {
        return Ok(Vec::new());
    };
    Ok(keys.get_array(list.field()).map(|a| a.iter().filter_map(Bson::as_object_id).collect()).unwrap_or_default())
}

/// The longest `_id` list read by one command; FerretDB's patch answers a
/// list up to 1,000 long from the `_id` index.
const IDS_PER_READ: usize = 1000;

/// The documents of `collection` with these ids, in the same order, skipping
/// missing ones: one `{_id: {$in: ids}}` read per [`IDS_PER_READ`] ids, each
/// answered from the `_id` index (`db/ferretdb/patches`) in one round trip.
pub async fn fetch<T>(db: &Database, collection: &str, ids: &[ObjectId]) -> Result<Vec<T>, RepoError>
where
    T: DeserializeOwned + Send + Sync,
{
    let coll = db.collection::<RawDocumentBuf>(collection);
    let mut by_id: HashMap<ObjectId, RawDocumentBuf> = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(IDS_PER_READ) {
        // One batch holds the whole answer, so no getMore follows.
        let batch = u32::try_from(chunk.len()).unwrap_or(u32::MAX);
        let mut cursor = coll.find(doc! { "_id": { "$in": chunk } }).batch_size(batch).await?;
        while let Some(raw) = cursor.try_next().await? {
            if let Ok(id) = raw.get_object_id("_id") {
                by_id.insert(id, raw);
            }
        }
    }
    ids.iter()
        .filter_map(|id| by_id.get(id))
        .map(|raw| {
            mongodb::bson::from_slice(raw.as_bytes()).map_err(|e| RepoError::Decode(format!("{collection}: {e}")))
        })
        .collect()
}

/// Every enrollment of a learner.
pub async fn enrollments<T>(db: &Database, user: ObjectId) -> Result<Vec<T>, RepoError>
where
    T: DeserializeOwned + Send + Sync,
{
    enrollments_among(db, user, &list(db, user, List::Modules).await?).await
}

/// A learner's enrollments in `modules`, by their derived ids: one read
/// (per 1,000 modules) that needs no key list, and whose ids that match
/// nothing cost an index probe each, not a document to decode. Pages that
/// show only modules that exist read them this way (an enrollment in a
/// deleted module is not among them).
pub async fn enrollments_among<T>(db: &Database, user: ObjectId, modules: &[ObjectId]) -> Result<Vec<T>, RepoError>
where
    T: DeserializeOwned + Send + Sync,
{
    let ids: Vec<ObjectId> = modules.iter().map(|m| enrollment_id(user, *m)).collect();
    fetch(db, ENROLLMENTS, &ids).await
}

/// Every progress document of a learner; only those on `within` when given.
pub async fn progress<T>(db: &Database, user: ObjectId, within: Option<&[ObjectId]>) -> Result<Vec<T>, RepoError>
where
    T: DeserializeOwned + Send + Sync,
{
    let ids: Vec<ObjectId> = list(db, user, List::Contents)
        .await?
        .into_iter()
        .filter(|c| within.is_none_or(|w| w.contains(c)))
        .map(|c| progress_id(user, c))
        .collect();
    fetch(db, PROGRESS, &ids).await
}

/// Every award of a learner (in no particular order): read by the award
/// `_id`s of every achievement, inactive ones included. The achievements are
/// read afresh (a few dozen documents), so an award of one created a moment
/// ago is never missed.
pub async fn awards<T>(db: &Database, user: ObjectId) -> Result<Vec<T>, RepoError>
where
    T: DeserializeOwned + Send + Sync,
{
    let achievements = super::projected(db, ACHIEVEMENTS, doc! {}, doc! { "_id": 1 }).await?;
    let achievements: Vec<ObjectId> = achievements.iter().filter_map(|a| a.get_object_id("_id").ok()).collect();
    awards_among(db, user, &achievements).await
}

/// A learner's awards of the given achievements, by `_id`.
pub async fn awards_among<T>(db: &Database, user: ObjectId, achievements: &[ObjectId]) -> Result<Vec<T>, RepoError>
where
    T: DeserializeOwned + Send + Sync,
{
    let ids: Vec<ObjectId> = achievements.iter().map(|a| award_id(user, *a)).collect();
    fetch(db, USER_ACHIEVEMENTS, &ids).await
}

/// What [`migrate`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Migrated {
    pub progress: usize,
    pub enrollments: usize,
    pub learners: usize,
    pub awards: usize,
    /// Username and email keys written (`db::user::USER_KEYS`).
    pub user_keys: usize,
}

/// Gives every progress, enrollment and award document its derived `_id`,
/// every learner their key lists and every user their username and email
/// keys, once per database. Safe to interrupt and
/// run again: a moved document is parked before the old one is deleted
/// ([`move_document`]), and the next run first writes what was parked.
pub async fn migrate(db: &Database) -> Result<Option<Migrated>, RepoError> {
    let done = db.collection::<Document>(MIGRATIONS);
    let learners_done = done.find_one(doc! { "_id": DERIVED_IDS }).await?.is_some();
    let awards_done = done.find_one(doc! { "_id": DERIVED_AWARD_IDS }).await?.is_some();
    let users_done = done.find_one(doc! { "_id": USER_KEYS }).await?.is_some();
    if learners_done && awards_done && users_done {
        return Ok(None);
    }
    finish_interrupted_moves(db).await?;
    let mut report = Migrated::default();
    if !awards_done {
        report.awards = migrate_awards(db).await?;
        mark_done(db, DERIVED_AWARD_IDS).await?;
    }
    if !users_done {
        report.user_keys = super::user::write_missing_keys(db).await?;
        mark_done(db, USER_KEYS).await?;
    }
    if learners_done {
        return Ok(Some(report));
    }
    let mut lists: HashMap<ObjectId, (Vec<ObjectId>, Vec<ObjectId>)> = HashMap::new();
    for (collection, field, kind) in [(PROGRESS, "content", List::Contents), (ENROLLMENTS, "module", List::Modules)] {
        let coll = db.collection::<Document>(collection);
        let pairs: Vec<Document> =
            coll.find(doc! {}).projection(doc! { "user": 1, field: 1 }).await?.try_collect().await?;
        for pair in pairs {
            let (Ok(id), Ok(user), Ok(other)) =
                (pair.get_object_id("_id"), pair.get_object_id("user"), pair.get_object_id(field))
            else {
                continue;
            };
            let entry = lists.entry(user).or_default();
            let wanted = match kind {
                List::Contents => {
                    entry.0.push(other);
                    progress_id(user, other)
                }
                List::Modules => {
                    entry.1.push(other);
                    enrollment_id(user, other)
                }
            };
            if id == wanted {
                continue;
            }
            if let Some(full) = coll.find_one(doc! { "_id": id }).await? {
                move_document(db, collection, full, wanted).await?;
                if kind == List::Modules {
                    super::certificate::move_claim(db, id, wanted).await?;
                    report.enrollments += 1;
                } else {
                    report.progress += 1;
                }
            }
        }
    }
    let keys = db.collection::<Document>(LEARNER_KEYS);
    for (user, (contents, modules)) in &lists {
        keys.update_one(
            doc! { "_id": user },
            doc! { "$addToSet": { "contents": { "$each": contents }, "modules": { "$each": modules } } },
        )
        .upsert(true)
        .await?;
    }
    report.learners = lists.len();
    mark_done(db, DERIVED_IDS).await?;
    Ok(Some(report))
}

/// Gives every award its derived `_id`; returns how many moved.
async fn migrate_awards(db: &Database) -> Result<usize, RepoError> {
    let coll = db.collection::<Document>(USER_ACHIEVEMENTS);
    let pairs: Vec<Document> =
        coll.find(doc! {}).projection(doc! { "user": 1, "achievement": 1 }).await?.try_collect().await?;
    let mut moved = 0;
    for pair in pairs {
        let (Ok(id), Ok(user), Ok(achievement)) =
            (pair.get_object_id("_id"), pair.get_object_id("user"), pair.get_object_id("achievement"))
        else {
            continue;
        };
        let wanted = award_id(user, achievement);
        if id == wanted {
            continue;
        }
        if let Some(full) = coll.find_one(doc! { "_id": id }).await? {
            move_document(db, USER_ACHIEVEMENTS, full, wanted).await?;
            moved += 1;
        }
    }
    Ok(moved)
}

async fn mark_done(db: &Database, migration: &str) -> Result<(), RepoError> {
    db.collection::<Document>(MIGRATIONS)
        .update_one(doc! { "_id": migration }, doc! { "$set": { "at": mongodb::bson::DateTime::now() } })
        .upsert(true)
        .await?;
    Ok(())
}

/// Gives `full` (from `collection`) the `_id` `wanted`. The unique
/// `(user, …)` index forbids the old and new document side by side, so the
/// document is first parked in [`MIGRATIONS`], then the old one deleted, the
/// new one written and the parked copy dropped; an interrupted move is
/// finished by the next run from the parked copy.
async fn move_document(db: &Database, collection: &str, mut full: Document, wanted: ObjectId) -> Result<(), RepoError> {
    let old = full.get("_id").cloned().unwrap_or(Bson::Null);
    let parked = format!("moving:{collection}:{wanted}");
    full.insert("_id", wanted);
    let parking = db.collection::<Document>(MIGRATIONS);
    parking
        .update_one(doc! { "_id": &parked }, doc! { "$set": { "collection": collection, "document": &full } })
        .upsert(true)
        .await?;
    let coll = db.collection::<Document>(collection);
    coll.delete_one(doc! { "_id": old }).await?;
    match coll.insert_one(full).await {
        Ok(_) => {}
        Err(err) if is_duplicate_key(&err) => {}
        Err(err) => return Err(err.into()),
    }
    parking.delete_one(doc! { "_id": parked }).await?;
    Ok(())
}

/// Writes the documents an interrupted [`migrate`] had parked.
async fn finish_interrupted_moves(db: &Database) -> Result<(), RepoError> {
    let parking = db.collection::<Document>(MIGRATIONS);
    let parked: Vec<Document> = parking.find(doc! {}).await?.try_collect().await?;
    for p in parked {
        let (Ok(id), Ok(collection), Ok(document)) =
            (p.get_str("_id"), p.get_str("collection"), p.get_document("document"))
        else {
            continue;
        };
        match db.collection::<Document>(collection).insert_one(document.clone()).await {
            Ok(_) => {}
            Err(err) if is_duplicate_key(&err) => {}
            Err(err) => return Err(err.into()),
        }
        parking.delete_one(doc! { "_id": id }).await?;
    }
    Ok(())
}

/// Marks a new database as needing no migration (the seeders write derived ids).
pub async fn mark_migrated(db: &Database) -> Result<(), RepoError> {
    mark_done(db, DERIVED_IDS).await?;
    mark_done(db, DERIVED_AWARD_IDS).await?;
    mark_done(db, USER_KEYS).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_ids_are_stable_and_differ_per_pair_and_kind() {
        let a = ObjectId::parse_str("6650a1b2c3d4e5f601234567").unwrap();
        let b = ObjectId::parse_str("6650a1b2c3d4e5f601234568").unwrap();
        assert_eq!(progress_id(a, b), progress_id(a, b));
        assert_ne!(progress_id(a, b), progress_id(b, a));
        assert_ne!(progress_id(a, b), enrollment_id(a, b));
        // Fixed forever: stored documents are found by it (SHA-256 of "progress" ‖ a ‖ b, first 12 bytes).
        assert_eq!(progress_id(a, b).to_hex(), "2a9222a97c8fe0a21c2f8825");
    }
}
