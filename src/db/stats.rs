//! A learner's `stats` (points, level, completions, study time), always
//! recomputed from the source documents — progress, enrollments and awards —
//! and `$set`, so they can be rebuilt at any time and a lost update is
//! repaired by the next event. Between completions, heartbeats add study
//! minutes with `$inc` under the learner's lock (`db::learning`).

use std::collections::HashMap;

use mongodb::Database;
use mongodb::bson::oid::ObjectId;
use mongodb::bson::{Bson, DateTime, Document, doc};

use super::collections::{ACHIEVEMENTS, CONTENTS, MODULES, USERS};
use super::error::RepoError;
use super::user::Stats;
use super::{number, projected};
use crate::domain::calendar::day_of;
use crate::domain::points::{self, Completion};
use crate::domain::streak::{self, Streak};
use crate::model::{ContentType, Difficulty};

fn ids(list: &[Document], field: &str) -> Vec<ObjectId> {
    list.iter().filter_map(|d| d.get_object_id(field).ok()).collect()
}

/// Everything derived about a learner.
#[derive(Debug, Clone, PartialEq)]
pub struct Derived {
    pub stats: Stats,
    pub streak: Streak,
    pub last_activity: Option<DateTime>,
    /// The stored total before [`refresh`] wrote `stats` (0 from [`compute`]).
    pub points_before: i64,
}

/// The learner's time zone (UTC when unset).
async fn time_zone(db: &Database, user: ObjectId) -> Result<String, RepoError> {
    let found = projected(db, USERS, doc! { "_id": user }, doc! { "preferences.timeZone": 1 }).await?;
    Ok(found
        .first()
        .and_then(|u| u.get_document("preferences").ok())
        .and_then(|p| p.get_str("timeZone").ok())
        .unwrap_or("UTC")
        .to_string())
}

/// Instants of real learning: the end of each study session and each completion.
fn activity_instants(progress: &[Document]) -> Vec<i64> {
    let mut instants = Vec::new();
    for p in progress {
        if let Ok(sessions) = p.get_document("timeSpent").and_then(|t| t.get_array("sessions")) {
            for s in sessions.iter().filter_map(Bson::as_document) {
                let learned = number(s, "duration").unwrap_or(0.0) > 0.0;
                if let (true, Ok(end)) = (learned, s.get_datetime("endTime")) {
                    instants.push(end.timestamp_millis());
                }
            }
        }
        if let Ok(done) = p.get_document("progress").and_then(|s| s.get_datetime("completedAt")) {
            instants.push(done.timestamp_millis());
        }
    }
    instants
}

