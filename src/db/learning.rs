//! Recording learning: opening an item, heartbeats, game and lab submissions,
//! hints, manual completion, bookmarks and ratings, then keeping the
//! enrollment's progress right.
//!
//! Every change to one learner's progress runs under that learner's lock
//! ([`super::lock::lock_learner`]) as read → pure rules (`domain::progress`,
//! `domain::grading`) → one `replace_one` of the progress document. That
//! makes each write atomic per document and immune to FerretDB 1.24 losing
//! concurrent updates; two tabs or a double-submitted form are serialised,
//! and submissions carry an attempt id so a repeat is answered, not counted.
//! The enrollment's numbers are recomputed from the progress documents
//! whenever an item's completion changes, so a crash between the two writes
//! is repaired by the next change (or `foothold rebuild`).

use std::collections::HashSet;

use mongodb::Database;
use mongodb::bson::oid::ObjectId;
use mongodb::bson::{DateTime, Document, doc, to_bson};

use super::awards::Trigger;
use super::collections::{ENROLLMENTS, PROGRESS};
use super::content::Content;
use super::enrollment::{Enrollment, StudySession};
use super::error::RepoError;
use super::lock::lock_learner;
use super::progress::{self, Bookmark, PageRead, Progress, ProgressSession};
use crate::domain::grading::{self, Graded};
use crate::domain::progress::{self as rules, Criteria, Observed, SectionTime, Session};
use crate::model::learn::Beat;
use crate::model::{ContentType, Device, EnrollmentStatus, TriggerType};

/// Most bookmarks one learner keeps on one item.
pub const MAX_BOOKMARKS: usize = 100;
pub const MAX_NOTE_CHARS: usize = 500;
pub const MAX_FEEDBACK_CHARS: usize = 1000;
/// Attempt ids remembered per item.
const RECENT_ATTEMPTS: usize = 20;

/// A content item with what the rules need to know about it.
#[derive(Debug, Clone)]
pub struct Item {
    pub content: Content,
    /// Sections of a document (0 for other types).
    pub sections: i32,
}

impl Item {
    pub fn new(content: Content) -> Item {
        let sections = match (&content.kind, &content.content.document_content, content.content.document_format) {
            (ContentType::Document, Some(text), Some(format)) => {
                i32::try_from(crate::markdown::sections(text, format, "").len()).unwrap_or(i32::MAX)
            }
            _ => 0,
        };
        Item { content, sections }
    }

    fn criteria(&self) -> Criteria {
        let c = &self.content.completion_criteria;
        Criteria {
            kind: c.kind,
            required_percentage: c.required_percentage,
            required_interactions: c.required_interactions,
        }
    }
}

/// Who is learning, from which kind of device.
#[derive(Debug, Clone)]
pub struct Learner {
    pub id: ObjectId,
    pub device: Device,
    pub browser: Option<String>,
}

/// What a change did.
#[derive(Debug, Clone)]
pub struct Recorded<T> {
    pub value: T,
    pub progress: Progress,
    pub enrollment: Enrollment,
    pub just_completed: bool,
    pub module_completed: bool,
    /// Achievements this change earned.
    pub earned: Vec<super::awards::Earned>,
    /// How much the learner's points grew by this change (its completion,
    /// the module's, and the achievements it earned).
    pub points: i64,
}

/// Opens an item: creates the learner's progress document on first visit,
/// counts a view on later ones, and marks the item and module accessed.
pub async fn open(
    db: &Database,
    learner: &Learner,
    item: &Item,
    enrollment: Enrollment,
) -> Result<Progress, RepoError> {
    let _guard = lock_learner(learner.id).await;
    let existing = progress::get(db, learner.id, item.content.id).await?;
    let now = DateTime::now();
    let p = match existing {
        None => {
            let mut p = progress::start(db, learner.id, item.content.id, learner.device).await?;
            if learner.browser.is_some() && p.browser.is_none() {
                p.browser = learner.browser.clone();
                save(db, &p).await?;
            }
            p
        }
        Some(mut p) => {
            p.interactions.views = p.interactions.views.saturating_add(1);
            p.last_accessed_at = now;
            p.device = learner.device;
            p.browser = learner.browser.clone().or(p.browser);
            p.updated_at = now;
            save(db, &p).await?;
            p
        }
    };
    touch_enrollment(db, enrollment.id, now).await?;
    super::tallies::touch(db, learner.id, now.timestamp_millis()).await;
    Ok(p)
}

