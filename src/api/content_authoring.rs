//! Content authoring for administrators: a module's items (videos, labs,
//! games, documents) in order, the form of one item with defaults that suit
//! its type, saving it, and a markdown preview.
//!
//! The quiz editor posts its questions as a [`QuizDraft`] (plain inputs, so it
//! works without JavaScript); [`quiz_from_draft`] turns that into the quiz's
//! `gameData`. The other game types are edited as JSON ([`game_data_from_json`]).
//! Either way the result goes through the data model's own validation, so
//! the messages are the spec's and nothing is written when one is broken.
//!
//! Moving, activating and deleting an item go through the generic
//! `admin/move`, `admin/set_active` and `admin/delete` of
//! [`super::authoring`] with `kind = content`.

use std::collections::HashSet;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::model::content::ContentInput;
use crate::model::game::{QuizData, QuizQuestion};
use crate::model::{ContentType, FieldErrors, GameType};

/// Where the game data's messages live (the data model's own key).
pub const GAME_DATA: &str = "content.gameData";

/// One item of a module as the content list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContentRow {
    pub id: String,
    pub title: String,
    pub kind: ContentType,
    pub game_type: Option<GameType>,
    pub order: i32,
    pub is_active: bool,
    pub section: Option<String>,
    /// Minutes.
    pub duration: Option<i32>,
}

/// A module's content, inactive items included, with the module's counters
/// (which count active items only) so an admin sees them follow each change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModuleContent {
    pub module_id: String,
    pub module_title: String,
    pub module_active: bool,
    pub total_content: i32,
    /// Minutes.
    pub total_duration: i32,
    pub rows: Vec<ContentRow>,
}

/// What the item form shows: the current values (defaults for a new item),
/// the quiz for the quiz editor, the JSON of any other game, and the stored
/// markdown rendered as learners see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContentForm {
    pub id: Option<String>,
    pub module_title: String,
    pub input: ContentInput,
    /// Set for quizzes (empty for a new one).
    pub quiz: Option<QuizData>,
    /// Pretty JSON of a scenario, puzzle or simulation (an example for a new one).
    pub game_json: String,
    pub lab_preview: Option<String>,
    pub document_preview: Option<String>,
    /// Learners with progress on this item: deleting it is refused while this is not zero.
    pub learners: u64,
}

/// One question of the quiz editor, as its inputs post it. `choices` keep
/// their positions (blank ones included) so that `correct` — the positions
/// of the ticked boxes — still points at the right choices.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct QuestionDraft {
    /// Empty for a question added in the editor; kept for existing ones,
    /// so learners' answers stay tied to the same question.
    pub id: String,
    pub prompt: String,
    pub choices: Vec<String>,
    pub correct: Vec<usize>,
    pub explanation: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct QuizDraft {
    pub questions: Vec<QuestionDraft>,
    /// Empty means the data model's default (70).
    pub pass_percentage: Option<f64>,
}

/// The quiz a draft describes, and for each kept question its position in
/// the draft (so messages can point at the question the admin sees).
///
/// A question left entirely blank is dropped (that is how the editor's spare
/// question, or a cleared one, goes away); blank choices are dropped and
/// the correct positions renumbered to match; a question added in the
/// editor gets the first free id `q1`, `q2`, …
pub fn quiz_from_draft(draft: &QuizDraft, errors: &mut FieldErrors) -> (QuizData, Vec<usize>) {
    let mut taken: HashSet<String> =
        draft.questions.iter().map(|q| q.id.trim().to_string()).filter(|id| !id.is_empty()).collect();
    let mut next = 1;
    let mut positions = Vec::new();
    let mut questions = Vec::new();
    for (at, q) in draft.questions.iter().enumerate() {
        let kept: Vec<(usize, &str)> =
            q.choices.iter().map(|c| c.trim()).enumerate().filter(|(_, c)| !c.is_empty()).collect();
        if q.prompt.trim().is_empty() && kept.is_empty() && q.explanation.trim().is_empty() {
            continue;
        }
        let mut correct: Vec<usize> =
            q.correct.iter().filter_map(|c| kept.iter().position(|(was, _)| was == c)).collect();
        correct.sort_unstable();
        correct.dedup();
        let id = match q.id.trim() {
            "" => loop {
                let candidate = format!("q{next}");
                next += 1;
                if taken.insert(candidate.clone()) {
                    break candidate;
                }
            },
            id => id.to_string(),
        };
        questions.push(QuizQuestion {
            id,
            prompt: q.prompt.trim().to_string(),
            choices: kept.into_iter().map(|(_, c)| c.to_string()).collect(),
            correct,
            explanation: q.explanation.trim().to_string(),
        });
        positions.push(at);
    }
    let field = format!("{GAME_DATA}.passPercentage");
    let pass_percentage = match draft.pass_percentage {
        None => 70,
        Some(p) => {
            errors.range(&field, p, Some(0.0), Some(100.0));
            if p.is_finite() && p.fract() != 0.0 {
                errors.add(&field, format!("Path `{field}` must be a whole number."));
            }
            if p.is_finite() { p.clamp(0.0, 100.0) as u8 } else { 70 }
        }
    };
    (QuizData { questions, pass_percentage }, positions)
}