/// Computes a learner's stats and streak from their documents (no write).
pub async fn compute(db: &Database, user: ObjectId) -> Result<Derived, RepoError> {
    let progress: Vec<Document> = super::keys::progress(db, user, None).await?;
    let zone = time_zone(db, user).await?;
    let instants = activity_instants(&progress);
    let days = instants.iter().map(|&ms| day_of(ms, crate::timezone::offset_or_utc(&zone, ms))).collect();
    let now = DateTime::now().timestamp_millis();
    let streak = streak::from_days(&days, day_of(now, crate::timezone::offset_or_utc(&zone, now)));
    let last_activity = instants.iter().max().map(|&ms| DateTime::from_millis(ms));
    let completed: Vec<&Document> = progress
        .iter()
        .filter(|p| p.get_document("progress").and_then(|s| s.get_bool("isCompleted")).unwrap_or(false))
        .collect();
    let content_ids: Vec<ObjectId> = completed.iter().filter_map(|p| p.get_object_id("content").ok()).collect();
    let contents: HashMap<ObjectId, (ContentType, Difficulty)> = if content_ids.is_empty() {
        HashMap::new()
    } else {
        projected(db, CONTENTS, doc! { "_id": { "$in": content_ids } }, doc! { "type": 1, "difficulty": 1 })
            .await?
            .iter()
            .filter_map(|c| {
                let kind = ContentType::parse(c.get_str("type").ok()?)?;
                let difficulty = Difficulty::parse(c.get_str("difficulty").ok()?)?;
                Some((c.get_object_id("_id").ok()?, (kind, difficulty)))
            })
            .collect()
    };
    let mut stats = Stats::default();
    let mut total: i64 = 0;
    for p in &completed {
        let Some(&(kind, difficulty)) = p.get_object_id("content").ok().and_then(|c| contents.get(&c)) else {
            continue; // the content was deleted: its points go with it
        };
        let score = match kind {
            ContentType::Lab => number(p, "contentSpecific.labScore"),
            ContentType::Game => number(p, "contentSpecific.gameBestScore"),
            _ => None,
        };
        let hints = number(p, "contentSpecific.hintsUsed").unwrap_or(0.0) as i32;
        total += points::item_points(Completion { kind, difficulty, score, hints_used: hints });
        match kind {
            ContentType::Lab => stats.labs_completed += 1,
            ContentType::Game => stats.games_completed += 1,
            _ => {}
        }
    }
    let finished = super::enrollment::completed_for_user(db, user).await?;
    stats.courses_completed = i32::try_from(finished.len()).unwrap_or(i32::MAX);
    let module_ids: Vec<ObjectId> = finished.iter().map(|e| e.module).collect();
    if !module_ids.is_empty() {
        for m in projected(db, MODULES, doc! { "_id": { "$in": module_ids } }, doc! { "difficulty": 1 }).await? {
            if let Some(d) = m.get_str("difficulty").ok().and_then(Difficulty::parse) {
                total += points::module_points(d);
            }
        }
    }
    let awards: Vec<Document> = super::keys::awards(db, user).await?;
    let achievement_ids = ids(&awards, "achievement");
    if !achievement_ids.is_empty() {
        for a in projected(db, ACHIEVEMENTS, doc! { "_id": { "$in": achievement_ids } }, doc! { "rewards.points": 1 })
            .await?
        {
            total += number(&a, "rewards.points").unwrap_or(0.0).max(0.0) as i64;
        }
    }
    stats.total_points = total;
    stats.level = points::level_for(total).level;
    let seconds: f64 = progress.iter().filter_map(|p| number(p, "timeSpent.total")).sum();
    stats.total_study_time = seconds / 60.0;
    Ok(Derived { stats, streak, last_activity, points_before: 0 })
}

/// Recomputes and stores a learner's stats. Call it holding the learner's lock.
pub async fn refresh(db: &Database, user: ObjectId) -> Result<Derived, RepoError> {
    let mut derived = compute(db, user).await?;
    // The longest streak only grows: sessions older than the newest 50 per item are not kept.
    let stored =
        projected(db, USERS, doc! { "_id": user }, doc! { "longestStreak": 1, "stats.totalPoints": 1 }).await?;
    let stored_longest = stored.first().and_then(|u| number(u, "longestStreak")).unwrap_or(0.0) as i32;
    derived.points_before = stored.first().and_then(|u| number(u, "stats.totalPoints")).unwrap_or(0.0) as i64;
    let stats = &derived.stats;
    let last_activity = derived.last_activity.map(Bson::DateTime).unwrap_or(Bson::Null);
    db.collection::<Document>(USERS)
        .update_one(
            doc! { "_id": user },
            doc! { "$set": {
                "currentStreak": derived.streak.current,
                "longestStreak": derived.streak.longest.max(stored_longest),
                "lastActivityDate": last_activity,
                "stats.totalPoints": stats.total_points,
                "stats.level": stats.level,
                "stats.coursesCompleted": stats.courses_completed,
                "stats.labsCompleted": stats.labs_completed,
                "stats.gamesCompleted": stats.games_completed,
                "stats.totalStudyTime": stats.total_study_time,
                "updatedAt": DateTime::now(),
            } },
        )
        .await?;
    boards_changed(db);
    Ok(derived)
}

/// The leaderboards show a learner's points and streak: after a change they
/// are read again, at most once per 5 s however often learners change them
/// (and shown as they were until then).
fn boards_changed(db: &Database) {
    super::cache::outdated(db, "leaderboard:");
}