async fn save(db: &Database, p: &Progress) -> Result<(), RepoError> {
    p.validate()?;
    db.collection::<Progress>(PROGRESS).replace_one(doc! { "_id": p.id }, p).await?;
    Ok(())
}

async fn touch_enrollment(db: &Database, enrollment: ObjectId, now: DateTime) -> Result<(), RepoError> {
    db.collection::<Document>(ENROLLMENTS)
        .update_one(doc! { "_id": enrollment }, doc! { "$set": { "lastAccessedAt": now, "updatedAt": now } })
        .await?;
    Ok(())
}

/// Marks the enrollment accessed `now` and adds `seconds` of study time to
/// it (its total and its study sessions): one write, under the learner's
/// lock, after a read of the enrollment unless `enrollment` is `Current`
/// (read under this same hold of the lock: only that lock's holders write
/// the study sessions).
async fn touch_enrollment_studied(
    db: &Database,
    enrollment: &Enrollment,
    freshness: Freshness,
    now: DateTime,
    seconds: f64,
) -> Result<(), RepoError> {
    if seconds <= 0.0 {
        return touch_enrollment(db, enrollment.id, now).await;
    }
    let read;
    let fresh = match freshness {
        Freshness::Current => enrollment,
        Freshness::Stale => {
            read = db
                .collection::<Enrollment>(ENROLLMENTS)
                .find_one(doc! { "_id": enrollment.id })
                .await?
                .ok_or(RepoError::NotFound("Enrollment"))?;
            &read
        }
    };
    let mut sessions: Vec<Session> = fresh
        .time_spent
        .sessions
        .iter()
        .map(|s| Session {
            start_ms: s.start_time.timestamp_millis(),
            end_ms: s.end_time.timestamp_millis(),
            duration: s.duration * 60.0,
            progress_gained: 0.0,
        })
        .collect();
    rules::add_to_sessions(&mut sessions, now.timestamp_millis(), seconds, 0.0);
    let sessions: Vec<StudySession> = sessions
        .iter()
        .map(|s| StudySession {
            start_time: DateTime::from_millis(s.start_ms),
            end_time: DateTime::from_millis(s.end_ms),
            duration: s.duration / 60.0,
        })
        .collect();
    db.collection::<Document>(ENROLLMENTS)
        .update_one(
            doc! { "_id": enrollment.id },
            doc! {
                "$set": { "timeSpent.sessions": to_bson(&sessions)?, "lastAccessedAt": now, "updatedAt": now },
                "$inc": { "timeSpent.total": seconds / 60.0 },
            },
        )
        .await?;
    Ok(())
}

/// Applies `change` to the learner's progress on `item` under the learner's
/// lock, settles completion, saves, and refreshes the enrollment when the
/// item's completion changed.
async fn record<T>(
    db: &Database,
    learner: &Learner,
    item: &Item,
    enrollment: Enrollment,
    change: impl FnOnce(&mut Progress, i64) -> Result<T, RepoError>,
) -> Result<Recorded<T>, RepoError> {
    let _guard = lock_learner(learner.id).await;
    record_locked(db, learner, item, enrollment, change).await
}

