//! A learner's `stats` (points, level, completions, study time), always
//! recomputed from the source documents — progress, enrollments and awards —
//! and `$set`, so they can be rebuilt at any time and a lost update is
//! repaired by the next event. Between completions, heartbeats add study
//! minutes with `$inc` under the learner's lock (`db::learning`).

use std::collections::HashMap;

use futures::TryStreamExt;
use mongodb::Database;
use mongodb::bson::oid::ObjectId;
use mongodb::bson::{Bson, DateTime, Document, doc};

use super::collections::{ACHIEVEMENTS, CONTENTS, ENROLLMENTS, MODULES, PROGRESS, USER_ACHIEVEMENTS, USERS};
use super::error::RepoError;
use super::user::Stats;
use crate::domain::points::{self, Completion};
use crate::model::{ContentType, Difficulty, EnrollmentStatus};

fn number(d: &Document, path: &str) -> Option<f64> {
    let mut current = d;
    let mut parts = path.split('.').peekable();
    while let Some(part) = parts.next() {
        let value = current.get(part)?;
        if parts.peek().is_none() {
            return match value {
                Bson::Double(x) => Some(*x),
                Bson::Int32(x) => Some(f64::from(*x)),
                Bson::Int64(x) => Some(*x as f64),
                _ => None,
            };
        }
        current = value.as_document()?;
    }
    None
}

async fn docs(
    db: &Database,
    collection: &str,
    filter: Document,
    projection: Document,
) -> Result<Vec<Document>, RepoError> {
    Ok(db.collection::<Document>(collection).find(filter).projection(projection).await?.try_collect().await?)
}

fn ids(list: &[Document], field: &str) -> Vec<ObjectId> {
    list.iter().filter_map(|d| d.get_object_id(field).ok()).collect()
}

/// Computes a learner's stats from their documents (no write).
pub async fn compute(db: &Database, user: ObjectId) -> Result<Stats, RepoError> {
    let progress = docs(
        db,
        PROGRESS,
        doc! { "user": user },
        doc! {
            "content": 1, "progress.isCompleted": 1, "timeSpent.total": 1,
            "contentSpecific.labScore": 1, "contentSpecific.gameBestScore": 1, "contentSpecific.hintsUsed": 1,
        },
    )
    .await?;
    let completed: Vec<&Document> = progress
        .iter()
        .filter(|p| p.get_document("progress").and_then(|s| s.get_bool("isCompleted")).unwrap_or(false))
        .collect();
    let content_ids: Vec<ObjectId> = completed.iter().filter_map(|p| p.get_object_id("content").ok()).collect();
    let contents: HashMap<ObjectId, (ContentType, Difficulty)> = if content_ids.is_empty() {
        HashMap::new()
    } else {
        docs(db, CONTENTS, doc! { "_id": { "$in": content_ids } }, doc! { "type": 1, "difficulty": 1 })
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
    let finished = docs(
        db,
        ENROLLMENTS,
        doc! { "user": user, "status": EnrollmentStatus::Completed.as_str() },
        doc! { "module": 1 },
    )
    .await?;
    stats.courses_completed = i32::try_from(finished.len()).unwrap_or(i32::MAX);
    let module_ids = ids(&finished, "module");
    if !module_ids.is_empty() {
        for m in docs(db, MODULES, doc! { "_id": { "$in": module_ids } }, doc! { "difficulty": 1 }).await? {
            if let Some(d) = m.get_str("difficulty").ok().and_then(Difficulty::parse) {
                total += points::module_points(d);
            }
        }
    }
    let awards = docs(db, USER_ACHIEVEMENTS, doc! { "user": user }, doc! { "achievement": 1 }).await?;
    let achievement_ids = ids(&awards, "achievement");
    if !achievement_ids.is_empty() {
        for a in
            docs(db, ACHIEVEMENTS, doc! { "_id": { "$in": achievement_ids } }, doc! { "rewards.points": 1 }).await?
        {
            total += number(&a, "rewards.points").unwrap_or(0.0).max(0.0) as i64;
        }
    }
    stats.total_points = total;
    stats.level = points::level_for(total).level;
    let seconds: f64 = progress.iter().filter_map(|p| number(p, "timeSpent.total")).sum();
    stats.total_study_time = seconds / 60.0;
    Ok(stats)
}

/// Recomputes and stores a learner's stats. Call it holding the learner's lock.
pub async fn refresh(db: &Database, user: ObjectId) -> Result<Stats, RepoError> {
    let stats = compute(db, user).await?;
    db.collection::<Document>(USERS)
        .update_one(
            doc! { "_id": user },
            doc! { "$set": {
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
    Ok(stats)
}

/// Adds heartbeat study time (seconds) to the learner's total minutes.
pub async fn add_study_time(db: &Database, user: ObjectId, seconds: f64) -> Result<(), RepoError> {
    db.collection::<Document>(USERS)
        .update_one(doc! { "_id": user }, doc! { "$inc": { "stats.totalStudyTime": seconds / 60.0 } })
        .await?;
    Ok(())
}

/// Recomputes every learner's stats (the `foothold rebuild-stats` command); returns how many.
pub async fn rebuild_all(db: &Database) -> Result<usize, RepoError> {
    let users = docs(db, USERS, doc! {}, doc! { "_id": 1 }).await?;
    let mut count = 0;
    for id in ids(&users, "_id") {
        let _guard = super::learning::lock_learner(id).await;
        refresh(db, id).await?;
        count += 1;
    }
    Ok(count)
}
