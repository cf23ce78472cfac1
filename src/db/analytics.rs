//! Learning analytics for the admin overview: the catalog's titles, the
//! analytics tallies (`db::tallies`, kept up to date as learners work, so
//! no progress or enrollment document is read here), the students' points
//! for the level distribution, and the achievements' counters.
//!
//! A computation runs in the background and its result is kept for
//! [`CACHE_SECONDS`] per process; a request waits at most [`WAIT`] for it,
//! and otherwise the page shows the last result and says a newer one is coming.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use futures::TryStreamExt;
use mongodb::Database;
use mongodb::bson::oid::ObjectId;
use mongodb::bson::{DateTime, Document, doc};

use super::collections::{ACHIEVEMENTS, CONTENTS, MODULES, USERS};
use super::error::RepoError;
use super::number;
use crate::domain::analytics::{Funnel, ItemEffort, histogram, histogram_median};
use crate::domain::calendar::{date_of, day_of};

/// How long a computed overview is served before it is computed again.
pub const CACHE_SECONDS: u64 = 300;
/// Days the per-day charts cover.
pub const DAYS: i64 = 30;
/// Learners an item needs before it can rank as "stuck".
pub const MIN_LEARNERS_FOR_STUCK: u64 = 3;

#[derive(Debug, Clone, PartialEq)]
pub struct Overview {
    pub computed_at: DateTime,
    /// Milliseconds the computation took.
    pub took_ms: u128,
    pub students: u64,
    pub active_7_days: u64,
    pub enrollments: u64,
    pub completions: u64,
    pub certificates: u64,
    pub enrollments_per_day: Vec<(String, u64)>,
    pub active_per_day: Vec<(String, u64)>,
    /// (module id, title, funnel), in catalog order.
    pub funnels: Vec<(ObjectId, String, Funnel)>,
    /// Items learners struggle with most: (content id, title, module title, effort, median minutes to complete).
    pub stuck: Vec<StuckItem>,
    /// Median minutes to complete, per item with completions: (content id, title, minutes).
    pub median_minutes: Vec<(ObjectId, String, f64)>,
    /// (title, rarity, earned count, eligible, earn rate 0..=100).
    pub achievements: Vec<(String, String, i64, i64, f64)>,
    /// (level, learners).
    pub levels: Vec<(i32, u64)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StuckItem {
    pub id: ObjectId,
    pub title: String,
    pub module: String,
    pub effort: ItemEffort,
    pub score: f64,
}

/// Per database (one in production; tests run several apps in one
/// process): the last overview computed, when, and whether a computation is
/// running. Computations run in the background, so a request never waits
/// longer than [`WAIT`] and a slow one is never cancelled by a request timeout.
struct Slot {
    name: String,
    last: Option<(Instant, Overview)>,
    running: bool,
    error: Option<String>,
}

static SLOTS: Mutex<Vec<Slot>> = Mutex::new(Vec::new());

/// How long a request waits for a computation it started before answering
/// with the previous overview (small catalogs finish well within it).
pub const WAIT: Duration = Duration::from_secs(2);

/// What the overview request gets: the freshest overview there is (none
/// before the first computation ends) and whether a newer one is being computed.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub overview: Option<Overview>,
    pub computing: bool,
}

fn with_slot<T>(name: &str, f: impl FnOnce(&mut Slot) -> T) -> Option<T> {
    let mut slots = SLOTS.lock().ok()?;
    if !slots.iter().any(|s| s.name == name) {
        slots.push(Slot { name: name.to_string(), last: None, running: false, error: None });
    }
    slots.iter_mut().find(|s| s.name == name).map(f)
}

/// Starts a computation for `db` unless one is running; true when this call started it.
pub fn start(db: &Database) -> bool {
    let name = db.name().to_string();
    let started = with_slot(&name, |slot| {
        if slot.running {
            false
        } else {
            slot.running = true;
            slot.error = None;
            true
        }
    })
    .unwrap_or(false);
    if started {
        let db = db.clone();
        tokio::spawn(async move {
            let result = compute(&db).await;
            with_slot(&name, |slot| {
                slot.running = false;
                match result {
                    Ok(overview) => slot.last = Some((Instant::now(), overview)),
                    Err(err) => {
                        tracing::error!(error = %err, "computing the analytics failed");
                        slot.error = Some(err.to_string());
                    }
                }
            });
        });
    }
    started
}

/// The overview: the cached one while it is fresh (unless `fresh`);
/// otherwise a new computation starts in the background and this waits up
/// to [`WAIT`] for it before answering with what there is.
pub async fn overview(db: &Database, fresh: bool) -> Result<Snapshot, String> {
    let name = db.name().to_string();
    let current =
        with_slot(&name, |slot| slot.last.as_ref().map(|(at, _)| at.elapsed() < Duration::from_secs(CACHE_SECONDS)))
            .flatten();
    if !fresh && current == Some(true) {
        let overview = with_slot(&name, |slot| slot.last.as_ref().map(|(_, o)| o.clone())).flatten();
        return Ok(Snapshot { overview, computing: false });
    }
    let asked = Instant::now();
    start(db);
    while asked.elapsed() < WAIT {
        tokio::time::sleep(Duration::from_millis(25)).await;
        let state = with_slot(&name, |slot| {
            let newer = slot.last.as_ref().is_some_and(|(at, _)| *at >= asked);
            (slot.running, newer, slot.error.clone())
        });
        match state {
            Some((false, _, Some(error))) => return Err(error),
            Some((false, true, None)) => break,
            _ => {}
        }
    }
    Ok(with_slot(&name, |slot| Snapshot {
        overview: slot.last.as_ref().map(|(_, o)| o.clone()),
        computing: slot.running,
    })
    .unwrap_or(Snapshot { overview: None, computing: true }))
}

