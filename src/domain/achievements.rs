//! Whether a learner has earned an achievement, and how far along they are.
//! Pure: the server gathers [`Facts`] from the learner's documents and
//! evaluates every active achievement after each relevant event.
//!
//! By `type`:
//! - `milestone`: the measure named by `targetType` reaches `targetValue`
//!   (within `timeframe` when one is set);
//! - `streak`: the longest streak reaches `consecutiveDays` (or `targetValue`);
//! - `completion`: every `requiredModules` module and `requiredPhases` phase
//!   is completed (a milestone when neither is set);
//! - `mastery`: every required module is completed with each of its scored
//!   items (labs, games) at `minimumScore` or more;
//! - `time_based`: the measure reaches its target within the `timeframe`
//!   (daily: today; weekly: the last 7 days; monthly: the last 30 days; in
//!   the learner's days).
//!
//! Every `conditions` entry must hold as well; fields come from the
//! allow-list `model::achievement::CONDITION_FIELDS`. Points cannot be dated
//! (they are recomputed), so `points_earned` counts all points whatever the timeframe.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use crate::model::achievement::Condition;
use crate::model::{AchievementType, ConditionOperator, TargetType, Timeframe};

/// An achievement's rule (its `type` and `criteria`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rule {
    pub kind: Option<AchievementType>,
    pub target_type: Option<TargetType>,
    pub target_value: Option<f64>,
    pub required_modules: Vec<String>,
    pub required_phases: Vec<String>,
    pub minimum_score: Option<f64>,
    pub timeframe: Option<Timeframe>,
    pub consecutive_days: Option<i32>,
    pub conditions: Vec<Condition>,
}

/// What is known about a learner.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    pub points: i64,
    pub level: i32,
    pub courses_completed: i32,
    pub labs_completed: i32,
    pub games_completed: i32,
    pub study_minutes: f64,
    pub current_streak: i32,
    pub longest_streak: i32,
    pub experience_level: String,
    pub location: Option<String>,
    pub bio: Option<String>,
    pub completed_modules: HashSet<String>,
    pub completed_phases: HashSet<String>,
    /// Per completed module: the lowest best score of its scored items.
    pub module_scores: HashMap<String, f64>,
    /// Learner day numbers of each content completion and module completion.
    pub content_days: Vec<i64>,
    pub module_days: Vec<i64>,
    /// (learner day, seconds) of each study session.
    pub study_days: Vec<(i64, f64)>,
    /// Today in the learner's days.
    pub today: i64,
}

/// How far a learner is toward an achievement.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Standing {
    pub current: f64,
    pub target: f64,
    pub earned: bool,
}

impl Standing {
    pub fn percentage(&self) -> f64 {
        if self.target <= 0.0 { 100.0 } else { (self.current / self.target * 100.0).clamp(0.0, 100.0).floor() }
    }
}

fn window(timeframe: Option<Timeframe>, today: i64) -> Option<(i64, i64)> {
    match timeframe {
        Some(Timeframe::Daily) => Some((today, today)),
        Some(Timeframe::Weekly) => Some((today - 6, today)),
        Some(Timeframe::Monthly) => Some((today - 29, today)),
        Some(Timeframe::AllTime) | None => None,
    }
}

fn measure(target: TargetType, timeframe: Option<Timeframe>, f: &Facts) -> f64 {
    let within = |day: &i64| window(timeframe, f.today).is_none_or(|(from, to)| (from..=to).contains(day));
    match target {
        TargetType::ModulesCompleted => match timeframe {
            Some(Timeframe::AllTime) | None => f64::from(f.courses_completed),
            _ => f.module_days.iter().filter(|d| within(d)).count() as f64,
        },
        TargetType::ContentCompleted => f.content_days.iter().filter(|d| within(d)).count() as f64,
        TargetType::PointsEarned => f.points as f64,
        TargetType::TimeSpent => match timeframe {
            Some(Timeframe::AllTime) | None => f.study_minutes,
            _ => f.study_days.iter().filter(|(d, _)| within(d)).map(|(_, s)| s / 60.0).sum(),
        },
        TargetType::StreakDays => match timeframe {
            Some(Timeframe::AllTime) | None => f64::from(f.longest_streak),
            _ => f64::from(f.current_streak),
        },
    }
}

