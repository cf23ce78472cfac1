use serde::{Deserialize, Serialize};

/// The spec's difficulty enum, used by phases, modules and content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Difficulty {
    Beginner,
    Intermediate,
    Advanced,
    Expert,
}

impl Difficulty {
    pub const ALL: [Difficulty; 4] =
        [Difficulty::Beginner, Difficulty::Intermediate, Difficulty::Advanced, Difficulty::Expert];

    /// The value stored in MongoDB and used in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            Difficulty::Beginner => "beginner",
            Difficulty::Intermediate => "intermediate",
            Difficulty::Advanced => "advanced",
            Difficulty::Expert => "expert",
        }
    }

    /// The word shown to a learner.
    pub fn label(self) -> &'static str {
        match self {
            Difficulty::Beginner => "Beginner",
            Difficulty::Intermediate => "Intermediate",
            Difficulty::Advanced => "Advanced",
            Difficulty::Expert => "Expert",
        }
    }

    /// Parses the stored/URL form; anything else is `None` (an unknown filter shows everything).
    pub fn parse(value: &str) -> Option<Difficulty> {
        Difficulty::ALL.into_iter().find(|d| d.as_str() == value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_round_trips_every_value_and_rejects_others() {
        for d in Difficulty::ALL {
            assert_eq!(Difficulty::parse(d.as_str()), Some(d));
            assert_eq!(serde_json::to_string(&d).unwrap(), format!("\"{}\"", d.as_str()));
        }
        for bad in ["", "Beginner", "easy", "beginner "] {
            assert_eq!(Difficulty::parse(bad), None, "{bad:?}");
        }
    }
}
