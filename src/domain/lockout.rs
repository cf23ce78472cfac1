//! Account lockout after repeated failed sign-ins (spec fields
//! `security.loginAttempts` and `security.lockUntil`).

/// Failed sign-ins in a row that lock the account.
pub const MAX_FAILED_ATTEMPTS: i32 = 5;
/// How long a lock lasts, in minutes.
pub const LOCK_MINUTES: i64 = 15;

/// What the account records after one more failed sign-in at `now_ms`:
/// the new attempt count and, when the limit is reached, the lock's end
/// (the count then starts over).
pub fn after_failure(attempts: i32, now_ms: i64) -> (i32, Option<i64>) {
    let attempts = attempts.max(0).saturating_add(1);
    if attempts >= MAX_FAILED_ATTEMPTS { (0, Some(now_ms + LOCK_MINUTES * 60_000)) } else { (attempts, None) }
}

/// Whole minutes left on a lock (at least 1 while locked), or `None` when not locked.
pub fn minutes_left(lock_until_ms: Option<i64>, now_ms: i64) -> Option<i64> {
    let until = lock_until_ms?;
    (until > now_ms).then(|| ((until - now_ms) + 59_999) / 60_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_lock_for_fifteen_minutes() {
        let now = 1_000_000;
        let mut attempts = 0;
        for expected in 1..MAX_FAILED_ATTEMPTS {
            let (next, lock) = after_failure(attempts, now);
            assert_eq!((next, lock), (expected, None));
            attempts = next;
        }
        assert_eq!(after_failure(attempts, now), (0, Some(now + 15 * 60_000)));
        assert_eq!(after_failure(-3, now), (1, None), "a corrupt count is treated as zero");
    }

    #[test]
    fn minutes_left_rounds_up_and_ends() {
        assert_eq!(minutes_left(None, 0), None);
        assert_eq!(minutes_left(Some(60_000), 0), Some(1));
        assert_eq!(minutes_left(Some(60_001), 0), Some(2));
        assert_eq!(minutes_left(Some(15 * 60_000), 1), Some(15));
        assert_eq!(minutes_left(Some(100), 100), None);
        assert_eq!(minutes_left(Some(100), 200), None);
    }
}