/// Points messages about kept question `k` (`content.gameData.questions.k…`)
/// at the question's position in the editor instead.
pub fn at_draft_positions(errors: FieldErrors, positions: &[usize]) -> FieldErrors {
    let prefix = format!("{GAME_DATA}.questions.");
    let mut out = FieldErrors::new();
    for (key, message) in errors.0 {
        let moved = key.strip_prefix(&prefix).and_then(|rest| {
            let (index, tail) = rest.split_once('.').map_or((rest, ""), |(i, t)| (i, t));
            let at = positions.get(index.parse::<usize>().ok()?)?;
            Some(if tail.is_empty() { format!("{prefix}{at}") } else { format!("{prefix}{at}.{tail}") })
        });
        out.add(moved.unwrap_or(key), message);
    }
    out
}

/// The JSON editor's text as `gameData`, or a message (under
/// `content.gameData`) saying where it is broken.
pub fn game_data_from_json(text: &str, game_type: GameType, errors: &mut FieldErrors) -> Option<serde_json::Value> {
    if text.trim().is_empty() {
        errors.add(GAME_DATA, format!("Write the {game_type}'s game data as JSON (a new item starts with an example)"));
        return None;
    }
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(value) if value.is_object() => Some(value),
        Ok(_) => {
            errors.add(GAME_DATA, "The game data must be one JSON object: { … }");
            None
        }
        Err(e) => {
            errors.add(GAME_DATA, format!("This is not valid JSON: {e}"));
            None
        }
    }
}

/// A module's content list (`module_id`), inactive items included.
#[server(endpoint = "admin/module_content")]
pub async fn get_module_content(#[server(default)] module_id: String) -> Result<ModuleContent, AppError> {
    let db = ssr::admin().await?.0;
    ssr::module_content(&db, &module_id).await.map_err(crate::server::fail)
}

/// The form of item `id`; or, when `id` is empty, of a new item of type
/// `kind` (`video`, `lab`, `game`, `document`; a game of type `game`,
/// quiz by default) at the end of module `module`.
#[server(endpoint = "admin/content_form")]
pub async fn get_content_form(
    #[server(default)] id: String,
    #[server(default)] module: String,
    #[server(default)] kind: String,
    #[server(default)] game: String,
) -> Result<ContentForm, AppError> {
    let db = ssr::admin().await?.0;
    ssr::form(&db, &id, &module, &kind, &game).await.map_err(crate::server::fail)
}

/// Creates an item (empty `id`) or replaces one's fields; answers its id
/// and returns to the module's content list. A quiz's questions come from
/// `quiz`, any other game's data from the JSON in `game_json`.
#[server(endpoint = "admin/save_content")]
pub async fn save_content(
    #[server(default)] id: String,
    #[server(default)] form: ContentInput,
    #[server(default)] quiz: QuizDraft,
    #[server(default)] game_json: String,
) -> Result<String, AppError> {
    let (db, admin) = ssr::admin().await?;
    let (saved, module) = ssr::save(&db, &admin, &id, form, &quiz, &game_json).await.map_err(crate::server::fail)?;
    leptos_axum::redirect(&format!("/admin/modules/{module}/content"));
    Ok(saved)
}

/// Markdown as learners will see it: rendered and sanitised HTML.
#[server(endpoint = "admin/preview_markdown")]
pub async fn preview_markdown(#[server(default)] text: String) -> Result<String, AppError> {
    ssr::admin().await?;
    ssr::preview(&text).map_err(crate::server::fail)
}

