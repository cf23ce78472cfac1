//! The server side of `api::learn`: callers checked, input validated, then `db::learning`.

use std::collections::HashMap;

use mongodb::Database;
use mongodb::bson::oid::ObjectId;

use super::{GameOutcome, LabOutcome};
use crate::auth::guard::require_user;
use crate::db::content::Content;
use crate::db::enrollment::Enrollment;
use crate::db::learning::{self, Item, Learner, Recorded};
use crate::db::module::Module;
use crate::db::progress::Progress;
use crate::db::{gating as gates, oid};
use crate::domain::gating::{self, Need};
use crate::domain::grading;
use crate::error::AppError;
use crate::model::game::GameData;
use crate::model::learn::{
    Beat, BookmarkView, EarnedView, EnrollmentView, ModuleDetail, Named, Outcome, PhaseDetail, PhaseModule, Player,
    PlayerBody, PlayerItem, PrerequisiteView, ProgressView, SyllabusItem,
};
use crate::model::{ContentType, EnrollmentStatus};

fn db() -> Result<Database, AppError> {
    Ok(crate::server::state()?.db)
}

fn id(value: &str, field: &str) -> Result<ObjectId, AppError> {
    oid(value, field).map_err(AppError::from)
}

fn count(n: i32) -> u32 {
    u32::try_from(n).unwrap_or(0)
}

fn day(d: mongodb::bson::DateTime) -> String {
    d.try_to_rfc3339_string().unwrap_or_default().chars().take(10).collect()
}

fn prerequisite_views(list: &[crate::domain::gating::Prerequisite]) -> Vec<PrerequisiteView> {
    list.iter().map(|p| PrerequisiteView { id: p.id.clone(), title: p.title.clone(), completed: p.completed }).collect()
}

pub fn enrollment_view(e: &Enrollment) -> EnrollmentView {
    EnrollmentView {
        status: e.status,
        percentage: e.progress.percentage,
        completed: count(e.progress.completed_content),
        total: count(e.progress.total_content),
        completed_at: e.completed_at.map(day),
        certificate_id: e.certificate.certificate_id.clone().filter(|_| e.certificate.issued),
    }
}

async fn active_module(db: &Database, module: ObjectId) -> Result<Module, AppError> {
    crate::db::module::cached(db, module)
        .await?
        .filter(|m| m.is_active)
        .ok_or_else(|| AppError::NotFound("This module".into()))
}

async fn active_contents(db: &Database, module: ObjectId) -> Result<Vec<Content>, AppError> {
    Ok(crate::db::content::module_items(db, module).await?.iter().filter(|c| c.is_active).cloned().collect())
}

/// Syllabus items with the learner's state and each item's lock.
fn syllabus(
    contents: &[Content],
    states: &HashMap<ObjectId, (bool, f64)>,
    sequential: bool,
    module_locked: Option<&str>,
) -> Vec<SyllabusItem> {
    let items = gates::items(contents, states);
    contents
        .iter()
        .map(|c| {
            let (completed, percentage) = states.get(&c.id).copied().unwrap_or((false, 0.0));
            let locked = match module_locked {
                Some(reason) => Some(reason.to_string()),
                None => gating::explain(&gating::content_needs(sequential, &items, &c.id.to_hex())),
            };
            SyllabusItem {
                id: c.id.to_hex(),
                title: c.title.clone(),
                kind: c.kind,
                duration: c.duration.map(count),
                section: c.section.clone(),
                subsection: c.subsection.clone(),
                completed,
                percentage,
                locked,
            }
        })
        .collect()
}