/// [`record`] for a caller that already holds the learner's lock.
async fn record_locked<T>(
    db: &Database,
    learner: &Learner,
    item: &Item,
    enrollment: Enrollment,
    change: impl FnOnce(&mut Progress, i64) -> Result<T, RepoError>,
) -> Result<Recorded<T>, RepoError> {
    record_studied(db, learner, item, enrollment, Freshness::Stale, |_| 0.0, change).await
}

/// Whether documents a caller passes in were read under the learner's lock
/// it holds now, or may be out of date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    Current,
    Stale,
}

/// [`record_locked`] that also adds `studied(&value)` seconds to the
/// enrollment's study time in the same write that marks it accessed.
async fn record_studied<T>(
    db: &Database,
    learner: &Learner,
    item: &Item,
    enrollment: Enrollment,
    freshness: Freshness,
    studied: impl FnOnce(&T) -> f64,
    change: impl FnOnce(&mut Progress, i64) -> Result<T, RepoError>,
) -> Result<Recorded<T>, RepoError> {
    let mut p = progress::get(db, learner.id, item.content.id)
        .await?
        .ok_or(RepoError::NotFound("Your progress on this item (open it first)"))?;
    let now = DateTime::now();
    let was_complete = p.progress.is_completed;
    let facts_before = super::tallies::progress_facts(&p);
    let value = change(&mut p, now.timestamp_millis())?;
    let just_completed = !was_complete && rules::is_complete(item.content.kind, item.criteria(), observed(&p, item));
    if just_completed {
        p.progress.is_completed = true;
        p.progress.completed_at = Some(now);
    }
    p.last_accessed_at = now;
    p.device = learner.device;
    if learner.browser.is_some() {
        p.browser = learner.browser.clone();
    }
    p.updated_at = now;
    save(db, &p).await?;
    super::tallies::progress_changed(db, Some(&facts_before), &super::tallies::progress_facts(&p)).await;
    super::tallies::touch(db, learner.id, now.timestamp_millis()).await;
    let was_module_complete = enrollment.status == EnrollmentStatus::Completed;
    touch_enrollment_studied(db, &enrollment, freshness, now, studied(&value)).await?;
    let mut points = 0;
    let enrollment = if just_completed {
        let enrollment = refresh_enrollment(db, learner.id, item.content.module).await?.unwrap_or(enrollment);
        let refreshed = super::stats::refresh(db, learner.id).await?;
        points += refreshed.stats.total_points - refreshed.points_before;
        enrollment
    } else {
        enrollment
    };
    let module_completed = !was_module_complete && enrollment.status == EnrollmentStatus::Completed;
    let awarded = if just_completed {
        let kind = if module_completed { TriggerType::ModuleCompletion } else { TriggerType::ContentCompletion };
        let trigger = Trigger {
            kind,
            value: Some(mongodb::bson::Bson::String(item.content.title.clone())),
            content: Some(item.content.id),
            module: Some(item.content.module),
        };
        super::awards::evaluate_and_award(db, learner.id, &trigger).await?
    } else {
        super::awards::Awarded::default()
    };
    points += awarded.points;
    Ok(Recorded { value, progress: p, enrollment, just_completed, module_completed, earned: awarded.earned, points })
}

/// What the server observed, in the terms of the completion rule.
pub fn observed(p: &Progress, item: &Item) -> Observed {
    let cs = &p.content_specific;
    let interactions = match item.content.kind {
        ContentType::Video => i32::from(p.progress.percentage >= 90.0),
        ContentType::Document => i32::try_from(
            cs.pages_read.iter().filter(|r| rules::is_read(&section_time(r)) && r.page <= item.sections).count(),
        )
        .unwrap_or(i32::MAX),
        ContentType::Lab => i32::from(cs.lab_completed),
        ContentType::Game => cs.game_passes,
    };
    Observed { percentage: p.progress.percentage, interactions, marked_done: cs.marked_done }
}

pub fn section_time(r: &PageRead) -> SectionTime {
    SectionTime { section: r.page, seconds: r.time_spent }
}

