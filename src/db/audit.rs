//! The `audit_events` collection (Foothold's addition to the spec): every
//! administrator action, appended and never changed — who, what, when, on
//! which document, and the document before and after.

use futures::TryStreamExt;
use mongodb::Database;
use mongodb::bson::oid::ObjectId;
use mongodb::bson::{Bson, DateTime, Document, doc};
use serde::{Deserialize, Serialize};

use super::error::RepoError;

pub const COLLECTION: &str = "audit_events";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditEvent {
    #[serde(rename = "_id")]
    pub id: ObjectId,
    pub at: DateTime,
    /// The administrator who acted.
    pub actor: ObjectId,
    pub actor_username: String,
    /// What was done, as `area.verb`: `phase.create`, `user.suspend`, …
    pub action: String,
    /// The kind of document acted on: `phase`, `module`, `content`, `achievement`, `user`, `catalog`.
    pub target_kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_id: Option<ObjectId>,
    /// A readable name of the target (title or username) at the time.
    pub target_label: String,
    /// The document before the action (absent for a creation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<Bson>,
    /// The document after the action (absent for a deletion).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<Bson>,
    /// Anything else worth knowing (a reason, counts of an import…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// One action to record.
#[derive(Debug, Clone, Default)]
pub struct Entry {
    pub action: String,
    pub target_kind: String,
    pub target_id: Option<ObjectId>,
    pub target_label: String,
    pub before: Option<Bson>,
    pub after: Option<Bson>,
    pub detail: Option<String>,
}

impl Entry {
    pub fn new(action: &str, target_kind: &str, target_id: Option<ObjectId>, target_label: &str) -> Entry {
        Entry {
            action: action.into(),
            target_kind: target_kind.into(),
            target_id,
            target_label: target_label.into(),
            ..Entry::default()
        }
    }

    /// The target as it was, serialised (secrets are never in what admins edit;
    /// user documents are recorded through projections without the password).
    pub fn before(mut self, value: &impl Serialize) -> Entry {
        self.before = mongodb::bson::to_bson(value).ok();
        self
    }

    pub fn after(mut self, value: &impl Serialize) -> Entry {
        self.after = mongodb::bson::to_bson(value).ok();
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Entry {
        self.detail = Some(detail.into());
        self
    }
}

/// Appends `entry` as done now by `actor`.
pub async fn record(db: &Database, actor: ObjectId, actor_username: &str, entry: Entry) -> Result<(), RepoError> {
    // Every admin change is recorded here, so learners' cached catalog reads go with it.
    super::cache::catalog_changed(db);
    let event = AuditEvent {
        id: ObjectId::new(),
        at: DateTime::now(),
        actor,
        actor_username: actor_username.to_string(),
        action: entry.action,
        target_kind: entry.target_kind,
        target_id: entry.target_id,
        target_label: entry.target_label,
        before: entry.before,
        after: entry.after,
        detail: entry.detail,
    };
    db.collection::<AuditEvent>(COLLECTION).insert_one(&event).await?;
    tracing::info!(target: "audit", actor = %actor_username, action = %event.action, target = %event.target_label);
    Ok(())
}

/// What the audit page filters by; empty fields match everything.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub actor_username: Option<String>,
    /// One action, e.g. `phase.create`.
    pub action: Option<String>,
    pub target_kind: Option<String>,
    pub target_id: Option<ObjectId>,
    pub since: Option<DateTime>,
    pub until: Option<DateTime>,
}

/// Events matching `filter`, newest first, `skip`/`limit` for paging; and how many match.
pub async fn list(db: &Database, filter: &Filter, skip: u64, limit: i64) -> Result<(Vec<AuditEvent>, u64), RepoError> {
    let mut query = Document::new();
    if let Some(actor) = &filter.actor_username {
        query.insert("actorUsername", actor);
    }
    if let Some(kind) = &filter.target_kind {
        query.insert("targetKind", kind);
    }
    if let Some(id) = filter.target_id {
        query.insert("targetId", id);
    }
    let mut at = Document::new();
    if let Some(since) = filter.since {
        at.insert("$gte", since);
    }
    if let Some(until) = filter.until {
        at.insert("$lt", until);
    }
    if !at.is_empty() {
        query.insert("at", at);
    }
    if let Some(action) = &filter.action {
        query.insert("action", action);
    }
    let collection = db.collection::<AuditEvent>(COLLECTION);
    let total = collection.count_documents(query.clone()).await?;
    let events =
        collection.find(query).sort(doc! { "at": -1, "_id": -1 }).skip(skip).limit(limit).await?.try_collect().await?;
    Ok((events, total))
}
