//! A content item (video, lab, game, document) as submitted, and its validation.

use serde::{Deserialize, Serialize};

use super::enums::{CompletionType, ContentType, Difficulty, DocumentFormat, GameType};
use super::game::GameData;
use super::validation::{
    FieldErrors, clean_list, default_required, is_object_id, order_and_difficulty, trim, trim_opt, whole_at_least,
};

/// The type-specific part (`content` in the spec). Only the fields of the
/// item's `type` are kept after validation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ContentBodyInput {
    pub video_url: Option<String>,
    pub video_id: Option<String>,
    pub thumbnail_url: Option<String>,
    pub captions: Option<String>,
    pub lab_instructions: Option<String>,
    pub lab_environment: Option<String>,
    pub lab_solution: Option<String>,
    pub lab_hints: Vec<String>,
    /// Accepted answers of a lab (Foothold's addition: the spec has no field
    /// for the flag a lab checks). Never sent to the browser.
    pub lab_flags: Vec<String>,
    pub game_type: Option<String>,
    pub game_data: Option<serde_json::Value>,
    pub game_instructions: Option<String>,
    pub game_objectives: Vec<String>,
    pub document_url: Option<String>,
    pub document_content: Option<String>,
    pub document_format: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CompletionCriteriaInput {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub required_percentage: Option<f64>,
    pub required_interactions: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ContentMetadataInput {
    pub file_size: Option<f64>,
    pub resolution: Option<String>,
    pub language: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ContentSettings {
    pub allow_skip: bool,
    pub allow_download: bool,
    pub allow_speed_control: bool,
}

impl Default for ContentSettings {
    fn default() -> Self {
        ContentSettings { allow_skip: false, allow_download: false, allow_speed_control: true }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ContentInput {
    pub title: String,
    pub description: Option<String>,
    pub module: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub order: Option<f64>,
    /// Minutes.
    pub duration: Option<f64>,
    pub content: ContentBodyInput,
    pub section: Option<String>,
    pub subsection: Option<String>,
    pub tags: Vec<String>,
    pub difficulty: String,
    pub completion_criteria: CompletionCriteriaInput,
    pub is_active: Option<bool>,
    pub is_free: Option<bool>,
    pub metadata: ContentMetadataInput,
    pub settings: ContentSettings,
}

/// The type-specific body after validation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ValidBody {
    Video {
        video_url: Option<String>,
        video_id: Option<String>,
        thumbnail_url: Option<String>,
        captions: Option<String>,
    },
    Lab {
        instructions: String,
        environment: Option<String>,
        solution: Option<String>,
        hints: Vec<String>,
        flags: Vec<String>,
    },
    Game {
        game_type: GameType,
        data: GameData,
        instructions: Option<String>,
        objectives: Vec<String>,
    },
    Document {
        url: Option<String>,
        content: Option<String>,
        format: DocumentFormat,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValidCompletion {
    pub kind: CompletionType,
    pub required_percentage: f64,
    pub required_interactions: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValidContent {
    pub title: String,
    pub description: Option<String>,
    pub module: String,
    pub kind: ContentType,
    pub order: i32,
    pub duration: Option<i32>,
    pub body: ValidBody,
    pub section: Option<String>,
    pub subsection: Option<String>,
    pub tags: Vec<String>,
    pub difficulty: Difficulty,
    pub completion: ValidCompletion,
    pub is_active: bool,
    pub is_free: bool,
    pub file_size: Option<f64>,
    pub resolution: Option<String>,
    pub language: String,
    pub settings: ContentSettings,
}

impl ContentInput {
    pub fn validate(&self) -> Result<ValidContent, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = trim(&self.title);
        e.required("title", &title, "Content title is required");
        e.max_len("title", &title, 150, "Title cannot exceed 150 characters");
        e.max_len_opt("description", self.description.as_deref(), 1000, "Description cannot exceed 1000 characters");
        let module = self.module.trim().to_string();
        if module.is_empty() {
            e.add("module", "Module is required");
        } else if !is_object_id(&module) {
            e.add("module", format!("Cast to ObjectId failed for value \"{module}\" at path \"module\""));
        }
        let kind = if self.kind.is_empty() {
            e.add("type", "Content type is required");
            None
        } else {
            ContentType::parse_field(&mut e, "type", &self.kind)
        };
        let (order, difficulty) = order_and_difficulty(&mut e, self.order, &self.difficulty);
        let duration = self.duration.and_then(|d| whole_at_least(&mut e, "duration", d, 1.0));
        let section = trim_opt(self.section.as_deref());
        e.max_len_opt("section", section.as_deref(), 100, "Section cannot exceed 100 characters");
        let subsection = trim_opt(self.subsection.as_deref());
        e.max_len_opt("subsection", subsection.as_deref(), 100, "Subsection cannot exceed 100 characters");
        let tags = clean_list(&self.tags);
        e.max_len_each("tags", &tags, 30, "Tag cannot exceed 30 characters");

        let criteria = &self.completion_criteria;
        let completion_kind = match criteria.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
            None => Some(CompletionType::TimeBased),
            Some(k) => CompletionType::parse_field(&mut e, "completionCriteria.type", k),
        };
        let required_percentage = criteria.required_percentage.unwrap_or(90.0);
        e.range("completionCriteria.requiredPercentage", required_percentage, Some(0.0), Some(100.0));
        let required_interactions = criteria
            .required_interactions
            .and_then(|n| whole_at_least(&mut e, "completionCriteria.requiredInteractions", n, 1.0));
        e.range_opt("metadata.fileSize", self.metadata.file_size, Some(0.0), None);

        let body = kind.and_then(|kind| self.body(kind, &mut e));
        let (Some(kind), Some(order), Some(difficulty), Some(completion_kind), Some(body)) =
            (kind, order, difficulty, completion_kind, body)
        else {
            return Err(e);
        };
        e.finish(ValidContent {
            title,
            description: self.description.clone().filter(|d| !d.trim().is_empty()),
            module,
            kind,
            order,
            duration,
            body,
            section,
            subsection,
            tags,
            difficulty,
            completion: ValidCompletion { kind: completion_kind, required_percentage, required_interactions },
            is_active: self.is_active.unwrap_or(true),
            is_free: self.is_free.unwrap_or(true),
            file_size: self.metadata.file_size,
            resolution: trim_opt(self.metadata.resolution.as_deref()),
            language: trim_opt(self.metadata.language.as_deref()).unwrap_or_else(|| "en".into()),
            settings: self.settings.clone(),
        })
    }

    fn body(&self, kind: ContentType, e: &mut FieldErrors) -> Option<ValidBody> {
        let c = &self.content;
        match kind {
            ContentType::Video => {
                let video_url = trim_opt(c.video_url.as_deref());
                let video_id = trim_opt(c.video_id.as_deref());
                if video_url.is_none() && video_id.is_none() {
                    e.add("content.videoUrl", "A video needs a video URL or a video id");
                    return None;
                }
                Some(ValidBody::Video {
                    video_url,
                    video_id,
                    thumbnail_url: trim_opt(c.thumbnail_url.as_deref()),
                    captions: trim_opt(c.captions.as_deref()),
                })
            }
            ContentType::Lab => {
                let instructions = trim_opt(c.lab_instructions.as_deref());
                let flags = clean_list(&c.lab_flags);
                if instructions.is_none() {
                    e.add("content.labInstructions", "A lab needs instructions");
                }
                if flags.is_empty() {
                    e.add("content.labFlags", "A lab needs at least one accepted answer (flag)");
                }
                let instructions = instructions?;
                if flags.is_empty() {
                    return None;
                }
                Some(ValidBody::Lab {
                    instructions,
                    environment: trim_opt(c.lab_environment.as_deref()),
                    solution: trim_opt(c.lab_solution.as_deref()),
                    hints: clean_list(&c.lab_hints),
                    flags,
                })
            }
            ContentType::Game => {
                let game_type = match c.game_type.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                    None => {
                        e.add("content.gameType", "A game needs a game type");
                        return None;
                    }
                    Some(t) => GameType::parse_field(e, "content.gameType", t)?,
                };
                let Some(raw) = c.game_data.clone() else {
                    e.add("content.gameData", default_required("content.gameData"));
                    return None;
                };
                let data = match GameData::from_json(game_type, raw) {
                    Ok(data) => data,
                    Err(message) => {
                        e.add("content.gameData", message);
                        return None;
                    }
                };
                data.validate(e);
                Some(ValidBody::Game {
                    game_type,
                    data,
                    instructions: trim_opt(c.game_instructions.as_deref()),
                    objectives: clean_list(&c.game_objectives),
                })
            }
            ContentType::Document => {
                let url = trim_opt(c.document_url.as_deref());
                let content = c.document_content.clone().filter(|d| !d.trim().is_empty());
                if url.is_none() && content.is_none() {
                    e.add("content.documentContent", "A document needs its text or a document URL");
                }
                let format = match c.document_format.as_deref().map(str::trim).filter(|f| !f.is_empty()) {
                    None => {
                        e.add("content.documentFormat", "A document needs a format");
                        None
                    }
                    Some(f) => DocumentFormat::parse_field(e, "content.documentFormat", f),
                }?;
                if url.is_none() && content.is_none() {
                    return None;
                }
                Some(ValidBody::Document { url, content, format })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const MODULE: &str = "5f1d7f3a9b1e8a3c4d5e6f70";

    fn base(kind: &str) -> ContentInput {
        ContentInput {
            title: "Item".into(),
            module: MODULE.into(),
            kind: kind.into(),
            order: Some(1.0),
            difficulty: "beginner".into(),
            ..ContentInput::default()
        }
    }

    fn video() -> ContentInput {
        let mut c = base("video");
        c.content.video_url = Some("/media/intro.webm".into());
        c
    }

    #[test]
    fn defaults_follow_the_spec() {
        let v = video().validate().unwrap();
        assert_eq!(v.completion.kind, CompletionType::TimeBased);
        assert_eq!(v.completion.required_percentage, 90.0);
        assert_eq!(v.language, "en");
        assert!(v.is_active && v.is_free);
        assert_eq!(v.settings, ContentSettings { allow_skip: false, allow_download: false, allow_speed_control: true });
    }

    #[test]
    fn every_rule_has_its_message() {
        type Case = crate::model::validation::RuleCase<ContentInput>;
        let cases: &[Case] = &[
            ("title", |c| c.title = " ".into(), "Content title is required"),
            ("title", |c| c.title = "x".repeat(151), "Title cannot exceed 150 characters"),
            ("description", |c| c.description = Some("x".repeat(1001)), "Description cannot exceed 1000 characters"),
            ("module", |c| c.module = "".into(), "Module is required"),
            ("type", |c| c.kind = "".into(), "Content type is required"),
            ("type", |c| c.kind = "podcast".into(), "`podcast` is not a valid enum value for path `type`."),
            ("order", |c| c.order = Some(0.0), "Path `order` (0) is less than minimum allowed value (1)."),
            ("duration", |c| c.duration = Some(0.0), "Path `duration` (0) is less than minimum allowed value (1)."),
            ("section", |c| c.section = Some("x".repeat(101)), "Section cannot exceed 100 characters"),
            ("subsection", |c| c.subsection = Some("x".repeat(101)), "Subsection cannot exceed 100 characters"),
            ("tags.0", |c| c.tags = vec!["x".repeat(31)], "Tag cannot exceed 30 characters"),
            ("difficulty", |c| c.difficulty = "".into(), "Path `difficulty` is required."),
            (
                "completionCriteria.type",
                |c| c.completion_criteria.kind = Some("vibes".into()),
                "`vibes` is not a valid enum value for path `completionCriteria.type`.",
            ),
            (
                "completionCriteria.requiredPercentage",
                |c| c.completion_criteria.required_percentage = Some(101.0),
                "Path `completionCriteria.requiredPercentage` (101) is more than maximum allowed value (100).",
            ),
            (
                "completionCriteria.requiredPercentage",
                |c| c.completion_criteria.required_percentage = Some(-1.0),
                "Path `completionCriteria.requiredPercentage` (-1) is less than minimum allowed value (0).",
            ),
            ("content.videoUrl", |c| c.content.video_url = None, "A video needs a video URL or a video id"),
        ];
        crate::model::validation::assert_rules(video, ContentInput::validate, cases);
    }

    #[test]
    fn each_type_needs_its_own_fields() {
        let errors = base("lab").validate().unwrap_err();
        assert_eq!(errors.get("content.labInstructions"), Some("A lab needs instructions"));
        assert_eq!(errors.get("content.labFlags"), Some("A lab needs at least one accepted answer (flag)"));
        let mut lab = base("lab");
        lab.content.lab_instructions = Some("Find the flag in /var/log.".into());
        lab.content.lab_flags = vec!["FLAG{logs}".into()];
        assert!(matches!(lab.validate().unwrap().body, ValidBody::Lab { .. }));

        let errors = base("document").validate().unwrap_err();
        assert!(errors.get("content.documentContent").is_some() && errors.get("content.documentFormat").is_some());
        let mut doc = base("document");
        doc.content.document_content = Some("# Title".into());
        doc.content.document_format = Some("wiki".into());
        assert_eq!(
            doc.validate().unwrap_err().get("content.documentFormat"),
            Some("`wiki` is not a valid enum value for path `content.documentFormat`.")
        );

        let mut game = base("game");
        assert_eq!(game.validate().unwrap_err().get("content.gameType"), Some("A game needs a game type"));
        game.content.game_type = Some("quiz".into());
        game.content.game_data = Some(json!({ "questions": [] }));
        assert_eq!(
            game.validate().unwrap_err().get("content.gameData.questions"),
            Some("A quiz needs at least one question")
        );
        game.content.game_data =
            Some(json!({ "questions": [{ "id": "q", "prompt": "2+2?", "choices": ["3", "4"], "correct": [1] }] }));
        assert!(matches!(game.validate().unwrap().body, ValidBody::Game { game_type: GameType::Quiz, .. }));
    }
}
