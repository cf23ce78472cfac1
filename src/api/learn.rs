//! Server functions of learning: module and phase pages, enrolling, the
//! player, heartbeats and every submission. Each checks the caller: reading
//! a module or phase is public; everything else acts on the signed-in
//! learner's own documents only (no function takes a user id).

use std::collections::HashMap;

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::domain::grading::Graded;
use crate::error::AppError;
use crate::model::learn::{Beat, ModuleDetail, Outcome, PhaseDetail, Player};

/// A module's page: description, syllabus, prerequisites and, for a signed-in learner, their state.
#[server(endpoint = "learn/module")]
pub async fn load_module(id: String) -> Result<ModuleDetail, AppError> {
    ssr::module_detail(&id).await.map_err(crate::server::fail)
}

/// A phase's page: its modules in order with the learner's state.
#[server(endpoint = "learn/phase")]
pub async fn load_phase(id: String) -> Result<PhaseDetail, AppError> {
    ssr::phase_detail(&id).await.map_err(crate::server::fail)
}

/// Enrolls the learner (or reactivates a paused or dropped enrollment).
/// Refused, with what unlocks it, while the module's prerequisites are not completed.
#[server(endpoint = "learn/enroll")]
pub async fn enroll(module_id: String) -> Result<(), AppError> {
    ssr::enroll(&module_id).await.map_err(crate::server::fail)
}

/// Pauses, drops or resumes (`active`) the learner's enrollment.
#[server(endpoint = "learn/enrollment_status")]
pub async fn set_enrollment_status(module_id: String, status: String) -> Result<(), AppError> {
    ssr::set_status(&module_id, &status).await.map_err(crate::server::fail)
}

/// Opens an item in the player (counts a view). `path` is a scenario's
/// choices so far, `c1,c2`, from the page URL.
#[server(endpoint = "learn/player")]
pub async fn open_content(module_id: String, content_id: String, path: Option<String>) -> Result<Player, AppError> {
    ssr::player(&module_id, &content_id, path.as_deref()).await.map_err(crate::server::fail)
}

/// A heartbeat from the player, every few seconds while the learner is active.
#[server(endpoint = "learn/heartbeat", input = Json)]
pub async fn heartbeat(content_id: String, beat: Beat) -> Result<Outcome, AppError> {
    ssr::heartbeat(&content_id, &beat).await.map_err(crate::server::fail)
}

/// The graded attempt and the learner's progress after it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct GameOutcome {
    pub graded: Graded,
    pub outcome: Outcome,
}

/// Grades a game attempt on the server (see `domain::grading` for the
/// answer encoding). `attempt` is an id the form carries: sending the same
/// attempt twice counts it once.
#[server(endpoint = "learn/game")]
pub async fn submit_game(
    content_id: String,
    attempt: String,
    #[server(default)] answers: HashMap<String, String>,
) -> Result<GameOutcome, AppError> {
    ssr::submit_game(&content_id, &attempt, answers).await.map_err(crate::server::fail)
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LabOutcome {
    pub correct: bool,
    pub message: String,
    /// The score once solved.
    pub score: Option<f64>,
    /// Sanitised HTML of the solution, once the learner may see it.
    pub solution: Option<String>,
    pub outcome: Outcome,
}

/// Checks a lab's answer (flag) on the server.
#[server(endpoint = "learn/lab")]
pub async fn submit_lab(content_id: String, attempt: String, answer: String) -> Result<LabOutcome, AppError> {
    ssr::submit_lab(&content_id, &attempt, &answer).await.map_err(crate::server::fail)
}

/// Reveals hint `number` (1-based, in order) of a lab and returns every hint revealed so far.
#[server(endpoint = "learn/hint")]
pub async fn reveal_hint(content_id: String, number: i32) -> Result<Vec<String>, AppError> {
    ssr::reveal_hint(&content_id, number).await.map_err(crate::server::fail)
}

/// Marks an item whose completion is manual as done.
#[server(endpoint = "learn/done")]
pub async fn mark_done(content_id: String) -> Result<Outcome, AppError> {
    ssr::mark_done(&content_id).await.map_err(crate::server::fail)
}

/// Bookmarks a document section with an optional note.
#[server(endpoint = "learn/bookmark")]
pub async fn add_bookmark(
    content_id: String,
    section: i32,
    #[server(default)] note: String,
) -> Result<Outcome, AppError> {
    ssr::add_bookmark(&content_id, section, &note).await.map_err(crate::server::fail)
}

/// Deletes the bookmark made on `section` at `created_ms`.
#[server(endpoint = "learn/bookmark_delete")]
pub async fn delete_bookmark(content_id: String, section: i32, created_ms: i64) -> Result<Outcome, AppError> {
    ssr::delete_bookmark(&content_id, section, created_ms).await.map_err(crate::server::fail)
}

/// Rates a completed item (1–5), optionally its difficulty (1–5), with feedback.
#[server(endpoint = "learn/rate")]
pub async fn rate_content(
    content_id: String,
    rating: i32,
    #[server(default)] difficulty: Option<i32>,
    #[server(default)] feedback: String,
) -> Result<Outcome, AppError> {
    ssr::rate(&content_id, rating, difficulty, &feedback).await.map_err(crate::server::fail)
}

#[cfg(feature = "ssr")]
mod ssr;
#[cfg(feature = "ssr")]
pub use ssr::enrollment_view;
