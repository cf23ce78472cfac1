//! The `achievements` and `userachievements` collections.

use futures::TryStreamExt;
use mongodb::Database;
use mongodb::bson::oid::ObjectId;
use mongodb::bson::{Bson, DateTime, Document, doc};
use serde::{Deserialize, Serialize};

use super::collections::{ACHIEVEMENTS, MODULES, PHASES, USER_ACHIEVEMENTS};
use super::error::{RepoError, is_duplicate_key};
use super::phase::default_true;
use super::{counters, first_missing, oids};
use crate::model::achievement::{AchievementInput, ValidAchievement};
use crate::model::{
    AchievementCategory, AchievementDifficulty, AchievementType, ConditionOperator, Rarity, TargetType, Timeframe,
    TriggerType,
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Achievement {
    #[serde(rename = "_id")]
    pub id: ObjectId,
    pub title: String,
    pub description: String,
    pub category: AchievementCategory,
    #[serde(rename = "type")]
    pub kind: AchievementType,
    #[serde(default)]
    pub criteria: Criteria,
    pub rewards: Rewards,
    pub icon: String,
    #[serde(default = "super::phase::default_color")]
    pub color: String,
    #[serde(default = "common")]
    pub rarity: Rarity,
    #[serde(default)]
    pub is_hidden: bool,
    #[serde(default = "default_true")]
    pub is_active: bool,
    #[serde(default)]
    pub order: i32,
    #[serde(default)]
    pub metadata: AchievementMetadata,
    pub created_at: DateTime,
    pub updated_at: DateTime,
}

fn common() -> Rarity {
    Rarity::Common
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Criteria {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_value: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_type: Option<TargetType>,
    #[serde(default)]
    pub required_modules: Vec<ObjectId>,
    #[serde(default)]
    pub required_phases: Vec<ObjectId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum_score: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeframe: Option<Timeframe>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consecutive_days: Option<i32>,
    #[serde(default)]
    pub conditions: Vec<StoredCondition>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredCondition {
    pub field: String,
    pub operator: ConditionOperator,
    pub value: Bson,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Rewards {
    #[serde(default)]
    pub points: i32,
    pub badge: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default)]
    pub certificate: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AchievementMetadata {
    #[serde(default)]
    pub earned_count: i64,
    #[serde(default)]
    pub total_eligible: i64,
    /// Days from registration to earning, on average.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average_earn_time: Option<f64>,
    #[serde(default = "medium")]
    pub difficulty: AchievementDifficulty,
}

fn medium() -> AchievementDifficulty {
    AchievementDifficulty::Medium
}

impl Default for AchievementMetadata {
    fn default() -> Self {
        AchievementMetadata { earned_count: 0, total_eligible: 0, average_earn_time: None, difficulty: medium() }
    }
}

impl Achievement {
    /// The stored achievement as the form input that would write it.
    pub fn to_input(&self) -> AchievementInput {
        use crate::model::achievement::{ConditionInput, CriteriaInput, RewardsInput};
        let c = &self.criteria;
        AchievementInput {
            title: self.title.clone(),
            description: self.description.clone(),
            category: self.category.as_str().into(),
            kind: self.kind.as_str().into(),
            criteria: CriteriaInput {
                target_value: c.target_value,
                target_type: c.target_type.map(|t| t.as_str().into()),
                required_modules: c.required_modules.iter().map(|id| id.to_hex()).collect(),
                required_phases: c.required_phases.iter().map(|id| id.to_hex()).collect(),
                minimum_score: c.minimum_score,
                timeframe: c.timeframe.map(|t| t.as_str().into()),
                consecutive_days: c.consecutive_days.map(f64::from),
                conditions: c
                    .conditions
                    .iter()
                    .map(|k| ConditionInput {
                        field: k.field.clone(),
                        operator: k.operator.as_str().into(),
                        value: k.value.clone().into_relaxed_extjson(),
                    })
                    .collect(),
            },
            rewards: RewardsInput {
                points: Some(f64::from(self.rewards.points)),
                badge: self.rewards.badge.clone(),
                title: self.rewards.title.clone(),
                certificate: self.rewards.certificate,
            },
            icon: self.icon.clone(),
            color: Some(self.color.clone()),
            rarity: Some(self.rarity.as_str().into()),
            is_hidden: self.is_hidden,
            is_active: Some(self.is_active),
            order: Some(f64::from(self.order)),
            difficulty: Some(self.metadata.difficulty.as_str().into()),
        }
    }

    /// The spec's `earnRate` virtual.
    pub fn earn_rate(&self) -> f64 {
        crate::model::achievement::earn_rate(self.metadata.earned_count, self.metadata.total_eligible)
    }
}

/// Validates `input` and the modules and phases it names into the document
/// stored under `id`; nothing is written.
pub async fn build(
    db: &Database,
    id: ObjectId,
    input: &AchievementInput,
    created_at: DateTime,
    metadata: AchievementMetadata,
) -> Result<Achievement, RepoError> {
    let v: ValidAchievement = input.validate()?;
    let required_modules = oids(&v.criteria.required_modules, "criteria.requiredModules")?;
    let required_phases = oids(&v.criteria.required_phases, "criteria.requiredPhases")?;
    if let Some(i) = first_missing(db, MODULES, &required_modules).await? {
        return Err(RepoError::field(&format!("criteria.requiredModules.{i}"), "Module not found"));
    }
    if let Some(i) = first_missing(db, PHASES, &required_phases).await? {
        return Err(RepoError::field(&format!("criteria.requiredPhases.{i}"), "Phase not found"));
    }
    let conditions = v
        .criteria
        .conditions
        .iter()
        .map(|c| {
            let value = Bson::try_from(c.value.clone()).map_err(|e| RepoError::Decode(e.to_string()))?;
            Ok(StoredCondition { field: c.field.clone(), operator: c.operator, value })
        })
        .collect::<Result<Vec<_>, RepoError>>()?;
    Ok(Achievement {
        id,
        title: v.title,
        description: v.description,
        category: v.category,
        kind: v.kind,
        criteria: Criteria {
            target_value: v.criteria.target_value,
            target_type: v.criteria.target_type,
            required_modules,
            required_phases,
            minimum_score: v.criteria.minimum_score,
            timeframe: v.criteria.timeframe,
            consecutive_days: v.criteria.consecutive_days,
            conditions,
        },
        rewards: Rewards { points: v.points, badge: v.badge, title: v.reward_title, certificate: v.certificate },
        icon: v.icon,
        color: v.color,
        rarity: v.rarity,
        is_hidden: v.is_hidden,
        is_active: v.is_active,
        order: v.order,
        metadata: AchievementMetadata { difficulty: v.difficulty, ..metadata },
        created_at,
        updated_at: DateTime::now(),
    })
}

/// Validates `input` and the modules and phases it names; nothing is written on failure.
pub async fn create(db: &Database, input: &AchievementInput) -> Result<Achievement, RepoError> {
    let achievement = build(db, ObjectId::new(), input, DateTime::now(), AchievementMetadata::default()).await?;
    db.collection::<Achievement>(ACHIEVEMENTS).insert_one(&achievement).await?;
    super::cache::catalog_changed(db);
    Ok(achievement)
}

/// Replaces every editable field; the earn counters are kept (and refreshed).
pub async fn update(db: &Database, id: ObjectId, input: &AchievementInput) -> Result<Achievement, RepoError> {
    let existing = get(db, id).await?.ok_or(RepoError::NotFound("Achievement"))?;
    let achievement = build(db, id, input, existing.created_at, existing.metadata).await?;
    db.collection::<Achievement>(ACHIEVEMENTS).replace_one(doc! { "_id": id }, &achievement).await?;
    super::cache::catalog_changed(db);
    counters::refresh_achievement(db, id).await?;
    Ok(achievement)
}

pub async fn set_active(db: &Database, id: ObjectId, active: bool) -> Result<(), RepoError> {
    let result = db
        .collection::<Document>(ACHIEVEMENTS)
        .update_one(doc! { "_id": id }, doc! { "$set": { "isActive": active, "updatedAt": DateTime::now() } })
        .await?;
    if result.matched_count == 0 {
        return Err(RepoError::NotFound("Achievement"));
    }
    super::cache::catalog_changed(db);
    Ok(())
}

/// A learner's awards (in no particular order) with every achievement
/// (inactive ones too), for showing them: the achievements as read within
/// [`super::cache::TTL`], since the dashboard and the navigation's badge
/// count read them on every page. Their earn counters may lag; writes here
/// drop the copy at once.
async fn shown_awards(
    db: &Database,
    user: ObjectId,
) -> Result<(std::sync::Arc<Vec<Achievement>>, Vec<UserAchievement>), RepoError> {
    let achievements = super::cache::get_or_load(db, ACHIEVEMENTS.to_string(), list_all(db)).await?;
    let ids: Vec<ObjectId> = achievements.iter().map(|a| a.id).collect();
    let awards = super::keys::awards_among(db, user, &ids).await?;
    Ok((achievements, awards))
}

/// Every achievement (inactive ones too) in display order.
pub async fn list_all(db: &Database) -> Result<Vec<Achievement>, RepoError> {
    Ok(db.collection::<Achievement>(ACHIEVEMENTS).find(doc! {}).sort(doc! { "order": 1 }).await?.try_collect().await?)
}

pub async fn get(db: &Database, id: ObjectId) -> Result<Option<Achievement>, RepoError> {
    Ok(db.collection::<Achievement>(ACHIEVEMENTS).find_one(doc! { "_id": id }).await?)
}

/// Active achievements in display order.
pub async fn list_active(db: &Database) -> Result<Vec<Achievement>, RepoError> {
    Ok(db
        .collection::<Achievement>(ACHIEVEMENTS)
        .find(doc! { "isActive": true })
        .sort(doc! { "order": 1 })
        .await?
        .try_collect()
        .await?)
}

// ------------------------------------------------------------ awards

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserAchievement {
    #[serde(rename = "_id")]
    pub id: ObjectId,
    pub user: ObjectId,
    pub achievement: ObjectId,
    pub earned_at: DateTime,
    pub earned_context: EarnedContext,
    #[serde(default)]
    pub progress: AwardProgress,
    #[serde(default)]
    pub is_viewed: bool,
    #[serde(default)]
    pub viewed_at: Option<DateTime>,
    #[serde(default)]
    pub is_notified: bool,
    #[serde(default)]
    pub notified_at: Option<DateTime>,
    #[serde(default)]
    pub is_shared: bool,
    #[serde(default)]
    pub shared_at: Option<DateTime>,
    #[serde(default)]
    pub metadata: AwardMetadata,
    pub created_at: DateTime,
    pub updated_at: DateTime,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EarnedContext {
    pub trigger_type: TriggerType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trigger_value: Option<Bson>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub related_content: Option<ObjectId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub related_module: Option<ObjectId>,
    #[serde(default)]
    pub snapshot: Snapshot,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Snapshot {
    pub user_level: i32,
    pub user_points: i64,
    pub user_streak: i32,
    pub modules_completed: i32,
    pub content_completed: i32,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AwardProgress {
    #[serde(default)]
    pub current_value: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_value: Option<f64>,
    #[serde(default)]
    pub percentage: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AwardMetadata {
    /// Days from registration to earning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_to_earn: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub difficulty: Option<String>,
    #[serde(default)]
    pub celebration_shown: bool,
}

/// What an award records besides who earned what.
#[derive(Debug, Clone)]
pub struct AwardDetails {
    pub context: EarnedContext,
    pub progress: AwardProgress,
    pub time_to_earn: Option<f64>,
}

/// Awards `achievement` to `user` once. Returns the new award, or `None`
/// when the learner already had it (the unique user+achievement index makes
/// concurrent awards safe). The earned count is recomputed, not incremented.
pub async fn award(
    db: &Database,
    user: ObjectId,
    achievement: &Achievement,
    details: AwardDetails,
) -> Result<Option<UserAchievement>, RepoError> {
    if !(0.0..=100.0).contains(&details.progress.percentage) {
        return Err(RepoError::field(
            "progress.percentage",
            crate::model::validation::default_max("progress.percentage", details.progress.percentage, 100.0),
        ));
    }
    let now = DateTime::now();
    let award = UserAchievement {
        // Keyed by learner and achievement: found by `_id` (`db::keys`), and a second award collides on it.
        id: super::keys::award_id(user, achievement.id),
        user,
        achievement: achievement.id,
        earned_at: now,
        earned_context: details.context,
        progress: details.progress,
        is_viewed: false,
        viewed_at: None,
        is_notified: false,
        notified_at: None,
        is_shared: false,
        shared_at: None,
        metadata: AwardMetadata {
            time_to_earn: details.time_to_earn,
            difficulty: Some(achievement.metadata.difficulty.to_string()),
            celebration_shown: false,
        },
        created_at: now,
        updated_at: now,
    };
    match db.collection::<UserAchievement>(USER_ACHIEVEMENTS).insert_one(&award).await {
        Ok(_) => {
            counters::refresh_achievement(db, achievement.id).await?;
            Ok(Some(award))
        }
        Err(err) if is_duplicate_key(&err) => Ok(None),
        Err(err) => Err(err.into()),
    }
}

/// A learner's awards, newest first.
pub async fn awards_of(db: &Database, user: ObjectId) -> Result<Vec<UserAchievement>, RepoError> {
    let mut awards: Vec<UserAchievement> = super::keys::awards(db, user).await?;
    newest_first(&mut awards);
    Ok(awards)
}

fn newest_first(awards: &mut [UserAchievement]) {
    awards.sort_by_key(|a| std::cmp::Reverse(a.earned_at.timestamp_millis()));
}

/// A learner's newest awards with their achievements (only those they
/// shared, for a public profile), at most `limit`.
pub async fn earned(
    db: &Database,
    user: ObjectId,
    shared_only: bool,
    limit: i64,
) -> Result<Vec<(UserAchievement, Achievement)>, RepoError> {
    // One read of the achievements serves both the awards' ids and their details.
    let (achievements, mut awards) = shown_awards(db, user).await?;
    newest_first(&mut awards);
    awards.retain(|a| a.is_shared || !shared_only);
    awards.truncate(usize::try_from(limit).unwrap_or(0));
    Ok(awards
        .into_iter()
        .filter_map(|award| {
            let achievement = achievements.iter().find(|a| a.id == award.achievement)?.clone();
            Some((award, achievement))
        })
        .collect())
}

/// Unread awards of a learner (the badge count).
pub async fn unviewed_count(db: &Database, user: ObjectId) -> Result<u64, RepoError> {
    let (_, awards) = shown_awards(db, user).await?;
    Ok(awards.iter().filter(|a| !a.is_viewed).count() as u64)
}
