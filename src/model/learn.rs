//! What the module, phase and player pages receive: plain structs with ids as
//! strings. Answer keys never appear here; lab solutions and game feedback
//! only once the learner has earned them.

use serde::{Deserialize, Serialize};

use super::game::PublicGame;
use super::{CompletionType, ContentType, Difficulty, DocumentFormat, EnrollmentStatus, GameType};
use crate::domain::gating::Need;
use crate::domain::grading::{Graded, ScenarioWalk};
use crate::domain::progress::Segment;

/// A link target with its title.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Named {
    pub id: String,
    pub title: String,
}

/// A prerequisite and whether the learner has completed it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrerequisiteView {
    pub id: String,
    pub title: String,
    pub completed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnrollmentView {
    pub status: EnrollmentStatus,
    pub percentage: f64,
    pub completed: u32,
    pub total: u32,
    /// `YYYY-MM-DD`.
    pub completed_at: Option<String>,
    /// The certificate earned by completing the module, if it awards one.
    pub certificate_id: Option<String>,
}

/// One content item in a syllabus.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SyllabusItem {
    pub id: String,
    pub title: String,
    pub kind: ContentType,
    /// Minutes.
    pub duration: Option<u32>,
    pub section: Option<String>,
    pub subsection: Option<String>,
    pub completed: bool,
    pub percentage: f64,
    /// Why it is locked ("Complete “…” first."); `None` when open.
    pub locked: Option<String>,
}

/// Consecutive syllabus items that share a section and subsection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SyllabusGroup {
    pub section: Option<String>,
    pub subsection: Option<String>,
    pub items: Vec<SyllabusItem>,
}

