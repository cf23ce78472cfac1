//! Reads what `domain::gating` needs: which modules a learner completed,
//! the prerequisites of a module and its phase, and the state of a module's items.

use std::collections::{HashMap, HashSet};

use mongodb::Database;
use mongodb::bson::Document;
use mongodb::bson::oid::ObjectId;

use super::content::Content;
use super::error::RepoError;
use super::module::Module;
use crate::domain::gating::{self, Item, Need, Prerequisite};
use crate::model::EnrollmentStatus;

/// Modules the learner has completed (none for a visitor).
pub async fn completed_modules(db: &Database, user: Option<ObjectId>) -> Result<HashSet<ObjectId>, RepoError> {
    let Some(user) = user else { return Ok(HashSet::new()) };
    // A gate names only modules that exist.
    let enrollments = super::enrollment::list_for_user_in_existing_modules(db, user).await?;
    Ok(enrollments.iter().filter(|e| e.status == EnrollmentStatus::Completed).map(|e| e.module).collect())
}

/// The prerequisites of a module and of its phase, and what is still needed.
#[derive(Debug, Clone, Default)]
pub struct ModuleGate {
    pub phase_prerequisites: Vec<Prerequisite>,
    pub module_prerequisites: Vec<Prerequisite>,
    pub needs: Vec<Need>,
}

/// Whether each of `phases` is complete: all its active modules are in `completed`.
pub async fn phase_prerequisites(
    db: &Database,
    phases: &[ObjectId],
    completed: &HashSet<ObjectId>,
) -> Result<Vec<Prerequisite>, RepoError> {
    if phases.is_empty() {
        return Ok(Vec::new());
    }
    let all = super::phase::all_cached(db).await?;
    let by_phase = modules_done_by_phase(db, Some(phases), completed).await?;
    Ok(phases
        .iter()
        .filter_map(|id| all.get(id))
        .map(|p| Prerequisite {
            id: p.id.to_hex(),
            title: p.title.clone(),
            completed: gating::phase_complete(by_phase.get(&p.id).map(Vec::as_slice).unwrap_or_default()),
        })
        .collect())
}

/// For each phase with active modules (only `phases` when given): whether
/// each of them is in `completed`. From the cached modules.
pub async fn modules_done_by_phase(
    db: &Database,
    phases: Option<&[ObjectId]>,
    completed: &HashSet<ObjectId>,
) -> Result<HashMap<ObjectId, Vec<bool>>, RepoError> {
    let modules = super::module::all_cached(db).await?;
    let mut by_phase: HashMap<ObjectId, Vec<bool>> = HashMap::new();
    for m in modules.values().filter(|m| m.is_active && phases.is_none_or(|p| p.contains(&m.phase))) {
        by_phase.entry(m.phase).or_default().push(completed.contains(&m.id));
    }
    Ok(by_phase)
}

pub async fn module_gate(
    db: &Database,
    module: &Module,
    completed: &HashSet<ObjectId>,
) -> Result<ModuleGate, RepoError> {
    let phase = super::phase::all_cached(db).await?.get(&module.phase).cloned();
    let phase_prerequisites = match &phase {
        Some(p) => phase_prerequisites(db, &p.prerequisites, completed).await?,
        None => Vec::new(),
    };
    let module_prerequisites: Vec<Prerequisite> = if module.prerequisites.is_empty() {
        Vec::new()
    } else {
        let modules = super::module::all_cached(db).await?;
        module
            .prerequisites
            .iter()
            .filter_map(|id| modules.get(id))
            .map(|m| Prerequisite { id: m.id.to_hex(), title: m.title.clone(), completed: completed.contains(&m.id) })
            .collect()
    };
    let needs = gating::module_needs(gating::phase_needs(&phase_prerequisites), &module_prerequisites);
    Ok(ModuleGate { phase_prerequisites, module_prerequisites, needs })
}

/// The learner's completion and percentage of each item they have started in a module.
pub async fn item_states(
    db: &Database,
    user: Option<ObjectId>,
    module: ObjectId,
) -> Result<HashMap<ObjectId, (bool, f64)>, RepoError> {
    let Some(user) = user else { return Ok(HashMap::new()) };
    let items: Vec<ObjectId> = super::content::module_items(db, module).await?.iter().map(|c| c.id).collect();
    let docs: Vec<Document> = super::keys::progress(db, user, Some(&items)).await?;
    Ok(docs
        .iter()
        .filter_map(|d| {
            let content = d.get_object_id("content").ok()?;
            let progress = d.get_document("progress").ok();
            let completed = progress.and_then(|p| p.get_bool("isCompleted").ok()).unwrap_or(false);
            let percentage = progress.and_then(|p| super::number(p, "percentage")).unwrap_or(0.0);
            Some((content, (completed, percentage)))
        })
        .collect())
}

/// Gating items for a module's active content, in order.
pub fn items(contents: &[Content], states: &HashMap<ObjectId, (bool, f64)>) -> Vec<Item> {
    contents
        .iter()
        .map(|c| Item {
            id: c.id.to_hex(),
            title: c.title.clone(),
            order: c.order,
            completed: states.get(&c.id).is_some_and(|s| s.0),
            allow_skip: c.settings.allow_skip,
        })
        .collect()
}
