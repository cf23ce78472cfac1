//! The demo curriculum (`seed/demo.json`), loaded by `foothold seed-demo`.
//!
//! Idempotent and recoverable: every phase and module is upserted by its
//! natural key (phase title; module phase + title) with `$setOnInsert`, so a
//! second run changes nothing and a run cut short is completed by the next.
//! Counters are then recomputed from the modules themselves.

pub mod synthetic;

use std::collections::HashMap;

use mongodb::Database;
use mongodb::bson::oid::ObjectId;
use mongodb::bson::{DateTime, Document, doc, to_document};
use serde::Deserialize;

use crate::db::collections::{MODULES, PHASES};
use crate::db::module::{Instructor, Module, ModuleMetadata, ModuleSettings};
use crate::db::phase::{DEFAULT_COLOR, Phase, PhaseMetadata};
use crate::model::Difficulty;
use crate::model::achievement::AchievementInput;
use crate::model::content::ContentInput;

const DEMO_JSON: &str = include_str!("../seed/demo.json");
const CONTENT_JSON: &str = include_str!("../seed/content.json");
const ACHIEVEMENTS_JSON: &str = include_str!("../seed/achievements.json");

/// `seed/content.json`: content items whose `module` is a module slug.
#[derive(Debug, Deserialize)]
struct DemoContent {
    items: Vec<ContentInput>,
}

/// `seed/achievements.json`: required modules by slug, required phases by title.
#[derive(Debug, Deserialize)]
struct DemoAchievements {
    achievements: Vec<AchievementInput>,
}