/// A heartbeat: credits capped server time, records the watched segment or
/// the section on screen, and counts pauses, seeks and replays.
pub async fn heartbeat(
    db: &Database,
    learner: &Learner,
    item: &Item,
    enrollment: Enrollment,
    beat: &Beat,
) -> Result<Recorded<f64>, RepoError> {
    let _guard = lock_learner(learner.id).await;
    let record = super::stats::StudyRecord::read(db, learner.id).await?;
    heartbeat_locked(db, learner, item, enrollment, Freshness::Stale, &record, beat).await
}

/// [`heartbeat`] for a caller that holds the learner's lock and read the
/// learner's study `record` under it (and the enrollment too, if
/// `freshness` says `Current`): two reads fewer per heartbeat.
pub async fn heartbeat_locked(
    db: &Database,
    learner: &Learner,
    item: &Item,
    enrollment: Enrollment,
    freshness: Freshness,
    record: &super::stats::StudyRecord,
    beat: &Beat,
) -> Result<Recorded<f64>, RepoError> {
    let recorded = record_studied(
        db,
        learner,
        item,
        enrollment,
        freshness,
        |credited| *credited,
        |p, now| {
            let previous = p.last_accessed_at.timestamp_millis();
            let credited = rules::credit_seconds(Some(previous), now);
            let elapsed = (now - previous).max(0) as f64 / 1000.0;
            let before = p.progress.percentage;
            let content = &item.content;
            match content.kind {
                ContentType::Video => video_beat(p, content, beat, elapsed),
                ContentType::Document => {
                    let section = (if beat.position.is_finite() { beat.position } else { 1.0 } as i32)
                        .clamp(1, item.sections.max(1));
                    let mut pages: Vec<SectionTime> = p.content_specific.pages_read.iter().map(section_time).collect();
                    rules::add_section_time(&mut pages, section, credited);
                    let read_at =
                        |page: i32| p.content_specific.pages_read.iter().find(|r| r.page == page).map(|r| r.read_at);
                    let pages_read: Vec<PageRead> = pages
                        .iter()
                        .map(|s| PageRead {
                            page: s.section,
                            read_at: if s.section == section {
                                DateTime::from_millis(now)
                            } else {
                                read_at(s.section).unwrap_or_else(|| DateTime::from_millis(now))
                            },
                            time_spent: s.seconds,
                        })
                        .collect();
                    p.content_specific.pages_read = pages_read;
                    p.progress.percentage = rules::sections_read_percentage(&pages, item.sections);
                    p.progress.current_position = f64::from(section);
                }
                ContentType::Lab | ContentType::Game => {}
            }
            let bounded = |n: i32| n.clamp(0, 20);
            p.interactions.pauses = p.interactions.pauses.saturating_add(bounded(beat.pauses));
            p.interactions.seeks = p.interactions.seeks.saturating_add(bounded(beat.seeks));
            p.interactions.replays = p.interactions.replays.saturating_add(bounded(beat.replays));
            p.time_spent.total += credited;
            let gained = (p.progress.percentage - before).max(0.0);
            let mut sessions: Vec<Session> = p.time_spent.sessions.iter().map(to_session).collect();
            rules::add_to_sessions(&mut sessions, now, credited, gained);
            p.time_spent.sessions = sessions.iter().map(from_session).collect();
            Ok(credited)
        },
    )
    .await?;
    let mut recorded = recorded;
    if recorded.value > 0.0 {
        let learning = recorded.value >= crate::domain::streak::MIN_LEARNING_SECONDS;
        // A completion recomputed the learner's stats and streak just now.
        let reread;
        let record = if recorded.just_completed {
            reread = super::stats::StudyRecord::read(db, learner.id).await?;
            &reread
        } else {
            record
        };
        let studied = super::stats::add_study(db, learner.id, record, recorded.value, learning).await?;
        let (before, after, new_day) = (studied.minutes_before, studied.minutes_after, studied.new_day);
        // Study-time and streak achievements: on a new learning day, and each time
        // the learner's total passes a multiple of ten minutes.
        let trigger = if new_day {
            Some(TriggerType::StreakMilestone)
        } else if (before / 10.0).floor() != (after / 10.0).floor() {
            Some(TriggerType::TimeMilestone)
        } else {
            None
        };
        if let Some(kind) = trigger {
            let trigger = Trigger {
                kind,
                value: Some(mongodb::bson::Bson::Double(after)),
                content: Some(item.content.id),
                module: Some(item.content.module),
            };
            let awarded = super::awards::evaluate_and_award(db, learner.id, &trigger).await?;
            recorded.earned.extend(awarded.earned);
            recorded.points += awarded.points;
        }
    }
    Ok(recorded)
}

