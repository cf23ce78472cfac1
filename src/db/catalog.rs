//! Reads the catalog: active phases in order with their active modules.
//!
//! Two queries (phases, modules) joined in Rust: FerretDB 1.24 has no `$lookup`.

use std::sync::Arc;

use futures::TryStreamExt;
use mongodb::Database;
use mongodb::bson::doc;

use super::collections::{MODULES, PHASES};
use super::module::Module;
use super::phase::Phase;
use crate::model::{Catalog, ModuleCard, PhaseCard};

/// The catalog as learners see it, cached for up to [`super::cache::TTL`]
/// (every admin change clears it). Shared, not copied: a render that only
/// reads it costs no copy of its hundred modules.
pub async fn load(db: &Database) -> mongodb::error::Result<Arc<Catalog>> {
    super::cache::get_or_load(db, "catalog".into(), read(db)).await
}

async fn read(db: &Database) -> mongodb::error::Result<Catalog> {
    let phases: Vec<Phase> = db
        .collection::<Phase>(PHASES)
        .find(doc! { "isActive": true })
        .sort(doc! { "order": 1 })
        .await?
        .try_collect()
        .await?;
    let modules: Vec<Module> = db
        .collection::<Module>(MODULES)
        .find(doc! { "isActive": true })
        .sort(doc! { "phase": 1, "order": 1 })
        .await?
        .try_collect()
        .await?;
    Ok(assemble(phases, modules))
}

/// Groups modules under their phase, keeping the database order; modules of
/// an inactive or missing phase are left out.
pub fn assemble(phases: Vec<Phase>, modules: Vec<Module>) -> Catalog {
    let mut cards: Vec<PhaseCard> = phases.into_iter().map(phase_card).collect();
    for module in modules {
        let phase_id = module.phase.to_hex();
        if let Some(phase) = cards.iter_mut().find(|p| p.id == phase_id) {
            phase.modules.push(module_card(module));
        }
    }
    for phase in &mut cards {
        phase.modules.sort_by_key(|m| m.order);
    }
    Catalog { phases: cards }
}

fn count(n: i32) -> u32 {
    u32::try_from(n).unwrap_or(0)
}

fn phase_card(p: Phase) -> PhaseCard {
    PhaseCard {
        id: p.id.to_hex(),
        title: p.title,
        short_description: p.short_description,
        description: p.description,
        order: count(p.order),
        difficulty: p.difficulty,
        estimated_hours: p.estimated_duration.map(count),
        color: p.color,
        modules: Vec::new(),
    }
}

fn module_card(m: Module) -> ModuleCard {
    ModuleCard {
        id: m.id.to_hex(),
        title: m.title,
        short_description: m.short_description,
        description: Some(m.description),
        order: count(m.order),
        difficulty: m.difficulty,
        estimated_minutes: m.estimated_duration.map(count),
        is_featured: m.is_featured,
        tags: m.tags,
        skills: m.skills,
        total_content: count(m.metadata.total_content),
        video_count: count(m.metadata.video_count),
        lab_count: count(m.metadata.lab_count),
        game_count: count(m.metadata.game_count),
        document_count: count(m.metadata.document_count),
        progress: None,
    }
}
