//! Achievement management for administrators: the list with earn rates,
//! the form with every criteria field, a preview of how many learners would
//! qualify today, activation, and a retroactive award run (in the
//! background, with its progress) for learners who already qualify.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::authoring::Choice;
use crate::error::AppError;
use crate::model::achievement::AchievementInput;

/// Learners the preview evaluates at most (each needs its own reads).
pub const PREVIEW_LIMIT: u64 = 1000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AchievementRow {
    pub id: String,
    pub title: String,
    pub category: String,
    pub kind: String,
    pub rarity: String,
    pub is_active: bool,
    pub is_hidden: bool,
    pub earned: i64,
    pub rate: f64,
}

/// A condition as the form posts it: the value is text, read as a number
/// or true/false when it is one.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConditionDraft {
    pub field: String,
    pub operator: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AchievementForm {
    pub id: Option<String>,
    pub input: AchievementInput,
    /// The conditions with their values as text.
    pub conditions: Vec<ConditionDraft>,
    pub modules: Vec<Choice>,
    pub phases: Vec<Choice>,
    pub run: Option<AwardRun>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Preview {
    /// Learners who would earn it today among those checked.
    pub qualifying: u64,
    pub checked: u64,
    pub students: u64,
}

/// A retroactive award run's progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AwardRun {
    pub total: u64,
    pub checked: u64,
    pub awarded: u64,
    pub finished: bool,
    pub error: Option<String>,
}

#[server(endpoint = "admin/achievements")]
pub async fn list_achievements() -> Result<Vec<AchievementRow>, AppError> {
    crate::auth::guard::require_active_admin().await?;
    let db = crate::server::state()?.db;
    ssr::list(&db).await.map_err(crate::server::fail)
}

#[server(endpoint = "admin/achievement_form")]
pub async fn get_achievement_form(#[server(default)] id: String) -> Result<AchievementForm, AppError> {
    crate::auth::guard::require_active_admin().await?;
    let db = crate::server::state()?.db;
    ssr::form(&db, &id).await.map_err(crate::server::fail)
}

/// What the form's buttons did: saved (with the id), or a preview of how
/// many learners the draft would award today (nothing saved).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FormOutcome {
    Saved(String),
    Preview(Preview),
}

/// Saves the achievement, or with `intent` = `preview` only counts who
/// would qualify today.
#[server(endpoint = "admin/save_achievement")]
pub async fn save_achievement(
    #[server(default)] id: String,
    #[server(default)] form: AchievementInput,
    #[server(default)] conditions: Vec<ConditionDraft>,
    #[server(default)] intent: String,
) -> Result<FormOutcome, AppError> {
    let admin = crate::auth::guard::require_active_admin().await?;
    let db = crate::server::state()?.db;
    if intent == "preview" {
        return ssr::preview(&db, form, conditions).await.map(FormOutcome::Preview).map_err(crate::server::fail);
    }
    let saved = ssr::save(&db, &admin, &id, form, conditions).await.map_err(crate::server::fail)?;
    leptos_axum::redirect("/admin/achievements");
    Ok(FormOutcome::Saved(saved))
}

#[server(endpoint = "admin/set_achievement_active")]
pub async fn set_achievement_active(
    #[server(default)] id: String,
    #[server(default)] active: bool,
) -> Result<(), AppError> {
    let admin = crate::auth::guard::require_active_admin().await?;
    let db = crate::server::state()?.db;
    ssr::set_active(&db, &admin, &id, active).await.map_err(crate::server::fail)
}

/// Starts awarding an active achievement to every learner who already earns it.
#[server(endpoint = "admin/award_achievement")]
pub async fn award_achievement(#[server(default)] id: String) -> Result<AwardRun, AppError> {
    let admin = crate::auth::guard::require_active_admin().await?;
    let db = crate::server::state()?.db;
    ssr::start_run(db, admin, &id).await.map_err(crate::server::fail)
}

/// The progress of the award run of an achievement (none started in this process: `None`).
#[server(endpoint = "admin/award_status")]
pub async fn award_status(#[server(default)] id: String) -> Result<Option<AwardRun>, AppError> {
    crate::auth::guard::require_active_admin().await?;
    Ok(ssr::run_of(&id))
}

#[cfg(feature = "ssr")]
mod ssr {
    use std::sync::Mutex;

    use futures::TryStreamExt;
    use mongodb::Database;
    use mongodb::bson::oid::ObjectId;
    use mongodb::bson::{DateTime, Document, doc};

