//! A short-lived in-process cache of reads that on FerretDB/SQLite read a
//! whole collection each time: a module's items (74 ms among 1,000 items),
//! the published catalog, the achievements shown beside a learner's awards,
//! and the leaderboards (1 s among 10,000 learners).
//!
//! Every catalog write in this process calls [`catalog_changed`], which
//! drops the database's entries at once; [`TTL`] (plus the time of one
//! reload, during which the expired entry is still served) bounds how long
//! a change made by another process (`foothold import`) takes to show.
//! A learner's new points or streak only mark the boards [`outdated`]: the
//! next request reads them again while the others are still shown the
//! board as it was, so a board never keeps its readers waiting.

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::{Duration, Instant};

use mongodb::Database;
use mongodb::bson::oid::ObjectId;

/// How long a catalog read is served.
pub const TTL: Duration = Duration::from_secs(10);
/// The longest any entry is kept.
const MAX_TTL: Duration = Duration::from_secs(300);
/// An [`outdated`] entry is still served as fresh until it is this old, so
/// however often it changes, it is read again at most this often.
const REREAD_AFTER: Duration = Duration::from_secs(5);

/// A value, when it was read, and whether a write in this process has made
/// it out of date since (then it is read again, and served meanwhile).
struct Entry {
    at: Instant,
    value: Arc<dyn Any + Send + Sync>,
    outdated: bool,
}

impl Entry {
    fn is_fresh(&self, ttl: Duration) -> bool {
        let age = self.at.elapsed();
        age < ttl && (!self.outdated || age < REREAD_AFTER)
    }
}

type Slot = (String, String);

/// One load at a time per entry; a slow load (a board over a million
/// records) holds up only the requests that wait for that same entry.
static LOADING: LazyLock<Mutex<HashMap<Slot, Arc<tokio::sync::Mutex<()>>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

static ENTRIES: LazyLock<Mutex<HashMap<Slot, Entry>>> = LazyLock::new(|| Mutex::new(HashMap::new()));

/// The cached value for `key` in `db`, or the one `load` reads (then cached).
/// Loads of one key run one at a time, so `load` must not read its own key
/// through this cache.
pub async fn get_or_load<T, E, F>(db: &Database, key: String, load: F) -> Result<Arc<T>, E>
where
    T: Send + Sync + 'static,
    F: std::future::Future<Output = Result<T, E>>,
{
    get_or_load_within(db, key, TTL, load).await
}

/// [`get_or_load`] with an entry kept at most `ttl` (never longer than the
/// others survive a catalog change).
pub async fn get_or_load_within<T, E, F>(db: &Database, key: String, ttl: Duration, load: F) -> Result<Arc<T>, E>
where
    T: Send + Sync + 'static,
    F: std::future::Future<Output = Result<T, E>>,
{
    let slot = (db.name().to_string(), key);
    let cached = || {
        ENTRIES
            .lock()
            .ok()
            .and_then(|entries| entries.get(&slot).filter(|e| e.is_fresh(ttl)).map(|e| Arc::clone(&e.value)))
            .and_then(|v| v.downcast::<T>().ok())
    };
    if let Some(value) = cached() {
        return Ok(value);
    }
    // One load at a time per key: requests that miss together wait for the
    // first load instead of each reading the collection (50 clients on one
    // module page would otherwise read it 50 times).
    let Some(gate) = gate(&slot) else { return Ok(Arc::new(load.await?)) };
    let _loading = match gate.try_lock() {
        Ok(loading) => loading,
        // Another request is reading the entry again: while it does, an
        // expired value (one no write in this process has dropped) is served
        // rather than waited for, so a reload costs the one request that
        // makes it, not every request for that entry meanwhile.
        Err(_) => match expired(&slot) {
            Some(value) => return Ok(value),
            None => gate.lock().await,
        },
    };
    if let Some(value) = cached() {
        return Ok(value);
    }
    let value = Arc::new(load.await?);
    store(slot, &value);
    Ok(value)
}

/// The gate that lets one load of `slot` run at a time.
fn gate(slot: &Slot) -> Option<Arc<tokio::sync::Mutex<()>>> {
    let mut loading = LOADING.lock().ok()?;
    if loading.len() > 10_000 {
        loading.retain(|_, gate| Arc::strong_count(gate) > 1);
    }
    Some(Arc::clone(loading.entry(slot.clone()).or_default()))
}

