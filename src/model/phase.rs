//! A phase as submitted by an admin form or an import, and its validation.

use serde::{Deserialize, Serialize};

use super::enums::Difficulty;
use super::validation::{
    FieldErrors, check_ids, clean_list, is_hex_color, order_and_difficulty, trim, trim_opt, whole_at_least,
};

pub const DEFAULT_COLOR: &str = "#00ff41";

/// Raw input: enums and ids as text, numbers as submitted.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PhaseInput {
    pub title: String,
    pub description: String,
    pub short_description: Option<String>,
    pub order: Option<f64>,
    pub difficulty: String,
    /// Hours.
    pub estimated_duration: Option<f64>,
    pub tags: Vec<String>,
    pub objectives: Vec<String>,
    pub prerequisites: Vec<String>,
    pub image: Option<String>,
    pub icon: Option<String>,
    pub color: Option<String>,
    pub is_active: Option<bool>,
}

/// A phase that passed every rule: trimmed, typed, defaults applied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValidPhase {
    pub title: String,
    pub description: String,
    pub short_description: Option<String>,
    pub order: i32,
    pub difficulty: Difficulty,
    pub estimated_duration: Option<i32>,
    pub tags: Vec<String>,
    pub objectives: Vec<String>,
    pub prerequisites: Vec<String>,
    pub image: Option<String>,
    pub icon: Option<String>,
    pub color: String,
    pub is_active: bool,
}

impl PhaseInput {
    pub fn validate(&self) -> Result<ValidPhase, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = trim(&self.title);
        e.required("title", &title, "Phase title is required");
        e.max_len("title", &title, 100, "Title cannot exceed 100 characters");
        e.required("description", self.description.trim(), "Phase description is required");
        e.max_len("description", &self.description, 1000, "Description cannot exceed 1000 characters");
        let short_description = trim_opt(self.short_description.as_deref());
        e.max_len_opt(
            "shortDescription",
            short_description.as_deref(),
            200,
            "Short description cannot exceed 200 characters",
        );

        let (order, difficulty) = order_and_difficulty(&mut e, self.order, &self.difficulty);
        let estimated_duration =
            self.estimated_duration.and_then(|d| whole_at_least(&mut e, "estimatedDuration", d, 1.0));

        let tags = clean_list(&self.tags);
        e.max_len_each("tags", &tags, 30, "Tag cannot exceed 30 characters");
        let objectives = clean_list(&self.objectives);
        e.max_len_each("objectives", &objectives, 200, "Objective cannot exceed 200 characters");
        check_ids(&mut e, "prerequisites", &self.prerequisites);

        let color = trim_opt(self.color.as_deref()).unwrap_or_else(|| DEFAULT_COLOR.to_string());
        e.check("color", is_hex_color(&color), "Color must be a hex colour such as #00ff41");

        let (Some(order), Some(difficulty)) = (order, difficulty) else {
            return Err(e);
        };
        e.finish(ValidPhase {
            title,
            description: self.description.clone(),
            short_description,
            order,
            difficulty,
            estimated_duration,
            tags,
            objectives,
            prerequisites: self.prerequisites.clone(),
            image: trim_opt(self.image.as_deref()),
            icon: trim_opt(self.icon.as_deref()),
            color,
            is_active: self.is_active.unwrap_or(true),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> PhaseInput {
        PhaseInput {
            title: "  Foundations ".into(),
            description: "Networks and Linux.".into(),
            order: Some(1.0),
            difficulty: "beginner".into(),
            tags: vec![" linux ".into(), "".into()],
            ..PhaseInput::default()
        }
    }

    #[test]
    fn a_valid_phase_is_trimmed_and_defaulted() {
        let phase = valid().validate().unwrap();
        assert_eq!(phase.title, "Foundations");
        assert_eq!(phase.tags, ["linux"]);
        assert_eq!(phase.color, "#00ff41");
        assert!(phase.is_active);
        assert_eq!(phase.difficulty, Difficulty::Beginner);
    }

    #[test]
    fn every_rule_has_its_message() {
        type Case = crate::model::validation::RuleCase<PhaseInput>;
        let cases: &[Case] = &[
            ("title", |p| p.title = "   ".into(), "Phase title is required"),
            ("title", |p| p.title = "x".repeat(101), "Title cannot exceed 100 characters"),
            ("description", |p| p.description = "".into(), "Phase description is required"),
            ("description", |p| p.description = "x".repeat(1001), "Description cannot exceed 1000 characters"),
            (
                "shortDescription",
                |p| p.short_description = Some("x".repeat(201)),
                "Short description cannot exceed 200 characters",
            ),
            ("order", |p| p.order = None, "Path `order` is required."),
            ("order", |p| p.order = Some(0.0), "Path `order` (0) is less than minimum allowed value (1)."),
            ("order", |p| p.order = Some(1.5), "Path `order` must be a whole number."),
            ("difficulty", |p| p.difficulty = "".into(), "Path `difficulty` is required."),
            ("difficulty", |p| p.difficulty = "easy".into(), "`easy` is not a valid enum value for path `difficulty`."),
            (
                "estimatedDuration",
                |p| p.estimated_duration = Some(0.0),
                "Path `estimatedDuration` (0) is less than minimum allowed value (1).",
            ),
            ("tags.0", |p| p.tags = vec!["x".repeat(31)], "Tag cannot exceed 30 characters"),
            (
                "objectives.1",
                |p| p.objectives = vec!["ok".into(), "x".repeat(201)],
                "Objective cannot exceed 200 characters",
            ),
            (
                "prerequisites.0",
                |p| p.prerequisites = vec!["nope".into()],
                "Cast to ObjectId failed for value \"nope\" at path \"prerequisites\"",
            ),
            ("color", |p| p.color = Some("green".into()), "Color must be a hex colour such as #00ff41"),
        ];
        crate::model::validation::assert_rules(valid, PhaseInput::validate, cases);
        // Boundaries are allowed.
        let mut input = valid();
        input.title = "x".repeat(100);
        input.description = "x".repeat(1000);
        input.tags = vec!["x".repeat(30)];
        assert!(input.validate().is_ok());
    }
}
