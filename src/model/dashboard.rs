//! What `/dashboard` shows a learner.

use serde::{Deserialize, Serialize};

use super::learn::EnrollmentView;
use super::{ContentType, Difficulty, Rarity};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub name: String,
    #[serde(flatten)]
    pub stats: StatsView,
    /// Points at which the current level started and the next one starts.
    pub level_floor: i64,
    pub next_level_at: i64,
    pub continue_at: Option<ContinueItem>,
    pub modules: Vec<EnrolledModule>,
    /// Minutes studied on each of the last 84 days (twelve weeks), oldest
    /// first (`YYYY-MM-DD`, minutes), in the learner's time zone.
    pub study_days: Vec<(String, f64)>,
    pub recent: Vec<Activity>,
    /// The newest achievements earned.
    pub badges: Vec<Badge>,
    pub recommended: Vec<Recommendation>,
}

/// A learner's numbers, as their dashboard and public profile show them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StatsView {
    pub points: i64,
    pub level: i32,
    /// As it stands today (0 once a day was missed).
    pub current_streak: i32,
    pub longest_streak: i32,
    pub courses_completed: i32,
    pub labs_completed: i32,
    pub games_completed: i32,
    /// Minutes.
    pub study_minutes: f64,
}

impl Dashboard {
    pub fn points_to_next_level(&self) -> i64 {
        (self.next_level_at - self.stats.points).max(0)
    }

    /// Progress through the current level, 0..=100.
    pub fn level_percent(&self) -> f64 {
        let span = (self.next_level_at - self.level_floor).max(1) as f64;
        ((self.stats.points - self.level_floor).max(0) as f64 / span * 100.0).clamp(0.0, 100.0).floor()
    }
}

/// The item the learner touched last.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContinueItem {
    pub module_id: String,
    pub module_title: String,
    pub content_id: String,
    pub title: String,
    pub kind: ContentType,
    pub percentage: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnrolledModule {
    pub id: String,
    pub title: String,
    pub enrollment: EnrollmentView,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    pub module_id: String,
    pub content_id: String,
    pub title: String,
    pub kind: ContentType,
    /// `YYYY-MM-DD`.
    pub day: String,
}

/// An earned achievement, as the dashboard and public profiles show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Badge {
    pub title: String,
    pub description: String,
    pub color: String,
    pub rarity: Rarity,
    /// `YYYY-MM-DD`, in the learner's time zone.
    pub earned_on: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recommendation {
    pub id: String,
    pub title: String,
    pub difficulty: Difficulty,
    pub short_description: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_progress_is_measured_inside_the_level() {
        let d = Dashboard {
            name: "ada".into(),
            stats: StatsView { points: 250, level: 2, ..Default::default() },
            level_floor: 100,
            next_level_at: 300,
            continue_at: None,
            modules: vec![],
            study_days: vec![],
            recent: vec![],
            badges: vec![],
            recommended: vec![],
        };
        assert_eq!(d.points_to_next_level(), 50);
        assert_eq!(d.level_percent(), 75.0);
    }
}
