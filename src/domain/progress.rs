//! How a learner's progress on one content item is measured: watched video
//! segments, study time from heartbeats, document sections read, and the
//! completion rule of `completionCriteria`. Pure: the server feeds in stored
//! documents and its own clock, never numbers the browser claims as facts.
//!
//! The numbers (documented in the README):
//! - the player sends a heartbeat every [`HEARTBEAT_SECONDS`] while the
//!   learner is active; one heartbeat credits the *server* time since the
//!   previous one, at most [`MAX_CREDIT_SECONDS`]. Two tabs share one clock
//!   (the previous heartbeat of either), so they never double-count, and a
//!   forged flood of heartbeats earns no more than wall-clock time;
//! - a video segment reported by a heartbeat is cut to what could have been
//!   played since the previous heartbeat at [`MAX_PLAYBACK_SPEED`] (plus
//!   [`SEGMENT_SLACK_SECONDS`]), so a claimed "watched it all" earns seconds;
//! - the video's length is the one the browser first reported, held within
//!   the content's `duration` minute, and then kept;
//! - a document section counts as read after [`SECTION_READ_SECONDS`] on it;
//! - a gap over [`SESSION_GAP_SECONDS`] starts a new study session.

use serde::{Deserialize, Serialize};

use crate::model::{CompletionType, ContentType};

pub const HEARTBEAT_SECONDS: f64 = 15.0;
pub const MAX_CREDIT_SECONDS: f64 = 30.0;
pub const MAX_PLAYBACK_SPEED: f64 = 2.0;
pub const MIN_PLAYBACK_SPEED: f64 = 0.5;
pub const SEGMENT_SLACK_SECONDS: f64 = 2.0;
/// Segments closer than this merge (the player reports positions a few times a second).
pub const MERGE_TOLERANCE_SECONDS: f64 = 0.5;
pub const SECTION_READ_SECONDS: f64 = 5.0;
pub const SESSION_GAP_SECONDS: f64 = 300.0;
/// Newest sessions kept in a document; `timeSpent.total` stays exact.
pub const MAX_SESSIONS: usize = 50;

/// Seconds of a video the learner watched.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    pub start: f64,
    pub end: f64,
}

impl Segment {
    pub fn len(&self) -> f64 {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.len() <= 0.0
    }
}

/// Sorts and merges overlapping or touching segments.
pub fn merge(segments: impl IntoIterator<Item = Segment>) -> Vec<Segment> {
    let mut all: Vec<Segment> =
        segments.into_iter().filter(|s| s.start.is_finite() && s.end.is_finite() && !s.is_empty()).collect();
    all.sort_by(|a, b| a.start.total_cmp(&b.start));
    let mut merged: Vec<Segment> = Vec::with_capacity(all.len());
    for s in all {
        match merged.last_mut() {
            Some(last) if s.start <= last.end + MERGE_TOLERANCE_SECONDS => last.end = last.end.max(s.end),
            _ => merged.push(s),
        }
    }
    merged
}

/// Seconds covered by merged segments.
pub fn covered_seconds(merged: &[Segment]) -> f64 {
    merged.iter().map(Segment::len).sum()
}

/// Percentage (0..=100, one decimal) of a video of `length` seconds covered by `merged`.
pub fn coverage_percentage(merged: &[Segment], length: f64) -> f64 {
    if length.is_nan() || length <= 0.0 {
        return 0.0;
    }
    let covered: f64 = merged.iter().map(|s| (s.end.min(length) - s.start.max(0.0)).max(0.0)).sum();
    round1((covered / length * 100.0).min(100.0))
}

