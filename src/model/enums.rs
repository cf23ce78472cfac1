//! Every enum of the data model, stored as the spec's strings.

use serde::{Deserialize, Serialize};

use super::validation::{FieldErrors, default_enum};

/// Declares a string-valued enum with `ALL`, `as_str`, `parse` and `Display`.
macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $text)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored (and URL) form.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// The stored form back; anything else is `None`.
            pub fn parse(value: &str) -> Option<$name> {
                match value {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }

            /// Parses `value` for `field`, recording Mongoose's enum message when it is not allowed.
            pub fn parse_field(errors: &mut FieldErrors, field: &str, value: &str) -> Option<$name> {
                let parsed = $name::parse(value);
                if parsed.is_none() {
                    errors.add(field, default_enum(field, value));
                }
                parsed
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

string_enum!(
    /// Phases, modules and content.
    Difficulty { Beginner = "beginner", Intermediate = "intermediate", Advanced = "advanced", Expert = "expert" }
);

impl Difficulty {
    /// The word shown to a learner.
    pub fn label(self) -> &'static str {
        match self {
            Difficulty::Beginner => "Beginner",
            Difficulty::Intermediate => "Intermediate",
            Difficulty::Advanced => "Advanced",
            Difficulty::Expert => "Expert",
        }
    }
}

string_enum!(Role { Student = "student", Admin = "admin" });
string_enum!(AdminStatus { Pending = "pending", Active = "active", Suspended = "suspended" });
string_enum!(
    ExperienceLevel { Beginner = "beginner", Intermediate = "intermediate", Advanced = "advanced", Expert = "expert" }
);
string_enum!(Theme { Dark = "dark", Light = "light", Auto = "auto" });

impl ExperienceLevel {
    /// The word shown to a learner.
    pub fn label(self) -> &'static str {
        match self {
            ExperienceLevel::Beginner => "Beginner",
            ExperienceLevel::Intermediate => "Intermediate",
            ExperienceLevel::Advanced => "Advanced",
            ExperienceLevel::Expert => "Expert",
        }
    }
}

impl Theme {
    /// The word shown to a learner.
    pub fn label(self) -> &'static str {
        match self {
            Theme::Dark => "Dark",
            Theme::Light => "Light",
            Theme::Auto => "Match my device",
        }
    }
}
string_enum!(ContentType { Video = "video", Lab = "lab", Game = "game", Document = "document" });
string_enum!(GameType { Quiz = "quiz", Simulation = "simulation", Puzzle = "puzzle", Scenario = "scenario" });
string_enum!(DocumentFormat { Pdf = "pdf", Html = "html", Markdown = "markdown", Text = "text" });
string_enum!(CompletionType { TimeBased = "time_based", InteractionBased = "interaction_based", Manual = "manual" });
string_enum!(EnrollmentStatus { Active = "active", Completed = "completed", Paused = "paused", Dropped = "dropped" });
string_enum!(Device { Desktop = "desktop", Tablet = "tablet", Mobile = "mobile" });
string_enum!(
    AchievementCategory {
        Progress = "progress",
        Engagement = "engagement",
        Performance = "performance",
        Social = "social",
        Special = "special",
    }
);
string_enum!(
    AchievementType {
        Milestone = "milestone",
        Streak = "streak",
        Completion = "completion",
        Mastery = "mastery",
        TimeBased = "time_based",
    }
);
string_enum!(
    TargetType {
        ModulesCompleted = "modules_completed",
        ContentCompleted = "content_completed",
        PointsEarned = "points_earned",
        TimeSpent = "time_spent",
        StreakDays = "streak_days",
    }
);
string_enum!(Timeframe { Daily = "daily", Weekly = "weekly", Monthly = "monthly", AllTime = "all_time" });
string_enum!(
    ConditionOperator { Equals = "equals", GreaterThan = "greater_than", LessThan = "less_than", Contains = "contains" }
);
string_enum!(
    Rarity { Common = "common", Uncommon = "uncommon", Rare = "rare", Epic = "epic", Legendary = "legendary" }
);
string_enum!(AchievementDifficulty { Easy = "easy", Medium = "medium", Hard = "hard", Extreme = "extreme" });
string_enum!(
    TriggerType {
        ContentCompletion = "content_completion",
        ModuleCompletion = "module_completion",
        StreakMilestone = "streak_milestone",
        ScoreAchievement = "score_achievement",
        TimeMilestone = "time_milestone",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trips<T>(all: &[T])
    where
        T: Copy + PartialEq + std::fmt::Debug + Serialize + for<'de> Deserialize<'de>,
    {
        for value in all {
            let json = serde_json::to_string(value).unwrap();
            let back: T = serde_json::from_str(&json).unwrap();
            assert_eq!(&back, value);
        }
    }

    macro_rules! assert_values {
        ($($name:ident => $expected:literal),+ $(,)?) => {$(
            let stored: Vec<&str> = $name::ALL.iter().map(|v| v.as_str()).collect();
            assert_eq!(stored.join(","), $expected, stringify!($name));
            round_trips($name::ALL);
            for value in $name::ALL {
                assert_eq!($name::parse(value.as_str()), Some(*value));
                assert_eq!(value.to_string(), value.as_str());
            }
        )+};
    }

    #[test]
    fn every_enum_has_the_spec_values() {
        assert_values!(
            Difficulty => "beginner,intermediate,advanced,expert",
            Role => "student,admin",
            AdminStatus => "pending,active,suspended",
            ExperienceLevel => "beginner,intermediate,advanced,expert",
            Theme => "dark,light,auto",
            ContentType => "video,lab,game,document",
            GameType => "quiz,simulation,puzzle,scenario",
            DocumentFormat => "pdf,html,markdown,text",
            CompletionType => "time_based,interaction_based,manual",
            EnrollmentStatus => "active,completed,paused,dropped",
            Device => "desktop,tablet,mobile",
            AchievementCategory => "progress,engagement,performance,social,special",
            AchievementType => "milestone,streak,completion,mastery,time_based",
            TargetType => "modules_completed,content_completed,points_earned,time_spent,streak_days",
            Timeframe => "daily,weekly,monthly,all_time",
            ConditionOperator => "equals,greater_than,less_than,contains",
            Rarity => "common,uncommon,rare,epic,legendary",
            AchievementDifficulty => "easy,medium,hard,extreme",
            TriggerType => "content_completion,module_completion,streak_milestone,score_achievement,time_milestone",
        );
    }

    #[test]
    fn parse_field_reports_mongoose_enum_message() {
        let mut errors = FieldErrors::new();
        assert_eq!(Role::parse_field(&mut errors, "role", "admin"), Some(Role::Admin));
        assert_eq!(Role::parse_field(&mut errors, "role", "root"), None);
        assert_eq!(errors.get("role"), Some("`root` is not a valid enum value for path `role`."));
        assert_eq!(Difficulty::parse("Beginner"), None, "stored values are lowercase");
        assert_eq!(Difficulty::Beginner.label(), "Beginner");
    }
}