    use super::{AchievementForm, AchievementRow, AwardRun, ConditionDraft, PREVIEW_LIMIT, Preview};
    use crate::db::achievement::{Achievement, AchievementMetadata};
    use crate::db::audit::Entry;
    use crate::db::collections::{MODULES, PHASES, USERS};
    use crate::db::user::User;
    use crate::error::AppError;
    use crate::model::achievement::{AchievementInput, ConditionInput};

    /// Award runs of this process, by achievement id.
    static RUNS: Mutex<Vec<(String, AwardRun)>> = Mutex::new(Vec::new());

    pub fn run_of(id: &str) -> Option<AwardRun> {
        RUNS.lock().ok()?.iter().find(|(k, _)| k == id).map(|(_, r)| r.clone())
    }

    fn set_run(id: &str, change: impl FnOnce(&mut AwardRun)) {
        if let Ok(mut runs) = RUNS.lock()
            && let Some((_, run)) = runs.iter_mut().find(|(k, _)| k == id)
        {
            change(run);
        }
    }

    fn id(raw: &str) -> Result<ObjectId, AppError> {
        Ok(crate::db::oid(raw, "id")?)
    }

    pub async fn list(db: &Database) -> Result<Vec<AchievementRow>, AppError> {
        Ok(crate::db::achievement::list_all(db)
            .await?
            .into_iter()
            .map(|a| AchievementRow {
                id: a.id.to_hex(),
                rate: (a.earn_rate() * 10.0).round() / 10.0,
                title: a.title,
                category: a.category.as_str().into(),
                kind: a.kind.as_str().into(),
                rarity: a.rarity.as_str().into(),
                is_active: a.is_active,
                is_hidden: a.is_hidden,
                earned: a.metadata.earned_count,
            })
            .collect())
    }

    fn value_text(v: &serde_json::Value) -> String {
        match v {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Null => String::new(),
            other => other.to_string(),
        }
    }

    /// A posted condition with its value read as a number, true/false or text.
    fn condition(d: ConditionDraft) -> Option<ConditionInput> {
        if d.field.trim().is_empty() {
            return None;
        }
        let text = d.value.trim();
        let value = if let Ok(n) = text.parse::<f64>() {
            serde_json::json!(n)
        } else if let Ok(b) = text.parse::<bool>() {
            serde_json::Value::Bool(b)
        } else {
            serde_json::Value::String(text.to_string())
        };
        Some(ConditionInput { field: d.field, operator: d.operator, value })
    }

    fn with_conditions(mut input: AchievementInput, conditions: Vec<ConditionDraft>) -> AchievementInput {
        input.criteria.conditions = conditions.into_iter().filter_map(condition).collect();
        input
    }

    pub async fn form(db: &Database, raw: &str) -> Result<AchievementForm, AppError> {
        let (found, input) = if raw.is_empty() {
            let next = crate::db::achievement::list_all(db).await?.len() as f64 + 1.0;
            let input = AchievementInput {
                order: Some(next),
                category: "progress".into(),
                kind: "milestone".into(),
                icon: "star".into(),
                ..AchievementInput::default()
            };
            (None, input)
        } else {
            let a = crate::db::achievement::get(db, id(raw)?)
                .await?
                .ok_or_else(|| AppError::NotFound("This achievement".into()))?;
            (Some(a.id), a.to_input())
        };
        let conditions = input
            .criteria
            .conditions
            .iter()
            .map(|c| ConditionDraft {
                field: c.field.clone(),
                operator: c.operator.clone(),
                value: value_text(&c.value),
            })
            .collect();
        Ok(AchievementForm {
            id: found.map(|i| i.to_hex()),
            input,
            conditions,
            modules: crate::api::authoring::choices(db, MODULES, None).await?,
            phases: crate::api::authoring::choices(db, PHASES, None).await?,
            run: found.and_then(|i| run_of(&i.to_hex())),
        })
    }

    pub async fn save(
        db: &Database,
        admin: &User,
        raw: &str,
        form: AchievementInput,
        conditions: Vec<ConditionDraft>,
    ) -> Result<String, AppError> {
        let mut input = with_conditions(form, conditions);
        if raw.is_empty() {
            input.is_active = Some(true);
            let a = crate::db::achievement::create(db, &input).await?;
            crate::db::counters::refresh_achievement(db, a.id).await?;
            let entry = Entry::new("achievement.create", "achievement", Some(a.id), &a.title).after(&a);
            crate::db::audit::record(db, admin.id, &admin.username, entry).await?;
            return Ok(a.id.to_hex());
        }
        let achievement = id(raw)?;
        let before = crate::db::achievement::get(db, achievement)
            .await?
            .ok_or_else(|| AppError::NotFound("This achievement".into()))?;
        // Activation has its own button.
        input.is_active = Some(before.is_active);
        let after = crate::db::achievement::update(db, achievement, &input).await?;
        let entry = Entry::new("achievement.update", "achievement", Some(achievement), &after.title)
            .before(&before)
            .after(&after);
        crate::db::audit::record(db, admin.id, &admin.username, entry).await?;
        Ok(achievement.to_hex())
    }

