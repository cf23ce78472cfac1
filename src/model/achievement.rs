//! Achievement definitions as submitted by an admin, and their validation.

use serde::{Deserialize, Serialize};

use super::enums::{
    AchievementCategory, AchievementDifficulty, AchievementType, ConditionOperator, Rarity, TargetType, Timeframe,
};
use super::phase::DEFAULT_COLOR;
use super::validation::{FieldErrors, check_ids, default_required, is_hex_color, trim, trim_opt, whole_at_least};

/// Learner fields an achievement `condition` may test (an allow-list: a
/// condition can never reach a password hash, a token or another collection).
pub const CONDITION_FIELDS: &[&str] = &[
    "stats.totalPoints",
    "stats.level",
    "stats.coursesCompleted",
    "stats.labsCompleted",
    "stats.gamesCompleted",
    "stats.totalStudyTime",
    "currentStreak",
    "longestStreak",
    "experienceLevel",
    "profile.location",
    "profile.bio",
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Condition {
    pub field: String,
    pub operator: ConditionOperator,
    /// A number, text or true/false (the spec's `Mixed`, narrowed).
    pub value: serde_json::Value,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ConditionInput {
    pub field: String,
    pub operator: String,
    pub value: serde_json::Value,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CriteriaInput {
    pub target_value: Option<f64>,
    pub target_type: Option<String>,
    pub required_modules: Vec<String>,
    pub required_phases: Vec<String>,
    pub minimum_score: Option<f64>,
    pub timeframe: Option<String>,
    pub consecutive_days: Option<f64>,
    pub conditions: Vec<ConditionInput>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RewardsInput {
    pub points: Option<f64>,
    pub badge: String,
    pub title: Option<String>,
    pub certificate: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AchievementInput {
    pub title: String,
    pub description: String,
    pub category: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub criteria: CriteriaInput,
    pub rewards: RewardsInput,
    pub icon: String,
    pub color: Option<String>,
    pub rarity: Option<String>,
    pub is_hidden: bool,
    pub is_active: Option<bool>,
    pub order: Option<f64>,
    pub difficulty: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ValidCriteria {
    pub target_value: Option<f64>,
    pub target_type: Option<TargetType>,
    pub required_modules: Vec<String>,
    pub required_phases: Vec<String>,
    pub minimum_score: Option<f64>,
    pub timeframe: Option<Timeframe>,
    pub consecutive_days: Option<i32>,
    pub conditions: Vec<Condition>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValidAchievement {
    pub title: String,
    pub description: String,
    pub category: AchievementCategory,
    pub kind: AchievementType,
    pub criteria: ValidCriteria,
    pub points: i32,
    pub badge: String,
    pub reward_title: Option<String>,
    pub certificate: bool,
    pub icon: String,
    pub color: String,
    pub rarity: Rarity,
    pub is_hidden: bool,
    pub is_active: bool,
    pub order: i32,
    pub difficulty: AchievementDifficulty,
}

fn optional_enum<T>(
    e: &mut FieldErrors,
    field: &str,
    value: Option<&str>,
    parse: fn(&mut FieldErrors, &str, &str) -> Option<T>,
) -> Result<Option<T>, ()> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => parse(e, field, v).map(Some).ok_or(()),
    }
}

impl AchievementInput {
    pub fn validate(&self) -> Result<ValidAchievement, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = trim(&self.title);
        e.required("title", &title, "Achievement title is required");
        e.max_len("title", &title, 100, "Title cannot exceed 100 characters");
        e.required("description", self.description.trim(), "Achievement description is required");
        e.max_len("description", &self.description, 500, "Description cannot exceed 500 characters");
        let category = if self.category.is_empty() {
            e.add("category", "Category is required");
            None
        } else {
            AchievementCategory::parse_field(&mut e, "category", &self.category)
        };
        let kind = if self.kind.is_empty() {
            e.add("type", "Type is required");
            None
        } else {
            AchievementType::parse_field(&mut e, "type", &self.kind)
        };

        let c = &self.criteria;
        let target_type =
            optional_enum(&mut e, "criteria.targetType", c.target_type.as_deref(), TargetType::parse_field);
        e.range_opt("criteria.targetValue", c.target_value, Some(0.0), None);
        check_ids(&mut e, "criteria.requiredModules", &c.required_modules);
        check_ids(&mut e, "criteria.requiredPhases", &c.required_phases);
        e.range_opt("criteria.minimumScore", c.minimum_score, Some(0.0), Some(100.0));
        let timeframe = optional_enum(&mut e, "criteria.timeframe", c.timeframe.as_deref(), Timeframe::parse_field);
        let consecutive_days =
            c.consecutive_days.and_then(|d| whole_at_least(&mut e, "criteria.consecutiveDays", d, 1.0));
        let mut conditions = Vec::new();
        for (i, condition) in c.conditions.iter().enumerate() {
            let at = format!("criteria.conditions.{i}");
            if !CONDITION_FIELDS.contains(&condition.field.as_str()) {
                e.add(format!("{at}.field"), format!("Conditions can test only: {}", CONDITION_FIELDS.join(", ")));
            }
            let operator = ConditionOperator::parse_field(&mut e, &format!("{at}.operator"), &condition.operator);
            let scalar = condition.value.is_number() || condition.value.is_string() || condition.value.is_boolean();
            e.check(&format!("{at}.value"), scalar, "A condition value must be a number, text or true/false");
            if let Some(operator) = operator
                && scalar
            {
                conditions.push(Condition { field: condition.field.clone(), operator, value: condition.value.clone() });
            }
        }

        // What each type needs to be decidable.
        match kind {
            Some(AchievementType::Milestone) if c.target_type.is_none() || c.target_value.is_none() => {
                e.add("criteria.targetValue", "A milestone needs a target type and a target value");
            }
            Some(AchievementType::Streak) if c.consecutive_days.is_none() && c.target_value.is_none() => {
                e.add("criteria.consecutiveDays", "A streak achievement needs a number of consecutive days");
            }
            Some(AchievementType::Completion) if c.required_modules.is_empty() && c.required_phases.is_empty() => {
                e.add("criteria.requiredModules", "A completion achievement needs modules or phases to complete");
            }
            Some(AchievementType::Mastery) if c.minimum_score.is_none() => {
                e.add("criteria.minimumScore", "A mastery achievement needs a minimum score");
            }
            Some(AchievementType::TimeBased) if c.timeframe.is_none() || c.target_value.is_none() => {
                e.add("criteria.timeframe", "A time-based achievement needs a timeframe and a target value");
            }
            _ => {}
        }

        e.range_opt("rewards.points", self.rewards.points, Some(0.0), None);
        let badge = trim(&self.rewards.badge);
        if badge.is_empty() {
            e.add("rewards.badge", default_required("rewards.badge"));
        }
        let icon = trim(&self.icon);
        e.required("icon", &icon, "Icon is required");
        let color = trim_opt(self.color.as_deref()).unwrap_or_else(|| DEFAULT_COLOR.to_string());
        e.check("color", is_hex_color(&color), "Color must be a hex colour such as #00ff41");
        let rarity = optional_enum(&mut e, "rarity", self.rarity.as_deref(), Rarity::parse_field);
        let difficulty = optional_enum(
            &mut e,
            "metadata.difficulty",
            self.difficulty.as_deref(),
            AchievementDifficulty::parse_field,
        );

        let (Some(category), Some(kind), Ok(target_type), Ok(timeframe), Ok(rarity), Ok(difficulty)) =
            (category, kind, target_type, timeframe, rarity, difficulty)
        else {
            return Err(e);
        };
        e.finish(ValidAchievement {
            title,
            description: self.description.clone(),
            category,
            kind,
            criteria: ValidCriteria {
                target_value: c.target_value,
                target_type,
                required_modules: c.required_modules.clone(),
                required_phases: c.required_phases.clone(),
                minimum_score: c.minimum_score,
                timeframe,
                consecutive_days,
                conditions,
            },
            points: self.rewards.points.map_or(0, |p| p.min(i32::MAX as f64) as i32),
            badge,
            reward_title: trim_opt(self.rewards.title.as_deref()),
            certificate: self.rewards.certificate,
            icon,
            color,
            rarity: rarity.unwrap_or(Rarity::Common),
            is_hidden: self.is_hidden,
            is_active: self.is_active.unwrap_or(true),
            order: self.order.map_or(0, |o| o as i32),
            difficulty: difficulty.unwrap_or(AchievementDifficulty::Medium),
        })
    }
}

/// The spec's `earnRate` virtual: earned / eligible as a percentage, 0 when nobody is eligible.
pub fn earn_rate(earned_count: i64, total_eligible: i64) -> f64 {
    if total_eligible <= 0 { 0.0 } else { earned_count as f64 / total_eligible as f64 * 100.0 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn valid() -> AchievementInput {
        AchievementInput {
            title: "First Blood".into(),
            description: "Complete your first lab.".into(),
            category: "progress".into(),
            kind: "milestone".into(),
            criteria: CriteriaInput {
                target_type: Some("content_completed".into()),
                target_value: Some(1.0),
                ..Default::default()
            },
            rewards: RewardsInput { points: Some(50.0), badge: "first-blood".into(), ..Default::default() },
            icon: "droplet".into(),
            ..Default::default()
        }
    }

    #[test]
    fn defaults_follow_the_spec() {
        let a = valid().validate().unwrap();
        assert_eq!(a.color, "#00ff41");
        assert_eq!(a.rarity, Rarity::Common);
        assert_eq!(a.difficulty, AchievementDifficulty::Medium);
        assert!(!a.is_hidden && a.is_active && !a.certificate);
        assert_eq!((a.order, a.points), (0, 50));
    }

    #[test]
    fn every_rule_has_its_message() {
        type Case = crate::model::validation::RuleCase<AchievementInput>;
        let cases: &[Case] = &[
            ("title", |a| a.title = "".into(), "Achievement title is required"),
            ("title", |a| a.title = "x".repeat(101), "Title cannot exceed 100 characters"),
            ("description", |a| a.description = "".into(), "Achievement description is required"),
            ("description", |a| a.description = "x".repeat(501), "Description cannot exceed 500 characters"),
            ("category", |a| a.category = "".into(), "Category is required"),
            ("category", |a| a.category = "fun".into(), "`fun` is not a valid enum value for path `category`."),
            ("type", |a| a.kind = "".into(), "Type is required"),
            ("type", |a| a.kind = "luck".into(), "`luck` is not a valid enum value for path `type`."),
            (
                "criteria.targetType",
                |a| a.criteria.target_type = Some("likes".into()),
                "`likes` is not a valid enum value for path `criteria.targetType`.",
            ),
            (
                "criteria.minimumScore",
                |a| a.criteria.minimum_score = Some(101.0),
                "Path `criteria.minimumScore` (101) is more than maximum allowed value (100).",
            ),
            (
                "criteria.timeframe",
                |a| a.criteria.timeframe = Some("yearly".into()),
                "`yearly` is not a valid enum value for path `criteria.timeframe`.",
            ),
            (
                "criteria.requiredModules.0",
                |a| a.criteria.required_modules = vec!["x".into()],
                "Cast to ObjectId failed for value \"x\" at path \"criteria.requiredModules\"",
            ),
            (
                "rewards.points",
                |a| a.rewards.points = Some(-1.0),
                "Path `rewards.points` (-1) is less than minimum allowed value (0).",
            ),
            ("rewards.badge", |a| a.rewards.badge = "".into(), "Path `rewards.badge` is required."),
            ("icon", |a| a.icon = "".into(), "Icon is required"),
            ("rarity", |a| a.rarity = Some("mythic".into()), "`mythic` is not a valid enum value for path `rarity`."),
            (
                "metadata.difficulty",
                |a| a.difficulty = Some("trivial".into()),
                "`trivial` is not a valid enum value for path `metadata.difficulty`.",
            ),
            (
                "criteria.targetValue",
                |a| a.criteria.target_value = None,
                "A milestone needs a target type and a target value",
            ),
        ];
        crate::model::validation::assert_rules(valid, AchievementInput::validate, cases);
    }

    #[test]
    fn conditions_are_allow_listed_and_scalar() {
        let mut a = valid();
        a.criteria.conditions = vec![
            ConditionInput { field: "stats.totalPoints".into(), operator: "greater_than".into(), value: json!(100) },
            ConditionInput {
                field: "security.passwordResetToken".into(),
                operator: "equals".into(),
                value: json!("x"),
            },
            ConditionInput { field: "currentStreak".into(), operator: "between".into(), value: json!(1) },
            ConditionInput { field: "currentStreak".into(), operator: "equals".into(), value: json!({ "$gt": 0 }) },
        ];
        let errors = a.validate().unwrap_err();
        assert!(errors.get("criteria.conditions.0.field").is_none());
        assert!(errors.get("criteria.conditions.1.field").unwrap().starts_with("Conditions can test only"));
        assert_eq!(
            errors.get("criteria.conditions.2.operator"),
            Some("`between` is not a valid enum value for path `criteria.conditions.2.operator`.")
        );
        assert_eq!(
            errors.get("criteria.conditions.3.value"),
            Some("A condition value must be a number, text or true/false")
        );
    }

    #[test]
    fn each_type_needs_its_criteria() {
        for (kind, field) in [
            ("streak", "criteria.consecutiveDays"),
            ("completion", "criteria.requiredModules"),
            ("mastery", "criteria.minimumScore"),
            ("time_based", "criteria.timeframe"),
        ] {
            let mut a = valid();
            a.kind = kind.into();
            a.criteria = CriteriaInput::default();
            assert!(a.validate().unwrap_err().get(field).is_some(), "{kind}");
        }
    }

    #[test]
    fn earn_rate_matches_the_virtual() {
        assert_eq!(earn_rate(0, 0), 0.0);
        assert_eq!(earn_rate(5, 20), 25.0);
    }
}