/// The part of a segment the server believes: inside the video, and no longer
/// than could have played in `elapsed` seconds of server time at `speed`.
pub fn accept_segment(claimed: Segment, length: f64, elapsed: f64, speed: f64) -> Option<Segment> {
    if !claimed.start.is_finite() || !claimed.end.is_finite() || length.is_nan() || length <= 0.0 {
        return None;
    }
    let start = claimed.start.max(0.0).min(length);
    let speed = if speed.is_finite() { speed.clamp(MIN_PLAYBACK_SPEED, MAX_PLAYBACK_SPEED) } else { 1.0 };
    let playable = elapsed.clamp(0.0, MAX_CREDIT_SECONDS) * speed + SEGMENT_SLACK_SECONDS;
    let end = claimed.end.min(length).min(start + playable);
    let accepted = Segment { start, end };
    (!accepted.is_empty()).then_some(accepted)
}

/// The length in seconds the server keeps for a video: the first length the
/// browser reported, held inside the content's `duration` minute (the spec
/// stores whole minutes, so `2` means more than 60 and at most 120 seconds).
pub fn accept_video_length(reported: f64, duration_minutes: Option<i32>) -> Option<f64> {
    if !reported.is_finite() || reported <= 0.0 {
        return None;
    }
    let Some(minutes) = duration_minutes.filter(|m| *m > 0) else {
        return Some(reported.min(24.0 * 3600.0));
    };
    let upper = f64::from(minutes) * 60.0;
    let lower = (upper - 60.0).max(1.0);
    (reported > lower - 1.0 && reported <= upper + 1.0).then_some(reported.min(upper))
}

/// Study time a heartbeat earns: server seconds since the previous heartbeat, capped.
pub fn credit_seconds(previous_ms: Option<i64>, now_ms: i64) -> f64 {
    match previous_ms {
        None => 0.0,
        Some(prev) if now_ms <= prev => 0.0,
        Some(prev) => ((now_ms - prev) as f64 / 1000.0).min(MAX_CREDIT_SECONDS),
    }
}

/// One study session: times in Unix milliseconds, duration in seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Session {
    pub start_ms: i64,
    pub end_ms: i64,
    pub duration: f64,
    pub progress_gained: f64,
}

/// Adds credited time to the newest session when the learner was here less
/// than [`SESSION_GAP_SECONDS`] ago, or opens a new one; keeps the newest
/// [`MAX_SESSIONS`].
pub fn add_to_sessions(sessions: &mut Vec<Session>, now_ms: i64, credited: f64, gained: f64) {
    if credited <= 0.0 && gained <= 0.0 {
        return;
    }
    let gap_ms = (SESSION_GAP_SECONDS * 1000.0) as i64;
    match sessions.last_mut() {
        Some(last) if now_ms >= last.end_ms && now_ms - last.end_ms <= gap_ms => {
            last.end_ms = now_ms;
            last.duration += credited;
            last.progress_gained = round1(last.progress_gained + gained);
        }
        _ => sessions.push(Session {
            start_ms: now_ms - (credited * 1000.0) as i64,
            end_ms: now_ms,
            duration: credited,
            progress_gained: round1(gained),
        }),
    }
    if sessions.len() > MAX_SESSIONS {
        let extra = sessions.len() - MAX_SESSIONS;
        sessions.drain(..extra);
    }
}

/// Time spent per document section (1-based section numbers).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SectionTime {
    pub section: i32,
    pub seconds: f64,
}

/// Credits `seconds` to `section`, adding it on first visit.
pub fn add_section_time(pages: &mut Vec<SectionTime>, section: i32, seconds: f64) {
    match pages.iter_mut().find(|p| p.section == section) {
        Some(p) => p.seconds += seconds,
        None => pages.push(SectionTime { section, seconds }),
    }
}

/// Percentage of `total` sections read (each for at least [`SECTION_READ_SECONDS`]).
pub fn sections_read_percentage(pages: &[SectionTime], total: i32) -> f64 {
    if total <= 0 {
        return 0.0;
    }
    let read = pages.iter().filter(|p| p.section >= 1 && p.section <= total && is_read(p)).count();
    round1((read as f64 / f64::from(total) * 100.0).min(100.0))
}

pub fn is_read(page: &SectionTime) -> bool {
    page.seconds >= SECTION_READ_SECONDS
}

