//! The achievement engine's I/O: gathers a learner's [`Facts`], evaluates
//! every active achievement with `domain::achievements`, and awards the ones
//! newly earned. Awarding is idempotent (unique user+achievement index);
//! reward points enter the learner's stats through `db::stats::refresh`,
//! which reads the awards. Call with the learner's lock held.

use std::collections::{HashMap, HashSet};

use mongodb::Database;
use mongodb::bson::oid::ObjectId;
use mongodb::bson::{Bson, DateTime, Document, doc};

use super::achievement::{self, Achievement, AwardDetails, AwardProgress, EarnedContext, Snapshot};
use super::collections::USERS;
use super::error::RepoError;
use super::number;
use super::user::User;
use crate::domain::achievements::{Facts, Rule, evaluate};
use crate::domain::calendar::day_of;
use crate::model::TriggerType;
use crate::model::achievement::Condition;

/// What set the evaluation off (stored in `earnedContext`).
#[derive(Debug, Clone)]
pub struct Trigger {
    pub kind: TriggerType,
    pub value: Option<Bson>,
    pub content: Option<ObjectId>,
    pub module: Option<ObjectId>,
}

/// An achievement just earned, for the page to celebrate.
#[derive(Debug, Clone, PartialEq)]
pub struct Earned {
    pub award: ObjectId,
    pub achievement: Achievement,
}

pub fn rule_of(a: &Achievement) -> Rule {
    let c = &a.criteria;
    Rule {
        kind: Some(a.kind),
        target_type: c.target_type,
        target_value: c.target_value,
        required_modules: c.required_modules.iter().map(|id| id.to_hex()).collect(),
        required_phases: c.required_phases.iter().map(|id| id.to_hex()).collect(),
        minimum_score: c.minimum_score,
        timeframe: c.timeframe,
        consecutive_days: c.consecutive_days,
        conditions: c
            .conditions
            .iter()
            .map(|s| Condition {
                field: s.field.clone(),
                operator: s.operator,
                value: s.value.clone().into_relaxed_extjson(),
            })
            .collect(),
    }
}

/// Everything the rules need about a learner, from their documents.
pub async fn facts(db: &Database, user: &User) -> Result<Facts, RepoError> {
    let now = DateTime::now().timestamp_millis();
    let zone = user.preferences.time_zone.as_str();
    let day = |ms: i64| day_of(ms, crate::timezone::offset_or_utc(zone, ms));
    let progress: Vec<Document> = super::keys::progress(db, user.id, None).await?;
    let enrollments = super::enrollment::completed_for_user(db, user.id).await?;
    let completed: HashSet<ObjectId> = enrollments.iter().map(|e| e.module).collect();
    let module_days = enrollments.iter().filter_map(|e| e.completed_at).map(|d| day(d.timestamp_millis())).collect();

    let mut content_days = Vec::new();
    let mut study_days = Vec::new();
    let mut lowest: HashMap<ObjectId, f64> = HashMap::new();
    for p in &progress {
        let state = p.get_document("progress").ok();
        if let Some(done) = state.and_then(|s| s.get_datetime("completedAt").ok()) {
            content_days.push(day(done.timestamp_millis()));
        }
        if let Ok(sessions) = p.get_document("timeSpent").and_then(|t| t.get_array("sessions")) {
            for s in sessions.iter().filter_map(Bson::as_document) {
                if let Ok(end) = s.get_datetime("endTime") {
                    study_days.push((day(end.timestamp_millis()), number(s, "duration").unwrap_or(0.0)));
                }
            }
        }
        let cs = p.get_document("contentSpecific").ok();
        let score = cs.and_then(|cs| {
            if cs.get_bool("labCompleted").unwrap_or(false) {
                number(cs, "labScore")
            } else if number(cs, "gameAttempts").unwrap_or(0.0) > 0.0 {
                number(cs, "gameBestScore")
            } else {
                None
            }
        });
        if let (Some(score), Ok(module)) = (score, p.get_object_id("module")) {
            let entry = lowest.entry(module).or_insert(score);
            *entry = entry.min(score);
        }
    }
    let module_scores = completed.iter().map(|m| (m.to_hex(), lowest.get(m).copied().unwrap_or(100.0))).collect();

    // A phase is completed when all its active modules are.
    let by_phase = super::gating::modules_done_by_phase(db, None, &completed).await?;
    let completed_phases = by_phase
        .into_iter()
        .filter(|(_, done)| crate::domain::gating::phase_complete(done))
        .map(|(phase, _)| phase.to_hex())
        .collect();

    Ok(Facts {
        points: user.stats.total_points,
        level: user.stats.level,
        courses_completed: user.stats.courses_completed,
        labs_completed: user.stats.labs_completed,
        games_completed: user.stats.games_completed,
        study_minutes: user.stats.total_study_time,
        current_streak: user.current_streak,
        longest_streak: user.longest_streak,
        experience_level: user.experience_level.as_str().to_string(),
        location: user.profile.location.clone(),
        bio: user.profile.bio.clone(),
        completed_modules: completed.iter().map(|id| id.to_hex()).collect(),
        completed_phases,
        module_scores,
        content_days,
        module_days,
        study_days,
        today: day(now),
    })
}