#[cfg(feature = "ssr")]
mod ssr {
    use mongodb::Database;
    use mongodb::bson::oid::ObjectId;
    use serde_json::json;

    use super::{
        ContentForm, ContentRow, ModuleContent, QuizDraft, at_draft_positions, game_data_from_json, quiz_from_draft,
    };
    use crate::db::audit::Entry;
    use crate::db::content::Content;
    use crate::db::error::RepoError;
    use crate::db::structure::Siblings;
    use crate::db::user::User;
    use crate::error::AppError;
    use crate::model::content::{CompletionCriteriaInput, ContentInput};
    use crate::model::game::QuizData;
    use crate::model::{ContentType, DocumentFormat, FieldErrors, GameType};

    /// The longest text the preview renders (a long document is ~100 kB).
    const PREVIEW_LIMIT: usize = 200_000;

    pub async fn admin() -> Result<(Database, User), AppError> {
        let admin = crate::auth::guard::require_active_admin().await?;
        Ok((crate::server::state()?.db, admin))
    }

    fn id(value: &str, field: &str) -> Result<ObjectId, AppError> {
        Ok(crate::db::oid(value, field)?)
    }

    async fn module_of(db: &Database, module: ObjectId) -> Result<crate::db::module::Module, AppError> {
        crate::db::module::get(db, module).await?.ok_or_else(|| AppError::NotFound("This module".into()))
    }

    async fn content_of(db: &Database, item: ObjectId) -> Result<Content, AppError> {
        crate::db::content::get(db, item).await?.ok_or_else(|| AppError::NotFound("This content item".into()))
    }

    pub async fn module_content(db: &Database, raw: &str) -> Result<ModuleContent, AppError> {
        let module = module_of(db, id(raw, "module_id")?).await?;
        let rows = crate::db::content::list_for_module(db, module.id)
            .await?
            .into_iter()
            .map(|c| ContentRow {
                id: c.id.to_hex(),
                title: c.title,
                kind: c.kind,
                game_type: c.content.game_type,
                order: c.order,
                is_active: c.is_active,
                section: c.section,
                duration: c.duration,
            })
            .collect();
        Ok(ModuleContent {
            module_id: module.id.to_hex(),
            module_title: module.title,
            module_active: module.is_active,
            total_content: module.metadata.total_content,
            total_duration: module.metadata.total_duration,
            rows,
        })
    }

    /// A small valid `gameData` for a new game, to edit rather than write from nothing.
    pub fn example(game_type: GameType) -> serde_json::Value {
        match game_type {
            GameType::Quiz => json!({ "questions": [], "passPercentage": 70 }),
            GameType::Scenario => json!({
                "start": "alert",
                "passPercentage": 70,
                "steps": [
                    { "id": "alert", "title": "An alert", "narrative": "Your EDR flags a workstation.", "choices": [
                        { "id": "isolate", "text": "Isolate the host", "next": "report", "points": 10,
                          "consequence": "The spread stops." },
                        { "id": "ignore", "text": "Ignore it", "next": "breach", "points": -10,
                          "consequence": "The alert was real." }
                    ]},
                    { "id": "report", "title": "Report", "narrative": "You write up what happened.", "choices": [] },
                    { "id": "breach", "title": "Breach", "narrative": "Data leaves the network.", "choices": [] }
                ]
            }),
            GameType::Puzzle => json!({
                "kind": "order",
                "prompt": "Put the incident response steps in order.",
                "items": ["Prepare", "Detect", "Contain", "Recover"]
            }),
            GameType::Simulation => json!({
                "brief": "Spot the signs of phishing in this email.",
                "artifact": "email",
                "passPercentage": 70,
                "parts": [
                    { "id": "from", "label": "From", "text": "it-support@examp1e.com", "suspicious": true,
                      "explanation": "A look-alike domain." },
                    { "id": "body", "label": "Body", "text": "Hello, the meeting moved to 3 pm.", "suspicious": false }
                ]
            }),
        }
    }