fn video_beat(p: &mut Progress, content: &Content, beat: &Beat, elapsed: f64) {
    let cs = &mut p.content_specific;
    if cs.video_length.is_none() {
        cs.video_length = beat.length.and_then(|l| rules::accept_video_length(l, content.duration));
    }
    let speed = if content.settings.allow_speed_control && beat.speed.is_finite() {
        beat.speed.clamp(rules::MIN_PLAYBACK_SPEED, rules::MAX_PLAYBACK_SPEED)
    } else {
        1.0
    };
    cs.playback_speed = speed;
    let Some(length) = cs.video_length else { return };
    if let Some(accepted) = beat.segment.and_then(|s| rules::accept_segment(s, length, elapsed, speed)) {
        let mut all = std::mem::take(&mut cs.watched_segments);
        all.push(accepted);
        cs.watched_segments = rules::merge(all);
    }
    p.progress.percentage = p.progress.percentage.max(rules::coverage_percentage(&cs.watched_segments, length));
    if beat.position.is_finite() {
        p.progress.current_position = beat.position.clamp(0.0, length);
    }
}

fn to_session(s: &ProgressSession) -> Session {
    Session {
        start_ms: s.start_time.timestamp_millis(),
        end_ms: s.end_time.timestamp_millis(),
        duration: s.duration,
        progress_gained: s.progress_gained,
    }
}

fn from_session(s: &Session) -> ProgressSession {
    ProgressSession {
        start_time: DateTime::from_millis(s.start_ms),
        end_time: DateTime::from_millis(s.end_ms),
        duration: s.duration,
        progress_gained: s.progress_gained,
    }
}

fn remember_attempt(recent: &mut Vec<String>, attempt: &str) {
    recent.push(attempt.to_string());
    if recent.len() > RECENT_ATTEMPTS {
        let extra = recent.len() - RECENT_ATTEMPTS;
        recent.drain(..extra);
    }
}

/// Grades a game attempt. A repeated `attempt` id returns the earlier result
/// without counting it again.
pub async fn submit_game(
    db: &Database,
    learner: &Learner,
    item: &Item,
    enrollment: Enrollment,
    attempt: &str,
    graded: Graded,
) -> Result<Recorded<Graded>, RepoError> {
    record(db, learner, item, enrollment, |p, _| {
        let cs = &mut p.content_specific;
        if cs.recent_attempts.iter().any(|a| a == attempt) {
            return Ok(cs.last_result.clone().unwrap_or(graded));
        }
        remember_attempt(&mut cs.recent_attempts, attempt);
        cs.game_attempts = cs.game_attempts.saturating_add(1);
        cs.game_score = graded.score;
        cs.game_best_score = cs.game_best_score.max(graded.score);
        if graded.passed {
            cs.game_passes = cs.game_passes.saturating_add(1);
        }
        cs.game_level = grading::game_level(cs.game_passes);
        cs.last_result = Some(graded.clone());
        p.progress.percentage = if cs.game_passes > 0 { 100.0 } else { p.progress.percentage.max(graded.score) };
        Ok(graded)
    })
    .await
}

