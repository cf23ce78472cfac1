//! Catalog authoring for administrators: the tree of phases and modules,
//! their forms, activation, featuring, ordering and deletion. Every server
//! function starts with `require_active_admin()` and every change is
//! appended to the audit log with the document before and after.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::model::Difficulty;
use crate::model::module::ModuleInput;
use crate::model::phase::PhaseInput;

/// The catalog as the authoring page lists it, inactive parts included.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogTree {
    pub phases: Vec<PhaseRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhaseRow {
    pub id: String,
    pub title: String,
    pub order: i32,
    pub difficulty: Difficulty,
    pub is_active: bool,
    pub modules: Vec<ModuleRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModuleRow {
    pub id: String,
    pub title: String,
    pub order: i32,
    pub difficulty: Difficulty,
    pub is_active: bool,
    pub is_featured: bool,
    pub content_count: i32,
}

/// A phase or module that prerequisites may name (the form's picker).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub id: String,
    pub title: String,
}

/// What a phase form shows: the current values (empty for a new phase) and the phases it may require.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhaseForm {
    pub id: Option<String>,
    pub input: PhaseInput,
    pub phases: Vec<Choice>,
}

/// What a module form shows: the current values, the phases it may sit in and the modules it may require.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModuleForm {
    pub id: Option<String>,
    pub input: ModuleInput,
    pub phases: Vec<Choice>,
    pub modules: Vec<Choice>,
}

#[server(endpoint = "admin/catalog_tree")]
pub async fn get_catalog_tree() -> Result<CatalogTree, AppError> {
    let (db, _) = ssr::admin().await?;
    ssr::tree(&db).await.map_err(crate::server::fail)
}

/// The form of phase `id`, or an empty one when `id` is empty.
#[server(endpoint = "admin/phase_form")]
pub async fn get_phase_form(#[server(default)] id: String) -> Result<PhaseForm, AppError> {
    let (db, _) = ssr::admin().await?;
    ssr::phase_form(&db, &id).await.map_err(crate::server::fail)
}

/// Creates a phase (empty `id`) or replaces one's fields; answers its id.
#[server(endpoint = "admin/save_phase")]
pub async fn save_phase(
    #[server(default)] id: String,
    #[server(default)] form: PhaseInput,
) -> Result<String, AppError> {
    let (db, admin) = ssr::admin().await?;
    let saved = ssr::save_phase(&db, &admin, &id, form).await.map_err(crate::server::fail)?;
    leptos_axum::redirect("/admin/catalog");
    Ok(saved)
}

/// The form of module `id`, or an empty one (in `phase`, when given) when `id` is empty.
#[server(endpoint = "admin/module_form")]
pub async fn get_module_form(
    #[server(default)] id: String,
    #[server(default)] phase: String,
) -> Result<ModuleForm, AppError> {
    let (db, _) = ssr::admin().await?;
    ssr::module_form(&db, &id, &phase).await.map_err(crate::server::fail)
}

/// Creates a module (empty `id`) or replaces one's fields; answers its id.
#[server(endpoint = "admin/save_module")]
pub async fn save_module(
    #[server(default)] id: String,
    #[server(default)] form: ModuleInput,
) -> Result<String, AppError> {
    let (db, admin) = ssr::admin().await?;
    let saved = ssr::save_module(&db, &admin, &id, form).await.map_err(crate::server::fail)?;
    leptos_axum::redirect("/admin/catalog");
    Ok(saved)
}

/// Activates or deactivates a phase, module or content item (`kind`: `phase`, `module` or `content`).
#[server(endpoint = "admin/set_active")]
pub async fn set_active(
    #[server(default)] kind: String,
    #[server(default)] id: String,
    #[server(default)] active: bool,
) -> Result<(), AppError> {
    let (db, admin) = ssr::admin().await?;
    ssr::set_active(&db, &admin, &kind, &id, active).await.map_err(crate::server::fail)
}

/// Features a module in the catalog (or stops featuring it).
#[server(endpoint = "admin/set_featured")]
pub async fn set_featured(#[server(default)] id: String, #[server(default)] featured: bool) -> Result<(), AppError> {
    let (db, admin) = ssr::admin().await?;
    ssr::set_featured(&db, &admin, &id, featured).await.map_err(crate::server::fail)
}

