//! The analytics tallies: per-item, per-module and per-day counters kept up
//! to date on the learner's write path, so the admin overview reads about a
//! thousand small documents instead of every progress document (which on
//! FerretDB/SQLite is a full scan: 266 s on the default synthetic data set).
//!
//! Each progress or enrollment write adds what the document contributes now
//! less what it contributed before (`domain::analytics`), with `$inc` on
//! tallies keyed by `_id`. FerretDB 1.24 does not isolate concurrent updates
//! of one document, so every tally write in this process goes through one
//! lock. The tallies are derived data: [`rebuild`] recomputes them from the
//! source documents (`foothold rebuild`), and `serve` rebuilds them once when
//! a database has none yet. A crash between a learner's write and its tally
//! write leaves a counter one short until the next rebuild; the learner's
//! own documents are never affected.
//!
//! Active learners per day come from a marker per learner (`analytics_seen`,
//! the UTC day they last touched an item): the first touch of a day counts
//! them as active that day and moves them to that day's `last` counter, so
//! "active in the last 7 days" is the sum of seven `last` counters.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{LazyLock, Mutex};

use futures::TryStreamExt;
use mongodb::Database;
use mongodb::bson::oid::ObjectId;
use mongodb::bson::{Bson, DateTime, Document, doc};

use super::collections::{ENROLLMENTS, PROGRESS};
use super::enrollment::Enrollment;
use super::error::RepoError;
use super::number;
use super::progress::Progress;
use crate::domain::analytics::{
    Amounts, EnrollmentFacts, Funnel, ItemEffort, ProgressFacts, accumulate, change, day_tally, window_start,
};
use crate::domain::calendar::day_of;
use crate::model::EnrollmentStatus;

/// Foothold's own collections (not in the spec's data model).
pub const TALLIES: &str = "analytics_tallies";
pub const SEEN: &str = "analytics_seen";
/// The tally that says the others exist (written by [`rebuild`]).
const META: &str = "meta";
/// Days of per-day activity a rebuild reconstructs from progress history: the overview's charts.
pub const HISTORY_DAYS: i64 = super::analytics::DAYS;

/// One writer of tallies at a time in this process (see the module docs).
static WRITER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
/// Per database: the UTC day each learner was last seen, so only the first
/// touch of a day reads or writes the marker.
static SEEN_CACHE: LazyLock<Mutex<HashMap<(String, ObjectId), i64>>> = LazyLock::new(|| Mutex::new(HashMap::new()));

pub fn progress_facts(p: &Progress) -> ProgressFacts {
    let cs = &p.content_specific;
    ProgressFacts {
        content: p.content.to_hex(),
        completed: p.progress.is_completed,
        attempts: i64::from(cs.lab_attempts) + i64::from(cs.game_attempts),
        hints: i64::from(cs.hints_used),
        seconds: p.time_spent.total,
    }
}

fn progress_facts_of(d: &Document) -> Option<ProgressFacts> {
    let whole = |path: &str| number(d, path).unwrap_or(0.0) as i64;
    Some(ProgressFacts {
        content: d.get_object_id("content").ok()?.to_hex(),
        completed: d.get_document("progress").ok().and_then(|s| s.get_bool("isCompleted").ok()) == Some(true),
        attempts: whole("contentSpecific.labAttempts") + whole("contentSpecific.gameAttempts"),
        hints: whole("contentSpecific.hintsUsed"),
        seconds: number(d, "timeSpent.total").unwrap_or(0.0),
    })
}

pub fn enrollment_facts(e: &Enrollment) -> EnrollmentFacts {
    EnrollmentFacts {
        module: e.module.to_hex(),
        enrolled_day: day_of(e.enrolled_at.timestamp_millis(), 0),
        percentage: e.progress.percentage,
        completed: e.status == EnrollmentStatus::Completed,
        certificate: e.certificate.issued,
    }
}

fn enrollment_facts_of(d: &Document) -> Option<EnrollmentFacts> {
    Some(EnrollmentFacts {
        module: d.get_object_id("module").ok()?.to_hex(),
        enrolled_day: day_of(d.get_datetime("enrolledAt").ok()?.timestamp_millis(), 0),
        percentage: number(d, "progress.percentage").unwrap_or(0.0),
        completed: d.get_str("status") == Ok(EnrollmentStatus::Completed.as_str()),
        certificate: d.get_document("certificate").ok().and_then(|c| c.get_bool("issued").ok()) == Some(true),
    })
}

/// Adds `amounts` to the tallies. Call it holding [`WRITER`].
async fn add(db: &Database, amounts: &Amounts) -> Result<(), RepoError> {
    let mut per_tally: BTreeMap<&str, Document> = BTreeMap::new();
    for ((tally, field), n) in amounts {
        per_tally.entry(tally.as_str()).or_default().insert(field.clone(), *n);
    }
    let tallies = db.collection::<Document>(TALLIES);
    for (tally, inc) in per_tally {
        tallies.update_one(doc! { "_id": tally }, doc! { "$inc": inc }).upsert(true).await?;
    }
    Ok(())
}