    /// The defaults of a new item of `kind` at the end of `module`: the
    /// completion rule that suits the type (watch/read 90 % for videos and
    /// documents, one pass for labs and games), markdown documents, the
    /// module's difficulty.
    fn new_input(module: &crate::db::module::Module, count: usize, kind: ContentType, game: GameType) -> ContentInput {
        let mut input = ContentInput {
            module: module.id.to_hex(),
            kind: kind.as_str().into(),
            order: Some(count as f64 + 1.0),
            difficulty: module.difficulty.as_str().into(),
            ..ContentInput::default()
        };
        input.completion_criteria = match kind {
            ContentType::Video | ContentType::Document => CompletionCriteriaInput {
                kind: Some("time_based".into()),
                required_percentage: Some(90.0),
                required_interactions: None,
            },
            ContentType::Lab | ContentType::Game => CompletionCriteriaInput {
                kind: Some("interaction_based".into()),
                required_percentage: Some(90.0),
                required_interactions: Some(1.0),
            },
        };
        match kind {
            ContentType::Game => {
                input.content.game_type = Some(game.as_str().into());
                input.content.game_data = Some(example(game));
            }
            ContentType::Document => input.content.document_format = Some(DocumentFormat::Markdown.as_str().into()),
            ContentType::Video | ContentType::Lab => {}
        }
        input
    }

    /// A document's stored text rendered as the player shows it.
    fn document_html(input: &ContentInput) -> Option<String> {
        let text = input.content.document_content.as_deref().filter(|t| !t.trim().is_empty())?;
        match input.content.document_format.as_deref().and_then(DocumentFormat::parse)? {
            DocumentFormat::Markdown => Some(crate::markdown::to_html(text)),
            DocumentFormat::Html => Some(crate::markdown::sanitise(text)),
            DocumentFormat::Text => Some(format!("<pre>{}</pre>", ammonia::clean_text(text))),
            DocumentFormat::Pdf => None,
        }
    }

    pub async fn form(db: &Database, raw: &str, module: &str, kind: &str, game: &str) -> Result<ContentForm, AppError> {
        let (found, input, learners, module_title) = if raw.is_empty() {
            let module = module_of(db, id(module, "module")?).await?;
            let kind = ContentType::parse(kind)
                .ok_or_else(|| RepoError::field("type", "Choose video, lab, game or document"))?;
            let game = match game {
                "" => GameType::Quiz,
                g => GameType::parse(g)
                    .ok_or_else(|| RepoError::field("game", "Choose quiz, scenario, puzzle or simulation"))?,
            };
            let count = crate::db::content::list_for_module(db, module.id).await?.len();
            (None, new_input(&module, count, kind, game), 0, module.title)
        } else {
            let item = content_of(db, id(raw, "id")?).await?;
            let learners = crate::db::content::progress_count(db, item.id).await?;
            let module_title = module_of(db, item.module).await?.title;
            (Some(item.id), item.to_input(), learners, module_title)
        };
        let game_type = input.content.game_type.as_deref().and_then(GameType::parse);
        let (quiz, game_json) = match (input.kind.as_str(), game_type) {
            ("game", Some(GameType::Quiz)) => {
                let quiz = input
                    .content
                    .game_data
                    .clone()
                    .and_then(|data| serde_json::from_value::<QuizData>(data).ok())
                    .unwrap_or(QuizData { questions: Vec::new(), pass_percentage: 70 });
                (Some(quiz), String::new())
            }
            ("game", Some(_)) => {
                let data = input.content.game_data.clone().unwrap_or(serde_json::Value::Null);
                (None, serde_json::to_string_pretty(&data).unwrap_or_default())
            }
            _ => (None, String::new()),
        };
        let lab_preview =
            input.content.lab_instructions.as_deref().filter(|t| !t.trim().is_empty()).map(crate::markdown::to_html);
        Ok(ContentForm {
            id: found.map(|i| i.to_hex()),
            module_title,
            document_preview: document_html(&input),
            lab_preview,
            input,
            quiz,
            game_json,
            learners,
        })
    }

    /// Puts `item` at `position` (1-based; past the end means last) among
    /// its module's items and renumbers them 1, 2, 3, …
    async fn place(db: &Database, module: ObjectId, item: ObjectId, position: i32) -> Result<(), AppError> {
        let mut ids: Vec<ObjectId> = crate::db::content::list_for_module(db, module)
            .await?
            .into_iter()
            .map(|c| c.id)
            .filter(|c| *c != item)
            .collect();
        let at = usize::try_from(position.max(1) - 1).unwrap_or(0).min(ids.len());
        ids.insert(at, item);
        Ok(crate::db::structure::arrange(db, Siblings::ContentOf(module), &ids).await?)
    }

