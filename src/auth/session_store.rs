//! A `tower-sessions` store in MongoDB (no published store supports
//! tower-sessions 0.15 with the mongodb 3 driver).
//!
//! One document per session in `sessions`: `_id` is the session id, `data`
//! the session's JSON as a string (so no key can trip BSON's rules on `.` and
//! `$`), `expiresAt` its expiry and `user` the signed-in user, so that all of
//! a user's sessions can be ended at once. FerretDB has no TTL indexes:
//! [`MongoSessionStore::purge_expired`] runs on a timer, and `load` ignores
//! expired documents in the meantime.

use std::collections::HashMap;

use async_trait::async_trait;
use mongodb::bson::{DateTime, Document, doc};
use mongodb::{Collection, Database};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

use crate::db::error::is_duplicate_key;

pub const COLLECTION: &str = "sessions";

/// The session key under which the signed-in user's id is kept.
pub const USER_KEY: &str = "user_id";

#[derive(Debug, Clone)]
pub struct MongoSessionStore {
    sessions: Collection<SessionDoc>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SessionDoc {
    #[serde(rename = "_id")]
    id: String,
    data: String,
    expires_at: DateTime,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    user: Option<String>,
}

fn to_bson_time(t: OffsetDateTime) -> DateTime {
    DateTime::from_millis(i64::try_from(t.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX))
}

fn from_bson_time(t: DateTime) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(t.timestamp_millis()) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

fn backend(err: mongodb::error::Error) -> session_store::Error {
    session_store::Error::Backend(err.to_string())
}

impl SessionDoc {
    fn from_record(record: &Record) -> Result<SessionDoc, session_store::Error> {
        let data = serde_json::to_string(&record.data).map_err(|e| session_store::Error::Encode(e.to_string()))?;
        let user = record.data.get(USER_KEY).and_then(|v| v.as_str()).map(str::to_string);
        Ok(SessionDoc { id: record.id.to_string(), data, expires_at: to_bson_time(record.expiry_date), user })
    }

    fn into_record(self) -> Result<Record, session_store::Error> {
        let id = self.id.parse::<Id>().map_err(|e| session_store::Error::Decode(e.to_string()))?;
        let data: HashMap<String, serde_json::Value> =
            serde_json::from_str(&self.data).map_err(|e| session_store::Error::Decode(e.to_string()))?;
        Ok(Record { id, data, expiry_date: from_bson_time(self.expires_at) })
    }
}

impl MongoSessionStore {
    pub fn new(db: &Database) -> MongoSessionStore {
        MongoSessionStore { sessions: db.collection(COLLECTION) }
    }

    /// Deletes every expired session; returns how many.
    pub async fn purge_expired(&self) -> mongodb::error::Result<u64> {
        let result = self
            .sessions
            .clone_with_type::<Document>()
            .delete_many(doc! { "expiresAt": { "$lte": DateTime::now() } })
            .await?;
        Ok(result.deleted_count)
    }

    /// Ends every session of `user` except `keep` (the caller's own, when it changes its password).
    pub async fn end_sessions_of(&self, user: &str, keep: Option<Id>) -> mongodb::error::Result<u64> {
        let mut filter = doc! { "user": user };
        if let Some(keep) = keep {
            filter.insert("_id", doc! { "$ne": keep.to_string() });
        }
        Ok(self.sessions.clone_with_type::<Document>().delete_many(filter).await?.deleted_count)
    }

    /// Runs [`Self::purge_expired`] every `period` until the process ends.
    pub fn spawn_purge(self, period: std::time::Duration) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(period);
            loop {
                ticks.tick().await;
                match self.purge_expired().await {
                    Ok(0) => {}
                    Ok(n) => tracing::debug!(purged = n, "expired sessions deleted"),
                    Err(err) => tracing::warn!(error = %err, "purging expired sessions failed"),
                }
            }
        })
    }
}

#[async_trait]
impl SessionStore for MongoSessionStore {
    /// Inserts under a fresh id; on the (astronomically unlikely) collision with
    /// an existing session, draws another id instead of overwriting it.
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        loop {
            let document = SessionDoc::from_record(record)?;
            match self.sessions.insert_one(&document).await {
                Ok(_) => return Ok(()),
                Err(err) if is_duplicate_key(&err) => record.id = Id::default(),
                Err(err) => return Err(backend(err)),
            }
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let document = SessionDoc::from_record(record)?;
        self.sessions.replace_one(doc! { "_id": &document.id }, &document).upsert(true).await.map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        // By `_id` alone, the one filter FerretDB/SQLite answers from an
        // index (with `expiresAt` added it reads every session); expiry is
        // checked here.
        let found = self.sessions.find_one(doc! { "_id": id.to_string() }).await.map_err(backend)?;
        let now = DateTime::now();
        found.filter(|s| s.expires_at > now).map(SessionDoc::into_record).transpose()
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.sessions.delete_one(doc! { "_id": id.to_string() }).await.map_err(backend)?;
        Ok(())
    }
}