/// Applies a change, logging instead of failing: the learner's write has
/// landed, and a missed tally is repaired by the next rebuild.
async fn apply(db: &Database, amounts: Amounts) {
    if amounts.is_empty() {
        return;
    }
    let _writer = WRITER.lock().await;
    if let Err(err) = add(db, &amounts).await {
        tracing::error!(error = %err, "updating the analytics tallies failed; `foothold rebuild` repairs them");
    }
}

/// Records that a progress document changed from `before` (absent when new) to `after`.
pub async fn progress_changed(db: &Database, before: Option<&ProgressFacts>, after: &ProgressFacts) {
    let before = before.map(ProgressFacts::contribution);
    apply(db, change(before.as_ref(), Some(&after.contribution()))).await;
}

/// Records that an enrollment changed from `before` (absent when new) to `after`.
pub async fn enrollment_changed(db: &Database, before: Option<&EnrollmentFacts>, after: &EnrollmentFacts) {
    let before = before.map(EnrollmentFacts::contribution);
    apply(db, change(before.as_ref(), Some(&after.contribution()))).await;
}

fn cached_day(db: &Database, user: ObjectId) -> Option<i64> {
    SEEN_CACHE.lock().ok()?.get(&(db.name().to_string(), user)).copied()
}

fn remember_day(db: &Database, user: ObjectId, day: i64) {
    if let Ok(mut cache) = SEEN_CACHE.lock() {
        cache.insert((db.name().to_string(), user), day);
    }
}

/// Records that `user` touched an item at `now_ms`: the first touch of a
/// UTC day counts them active that day.
pub async fn touch(db: &Database, user: ObjectId, now_ms: i64) {
    let today = day_of(now_ms, 0);
    if cached_day(db, user) == Some(today) {
        return;
    }
    let _writer = WRITER.lock().await;
    if let Err(err) = touch_locked(db, user, today).await {
        tracing::error!(error = %err, "recording an active learner failed; `foothold rebuild` repairs it");
    }
}

async fn touch_locked(db: &Database, user: ObjectId, today: i64) -> Result<(), RepoError> {
    let seen = db.collection::<Document>(SEEN);
    let last = match cached_day(db, user) {
        Some(day) => Some(day),
        None => seen.find_one(doc! { "_id": user }).await?.and_then(|d| number(&d, "day")).map(|d| d as i64),
    };
    if last.is_some_and(|day| day >= today) {
        remember_day(db, user, today);
        return Ok(());
    }
    // The marker first: a crash before the counters leaves them one short, never double.
    seen.update_one(doc! { "_id": user }, doc! { "$set": { "day": today } }).upsert(true).await?;
    remember_day(db, user, today);
    let mut amounts = Amounts::new();
    amounts.insert((day_tally(today), "active".into()), 1);
    amounts.insert((day_tally(today), "last".into()), 1);
    if let Some(day) = last {
        amounts.insert((day_tally(day), "last".into()), -1);
    }
    add(db, &amounts).await
}

/// What a rebuild did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RebuildReport {
    pub tallies: usize,
    pub learners: usize,
    pub took_ms: u128,
}