pub async fn module_detail(module_id: &str) -> Result<ModuleDetail, AppError> {
    let db = db()?;
    let module = active_module(&db, id(module_id, "id")?).await?;
    let user = crate::auth::session::request_user().await?;
    let user_id = user.as_ref().map(|u| u.id);
    let completed = gates::completed_modules(&db, user_id).await?;
    let gate = gates::module_gate(&db, &module, &completed).await?;
    let enrollment = match user_id {
        Some(u) => crate::db::enrollment::get(&db, u, module.id).await?,
        None => None,
    };
    let contents = active_contents(&db, module.id).await?;
    let states = gates::item_states(&db, user_id, module.id).await?;
    let lock_reason = gating::explain(&gate.needs);
    let not_started = match &enrollment {
        Some(e) if matches!(e.status, EnrollmentStatus::Active | EnrollmentStatus::Completed) => None,
        _ => Some("Enroll in this module to open its content.".to_string()),
    };
    let items = syllabus(
        &contents,
        &states,
        module.settings.require_sequential_completion,
        lock_reason.as_deref().or(not_started.as_deref()),
    );
    let resume = items.iter().find(|i| i.locked.is_none() && !i.completed).or(items.first()).map(|i| i.id.clone());
    let phase = crate::db::phase::all_cached(&db).await?.get(&module.phase).cloned();
    Ok(ModuleDetail {
        id: module.id.to_hex(),
        title: module.title,
        description: module.description,
        short_description: module.short_description,
        phase: Named { id: module.phase.to_hex(), title: phase.map(|p| p.title).unwrap_or_default() },
        difficulty: module.difficulty,
        estimated_minutes: module.estimated_duration.map(count),
        objectives: module.learning_objectives,
        skills: module.skills,
        tags: module.tags,
        instructor_name: module.instructor.name,
        instructor_bio: module.instructor.bio,
        prerequisites: prerequisite_views(&gate.module_prerequisites),
        phase_prerequisites: prerequisite_views(&gate.phase_prerequisites),
        needs: gate.needs,
        sequential: module.settings.require_sequential_completion,
        certificate_eligible: module.settings.certificate_eligible,
        syllabus: items,
        enrollment: enrollment.as_ref().map(enrollment_view),
        signed_in: user.is_some(),
        resume,
    })
}

pub async fn phase_detail(phase_id: &str) -> Result<PhaseDetail, AppError> {
    let db = db()?;
    let phase = crate::db::phase::get(&db, id(phase_id, "id")?)
        .await?
        .filter(|p| p.is_active)
        .ok_or_else(|| AppError::NotFound("This phase".into()))?;
    let user = crate::auth::session::request_user().await?.map(|u| u.id);
    let completed = gates::completed_modules(&db, user).await?;
    let prerequisites = gates::phase_prerequisites(&db, &phase.prerequisites, &completed).await?;
    let phase_needs = gating::phase_needs(&prerequisites);
    let mut modules = Vec::new();
    for m in crate::db::module::list_for_phase(&db, phase.id).await?.into_iter().filter(|m| m.is_active) {
        let gate = gates::module_gate(&db, &m, &completed).await?;
        let enrollment = match user {
            Some(u) => crate::db::enrollment::get(&db, u, m.id).await?,
            None => None,
        };
        modules.push(PhaseModule {
            id: m.id.to_hex(),
            title: m.title,
            short_description: m.short_description,
            difficulty: m.difficulty,
            estimated_minutes: m.estimated_duration.map(count),
            total_content: count(m.metadata.total_content),
            enrollment: enrollment.as_ref().map(enrollment_view),
            locked: gating::explain(&gate.needs),
        });
    }
    Ok(PhaseDetail {
        id: phase.id.to_hex(),
        title: phase.title,
        description: phase.description,
        order: count(phase.order),
        difficulty: phase.difficulty,
        estimated_hours: phase.estimated_duration.map(count),
        objectives: phase.objectives,
        color: phase.color,
        prerequisites: prerequisite_views(&prerequisites),
        locked: gating::explain(&phase_needs),
        modules,
    })
}

fn locked(needs: &[Need]) -> AppError {
    AppError::Forbidden(gating::explain(needs).unwrap_or_else(|| "This is locked.".into()))
}

pub async fn enroll(module_id: &str) -> Result<(), AppError> {
    let user = require_user().await?;
    let db = db()?;
    let module = active_module(&db, id(module_id, "moduleId")?).await?;
    let already = crate::db::enrollment::get(&db, user.id, module.id).await?;
    if already.is_none() {
        let completed = gates::completed_modules(&db, Some(user.id)).await?;
        let gate = gates::module_gate(&db, &module, &completed).await?;
        if !gate.needs.is_empty() {
            return Err(locked(&gate.needs));
        }
    }
    // Under the learner's lock: the refresh rewrites numbers a heartbeat may be adding to.
    let _guard = crate::db::lock::lock_learner(user.id).await;
    crate::db::enrollment::enroll(&db, user.id, module.id).await?;
    learning::refresh_enrollment(&db, user.id, module.id).await?;
    tracing::info!(target: "learning", event = "enrolled", user = %user.id, module = %module.id);
    Ok(())
}