/// What the server observed of one learner on one content item.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Observed {
    /// Video coverage or document sections read, 0..=100; labs and games
    /// count 100 once passed.
    pub percentage: f64,
    /// Passing interactions: an accepted lab flag, a passed game attempt, a
    /// fully watched video, a read section of a document.
    pub interactions: i32,
    /// The learner marked it done.
    pub marked_done: bool,
}

/// The completion rule a content item really uses, from its `completionCriteria`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Criteria {
    pub kind: CompletionType,
    pub required_percentage: f64,
    pub required_interactions: Option<i32>,
}

/// Whether the learner has completed the item.
///
/// Labs and games are never complete without a pass, whatever their
/// criteria say: time on a quiz is not knowing the answers.
pub fn is_complete(kind: ContentType, criteria: Criteria, observed: Observed) -> bool {
    let passed_practice = matches!(kind, ContentType::Lab | ContentType::Game) && observed.interactions >= 1;
    match criteria.kind {
        CompletionType::Manual => observed.marked_done && (passed_practice || !needs_pass(kind)),
        CompletionType::TimeBased if needs_pass(kind) => passed_practice,
        CompletionType::TimeBased => observed.percentage >= criteria.required_percentage.clamp(0.0, 100.0),
        CompletionType::InteractionBased => observed.interactions >= criteria.required_interactions.unwrap_or(1).max(1),
    }
}

fn needs_pass(kind: ContentType) -> bool {
    matches!(kind, ContentType::Lab | ContentType::Game)
}

/// A module's progress as its enrollment stores it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ModuleProgress {
    pub percentage: f64,
    pub completed: i32,
    pub total: i32,
    pub is_complete: bool,
}