/// A field of the allow-list, as a number or text.
enum FieldValue<'a> {
    Number(f64),
    Text(&'a str),
    Missing,
}

fn field<'a>(f: &'a Facts, name: &str) -> FieldValue<'a> {
    use FieldValue::*;
    match name {
        "stats.totalPoints" => Number(f.points as f64),
        "stats.level" => Number(f64::from(f.level)),
        "stats.coursesCompleted" => Number(f64::from(f.courses_completed)),
        "stats.labsCompleted" => Number(f64::from(f.labs_completed)),
        "stats.gamesCompleted" => Number(f64::from(f.games_completed)),
        "stats.totalStudyTime" => Number(f.study_minutes),
        "currentStreak" => Number(f64::from(f.current_streak)),
        "longestStreak" => Number(f64::from(f.longest_streak)),
        "experienceLevel" => Text(&f.experience_level),
        "profile.location" => f.location.as_deref().map_or(Missing, Text),
        "profile.bio" => f.bio.as_deref().map_or(Missing, Text),
        _ => Missing,
    }
}

/// Whether one condition holds; unknown fields and mismatched types never do.
pub fn holds(c: &Condition, f: &Facts) -> bool {
    let number = c.value.as_f64().or_else(|| c.value.as_str().and_then(|s| s.trim().parse().ok()));
    match (field(f, &c.field), c.operator) {
        (FieldValue::Number(x), ConditionOperator::Equals) => number.is_some_and(|v| (x - v).abs() < 1e-9),
        (FieldValue::Number(x), ConditionOperator::GreaterThan) => number.is_some_and(|v| x > v),
        (FieldValue::Number(x), ConditionOperator::LessThan) => number.is_some_and(|v| x < v),
        (FieldValue::Text(t), ConditionOperator::Equals) => match &c.value {
            Value::String(v) => t.eq_ignore_ascii_case(v.trim()),
            _ => false,
        },
        (FieldValue::Text(t), ConditionOperator::Contains) => match &c.value {
            Value::String(v) => t.to_lowercase().contains(&v.to_lowercase()),
            _ => false,
        },
        _ => false,
    }
}

fn count_in(required: &[String], done: &HashSet<String>) -> f64 {
    required.iter().filter(|r| done.contains(*r)).count() as f64
}

