//! Learners' time zones (IANA names, `preferences.timeZone`), from the tz
//! database bundled into the server by `jiff`, so days and streaks follow
//! the learner's midnight, daylight saving time included.

/// Minutes east of UTC in `zone` at the instant `at_ms`; `None` for an unknown zone.
pub fn offset_minutes(zone: &str, at_ms: i64) -> Option<i32> {
    let tz = jiff::tz::TimeZone::get(zone).ok()?;
    let instant = jiff::Timestamp::from_millisecond(at_ms).ok()?;
    Some(tz.to_offset(instant).seconds() / 60)
}

/// Offset of a learner's zone, UTC when the zone is unknown.
pub fn offset_or_utc(zone: &str, at_ms: i64) -> i32 {
    offset_minutes(zone, at_ms).unwrap_or(0)
}

pub fn is_known(zone: &str) -> bool {
    jiff::tz::TimeZone::get(zone).is_ok()
}

/// Every zone name, sorted, for the settings page.
pub fn names() -> Vec<String> {
    let mut names: Vec<String> = jiff::tz::db().available().map(|n| n.to_string()).collect();
    names.retain(|n| n.contains('/') || n == "UTC");
    names.sort();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_follow_daylight_saving_time() {
        let january = 1_767_225_600_000; // 2026-01-01T00:00Z
        let july = 1_782_864_000_000; // 2026-07-01T00:00Z
        assert_eq!(offset_minutes("UTC", january), Some(0));
        assert_eq!(offset_minutes("Europe/Paris", january), Some(60));
        assert_eq!(offset_minutes("Europe/Paris", july), Some(120));
        assert_eq!(offset_minutes("America/New_York", july), Some(-240));
        assert_eq!(offset_minutes("Asia/Kolkata", july), Some(330));
        assert_eq!(offset_minutes("Mars/Olympus", july), None);
        assert_eq!(offset_or_utc("nonsense", july), 0);
        assert!(names().contains(&"Europe/Paris".to_string()));
        assert!(names().contains(&"UTC".to_string()));
    }
}