/// `completed / total active content`, rounded down to a whole percent so
/// that 100 means everything is done; a module without content is never complete.
pub fn module_progress(completed: usize, total: usize) -> ModuleProgress {
    let completed = completed.min(total);
    let percentage = (completed * 100).checked_div(total).unwrap_or(0) as f64;
    ModuleProgress {
        percentage,
        completed: i32::try_from(completed).unwrap_or(i32::MAX),
        total: i32::try_from(total).unwrap_or(i32::MAX),
        is_complete: total > 0 && completed == total,
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(start: f64, end: f64) -> Segment {
        Segment { start, end }
    }

    #[test]
    fn segments_merge_when_they_overlap_or_touch() {
        let cases: &[(&[Segment], &[Segment])] = &[
            (&[], &[]),
            (&[seg(0.0, 10.0)], &[seg(0.0, 10.0)]),
            (&[seg(10.0, 20.0), seg(0.0, 10.0)], &[seg(0.0, 20.0)]),
            (&[seg(0.0, 10.0), seg(5.0, 8.0)], &[seg(0.0, 10.0)]),
            (&[seg(0.0, 10.0), seg(10.4, 12.0)], &[seg(0.0, 12.0)]),
            (&[seg(0.0, 10.0), seg(11.0, 12.0)], &[seg(0.0, 10.0), seg(11.0, 12.0)]),
            (&[seg(30.0, 40.0), seg(0.0, 5.0), seg(4.0, 31.0)], &[seg(0.0, 40.0)]),
            (&[seg(5.0, 5.0), seg(8.0, 2.0), seg(f64::NAN, 3.0)], &[]),
        ];
        for (input, expected) in cases {
            assert_eq!(merge(input.iter().copied()), expected.to_vec(), "{input:?}");
        }
    }

    #[test]
    fn replaying_the_same_part_never_raises_coverage() {
        let once = merge([seg(0.0, 30.0)]);
        let thrice = merge([seg(0.0, 30.0), seg(0.0, 30.0), seg(10.0, 20.0)]);
        assert_eq!(coverage_percentage(&once, 100.0), 30.0);
        assert_eq!(coverage_percentage(&thrice, 100.0), 30.0);
        assert_eq!(covered_seconds(&thrice), 30.0);
    }

    #[test]
    fn coverage_is_bounded_and_rounded() {
        assert_eq!(coverage_percentage(&[seg(0.0, 200.0)], 100.0), 100.0);
        assert_eq!(coverage_percentage(&[seg(0.0, 1.0)], 3.0), 33.3);
        assert_eq!(coverage_percentage(&[seg(0.0, 1.0)], 0.0), 0.0);
        assert_eq!(coverage_percentage(&[seg(0.0, 1.0)], f64::NAN), 0.0);
        assert_eq!(coverage_percentage(&[seg(-5.0, 10.0)], 20.0), 50.0);
    }

    #[test]
    fn a_heartbeat_covers_no_more_than_could_have_played() {
        // 15 s of server time at normal speed: 15 s + slack.
        assert_eq!(accept_segment(seg(0.0, 96.0), 96.0, 15.0, 1.0), Some(seg(0.0, 17.0)));
        // At double speed twice as much.
        assert_eq!(accept_segment(seg(10.0, 96.0), 96.0, 15.0, 2.0), Some(seg(10.0, 42.0)));
        // A claimed speed of 16x counts as 2x.
        assert_eq!(accept_segment(seg(0.0, 96.0), 96.0, 10.0, 16.0), Some(seg(0.0, 22.0)));
        // Server time is capped as study time is: a day-long gap earns 30 s.
        assert_eq!(accept_segment(seg(0.0, 96.0), 96.0, 86_400.0, 1.0), Some(seg(0.0, 32.0)));
        // Clamped to the video.
        assert_eq!(accept_segment(seg(90.0, 500.0), 96.0, 15.0, 1.0), Some(seg(90.0, 96.0)));
        assert_eq!(accept_segment(seg(-3.0, 2.0), 96.0, 15.0, 1.0), Some(seg(0.0, 2.0)));
        // Nonsense earns nothing.
        for bad in [seg(10.0, 5.0), seg(f64::NAN, 5.0), seg(0.0, f64::INFINITY), seg(200.0, 300.0)] {
            assert_eq!(accept_segment(bad, 96.0, 15.0, 1.0), None, "{bad:?}");
        }
        assert_eq!(accept_segment(seg(0.0, 5.0), 0.0, 15.0, 1.0), None);
    }

    #[test]
    fn video_length_must_fit_the_content_duration() {
        assert_eq!(accept_video_length(96.0, Some(2)), Some(96.0));
        assert_eq!(accept_video_length(120.4, Some(2)), Some(120.0));
        assert_eq!(accept_video_length(61.0, Some(2)), Some(61.0));
        assert_eq!(accept_video_length(10.0, Some(2)), None, "a forged short length");
        assert_eq!(accept_video_length(500.0, Some(2)), None);
        assert_eq!(accept_video_length(30.0, Some(1)), Some(30.0));
        assert_eq!(accept_video_length(30.0, None), Some(30.0));
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert_eq!(accept_video_length(bad, None), None);
        }
    }

    #[test]
    fn study_time_is_server_time_since_the_last_heartbeat_capped() {
        assert_eq!(credit_seconds(None, 1_000), 0.0);
        assert_eq!(credit_seconds(Some(0), 15_000), 15.0);
        assert_eq!(credit_seconds(Some(0), 3_600_000), MAX_CREDIT_SECONDS);
        assert_eq!(credit_seconds(Some(10_000), 5_000), 0.0, "clock went backwards");
        // Two tabs beating alternately share one clock: total = wall time.
        let mut last = 0;
        let mut total = 0.0;
        for now in (7_500..=60_000).step_by(7_500) {
            total += credit_seconds(Some(last), now);
            last = now;
        }
        assert_eq!(total, 60.0);
    }

    #[test]
    fn sessions_continue_within_the_gap_and_split_after_it() {
        let mut s = Vec::new();
        add_to_sessions(&mut s, 100_000, 15.0, 10.0);
        add_to_sessions(&mut s, 115_000, 15.0, 5.0);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].duration, 30.0);
        assert_eq!(s[0].progress_gained, 15.0);
        assert_eq!(s[0].start_ms, 85_000);
        add_to_sessions(&mut s, 115_000 + 301_000, 30.0, 0.0);
        assert_eq!(s.len(), 2);
        add_to_sessions(&mut s, 500_000, 0.0, 0.0);
        assert_eq!(s.len(), 2, "nothing credited, nothing recorded");
        for i in 0..200 {
            add_to_sessions(&mut s, 10_000_000 + i * 1_000_000, 10.0, 0.0);
        }
        assert_eq!(s.len(), MAX_SESSIONS);
        assert_eq!(s.last().map(|l| l.end_ms), Some(10_000_000 + 199 * 1_000_000));
    }

    #[test]
    fn sections_count_once_read_long_enough() {
        let mut pages = Vec::new();
        add_section_time(&mut pages, 1, 3.0);
        assert_eq!(sections_read_percentage(&pages, 4), 0.0);
        add_section_time(&mut pages, 1, 2.0);
        add_section_time(&mut pages, 3, 30.0);
        add_section_time(&mut pages, 9, 30.0); // not a section of this document
        assert_eq!(pages.len(), 3);
        assert_eq!(sections_read_percentage(&pages, 4), 50.0);
        assert_eq!(sections_read_percentage(&pages, 0), 0.0);
    }

    fn criteria(kind: CompletionType) -> Criteria {
        Criteria { kind, required_percentage: 90.0, required_interactions: None }
    }

    #[test]
    fn completion_follows_the_criteria() {
        use CompletionType::*;
        use ContentType::*;
        let seen = |percentage, interactions, marked_done| Observed { percentage, interactions, marked_done };
        let cases = [
            (Video, criteria(TimeBased), seen(89.9, 0, false), false),
            (Video, criteria(TimeBased), seen(90.0, 0, false), true),
            (Document, criteria(TimeBased), seen(100.0, 0, false), true),
            (Video, Criteria { required_percentage: 0.0, ..criteria(TimeBased) }, seen(0.0, 0, false), true),
            (Video, criteria(TimeBased), seen(0.0, 0, true), false),
            (Lab, criteria(TimeBased), seen(100.0, 0, false), false),
            (Lab, criteria(TimeBased), seen(0.0, 1, false), true),
            (Game, criteria(InteractionBased), seen(0.0, 0, false), false),
            (Game, criteria(InteractionBased), seen(0.0, 1, false), true),
            (
                Game,
                Criteria { required_interactions: Some(3), ..criteria(InteractionBased) },
                seen(0.0, 2, false),
                false,
            ),
            (
                Game,
                Criteria { required_interactions: Some(3), ..criteria(InteractionBased) },
                seen(0.0, 3, false),
                true,
            ),
            (
                Game,
                Criteria { required_interactions: Some(0), ..criteria(InteractionBased) },
                seen(0.0, 0, false),
                false,
            ),
            (Document, criteria(Manual), seen(0.0, 0, false), false),
            (Document, criteria(Manual), seen(0.0, 0, true), true),
            (Video, criteria(Manual), seen(100.0, 1, false), false),
            (Lab, criteria(Manual), seen(0.0, 0, true), false),
            (Lab, criteria(Manual), seen(0.0, 1, true), true),
            (Document, criteria(InteractionBased), seen(0.0, 1, false), true),
        ];
        for (kind, criteria, observed, expected) in cases {
            assert_eq!(is_complete(kind, criteria, observed), expected, "{kind:?} {criteria:?} {observed:?}");
        }
    }

    #[test]
    fn module_progress_is_completed_over_total() {
        let cases = [
            (0, 0, 0.0, false),
            (0, 5, 0.0, false),
            (1, 3, 33.0, false),
            (2, 3, 66.0, false),
            (299, 300, 99.0, false),
            (5, 5, 100.0, true),
            (7, 5, 100.0, true),
        ];
        for (completed, total, percentage, done) in cases {
            let p = module_progress(completed, total);
            assert_eq!((p.percentage, p.is_complete), (percentage, done), "{completed}/{total}");
            assert!(p.completed <= p.total);
        }
    }
}