pub async fn set_status(module_id: &str, status: &str) -> Result<(), AppError> {
    let user = require_user().await?;
    let db = db()?;
    let module = id(module_id, "moduleId")?;
    let status = match EnrollmentStatus::parse(status) {
        Some(s @ (EnrollmentStatus::Active | EnrollmentStatus::Paused | EnrollmentStatus::Dropped)) => s,
        _ => {
            let mut e = crate::model::FieldErrors::new();
            e.add("status", "Choose active, paused or dropped");
            return Err(AppError::Invalid(e));
        }
    };
    // Under the learner's lock, like every change to their documents (a completion cannot slip in between).
    let _guard = crate::db::lock::lock_learner(user.id).await;
    crate::db::enrollment::set_status(&db, user.id, module, status).await?;
    Ok(())
}

fn learner(user: &crate::db::user::User) -> Learner {
    let agent = leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|parts| {
            parts.headers.get(axum::http::header::USER_AGENT).and_then(|v| v.to_str().ok()).map(str::to_string)
        })
        .unwrap_or_default();
    Learner {
        id: user.id,
        device: crate::domain::client::device(&agent),
        browser: crate::domain::client::browser(&agent),
    }
}

/// An item the learner may work on now: they are enrolled (active or
/// completed) and, with `gate`, the item is not locked.
struct Access {
    learner: Learner,
    item: Item,
    enrollment: Enrollment,
    contents: Vec<Content>,
    states: HashMap<ObjectId, (bool, f64)>,
    module: Module,
    /// The learner wants achievement notifications.
    notify: bool,
    /// The learner's study minutes and streak, as read with the learner.
    study: crate::db::stats::StudyRecord,
}

async fn access(content_id: &str, module_id: Option<&str>, gate: bool) -> Result<Access, AppError> {
    let user = require_user().await?;
    let db = db()?;
    let content_id = id(content_id, "contentId")?;
    let content = crate::db::content::cached(&db, content_id)
        .await?
        .filter(|c| c.is_active)
        .ok_or_else(|| AppError::NotFound("This content".into()))?;
    if let Some(m) = module_id
        && id(m, "moduleId")? != content.module
    {
        return Err(AppError::NotFound("This content".into()));
    }
    let module = active_module(&db, content.module).await?;
    let enrollment = crate::db::enrollment::get(&db, user.id, module.id).await?;
    let enrollment = match enrollment {
        Some(e) if matches!(e.status, EnrollmentStatus::Active | EnrollmentStatus::Completed) => e,
        Some(e) => {
            return Err(AppError::Forbidden(format!(
                "Your enrollment in “{}” is {}; resume it on the module page to continue.",
                module.title, e.status
            )));
        }
        None => {
            return Err(AppError::Forbidden(format!(
                "Enroll in “{}” on its module page to open its content.",
                module.title
            )));
        }
    };
    let (contents, states) = if gate {
        let contents = active_contents(&db, module.id).await?;
        let states = gates::item_states(&db, Some(user.id), module.id).await?;
        let needs = gating::content_needs(
            module.settings.require_sequential_completion,
            &gates::items(&contents, &states),
            &content.id.to_hex(),
        );
        if !needs.is_empty() {
            return Err(locked(&needs));
        }
        (contents, states)
    } else {
        (Vec::new(), HashMap::new())
    };
    Ok(Access {
        learner: learner(&user),
        item: Item::new(content),
        enrollment,
        contents,
        states,
        module,
        notify: user.preferences.achievement_notifications,
        study: crate::db::stats::StudyRecord::of(&user),
    })
}

fn progress_view(p: &Progress, item: &Item) -> ProgressView {
    let cs = &p.content_specific;
    let (attempts, best) = match item.content.kind {
        ContentType::Lab => (cs.lab_attempts, cs.lab_score.unwrap_or(0.0)),
        _ => (cs.game_attempts, cs.game_best_score),
    };
    ProgressView {
        percentage: p.progress.percentage,
        position: p.progress.current_position,
        completed: p.progress.is_completed,
        time_spent_seconds: p.time_spent.total,
        attempts,
        best_score: best,
        hints_used: cs.hints_used,
        last_result: cs.last_result.clone(),
        watched: cs.watched_segments.clone(),
        video_length: cs.video_length,
        sections_read: cs
            .pages_read
            .iter()
            .filter(|r| crate::domain::progress::is_read(&learning::section_time(r)))
            .map(|r| r.page)
            .collect(),
        bookmarks: cs
            .bookmarks
            .iter()
            .map(|b| BookmarkView {
                section: b.page,
                note: b.note.clone(),
                created_ms: b.created_at.timestamp_millis(),
            })
            .collect(),
        rating: p.analytics.user_rating,
        difficulty_rating: p.analytics.difficulty_rating,
        feedback: p.analytics.feedback.clone(),
    }
}

