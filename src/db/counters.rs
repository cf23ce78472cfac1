//! Keeps the denormalised counters right: module and phase `metadata.*` and
//! achievement `metadata.earnedCount`.
//!
//! Counters are never incremented: after a change they are recomputed from
//! the source documents (`domain::metadata`) and `$set`. That is idempotent,
//! immune to FerretDB 1.24 losing one of two concurrent `$inc`, and a crash
//! between a write and its refresh is repaired by the next refresh or by
//! [`rebuild`].
//!
//! Refreshes run one at a time in this process ([`REFRESH`]): the refresh
//! that runs last then reads every write that finished before it, so
//! concurrent edits cannot leave a stale count behind. (Across several app
//! instances a rare interleaving can; the next edit or `rebuild` repairs it.)

use futures::TryStreamExt;
use mongodb::Database;
use mongodb::bson::oid::ObjectId;
use mongodb::bson::{DateTime, Document, doc};
use serde::Deserialize;

use super::collections::{ACHIEVEMENTS, CONTENTS, MODULES, PHASES, USER_ACHIEVEMENTS};
use super::error::RepoError;
use crate::domain::metadata::{ContentFacts, ModuleCounts, module_counts, phase_counts};
use crate::model::ContentType;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FactsDoc {
    #[serde(rename = "type")]
    kind: ContentType,
    #[serde(default)]
    duration: Option<i32>,
    #[serde(default = "yes")]
    is_active: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ModuleFactsDoc {
    #[serde(default = "yes")]
    is_active: bool,
    #[serde(default)]
    metadata: ModuleCountsDoc,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct ModuleCountsDoc {
    total_content: i32,
    total_duration: i32,
}

/// Serialises counter refreshes within this process.
static REFRESH: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn yes() -> bool {
    true
}

async fn module_counts_of(db: &Database, module: ObjectId) -> Result<ModuleCounts, RepoError> {
    let facts: Vec<FactsDoc> = db
        .collection::<FactsDoc>(CONTENTS)
        .find(doc! { "module": module })
        .projection(doc! { "type": 1, "duration": 1, "isActive": 1 })
        .await?
        .try_collect()
        .await?;
    Ok(module_counts(facts.into_iter().map(|f| ContentFacts {
        kind: f.kind,
        duration: f.duration,
        is_active: f.is_active,
    })))
}

async fn set_module_counts(db: &Database, module: ObjectId, c: ModuleCounts) -> Result<(), RepoError> {
    db.collection::<Document>(MODULES)
        .update_one(
            doc! { "_id": module },
            doc! { "$set": {
                "metadata.totalContent": c.total_content,
                "metadata.totalDuration": c.total_duration,
                "metadata.videoCount": c.video_count,
                "metadata.labCount": c.lab_count,
                "metadata.gameCount": c.game_count,
                "metadata.documentCount": c.document_count,
            } },
        )
        .await?;
    Ok(())
}

/// Recomputes one module's counters from its content, then its phase's.
pub async fn refresh_module(db: &Database, module: ObjectId) -> Result<(), RepoError> {
    let _one_at_a_time = REFRESH.lock().await;
    let counts = module_counts_of(db, module).await?;
    set_module_counts(db, module, counts).await?;
    let phase = db
        .collection::<Document>(MODULES)
        .find_one(doc! { "_id": module })
        .projection(doc! { "phase": 1 })
        .await?
        .and_then(|m| m.get_object_id("phase").ok());
    if let Some(phase) = phase {
        refresh_phase_locked(db, phase).await?;
    }
    Ok(())
}

/// Recomputes one phase's counters from its modules' (already right) counters.
pub async fn refresh_phase(db: &Database, phase: ObjectId) -> Result<(), RepoError> {
    let _one_at_a_time = REFRESH.lock().await;
    refresh_phase_locked(db, phase).await
}

async fn refresh_phase_locked(db: &Database, phase: ObjectId) -> Result<(), RepoError> {
    let modules: Vec<ModuleFactsDoc> = db
        .collection::<ModuleFactsDoc>(MODULES)
        .find(doc! { "phase": phase })
        .projection(doc! { "isActive": 1, "metadata.totalContent": 1, "metadata.totalDuration": 1 })
        .await?
        .try_collect()
        .await?;
    let counts = phase_counts(modules.iter().map(|m| {
        (
            m.is_active,
            ModuleCounts {
                total_content: m.metadata.total_content,
                total_duration: m.metadata.total_duration,
                ..Default::default()
            },
        )
    }));
    db.collection::<Document>(PHASES)
        .update_one(
            doc! { "_id": phase },
            doc! { "$set": {
                "metadata.totalModules": counts.total_modules,
                "metadata.totalContent": counts.total_content,
                "metadata.totalDuration": counts.total_duration,
            } },
        )
        .await?;
    Ok(())
}

/// Recomputes one achievement's `metadata` from the awards: `earnedCount`,
/// `totalEligible` (every student can earn any achievement) and
/// `averageEarnTime` (days from sign-up, averaged in Rust: FerretDB 1.24 has no `$avg`).
pub async fn refresh_achievement(db: &Database, achievement: ObjectId) -> Result<(), RepoError> {
    let awards: Vec<Document> = db
        .collection::<Document>(USER_ACHIEVEMENTS)
        .find(doc! { "achievement": achievement })
        .projection(doc! { "metadata.timeToEarn": 1 })
        .await?
        .try_collect()
        .await?;
    let eligible =
        db.collection::<Document>(super::collections::USERS).count_documents(doc! { "role": "student" }).await?;
    let times: Vec<f64> = awards
        .iter()
        .filter_map(|a| a.get_document("metadata").ok().and_then(|m| m.get_f64("timeToEarn").ok()))
        .collect();
    let mut set = doc! {
        "metadata.earnedCount": i64::try_from(awards.len()).unwrap_or(i64::MAX),
        "metadata.totalEligible": i64::try_from(eligible).unwrap_or(i64::MAX),
    };
    if !times.is_empty() {
        let average = times.iter().sum::<f64>() / times.len() as f64;
        set.insert("metadata.averageEarnTime", (average * 10.0).round() / 10.0);
    }
    db.collection::<Document>(ACHIEVEMENTS).update_one(doc! { "_id": achievement }, doc! { "$set": set }).await?;
    Ok(())
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct RebuildReport {
    pub modules: usize,
    pub phases: usize,
    pub achievements: usize,
}

/// Recomputes every counter from the source documents.
pub async fn rebuild(db: &Database) -> Result<RebuildReport, RepoError> {
    let _one_at_a_time = REFRESH.lock().await;
    let mut report = RebuildReport::default();
    let module_ids: Vec<ObjectId> = ids(db, MODULES).await?;
    for module in &module_ids {
        let counts = module_counts_of(db, *module).await?;
        set_module_counts(db, *module, counts).await?;
        report.modules += 1;
    }
    for phase in ids(db, PHASES).await? {
        refresh_phase_locked(db, phase).await?;
        report.phases += 1;
    }
    for achievement in ids(db, ACHIEVEMENTS).await? {
        refresh_achievement(db, achievement).await?;
        report.achievements += 1;
    }
    tracing::info!(?report, at = %DateTime::now(), "counters rebuilt");
    Ok(report)
}

async fn ids(db: &Database, collection: &str) -> Result<Vec<ObjectId>, RepoError> {
    let docs: Vec<Document> =
        db.collection::<Document>(collection).find(doc! {}).projection(doc! { "_id": 1 }).await?.try_collect().await?;
    Ok(docs.iter().filter_map(|d| d.get_object_id("_id").ok()).collect())
}
