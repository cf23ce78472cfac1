//! The catalog's shape as admins edit it: `order` kept dense (1, 2, 3, …)
//! and unique among siblings (phases; modules of a phase; content of a
//! module), and prerequisites that never form a cycle.

use futures::TryStreamExt;
use mongodb::Database;
use mongodb::bson::oid::ObjectId;
use mongodb::bson::{DateTime, Document, doc};

use super::error::RepoError;

/// Whose children are ordered together.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Siblings {
    Phases,
    ModulesOf(ObjectId),
    ContentOf(ObjectId),
}

impl Siblings {
    fn collection(self) -> &'static str {
        use super::collections::{CONTENTS, MODULES, PHASES};
        match self {
            Siblings::Phases => PHASES,
            Siblings::ModulesOf(_) => MODULES,
            Siblings::ContentOf(_) => CONTENTS,
        }
    }

    fn filter(self) -> Document {
        match self {
            Siblings::Phases => doc! {},
            Siblings::ModulesOf(phase) => doc! { "phase": phase },
            Siblings::ContentOf(module) => doc! { "module": module },
        }
    }
}

/// Reorders are read-modify-write over several documents: one at a time per process.
static ORDER_LOCK: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Sibling ids in their current order (`order`, then `preferred` first among equals, then id).
async fn ordered(
    db: &Database,
    siblings: Siblings,
    preferred: Option<ObjectId>,
) -> Result<Vec<(ObjectId, i64)>, RepoError> {
    let docs: Vec<Document> = db
        .collection::<Document>(siblings.collection())
        .find(siblings.filter())
        .projection(doc! { "_id": 1, "order": 1 })
        .await?
        .try_collect()
        .await?;
    let mut list: Vec<(ObjectId, i64)> = docs
        .iter()
        .filter_map(|d| Some((d.get_object_id("_id").ok()?, super::number(d, "order").unwrap_or(0.0) as i64)))
        .collect();
    list.sort_by_key(|(id, order)| (*order, Some(*id) != preferred, *id));
    Ok(list)
}

/// Writes 1..=n as the order of `ids`, touching only the documents whose order changes.
async fn renumber(
    db: &Database,
    siblings: Siblings,
    ids: &[ObjectId],
    current: &[(ObjectId, i64)],
) -> Result<(), RepoError> {
    let collection = db.collection::<Document>(siblings.collection());
    let now = DateTime::now();
    for (i, id) in ids.iter().enumerate() {
        let wanted = i as i64 + 1;
        if current.iter().any(|(c, order)| c == id && *order != wanted) {
            collection
                .update_one(doc! { "_id": id }, doc! { "$set": { "order": wanted as i32, "updatedAt": now } })
                .await?;
        }
    }
    Ok(())
}

/// Makes the siblings' order dense and unique; `preferred` (just created or
/// edited to take a position) goes first among equal orders.
pub async fn normalise(db: &Database, siblings: Siblings, preferred: Option<ObjectId>) -> Result<(), RepoError> {
    let _guard = ORDER_LOCK.lock().await;
    let current = ordered(db, siblings, preferred).await?;
    let ids: Vec<ObjectId> = current.iter().map(|(id, _)| *id).collect();
    renumber(db, siblings, &ids, &current).await
}

/// Moves `id` one place up (`-1`) or down (`1`) among its siblings; at either end it stays.
pub async fn shift(db: &Database, siblings: Siblings, id: ObjectId, by: i32) -> Result<(), RepoError> {
    let _guard = ORDER_LOCK.lock().await;
    let current = ordered(db, siblings, None).await?;
    let mut ids: Vec<ObjectId> = current.iter().map(|(id, _)| *id).collect();
    let Some(at) = ids.iter().position(|i| *i == id) else {
        return Err(RepoError::NotFound("That item among its siblings"));
    };
    let to = at as i64 + i64::from(by.signum());
    if (0..ids.len() as i64).contains(&to) {
        ids.swap(at, to as usize);
    }
    renumber(db, siblings, &ids, &current).await
}

/// Sets the order of `ids` (every sibling, each once) to their position in the list.
pub async fn arrange(db: &Database, siblings: Siblings, ids: &[ObjectId]) -> Result<(), RepoError> {
    let _guard = ORDER_LOCK.lock().await;
    let current = ordered(db, siblings, None).await?;
    let mut given = ids.to_vec();
    given.sort();
    let mut existing: Vec<ObjectId> = current.iter().map(|(id, _)| *id).collect();
    existing.sort();
    if given != existing {
        return Err(RepoError::field("order", "The list must name every item here exactly once; reload and try again"));
    }
    renumber(db, siblings, ids, &current).await
}

/// Refuses `prerequisites` for `id` (a phase or module, per `collection`)
/// that would make a cycle, naming it: "This would make a cycle: A → B → A".
pub async fn refuse_cycle(
    db: &Database,
    collection: &str,
    id: ObjectId,
    prerequisites: &[ObjectId],
) -> Result<(), RepoError> {
    let docs: Vec<Document> = db
        .collection::<Document>(collection)
        .find(doc! {})
        .projection(doc! { "_id": 1, "title": 1, "prerequisites": 1 })
        .await?
        .try_collect()
        .await?;
    let graph: std::collections::HashMap<ObjectId, (String, Vec<ObjectId>)> = docs
        .iter()
        .filter_map(|d| {
            let own = d.get_object_id("_id").ok()?;
            let title = d.get_str("title").unwrap_or("?").to_string();
            let prerequisites = if own == id {
                prerequisites.to_vec()
            } else {
                d.get_array("prerequisites")
                    .map(|a| a.iter().filter_map(|p| p.as_object_id()).collect())
                    .unwrap_or_default()
            };
            Some((own, (title, prerequisites)))
        })
        .collect();
    let of = |k: &ObjectId| graph.get(k).map(|(_, p)| p.clone()).unwrap_or_default();
    match crate::domain::gating::find_cycle(&id, of) {
        None => Ok(()),
        Some(path) => {
            let names: Vec<String> =
                path.iter().map(|k| graph.get(k).map_or_else(|| k.to_hex(), |(t, _)| format!("“{t}”"))).collect();
            Err(RepoError::field("prerequisites", format!("This would make a cycle: {}", names.join(" → "))))
        }
    }
}