/// The answer to a learning request: progress, enrollment and, when the
/// learner wants them, the achievements it earned (then marked announced).
async fn outcome<T>(r: &Recorded<T>, a: &Access) -> Result<Outcome, AppError> {
    let achievements: Vec<EarnedView> = if a.notify {
        r.earned
            .iter()
            .map(|e| EarnedView {
                title: e.achievement.title.clone(),
                description: e.achievement.description.clone(),
                icon: e.achievement.icon.clone(),
                color: e.achievement.color.clone(),
                rarity: e.achievement.rarity,
                points: e.achievement.rewards.points,
            })
            .collect()
    } else {
        Vec::new()
    };
    if !achievements.is_empty() {
        let ids: Vec<ObjectId> = r.earned.iter().map(|e| e.award).collect();
        crate::db::awards::mark_notified(&db()?, &ids).await?;
    }
    Ok(Outcome {
        progress: progress_view(&r.progress, &a.item),
        enrollment: enrollment_view(&r.enrollment),
        just_completed: r.just_completed,
        module_completed: r.module_completed,
        achievements,
        points: r.points,
    })
}

fn lab_solution(item: &Item, p: &Progress) -> Option<String> {
    let cs = &p.content_specific;
    let visible = grading::solution_visible(
        cs.lab_completed,
        cs.hints_used,
        item.content.content.lab_hints.len(),
        cs.lab_attempts,
    );
    visible.then(|| item.content.content.lab_solution.as_deref().map(crate::markdown::to_html)).flatten()
}

fn game_of(item: &Item) -> Result<GameData, AppError> {
    item.content.game().ok_or_else(|| {
        tracing::error!(content = %item.content.id, "stored game data does not fit its game type");
        AppError::Internal
    })
}

fn body(item: &Item, p: &Progress, path: Option<&str>) -> Result<PlayerBody, AppError> {
    let c = &item.content.content;
    Ok(match item.content.kind {
        ContentType::Video => PlayerBody::Video {
            url: c.video_url.clone(),
            video_id: c.video_id.clone(),
            captions: c.captions.clone(),
            thumbnail: c.thumbnail_url.clone(),
            allow_speed_control: item.content.settings.allow_speed_control,
        },
        ContentType::Lab => {
            let cs = &p.content_specific;
            let solution = lab_solution(item, p);
            PlayerBody::Lab {
                instructions: crate::markdown::to_html(c.lab_instructions.as_deref().unwrap_or_default()),
                environment: c.lab_environment.as_deref().map(crate::markdown::to_html),
                hint_count: u32::try_from(c.lab_hints.len()).unwrap_or(0),
                hints: c.lab_hints.iter().take(usize::try_from(cs.hints_used).unwrap_or(0)).cloned().collect(),
                solution_available: solution.is_some(),
                solution,
                has_solution: c.lab_solution.is_some(),
            }
        }
        ContentType::Game => {
            let game = game_of(item)?;
            let walk = match &game {
                GameData::Scenario(s) => {
                    let path = grading::split_path(path.unwrap_or_default());
                    Some(grading::walk_scenario(s, &path).or_else(|_| grading::walk_scenario(s, &[])).map_err(|e| {
                        tracing::error!(content = %item.content.id, error = %e, "scenario cannot start");
                        AppError::Internal
                    })?)
                }
                _ => None,
            };
            PlayerBody::Game {
                game_type: game.game_type(),
                instructions: c.game_instructions.clone(),
                objectives: c.game_objectives.clone(),
                game: Box::new(game.public()),
                walk: walk.map(Box::new),
            }
        }
        ContentType::Document => PlayerBody::Document {
            format: c.document_format.unwrap_or(crate::model::DocumentFormat::Markdown),
            sections: match (&c.document_content, c.document_format) {
                (Some(text), Some(format)) => crate::markdown::sections(text, format, "Introduction"),
                _ => Vec::new(),
            },
            url: c.document_url.clone(),
        },
    })
}