/// Recomputes every tally and marker from the enrollments and progress
/// documents. Per-day activity is reconstructed from the progress history
/// of the last [`HISTORY_DAYS`] days (item touches and study sessions).
pub async fn rebuild(db: &Database) -> Result<RebuildReport, RepoError> {
    let started = std::time::Instant::now();
    let _writer = WRITER.lock().await;
    let now = DateTime::now().timestamp_millis();
    let since = window_start(now, HISTORY_DAYS);
    let mut total = Amounts::new();

    let mut enrollments = db
        .collection::<Document>(ENROLLMENTS)
        .find(doc! {})
        .projection(
            doc! { "module": 1, "status": 1, "progress.percentage": 1, "enrolledAt": 1, "certificate.issued": 1 },
        )
        .await?;
    while let Some(e) = enrollments.try_next().await? {
        if let Some(facts) = enrollment_facts_of(&e) {
            accumulate(&mut total, facts.contribution());
        }
    }

    let mut last_seen: HashMap<ObjectId, i64> = HashMap::new();
    let mut active: HashSet<(ObjectId, i64)> = HashSet::new();
    let mut progress = db
        .collection::<Document>(PROGRESS)
        .find(doc! {})
        .projection(doc! {
            "user": 1, "content": 1, "lastAccessedAt": 1,
            "progress.isCompleted": 1, "timeSpent.total": 1, "timeSpent.sessions.endTime": 1,
            "contentSpecific.labAttempts": 1, "contentSpecific.gameAttempts": 1, "contentSpecific.hintsUsed": 1,
        })
        .await?;
    while let Some(p) = progress.try_next().await? {
        if let Some(facts) = progress_facts_of(&p) {
            accumulate(&mut total, facts.contribution());
        }
        let Ok(user) = p.get_object_id("user") else { continue };
        let Ok(touched) = p.get_datetime("lastAccessedAt").map(|d| d.timestamp_millis()) else { continue };
        let day = day_of(touched, 0);
        let last = last_seen.entry(user).or_insert(day);
        *last = (*last).max(day);
        if touched >= since {
            active.insert((user, day));
            let sessions = p.get_document("timeSpent").and_then(|t| t.get_array("sessions"));
            for s in sessions.into_iter().flatten().filter_map(Bson::as_document) {
                if let Ok(end) = s.get_datetime("endTime").map(|d| d.timestamp_millis())
                    && end >= since
                {
                    active.insert((user, day_of(end, 0)));
                }
            }
        }
    }
    for (_, day) in &active {
        *total.entry((day_tally(*day), "active".into())).or_default() += 1;
    }
    for day in last_seen.values() {
        *total.entry((day_tally(*day), "last".into())).or_default() += 1;
    }

    let mut docs: BTreeMap<String, Document> = BTreeMap::new();
    for ((tally, field), n) in total {
        let d = docs.entry(tally.clone()).or_insert_with(|| doc! { "_id": tally });
        match field.split_once('.') {
            Some((parent, key)) => {
                if !d.contains_key(parent) {
                    d.insert(parent, Document::new());
                }
                if let Ok(sub) = d.get_document_mut(parent) {
                    sub.insert(key, n);
                }
            }
            None => {
                d.insert(field, n);
            }
        }
    }
    let mut docs: Vec<Document> = docs.into_values().collect();
    let count = docs.len();
    docs.push(doc! { "_id": META, "rebuiltAt": DateTime::now() });
    let tallies = db.collection::<Document>(TALLIES);
    tallies.delete_many(doc! {}).await?;
    for chunk in docs.chunks(1000) {
        tallies.insert_many(chunk.to_vec()).await?;
    }
    let seen = db.collection::<Document>(SEEN);
    seen.delete_many(doc! {}).await?;
    let markers: Vec<Document> = last_seen.iter().map(|(user, day)| doc! { "_id": user, "day": day }).collect();
    for chunk in markers.chunks(1000) {
        seen.insert_many(chunk.to_vec()).await?;
    }
    if let Ok(mut cache) = SEEN_CACHE.lock() {
        cache.retain(|(name, _), _| name != db.name());
    }
    Ok(RebuildReport { tallies: count, learners: markers.len(), took_ms: started.elapsed().as_millis() })
}

/// Rebuilds the tallies of a database that has none yet (one created before
/// they existed); returns the report when it did.
pub async fn ensure(db: &Database) -> Result<Option<RebuildReport>, RepoError> {
    if db.collection::<Document>(TALLIES).find_one(doc! { "_id": META }).await?.is_some() {
        return Ok(None);
    }
    rebuild(db).await.map(Some)
}

/// Per-day counters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Day {
    pub enrollments: u64,
    /// Learners who touched an item that day.
    pub active: u64,
    /// Learners whose latest active day it is.
    pub last: u64,
}

/// Everything the tallies hold.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tallies {
    /// Per item: effort, and the histogram of completed learners' time (bucket lower bound in s → learners).
    pub items: HashMap<ObjectId, (ItemEffort, BTreeMap<i64, u64>)>,
    /// Per module: funnel and certificates issued.
    pub modules: HashMap<ObjectId, (Funnel, u64)>,
    /// Per UTC day (`YYYY-MM-DD`).
    pub days: BTreeMap<String, Day>,
}

fn count(d: &Document, field: &str) -> u64 {
    number(d, field).unwrap_or(0.0).max(0.0) as u64
}

/// Reads every tally.
pub async fn read(db: &Database) -> Result<Tallies, RepoError> {
    let docs: Vec<Document> = db.collection::<Document>(TALLIES).find(doc! {}).await?.try_collect().await?;
    let mut out = Tallies::default();
    for d in &docs {
        let Ok(id) = d.get_str("_id") else { continue };
        let Some((kind, key)) = id.split_once(':') else { continue };
        match kind {
            "item" => {
                let Ok(item) = ObjectId::parse_str(key) else { continue };
                let effort = ItemEffort {
                    started: count(d, "started"),
                    completed: count(d, "completed"),
                    attempts: count(d, "attempts"),
                    hints: count(d, "hints"),
                };
                let times: BTreeMap<i64, u64> = d
                    .get_document("seconds")
                    .map(|s| {
                        s.keys().filter_map(|k| Some((k.parse().ok()?, count(s, k)))).filter(|(_, n)| *n > 0).collect()
                    })
                    .unwrap_or_default();
                if effort != ItemEffort::default() || !times.is_empty() {
                    out.items.insert(item, (effort, times));
                }
            }
            "module" => {
                let Ok(module) = ObjectId::parse_str(key) else { continue };
                let funnel = Funnel {
                    started: count(d, "started"),
                    halfway: count(d, "halfway"),
                    completed: count(d, "completed"),
                };
                let certificates = count(d, "certificates");
                if funnel != Funnel::default() || certificates > 0 {
                    out.modules.insert(module, (funnel, certificates));
                }
            }
            "day" => {
                let day =
                    Day { enrollments: count(d, "enrollments"), active: count(d, "active"), last: count(d, "last") };
                if day != Day::default() {
                    out.days.insert(key.to_string(), day);
                }
            }
            _ => {}
        }
    }
    Ok(out)
}
