//! The learner's lock: one in-process mutex per user, held by every write
//! to that user's documents.
//!
//! FerretDB 1.24 applies an update as read, change, write of the whole
//! document, without isolation (`spec/ferretdb.md`), so two writes to one
//! document at once can lose one of them. The learning paths
//! ([`super::learning`]) hold this lock around read → rules → write of a
//! learner's progress, enrollment and stats; account writes
//! ([`super::user::update_account`], failed sign-ins) hold it too. It is
//! not re-entrant: nothing takes it while holding it. It is per process
//! (README, "Learning": several app instances need sticky sessions).

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex, Weak};

use mongodb::bson::oid::ObjectId;

static LOCKS: LazyLock<Mutex<HashMap<ObjectId, Weak<tokio::sync::Mutex<()>>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

/// Serialises the writes of one learner within this process.
pub async fn lock_learner(user: ObjectId) -> tokio::sync::OwnedMutexGuard<()> {
    let lock = {
        let mut locks = LOCKS.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if locks.len() > 1024 {
            locks.retain(|_, weak| weak.strong_count() > 0);
        }
        match locks.get(&user).and_then(Weak::upgrade) {
            Some(lock) => lock,
            None => {
                let lock = Arc::new(tokio::sync::Mutex::new(()));
                locks.insert(user, Arc::downgrade(&lock));
                lock
            }
        }
    };
    lock.lock_owned().await
}