/// What one credited heartbeat changed on the learner.
pub struct Studied {
    /// Total study minutes before and after.
    pub minutes_before: f64,
    pub minutes_after: f64,
    /// Whether this is the learner's first real learning of their day.
    pub new_day: bool,
}

/// What adding study time needs to know of a learner: their study minutes,
/// streak, last day of learning and time zone.
#[derive(Debug, Clone, PartialEq)]
pub struct StudyRecord {
    pub minutes: f64,
    pub streak: Streak,
    pub last_activity: Option<DateTime>,
    pub time_zone: String,
}

impl StudyRecord {
    /// The record in a learner's document; it must have been read under the
    /// learner's lock to be current (every write to it takes that lock).
    pub fn of(user: &super::user::User) -> StudyRecord {
        StudyRecord {
            minutes: user.stats.total_study_time,
            streak: Streak { current: user.current_streak, longest: user.longest_streak },
            last_activity: user.last_activity_date,
            time_zone: user.preferences.time_zone.clone(),
        }
    }

    /// Reads the learner's record.
    pub async fn read(db: &Database, user: ObjectId) -> Result<StudyRecord, RepoError> {
        let projection = doc! {
            "stats.totalStudyTime": 1,
            "currentStreak": 1,
            "longestStreak": 1,
            "lastActivityDate": 1,
            "preferences.timeZone": 1,
        };
        let u = projected(db, USERS, doc! { "_id": user }, projection)
            .await?
            .into_iter()
            .next()
            .ok_or(RepoError::NotFound("User"))?;
        Ok(StudyRecord {
            minutes: number(&u, "stats.totalStudyTime").unwrap_or(0.0),
            streak: Streak {
                current: number(&u, "currentStreak").unwrap_or(0.0) as i32,
                longest: number(&u, "longestStreak").unwrap_or(0.0) as i32,
            },
            last_activity: u.get_datetime("lastActivityDate").ok().copied(),
            time_zone: u.get_document("preferences").and_then(|p| p.get_str("timeZone")).unwrap_or("UTC").to_string(),
        })
    }
}

/// Adds heartbeat study time (seconds) to the learner's total minutes and,
/// when it is real learning (`learning`), extends or restarts the streak in
/// the learner's day: one write, given the learner's current `record`
/// (called under the learner's lock).
pub async fn add_study(
    db: &Database,
    user: ObjectId,
    record: &StudyRecord,
    seconds: f64,
    learning: bool,
) -> Result<Studied, RepoError> {
    let minutes = seconds / 60.0;
    let minutes_before = record.minutes;
    let mut update = doc! { "$inc": { "stats.totalStudyTime": minutes } };
    let mut new_day = false;
    if learning {
        let now = DateTime::now();
        let day = |ms: i64| day_of(ms, crate::timezone::offset_or_utc(&record.time_zone, ms));
        let last_day = record.last_activity.map(|d| day(d.timestamp_millis()));
        let today = day(now.timestamp_millis());
        let next = streak::advance(record.streak, last_day, today);
        update.insert(
            "$set",
            doc! { "currentStreak": next.current, "longestStreak": next.longest, "lastActivityDate": now },
        );
        new_day = last_day != Some(today);
    }
    db.collection::<Document>(USERS).update_one(doc! { "_id": user }, update).await?;
    if new_day {
        boards_changed(db);
    }
    Ok(Studied { minutes_before, minutes_after: minutes_before + minutes, new_day })
}

/// Recomputes every learner's stats (the `foothold rebuild-stats` command); returns how many.
pub async fn rebuild_all(db: &Database) -> Result<usize, RepoError> {
    let users = projected(db, USERS, doc! {}, doc! { "_id": 1 }).await?;
    let mut count = 0;
    for id in ids(&users, "_id") {
        let _guard = super::lock::lock_learner(id).await;
        refresh(db, id).await?;
        count += 1;
    }
    Ok(count)
}
