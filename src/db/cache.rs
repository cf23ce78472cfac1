//! A short-lived in-process cache of catalog reads (a module's content, the
//! published catalog), which on FerretDB/SQLite read a whole collection each
//! time (a module's items: 74 ms among 1,000 items).
//!
//! Every catalog write in this process calls [`catalog_changed`], which
//! drops the database's entries at once; [`TTL`] bounds how long a change
//! made by another process (`foothold import`) takes to show.

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::{Duration, Instant};

use mongodb::Database;

/// The longest an entry is served.
pub const TTL: Duration = Duration::from_secs(10);

type Entry = (Instant, Arc<dyn Any + Send + Sync>);

static ENTRIES: LazyLock<Mutex<HashMap<(String, String), Entry>>> = LazyLock::new(|| Mutex::new(HashMap::new()));

/// The cached value for `key` in `db`, or the one `load` reads (then cached).
pub async fn get_or_load<T, E, F>(db: &Database, key: String, load: F) -> Result<Arc<T>, E>
where
    T: Send + Sync + 'static,
    F: std::future::Future<Output = Result<T, E>>,
{
    let slot = (db.name().to_string(), key);
    let hit = ENTRIES
        .lock()
        .ok()
        .and_then(|entries| entries.get(&slot).filter(|(at, _)| at.elapsed() < TTL).map(|(_, v)| Arc::clone(v)));
    if let Some(value) = hit.and_then(|v| v.downcast::<T>().ok()) {
        return Ok(value);
    }
    let value = Arc::new(load.await?);
    if let Ok(mut entries) = ENTRIES.lock() {
        if entries.len() > 10_000 {
            entries.retain(|_, (at, _)| at.elapsed() < TTL);
        }
        entries.insert(slot, (Instant::now(), Arc::clone(&value) as Arc<dyn Any + Send + Sync>));
    }
    Ok(value)
}

/// Forgets every cached catalog read of `db` (call after any catalog write).
pub fn catalog_changed(db: &Database) {
    if let Ok(mut entries) = ENTRIES.lock() {
        entries.retain(|(name, _), _| name != db.name());
    }
}
