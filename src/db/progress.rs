//! The `userprogresses` collection: one document per learner and content item.

use mongodb::Database;
use mongodb::bson::oid::ObjectId;
use mongodb::bson::{DateTime, Document, doc, to_document};
use serde::{Deserialize, Serialize};

use super::collections::{CONTENTS, PROGRESS};
use super::error::{RepoError, is_duplicate_key};
use crate::model::Device;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    #[serde(rename = "_id")]
    pub id: ObjectId,
    pub user: ObjectId,
    pub content: ObjectId,
    pub module: ObjectId,
    #[serde(default)]
    pub progress: ProgressState,
    #[serde(default)]
    pub time_spent: ProgressTime,
    #[serde(default)]
    pub interactions: Interactions,
    #[serde(default)]
    pub content_specific: ContentSpecific,
    #[serde(default)]
    pub analytics: Analytics,
    #[serde(default = "DateTime::now")]
    pub started_at: DateTime,
    #[serde(default = "DateTime::now")]
    pub last_accessed_at: DateTime,
    #[serde(default = "desktop")]
    pub device: Device,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub browser: Option<String>,
    pub created_at: DateTime,
    pub updated_at: DateTime,
}

fn desktop() -> Device {
    Device::Desktop
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ProgressState {
    /// 0..=100.
    pub percentage: f64,
    /// Videos: seconds; documents: page or section.
    pub current_position: f64,
    pub is_completed: bool,
    pub completed_at: Option<DateTime>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ProgressTime {
    /// Seconds.
    pub total: f64,
    pub sessions: Vec<ProgressSession>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProgressSession {
    pub start_time: DateTime,
    pub end_time: DateTime,
    /// Seconds.
    pub duration: f64,
    /// Percentage points gained in the session.
    pub progress_gained: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Interactions {
    pub views: i32,
    pub pauses: i32,
    pub seeks: i32,
    pub replays: i32,
}

impl Default for Interactions {
    /// The spec counts the first view on creation.
    fn default() -> Self {
        Interactions { views: 1, pauses: 0, seeks: 0, replays: 0 }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ContentSpecific {
    pub watched_segments: Vec<Segment>,
    pub playback_speed: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quality: Option<String>,
    pub lab_attempts: i32,
    pub lab_completed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lab_score: Option<f64>,
    pub hints_used: i32,
    pub game_score: f64,
    pub game_attempts: i32,
    pub game_level: i32,
    pub game_best_score: f64,
    pub pages_read: Vec<PageRead>,
    pub bookmarks: Vec<Bookmark>,
    // Foothold's additions (not in the spec), each needed to record progress exactly:
    /// The video's length in seconds as first reported and accepted (see `domain::progress`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video_length: Option<f64>,
    /// Passed game attempts (interaction-based completion and `gameLevel`).
    pub game_passes: i32,
    /// The learner marked the item done (manual completion).
    pub marked_done: bool,
    /// Ids of the newest submitted attempts: a repeated id is answered, not counted again.
    pub recent_attempts: Vec<String>,
    /// Feedback of the newest graded game attempt, shown again after a reload.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_result: Option<crate::domain::grading::Graded>,
}

impl Default for ContentSpecific {
    fn default() -> Self {
        ContentSpecific {
            watched_segments: Vec::new(),
            playback_speed: 1.0,
            quality: None,
            lab_attempts: 0,
            lab_completed: false,
            lab_score: None,
            hints_used: 0,
            game_score: 0.0,
            game_attempts: 0,
            game_level: 1,
            game_best_score: 0.0,
            pages_read: Vec::new(),
            bookmarks: Vec::new(),
            video_length: None,
            game_passes: 0,
            marked_done: false,
            recent_attempts: Vec::new(),
            last_result: None,
        }
    }
}

pub use crate::domain::progress::Segment;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PageRead {
    pub page: i32,
    pub read_at: DateTime,
    /// Seconds.
    pub time_spent: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Bookmark {
    pub page: i32,
    #[serde(default)]
    pub note: String,
    #[serde(default = "DateTime::now")]
    pub created_at: DateTime,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Analytics {
    /// 0..=100.
    pub engagement_score: f64,
    /// 1..=5.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub difficulty_rating: Option<i32>,
    /// 1..=5.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_rating: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feedback: Option<String>,
}

impl Progress {
    /// The spec's ranges (percentages 0..=100, ratings 1..=5, lab score 0..=100), with Mongoose's messages.
    pub fn validate(&self) -> Result<(), crate::model::FieldErrors> {
        let mut e = crate::model::FieldErrors::new();
        e.range("progress.percentage", self.progress.percentage, Some(0.0), Some(100.0));
        e.range_opt("contentSpecific.labScore", self.content_specific.lab_score, Some(0.0), Some(100.0));
        e.range("analytics.engagementScore", self.analytics.engagement_score, Some(0.0), Some(100.0));
        e.range_opt(
            "analytics.difficultyRating",
            self.analytics.difficulty_rating.map(f64::from),
            Some(1.0),
            Some(5.0),
        );
        e.range_opt("analytics.userRating", self.analytics.user_rating.map(f64::from), Some(1.0), Some(5.0));
        e.finish(())
    }
}

/// The learner's progress document for `content`, created on first access
/// (idempotent: the unique user+content index makes a second or concurrent
/// call return the same document).
pub async fn start(db: &Database, user: ObjectId, content: ObjectId, device: Device) -> Result<Progress, RepoError> {
    if let Some(existing) = get(db, user, content).await? {
        return Ok(existing);
    }
    let module = db
        .collection::<Document>(CONTENTS)
        .find_one(doc! { "_id": content })
        .projection(doc! { "module": 1 })
        .await?
        .and_then(|c| c.get_object_id("module").ok())
        .ok_or(RepoError::NotFound("Content"))?;
    let now = DateTime::now();
    let progress = Progress {
        id: super::keys::progress_id(user, content),
        user,
        content,
        module,
        progress: ProgressState::default(),
        time_spent: ProgressTime::default(),
        interactions: Interactions::default(),
        content_specific: ContentSpecific::default(),
        analytics: Analytics::default(),
        started_at: now,
        last_accessed_at: now,
        device,
        browser: None,
        created_at: now,
        updated_at: now,
    };
    // The key first: a crash before the insert leaves a key readers skip.
    super::keys::add(db, user, super::keys::List::Contents, content).await?;
    match db.collection::<Document>(PROGRESS).insert_one(to_document(&progress)?).await {
        Ok(_) => {
            super::tallies::progress_changed(db, None, &super::tallies::progress_facts(&progress)).await;
            Ok(progress)
        }
        Err(err) if is_duplicate_key(&err) => get(db, user, content).await?.ok_or(RepoError::NotFound("Progress")),
        Err(err) => Err(err.into()),
    }
}

pub async fn get(db: &Database, user: ObjectId, content: ObjectId) -> Result<Option<Progress>, RepoError> {
    Ok(db.collection::<Progress>(PROGRESS).find_one(doc! { "_id": super::keys::progress_id(user, content) }).await?)
}
