//! A `tower-sessions` store in MongoDB (no published store supports
//! tower-sessions 0.15 with the mongodb 3 driver).
//!
//! One document per session in `sessions`: `_id` is the session id, `data`
//! the session's JSON as a string (so no key can trip BSON's rules on `.` and
//! `$`), `expiresAt` its expiry and `user` the signed-in user, so that all of
//! a user's sessions can be ended at once. FerretDB has no TTL indexes:
//! [`MongoSessionStore::purge_expired`] runs on a timer, and `load` ignores
//! expired documents in the meantime.
//!
//! Loads are served from an in-process copy for up to [`CACHED_FOR`]: every
//! authenticated request loads its session, and on FerretDB each load is a
//! round trip that costs as much CPU as a page render. Every write through
//! this store (create, save, delete, ending a user's sessions) updates or
//! drops the copy at once, so sign-out, rotation and "end my other sessions"
//! take effect immediately in this process; `CACHED_FOR` bounds how long a
//! session ended by another process sharing the database still works here.
//! What the session grants is checked against the user's document on every
//! request regardless (see [`crate::auth::session::current_user`]).

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};
use std::time::{Duration, Instant};

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

/// How long a loaded session is served from memory before it is read again.
pub const CACHED_FOR: Duration = Duration::from_secs(5);
/// Sessions kept in memory at most (about 300 bytes each); past it the copy is emptied.
const CACHE_CAPACITY: usize = 50_000;

/// Loaded sessions by (database, session id): when read, and the record.
#[derive(Default)]
struct Copies {
    records: HashMap<(String, String), (Instant, Record)>,
    /// Counts the copies dropped. A load or save keeps what it read or wrote
    /// only if nothing was dropped meanwhile: otherwise a sign-out racing
    /// with a load could leave the signed-out session in memory.
    dropped: u64,
}

static COPIES: LazyLock<Mutex<Copies>> = LazyLock::new(|| Mutex::new(Copies::default()));

fn copies() -> std::sync::MutexGuard<'static, Copies> {
    // The map holds only copies; one left half-updated by a panic is still usable.
    COPIES.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
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

    fn slot(&self, id: &Id) -> (String, String) {
        (self.sessions.namespace().db, id.to_string())
    }

    /// Keeps `record` in memory unless a copy was dropped since `seen` (a drop count read before the database was).
    fn remember(&self, record: &Record, seen: u64) {
        let mut copies = copies();
        if copies.dropped != seen {
            return;
        }
        if copies.records.len() >= CACHE_CAPACITY {
            copies.records.clear();
        }
        copies.records.insert(self.slot(&record.id), (Instant::now(), record.clone()));
    }

    /// Drops the copy of `id`; returns the new drop count.
    fn forget(&self, id: &Id) -> u64 {
        let mut copies = copies();
        copies.records.remove(&self.slot(id));
        copies.dropped += 1;
        copies.dropped
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
        let result = self.sessions.clone_with_type::<Document>().delete_many(filter).await;
        // Dropped after the delete: a load that read the database before it
        // then finds the drop count changed and keeps nothing.
        let db = self.sessions.namespace().db;
        let keep = keep.map(|k| k.to_string());
        {
            let mut copies = copies();
            copies.records.retain(|(in_db, id), (_, record)| {
                *in_db != db
                    || Some(id) == keep.as_ref()
                    || record.data.get(USER_KEY).and_then(|v| v.as_str()) != Some(user)
            });
            copies.dropped += 1;
        }
        Ok(result?.deleted_count)
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
            let seen = copies().dropped;
            match self.sessions.insert_one(&document).await {
                Ok(_) => {
                    self.remember(record, seen);
                    return Ok(());
                }
                Err(err) if is_duplicate_key(&err) => record.id = Id::default(),
                Err(err) => return Err(backend(err)),
            }
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let document = SessionDoc::from_record(record)?;
        // Dropped first: a failed write must not leave a copy the database does not have.
        let seen = self.forget(&record.id);
        self.sessions.replace_one(doc! { "_id": &document.id }, &document).upsert(true).await.map_err(backend)?;
        self.remember(record, seen);
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let now = OffsetDateTime::now_utc();
        let seen = {
            let copies = copies();
            if let Some((_, record)) = copies.records.get(&self.slot(id)).filter(|(at, _)| at.elapsed() < CACHED_FOR) {
                return Ok(Some(record.clone()).filter(|r| r.expiry_date > now));
            }
            copies.dropped
        };
        // By `_id` alone, the one filter FerretDB/SQLite answers from an
        // index (with `expiresAt` added it reads every session); expiry is
        // checked here.
        let found = self.sessions.find_one(doc! { "_id": id.to_string() }).await.map_err(backend)?;
        let now = DateTime::now();
        let record = found.filter(|s| s.expires_at > now).map(SessionDoc::into_record).transpose()?;
        if let Some(record) = &record {
            self.remember(record, seen);
        }
        Ok(record)
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        let result = self.sessions.delete_one(doc! { "_id": id.to_string() }).await;
        // After the delete, for the reason given in `end_sessions_of`.
        self.forget(id);
        result.map_err(backend)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> Record {
        Record {
            id: Id::default(),
            data: HashMap::new(),
            expiry_date: OffsetDateTime::now_utc() + time::Duration::HOUR,
        }
    }

    /// Never connects: the store's copies are tested without a database.
    async fn store() -> MongoSessionStore {
        let client = mongodb::Client::with_uri_str("mongodb://127.0.0.1:9/").await.expect("a client without I/O");
        MongoSessionStore::new(&client.database("session_copies_test"))
    }

    fn held(store: &MongoSessionStore, id: &Id) -> bool {
        copies().records.contains_key(&store.slot(id))
    }

    #[tokio::test]
    async fn a_load_that_raced_a_delete_keeps_no_copy() {
        let store = store().await;
        let read = record();
        // A load reads the drop count, then the database...
        let seen = copies().dropped;
        // ...while a sign-out deletes the session and drops its copy...
        store.forget(&read.id);
        // ...so what the load read must not be kept.
        store.remember(&read, seen);
        assert!(!held(&store, &read.id), "a signed-out session was kept in memory");

        let fresh = record();
        let seen = copies().dropped;
        store.remember(&fresh, seen);
        assert!(held(&store, &fresh.id), "an undisturbed load keeps its copy");
        store.forget(&fresh.id);
        assert!(!held(&store, &fresh.id));
    }
}