/// The answer to a lab submission.
#[derive(Debug, Clone, PartialEq)]
pub struct LabAnswer {
    pub correct: bool,
    /// The answer was already accepted before; nothing was counted.
    pub already_solved: bool,
}

/// Checks a lab answer. Attempts after the lab is solved, and repeats of an
/// attempt id, are not counted.
pub async fn submit_lab(
    db: &Database,
    learner: &Learner,
    item: &Item,
    enrollment: Enrollment,
    attempt: &str,
    answer: &str,
) -> Result<Recorded<LabAnswer>, RepoError> {
    let correct = grading::flag_matches(&item.content.content.lab_flags, answer);
    record(db, learner, item, enrollment, |p, _| {
        let cs = &mut p.content_specific;
        if cs.lab_completed {
            return Ok(LabAnswer { correct, already_solved: true });
        }
        if cs.recent_attempts.iter().any(|a| a == attempt) {
            return Ok(LabAnswer { correct, already_solved: false });
        }
        remember_attempt(&mut cs.recent_attempts, attempt);
        cs.lab_attempts = cs.lab_attempts.saturating_add(1);
        if correct {
            cs.lab_completed = true;
            cs.lab_score = Some(grading::lab_score(cs.hints_used, cs.lab_attempts - 1));
            p.progress.percentage = 100.0;
        }
        Ok(LabAnswer { correct, already_solved: false })
    })
    .await
}

/// Reveals hints up to `number` (1-based). Asking again for a hint already
/// shown changes nothing, so a double click costs one hint.
pub async fn reveal_hint(
    db: &Database,
    learner: &Learner,
    item: &Item,
    enrollment: Enrollment,
    number: i32,
) -> Result<Recorded<i32>, RepoError> {
    let available = i32::try_from(item.content.content.lab_hints.len()).unwrap_or(i32::MAX);
    record(db, learner, item, enrollment, |p, _| {
        let cs = &mut p.content_specific;
        if number < 1 || number > available {
            return Err(RepoError::field("number", format!("This lab has {available} hints")));
        }
        if number > cs.hints_used + 1 {
            return Err(RepoError::field("number", "Hints are revealed one at a time, in order"));
        }
        cs.hints_used = cs.hints_used.max(number);
        Ok(cs.hints_used)
    })
    .await
}

/// Marks an item with manual completion as done.
pub async fn mark_done(
    db: &Database,
    learner: &Learner,
    item: &Item,
    enrollment: Enrollment,
) -> Result<Recorded<()>, RepoError> {
    if item.content.completion_criteria.kind != crate::model::CompletionType::Manual {
        return Err(RepoError::field("content", "This item completes by itself as you work through it"));
    }
    record(db, learner, item, enrollment, |p, _| {
        p.content_specific.marked_done = true;
        if !matches!(item.content.kind, ContentType::Lab | ContentType::Game) {
            p.progress.percentage = 100.0;
        }
        Ok(())
    })
    .await
}

/// Adds a bookmark on a document section; the same section and note twice is one bookmark.
pub async fn add_bookmark(
    db: &Database,
    learner: &Learner,
    item: &Item,
    enrollment: Enrollment,
    section: i32,
    note: &str,
) -> Result<Recorded<()>, RepoError> {
    let note = note.trim().to_string();
    let mut errors = crate::model::FieldErrors::new();
    if section < 1 || section > item.sections.max(1) {
        errors.add("section", format!("Choose a section between 1 and {}", item.sections.max(1)));
    }
    errors.max_len("note", &note, MAX_NOTE_CHARS, &format!("A note cannot exceed {MAX_NOTE_CHARS} characters"));
    errors.finish(())?;
    let _guard = lock_learner(learner.id).await;
    let result = record_locked(db, learner, item, enrollment, |p, now| {
        let marks = &mut p.content_specific.bookmarks;
        if marks.iter().any(|b| b.page == section && b.note == note) {
            return Ok(());
        }
        if marks.len() >= MAX_BOOKMARKS {
            return Err(RepoError::field("note", format!("You can keep up to {MAX_BOOKMARKS} bookmarks here")));
        }
        marks.push(Bookmark { page: section, note, created_at: DateTime::from_millis(now) });
        Ok(())
    })
    .await?;
    refresh_enrollment(db, learner.id, item.content.module).await?;
    Ok(result)
}