pub async fn player(module_id: &str, content_id: &str, path: Option<&str>) -> Result<Player, AppError> {
    let db = db()?;
    let a = access(content_id, Some(module_id), true).await?;
    let p = learning::open(&db, &a.learner, &a.item, a.enrollment.clone()).await?;
    let mut states = a.states.clone();
    states.insert(a.item.content.id, (p.progress.is_completed, p.progress.percentage));
    let items = syllabus(&a.contents, &states, a.module.settings.require_sequential_completion, None);
    let at = a.contents.iter().position(|c| c.id == a.item.content.id);
    let neighbour = |i: Option<usize>| i.and_then(|i| a.contents.get(i)).map(|c| c.id.to_hex());
    let c = &a.item.content;
    Ok(Player {
        module: Named { id: a.module.id.to_hex(), title: a.module.title.clone() },
        syllabus: items,
        item: PlayerItem {
            id: c.id.to_hex(),
            title: c.title.clone(),
            description: c.description.clone(),
            kind: c.kind,
            duration: c.duration.map(count),
            completion: c.completion_criteria.kind,
            required_percentage: c.completion_criteria.required_percentage,
            required_interactions: c.completion_criteria.required_interactions,
            body: body(&a.item, &p, path)?,
        },
        previous: neighbour(at.and_then(|i| i.checked_sub(1))),
        next: neighbour(at.map(|i| i + 1)),
        progress: progress_view(&p, &a.item),
        enrollment: enrollment_view(&a.enrollment),
        attempt: ObjectId::new().to_hex(),
    })
}

fn check_beat(beat: &Beat) -> Result<(), AppError> {
    let mut e = crate::model::FieldErrors::new();
    let finite = |x: f64| x.is_finite() && (0.0..=86_400.0).contains(&x);
    e.check("position", finite(beat.position), "The position must be between 0 and 86400");
    e.check(
        "speed",
        beat.speed.is_finite() && (0.0..=16.0).contains(&beat.speed),
        "The speed must be between 0 and 16",
    );
    if let Some(len) = beat.length {
        e.check("length", finite(len), "The length must be between 0 and 86400 seconds");
    }
    if let Some(s) = beat.segment {
        e.check(
            "segment",
            finite(s.start) && finite(s.end) && s.end >= s.start,
            "The segment must be a range of seconds",
        );
    }
    for (field, n) in [("pauses", beat.pauses), ("seeks", beat.seeks), ("replays", beat.replays)] {
        e.check(field, (0..=1000).contains(&n), "Counts must be between 0 and 1000");
    }
    e.finish(()).map_err(AppError::Invalid)
}

pub async fn heartbeat(content_id: &str, beat: &Beat) -> Result<Outcome, AppError> {
    check_beat(beat)?;
    // The learner's lock before `access` reads the learner and the
    // enrollment, so the heartbeat writes from those reads instead of reading
    // both again under the lock (two of its eight database round trips).
    let locked = crate::auth::session::request_user_id().await?;
    let _guard = match locked {
        Some(id) => Some(crate::db::lock::lock_learner(id).await),
        None => None,
    };
    let a = access(content_id, None, false).await?;
    let db = db()?;
    let r = if locked == Some(a.learner.id) {
        let (enrollment, current) = (a.enrollment.clone(), learning::Freshness::Current);
        learning::heartbeat_locked(&db, &a.learner, &a.item, enrollment, current, &a.study, beat).await?
    } else {
        learning::heartbeat(&db, &a.learner, &a.item, a.enrollment.clone(), beat).await?
    };
    outcome(&r, &a).await
}

fn check_attempt(attempt: &str) -> Result<(), AppError> {
    let ok =
        (8..=64).contains(&attempt.len()) && attempt.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        return Ok(());
    }
    let mut e = crate::model::FieldErrors::new();
    e.add("attempt", "The form is out of date; reload the page and try again");
    Err(AppError::Invalid(e))
}