async fn read(db: &Database, collection: &str, filter: Document, fields: Document) -> Result<Vec<Document>, RepoError> {
    Ok(db.collection::<Document>(collection).find(filter).projection(fields).await?.try_collect().await?)
}

/// Computes the overview now.
pub async fn compute(db: &Database) -> Result<Overview, RepoError> {
    let started = Instant::now();
    let now = DateTime::now().timestamp_millis();

    // Modules and content titles, in catalog order.
    let mut modules = read(db, MODULES, doc! {}, doc! { "title": 1, "phase": 1, "order": 1 }).await?;
    let phase_order: HashMap<ObjectId, i64> =
        crate::db::phase::list(db).await?.iter().map(|p| (p.id, i64::from(p.order))).collect();
    modules.sort_by_key(|m| {
        let phase = m.get_object_id("phase").ok().and_then(|p| phase_order.get(&p).copied()).unwrap_or(i64::MAX);
        (phase, number(m, "order").unwrap_or(0.0) as i64)
    });
    let module_titles: HashMap<ObjectId, String> = modules
        .iter()
        .filter_map(|m| Some((m.get_object_id("_id").ok()?, m.get_str("title").ok()?.to_string())))
        .collect();
    let contents = read(db, CONTENTS, doc! {}, doc! { "title": 1, "module": 1 }).await?;
    let content_info: HashMap<ObjectId, (String, Option<ObjectId>)> = contents
        .iter()
        .filter_map(|c| {
            Some((c.get_object_id("_id").ok()?, (c.get_str("title").ok()?.to_string(), c.get_object_id("module").ok())))
        })
        .collect();

    // Funnels, completions, certificates, per-day counts and item effort: the tallies.
    let tallies = super::tallies::read(db).await?;
    let enrollments: u64 = tallies.modules.values().map(|(f, _)| f.started).sum();
    let completions: u64 = tallies.modules.values().map(|(f, _)| f.completed).sum();
    let certificates: u64 = tallies.modules.values().map(|(_, c)| c).sum();
    let window: Vec<String> = (0..DAYS).rev().map(|back| date_of(day_of(now, 0) - back)).collect();
    let day = |date: &String| tallies.days.get(date).copied().unwrap_or_default();
    let enrollments_per_day: Vec<(String, u64)> = window.iter().map(|d| (d.clone(), day(d).enrollments)).collect();
    let active_per_day: Vec<(String, u64)> = window.iter().map(|d| (d.clone(), day(d).active)).collect();
    let active_7_days: u64 = window.iter().rev().take(7).map(|d| day(d).last).sum();

    let title_of =
        |id: &ObjectId| content_info.get(id).map(|(t, _)| t.clone()).unwrap_or_else(|| "(deleted item)".into());
    let module_of = |id: &ObjectId| {
        content_info
            .get(id)
            .and_then(|(_, m)| m.as_ref())
            .and_then(|m| module_titles.get(m))
            .cloned()
            .unwrap_or_default()
    };
    let mut stuck: Vec<StuckItem> = tallies
        .items
        .iter()
        .map(|(id, (e, _))| StuckItem {
            id: *id,
            title: title_of(id),
            module: module_of(id),
            effort: e.clone(),
            score: e.stuck_score(MIN_LEARNERS_FOR_STUCK),
        })
        .filter(|s| s.score > 0.0)
        .collect();
    stuck.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.title.cmp(&b.title)));
    stuck.truncate(10);
    let mut median_minutes: Vec<(ObjectId, String, f64)> = tallies
        .items
        .iter()
        .filter_map(|(id, (_, times))| {
            Some((*id, title_of(id), (histogram_median(times)? / 60.0 * 10.0).round() / 10.0))
        })
        .collect();
    median_minutes.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.1.cmp(&b.1)));
    median_minutes.truncate(15);

    // Learners and their levels; achievements' earn rates.
    let students = read(db, USERS, doc! { "role": "student" }, doc! { "stats.totalPoints": 1 }).await?;
    let levels = histogram(
        students
            .iter()
            .map(|u| crate::domain::points::level_for(number(u, "stats.totalPoints").unwrap_or(0.0) as i64).level),
    );
    let mut achievements: Vec<(String, String, i64, i64, f64)> = read(
        db,
        ACHIEVEMENTS,
        doc! { "isActive": true },
        doc! { "title": 1, "rarity": 1, "metadata.earnedCount": 1, "metadata.totalEligible": 1 },
    )
    .await?
    .iter()
    .map(|a| {
        let earned = number(a, "metadata.earnedCount").unwrap_or(0.0) as i64;
        let eligible = number(a, "metadata.totalEligible").unwrap_or(0.0) as i64;
        let rate = (crate::model::achievement::earn_rate(earned, eligible) * 10.0).round() / 10.0;
        (
            a.get_str("title").unwrap_or("?").to_string(),
            a.get_str("rarity").unwrap_or("").to_string(),
            earned,
            eligible,
            rate,
        )
    })
    .collect();
    achievements.sort_by(|a, b| b.4.total_cmp(&a.4).then(a.0.cmp(&b.0)));

    Ok(Overview {
        computed_at: DateTime::now(),
        took_ms: started.elapsed().as_millis(),
        students: students.len() as u64,
        active_7_days,
        enrollments,
        completions,
        certificates,
        enrollments_per_day,
        active_per_day,
        funnels: modules
            .iter()
            .filter_map(|m| {
                let id = m.get_object_id("_id").ok()?;
                let funnel = tallies.modules.get(&id).map(|(f, _)| *f).unwrap_or_default();
                Some((id, module_titles.get(&id)?.clone(), funnel))
            })
            .collect(),
        stuck,
        median_minutes,
        achievements,
        levels,
    })
}
