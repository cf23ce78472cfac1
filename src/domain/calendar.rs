//! Days: study minutes per day for charts (and, later, streaks). Days are
//! counted in UTC shifted by the learner's offset in minutes, with civil
//! dates computed by hand (Howard Hinnant's algorithm) so the browser build
//! needs no date library.

const DAY_MS: i64 = 86_400_000;

/// The day number (days since 1970-01-01) of a Unix time in milliseconds, at `offset_minutes` from UTC.
pub fn day_of(ms: i64, offset_minutes: i32) -> i64 {
    (ms + i64::from(offset_minutes) * 60_000).div_euclid(DAY_MS)
}

/// `YYYY-MM-DD` of a day number.
pub fn date_of(day: i64) -> String {
    let (y, m, d) = civil(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// How much of a UTC time [`utc_stamp`] writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stamp {
    /// `YYYY-MM-DD`
    Day,
    /// `YYYY-MM-DD HH:MM`
    Minute,
    /// `YYYY-MM-DD HH:MM:SS`
    Second,
}

/// A Unix time in milliseconds as a UTC date (and time), for admin tables and logs.
pub fn utc_stamp(ms: i64, part: Stamp) -> String {
    let date = date_of(day_of(ms, 0));
    let second = ms.div_euclid(1000).rem_euclid(86_400);
    let (h, m, s) = (second / 3600, second / 60 % 60, second % 60);
    match part {
        Stamp::Day => date,
        Stamp::Minute => format!("{date} {h:02}:{m:02}"),
        Stamp::Second => format!("{date} {h:02}:{m:02}:{s:02}"),
    }
}

/// A day number written out in English, e.g. "25 November 2026".
pub fn long_date_of(day: i64) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let (y, m, d) = civil(day);
    let month = usize::try_from(m - 1).ok().and_then(|i| MONTHS.get(i)).copied().unwrap_or("?");
    format!("{d} {month} {y}")
}

/// (year, month 1..=12, day 1..=31) of a day number.
fn civil(day: i64) -> (i64, i64, i64) {
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Minutes studied on each of the `days` days ending today, oldest first.
/// `sessions` are (end time in ms, duration in seconds); a session counts
/// on the day it ended.
pub fn minutes_per_day(sessions: &[(i64, f64)], now_ms: i64, offset_minutes: i32, days: i64) -> Vec<(String, f64)> {
    let today = day_of(now_ms, offset_minutes);
    let first = today - days + 1;
    let mut minutes = vec![0.0; usize::try_from(days.max(0)).unwrap_or(0)];
    for &(end_ms, seconds) in sessions {
        let day = day_of(end_ms, offset_minutes);
        if (first..=today).contains(&day)
            && let Some(slot) = usize::try_from(day - first).ok().and_then(|i| minutes.get_mut(i))
        {
            *slot += seconds.max(0.0) / 60.0;
        }
    }
    minutes.into_iter().enumerate().map(|(i, m)| (date_of(first + i as i64), m)).collect()
}

#[cfg(test)]
mod tests {

    #[test]
    fn utc_stamps_write_the_date_and_time_to_the_asked_part() {
        let ms = 20_782 * DAY_MS + 13 * 3_600_000 + 5 * 60_000 + 9_000 + 999; // 2026-11-25 13:05:09.999
        assert_eq!(utc_stamp(ms, Stamp::Day), "2026-11-25");
        assert_eq!(utc_stamp(ms, Stamp::Minute), "2026-11-25 13:05");
        assert_eq!(utc_stamp(ms, Stamp::Second), "2026-11-25 13:05:09");
        assert_eq!(utc_stamp(-1, Stamp::Second), "1969-12-31 23:59:59");
    }

    use super::*;

    #[test]
    fn civil_dates_are_right_across_leap_years_and_eras() {
        let cases = [
            (0, "1970-01-01"),
            (-1, "1969-12-31"),
            (59, "1970-03-01"),
            (11_016, "2000-02-29"),
            (20_517, "2026-03-05"),
            (20_782, "2026-11-25"),
            (-719_468, "0000-03-01"),
        ];
        for (day, date) in cases {
            assert_eq!(date_of(day), date, "{day}");
        }
        assert_eq!(long_date_of(20_782), "25 November 2026");
        assert_eq!(long_date_of(11_016), "29 February 2000");
        assert_eq!(long_date_of(-1), "31 December 1969");
    }

    #[test]
    fn days_follow_the_offset() {
        let just_before_midnight_utc = 20_782 * DAY_MS - 1;
        assert_eq!(day_of(just_before_midnight_utc, 0), 20_781);
        assert_eq!(day_of(just_before_midnight_utc, 60), 20_782, "UTC+1 is already the next day");
        assert_eq!(day_of(20_782 * DAY_MS, -60), 20_781, "UTC−1 is still the day before");
    }

    #[test]
    fn study_minutes_land_on_their_days() {
        let now = 20_782 * DAY_MS + 12 * 3_600_000; // 2026-11-25 12:00 UTC
        let sessions = [
            (now - 1_000, 600.0),         // today, 10 min
            (now - 2 * 3_600_000, 120.0), // today, 2 min
            (now - DAY_MS, 300.0),        // yesterday, 5 min
            (now - 40 * DAY_MS, 6_000.0), // too old
            (now + DAY_MS, 60.0),         // the future is ignored
        ];
        let days = minutes_per_day(&sessions, now, 0, 30);
        assert_eq!(days.len(), 30);
        assert_eq!(days[29], ("2026-11-25".to_string(), 12.0));
        assert_eq!(days[28], ("2026-11-24".to_string(), 5.0));
        assert_eq!(days[0].0, "2026-10-27");
        assert_eq!(days.iter().map(|d| d.1).sum::<f64>(), 17.0);
    }
}