/// Groups items (already in order) by section, then subsection.
pub fn group_syllabus(items: &[SyllabusItem]) -> Vec<SyllabusGroup> {
    let mut groups: Vec<SyllabusGroup> = Vec::new();
    for item in items {
        match groups.last_mut() {
            Some(g) if g.section == item.section && g.subsection == item.subsection => g.items.push(item.clone()),
            _ => groups.push(SyllabusGroup {
                section: item.section.clone(),
                subsection: item.subsection.clone(),
                items: vec![item.clone()],
            }),
        }
    }
    groups
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModuleDetail {
    pub id: String,
    pub title: String,
    pub description: String,
    pub short_description: Option<String>,
    pub phase: Named,
    pub difficulty: Difficulty,
    /// Minutes.
    pub estimated_minutes: Option<u32>,
    pub objectives: Vec<String>,
    pub skills: Vec<String>,
    pub tags: Vec<String>,
    pub instructor_name: Option<String>,
    pub instructor_bio: Option<String>,
    pub prerequisites: Vec<PrerequisiteView>,
    pub phase_prerequisites: Vec<PrerequisiteView>,
    /// What must be completed before enrolling; empty when open.
    pub needs: Vec<Need>,
    pub sequential: bool,
    pub certificate_eligible: bool,
    pub syllabus: Vec<SyllabusItem>,
    pub enrollment: Option<EnrollmentView>,
    pub signed_in: bool,
    /// The item to open next: the first open, unfinished one.
    pub resume: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhaseModule {
    pub id: String,
    pub title: String,
    pub short_description: Option<String>,
    pub difficulty: Difficulty,
    pub estimated_minutes: Option<u32>,
    pub total_content: u32,
    pub enrollment: Option<EnrollmentView>,
    pub locked: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhaseDetail {
    pub id: String,
    pub title: String,
    pub description: String,
    pub order: u32,
    pub difficulty: Difficulty,
    pub estimated_hours: Option<u32>,
    pub objectives: Vec<String>,
    pub color: String,
    pub prerequisites: Vec<PrerequisiteView>,
    pub locked: Option<String>,
    pub modules: Vec<PhaseModule>,
}

/// A document split at its second-level headings; each section's time is tracked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocSection {
    pub title: String,
    /// Sanitised HTML.
    pub html: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum PlayerBody {
    Video {
        url: Option<String>,
        video_id: Option<String>,
        captions: Option<String>,
        thumbnail: Option<String>,
        allow_speed_control: bool,
    },
    Lab {
        /// Sanitised HTML.
        instructions: String,
        environment: Option<String>,
        hint_count: u32,
        /// The hints revealed so far, in order.
        hints: Vec<String>,
        /// Sanitised HTML, present once the learner may see it.
        solution: Option<String>,
        /// Whether the learner may reveal the solution now.
        solution_available: bool,
        has_solution: bool,
    },
    Game {
        game_type: GameType,
        instructions: Option<String>,
        objectives: Vec<String>,
        game: Box<PublicGame>,
        /// Scenarios: where the learner's path (from the page URL) leads.
        walk: Option<Box<ScenarioWalk>>,
    },
    Document {
        format: DocumentFormat,
        sections: Vec<DocSection>,
        url: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BookmarkView {
    pub section: i32,
    pub note: String,
    /// Unix milliseconds; with `section` it names the bookmark.
    pub created_ms: i64,
}

/// The learner's progress on one item, as the player shows it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProgressView {
    pub percentage: f64,
    /// Video: seconds; document: section.
    pub position: f64,
    pub completed: bool,
    pub time_spent_seconds: f64,
    pub attempts: i32,
    pub best_score: f64,
    pub hints_used: i32,
    pub last_result: Option<Graded>,
    pub watched: Vec<Segment>,
    pub video_length: Option<f64>,
    pub sections_read: Vec<i32>,
    pub bookmarks: Vec<BookmarkView>,
    pub rating: Option<i32>,
    pub difficulty_rating: Option<i32>,
    pub feedback: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlayerItem {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub kind: ContentType,
    pub duration: Option<u32>,
    pub completion: CompletionType,
    pub required_percentage: f64,
    pub required_interactions: Option<i32>,
    pub body: PlayerBody,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Player {
    pub module: Named,
    pub syllabus: Vec<SyllabusItem>,
    pub item: PlayerItem,
    pub previous: Option<String>,
    pub next: Option<String>,
    pub progress: ProgressView,
    pub enrollment: EnrollmentView,
    /// A fresh id for this page's submissions (see `api::learn::submit_game`).
    pub attempt: String,
}

/// What the player learns back after a heartbeat or a submission.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub progress: ProgressView,
    pub enrollment: EnrollmentView,
    /// The item was completed by this request.
    pub just_completed: bool,
    /// The module was completed by this request.
    pub module_completed: bool,
    /// Achievements this request earned (empty when the learner turned
    /// achievement notifications off).
    #[serde(default)]
    pub achievements: Vec<EarnedView>,
    /// Points this request added to the learner's total (the item's, the
    /// module's bonus and its achievements'); the sum over a learner's
    /// requests is their total.
    #[serde(default)]
    pub points: i64,
}

/// An achievement just unlocked, as the toast shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EarnedView {
    pub title: String,
    pub description: String,
    pub icon: String,
    pub color: String,
    pub rarity: super::Rarity,
    pub points: i32,
}

/// A heartbeat from the player: what happened since the previous one
/// (every field may be left out).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Beat {
    /// Video: seconds; document: the section on screen (1-based).
    pub position: f64,
    /// Video: the part played since the previous heartbeat.
    pub segment: Option<Segment>,
    /// Video: the length the media element reports.
    pub length: Option<f64>,
    pub speed: f64,
    pub pauses: i32,
    pub seeks: i32,
    pub replays: i32,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str, section: Option<&str>, subsection: Option<&str>) -> SyllabusItem {
        SyllabusItem {
            id: id.into(),
            title: id.into(),
            kind: ContentType::Video,
            duration: None,
            section: section.map(str::to_string),
            subsection: subsection.map(str::to_string),
            completed: false,
            percentage: 0.0,
            locked: None,
        }
    }

    #[test]
    fn syllabus_groups_consecutive_items_by_section_and_subsection() {
        let items = [
            item("a", Some("Concepts"), None),
            item("b", Some("Concepts"), None),
            item("c", Some("Concepts"), Some("Deep dive")),
            item("d", Some("Practice"), None),
            item("e", None, None),
        ];
        let groups = group_syllabus(&items);
        let shape: Vec<(Option<&str>, Option<&str>, usize)> =
            groups.iter().map(|g| (g.section.as_deref(), g.subsection.as_deref(), g.items.len())).collect();
        assert_eq!(
            shape,
            [
                (Some("Concepts"), None, 2),
                (Some("Concepts"), Some("Deep dive"), 1),
                (Some("Practice"), None, 1),
                (None, None, 1)
            ]
        );
        assert!(group_syllabus(&[]).is_empty());
    }
}