/// Moves a phase, module or content item one place `up` or `down` among its siblings.
#[server(endpoint = "admin/move")]
pub async fn move_item(
    #[server(default)] kind: String,
    #[server(default)] id: String,
    #[server(default)] direction: String,
) -> Result<(), AppError> {
    let (db, admin) = ssr::admin().await?;
    ssr::move_item(&db, &admin, &kind, &id, &direction).await.map_err(crate::server::fail)
}

/// Deletes a phase, module or content item, refusing (with the reason) when that would orphan data.
#[server(endpoint = "admin/delete")]
pub async fn delete_item(#[server(default)] kind: String, #[server(default)] id: String) -> Result<(), AppError> {
    let (db, admin) = ssr::admin().await?;
    ssr::delete(&db, &admin, &kind, &id).await.map_err(crate::server::fail)
}

#[cfg(feature = "ssr")]
pub use ssr::choices;

#[cfg(feature = "ssr")]
mod ssr {
    use futures::TryStreamExt;
    use mongodb::Database;
    use mongodb::bson::oid::ObjectId;
    use mongodb::bson::{DateTime, Document, doc};

    use super::{CatalogTree, Choice, ModuleForm, ModuleRow, PhaseForm, PhaseRow};
    use crate::db::audit::Entry;
    use crate::db::collections::{MODULES, PHASES};
    use crate::db::module::Module;
    use crate::db::structure::Siblings;
    use crate::db::user::User;
    use crate::error::AppError;
    use crate::model::module::ModuleInput;
    use crate::model::phase::PhaseInput;

    pub async fn admin() -> Result<(Database, User), AppError> {
        let admin = crate::auth::guard::require_active_admin().await?;
        Ok((crate::server::state()?.db, admin))
    }

    fn id(value: &str, field: &str) -> Result<ObjectId, AppError> {
        Ok(crate::db::oid(value, field)?)
    }

    async fn audit(db: &Database, admin: &User, entry: Entry) -> Result<(), AppError> {
        Ok(crate::db::audit::record(db, admin.id, &admin.username, entry).await?)
    }

    pub async fn tree(db: &Database) -> Result<CatalogTree, AppError> {
        let phases = crate::db::phase::list(db).await?;
        let modules: Vec<Module> =
            db.collection::<Module>(MODULES).find(doc! {}).sort(doc! { "order": 1 }).await?.try_collect().await?;
        Ok(CatalogTree {
            phases: phases
                .into_iter()
                .map(|p| PhaseRow {
                    modules: modules
                        .iter()
                        .filter(|m| m.phase == p.id)
                        .map(|m| ModuleRow {
                            id: m.id.to_hex(),
                            title: m.title.clone(),
                            order: m.order,
                            difficulty: m.difficulty,
                            is_active: m.is_active,
                            is_featured: m.is_featured,
                            content_count: m.metadata.total_content,
                        })
                        .collect(),
                    id: p.id.to_hex(),
                    title: p.title,
                    order: p.order,
                    difficulty: p.difficulty,
                    is_active: p.is_active,
                })
                .collect(),
        })
    }

    /// Phases or modules (all but `except`) for a form's pickers, in order.
    pub async fn choices(db: &Database, collection: &str, except: Option<ObjectId>) -> Result<Vec<Choice>, AppError> {
        Ok(crate::db::titles(db, collection, doc! {}, doc! { "order": 1, "title": 1 })
            .await?
            .into_iter()
            .filter(|(id, _)| Some(*id) != except)
            .map(|(id, title)| Choice { id: id.to_hex(), title })
            .collect())
    }

    pub async fn phase_form(db: &Database, raw: &str) -> Result<PhaseForm, AppError> {
        let (found, input) = if raw.is_empty() {
            let next = crate::db::phase::list(db).await?.len() as f64 + 1.0;
            (None, PhaseInput { order: Some(next), difficulty: "beginner".into(), ..PhaseInput::default() })
        } else {
            let phase = crate::db::phase::get(db, id(raw, "id")?)
                .await?
                .ok_or_else(|| AppError::NotFound("This phase".into()))?;
            (Some(phase.id), phase.to_input())
        };
        Ok(PhaseForm { id: found.map(|i| i.to_hex()), input, phases: choices(db, PHASES, found).await? })
    }

