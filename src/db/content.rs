//! The `contents` collection.

use futures::TryStreamExt;
use mongodb::Database;
use mongodb::bson::oid::ObjectId;
use mongodb::bson::{Bson, DateTime, Document, doc, to_document};
use serde::{Deserialize, Serialize};

use super::collections::{CONTENTS, MODULES};
use super::error::RepoError;
use super::phase::default_true;
use super::{counters, oid};
use crate::domain::metadata::ContentFacts;
use crate::model::content::{
    CompletionCriteriaInput, ContentBodyInput, ContentInput, ContentMetadataInput, ContentSettings, ValidBody,
    ValidContent,
};
use crate::model::game::GameData;
use crate::model::{CompletionType, ContentType, Difficulty, DocumentFormat, GameType};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Content {
    #[serde(rename = "_id")]
    pub id: ObjectId,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub module: ObjectId,
    #[serde(rename = "type")]
    pub kind: ContentType,
    pub order: i32,
    /// Minutes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<i32>,
    #[serde(default)]
    pub content: ContentBody,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subsection: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub difficulty: Difficulty,
    #[serde(default)]
    pub completion_criteria: CompletionCriteria,
    #[serde(default = "default_true")]
    pub is_active: bool,
    #[serde(default = "default_true")]
    pub is_free: bool,
    #[serde(default)]
    pub metadata: ContentMetadata,
    #[serde(default)]
    pub settings: ContentSettings,
    pub created_at: DateTime,
    pub updated_at: DateTime,
}

/// The spec's `content` group; only the fields of the item's type are set.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContentBody {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnail_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub captions: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lab_instructions: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lab_environment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lab_solution: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lab_hints: Vec<String>,
    /// Accepted answers of a lab (an addition to the spec; never sent to the browser).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lab_flags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub game_type: Option<GameType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub game_data: Option<Document>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub game_instructions: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub game_objectives: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_content: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_format: Option<DocumentFormat>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CompletionCriteria {
    #[serde(rename = "type", default = "default_completion")]
    pub kind: CompletionType,
    #[serde(default = "default_percentage")]
    pub required_percentage: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_interactions: Option<i32>,
}

fn default_completion() -> CompletionType {
    CompletionType::TimeBased
}

fn default_percentage() -> f64 {
    90.0
}