/// Keeps `value` as the fresh entry of `slot`.
fn store<T: Send + Sync + 'static>(slot: Slot, value: &Arc<T>) {
    if let Ok(mut entries) = ENTRIES.lock() {
        if entries.len() > 10_000 {
            entries.retain(|_, e| e.at.elapsed() < MAX_TTL);
        }
        let entry =
            Entry { at: Instant::now(), value: Arc::clone(value) as Arc<dyn Any + Send + Sync>, outdated: false };
        entries.insert(slot, entry);
    }
}

/// Reads the entry for `key` again with `load` and keeps it (for a task
/// that keeps an entry fresh): requests meanwhile are served the entry as
/// it is, and a request that has started a load of its own is waited for.
pub async fn reload<T, E, F>(db: &Database, key: String, load: F) -> Result<Arc<T>, E>
where
    T: Send + Sync + 'static,
    F: std::future::Future<Output = Result<T, E>>,
{
    let slot = (db.name().to_string(), key);
    let gate = gate(&slot);
    let _loading = match &gate {
        Some(gate) => Some(gate.lock().await),
        None => None,
    };
    let value = Arc::new(load.await?);
    store(slot, &value);
    Ok(value)
}

/// Every document of `collection` by its id (`id_of`), cached under the
/// collection's name.
pub async fn whole_collection<T>(
    db: &Database,
    collection: &str,
    id_of: impl Fn(&T) -> ObjectId,
) -> Result<Arc<HashMap<ObjectId, T>>, super::error::RepoError>
where
    T: serde::de::DeserializeOwned + Send + Sync + 'static,
{
    use futures::TryStreamExt;
    get_or_load(db, collection.to_string(), async {
        let all: Vec<T> = db.collection::<T>(collection).find(mongodb::bson::doc! {}).await?.try_collect().await?;
        Ok(all.into_iter().map(|d| (id_of(&d), d)).collect())
    })
    .await
}

/// The entry in `slot` however old (up to [`MAX_TTL`]) or outdated, if it is a `T`.
fn expired<T: Send + Sync + 'static>(slot: &Slot) -> Option<Arc<T>> {
    let entries = ENTRIES.lock().ok()?;
    let entry = entries.get(slot)?;
    (entry.at.elapsed() < MAX_TTL).then(|| Arc::clone(&entry.value)).and_then(|v| v.downcast::<T>().ok())
}

/// Marks the entries of `db` whose key starts with `prefix` out of date:
/// what they show changed, so the first request once they are
/// [`REREAD_AFTER`] old reads them again, and until it has, the others are
/// served the entry as it was.
pub fn outdated(db: &Database, prefix: &str) {
    if let Ok(mut entries) = ENTRIES.lock() {
        for ((name, key), entry) in entries.iter_mut() {
            if name == db.name() && key.starts_with(prefix) {
                entry.outdated = true;
            }
        }
    }
}