    async fn student_ids(db: &Database, limit: Option<i64>) -> Result<Vec<ObjectId>, AppError> {
        let users = db.collection::<Document>(USERS);
        let find = users.find(doc! { "role": "student" }).projection(doc! { "_id": 1 }).sort(doc! { "_id": 1 });
        let docs: Vec<Document> = match limit {
            Some(limit) => find.limit(limit).await?.try_collect().await?,
            None => find.await?.try_collect().await?,
        };
        Ok(docs.iter().filter_map(|d| d.get_object_id("_id").ok()).collect())
    }

    pub async fn preview(
        db: &Database,
        form: AchievementInput,
        conditions: Vec<ConditionDraft>,
    ) -> Result<Preview, AppError> {
        let input = with_conditions(form, conditions);
        let draft: Achievement =
            crate::db::achievement::build(db, ObjectId::new(), &input, DateTime::now(), AchievementMetadata::default())
                .await?;
        let students = db.collection::<Document>(USERS).count_documents(doc! { "role": "student" }).await?;
        let mut qualifying = 0;
        let ids = student_ids(db, Some(PREVIEW_LIMIT as i64)).await?;
        for user in &ids {
            if let Some(u) = crate::db::user::get(db, *user).await?
                && crate::db::awards::qualifies(db, &u, &draft).await?
            {
                qualifying += 1;
            }
        }
        Ok(Preview { qualifying, checked: ids.len() as u64, students })
    }

    pub async fn set_active(db: &Database, admin: &User, raw: &str, active: bool) -> Result<(), AppError> {
        let achievement = id(raw)?;
        let before = crate::db::achievement::get(db, achievement)
            .await?
            .ok_or_else(|| AppError::NotFound("This achievement".into()))?;
        crate::db::achievement::set_active(db, achievement, active).await?;
        let action = if active { "achievement.activate" } else { "achievement.deactivate" };
        let entry = Entry::new(action, "achievement", Some(achievement), &before.title)
            .before(&doc! { "isActive": before.is_active })
            .after(&doc! { "isActive": active });
        Ok(crate::db::audit::record(db, admin.id, &admin.username, entry).await?)
    }

    pub async fn start_run(db: Database, admin: User, raw: &str) -> Result<super::AwardRun, AppError> {
        let achievement = id(raw)?;
        let a = crate::db::achievement::get(&db, achievement)
            .await?
            .ok_or_else(|| AppError::NotFound("This achievement".into()))?;
        if !a.is_active {
            return Err(crate::db::error::RepoError::field("id", "Activate the achievement before awarding it").into());
        }
        let key = achievement.to_hex();
        if run_of(&key).is_some_and(|r| !r.finished) {
            return Err(
                crate::db::error::RepoError::field("id", "An award run for this achievement is already going").into()
            );
        }
        let ids = student_ids(&db, None).await?;
        let run = AwardRun { total: ids.len() as u64, checked: 0, awarded: 0, finished: false, error: None };
        if let Ok(mut runs) = RUNS.lock() {
            runs.retain(|(k, _)| *k != key);
            runs.push((key.clone(), run.clone()));
        }
        let entry = Entry::new("achievement.award_run", "achievement", Some(a.id), &a.title)
            .detail(format!("retroactive award started for {} learner(s)", ids.len()));
        crate::db::audit::record(&db, admin.id, &admin.username, entry).await?;
        tokio::spawn(async move {
            let mut awarded = 0;
            for user in ids {
                match crate::db::awards::award_retroactively(&db, user, &a).await {
                    Ok(done) => {
                        awarded += u64::from(done);
                        set_run(&key, |r| {
                            r.checked += 1;
                            r.awarded += u64::from(done);
                        });
                    }
                    Err(err) => {
                        tracing::error!(error = %err, achievement = %a.id, "retroactive award stopped");
                        set_run(&key, |r| {
                            r.error = Some("The run stopped on a database error; start it again to continue.".into());
                            r.finished = true;
                        });
                        return;
                    }
                }
            }
            let _ = crate::db::counters::refresh_achievement(&db, a.id).await;
            set_run(&key, |r| r.finished = true);
            tracing::info!(target: "audit", achievement = %a.id, awarded, "retroactive award finished");
        });
        Ok(run)
    }
}