impl Default for CompletionCriteria {
    fn default() -> Self {
        CompletionCriteria { kind: CompletionType::TimeBased, required_percentage: 90.0, required_interactions: None }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContentMetadata {
    /// Bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_size: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution: Option<String>,
    #[serde(default = "default_language")]
    pub language: String,
    #[serde(default = "DateTime::now")]
    pub last_updated: DateTime,
}

fn default_language() -> String {
    "en".into()
}

impl Default for ContentMetadata {
    fn default() -> Self {
        ContentMetadata {
            file_size: None,
            resolution: None,
            language: default_language(),
            last_updated: DateTime::now(),
        }
    }
}

impl Content {
    /// A stored content item as the input that would write it, answer keys included.
    pub fn to_input(&self) -> ContentInput {
        let b = &self.content;
        ContentInput {
            title: self.title.clone(),
            description: self.description.clone(),
            module: self.module.to_hex(),
            kind: self.kind.as_str().into(),
            order: Some(f64::from(self.order)),
            duration: self.duration.map(f64::from),
            content: ContentBodyInput {
                video_url: b.video_url.clone(),
                video_id: b.video_id.clone(),
                thumbnail_url: b.thumbnail_url.clone(),
                captions: b.captions.clone(),
                lab_instructions: b.lab_instructions.clone(),
                lab_environment: b.lab_environment.clone(),
                lab_solution: b.lab_solution.clone(),
                lab_hints: b.lab_hints.clone(),
                lab_flags: b.lab_flags.clone(),
                game_type: b.game_type.map(|t| t.as_str().into()),
                game_data: b.game_data.clone().map(|d| Bson::Document(d).into_relaxed_extjson()),
                game_instructions: b.game_instructions.clone(),
                game_objectives: b.game_objectives.clone(),
                document_url: b.document_url.clone(),
                document_content: b.document_content.clone(),
                document_format: b.document_format.map(|f| f.as_str().into()),
            },
            section: self.section.clone(),
            subsection: self.subsection.clone(),
            tags: self.tags.clone(),
            difficulty: self.difficulty.as_str().into(),
            completion_criteria: CompletionCriteriaInput {
                kind: Some(self.completion_criteria.kind.as_str().into()),
                required_percentage: Some(self.completion_criteria.required_percentage),
                required_interactions: self.completion_criteria.required_interactions.map(f64::from),
            },
            is_active: Some(self.is_active),
            is_free: Some(self.is_free),
            metadata: ContentMetadataInput {
                file_size: self.metadata.file_size,
                resolution: self.metadata.resolution.clone(),
                language: Some(self.metadata.language.clone()),
            },
            settings: self.settings.clone(),
        }
    }

    /// The game definition with its answer key (server only).
    pub fn game(&self) -> Option<GameData> {
        let game_type = self.content.game_type?;
        let data = self.content.game_data.clone()?;
        GameData::from_json(game_type, Bson::Document(data).into_relaxed_extjson()).ok()
    }

    pub fn facts(&self) -> ContentFacts {
        ContentFacts { kind: self.kind, duration: self.duration, is_active: self.is_active }
    }

    fn from_valid(id: ObjectId, v: ValidContent, module: ObjectId, created_at: DateTime) -> Result<Content, RepoError> {
        let now = DateTime::now();
        let mut body = ContentBody::default();
        match v.body {
            ValidBody::Video { video_url, video_id, thumbnail_url, captions } => {
                body.video_url = video_url;
                body.video_id = video_id;
                body.thumbnail_url = thumbnail_url;
                body.captions = captions;
            }
            ValidBody::Lab { instructions, environment, solution, hints, flags } => {
                body.lab_instructions = Some(instructions);
                body.lab_environment = environment;
                body.lab_solution = solution;
                body.lab_hints = hints;
                body.lab_flags = flags;
            }
            ValidBody::Game { game_type, data, instructions, objectives } => {
                body.game_type = Some(game_type);
                body.game_data = Some(to_document(&data)?);
                body.game_instructions = instructions;
                body.game_objectives = objectives;
            }
            ValidBody::Document { url, content, format } => {
                body.document_url = url;
                body.document_content = content;
                body.document_format = Some(format);
            }
        }
        Ok(Content {
            id,
            title: v.title,
            description: v.description,
            module,
            kind: v.kind,
            order: v.order,
            duration: v.duration,
            content: body,
            section: v.section,
            subsection: v.subsection,
            tags: v.tags,
            difficulty: v.difficulty,
            completion_criteria: CompletionCriteria {
                kind: v.completion.kind,
                required_percentage: v.completion.required_percentage,
                required_interactions: v.completion.required_interactions,
            },
            is_active: v.is_active,
            is_free: v.is_free,
            metadata: ContentMetadata {
                file_size: v.file_size,
                resolution: v.resolution,
                language: v.language,
                last_updated: now,
            },
            settings: v.settings,
            created_at,
            updated_at: now,
        })
    }
}

/// Validates `input` and checks its module exists; nothing is written on failure.
async fn checked(db: &Database, input: &ContentInput) -> Result<(ValidContent, ObjectId), RepoError> {
    let valid = input.validate()?;
    let module = oid(&valid.module, "module")?;
    let exists = db.collection::<Document>(MODULES).count_documents(doc! { "_id": module }).await? > 0;
    if !exists {
        return Err(RepoError::field("module", "Module not found"));
    }
    Ok((valid, module))
}

pub async fn create(db: &Database, input: &ContentInput) -> Result<Content, RepoError> {
    create_with_id(db, ObjectId::new(), input).await
}

/// Like [`create`], under a chosen id: an import recreates an item under its
/// exported id, so importing the same file again finds it instead of duplicating it.
pub async fn create_with_id(db: &Database, id: ObjectId, input: &ContentInput) -> Result<Content, RepoError> {
    let (valid, module) = checked(db, input).await?;
    let content = Content::from_valid(id, valid, module, DateTime::now())?;
    db.collection::<Content>(CONTENTS).insert_one(&content).await?;
    counters::refresh_module(db, module).await?;
    Ok(content)
}

/// Replaces every editable field; moving to another module refreshes both modules' counters.
pub async fn update(db: &Database, id: ObjectId, input: &ContentInput) -> Result<Content, RepoError> {
    let existing = get(db, id).await?.ok_or(RepoError::NotFound("Content"))?;
    let (valid, module) = checked(db, input).await?;
    let content = Content::from_valid(id, valid, module, existing.created_at)?;
    db.collection::<Content>(CONTENTS).replace_one(doc! { "_id": id }, &content).await?;
    counters::refresh_module(db, module).await?;
    if existing.module != module {
        counters::refresh_module(db, existing.module).await?;
    }
    Ok(content)
}

pub async fn set_active(db: &Database, id: ObjectId, active: bool) -> Result<(), RepoError> {
    let content = get(db, id).await?.ok_or(RepoError::NotFound("Content"))?;
    db.collection::<Document>(CONTENTS)
        .update_one(doc! { "_id": id }, doc! { "$set": { "isActive": active, "updatedAt": DateTime::now() } })
        .await?;
    counters::refresh_module(db, content.module).await
}

pub async fn delete(db: &Database, id: ObjectId) -> Result<(), RepoError> {
    let content = get(db, id).await?.ok_or(RepoError::NotFound("Content"))?;
    db.collection::<Document>(CONTENTS).delete_one(doc! { "_id": id }).await?;
    counters::refresh_module(db, content.module).await
}

pub async fn get(db: &Database, id: ObjectId) -> Result<Option<Content>, RepoError> {
    Ok(db.collection::<Content>(CONTENTS).find_one(doc! { "_id": id }).await?)
}

/// A module's content in order (inactive items too; callers filter).
pub async fn list_for_module(db: &Database, module: ObjectId) -> Result<Vec<Content>, RepoError> {
    Ok(db
        .collection::<Content>(CONTENTS)
        .find(doc! { "module": module })
        .sort(doc! { "order": 1 })
        .await?
        .try_collect()
        .await?)
}

/// A module's content in order, inactive items too, as learners' pages see
/// it: cached for up to [`super::cache::TTL`] (every admin change clears it).
/// Authoring reads [`list_for_module`], which is never cached.
pub async fn module_items(db: &Database, module: ObjectId) -> Result<Vec<Content>, RepoError> {
    Ok(items_by_module(db).await?.get(&module).cloned().unwrap_or_default())
}

/// Every module's items in order, cached like [`module_items`]: one read of
/// the collection (on FerretDB/SQLite a read by module reads all of it anyway).
pub async fn items_by_module(
    db: &Database,
) -> Result<std::sync::Arc<std::collections::HashMap<ObjectId, Vec<Content>>>, RepoError> {
    super::cache::get_or_load(db, "module-items".into(), async {
        let mut by_module: std::collections::HashMap<ObjectId, Vec<Content>> = std::collections::HashMap::new();
        let items: Vec<Content> =
            db.collection::<Content>(CONTENTS).find(doc! {}).sort(doc! { "order": 1 }).await?.try_collect().await?;
        for item in items {
            by_module.entry(item.module).or_default().push(item);
        }
        Ok::<_, RepoError>(by_module)
    })
    .await
}

/// An item as learners' pages see it (inactive ones too; callers filter),
/// from the cached items of every module ([`items_by_module`]).
pub async fn cached(db: &Database, id: ObjectId) -> Result<Option<Content>, RepoError> {
    Ok(items_by_module(db).await?.values().flatten().find(|c| c.id == id).cloned())
}

/// The spec's `progressCount` virtual: how many learners have started this item.
pub async fn progress_count(db: &Database, id: ObjectId) -> Result<u64, RepoError> {
    Ok(db.collection::<Document>(super::collections::PROGRESS).count_documents(doc! { "content": id }).await?)
}