/// Forgets every cached catalog read of `db` (call after any catalog write):
/// no request is served an entry from before the write.
pub fn catalog_changed(db: &Database) {
    if let Ok(mut entries) = ENTRIES.lock() {
        entries.retain(|(name, _), _| name != db.name());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_slow_load_holds_up_only_its_own_key() {
        // Never connects: the cache only uses the database's name.
        let db = mongodb::Client::with_uri_str("mongodb://127.0.0.1:1").await.unwrap().database("cache_test");
        let (release, released) = tokio::sync::oneshot::channel::<()>();
        let slow = tokio::spawn({
            let db = db.clone();
            async move {
                get_or_load(&db, "slow".into(), async {
                    released.await.ok();
                    Ok::<_, std::convert::Infallible>(1)
                })
                .await
            }
        });
        tokio::task::yield_now().await;
        // With one lock for every key this would wait for "slow", which waits for it.
        let other = tokio::time::timeout(
            Duration::from_secs(10),
            get_or_load(&db, "other".into(), async { Ok::<_, std::convert::Infallible>(2) }),
        )
        .await
        .expect("a load of another key does not wait for the slow one");
        assert_eq!(*other.unwrap(), 2);
        release.send(()).unwrap();
        assert_eq!(*slow.await.unwrap().unwrap(), 1);
        // The same key is answered from the cache now.
        let again = get_or_load(&db, "slow".into(), async { Ok::<_, std::convert::Infallible>(3) }).await.unwrap();
        assert_eq!(*again, 1);
    }

    /// Loads `value` into `key` after `released` fires, in a task of its own,
    /// and waits until that load holds the key's gate.
    async fn slow_reload(
        db: &Database,
        key: &str,
        ttl: Duration,
        value: i32,
    ) -> (tokio::sync::oneshot::Sender<()>, tokio::task::JoinHandle<i32>) {
        let (release, released) = tokio::sync::oneshot::channel::<()>();
        let (started, is_loading) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn({
            let (db, key) = (db.clone(), key.to_string());
            async move {
                let load = async {
                    started.send(()).ok();
                    released.await.ok();
                    Ok::<_, std::convert::Infallible>(value)
                };
                *get_or_load_within(&db, key, ttl, load).await.unwrap()
            }
        });
        is_loading.await.unwrap();
        (release, task)
    }

    #[tokio::test]
    async fn an_expired_entry_is_served_while_it_is_read_again_but_a_dropped_one_is_not() {
        let db = mongodb::Client::with_uri_str("mongodb://127.0.0.1:1").await.unwrap().database("cache_stale_test");
        let ttl = Duration::from_millis(20);
        let value = |v: i32| async move { Ok::<_, std::convert::Infallible>(v) };
        assert_eq!(*get_or_load_within(&db, "k".into(), ttl, value(1)).await.unwrap(), 1);
        tokio::time::sleep(ttl * 2).await;

        let (release, reload) = slow_reload(&db, "k", ttl, 2).await;
        let meanwhile =
            tokio::time::timeout(Duration::from_secs(10), get_or_load_within(&db, "k".into(), ttl, value(3)))
                .await
                .expect("the expired entry is served at once while another request reloads it");
        assert_eq!(*meanwhile.unwrap(), 1);
        release.send(()).unwrap();
        assert_eq!(reload.await.unwrap(), 2);
        let long = Duration::from_secs(60);
        assert_eq!(*get_or_load_within(&db, "k".into(), long, value(4)).await.unwrap(), 2, "the reloaded value");

        // A write dropped the entry: nothing stale is served, the request waits for the reload.
        catalog_changed(&db);
        let (release, reload) = slow_reload(&db, "k", long, 5).await;
        let waiting = tokio::spawn({
            let db = db.clone();
            async move { *get_or_load_within(&db, "k".into(), long, value(6)).await.unwrap() }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!waiting.is_finished(), "a dropped entry is not served while it is read again");
        release.send(()).unwrap();
        assert_eq!(reload.await.unwrap(), 5);
        assert_eq!(waiting.await.unwrap(), 5, "the waiting request gets the new value");
    }

    #[tokio::test]
    async fn an_outdated_entry_is_read_again_and_served_meanwhile() {
        let db = mongodb::Client::with_uri_str("mongodb://127.0.0.1:1").await.unwrap().database("cache_outdated_test");
        let long = Duration::from_secs(60);
        let value = |v: i32| async move { Ok::<_, std::convert::Infallible>(v) };
        assert_eq!(*get_or_load_within(&db, "board:a".into(), long, value(1)).await.unwrap(), 1);
        assert_eq!(*get_or_load_within(&db, "other".into(), long, value(1)).await.unwrap(), 1);

        // Too recent to be read again yet: still served as it is.
        outdated(&db, "board:");
        assert_eq!(*get_or_load_within(&db, "board:a".into(), long, value(2)).await.unwrap(), 1);

        tokio::time::sleep(REREAD_AFTER).await;
        let (release, reload) = slow_reload(&db, "board:a", long, 3).await;
        let meanwhile =
            tokio::time::timeout(Duration::from_secs(10), get_or_load_within(&db, "board:a".into(), long, value(4)))
                .await
                .expect("an outdated entry is served while another request reads it again");
        assert_eq!(*meanwhile.unwrap(), 1);
        release.send(()).unwrap();
        assert_eq!(reload.await.unwrap(), 3, "the first request after the change reads it again");
        assert_eq!(*get_or_load_within(&db, "board:a".into(), long, value(5)).await.unwrap(), 3);
        assert_eq!(*get_or_load_within(&db, "other".into(), long, value(6)).await.unwrap(), 1, "other keys untouched");
    }
}