/// Where the learner stands on `rule`.
pub fn evaluate(rule: &Rule, f: &Facts) -> Standing {
    let target_value = rule.target_value.unwrap_or(1.0).max(0.0);
    let milestone = |timeframe: Option<Timeframe>| match rule.target_type {
        Some(t) => (measure(t, timeframe, f), target_value),
        None => (0.0, target_value.max(1.0)),
    };
    let (current, target) = match rule.kind {
        Some(AchievementType::Milestone) | None => milestone(rule.timeframe),
        Some(AchievementType::TimeBased) => milestone(rule.timeframe.or(Some(Timeframe::Daily))),
        Some(AchievementType::Streak) => {
            let days = rule.consecutive_days.map(f64::from).or(rule.target_value).unwrap_or(1.0);
            (f64::from(f.longest_streak.max(f.current_streak)), days)
        }
        Some(AchievementType::Completion) => {
            let target = (rule.required_modules.len() + rule.required_phases.len()) as f64;
            if target == 0.0 {
                milestone(rule.timeframe)
            } else {
                let current = count_in(&rule.required_modules, &f.completed_modules)
                    + count_in(&rule.required_phases, &f.completed_phases);
                (current, target)
            }
        }
        Some(AchievementType::Mastery) => {
            let minimum = rule.minimum_score.unwrap_or(100.0);
            let mastered = |m: &String| f.module_scores.get(m).is_some_and(|s| *s >= minimum);
            if rule.required_modules.is_empty() {
                (f.module_scores.values().filter(|s| **s >= minimum).count() as f64, target_value.max(1.0))
            } else {
                (
                    rule.required_modules.iter().filter(|m| mastered(m)).count() as f64,
                    rule.required_modules.len() as f64,
                )
            }
        }
    };
    let earned = current >= target && rule.conditions.iter().all(|c| holds(c, f));
    Standing { current, target, earned }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn facts() -> Facts {
        Facts {
            points: 1_200,
            level: 5,
            courses_completed: 2,
            labs_completed: 3,
            games_completed: 4,
            study_minutes: 250.0,
            current_streak: 2,
            longest_streak: 6,
            experience_level: "beginner".into(),
            location: Some("Lyon".into()),
            bio: Some("I play CTFs on weekends".into()),
            completed_modules: ["m1".to_string(), "m2".to_string()].into(),
            completed_phases: ["p1".to_string()].into(),
            module_scores: [("m1".to_string(), 100.0), ("m2".to_string(), 80.0)].into(),
            content_days: vec![90, 95, 99, 100, 100],
            module_days: vec![95, 100],
            study_days: vec![(80, 6_000.0), (97, 1_200.0), (100, 3_000.0)],
            today: 100,
        }
    }

    fn rule(kind: AchievementType) -> Rule {
        Rule { kind: Some(kind), ..Rule::default() }
    }

    fn milestone(target: TargetType, value: f64, timeframe: Option<Timeframe>) -> Rule {
        Rule { target_type: Some(target), target_value: Some(value), timeframe, ..rule(AchievementType::Milestone) }
    }

    fn cond(field: &str, operator: ConditionOperator, value: Value) -> Condition {
        Condition { field: field.into(), operator, value }
    }

    #[test]
    fn milestones_measure_every_target_type() {
        use TargetType::*;
        let f = facts();
        let cases = [
            (milestone(ModulesCompleted, 2.0, None), 2.0, true),
            (milestone(ModulesCompleted, 3.0, Some(Timeframe::AllTime)), 2.0, false),
            (milestone(ContentCompleted, 5.0, None), 5.0, true),
            (milestone(PointsEarned, 1_000.0, None), 1_200.0, true),
            (milestone(PointsEarned, 2_500.0, Some(Timeframe::AllTime)), 1_200.0, false),
            (milestone(TimeSpent, 250.0, None), 250.0, true),
            (milestone(StreakDays, 6.0, None), 6.0, true),
            (milestone(StreakDays, 3.0, Some(Timeframe::Weekly)), 2.0, false),
        ];
        for (r, current, earned) in cases {
            let s = evaluate(&r, &f);
            assert_eq!((s.current, s.earned), (current, earned), "{r:?}");
        }
        let half = evaluate(&milestone(PointsEarned, 2_400.0, None), &f);
        assert_eq!(half.percentage(), 50.0);
    }

    #[test]
    fn timeframes_count_only_their_days() {
        use TargetType::*;
        let f = facts();
        let time_based =
            |target, value, tf| Rule { kind: Some(AchievementType::TimeBased), ..milestone(target, value, tf) };
        let cases = [
            (time_based(TimeSpent, 50.0, Some(Timeframe::Daily)), 50.0, true),
            (time_based(TimeSpent, 120.0, Some(Timeframe::Daily)), 50.0, false),
            (time_based(TimeSpent, 70.0, Some(Timeframe::Weekly)), 70.0, true),
            (time_based(TimeSpent, 170.0, Some(Timeframe::Monthly)), 170.0, true),
            (time_based(ContentCompleted, 2.0, None), 2.0, true),
            (time_based(ContentCompleted, 10.0, Some(Timeframe::Weekly)), 4.0, false),
            (time_based(ContentCompleted, 5.0, Some(Timeframe::Monthly)), 5.0, true),
            (time_based(ModulesCompleted, 2.0, Some(Timeframe::Weekly)), 2.0, true),
            (time_based(ModulesCompleted, 1.0, Some(Timeframe::Daily)), 1.0, true),
        ];
        for (r, current, earned) in cases {
            let s = evaluate(&r, &f);
            assert_eq!((s.current, s.earned), (current, earned), "{r:?}");
        }
    }

    #[test]
    fn streaks_completions_and_mastery() {
        let f = facts();
        let streak = |days| Rule { consecutive_days: Some(days), ..rule(AchievementType::Streak) };
        assert!(evaluate(&streak(6), &f).earned);
        assert!(!evaluate(&streak(7), &f).earned);
        let by_target = Rule { target_value: Some(3.0), ..rule(AchievementType::Streak) };
        assert!(evaluate(&by_target, &f).earned);

        let completion = |modules: &[&str], phases: &[&str]| Rule {
            required_modules: modules.iter().map(|m| m.to_string()).collect(),
            required_phases: phases.iter().map(|p| p.to_string()).collect(),
            ..rule(AchievementType::Completion)
        };
        assert!(evaluate(&completion(&["m1", "m2"], &["p1"]), &f).earned);
        let partial = evaluate(&completion(&["m1", "m3"], &["p1", "p2"]), &f);
        assert_eq!((partial.current, partial.target, partial.earned), (2.0, 4.0, false));
        assert_eq!(partial.percentage(), 50.0);
        let fallback =
            Rule { target_type: Some(TargetType::ContentCompleted), target_value: Some(5.0), ..completion(&[], &[]) };
        assert!(evaluate(&fallback, &f).earned);

        let mastery = |modules: &[&str], min| Rule {
            required_modules: modules.iter().map(|m| m.to_string()).collect(),
            minimum_score: Some(min),
            ..rule(AchievementType::Mastery)
        };
        assert!(evaluate(&mastery(&["m1"], 100.0), &f).earned);
        assert!(!evaluate(&mastery(&["m1", "m2"], 90.0), &f).earned);
        assert!(evaluate(&mastery(&["m1", "m2"], 80.0), &f).earned);
        assert!(!evaluate(&mastery(&["m3"], 0.0), &f).earned, "not completed");
        let any = Rule { target_value: Some(2.0), ..mastery(&[], 80.0) };
        assert!(evaluate(&any, &f).earned);
    }

    #[test]
    fn conditions_must_all_hold() {
        use ConditionOperator::*;
        let f = facts();
        let cases = [
            (cond("experienceLevel", Equals, json!("Beginner")), true),
            (cond("experienceLevel", Equals, json!("expert")), false),
            (cond("stats.level", GreaterThan, json!(4)), true),
            (cond("stats.level", GreaterThan, json!(5)), false),
            (cond("stats.totalStudyTime", LessThan, json!(300)), true),
            (cond("stats.totalPoints", Equals, json!(1200)), true),
            (cond("stats.totalPoints", Equals, json!("1200")), true),
            (cond("profile.bio", Contains, json!("ctf")), true),
            (cond("profile.location", Contains, json!("Paris")), false),
            (cond("profile.bio", GreaterThan, json!(1)), false),
            (cond("stats.level", Contains, json!("5")), false),
            (cond("security.passwordResetToken", Equals, json!("x")), false),
            (cond("currentStreak", Equals, json!(true)), false),
            (cond("longestStreak", GreaterThan, json!(5)), true),
            (cond("stats.labsCompleted", Equals, json!(3)), true),
            (cond("stats.gamesCompleted", LessThan, json!(4)), false),
            (cond("stats.coursesCompleted", GreaterThan, json!(1)), true),
        ];
        for (c, expected) in cases {
            assert_eq!(holds(&c, &f), expected, "{c:?}");
        }
        let mut gated = milestone(TargetType::PointsEarned, 100.0, None);
        gated.conditions =
            vec![cond("stats.level", GreaterThan, json!(4)), cond("profile.bio", Contains, json!("CTF"))];
        assert!(evaluate(&gated, &f).earned);
        gated.conditions.push(cond("experienceLevel", Equals, json!("expert")));
        let s = evaluate(&gated, &f);
        assert!(!s.earned, "one condition fails");
        assert_eq!(s.percentage(), 100.0, "progress is the measure; conditions gate the award");
        let mut no_bio = f.clone();
        no_bio.bio = None;
        assert!(!holds(&cond("profile.bio", Contains, json!("CTF")), &no_bio));
    }
}