#[derive(Debug, Deserialize)]
struct DemoCurriculum {
    phases: Vec<DemoPhase>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct DemoPhase {
    title: String,
    short_description: Option<String>,
    description: String,
    order: i32,
    difficulty: Difficulty,
    estimated_duration: Option<i32>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    objectives: Vec<String>,
    /// Titles of earlier phases.
    #[serde(default)]
    prerequisites: Vec<String>,
    color: Option<String>,
    modules: Vec<DemoModule>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct DemoModule {
    slug: String,
    title: String,
    short_description: Option<String>,
    description: String,
    order: i32,
    difficulty: Difficulty,
    estimated_duration: Option<i32>,
    /// Slugs of other demo modules.
    #[serde(default)]
    prerequisites: Vec<String>,
    #[serde(default)]
    learning_objectives: Vec<String>,
    #[serde(default)]
    skills: Vec<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    instructor: Instructor,
    #[serde(default)]
    is_featured: bool,
    #[serde(default)]
    settings: ModuleSettings,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct SeedReport {
    pub phases_created: usize,
    pub modules_created: usize,
    pub content_created: usize,
    pub achievements_created: usize,
    pub phases: usize,
    pub modules: usize,
    pub content: usize,
    pub achievements: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("seed/demo.json is invalid: {0}")]
    Data(String),
    #[error("database error while seeding: {0}")]
    Db(#[from] mongodb::error::Error),
    #[error("cannot encode a seed document: {0}")]
    Encode(#[from] mongodb::bson::ser::Error),
    #[error("seed item {item:?} is invalid: {source}")]
    Invalid { item: String, source: Box<crate::db::error::RepoError> },
}

/// `foothold seed-synthetic`: create indexes, write the benchmark data set.
pub async fn seed_synthetic_command(db: &Database, size: synthetic::Size) -> Result<(), SeedError> {
    crate::db::indexes::ensure_indexes(db).await?;
    synthetic::seed(db, size).await.map_err(SeedError::Data)?;
    Ok(())
}

/// `foothold seed-demo`: create indexes, seed, report.
pub async fn seed_demo_command(db: &Database) -> Result<(), SeedError> {
    crate::db::indexes::ensure_indexes(db).await?;
    let report = seed_demo(db).await?;
    tracing::info!(
        phases_created = report.phases_created,
        modules_created = report.modules_created,
        content_created = report.content_created,
        achievements_created = report.achievements_created,
        phases = report.phases,
        modules = report.modules,
        content = report.content,
        achievements = report.achievements,
        "demo curriculum ready"
    );
    Ok(())
}

pub async fn seed_demo(db: &Database) -> Result<SeedReport, SeedError> {
    let curriculum: DemoCurriculum = serde_json::from_str(DEMO_JSON).map_err(|e| SeedError::Data(e.to_string()))?;
    let mut report = SeedReport::default();
    let now = DateTime::now();
    let phases = db.collection::<Document>(PHASES);
    let modules = db.collection::<Document>(MODULES);

    let mut phase_ids: HashMap<String, ObjectId> = HashMap::new();
    let mut module_ids: HashMap<String, ObjectId> = HashMap::new();
    let mut module_prereqs: Vec<(ObjectId, Vec<String>)> = Vec::new();

    for demo in &curriculum.phases {
        let phase = Phase {
            id: ObjectId::new(),
            title: demo.title.clone(),
            description: demo.description.clone(),
            short_description: demo.short_description.clone(),
            order: demo.order,
            difficulty: demo.difficulty,
            estimated_duration: demo.estimated_duration,
            tags: demo.tags.clone(),
            objectives: demo.objectives.clone(),
            prerequisites: Vec::new(),
            image: None,
            icon: None,
            color: demo.color.clone().unwrap_or_else(|| DEFAULT_COLOR.into()),
            is_active: true,
            metadata: PhaseMetadata::default(),
            created_at: now,
            updated_at: now,
        };
        let key = doc! { "title": &phase.title };
        let (id, created) = upsert(&phases, key, to_document(&phase)?).await?;
        report.phases_created += usize::from(created);
        phase_ids.insert(demo.title.clone(), id);

        for demo_module in &demo.modules {
            let module = Module {
                id: ObjectId::new(),
                title: demo_module.title.clone(),
                description: demo_module.description.clone(),
                short_description: demo_module.short_description.clone(),
                phase: id,
                order: demo_module.order,
                difficulty: demo_module.difficulty,
                estimated_duration: demo_module.estimated_duration,
                prerequisites: Vec::new(),
                learning_objectives: demo_module.learning_objectives.clone(),
                skills: demo_module.skills.clone(),
                tags: demo_module.tags.clone(),
                image: None,
                icon: None,
                instructor: demo_module.instructor.clone(),
                is_active: true,
                is_featured: demo_module.is_featured,
                metadata: ModuleMetadata::default(),
                settings: demo_module.settings.clone(),
                created_at: now,
                updated_at: now,
            };
            let key = doc! { "phase": id, "title": &module.title };
            let (module_id, created) = upsert(&modules, key, to_document(&module)?).await?;
            report.modules_created += usize::from(created);
            module_ids.insert(demo_module.slug.clone(), module_id);
            module_prereqs.push((module_id, demo_module.prerequisites.clone()));
        }
    }

    // Prerequisites refer to other seeded items, so they are set once all ids are known.
    for demo in &curriculum.phases {
        let ids = resolve(&demo.prerequisites, &phase_ids, "phase")?;
        phases.update_one(doc! { "_id": phase_ids[&demo.title] }, doc! { "$set": { "prerequisites": ids } }).await?;
    }
    for (module_id, slugs) in module_prereqs {
        let ids = resolve(&slugs, &module_ids, "module")?;
        modules.update_one(doc! { "_id": module_id }, doc! { "$set": { "prerequisites": ids } }).await?;
    }

    // Counters are derived data: recompute them from the modules.
    for id in phase_ids.values() {
        let total = modules.count_documents(doc! { "phase": id, "isActive": true }).await?;
        let total = i32::try_from(total).unwrap_or(i32::MAX);
        phases.update_one(doc! { "_id": id }, doc! { "$set": { "metadata.totalModules": total } }).await?;
    }

    seed_content(db, &module_ids, &mut report).await?;
    seed_achievements(db, &module_ids, &phase_ids, &mut report).await?;
    report.phases = phase_ids.len();
    report.modules = module_ids.len();
    Ok(report)
}

/// Content goes through the same validation and counter upkeep as an admin's
/// edit; an item already present (same module and title) is left alone.
async fn seed_content(
    db: &Database,
    module_ids: &HashMap<String, ObjectId>,
    report: &mut SeedReport,
) -> Result<(), SeedError> {
    let demo: DemoContent =
        serde_json::from_str(CONTENT_JSON).map_err(|e| SeedError::Data(format!("content.json: {e}")))?;
    let contents = db.collection::<Document>(crate::db::collections::CONTENTS);
    for mut item in demo.items {
        let module = *module_ids.get(&item.module).ok_or_else(|| {
            SeedError::Data(format!("content {:?} names unknown module {:?}", item.title, item.module))
        })?;
        item.module = module.to_hex();
        if contents.count_documents(doc! { "module": module, "title": item.title.trim() }).await? == 0 {
            crate::db::content::create(db, &item)
                .await
                .map_err(|source| SeedError::Invalid { item: item.title.clone(), source: Box::new(source) })?;
            report.content_created += 1;
        }
        report.content += 1;
    }
    Ok(())
}

async fn seed_achievements(
    db: &Database,
    module_ids: &HashMap<String, ObjectId>,
    phase_ids: &HashMap<String, ObjectId>,
    report: &mut SeedReport,
) -> Result<(), SeedError> {
    let demo: DemoAchievements =
        serde_json::from_str(ACHIEVEMENTS_JSON).map_err(|e| SeedError::Data(format!("achievements.json: {e}")))?;
    let achievements = db.collection::<Document>(crate::db::collections::ACHIEVEMENTS);
    for mut input in demo.achievements {
        let criteria = &mut input.criteria;
        criteria.required_modules =
            resolve(&criteria.required_modules, module_ids, "module")?.into_iter().map(|id| id.to_hex()).collect();
        criteria.required_phases =
            resolve(&criteria.required_phases, phase_ids, "phase")?.into_iter().map(|id| id.to_hex()).collect();
        if achievements.count_documents(doc! { "title": input.title.trim() }).await? == 0 {
            crate::db::achievement::create(db, &input)
                .await
                .map_err(|source| SeedError::Invalid { item: input.title.clone(), source: Box::new(source) })?;
            report.achievements_created += 1;
        }
        report.achievements += 1;
    }
    Ok(())
}

/// Inserts `document` unless one matches `key`; returns the stored id and whether it was created.
async fn upsert(
    collection: &mongodb::Collection<Document>,
    key: Document,
    mut document: Document,
) -> Result<(ObjectId, bool), SeedError> {
    for field in key.keys() {
        document.remove(field);
    }
    let result = collection.update_one(key.clone(), doc! { "$setOnInsert": document }).upsert(true).await?;
    if let Some(id) = result.upserted_id.as_ref().and_then(|id| id.as_object_id()) {
        return Ok((id, true));
    }
    let existing =
        collection.find_one(key).await?.ok_or_else(|| SeedError::Data("an upserted document vanished".into()))?;
    let id = existing.get_object_id("_id").map_err(|e| SeedError::Data(e.to_string()))?;
    Ok((id, false))
}

fn resolve(names: &[String], ids: &HashMap<String, ObjectId>, what: &str) -> Result<Vec<ObjectId>, SeedError> {
    names
        .iter()
        .map(|name| {
            ids.get(name).copied().ok_or_else(|| SeedError::Data(format!("unknown {what} prerequisite {name:?}")))
        })
        .collect()
}
