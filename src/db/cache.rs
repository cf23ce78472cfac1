//! A short-lived in-process cache of reads that on FerretDB/SQLite read a
//! whole collection each time: a module's items (74 ms among 1,000 items),
//! the published catalog, and the leaderboards (1 s among 10,000 learners).
//!
//! Every catalog write in this process calls [`catalog_changed`], which
//! drops the database's entries at once; [`TTL`] bounds how long a change
//! made by another process (`foothold import`) takes to show.

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::{Duration, Instant};

use mongodb::Database;

/// How long a catalog read is served.
pub const TTL: Duration = Duration::from_secs(10);
/// The longest any entry is kept.
const MAX_TTL: Duration = Duration::from_secs(300);

type Entry = (Instant, Arc<dyn Any + Send + Sync>);

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
            .and_then(|entries| entries.get(&slot).filter(|(at, _)| at.elapsed() < ttl).map(|(_, v)| Arc::clone(v)))
            .and_then(|v| v.downcast::<T>().ok())
    };
    if let Some(value) = cached() {
        return Ok(value);
    }
    // One load at a time per key: requests that miss together wait for the
    // first load instead of each reading the collection (50 clients on one
    // module page would otherwise read it 50 times).
    let gate = {
        let Ok(mut loading) = LOADING.lock() else { return Ok(Arc::new(load.await?)) };
        if loading.len() > 10_000 {
            loading.retain(|_, gate| Arc::strong_count(gate) > 1);
        }
        Arc::clone(loading.entry(slot.clone()).or_default())
    };
    let _loading = gate.lock().await;
    if let Some(value) = cached() {
        return Ok(value);
    }
    let value = Arc::new(load.await?);
    if let Ok(mut entries) = ENTRIES.lock() {
        if entries.len() > 10_000 {
            entries.retain(|_, (at, _)| at.elapsed() < MAX_TTL);
        }
        entries.insert(slot, (Instant::now(), Arc::clone(&value) as Arc<dyn Any + Send + Sync>));
    }
    Ok(value)
}

/// Forgets the entries of `db` whose key starts with `prefix` and that are
/// older than `min_age`: what they show changed, and they are read again at
/// most once per `min_age` however often it changes.
pub fn changed(db: &Database, prefix: &str, min_age: Duration) {
    if let Ok(mut entries) = ENTRIES.lock() {
        entries.retain(|(name, key), (at, _)| name != db.name() || !key.starts_with(prefix) || at.elapsed() < min_age);
    }
}

/// Forgets every cached catalog read of `db` (call after any catalog write).
pub fn catalog_changed(db: &Database) {
    changed(db, "", Duration::ZERO);
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
}
