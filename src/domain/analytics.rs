//! Pure arithmetic of the learning analytics: per-day counts, medians,
//! funnels, the "where do learners get stuck" score, and the tallies that
//! keep them without reading every learner's documents.
//!
//! A tally is a named set of counters (`item:<id>`, `module:<id>`,
//! `day:<YYYY-MM-DD>`). Every progress or enrollment document *contributes*
//! fixed amounts to some of them ([`ProgressFacts::contribution`],
//! [`EnrollmentFacts::contribution`]), so the tallies are exactly the sum of
//! the contributions of all documents: a write adds `after − before`
//! ([`change`]) and a rebuild adds up every document again. The two must
//! agree, and the tests check they do.

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

/// One counter of one tally: (`item:<id>`, `completed`).
pub type Counter = (String, String);
/// Amounts added to counters.
pub type Amounts = BTreeMap<Counter, i64>;

/// A tally's id for an item, a module or a UTC day.
pub fn item_tally(content: &str) -> String {
    format!("item:{content}")
}
pub fn module_tally(module: &str) -> String {
    format!("module:{module}")
}
pub fn day_tally(day: i64) -> String {
    format!("day:{}", date_of(day))
}

/// What a progress document says about its item.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProgressFacts {
    /// Hex id of the content item.
    pub content: String,
    pub completed: bool,
    pub attempts: i64,
    pub hints: i64,
    /// Seconds the learner spent on the item.
    pub seconds: f64,
}

impl ProgressFacts {
    /// Counters this document adds to: one learner started the item; a
    /// completed one adds its time to the item's time histogram.
    pub fn contribution(&self) -> Amounts {
        let tally = item_tally(&self.content);
        let mut out = Amounts::new();
        let mut add = |field: String, n: i64| {
            if n != 0 {
                *out.entry((tally.clone(), field)).or_default() += n;
            }
        };
        add("started".into(), 1);
        add("completed".into(), i64::from(self.completed));
        add("attempts".into(), self.attempts.max(0));
        add("hints".into(), self.hints.max(0));
        if self.completed {
            add(format!("seconds.{}", seconds_bucket(self.seconds)), 1);
        }
        out
    }
}

/// What an enrollment document says about its module.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EnrollmentFacts {
    /// Hex id of the module.
    pub module: String,
    /// UTC day of enrollment.
    pub enrolled_day: i64,
    pub percentage: f64,
    pub completed: bool,
    pub certificate: bool,
}

impl EnrollmentFacts {
    /// The module's funnel counters, its certificates, and the day's enrollments.
    pub fn contribution(&self) -> Amounts {
        let tally = module_tally(&self.module);
        let mut funnel = Funnel::default();
        funnel.add(self.percentage, self.completed);
        let mut out = Amounts::new();
        for (field, n) in [
            ("started", funnel.started),
            ("halfway", funnel.halfway),
            ("completed", funnel.completed),
            ("certificates", u64::from(self.certificate)),
        ] {
            if n > 0 {
                out.insert((tally.clone(), field.into()), n as i64);
            }
        }
        out.insert((day_tally(self.enrolled_day), "enrollments".into()), 1);
        out
    }
}

/// What changing a document from `before` to `after` (either absent) adds
/// to the counters; only the counters that change.
pub fn change(before: Option<&Amounts>, after: Option<&Amounts>) -> Amounts {
    let mut out = after.cloned().unwrap_or_default();
    for (counter, n) in before.into_iter().flatten() {
        *out.entry(counter.clone()).or_default() -= n;
    }
    out.retain(|_, n| *n != 0);
    out
}

/// Adds `more` into `total`.
pub fn accumulate(total: &mut Amounts, more: Amounts) {
    for (counter, n) in more {
        *total.entry(counter).or_default() += n;
    }
}

/// The lower bound (seconds) of the histogram bucket `seconds` falls in:
/// 15 s wide under 10 minutes, 1 minute under an hour, 5 minutes under 3
/// hours, 15 minutes under 10 hours, then hours.
pub fn seconds_bucket(seconds: f64) -> i64 {
    let s = if seconds.is_finite() { seconds.max(0.0) as i64 } else { 0 };
    let width = bucket_width(s);
    s - s % width
}

