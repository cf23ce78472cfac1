//! The `phases` collection.

use futures::TryStreamExt;
use mongodb::Database;
use mongodb::bson::oid::ObjectId;
use mongodb::bson::{DateTime, Document, doc};
use serde::{Deserialize, Serialize};

use super::collections::{MODULES, PHASES};
use super::error::RepoError;
use super::{counters, first_missing, oids};
use crate::model::Difficulty;
pub use crate::model::phase::DEFAULT_COLOR;
use crate::model::phase::{PhaseInput, ValidPhase};

/// A phase document as stored (field names as in the spec).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Phase {
    #[serde(rename = "_id")]
    pub id: ObjectId,
    pub title: String,
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_description: Option<String>,
    pub order: i32,
    pub difficulty: Difficulty,
    /// Hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_duration: Option<i32>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub objectives: Vec<String>,
    #[serde(default)]
    pub prerequisites: Vec<ObjectId>,
    #[serde(default)]
    pub image: Option<String>,
    #[serde(default)]
    pub icon: Option<String>,
    #[serde(default = "default_color")]
    pub color: String,
    #[serde(default = "default_true")]
    pub is_active: bool,
    #[serde(default)]
    pub metadata: PhaseMetadata,
    pub created_at: DateTime,
    pub updated_at: DateTime,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PhaseMetadata {
    #[serde(default)]
    pub total_modules: i32,
    #[serde(default)]
    pub total_content: i32,
    /// Minutes.
    #[serde(default)]
    pub total_duration: i32,
}

pub(crate) fn default_color() -> String {
    DEFAULT_COLOR.to_string()
}

pub(crate) fn default_true() -> bool {
    true
}

impl Phase {
    /// A stored phase as the input that would write it.
    pub fn to_input(&self) -> PhaseInput {
        PhaseInput {
            title: self.title.clone(),
            description: self.description.clone(),
            short_description: self.short_description.clone(),
            order: Some(f64::from(self.order)),
            difficulty: self.difficulty.as_str().into(),
            estimated_duration: self.estimated_duration.map(f64::from),
            tags: self.tags.clone(),
            objectives: self.objectives.clone(),
            prerequisites: self.prerequisites.iter().map(|id| id.to_hex()).collect(),
            image: self.image.clone(),
            icon: self.icon.clone(),
            color: Some(self.color.clone()),
            is_active: Some(self.is_active),
        }
    }

    fn from_valid(
        id: ObjectId,
        v: ValidPhase,
        prerequisites: Vec<ObjectId>,
        created_at: DateTime,
        metadata: PhaseMetadata,
    ) -> Phase {
        Phase {
            id,
            title: v.title,
            description: v.description,
            short_description: v.short_description,
            order: v.order,
            difficulty: v.difficulty,
            estimated_duration: v.estimated_duration,
            tags: v.tags,
            objectives: v.objectives,
            prerequisites,
            image: v.image,
            icon: v.icon,
            color: v.color,
            is_active: v.is_active,
            metadata,
            created_at,
            updated_at: DateTime::now(),
        }
    }
}

async fn checked(
    db: &Database,
    id: Option<ObjectId>,
    input: &PhaseInput,
) -> Result<(ValidPhase, Vec<ObjectId>), RepoError> {
    let valid = input.validate()?;
    let prerequisites = oids(&valid.prerequisites, "prerequisites")?;
    if let Some(id) = id
        && let Some(i) = prerequisites.iter().position(|p| *p == id)
    {
        return Err(RepoError::field(&format!("prerequisites.{i}"), "A phase cannot be its own prerequisite"));
    }
    if let Some(i) = first_missing(db, PHASES, &prerequisites).await? {
        return Err(RepoError::field(&format!("prerequisites.{i}"), "Phase not found"));
    }
    Ok((valid, prerequisites))
}

pub async fn create(db: &Database, input: &PhaseInput) -> Result<Phase, RepoError> {
    create_with_id(db, ObjectId::new(), input).await
}

/// Like [`create`], under a chosen id: an import recreates a phase under its
/// exported id, so importing the same file again finds it instead of duplicating it.
pub async fn create_with_id(db: &Database, id: ObjectId, input: &PhaseInput) -> Result<Phase, RepoError> {
    let (valid, prerequisites) = checked(db, Some(id), input).await?;
    let phase = Phase::from_valid(id, valid, prerequisites, DateTime::now(), PhaseMetadata::default());
    db.collection::<Phase>(PHASES).insert_one(&phase).await?;
    Ok(phase)
}

pub async fn update(db: &Database, id: ObjectId, input: &PhaseInput) -> Result<Phase, RepoError> {
    let existing = get(db, id).await?.ok_or(RepoError::NotFound("Phase"))?;
    let (valid, prerequisites) = checked(db, Some(id), input).await?;
    let phase = Phase::from_valid(id, valid, prerequisites, existing.created_at, existing.metadata);
    db.collection::<Phase>(PHASES).replace_one(doc! { "_id": id }, &phase).await?;
    counters::refresh_phase(db, id).await?;
    Ok(phase)
}

pub async fn get(db: &Database, id: ObjectId) -> Result<Option<Phase>, RepoError> {
    Ok(db.collection::<Phase>(PHASES).find_one(doc! { "_id": id }).await?)
}

/// Every phase by id, from the catalog cache ([`super::cache`]: dropped by
/// every catalog write in this process, read again after at most its TTL).
pub async fn all_cached(
    db: &Database,
) -> Result<std::sync::Arc<std::collections::HashMap<ObjectId, Phase>>, RepoError> {
    super::cache::whole_collection(db, PHASES, |p: &Phase| p.id).await
}

/// Every phase in order (inactive ones too).
pub async fn list(db: &Database) -> Result<Vec<Phase>, RepoError> {
    Ok(db.collection::<Phase>(PHASES).find(doc! {}).sort(doc! { "order": 1 }).await?.try_collect().await?)
}

pub async fn set_active(db: &Database, id: ObjectId, active: bool) -> Result<(), RepoError> {
    let result = db
        .collection::<Document>(PHASES)
        .update_one(doc! { "_id": id }, doc! { "$set": { "isActive": active, "updatedAt": DateTime::now() } })
        .await?;
    if result.matched_count == 0 {
        return Err(RepoError::NotFound("Phase"));
    }
    Ok(())
}

/// Deletes an empty phase; one that still holds modules is refused (its modules would be orphaned).
pub async fn delete(db: &Database, id: ObjectId) -> Result<(), RepoError> {
    let modules = db.collection::<Document>(MODULES).count_documents(doc! { "phase": id }).await?;
    if modules > 0 {
        return Err(RepoError::field(
            "phase",
            format!("This phase still has {modules} module(s); move or delete them first"),
        ));
    }
    let result = db.collection::<Document>(PHASES).delete_one(doc! { "_id": id }).await?;
    if result.deleted_count == 0 {
        return Err(RepoError::NotFound("Phase"));
    }
    // Other phases may list it as a prerequisite.
    super::forget_prerequisite(db, PHASES, id).await?;
    Ok(())
}
