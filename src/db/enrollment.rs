//! The `userenrollments` collection.

use mongodb::Database;
use mongodb::bson::oid::ObjectId;
use mongodb::bson::{DateTime, Document, doc};
use serde::{Deserialize, Serialize};

use super::collections::ENROLLMENTS;
use super::error::{RepoError, is_duplicate_key};
use crate::model::EnrollmentStatus;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Enrollment {
    #[serde(rename = "_id")]
    pub id: ObjectId,
    pub user: ObjectId,
    pub module: ObjectId,
    pub enrolled_at: DateTime,
    #[serde(default = "active")]
    pub status: EnrollmentStatus,
    #[serde(default)]
    pub progress: EnrollmentProgress,
    #[serde(default)]
    pub time_spent: EnrollmentTime,
    #[serde(default)]
    pub completed_at: Option<DateTime>,
    #[serde(default = "DateTime::now")]
    pub last_accessed_at: DateTime,
    #[serde(default)]
    pub performance: Performance,
    #[serde(default)]
    pub engagement: Engagement,
    #[serde(default)]
    pub certificate: Certificate,
    pub created_at: DateTime,
    pub updated_at: DateTime,
}

fn active() -> EnrollmentStatus {
    EnrollmentStatus::Active
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct EnrollmentProgress {
    /// 0..=100.
    pub percentage: f64,
    pub completed_content: i32,
    pub total_content: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_content_completed: Option<ObjectId>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct EnrollmentTime {
    /// Minutes.
    pub total: f64,
    pub sessions: Vec<StudySession>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StudySession {
    pub start_time: DateTime,
    pub end_time: DateTime,
    /// Minutes.
    pub duration: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Performance {
    pub average_score: f64,
    pub total_attempts: i32,
    pub best_score: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Engagement {
    pub total_logins: i32,
    pub consecutive_days: i32,
    pub notes_count: i32,
    pub bookmarks_count: i32,
}

impl Default for Engagement {
    /// The spec starts both login counters at 1: enrolling is the first visit.
    fn default() -> Self {
        Engagement { total_logins: 1, consecutive_days: 1, notes_count: 0, bookmarks_count: 0 }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Certificate {
    pub issued: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issued_at: Option<DateTime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub download_url: Option<String>,
}

/// Enrolls `user` in an active `module`, once: a second call returns the
/// existing enrollment, and a dropped or paused one becomes active again.
pub async fn enroll(db: &Database, user: ObjectId, module: ObjectId) -> Result<Enrollment, RepoError> {
    let active_module = super::module::get(db, module).await?.is_some_and(|m| m.is_active);
    if !active_module {
        return Err(RepoError::NotFound("Module"));
    }
    if let Some(existing) = get(db, user, module).await? {
        return reactivate(db, existing).await;
    }
    let total = super::content::module_items(db, module).await?.iter().filter(|c| c.is_active).count();
    let now = DateTime::now();
    let enrollment = Enrollment {
        id: super::keys::enrollment_id(user, module),
        user,
        module,
        enrolled_at: now,
        status: EnrollmentStatus::Active,
        progress: EnrollmentProgress { total_content: i32::try_from(total).unwrap_or(i32::MAX), ..Default::default() },
        time_spent: EnrollmentTime::default(),
        completed_at: None,
        last_accessed_at: now,
        performance: Performance::default(),
        engagement: Engagement::default(),
        certificate: Certificate::default(),
        created_at: now,
        updated_at: now,
    };
    // The key first: a crash before the insert leaves a key readers skip.
    super::keys::add(db, user, super::keys::List::Modules, module).await?;
    match db.collection::<Enrollment>(ENROLLMENTS).insert_one(&enrollment).await {
        Ok(_) => {
            super::tallies::enrollment_changed(db, None, &super::tallies::enrollment_facts(&enrollment)).await;
            Ok(enrollment)
        }
        // A concurrent enroll won the unique (user, module) index: use its document.
        Err(err) if is_duplicate_key(&err) => get(db, user, module).await?.ok_or(RepoError::NotFound("Enrollment")),
        Err(err) => Err(err.into()),
    }
}

async fn reactivate(db: &Database, mut enrollment: Enrollment) -> Result<Enrollment, RepoError> {
    if matches!(enrollment.status, EnrollmentStatus::Dropped | EnrollmentStatus::Paused) {
        let now = DateTime::now();
        db.collection::<Document>(ENROLLMENTS)
            .update_one(
                doc! { "_id": enrollment.id },
                doc! { "$set": { "status": EnrollmentStatus::Active.as_str(), "lastAccessedAt": now, "updatedAt": now } },
            )
            .await?;
        enrollment.status = EnrollmentStatus::Active;
        enrollment.last_accessed_at = now;
    }
    Ok(enrollment)
}

/// Every enrollment of a learner (one per module they ever joined).
pub async fn list_for_user(db: &Database, user: ObjectId) -> Result<Vec<Enrollment>, RepoError> {
    super::keys::enrollments(db, user).await
}

/// The learner's enrollments in the modules that exist (every module, from
/// the cache): one read, without the learner's key list.
pub async fn list_for_user_in_existing_modules(db: &Database, user: ObjectId) -> Result<Vec<Enrollment>, RepoError> {
    let modules: Vec<ObjectId> = super::module::all_cached(db).await?.keys().copied().collect();
    super::keys::enrollments_among(db, user, &modules).await
}

/// The learner's completed enrollments.
pub async fn completed_for_user(db: &Database, user: ObjectId) -> Result<Vec<Enrollment>, RepoError> {
    let mut all = list_for_user(db, user).await?;
    all.retain(|e| e.status == EnrollmentStatus::Completed);
    Ok(all)
}

pub async fn get(db: &Database, user: ObjectId, module: ObjectId) -> Result<Option<Enrollment>, RepoError> {
    Ok(db
        .collection::<Enrollment>(ENROLLMENTS)
        .find_one(doc! { "_id": super::keys::enrollment_id(user, module) })
        .await?)
}

/// Pauses or drops an enrollment (or resumes it with `Active`); completion is recorded by progress, not here.
pub async fn set_status(
    db: &Database,
    user: ObjectId,
    module: ObjectId,
    status: EnrollmentStatus,
) -> Result<(), RepoError> {
    if status == EnrollmentStatus::Completed {
        return Err(RepoError::field("status", "A module is completed by finishing its content"));
    }
    // Read, then write by `_id` alone: the one filter FerretDB/SQLite answers from an index.
    let enrollment = get(db, user, module).await?.ok_or(RepoError::NotFound("Enrollment"))?;
    if enrollment.status == EnrollmentStatus::Completed {
        return Err(RepoError::NotFound("Enrollment"));
    }
    let now = DateTime::now();
    db.collection::<Document>(ENROLLMENTS)
        .update_one(doc! { "_id": enrollment.id }, doc! { "$set": { "status": status.as_str(), "updatedAt": now } })
        .await?;
    Ok(())
}
