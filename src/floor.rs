//! What the database serves under Foothold's pages: `foothold db-floor`.
//!
//! `bench/run` measures pages and server functions; this measures the floor
//! under them on the same machine and data set, through the same driver
//! settings ([`crate::db::connect`]): `clients` concurrent tasks, each
//! repeating one command for `seconds`, on documents spread over every
//! learner, one measure after the other:
//!
//! - **read**: one learner's document by `_id` (what every signed-in page
//!   render reads once; a dashboard issues several reads);
//! - **enrollments**: a learner and their enrollments (two reads, by `_id`):
//!   the least any dashboard reads, for the learner's numbers, their modules
//!   and the study calendar (from the enrollments' study sessions);
//! - **dashboard**: a learner read by `_id` and the dashboard's data
//!   ([`crate::api::dashboard::dashboard_data`]: its reads and their
//!   decoding, with the same caches as the server, but no HTTP and no HTML);
//! - **write**: a `$set` of one progress record's `lastAccessedAt` by `_id`
//!   (a heartbeat writes three such documents); last, since it changes
//!   records the dashboard reads.
//!
//! No page can be served faster than its commands allow: a page of `k`
//! commands tops out near `reads / k` per second, and at `clients`
//! concurrent clients its mean latency is at least `clients * k / reads`.

use std::time::{Duration, Instant};

use futures::TryStreamExt;
use mongodb::Database;
use mongodb::bson::oid::ObjectId;
use mongodb::bson::{DateTime, Document, doc};

use crate::db::collections::{PROGRESS, USERS};
use crate::db::error::RepoError;

/// One command's throughput and latency under load.
#[derive(Debug, Clone, PartialEq)]
pub struct Measure {
    pub name: &'static str,
    pub per_second: f64,
    pub p50: Duration,
    pub p99: Duration,
    pub errors: usize,
}

impl std::fmt::Display for Measure {
    /// One line for `bench/run` to parse: `name per_second p50_ms p99_ms errors`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {:.0} {:.2} {:.2} {}",
            self.name,
            self.per_second,
            self.p50.as_secs_f64() * 1000.0,
            self.p99.as_secs_f64() * 1000.0,
            self.errors
        )
    }
}

/// Documents each kind of command cycles through (the first this many).
const SAMPLE: i64 = 10_000;

/// Runs the measures in the order of the module's list; errs if the
/// database holds no learners or no progress records (seed it with
/// `foothold seed-synthetic`).
pub async fn measure(db: &Database, clients: usize, seconds: u64) -> Result<Vec<Measure>, String> {
    let users = ids(db, USERS).await?;
    let progress = ids(db, PROGRESS).await?;
    let duration = Duration::from_secs(seconds.max(1));
    let clients = clients.max(1);
    let read = run(db, "read", clients, duration, &users, |db, id| async move {
        db.collection::<Document>(USERS).find_one(doc! { "_id": id }).await
    })
    .await;
    let enrollments = run(db, "enrollments", clients, duration, &users, |db, id| async move {
        let user = learner(&db, id).await?;
        crate::db::enrollment::list_for_user_in_existing_modules(&db, user.id).await
    })
    .await;
    let dashboard = run(db, "dashboard", clients, duration, &users, |db, id| async move {
        let user = learner(&db, id).await?;
        crate::api::dashboard::dashboard_data(&db, user).await
    })
    .await;
    let write = run(db, "write", clients, duration, &progress, |db, id| async move {
        db.collection::<Document>(PROGRESS)
            .update_one(doc! { "_id": id }, doc! { "$set": { "lastAccessedAt": DateTime::now() } })
            .await
    })
    .await;
    Ok(vec![read, enrollments, dashboard, write])
}

/// A learner as the server reads one (the password projected away).
async fn learner(db: &Database, id: ObjectId) -> Result<crate::db::user::User, RepoError> {
    crate::db::user::get(db, id).await?.ok_or(RepoError::NotFound("Learner"))
}

async fn ids(db: &Database, collection: &str) -> Result<Vec<ObjectId>, String> {
    let docs: Vec<Document> = db
        .collection::<Document>(collection)
        .find(doc! {})
        .projection(doc! { "_id": 1 })
        .limit(SAMPLE)
        .await
        .map_err(|e| format!("cannot list {collection}: {e}"))?
        .try_collect()
        .await
        .map_err(|e| format!("cannot list {collection}: {e}"))?;
    let ids: Vec<ObjectId> = docs.iter().filter_map(|d| d.get_object_id("_id").ok()).collect();
    if ids.is_empty() {
        return Err(format!("{collection} is empty: seed the database first (foothold seed-synthetic)"));
    }
    Ok(ids)
}

/// `clients` tasks each repeat `command` on the next id of `ids` until
/// `duration` is up; a command that errs counts as an error, not a time.
async fn run<F, Fut, T, E>(
    db: &Database,
    name: &'static str,
    clients: usize,
    duration: Duration,
    ids: &[ObjectId],
    command: F,
) -> Measure
where
    F: Fn(Database, ObjectId) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = Result<T, E>> + Send,
{
    let start = Instant::now();
    let tasks: Vec<_> = (0..clients)
        .map(|client| {
            let (db, command) = (db.clone(), command.clone());
            // Each client starts at its own place in the list.
            let ids: Vec<ObjectId> =
                ids.iter().cycle().skip(client * 7919 % ids.len()).take(ids.len()).copied().collect();
            tokio::spawn(async move {
                let (mut took, mut errors) = (Vec::new(), 0usize);
                for id in ids.iter().cycle() {
                    if start.elapsed() >= duration {
                        break;
                    }
                    let sent = Instant::now();
                    match command(db.clone(), *id).await {
                        Ok(_) => took.push(sent.elapsed()),
                        Err(_) => errors += 1,
                    }
                }
                (took, errors)
            })
        })
        .collect();
    let (mut took, mut errors) = (Vec::new(), 0);
    for task in tasks {
        match task.await {
            Ok((t, e)) => {
                took.extend(t);
                errors += e;
            }
            Err(_) => errors += 1,
        }
    }
    let elapsed = start.elapsed().as_secs_f64();
    took.sort_unstable();
    let at = |q: f64| took.get(((took.len() as f64 * q) as usize).min(took.len().saturating_sub(1))).copied();
    Measure {
        name,
        per_second: took.len() as f64 / elapsed,
        p50: at(0.50).unwrap_or_default(),
        p99: at(0.99).unwrap_or_default(),
        errors,
    }
}