    /// Merges the draft's own problems with the data model's and points
    /// quiz messages at the editor's questions.
    fn refused(mut draft: FieldErrors, form: &ContentInput, positions: &[usize]) -> AppError {
        if let Err(more) = form.validate() {
            for (key, message) in more.0 {
                draft.add(key, message);
            }
        }
        AppError::Invalid(at_draft_positions(draft, positions))
    }

    /// Saves the form; answers the item's id and its module's.
    pub async fn save(
        db: &Database,
        admin: &User,
        raw: &str,
        mut form: ContentInput,
        quiz: &QuizDraft,
        game_json: &str,
    ) -> Result<(String, String), AppError> {
        let before = match raw {
            "" => None,
            raw => Some(content_of(db, id(raw, "id")?).await?),
        };
        if let Some(before) = &before {
            // The form shows these fixed: changing an item's type (or a
            // game's type) would throw its body away, so that is a new item.
            form.kind = before.kind.as_str().into();
            form.module = before.module.to_hex();
            form.content.game_type = before.content.game_type.map(|t| t.as_str().into());
            // Activation has its own button; the form never flips it.
            form.is_active = Some(before.is_active);
            form.order = form.order.or(Some(f64::from(before.order)));
        } else {
            form.is_active = Some(true);
        }

        let mut draft = FieldErrors::new();
        let mut positions = Vec::new();
        form.content.game_data = None;
        if form.kind == "game" {
            match form.content.game_type.as_deref().map(str::trim).and_then(GameType::parse) {
                Some(GameType::Quiz) => {
                    let (data, kept) = quiz_from_draft(quiz, &mut draft);
                    positions = kept;
                    form.content.game_data = Some(serde_json::to_value(&data).map_err(|e| {
                        tracing::error!("a quiz did not serialise: {e}");
                        AppError::Internal
                    })?);
                }
                Some(game_type) => form.content.game_data = game_data_from_json(game_json, game_type, &mut draft),
                None => {} // validation names the missing or unknown game type
            }
        }
        if !draft.is_empty() {
            return Err(refused(draft, &form, &positions));
        }
        let remap = |err: RepoError| match err {
            RepoError::Invalid(errors) => AppError::Invalid(at_draft_positions(errors, &positions)),
            other => other.into(),
        };

        let Some(before) = before else {
            if form.order.is_none()
                && let Ok(module) = crate::db::oid(&form.module, "module")
            {
                form.order = Some(crate::db::content::list_for_module(db, module).await?.len() as f64 + 1.0);
            }
            let item = crate::db::content::create(db, &form).await.map_err(remap)?;
            crate::db::structure::normalise(db, Siblings::ContentOf(item.module), Some(item.id)).await?;
            let after = content_of(db, item.id).await?;
            let entry = Entry::new("content.create", "content", Some(item.id), &item.title).after(&after);
            crate::db::audit::record(db, admin.id, &admin.username, entry).await?;
            return Ok((item.id.to_hex(), item.module.to_hex()));
        };
        let updated = crate::db::content::update(db, before.id, &form).await.map_err(remap)?;
        place(db, updated.module, updated.id, updated.order).await?;
        let after = content_of(db, updated.id).await?;
        let entry = Entry::new("content.update", "content", Some(after.id), &after.title).before(&before).after(&after);
        crate::db::audit::record(db, admin.id, &admin.username, entry).await?;
        Ok((after.id.to_hex(), after.module.to_hex()))
    }

    pub fn preview(text: &str) -> Result<String, AppError> {
        if text.len() > PREVIEW_LIMIT {
            return Err(RepoError::field("text", "This text is too long to preview (over 200,000 characters)").into());
        }
        Ok(crate::markdown::to_html(text))
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn every_example_is_valid_game_data() {
            for game in GameType::ALL {
                if *game == GameType::Quiz {
                    continue; // a new quiz starts empty in the structured editor
                }
                let data = crate::model::game::GameData::from_json(*game, example(*game)).unwrap();
                let mut e = FieldErrors::new();
                data.validate(&mut e);
                assert!(e.is_empty(), "{game}: {e:?}");
            }
        }
    }
}
