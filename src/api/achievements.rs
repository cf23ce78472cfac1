//! The learner's achievement gallery: every active achievement with the
//! learner's standing, hidden ones masked until earned; marking awards seen
//! and sharing them. Only ever the caller's own awards.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::model::{AchievementCategory, Rarity};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AchievementCard {
    pub id: String,
    pub title: String,
    pub description: String,
    pub icon: String,
    pub color: String,
    pub category: AchievementCategory,
    pub rarity: Rarity,
    pub points: i32,
    /// A hidden achievement not earned yet: title and description are masked.
    pub masked: bool,
    /// Share of learners who earned it (the spec's `earnRate`), 0..=100.
    pub earn_rate: f64,
    /// Progress toward it, 0..=100 (100 once earned).
    pub progress: f64,
    pub award: Option<AwardView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AwardView {
    pub id: String,
    /// `YYYY-MM-DD`.
    pub earned_on: String,
    pub is_viewed: bool,
    pub is_shared: bool,
}

/// Every active achievement in display order, with the learner's standing.
#[server(endpoint = "achievements")]
pub async fn get_achievements() -> Result<Vec<AchievementCard>, AppError> {
    let user = crate::auth::guard::require_user().await?;
    let db = crate::server::state()?.db;
    ssr::gallery(&db, &user).await.map_err(crate::server::fail)
}

/// How many of the learner's awards they have not looked at yet (the badge).
#[server(endpoint = "achievements/unread")]
pub async fn unread_achievements() -> Result<u64, AppError> {
    let Some(user) = crate::auth::session::request_user().await? else { return Ok(0) };
    let db = crate::server::state()?.db;
    crate::db::achievement::unviewed_count(&db, user.id).await.map_err(|e| crate::server::fail(e.into()))
}

/// Marks every award of the learner as seen (opening the gallery does it).
#[server(endpoint = "achievements/seen")]
pub async fn mark_achievements_seen() -> Result<(), AppError> {
    let user = crate::auth::guard::require_user().await?;
    let db = crate::server::state()?.db;
    ssr::mark_seen(&db, user.id).await.map_err(crate::server::fail)
}

/// Shows (or hides) one of the learner's awards on their public profile.
#[server(endpoint = "achievements/share")]
pub async fn share_achievement(award_id: String, shared: bool) -> Result<(), AppError> {
    let user = crate::auth::guard::require_user().await?;
    let db = crate::server::state()?.db;
    ssr::share(&db, user.id, &award_id, shared).await.map_err(crate::server::fail)
}

#[cfg(feature = "ssr")]
mod ssr {
    use mongodb::Database;
    use mongodb::bson::oid::ObjectId;
    use mongodb::bson::{DateTime, Document, doc};

    use super::{AchievementCard, AwardView};
    use crate::db::collections::USER_ACHIEVEMENTS;
    use crate::db::user::User;
    use crate::domain::achievements::evaluate;
    use crate::error::AppError;

    pub async fn gallery(db: &Database, user: &User) -> Result<Vec<AchievementCard>, AppError> {
        let mut active = crate::db::achievement::list_active(db).await?;
        active.sort_by_key(|a| a.order);
        let awards = crate::db::achievement::awards_of(db, user.id).await?;
        let facts = crate::db::awards::facts(db, user).await?;
        Ok(active
            .into_iter()
            .map(|a| {
                let award = awards.iter().find(|w| w.achievement == a.id);
                let masked = a.is_hidden && award.is_none();
                let progress = if award.is_some() {
                    100.0
                } else {
                    evaluate(&crate::db::awards::rule_of(&a), &facts).percentage()
                };
                AchievementCard {
                    id: a.id.to_hex(),
                    title: if masked { "Hidden achievement".into() } else { a.title.clone() },
                    description: if masked {
                        "Keep learning to discover this one.".into()
                    } else {
                        a.description.clone()
                    },
                    icon: if masked { "?".into() } else { a.icon.clone() },
                    color: a.color.clone(),
                    category: a.category,
                    rarity: a.rarity,
                    points: a.rewards.points,
                    masked,
                    earn_rate: (crate::model::achievement::earn_rate(
                        a.metadata.earned_count,
                        a.metadata.total_eligible,
                    ) * 10.0)
                        .round()
                        / 10.0,
                    progress: if masked { 0.0 } else { progress },
                    award: award.map(|w| AwardView {
                        id: w.id.to_hex(),
                        earned_on: crate::domain::calendar::utc_stamp(
                            w.earned_at.timestamp_millis(),
                            crate::domain::calendar::Stamp::Day,
                        ),
                        is_viewed: w.is_viewed,
                        is_shared: w.is_shared,
                    }),
                }
            })
            .collect())
    }

    pub async fn mark_seen(db: &Database, user: ObjectId) -> Result<(), AppError> {
        let now = DateTime::now();
        let unread: Vec<ObjectId> = crate::db::achievement::awards_of(db, user)
            .await?
            .into_iter()
            .filter(|a| !a.is_viewed)
            .map(|a| a.id)
            .collect();
        let awards = db.collection::<Document>(USER_ACHIEVEMENTS);
        // By `_id`: a filter on the learner reads every award on FerretDB/SQLite.
        futures::future::try_join_all(unread.iter().map(|id| {
            awards
                .update_one(
                    doc! { "_id": id },
                    doc! { "$set": { "isViewed": true, "viewedAt": now, "metadata.celebrationShown": true, "updatedAt": now } },
                )
                .into_future()
        }))
        .await?;
        Ok(())
    }

    pub async fn share(db: &Database, user: ObjectId, award: &str, shared: bool) -> Result<(), AppError> {
        let award = crate::db::oid(award, "awardId")?;
        let now = DateTime::now();
        let shared_at = if shared { mongodb::bson::Bson::DateTime(now) } else { mongodb::bson::Bson::Null };
        let awards = db.collection::<Document>(USER_ACHIEVEMENTS);
        // The owner is checked on the award read by `_id` (an award never
        // changes hands), and the update filters on `_id` alone: with any
        // other field FerretDB/SQLite reads every award.
        let owned = awards
            .find_one(doc! { "_id": award })
            .projection(doc! { "user": 1 })
            .await?
            .is_some_and(|a| a.get_object_id("user").ok() == Some(user));
        if !owned {
            return Err(AppError::NotFound("This achievement of yours".into()));
        }
        awards
            .update_one(
                doc! { "_id": award },
                doc! { "$set": { "isShared": shared, "sharedAt": shared_at, "updatedAt": now } },
            )
            .await?;
        Ok(())
    }
}