/// Deletes the bookmark made on `section` at `created_ms`; deleting it twice is fine.
pub async fn delete_bookmark(
    db: &Database,
    learner: &Learner,
    item: &Item,
    enrollment: Enrollment,
    section: i32,
    created_ms: i64,
) -> Result<Recorded<()>, RepoError> {
    let _guard = lock_learner(learner.id).await;
    let result = record_locked(db, learner, item, enrollment, |p, _| {
        p.content_specific.bookmarks.retain(|b| !(b.page == section && b.created_at.timestamp_millis() == created_ms));
        Ok(())
    })
    .await?;
    refresh_enrollment(db, learner.id, item.content.module).await?;
    Ok(result)
}

/// A completed item's rating (1..=5), difficulty (1..=5) and feedback.
pub async fn rate(
    db: &Database,
    learner: &Learner,
    item: &Item,
    enrollment: Enrollment,
    rating: i32,
    difficulty: Option<i32>,
    feedback: &str,
) -> Result<Recorded<()>, RepoError> {
    let feedback = feedback.trim().to_string();
    let mut errors = crate::model::FieldErrors::new();
    errors.range("rating", f64::from(rating), Some(1.0), Some(5.0));
    if let Some(d) = difficulty {
        errors.range("difficulty", f64::from(d), Some(1.0), Some(5.0));
    }
    errors.max_len(
        "feedback",
        &feedback,
        MAX_FEEDBACK_CHARS,
        &format!("Feedback cannot exceed {MAX_FEEDBACK_CHARS} characters"),
    );
    errors.finish(())?;
    record(db, learner, item, enrollment, |p, _| {
        if !p.progress.is_completed {
            return Err(RepoError::field("rating", "Rate an item once you have completed it"));
        }
        p.analytics.user_rating = Some(rating);
        p.analytics.difficulty_rating = difficulty;
        p.analytics.feedback = (!feedback.is_empty()).then_some(feedback);
        Ok(())
    })
    .await
}