pub async fn submit_game(
    content_id: &str,
    attempt: &str,
    answers: HashMap<String, String>,
) -> Result<GameOutcome, AppError> {
    check_attempt(attempt)?;
    let mut e = crate::model::FieldErrors::new();
    e.check("answers", answers.len() <= grading::MAX_ANSWERS, "Too many answers for one game");
    e.check(
        "answers",
        answers.iter().all(|(k, v)| k.len() <= grading::MAX_ANSWER_LEN && v.len() <= grading::MAX_ANSWER_LEN),
        "An answer is too long",
    );
    e.finish(()).map_err(AppError::Invalid)?;
    let a = access(content_id, None, true).await?;
    if a.item.content.kind != ContentType::Game {
        return Err(AppError::NotFound("This game".into()));
    }
    let game = game_of(&a.item)?;
    if let GameData::Scenario(s) = &game {
        let path = grading::split_path(answers.get("path").map(String::as_str).unwrap_or_default());
        let walk = grading::walk_scenario(s, &path).map_err(|message| {
            let mut e = crate::model::FieldErrors::new();
            e.add("path", message);
            AppError::Invalid(e)
        })?;
        if walk.graded.is_none() {
            let mut e = crate::model::FieldErrors::new();
            e.add("path", "Play the scenario to one of its endings before submitting");
            return Err(AppError::Invalid(e));
        }
    }
    let graded = grading::grade(&game, &answers);
    let r = learning::submit_game(&db()?, &a.learner, &a.item, a.enrollment.clone(), attempt, graded).await?;
    tracing::info!(target: "learning", event = "game_submitted", user = %a.learner.id, content = %a.item.content.id, score = r.value.score);
    Ok(GameOutcome { graded: r.value.clone(), outcome: outcome(&r, &a).await? })
}

pub async fn submit_lab(content_id: &str, attempt: &str, answer: &str) -> Result<LabOutcome, AppError> {
    check_attempt(attempt)?;
    if answer.trim().is_empty() || answer.len() > grading::MAX_ANSWER_LEN {
        let mut e = crate::model::FieldErrors::new();
        e.add("answer", format!("Enter your answer (up to {} characters)", grading::MAX_ANSWER_LEN));
        return Err(AppError::Invalid(e));
    }
    let a = access(content_id, None, true).await?;
    if a.item.content.kind != ContentType::Lab {
        return Err(AppError::NotFound("This lab".into()));
    }
    let r = learning::submit_lab(&db()?, &a.learner, &a.item, a.enrollment.clone(), attempt, answer).await?;
    let message = match (r.value.correct, r.value.already_solved) {
        (true, true) => "Correct — you had already solved this lab.".to_string(),
        (true, false) => "Correct! Lab solved.".to_string(),
        (false, true) => "That is not the answer, but you have already solved this lab.".to_string(),
        (false, false) => "Not quite. Check your work and try again.".to_string(),
    };
    Ok(LabOutcome {
        correct: r.value.correct,
        message,
        score: r.progress.content_specific.lab_score,
        solution: lab_solution(&a.item, &r.progress),
        outcome: outcome(&r, &a).await?,
    })
}

pub async fn reveal_hint(content_id: &str, number: i32) -> Result<Vec<String>, AppError> {
    let a = access(content_id, None, true).await?;
    if a.item.content.kind != ContentType::Lab {
        return Err(AppError::NotFound("This lab".into()));
    }
    let r = learning::reveal_hint(&db()?, &a.learner, &a.item, a.enrollment.clone(), number).await?;
    Ok(a.item.content.content.lab_hints.iter().take(usize::try_from(r.value).unwrap_or(0)).cloned().collect())
}

pub async fn mark_done(content_id: &str) -> Result<Outcome, AppError> {
    let a = access(content_id, None, true).await?;
    let r = learning::mark_done(&db()?, &a.learner, &a.item, a.enrollment.clone()).await?;
    outcome(&r, &a).await
}

pub async fn add_bookmark(content_id: &str, section: i32, note: &str) -> Result<Outcome, AppError> {
    let a = access(content_id, None, false).await?;
    if a.item.content.kind != ContentType::Document {
        return Err(AppError::NotFound("This document".into()));
    }
    let r = learning::add_bookmark(&db()?, &a.learner, &a.item, a.enrollment.clone(), section, note).await?;
    outcome(&r, &a).await
}

pub async fn delete_bookmark(content_id: &str, section: i32, created_ms: i64) -> Result<Outcome, AppError> {
    let a = access(content_id, None, false).await?;
    let r = learning::delete_bookmark(&db()?, &a.learner, &a.item, a.enrollment.clone(), section, created_ms).await?;
    outcome(&r, &a).await
}

pub async fn rate(content_id: &str, rating: i32, difficulty: Option<i32>, feedback: &str) -> Result<Outcome, AppError> {
    let a = access(content_id, None, false).await?;
    let r = learning::rate(&db()?, &a.learner, &a.item, a.enrollment.clone(), rating, difficulty, feedback).await?;
    outcome(&r, &a).await
}