/// What [`evaluate_and_award`] gave the learner.
#[derive(Debug, Default)]
pub struct Awarded {
    pub earned: Vec<Earned>,
    /// How much the learner's stored points grew.
    pub points: i64,
}

/// Evaluates every active achievement the learner lacks and awards those
/// now earned; repeats while awards add points (at most three rounds).
pub async fn evaluate_and_award(db: &Database, user_id: ObjectId, trigger: &Trigger) -> Result<Awarded, RepoError> {
    let active = achievement::list_active(db).await?;
    let mut earned_now = Vec::new();
    let mut points = 0;
    for _ in 0..3 {
        let Some(user) = super::user::get(db, user_id).await? else { break };
        let held: HashSet<ObjectId> =
            achievement::awards_of(db, user_id).await?.into_iter().map(|a| a.achievement).collect();
        let facts = facts(db, &user).await?;
        let mut awarded = false;
        for a in active.iter().filter(|a| !held.contains(&a.id)) {
            if let Some(earned) = try_award(db, &user, &facts, a, trigger).await? {
                earned_now.push(earned);
                awarded = true;
            }
        }
        if !awarded {
            break;
        }
        let refreshed = super::stats::refresh(db, user_id).await?;
        points += refreshed.stats.total_points - refreshed.points_before;
    }
    Ok(Awarded { earned: earned_now, points })
}

/// Awards `a` to `user` if the `facts` earn it (once: the unique index
/// decides between racing calls), with its context, progress and time to earn.
async fn try_award(
    db: &Database,
    user: &User,
    facts: &Facts,
    a: &Achievement,
    trigger: &Trigger,
) -> Result<Option<Earned>, RepoError> {
    let standing = evaluate(&rule_of(a), facts);
    if !standing.earned {
        return Ok(None);
    }
    let days = (DateTime::now().timestamp_millis() - user.created_at.timestamp_millis()) as f64 / 86_400_000.0;
    let details = AwardDetails {
        context: EarnedContext {
            trigger_type: trigger.kind,
            trigger_value: trigger.value.clone(),
            related_content: trigger.content,
            related_module: trigger.module,
            snapshot: Snapshot {
                user_level: user.stats.level,
                user_points: user.stats.total_points,
                user_streak: user.current_streak,
                modules_completed: user.stats.courses_completed,
                content_completed: i32::try_from(facts.content_days.len()).unwrap_or(i32::MAX),
            },
        },
        progress: AwardProgress {
            current_value: standing.current,
            target_value: Some(standing.target),
            percentage: standing.percentage(),
        },
        time_to_earn: Some((days * 10.0).round() / 10.0),
    };
    let Some(award) = achievement::award(db, user.id, a, details).await? else { return Ok(None) };
    tracing::info!(target: "learning", event = "achievement_earned", user = %user.id, achievement = %a.id);
    Ok(Some(Earned { award: award.id, achievement: a.clone() }))
}

/// Whether `user` (a student) earns `a` today, without awarding it (the admin preview).
pub async fn qualifies(db: &Database, user: &User, a: &Achievement) -> Result<bool, RepoError> {
    Ok(evaluate(&rule_of(a), &facts(db, user).await?).earned)
}

/// Awards `a` to one learner who earns it and lacks it (a retroactive run),
/// under the learner's lock; their stats follow. Returns whether it was awarded.
pub async fn award_retroactively(db: &Database, user_id: ObjectId, a: &Achievement) -> Result<bool, RepoError> {
    let _guard = super::lock::lock_learner(user_id).await;
    let Some(user) = super::user::get(db, user_id).await? else { return Ok(false) };
    let kind = match a.kind {
        crate::model::AchievementType::Completion => TriggerType::ModuleCompletion,
        crate::model::AchievementType::Streak => TriggerType::StreakMilestone,
        crate::model::AchievementType::TimeBased => TriggerType::TimeMilestone,
        crate::model::AchievementType::Mastery => TriggerType::ScoreAchievement,
        crate::model::AchievementType::Milestone => TriggerType::ContentCompletion,
    };
    let trigger = Trigger {
        kind,
        value: Some(mongodb::bson::Bson::String("retroactive award".into())),
        content: None,
        module: None,
    };
    let facts = facts(db, &user).await?;
    let awarded = try_award(db, &user, &facts, a, &trigger).await?.is_some();
    if awarded {
        super::stats::refresh(db, user_id).await?;
    }
    Ok(awarded)
}

/// Marks awards as announced to the learner (`isNotified`).
pub async fn mark_notified(db: &Database, awards: &[ObjectId]) -> Result<(), RepoError> {
    if awards.is_empty() {
        return Ok(());
    }
    let now = DateTime::now();
    let coll = db.collection::<Document>(super::collections::USER_ACHIEVEMENTS);
    // One update by `_id` each: with `$in` FerretDB/SQLite reads every award.
    futures::future::try_join_all(awards.iter().map(|id| {
        coll.update_one(
            doc! { "_id": id },
            doc! { "$set": { "isNotified": true, "notifiedAt": now, "updatedAt": now } },
        )
        .into_future()
    }))
    .await?;
    Ok(())
}

/// Learners who could earn an achievement (every student), for `metadata.totalEligible`.
pub async fn eligible_learners(db: &Database) -> Result<u64, RepoError> {
    Ok(db.collection::<Document>(USERS).count_documents(doc! { "role": "student" }).await?)
}
