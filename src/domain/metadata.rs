//! The denormalised counters of modules and phases, computed from their
//! source documents. Counters are derived data: the database layer recomputes
//! them from these functions after every change, and `rebuild` recomputes all
//! of them, so a lost or interrupted update is always repairable.
//!
//! Only active items count: a deactivated content item or module no longer
//! adds to what learners see in the catalog.

use serde::{Deserialize, Serialize};

use crate::model::ContentType;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleCounts {
    pub total_content: i32,
    /// Minutes.
    pub total_duration: i32,
    pub video_count: i32,
    pub lab_count: i32,
    pub game_count: i32,
    pub document_count: i32,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhaseCounts {
    pub total_modules: i32,
    pub total_content: i32,
    /// Minutes.
    pub total_duration: i32,
}

/// One content item as the counters see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContentFacts {
    pub kind: ContentType,
    /// Minutes; items without a duration add nothing to the total.
    pub duration: Option<i32>,
    pub is_active: bool,
}

pub fn module_counts(items: impl IntoIterator<Item = ContentFacts>) -> ModuleCounts {
    let mut counts = ModuleCounts::default();
    for item in items.into_iter().filter(|i| i.is_active) {
        counts.total_content += 1;
        counts.total_duration = counts.total_duration.saturating_add(item.duration.unwrap_or(0).max(0));
        match item.kind {
            ContentType::Video => counts.video_count += 1,
            ContentType::Lab => counts.lab_count += 1,
            ContentType::Game => counts.game_count += 1,
            ContentType::Document => counts.document_count += 1,
        }
    }
    counts
}

/// A phase's counters from its modules' (active flag, counters).
pub fn phase_counts(modules: impl IntoIterator<Item = (bool, ModuleCounts)>) -> PhaseCounts {
    let mut counts = PhaseCounts::default();
    for (_, m) in modules.into_iter().filter(|(active, _)| *active) {
        counts.total_modules += 1;
        counts.total_content += m.total_content;
        counts.total_duration = counts.total_duration.saturating_add(m.total_duration);
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(kind: ContentType, duration: Option<i32>, is_active: bool) -> ContentFacts {
        ContentFacts { kind, duration, is_active }
    }

    #[test]
    fn module_counts_by_type_and_duration_of_active_items() {
        let counts = module_counts([
            item(ContentType::Video, Some(10), true),
            item(ContentType::Video, Some(5), true),
            item(ContentType::Lab, Some(30), true),
            item(ContentType::Game, None, true),
            item(ContentType::Document, Some(8), true),
            item(ContentType::Document, Some(100), false),
        ]);
        assert_eq!(
            counts,
            ModuleCounts {
                total_content: 5,
                total_duration: 53,
                video_count: 2,
                lab_count: 1,
                game_count: 1,
                document_count: 1
            }
        );
        assert_eq!(module_counts([]), ModuleCounts::default());
        assert_eq!(
            module_counts([item(ContentType::Lab, Some(i32::MAX), true), item(ContentType::Lab, Some(5), true)])
                .total_duration,
            i32::MAX
        );
    }

    #[test]
    fn phase_counts_sum_active_modules() {
        let m =
            |content, duration| ModuleCounts { total_content: content, total_duration: duration, ..Default::default() };
        let counts = phase_counts([(true, m(3, 40)), (true, m(2, 15)), (false, m(9, 90))]);
        assert_eq!(counts, PhaseCounts { total_modules: 2, total_content: 5, total_duration: 55 });
        assert_eq!(phase_counts([]), PhaseCounts::default());
    }
}
