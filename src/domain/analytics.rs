//! Pure arithmetic of the learning analytics: per-day counts, medians,
//! funnels and the "where do learners get stuck" score.

use std::collections::{BTreeMap, HashSet};

use super::calendar::{date_of, day_of};

const DAY_MS: i64 = 86_400_000;

/// Counts of `times` (ms) per UTC day over the `days` days ending on the day
/// of `now_ms`, oldest first, as (`YYYY-MM-DD`, count).
pub fn per_day(times: impl IntoIterator<Item = i64>, now_ms: i64, days: i64) -> Vec<(String, u64)> {
    let today = day_of(now_ms, 0);
    let first = today - days + 1;
    let mut counts = vec![0u64; usize::try_from(days.max(0)).unwrap_or(0)];
    for t in times {
        let day = day_of(t, 0);
        if (first..=today).contains(&day) {
            counts[(day - first) as usize] += 1;
        }
    }
    counts.into_iter().enumerate().map(|(i, n)| (date_of(first + i as i64), n)).collect()
}

/// Distinct actors per UTC day: `events` are (actor, time in ms).
pub fn distinct_per_day<A: Eq + std::hash::Hash>(
    events: impl IntoIterator<Item = (A, i64)>,
    now_ms: i64,
    days: i64,
) -> Vec<(String, u64)> {
    let today = day_of(now_ms, 0);
    let first = today - days + 1;
    let mut seen: BTreeMap<i64, HashSet<A>> = BTreeMap::new();
    for (actor, t) in events {
        let day = day_of(t, 0);
        if (first..=today).contains(&day) {
            seen.entry(day).or_default().insert(actor);
        }
    }
    (first..=today).map(|d| (date_of(d), seen.get(&d).map_or(0, |s| s.len() as u64))).collect()
}

/// The median of `values` (the mean of the middle two for an even count); `None` when empty.
pub fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) { (values[mid - 1] + values[mid]) / 2.0 } else { values[mid] })
}

/// One module's funnel: learners who started, reached half, completed.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Funnel {
    pub started: u64,
    pub halfway: u64,
    pub completed: u64,
}

impl Funnel {
    /// Adds one enrollment at `percentage` (0..=100), completed or not.
    pub fn add(&mut self, percentage: f64, completed: bool) {
        self.started += 1;
        if completed || percentage >= 50.0 {
            self.halfway += 1;
        }
        if completed {
            self.completed += 1;
        }
    }

    /// Share (0..=100) of those who started and did not complete.
    pub fn drop_off(&self) -> f64 {
        if self.started == 0 { 0.0 } else { 100.0 * (self.started - self.completed) as f64 / self.started as f64 }
    }
}

/// What learners did on one content item.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ItemEffort {
    pub started: u64,
    pub completed: u64,
    /// Lab flag attempts and game submissions, summed.
    pub attempts: u64,
    pub hints: u64,
}

impl ItemEffort {
    pub fn completion_rate(&self) -> f64 {
        if self.started == 0 { 0.0 } else { self.completed as f64 / self.started as f64 }
    }

    /// How stuck learners get here: attempts and hints per learner, weighted
    /// by how many do not finish. 0 for items too few learners started (a
    /// handful of learners says nothing).
    pub fn stuck_score(&self, min_learners: u64) -> f64 {
        if self.started < min_learners.max(1) {
            return 0.0;
        }
        let per_learner = (self.attempts as f64 + 2.0 * self.hints as f64) / self.started as f64;
        (1.0 + per_learner) * (1.0 - self.completion_rate())
    }
}

/// How many values fall in each `bucket` (1-based levels here), as sorted (bucket, count).
pub fn histogram(values: impl IntoIterator<Item = i32>) -> Vec<(i32, u64)> {
    let mut counts: BTreeMap<i32, u64> = BTreeMap::new();
    for v in values {
        *counts.entry(v).or_default() += 1;
    }
    counts.into_iter().collect()
}

/// The start (ms) of the `days`-day window ending today (UTC).
pub fn window_start(now_ms: i64, days: i64) -> i64 {
    (day_of(now_ms, 0) - days + 1) * DAY_MS
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 20_782 * DAY_MS + 43_200_000; // 2026-11-25 12:00 UTC

    #[test]
    fn events_are_counted_on_their_day_inside_the_window() {
        let days = per_day([NOW, NOW - 1000, NOW - DAY_MS, NOW - 40 * DAY_MS, NOW + DAY_MS], NOW, 3);
        assert_eq!(days, [("2026-11-23".into(), 0), ("2026-11-24".into(), 1), ("2026-11-25".into(), 2)]);
        assert_eq!(window_start(NOW, 3), 20_780 * DAY_MS);
    }

    #[test]
    fn active_learners_are_distinct_per_day() {
        let events = [("ada", NOW), ("ada", NOW - 5), ("bob", NOW), ("ada", NOW - DAY_MS)];
        assert_eq!(distinct_per_day(events, NOW, 2), [("2026-11-24".into(), 1), ("2026-11-25".into(), 2)]);
    }

    #[test]
    fn medians_of_odd_even_and_empty_lists() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(&mut []), None);
    }

    #[test]
    fn funnels_count_halfway_and_completed_and_the_drop_off() {
        let mut f = Funnel::default();
        for (p, done) in [(10.0, false), (50.0, false), (80.0, false), (100.0, true)] {
            f.add(p, done);
        }
        assert_eq!(f, Funnel { started: 4, halfway: 3, completed: 1 });
        assert_eq!(f.drop_off(), 75.0);
        assert_eq!(Funnel::default().drop_off(), 0.0);
    }

    #[test]
    fn stuck_items_have_many_attempts_and_hints_and_few_completions() {
        let easy = ItemEffort { started: 10, completed: 10, attempts: 10, hints: 0 };
        let hard = ItemEffort { started: 10, completed: 3, attempts: 60, hints: 15 };
        let rare = ItemEffort { started: 2, completed: 0, attempts: 30, hints: 9 };
        assert_eq!(easy.stuck_score(5), 0.0, "everyone finishes");
        assert!(hard.stuck_score(5) > 5.0);
        assert_eq!(rare.stuck_score(5), 0.0, "too few learners to tell");
        assert!((hard.completion_rate() - 0.3).abs() < 1e-9);
    }

    #[test]
    fn levels_fall_into_their_buckets() {
        assert_eq!(histogram([1, 3, 1, 2, 1]), [(1, 3), (2, 1), (3, 1)]);
    }
}
