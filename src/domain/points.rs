//! Points and levels: what a completion is worth, and the level a number of
//! points reaches. Pure; the server recomputes a learner's total from their
//! progress, enrollments and awards, so points can always be rebuilt.
//!
//! - A completed item earns its type's base points ([`base_points`]: video 10,
//!   document 10, game 20, lab 30) times its difficulty's multiplier
//!   (beginner ×1, intermediate ×1.5, advanced ×2, expert ×3).
//! - Labs and games add a score bonus: base × (score − 50) / 100 for scores
//!   above 50, so a perfect score adds half the base.
//! - Each lab hint costs [`HINT_PENALTY`] points; an item never drops below
//!   half its base.
//! - A completed module adds [`MODULE_BONUS`] × its difficulty multiplier.
//! - Achievements add their `rewards.points`.
//! - Level L starts at 50 × L × (L − 1) points: level 2 at 100, 3 at 300,
//!   4 at 600, 5 at 1,000, 10 at 4,500.

use serde::{Deserialize, Serialize};

use crate::model::{ContentType, Difficulty};

pub const HINT_PENALTY: i64 = 5;
pub const MODULE_BONUS: i64 = 100;

pub fn base_points(kind: ContentType) -> i64 {
    match kind {
        ContentType::Video | ContentType::Document => 10,
        ContentType::Game => 20,
        ContentType::Lab => 30,
    }
}

/// The difficulty multiplier, in halves (so integer arithmetic stays exact).
fn halves(difficulty: Difficulty) -> i64 {
    match difficulty {
        Difficulty::Beginner => 2,
        Difficulty::Intermediate => 3,
        Difficulty::Advanced => 4,
        Difficulty::Expert => 6,
    }
}

/// One completed item: what it earned.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Completion {
    pub kind: ContentType,
    pub difficulty: Difficulty,
    /// Lab score or best game score, 0..=100 (ignored for videos and documents).
    pub score: Option<f64>,
    pub hints_used: i32,
}

pub fn item_points(c: Completion) -> i64 {
    let base = base_points(c.kind) * halves(c.difficulty) / 2;
    let bonus = match (c.kind, c.score) {
        (ContentType::Lab | ContentType::Game, Some(score)) if score.is_finite() => {
            (base as f64 * (score.clamp(0.0, 100.0) - 50.0).max(0.0) / 100.0).round() as i64
        }
        _ => 0,
    };
    let penalty = HINT_PENALTY * i64::from(c.hints_used.max(0));
    (base + bonus - penalty).max(base / 2)
}

pub fn module_points(difficulty: Difficulty) -> i64 {
    MODULE_BONUS * halves(difficulty) / 2
}

/// Where a number of points stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Level {
    pub level: i32,
    /// Points at which this level started.
    pub floor: i64,
    /// Points at which the next level starts.
    pub next_at: i64,
}

impl Level {
    /// Points still needed for the next level.
    pub fn to_next(&self, points: i64) -> i64 {
        (self.next_at - points).max(0)
    }

    /// Progress through this level, 0..=100.
    pub fn percent(&self, points: i64) -> f64 {
        let span = (self.next_at - self.floor).max(1) as f64;
        ((points - self.floor).clamp(0, self.next_at - self.floor) as f64 / span * 100.0).floor()
    }
}

fn level_start(level: i64) -> i64 {
    50 * level * (level - 1)
}

pub fn level_for(points: i64) -> Level {
    let points = points.max(0);
    let mut level = 1_i64;
    while level_start(level + 1) <= points {
        level += 1;
    }
    Level {
        level: i32::try_from(level).unwrap_or(i32::MAX),
        floor: level_start(level),
        next_at: level_start(level + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn done(kind: ContentType, difficulty: Difficulty, score: Option<f64>, hints: i32) -> Completion {
        Completion { kind, difficulty, score, hints_used: hints }
    }

    #[test]
    fn items_earn_by_type_difficulty_score_and_hints() {
        use ContentType::*;
        use Difficulty::*;
        let cases = [
            (done(Video, Beginner, None, 0), 10),
            (done(Document, Expert, None, 0), 30),
            (done(Video, Intermediate, Some(100.0), 0), 15),
            (done(Game, Beginner, Some(70.0), 0), 24),
            (done(Game, Beginner, Some(100.0), 0), 30),
            (done(Game, Beginner, Some(40.0), 0), 20),
            (done(Lab, Beginner, Some(100.0), 0), 45),
            (done(Lab, Beginner, Some(85.0), 1), 36),
            (done(Lab, Advanced, Some(100.0), 2), 80),
            (done(Lab, Beginner, Some(20.0), 30), 15),
            (done(Game, Beginner, Some(f64::NAN), 0), 20),
            (done(Lab, Intermediate, None, 0), 45),
        ];
        for (c, points) in cases {
            assert_eq!(item_points(c), points, "{c:?}");
        }
    }

    #[test]
    fn modules_add_a_bonus_by_difficulty() {
        assert_eq!(module_points(Difficulty::Beginner), 100);
        assert_eq!(module_points(Difficulty::Intermediate), 150);
        assert_eq!(module_points(Difficulty::Expert), 300);
    }

    #[test]
    fn levels_follow_the_triangular_thresholds() {
        let cases = [
            (0, 1, 0, 100),
            (-5, 1, 0, 100),
            (99, 1, 0, 100),
            (100, 2, 100, 300),
            (299, 2, 100, 300),
            (300, 3, 300, 600),
            (1_000, 5, 1_000, 1_500),
            (4_500, 10, 4_500, 5_500),
        ];
        for (points, level, floor, next_at) in cases {
            assert_eq!(level_for(points), Level { level, floor, next_at }, "{points}");
        }
        let l = level_for(250);
        assert_eq!(l.to_next(250), 50);
        assert_eq!(l.percent(250), 75.0);
        assert_eq!(level_for(1_000_000).level, 141);
    }
}