    pub async fn save_phase(db: &Database, admin: &User, raw: &str, mut form: PhaseInput) -> Result<String, AppError> {
        if raw.is_empty() {
            form.is_active = Some(true);
            if form.order.is_none() {
                form.order = Some(crate::db::phase::list(db).await?.len() as f64 + 1.0);
            }
            let phase = crate::db::phase::create(db, &form).await?;
            crate::db::structure::normalise(db, Siblings::Phases, Some(phase.id)).await?;
            audit(db, admin, Entry::new("phase.create", "phase", Some(phase.id), &phase.title).after(&phase)).await?;
            return Ok(phase.id.to_hex());
        }
        let phase_id = id(raw, "id")?;
        let before =
            crate::db::phase::get(db, phase_id).await?.ok_or_else(|| AppError::NotFound("This phase".into()))?;
        // Activation has its own button; the form never flips it.
        form.is_active = Some(before.is_active);
        form.order = form.order.or(Some(f64::from(before.order)));
        let prerequisites = crate::db::oids(&form.prerequisites, "prerequisites")?;
        crate::db::structure::refuse_cycle(db, PHASES, phase_id, &prerequisites).await?;
        let after = crate::db::phase::update(db, phase_id, &form).await?;
        crate::db::structure::normalise(db, Siblings::Phases, Some(phase_id)).await?;
        audit(
            db,
            admin,
            Entry::new("phase.update", "phase", Some(phase_id), &after.title).before(&before).after(&after),
        )
        .await?;
        Ok(phase_id.to_hex())
    }

    pub async fn module_form(db: &Database, raw: &str, phase: &str) -> Result<ModuleForm, AppError> {
        let (found, input) = if raw.is_empty() {
            let mut input = ModuleInput { difficulty: "beginner".into(), ..ModuleInput::default() };
            if !phase.is_empty() {
                let phase_id = id(phase, "phase")?;
                input.phase = phase_id.to_hex();
                input.order = Some(crate::db::module::list_for_phase(db, phase_id).await?.len() as f64 + 1.0);
            }
            (None, input)
        } else {
            let module = crate::db::module::get(db, id(raw, "id")?)
                .await?
                .ok_or_else(|| AppError::NotFound("This module".into()))?;
            (Some(module.id), module.to_input())
        };
        Ok(ModuleForm {
            id: found.map(|i| i.to_hex()),
            input,
            phases: choices(db, PHASES, None).await?,
            modules: choices(db, MODULES, found).await?,
        })
    }

    pub async fn save_module(
        db: &Database,
        admin: &User,
        raw: &str,
        mut form: ModuleInput,
    ) -> Result<String, AppError> {
        if raw.is_empty() {
            form.is_active = Some(true);
            if form.order.is_none()
                && let Ok(phase) = crate::db::oid(&form.phase, "phase")
            {
                form.order = Some(crate::db::module::list_for_phase(db, phase).await?.len() as f64 + 1.0);
            }
            let module = crate::db::module::create(db, &form).await?;
            crate::db::structure::normalise(db, Siblings::ModulesOf(module.phase), Some(module.id)).await?;
            audit(db, admin, Entry::new("module.create", "module", Some(module.id), &module.title).after(&module))
                .await?;
            return Ok(module.id.to_hex());
        }
        let module_id = id(raw, "id")?;
        let before =
            crate::db::module::get(db, module_id).await?.ok_or_else(|| AppError::NotFound("This module".into()))?;
        form.is_active = Some(before.is_active);
        form.is_featured = before.is_featured;
        form.order = form.order.or(Some(f64::from(before.order)));
        let prerequisites = crate::db::oids(&form.prerequisites, "prerequisites")?;
        crate::db::structure::refuse_cycle(db, MODULES, module_id, &prerequisites).await?;
        let after = crate::db::module::update(db, module_id, &form).await?;
        crate::db::structure::normalise(db, Siblings::ModulesOf(after.phase), Some(module_id)).await?;
        if before.phase != after.phase {
            crate::db::structure::normalise(db, Siblings::ModulesOf(before.phase), None).await?;
        }
        audit(
            db,
            admin,
            Entry::new("module.update", "module", Some(module_id), &after.title).before(&before).after(&after),
        )
        .await?;
        Ok(module_id.to_hex())
    }

