use serde::{Deserialize, Serialize};

use super::Difficulty;

/// Everything `/catalog` shows: active phases in order, each with its active modules in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Catalog {
    pub phases: Vec<PhaseCard>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhaseCard {
    pub id: String,
    pub title: String,
    pub short_description: Option<String>,
    pub description: String,
    pub order: u32,
    pub difficulty: Difficulty,
    /// Estimated duration in hours, as the spec stores it for phases.
    pub estimated_hours: Option<u32>,
    pub color: String,
    pub modules: Vec<ModuleCard>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModuleCard {
    pub id: String,
    pub title: String,
    pub short_description: Option<String>,
    pub order: u32,
    pub difficulty: Difficulty,
    /// Estimated duration in minutes, as the spec stores it for modules.
    pub estimated_minutes: Option<u32>,
    pub is_featured: bool,
    pub tags: Vec<String>,
    pub skills: Vec<String>,
    pub total_content: u32,
    pub video_count: u32,
    pub lab_count: u32,
    pub game_count: u32,
    pub document_count: u32,
}

impl Catalog {
    /// The catalog restricted to modules of one difficulty; phases left without
    /// a module are dropped. `None` keeps everything.
    pub fn filtered(&self, difficulty: Option<Difficulty>) -> Catalog {
        let Some(difficulty) = difficulty else {
            return self.clone();
        };
        let phases = self
            .phases
            .iter()
            .filter_map(|phase| {
                let modules: Vec<ModuleCard> =
                    phase.modules.iter().filter(|m| m.difficulty == difficulty).cloned().collect();
                (!modules.is_empty()).then(|| PhaseCard { modules, ..phase.clone() })
            })
            .collect();
        Catalog { phases }
    }

    pub fn module_count(&self) -> usize {
        self.phases.iter().map(|p| p.modules.len()).sum()
    }
}

/// "1 h 30 min" style text for a number of minutes.
pub fn format_minutes(minutes: u32) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module(title: &str, difficulty: Difficulty) -> ModuleCard {
        ModuleCard {
            id: title.to_lowercase(),
            title: title.into(),
            short_description: None,
            order: 1,
            difficulty,
            estimated_minutes: None,
            is_featured: false,
            tags: vec![],
            skills: vec![],
            total_content: 0,
            video_count: 0,
            lab_count: 0,
            game_count: 0,
            document_count: 0,
        }
    }

    fn phase(title: &str, modules: Vec<ModuleCard>) -> PhaseCard {
        PhaseCard {
            id: title.to_lowercase(),
            title: title.into(),
            short_description: None,
            description: String::new(),
            order: 1,
            difficulty: Difficulty::Beginner,
            estimated_hours: None,
            color: "#00ff41".into(),
            modules,
        }
    }

    #[test]
    fn filter_keeps_matching_modules_and_drops_empty_phases() {
        let catalog = Catalog {
            phases: vec![
                phase("A", vec![module("Ports", Difficulty::Beginner), module("Pivot", Difficulty::Advanced)]),
                phase("B", vec![module("Kerberos", Difficulty::Expert)]),
            ],
        };
        assert_eq!(catalog.filtered(None), catalog);
        let beginner = catalog.filtered(Some(Difficulty::Beginner));
        assert_eq!(beginner.phases.len(), 1);
        assert_eq!(beginner.phases[0].modules[0].title, "Ports");
        assert_eq!(catalog.filtered(Some(Difficulty::Expert)).phases[0].title, "B");
        assert_eq!(catalog.filtered(Some(Difficulty::Intermediate)).module_count(), 0);
        assert_eq!(catalog.module_count(), 3);
    }

    #[test]
    fn minutes_are_formatted_for_people() {
        for (minutes, text) in [(0, "0 min"), (45, "45 min"), (60, "1 h"), (90, "1 h 30 min"), (125, "2 h 5 min")] {
            assert_eq!(format_minutes(minutes), text);
        }
    }
}