fn bucket_width(lower: i64) -> i64 {
    match lower {
        ..600 => 15,
        600..3_600 => 60,
        3_600..10_800 => 300,
        10_800..36_000 => 900,
        _ => 3_600,
    }
}

/// The median of a histogram of (bucket lower bound in seconds, count),
/// interpolated inside its bucket; `None` when empty.
pub fn histogram_median(buckets: &BTreeMap<i64, u64>) -> Option<f64> {
    let total: u64 = buckets.values().sum();
    if total == 0 {
        return None;
    }
    let half = total as f64 / 2.0;
    let mut below = 0u64;
    for (&lower, &count) in buckets {
        if count > 0 && (below + count) as f64 >= half {
            let share = (half - below as f64) / count as f64;
            return Some(lower as f64 + share * bucket_width(lower) as f64);
        }
        below += count;
    }
    None
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

    fn progress(content: &str, completed: bool, attempts: i64, seconds: f64) -> ProgressFacts {
        ProgressFacts { content: content.into(), completed, attempts, hints: 1, seconds }
    }

    #[test]
    fn a_change_adds_what_the_document_contributes_now_less_what_it_did() {
        let before = progress("c1", false, 2, 100.0).contribution();
        let after = progress("c1", true, 3, 130.0).contribution();
        let delta = change(Some(&before), Some(&after));
        let get = |field: &str| delta.get(&("item:c1".to_string(), field.to_string())).copied();
        assert_eq!(get("completed"), Some(1));
        assert_eq!(get("attempts"), Some(1));
        assert_eq!(get("seconds.120"), Some(1));
        assert_eq!(get("started"), None, "unchanged counters are left out");
        assert_eq!(get("hints"), None);
        assert_eq!(change(None, Some(&after)).len(), after.len(), "a new document adds all it contributes");
        assert!(change(Some(&after), Some(&after)).is_empty());
    }

    #[test]
    fn summing_changes_equals_the_final_contribution() {
        let steps = [
            progress("c1", false, 0, 0.0),
            progress("c1", false, 4, 300.0),
            progress("c1", true, 5, 700.0),
            progress("c1", true, 5, 4_000.0),
        ];
        let mut live = Amounts::new();
        let mut previous: Option<Amounts> = None;
        for step in &steps {
            let now = step.contribution();
            accumulate(&mut live, change(previous.as_ref(), Some(&now)));
            previous = Some(now);
        }
        live.retain(|_, n| *n != 0);
        assert_eq!(live, steps[3].contribution());
    }

    #[test]
    fn enrollments_feed_the_funnel_and_their_day() {
        let e = EnrollmentFacts {
            module: "m1".into(),
            enrolled_day: 20_782,
            percentage: 60.0,
            completed: false,
            certificate: false,
        };
        let c = e.contribution();
        assert_eq!(c.get(&("module:m1".into(), "halfway".into())), Some(&1));
        assert_eq!(c.get(&("module:m1".into(), "completed".into())), None);
        assert_eq!(c.get(&("day:2026-11-25".into(), "enrollments".into())), Some(&1));
    }

    #[test]
    fn time_buckets_widen_with_time_and_the_median_interpolates() {
        assert_eq!(seconds_bucket(14.9), 0);
        assert_eq!(seconds_bucket(599.0), 585);
        assert_eq!(seconds_bucket(659.0), 600);
        assert_eq!(seconds_bucket(3_601.0), 3_600);
        assert_eq!(seconds_bucket(f64::NAN), 0);
        assert_eq!(seconds_bucket(200_000.0), 198_000);
        let buckets: BTreeMap<i64, u64> = [(60, 1), (120, 2), (600, 1)].into_iter().collect();
        // Four values: the median sits halfway through the 120 s bucket's two.
        assert_eq!(histogram_median(&buckets), Some(120.0 + 0.5 * 15.0));
        assert_eq!(histogram_median(&BTreeMap::new()), None);
    }

    #[test]
    fn levels_fall_into_their_buckets() {
        assert_eq!(histogram([1, 3, 1, 2, 1]), [(1, 3), (2, 1), (3, 1)]);
    }
}
