//! The MongoDB session store against a real FerretDB.

use crate::support;

use std::collections::HashMap;

use time::{Duration, OffsetDateTime};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::SessionStore;

use foothold::auth::session_store::{MongoSessionStore, USER_KEY};

fn record(user: Option<&str>, expires_in: Duration) -> Record {
    let mut data = HashMap::new();
    data.insert("theme".to_string(), serde_json::json!("dark"));
    // Keys BSON would refuse as field names are fine: data is stored as JSON text.
    data.insert("a.b$c".to_string(), serde_json::json!({ "$gt": "" }));
    if let Some(user) = user {
        data.insert(USER_KEY.to_string(), serde_json::json!(user));
    }
    Record { id: Id::default(), data, expiry_date: OffsetDateTime::now_utc() + expires_in }
}

#[tokio::test]
async fn sessions_round_trip_and_are_shared_by_two_app_instances() {
    let (_config, db) = support::fresh_database().await;
    let first_instance = MongoSessionStore::new(&db);
    let second_instance = MongoSessionStore::new(&db);

    let mut session = record(Some("u1"), Duration::hours(1));
    first_instance.create(&mut session).await.unwrap();
    let loaded = second_instance.load(&session.id).await.unwrap().expect("visible to the other instance");
    assert_eq!(loaded.data, session.data);
    assert_eq!(loaded.expiry_date.unix_timestamp(), session.expiry_date.unix_timestamp());

    session.data.insert("theme".into(), serde_json::json!("light"));
    second_instance.save(&session).await.unwrap();
    assert_eq!(first_instance.load(&session.id).await.unwrap().unwrap().data["theme"], "light");

    first_instance.delete(&session.id).await.unwrap();
    assert!(second_instance.load(&session.id).await.unwrap().is_none());
    assert!(first_instance.load(&Id::default()).await.unwrap().is_none());
}

#[tokio::test]
async fn expired_sessions_are_never_loaded_and_are_purged() {
    let (_config, db) = support::fresh_database().await;
    let store = MongoSessionStore::new(&db);
    let mut expired = record(None, Duration::seconds(-5));
    let mut live = record(None, Duration::hours(1));
    store.create(&mut expired).await.unwrap();
    store.create(&mut live).await.unwrap();
    assert!(store.load(&expired.id).await.unwrap().is_none(), "expired session loaded");
    assert_eq!(store.purge_expired().await.unwrap(), 1);
    assert!(store.load(&live.id).await.unwrap().is_some());
    assert_eq!(store.purge_expired().await.unwrap(), 0);
}

#[tokio::test]
async fn all_sessions_of_a_user_can_be_ended_but_one() {
    let (_config, db) = support::fresh_database().await;
    let store = MongoSessionStore::new(&db);
    let mut ids = Vec::new();
    for user in ["ada", "ada", "ada", "grace"] {
        let mut r = record(Some(user), Duration::hours(1));
        store.create(&mut r).await.unwrap();
        ids.push(r.id);
    }
    assert_eq!(store.end_sessions_of("ada", Some(ids[0])).await.unwrap(), 2);
    assert!(store.load(&ids[0]).await.unwrap().is_some(), "the caller's own session stays");
    assert!(store.load(&ids[1]).await.unwrap().is_none());
    assert!(store.load(&ids[3]).await.unwrap().is_some(), "other users keep theirs");
    assert_eq!(store.end_sessions_of("ada", None).await.unwrap(), 1);
}

#[tokio::test]
async fn create_never_overwrites_an_existing_session() {
    let (_config, db) = support::fresh_database().await;
    let store = MongoSessionStore::new(&db);
    let mut original = record(Some("ada"), Duration::hours(1));
    store.create(&mut original).await.unwrap();
    // A second record that happens to draw the same id gets a new one.
    let mut colliding = record(Some("mallory"), Duration::hours(1));
    colliding.id = original.id;
    store.create(&mut colliding).await.unwrap();
    assert_ne!(colliding.id, original.id);
    assert_eq!(store.load(&original.id).await.unwrap().unwrap().data[USER_KEY], "ada");
    assert_eq!(store.load(&colliding.id).await.unwrap().unwrap().data[USER_KEY], "mallory");
}

#[tokio::test]
async fn loads_come_from_memory_but_every_write_through_the_store_shows_at_once() {
    let (_config, db) = support::fresh_database().await;
    let store = MongoSessionStore::new(&db);
    let raw = db.collection::<mongodb::bson::Document>(foothold::auth::session_store::COLLECTION);
    let mut session = record(Some("ada"), Duration::hours(1));
    store.create(&mut session).await.unwrap();
    assert!(store.load(&session.id).await.unwrap().is_some());

    // Changed behind the store's back (another process): the copy is served
    // for up to CACHED_FOR, which is what spares the round trip.
    raw.delete_one(mongodb::bson::doc! { "_id": session.id.to_string() }).await.unwrap();
    assert!(store.load(&session.id).await.unwrap().is_some(), "the load went to the database");

    // Through the store: gone at once, in memory and in the database.
    store.delete(&session.id).await.unwrap();
    assert!(store.load(&session.id).await.unwrap().is_none(), "a deleted session was served from memory");

    let mut other = record(Some("ada"), Duration::hours(1));
    store.create(&mut other).await.unwrap();
    assert!(store.load(&other.id).await.unwrap().is_some());
    store.end_sessions_of("ada", None).await.unwrap();
    assert!(store.load(&other.id).await.unwrap().is_none(), "an ended session was served from memory");
}