/// Recomputes an enrollment's progress, performance and bookmark counts
/// from the learner's progress documents, and marks the module completed
/// (with `completedAt`) when every active item is. Never un-completes.
/// A completed enrollment in a `certificateEligible` module gets its
/// certificate in the same write (or the next refresh, if it has none).
pub async fn refresh_enrollment(
    db: &Database,
    user: ObjectId,
    module: ObjectId,
) -> Result<Option<Enrollment>, RepoError> {
    let Some(mut enrollment) = super::enrollment::get(db, user, module).await? else {
        return Ok(None);
    };
    let facts_before = super::tallies::enrollment_facts(&enrollment);
    let items = super::content::module_items(db, module).await?;
    let active: HashSet<ObjectId> = items.iter().filter(|c| c.is_active).map(|c| c.id).collect();
    let all: Vec<ObjectId> = items.iter().map(|c| c.id).collect();
    let progress: Vec<Progress> = super::keys::progress(db, user, Some(&all)).await?;
    let done: Vec<&Progress> =
        progress.iter().filter(|p| p.progress.is_completed && active.contains(&p.content)).collect();
    let summary = rules::module_progress(done.len(), active.len());
    let last_completed =
        done.iter().max_by_key(|p| p.progress.completed_at.map(|d| d.timestamp_millis())).map(|p| p.content);
    let scores: Vec<f64> = progress
        .iter()
        .filter_map(|p| {
            let cs = &p.content_specific;
            if cs.lab_completed { cs.lab_score } else { (cs.game_attempts > 0).then_some(cs.game_best_score) }
        })
        .collect();
    let attempts: i32 =
        progress.iter().map(|p| p.content_specific.lab_attempts + p.content_specific.game_attempts).sum();
    let average = if scores.is_empty() { 0.0 } else { (scores.iter().sum::<f64>() / scores.len() as f64).round() };
    let best = scores.iter().copied().fold(0.0, f64::max);
    let bookmarks: usize = progress.iter().map(|p| p.content_specific.bookmarks.len()).sum();
    let notes: usize =
        progress.iter().flat_map(|p| &p.content_specific.bookmarks).filter(|b| !b.note.is_empty()).count();
    let minutes = (progress.iter().map(|p| p.time_spent.total).sum::<f64>() / 60.0 * 10.0).round() / 10.0;
    let now = DateTime::now();
    let mut set = doc! {
        "progress.percentage": summary.percentage,
        "progress.completedContent": summary.completed,
        "progress.totalContent": summary.total,
        "performance.averageScore": average,
        "performance.bestScore": best,
        "performance.totalAttempts": attempts,
        "engagement.bookmarksCount": i32::try_from(bookmarks).unwrap_or(i32::MAX),
        "engagement.notesCount": i32::try_from(notes).unwrap_or(i32::MAX),
        "timeSpent.total": minutes,
        "updatedAt": now,
    };
    if let Some(last) = last_completed {
        set.insert("progress.lastContentCompleted", last);
    }
    let completes = summary.is_complete && enrollment.status != EnrollmentStatus::Completed;
    if completes {
        set.insert("status", EnrollmentStatus::Completed.as_str());
        set.insert("completedAt", now);
    }
    let completed = completes || enrollment.status == EnrollmentStatus::Completed;
    if completed && !enrollment.certificate.issued && certificate_eligible(db, module).await? {
        // The claim decides the id once, even for racing instances; writing it
        // with the completion keeps both in one document write.
        let certificate = super::certificate::claim(db, enrollment.id, now).await?;
        set.extend(super::certificate::fields(&certificate));
        enrollment.certificate = certificate;
    }
    db.collection::<Document>(ENROLLMENTS).update_one(doc! { "_id": enrollment.id }, doc! { "$set": set }).await?;
    enrollment.progress.percentage = summary.percentage;
    enrollment.progress.completed_content = summary.completed;
    enrollment.progress.total_content = summary.total;
    enrollment.progress.last_content_completed = last_completed.or(enrollment.progress.last_content_completed);
    enrollment.performance.average_score = average;
    enrollment.performance.best_score = best;
    enrollment.performance.total_attempts = attempts;
    enrollment.time_spent.total = minutes;
    if completes {
        enrollment.status = EnrollmentStatus::Completed;
        enrollment.completed_at = Some(now);
    }
    super::tallies::enrollment_changed(db, Some(&facts_before), &super::tallies::enrollment_facts(&enrollment)).await;
    Ok(Some(enrollment))
}

async fn certificate_eligible(db: &Database, module: ObjectId) -> Result<bool, RepoError> {
    Ok(super::module::get(db, module).await?.is_some_and(|m| m.settings.certificate_eligible))
}

/// Recomputes every enrollment from its progress documents (part of `foothold rebuild`); returns how many.
pub async fn refresh_all_enrollments(db: &Database) -> Result<usize, RepoError> {
    let pairs = super::projected(db, ENROLLMENTS, doc! {}, doc! { "user": 1, "module": 1 }).await?;
    let mut count = 0;
    for pair in &pairs {
        if let (Ok(user), Ok(module)) = (pair.get_object_id("user"), pair.get_object_id("module")) {
            let _guard = lock_learner(user).await;
            refresh_enrollment(db, user, module).await?;
            count += 1;
        }
    }
    Ok(count)
}
