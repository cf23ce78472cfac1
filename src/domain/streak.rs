//! Learning streaks, counted in the learner's days (day numbers from
//! `domain::calendar`, already shifted to the learner's time zone).
//!
//! A day counts when the learner really learned that day: study time
//! credited by heartbeats, or a completion. The current streak is the run of
//! consecutive counted days that ends today or yesterday (today may still
//! come); it is 0 once a whole day has been missed. The longest streak keeps
//! the maximum ever reached.

use std::collections::BTreeSet;

/// A heartbeat must credit at least this much time to count as learning
/// (two beats a few milliseconds apart are not a study day).
pub const MIN_LEARNING_SECONDS: f64 = 1.0;

/// Current and longest streak.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Streak {
    pub current: i32,
    pub longest: i32,
}

/// The streak after learning on `today`, given the streak stored after the
/// last learning day `last_day` (incremental update on each event).
pub fn advance(stored: Streak, last_day: Option<i64>, today: i64) -> Streak {
    let current = match last_day {
        Some(last) if last == today => stored.current.max(1),
        Some(last) if last == today - 1 => stored.current + 1,
        Some(last) if last > today => stored.current.max(1), // clock or zone moved back: keep it
        _ => 1,
    };
    Streak { current, longest: stored.longest.max(current) }
}

/// The current streak as it stands on `today` (0 after a missed day).
pub fn as_of(current: i32, last_day: Option<i64>, today: i64) -> i32 {
    match last_day {
        Some(last) if last >= today - 1 => current,
        _ => 0,
    }
}

/// The streak from every counted day (a rebuild from the source documents).
pub fn from_days(days: &BTreeSet<i64>, today: i64) -> Streak {
    let mut longest = 0;
    let mut run = 0;
    let mut previous: Option<i64> = None;
    for &day in days.iter().filter(|d| **d <= today) {
        run = if previous == Some(day - 1) { run + 1 } else { 1 };
        longest = longest.max(run);
        previous = Some(day);
    }
    let current = match previous {
        Some(last) if last >= today - 1 => run,
        _ => 0,
    };
    Streak { current, longest }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(current: i32, longest: i32) -> Streak {
        Streak { current, longest }
    }

    #[test]
    fn each_learning_day_extends_or_restarts_the_streak() {
        let cases = [
            (s(0, 0), None, 100, s(1, 1)),
            (s(3, 5), Some(100), 100, s(3, 5)),
            (s(3, 5), Some(99), 100, s(4, 5)),
            (s(5, 5), Some(99), 100, s(6, 6)),
            (s(5, 9), Some(98), 100, s(1, 9)),
            (s(0, 2), Some(100), 100, s(1, 2)),
            (s(4, 4), Some(101), 100, s(4, 4)),
        ];
        for (stored, last, today, expected) in cases {
            assert_eq!(advance(stored, last, today), expected, "{stored:?} {last:?} {today}");
        }
    }

    #[test]
    fn a_missed_day_ends_the_current_streak() {
        assert_eq!(as_of(4, Some(100), 100), 4);
        assert_eq!(as_of(4, Some(99), 100), 4, "today can still come");
        assert_eq!(as_of(4, Some(98), 100), 0);
        assert_eq!(as_of(4, None, 100), 0);
    }

    #[test]
    fn rebuilding_from_days_matches_the_incremental_rule() {
        let days: BTreeSet<i64> = [1, 2, 3, 7, 8, 10, 11, 12, 13].into_iter().collect();
        assert_eq!(from_days(&days, 13), s(4, 4));
        assert_eq!(from_days(&days, 14), s(4, 4));
        assert_eq!(from_days(&days, 15), s(0, 4));
        assert_eq!(from_days(&BTreeSet::new(), 5), s(0, 0));
        assert_eq!(from_days(&[5, 6, 9].into_iter().collect(), 8), s(0, 2), "future days are ignored");
        // The same days fed one by one give the same answer.
        let mut streak = Streak::default();
        let mut last = None;
        for &day in &days {
            streak = advance(streak, last, day);
            last = Some(day);
        }
        assert_eq!(streak, from_days(&days, 13));
    }
}
