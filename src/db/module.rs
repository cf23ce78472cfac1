//! The `modules` collection.

use futures::TryStreamExt;
use mongodb::Database;
use mongodb::bson::oid::ObjectId;
use mongodb::bson::{DateTime, Document, doc};
use serde::{Deserialize, Serialize};

use super::collections::{CONTENTS, ENROLLMENTS, MODULES, PHASES};
use super::error::RepoError;
use super::phase::default_true;
use super::{counters, first_missing, oid, oids};
use crate::model::Difficulty;
use crate::model::module::{InstructorInput, ModuleInput, ModuleSettingsInput, ValidModule};

/// A module document as stored (field names as in the spec).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Module {
    #[serde(rename = "_id")]
    pub id: ObjectId,
    pub title: String,
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_description: Option<String>,
    pub phase: ObjectId,
    pub order: i32,
    pub difficulty: Difficulty,
    /// Minutes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_duration: Option<i32>,
    #[serde(default)]
    pub prerequisites: Vec<ObjectId>,
    #[serde(default)]
    pub learning_objectives: Vec<String>,
    #[serde(default)]
    pub skills: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub image: Option<String>,
    #[serde(default)]
    pub icon: Option<String>,
    #[serde(default)]
    pub instructor: Instructor,
    #[serde(default = "default_true")]
    pub is_active: bool,
    #[serde(default)]
    pub is_featured: bool,
    #[serde(default)]
    pub metadata: ModuleMetadata,
    #[serde(default)]
    pub settings: ModuleSettings,
    pub created_at: DateTime,
    pub updated_at: DateTime,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Instructor {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bio: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ModuleMetadata {
    #[serde(default)]
    pub total_content: i32,
    /// Minutes.
    #[serde(default)]
    pub total_duration: i32,
    #[serde(default)]
    pub video_count: i32,
    #[serde(default)]
    pub lab_count: i32,
    #[serde(default)]
    pub game_count: i32,
    #[serde(default)]
    pub document_count: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ModuleSettings {
    #[serde(default)]
    pub allow_download: bool,
    #[serde(default = "default_true")]
    pub require_sequential_completion: bool,
    #[serde(default)]
    pub certificate_eligible: bool,
}

impl Default for ModuleSettings {
    fn default() -> Self {
        ModuleSettings { allow_download: false, require_sequential_completion: true, certificate_eligible: false }
    }
}

impl From<ModuleSettingsInput> for ModuleSettings {
    fn from(s: ModuleSettingsInput) -> Self {
        ModuleSettings {
            allow_download: s.allow_download,
            require_sequential_completion: s.require_sequential_completion,
            certificate_eligible: s.certificate_eligible,
        }
    }
}

impl Module {
    /// A stored module as the input that would write it.
    pub fn to_input(&self) -> ModuleInput {
        ModuleInput {
            title: self.title.clone(),
            description: self.description.clone(),
            short_description: self.short_description.clone(),
            phase: self.phase.to_hex(),
            order: Some(f64::from(self.order)),
            difficulty: self.difficulty.as_str().into(),
            estimated_duration: self.estimated_duration.map(f64::from),
            prerequisites: self.prerequisites.iter().map(|id| id.to_hex()).collect(),
            learning_objectives: self.learning_objectives.clone(),
            skills: self.skills.clone(),
            tags: self.tags.clone(),
            image: self.image.clone(),
            icon: self.icon.clone(),
            instructor: InstructorInput {
                name: self.instructor.name.clone(),
                bio: self.instructor.bio.clone(),
                avatar: self.instructor.avatar.clone(),
            },
            is_active: Some(self.is_active),
            is_featured: self.is_featured,
            settings: ModuleSettingsInput {
                allow_download: self.settings.allow_download,
                require_sequential_completion: self.settings.require_sequential_completion,
                certificate_eligible: self.settings.certificate_eligible,
            },
        }
    }

    fn from_valid(id: ObjectId, v: ValidModule, refs: Refs, created_at: DateTime, metadata: ModuleMetadata) -> Module {
        Module {
            id,
            title: v.title,
            description: v.description,
            short_description: v.short_description,
            phase: refs.phase,
            order: v.order,
            difficulty: v.difficulty,
            estimated_duration: v.estimated_duration,
            prerequisites: refs.prerequisites,
            learning_objectives: v.learning_objectives,
            skills: v.skills,
            tags: v.tags,
            image: v.image,
            icon: v.icon,
            instructor: Instructor { name: v.instructor.name, bio: v.instructor.bio, avatar: v.instructor.avatar },
            is_active: v.is_active,
            is_featured: v.is_featured,
            metadata,
            settings: v.settings.into(),
            created_at,
            updated_at: DateTime::now(),
        }
    }
}

struct Refs {
    phase: ObjectId,
    prerequisites: Vec<ObjectId>,
}

/// Validates `input` and its references (phase, prerequisite modules); nothing is written on failure.
async fn checked(db: &Database, id: Option<ObjectId>, input: &ModuleInput) -> Result<(ValidModule, Refs), RepoError> {
    let valid = input.validate()?;
    let phase = oid(&valid.phase, "phase")?;
    let prerequisites = oids(&valid.prerequisites, "prerequisites")?;
    if db.collection::<Document>(PHASES).count_documents(doc! { "_id": phase }).await? == 0 {
        return Err(RepoError::field("phase", "Phase not found"));
    }
    if let Some(id) = id
        && let Some(i) = prerequisites.iter().position(|p| *p == id)
    {
        return Err(RepoError::field(&format!("prerequisites.{i}"), "A module cannot be its own prerequisite"));
    }
    if let Some(i) = first_missing(db, MODULES, &prerequisites).await? {
        return Err(RepoError::field(&format!("prerequisites.{i}"), "Module not found"));
    }
    Ok((valid, Refs { phase, prerequisites }))
}

pub async fn create(db: &Database, input: &ModuleInput) -> Result<Module, RepoError> {
    create_with_id(db, ObjectId::new(), input).await
}

/// Like [`create`], under a chosen id: an import recreates a module under its
/// exported id, so importing the same file again finds it instead of duplicating it.
pub async fn create_with_id(db: &Database, id: ObjectId, input: &ModuleInput) -> Result<Module, RepoError> {
    let (valid, refs) = checked(db, Some(id), input).await?;
    let module = Module::from_valid(id, valid, refs, DateTime::now(), ModuleMetadata::default());
    db.collection::<Module>(MODULES).insert_one(&module).await?;
    counters::refresh_phase(db, module.phase).await?;
    Ok(module)
}

/// Replaces every editable field; counters are kept, and a move to another phase refreshes both phases.
pub async fn update(db: &Database, id: ObjectId, input: &ModuleInput) -> Result<Module, RepoError> {
    let existing = get(db, id).await?.ok_or(RepoError::NotFound("Module"))?;
    let (valid, refs) = checked(db, Some(id), input).await?;
    let module = Module::from_valid(id, valid, refs, existing.created_at, existing.metadata.clone());
    db.collection::<Module>(MODULES).replace_one(doc! { "_id": id }, &module).await?;
    counters::refresh_module(db, id).await?;
    if existing.phase != module.phase {
        counters::refresh_phase(db, existing.phase).await?;
    }
    Ok(module)
}

pub async fn get(db: &Database, id: ObjectId) -> Result<Option<Module>, RepoError> {
    Ok(db.collection::<Module>(MODULES).find_one(doc! { "_id": id }).await?)
}

/// A module as learners' pages see it (inactive ones too; callers filter):
/// from one cached read of every module, kept like the catalog (every admin
/// change clears it). Authoring reads [`get`], which is never cached.
pub async fn cached(db: &Database, id: ObjectId) -> Result<Option<Module>, RepoError> {
    Ok(all_cached(db).await?.get(&id).cloned())
}

/// Every module by id, read and cached like [`cached`].
pub async fn all_cached(
    db: &Database,
) -> Result<std::sync::Arc<std::collections::HashMap<ObjectId, Module>>, RepoError> {
    super::cache::whole_collection(db, MODULES, |m: &Module| m.id).await
}

/// A phase's modules in order (inactive ones too).
pub async fn list_for_phase(db: &Database, phase: ObjectId) -> Result<Vec<Module>, RepoError> {
    Ok(db
        .collection::<Module>(MODULES)
        .find(doc! { "phase": phase })
        .sort(doc! { "order": 1 })
        .await?
        .try_collect()
        .await?)
}

pub async fn set_active(db: &Database, id: ObjectId, active: bool) -> Result<(), RepoError> {
    let module = get(db, id).await?.ok_or(RepoError::NotFound("Module"))?;
    db.collection::<Document>(MODULES)
        .update_one(doc! { "_id": id }, doc! { "$set": { "isActive": active, "updatedAt": DateTime::now() } })
        .await?;
    counters::refresh_phase(db, module.phase).await
}

/// Deletes a module with no content and no enrollments; otherwise refuses
/// with what is in the way (its content and learners' records would be orphaned).
pub async fn delete(db: &Database, id: ObjectId) -> Result<(), RepoError> {
    let module = get(db, id).await?.ok_or(RepoError::NotFound("Module"))?;
    let content = db.collection::<Document>(CONTENTS).count_documents(doc! { "module": id }).await?;
    if content > 0 {
        return Err(RepoError::field(
            "module",
            format!("This module still has {content} content item(s); move or delete them first"),
        ));
    }
    let enrollments = db.collection::<Document>(ENROLLMENTS).count_documents(doc! { "module": id }).await?;
    if enrollments > 0 {
        return Err(RepoError::field(
            "module",
            format!("{enrollments} learner(s) are enrolled in this module; deactivate it instead"),
        ));
    }
    db.collection::<Document>(MODULES).delete_one(doc! { "_id": id }).await?;
    super::forget_prerequisite(db, MODULES, id).await?;
    counters::refresh_phase(db, module.phase).await
}

/// The spec's `enrollmentCount` virtual: how many learners enrolled (any status).
pub async fn enrollment_count(db: &Database, id: ObjectId) -> Result<u64, RepoError> {
    Ok(db.collection::<Document>(ENROLLMENTS).count_documents(doc! { "module": id }).await?)
}