    /// `phase`, `module` or `content`, or a field message.
    fn kind(kind: &str) -> Result<&'static str, AppError> {
        match kind {
            "phase" => Ok("phase"),
            "module" => Ok("module"),
            "content" => Ok("content"),
            _ => Err(crate::db::error::RepoError::field("kind", "Choose phase, module or content").into()),
        }
    }

    async fn title_of(db: &Database, kind: &str, item: ObjectId) -> Result<(String, Document), AppError> {
        let collection = match kind {
            "phase" => PHASES,
            "content" => crate::db::collections::CONTENTS,
            _ => MODULES,
        };
        let found = db
            .collection::<Document>(collection)
            .find_one(doc! { "_id": item })
            .await?
            .ok_or_else(|| AppError::NotFound(format!("This {kind}")))?;
        Ok((found.get_str("title").unwrap_or("?").to_string(), found))
    }

    pub async fn set_active(
        db: &Database,
        admin: &User,
        kind_raw: &str,
        raw: &str,
        active: bool,
    ) -> Result<(), AppError> {
        let kind = kind(kind_raw)?;
        let item = id(raw, "id")?;
        let (title, before) = title_of(db, kind, item).await?;
        match kind {
            "phase" => crate::db::phase::set_active(db, item, active).await?,
            // Refreshes the module's (and phase's) counters, which count active items only.
            "content" => crate::db::content::set_active(db, item, active).await?,
            _ => crate::db::module::set_active(db, item, active).await?,
        }
        let action = format!("{kind}.{}", if active { "activate" } else { "deactivate" });
        let (_, after) = title_of(db, kind, item).await?;
        audit(db, admin, Entry::new(&action, kind, Some(item), &title).before(&before).after(&after)).await
    }

    pub async fn set_featured(db: &Database, admin: &User, raw: &str, featured: bool) -> Result<(), AppError> {
        let item = id(raw, "id")?;
        let (title, before) = title_of(db, "module", item).await?;
        db.collection::<Document>(MODULES)
            .update_one(doc! { "_id": item }, doc! { "$set": { "isFeatured": featured, "updatedAt": DateTime::now() } })
            .await?;
        let (_, after) = title_of(db, "module", item).await?;
        let action = if featured { "module.feature" } else { "module.unfeature" };
        audit(db, admin, Entry::new(action, "module", Some(item), &title).before(&before).after(&after)).await
    }

    pub async fn move_item(
        db: &Database,
        admin: &User,
        kind_raw: &str,
        raw: &str,
        direction: &str,
    ) -> Result<(), AppError> {
        let kind = kind(kind_raw)?;
        let item = id(raw, "id")?;
        let by = match direction {
            "up" => -1,
            "down" => 1,
            _ => return Err(crate::db::error::RepoError::field("direction", "Choose up or down").into()),
        };
        let (title, before) = title_of(db, kind, item).await?;
        let siblings = match (kind, before.get_object_id("phase"), before.get_object_id("module")) {
            ("module", Ok(phase), _) => Siblings::ModulesOf(phase),
            ("content", _, Ok(module)) => Siblings::ContentOf(module),
            _ => Siblings::Phases,
        };
        crate::db::structure::shift(db, siblings, item, by).await?;
        let (_, after) = title_of(db, kind, item).await?;
        let entry = Entry::new(&format!("{kind}.move"), kind, Some(item), &title).before(&before).after(&after);
        audit(db, admin, entry.detail(format!("moved {direction}"))).await
    }

    pub async fn delete(db: &Database, admin: &User, kind_raw: &str, raw: &str) -> Result<(), AppError> {
        let kind = kind(kind_raw)?;
        let item = id(raw, "id")?;
        let (title, before) = title_of(db, kind, item).await?;
        if kind == "phase" {
            crate::db::phase::delete(db, item).await?;
            crate::db::structure::normalise(db, Siblings::Phases, None).await?;
        } else if kind == "content" {
            // Progress documents (and the enrollments' percentages built on
            // them) would point at nothing; deactivating keeps them whole.
            let learners = crate::db::content::progress_count(db, item).await?;
            if learners > 0 {
                return Err(crate::db::error::RepoError::field(
                    "content",
                    format!("{learners} learner(s) have progress on this item; deactivate it instead"),
                )
                .into());
            }
            crate::db::content::delete(db, item).await?;
            if let Ok(module) = before.get_object_id("module") {
                crate::db::structure::normalise(db, Siblings::ContentOf(module), None).await?;
            }
        } else {
            crate::db::module::delete(db, item).await?;
            if let Ok(phase) = before.get_object_id("phase") {
                crate::db::structure::normalise(db, Siblings::ModulesOf(phase), None).await?;
            }
        }
        audit(db, admin, Entry::new(&format!("{kind}.delete"), kind, Some(item), &title).before(&before)).await
    }
}
