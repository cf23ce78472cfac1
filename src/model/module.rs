//! A module as submitted by an admin form or an import, and its validation.

use serde::{Deserialize, Serialize};

use super::enums::Difficulty;
use super::validation::{
    FieldErrors, check_ids, clean_list, is_object_id, order_and_difficulty, trim, trim_opt, whole_at_least,
};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct InstructorInput {
    pub name: Option<String>,
    pub bio: Option<String>,
    pub avatar: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ModuleSettingsInput {
    pub allow_download: bool,
    pub require_sequential_completion: bool,
    pub certificate_eligible: bool,
}

impl Default for ModuleSettingsInput {
    /// The spec's defaults: no download, sequential completion, no certificate.
    fn default() -> Self {
        ModuleSettingsInput { allow_download: false, require_sequential_completion: true, certificate_eligible: false }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ModuleInput {
    pub title: String,
    pub description: String,
    pub short_description: Option<String>,
    pub phase: String,
    pub order: Option<f64>,
    pub difficulty: String,
    /// Minutes.
    pub estimated_duration: Option<f64>,
    pub prerequisites: Vec<String>,
    pub learning_objectives: Vec<String>,
    pub skills: Vec<String>,
    pub tags: Vec<String>,
    pub image: Option<String>,
    pub icon: Option<String>,
    pub instructor: InstructorInput,
    pub is_active: Option<bool>,
    pub is_featured: bool,
    pub settings: ModuleSettingsInput,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValidModule {
    pub title: String,
    pub description: String,
    pub short_description: Option<String>,
    pub phase: String,
    pub order: i32,
    pub difficulty: Difficulty,
    pub estimated_duration: Option<i32>,
    pub prerequisites: Vec<String>,
    pub learning_objectives: Vec<String>,
    pub skills: Vec<String>,
    pub tags: Vec<String>,
    pub image: Option<String>,
    pub icon: Option<String>,
    pub instructor: InstructorInput,
    pub is_active: bool,
    pub is_featured: bool,
    pub settings: ModuleSettingsInput,
}

impl ModuleInput {
    pub fn validate(&self) -> Result<ValidModule, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = trim(&self.title);
        e.required("title", &title, "Module title is required");
        e.max_len("title", &title, 100, "Title cannot exceed 100 characters");
        e.required("description", self.description.trim(), "Module description is required");
        e.max_len("description", &self.description, 2000, "Description cannot exceed 2000 characters");
        let short_description = trim_opt(self.short_description.as_deref());
        e.max_len_opt(
            "shortDescription",
            short_description.as_deref(),
            300,
            "Short description cannot exceed 300 characters",
        );
        let phase = self.phase.trim().to_string();
        if phase.is_empty() {
            e.add("phase", "Phase is required");
        } else if !is_object_id(&phase) {
            e.add("phase", format!("Cast to ObjectId failed for value \"{phase}\" at path \"phase\""));
        }
        let (order, difficulty) = order_and_difficulty(&mut e, self.order, &self.difficulty);
        let estimated_duration =
            self.estimated_duration.and_then(|d| whole_at_least(&mut e, "estimatedDuration", d, 1.0));
        check_ids(&mut e, "prerequisites", &self.prerequisites);
        let learning_objectives = clean_list(&self.learning_objectives);
        e.max_len_each(
            "learningObjectives",
            &learning_objectives,
            200,
            "Learning objective cannot exceed 200 characters",
        );
        let skills = clean_list(&self.skills);
        e.max_len_each("skills", &skills, 50, "Skill cannot exceed 50 characters");
        let tags = clean_list(&self.tags);
        e.max_len_each("tags", &tags, 30, "Tag cannot exceed 30 characters");

        let (Some(order), Some(difficulty)) = (order, difficulty) else {
            return Err(e);
        };
        e.finish(ValidModule {
            title,
            description: self.description.clone(),
            short_description,
            phase,
            order,
            difficulty,
            estimated_duration,
            prerequisites: self.prerequisites.clone(),
            learning_objectives,
            skills,
            tags,
            image: trim_opt(self.image.as_deref()),
            icon: trim_opt(self.icon.as_deref()),
            instructor: InstructorInput {
                name: trim_opt(self.instructor.name.as_deref()),
                bio: trim_opt(self.instructor.bio.as_deref()),
                avatar: trim_opt(self.instructor.avatar.as_deref()),
            },
            is_active: self.is_active.unwrap_or(true),
            is_featured: self.is_featured,
            settings: self.settings.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PHASE: &str = "5f1d7f3a9b1e8a3c4d5e6f70";

    fn valid() -> ModuleInput {
        ModuleInput {
            title: "Injection".into(),
            description: "SQL and command injection.".into(),
            phase: PHASE.into(),
            order: Some(2.0),
            difficulty: "intermediate".into(),
            ..ModuleInput::default()
        }
    }

    #[test]
    fn defaults_follow_the_spec() {
        let m = valid().validate().unwrap();
        assert!(m.is_active && !m.is_featured);
        assert!(m.settings.require_sequential_completion);
        assert!(!m.settings.allow_download && !m.settings.certificate_eligible);
    }

    #[test]
    fn every_rule_has_its_message() {
        type Case = crate::model::validation::RuleCase<ModuleInput>;
        let cases: &[Case] = &[
            ("title", |m| m.title = "".into(), "Module title is required"),
            ("title", |m| m.title = "x".repeat(101), "Title cannot exceed 100 characters"),
            ("description", |m| m.description = " ".into(), "Module description is required"),
            ("description", |m| m.description = "x".repeat(2001), "Description cannot exceed 2000 characters"),
            (
                "shortDescription",
                |m| m.short_description = Some("x".repeat(301)),
                "Short description cannot exceed 300 characters",
            ),
            ("phase", |m| m.phase = "".into(), "Phase is required"),
            (
                "phase",
                |m| m.phase = "{\"$ne\":1}".into(),
                "Cast to ObjectId failed for value \"{\"$ne\":1}\" at path \"phase\"",
            ),
            ("order", |m| m.order = None, "Path `order` is required."),
            ("order", |m| m.order = Some(-3.0), "Path `order` (-3) is less than minimum allowed value (1)."),
            ("difficulty", |m| m.difficulty = "hard".into(), "`hard` is not a valid enum value for path `difficulty`."),
            (
                "estimatedDuration",
                |m| m.estimated_duration = Some(0.0),
                "Path `estimatedDuration` (0) is less than minimum allowed value (1).",
            ),
            (
                "learningObjectives.0",
                |m| m.learning_objectives = vec!["x".repeat(201)],
                "Learning objective cannot exceed 200 characters",
            ),
            ("skills.0", |m| m.skills = vec!["x".repeat(51)], "Skill cannot exceed 50 characters"),
            ("tags.0", |m| m.tags = vec!["x".repeat(31)], "Tag cannot exceed 30 characters"),
        ];
        crate::model::validation::assert_rules(valid, ModuleInput::validate, cases);
    }

    #[test]
    fn all_problems_are_reported_at_once() {
        let errors = ModuleInput::default().validate().unwrap_err();
        for field in ["title", "description", "phase", "order", "difficulty"] {
            assert!(errors.get(field).is_some(), "{field} missing from {errors:?}");
        }
    }
}
