//! A large synthetic data set for benchmarks: `foothold seed-synthetic`.
//!
//! Deterministic (fixed-seed generator), written in batches with unordered
//! `insertMany`, and shaped like real use: every learner enrolls in some
//! modules and has one progress record per content item of those modules.
//! Synthetic accounts get an unusable password hash, so nobody can sign in
//! with them until a benchmark sets one.

use std::time::Instant;

use mongodb::Database;
use mongodb::bson::oid::ObjectId;
use mongodb::bson::{DateTime, Document, doc};
use mongodb::options::InsertManyOptions;

use crate::db::collections::{CONTENTS, ENROLLMENTS, MODULES, PHASES, PROGRESS, USERS};
use crate::model::{ContentType, Difficulty};

/// The username and email of the `i`th synthetic learner.
fn learner_name(i: usize) -> (String, String) {
    (format!("learner{i:06}"), format!("learner{i:06}@example.com"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    pub users: usize,
    pub modules: usize,
    pub content_per_module: usize,
    /// Progress records to write (the number of enrollments follows from it).
    pub progress: usize,
    /// Learners (`learner000000`, `learner000001`, …) who can sign in with
    /// the password in `FOOTHOLD_SYNTHETIC_PASSWORD`, for benchmarks.
    pub sign_in: usize,
    /// Whether modules require their items in order (the default); the
    /// reliability tests turn it off to reach every lab and game at once.
    pub sequential: bool,
}

impl Default for Size {
    /// The benchmark size of the performance issue: 10k users, 100 modules, 1M progress records.
    fn default() -> Self {
        Size { users: 10_000, modules: 100, content_per_module: 10, progress: 1_000_000, sign_in: 0, sequential: true }
    }
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub phases: usize,
    pub modules: usize,
    pub content: usize,
    pub users: usize,
    pub enrollments: usize,
    pub progress: usize,
}

/// Small, fast, fixed-seed generator (xorshift64*); quality is ample for
/// test data and generated test inputs. The seed must not be zero.
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}

const BATCH: usize = 1_000;

async fn insert_batches(db: &Database, collection: &str, docs: Vec<Document>) -> mongodb::error::Result<usize> {
    let total = docs.len();
    let options = InsertManyOptions::builder().ordered(false).build();
    let mut docs = docs.into_iter().peekable();
    while docs.peek().is_some() {
        let batch: Vec<Document> = docs.by_ref().take(BATCH).collect();
        db.collection::<Document>(collection).insert_many(batch).with_options(options.clone()).await?;
    }
    Ok(total)
}

/// Writes the data set into an empty database (refuses one that has users, to protect real data).
pub async fn seed(db: &Database, size: Size) -> Result<Report, String> {
    let started = Instant::now();
    let existing = db.collection::<Document>(USERS).estimated_document_count().await.map_err(|e| e.to_string())?;
    if existing > 0 {
        return Err(format!(
            "the database already has {existing} users; synthetic data goes into an empty database (set FOOTHOLD_DATABASE)"
        ));
    }
    let db_err = |e: mongodb::error::Error| e.to_string();
    let usable_hash = match size.sign_in {
        0 => None,
        _ => {
            let password = std::env::var("FOOTHOLD_SYNTHETIC_PASSWORD")
                .map_err(|_| "--sign-in needs the learners' password in FOOTHOLD_SYNTHETIC_PASSWORD".to_string())?;
            Some(crate::auth::password::hash(password).await.map_err(|e| e.to_string())?)
        }
    };
    let mut rng = Rng(0x5eed_f007_401d);
    let now = DateTime::now();
    let mut report = Report::default();

    let phase_count = (size.modules / 10).max(1);
    let phases: Vec<ObjectId> = (0..phase_count).map(|_| ObjectId::new()).collect();
    let phase_docs = phases
        .iter()
        .enumerate()
        .map(|(i, id)| {
            doc! {
                "_id": id, "title": format!("Synthetic phase {}", i + 1), "description": "Generated for benchmarks.",
                "order": (i + 1) as i32, "difficulty": Difficulty::ALL[i % 4].as_str(), "isActive": true,
                "color": "#00ff41", "tags": ["synthetic"], "metadata": { "totalModules": 0, "totalContent": 0, "totalDuration": 0 },
                "createdAt": now, "updatedAt": now,
            }
        })
        .collect();
    report.phases = insert_batches(db, PHASES, phase_docs).await.map_err(db_err)?;

    let modules: Vec<(ObjectId, ObjectId)> =
        (0..size.modules).map(|i| (ObjectId::new(), phases[i % phase_count])).collect();
    let mut module_docs = Vec::new();
    let mut content_docs = Vec::new();
    let mut content_of: Vec<Vec<ObjectId>> = Vec::new();
    for (i, (id, phase)) in modules.iter().enumerate() {
        let mut ids = Vec::new();
        for c in 0..size.content_per_module {
            let content_id = ObjectId::new();
            let kind = ContentType::ALL[c % 4];
            content_docs.push(doc! {
                "_id": content_id, "title": format!("Item {} of module {}", c + 1, i + 1), "module": id,
                "type": kind.as_str(), "order": (c + 1) as i32, "duration": 5 + (c % 4) as i32 * 5,
                "difficulty": Difficulty::ALL[i % 4].as_str(), "isActive": true, "isFree": true,
                "content": match kind {
                    ContentType::Video => doc! { "videoUrl": "/media/networking-essentials.webm" },
                    ContentType::Lab => doc! { "labInstructions": "Synthetic lab.", "labFlags": ["FLAG{synthetic}"] },
                    ContentType::Game => doc! { "gameType": "quiz", "gameData": { "questions": [
                        { "id": "q1", "prompt": "1 + 1?", "choices": ["1", "2"], "correct": [1] } ] } },
                    ContentType::Document => doc! { "documentFormat": "markdown", "documentContent": "## Synthetic\n\nText." },
                },
                "completionCriteria": { "type": "time_based", "requiredPercentage": 90.0 },
                "createdAt": now, "updatedAt": now,
            });
            ids.push(content_id);
        }
        module_docs.push(doc! {
            "_id": id, "title": format!("Synthetic module {}", i + 1), "description": "Generated for benchmarks.",
            "shortDescription": "A generated module.", "phase": phase, "order": (i / phase_count + 1) as i32,
            "difficulty": Difficulty::ALL[i % 4].as_str(), "estimatedDuration": 60, "isActive": true,
            "settings": { "requireSequentialCompletion": size.sequential },
            "isFeatured": i % 17 == 0, "tags": ["synthetic", format!("tag{}", i % 7)], "skills": [format!("skill{}", i % 11)],
            "createdAt": now, "updatedAt": now,
        });
        content_of.push(ids);
    }
    report.modules = insert_batches(db, MODULES, module_docs).await.map_err(db_err)?;
    report.content = insert_batches(db, CONTENTS, content_docs).await.map_err(db_err)?;
    crate::db::counters::rebuild(db).await.map_err(|e| e.to_string())?;

    // Users, with points and streaks spread like a real leaderboard (many low, few high).
    let users: Vec<ObjectId> = (0..size.users).map(|_| ObjectId::new()).collect();
    let user_docs = users
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let points = (rng.below(1000) * rng.below(1000) / 100) as i64;
            let (username, email) = learner_name(i);
            doc! {
                "_id": id, "username": username, "email": email,
                "password": match &usable_hash {
                    Some(hash) if i < size.sign_in => hash.as_str(),
                    _ => "!synthetic-no-login",
                }, "role": "student", "experienceLevel": "beginner",
                "stats": { "totalPoints": points, "level": 1 + (points / 500) as i32, "coursesCompleted": 0,
                           "labsCompleted": 0, "gamesCompleted": 0, "totalStudyTime": rng.below(5000) as i64 },
                "currentStreak": rng.below(30) as i32, "longestStreak": 30 + rng.below(60) as i32,
                "security": { "passwordChangedAt": now, "loginAttempts": 0, "twoFactorEnabled": false },
                "preferences": { "emailNotifications": true, "progressNotifications": true,
                                 "achievementNotifications": true, "theme": "dark", "language": "en" },
                "createdAt": now, "updatedAt": now,
            }
        })
        .collect();
    // Keys before the users they name, as `db::user::create` writes them.
    let key_docs: Vec<Document> = (0..users.len())
        .flat_map(|i| {
            let (username, email) = learner_name(i);
            crate::db::user::key_documents(users[i], &username, &email)
        })
        .collect();
    insert_batches(db, crate::db::user::USER_KEYS, key_docs).await.map_err(db_err)?;
    report.users = insert_batches(db, USERS, user_docs).await.map_err(db_err)?;

    // Enrollments until the progress budget is spent: each enrollment brings one record per content item.
    let per_user_modules = size.progress.div_ceil(size.users.max(1) * size.content_per_module.max(1)).min(size.modules);
    let mut enrollment_docs = Vec::new();
    let mut progress_docs = Vec::new();
    let mut key_docs = Vec::new();
    'users: for user in &users {
        let (mut learner_modules, mut learner_contents) = (Vec::new(), Vec::new());
        let first = rng.below(size.modules);
        for k in 0..per_user_modules {
            let m = (first + k) % size.modules;
            let (module, _) = modules[m];
            let completed = rng.below(size.content_per_module + 1);
            learner_modules.push(module);
            // A history like a real one: the learner took their modules one
            // after another, an hour or so apart, the k-th ending at `last`;
            // items were completed in order in the minutes before.
            let ago = (per_user_modules - k) as i64 * 3_600_000 + rng.below(3_600_000) as i64;
            let last = DateTime::from_millis(now.timestamp_millis() - ago);
            let item_time = |c: usize| {
                DateTime::from_millis(last.timestamp_millis() - (size.content_per_module - c) as i64 * 60_000)
            };
            enrollment_docs.push(doc! {
                "_id": crate::db::keys::enrollment_id(*user, module), "user": user, "module": module,
                "enrolledAt": item_time(0), "status": "active",
                "progress": { "percentage": (completed * 100 / size.content_per_module.max(1)) as f64,
                              "completedContent": completed as i32, "totalContent": size.content_per_module as i32 },
                "lastAccessedAt": last, "createdAt": item_time(0), "updatedAt": last,
            });
            for (c, content) in content_of[m].iter().enumerate() {
                if report.progress + progress_docs.len() == size.progress {
                    key_docs.push(doc! { "_id": user, "modules": learner_modules, "contents": learner_contents });
                    break 'users;
                }
                let done = c < completed;
                learner_contents.push(*content);
                let at = if done { item_time(c) } else { last };
                let mut state = doc! {
                    "percentage": if done { 100.0 } else { rng.below(90) as f64 }, "currentPosition": 0.0, "isCompleted": done,
                };
                if done {
                    state.insert("completedAt", at);
                }
                progress_docs.push(doc! {
                    "_id": crate::db::keys::progress_id(*user, *content), "user": user, "content": content, "module": module,
                    "progress": state,
                    "timeSpent": { "total": rng.below(1800) as f64 },
                    "interactions": { "views": 1 }, "startedAt": item_time(c), "lastAccessedAt": at, "device": "desktop",
                    "createdAt": item_time(c), "updatedAt": at,
                });
            }
            if enrollment_docs.len() >= 50 * BATCH {
                report.enrollments +=
                    insert_batches(db, ENROLLMENTS, std::mem::take(&mut enrollment_docs)).await.map_err(db_err)?;
            }
            if progress_docs.len() >= 50 * BATCH {
                report.progress +=
                    insert_batches(db, PROGRESS, std::mem::take(&mut progress_docs)).await.map_err(db_err)?;
            }
        }
        key_docs.push(doc! { "_id": user, "modules": learner_modules, "contents": learner_contents });
    }
    report.enrollments += insert_batches(db, ENROLLMENTS, enrollment_docs).await.map_err(db_err)?;
    report.progress += insert_batches(db, PROGRESS, progress_docs).await.map_err(db_err)?;
    insert_batches(db, crate::db::keys::LEARNER_KEYS, key_docs).await.map_err(db_err)?;
    crate::db::keys::mark_migrated(db).await.map_err(|e| e.to_string())?;
    // The documents went in directly, so the analytics tallies are added up from them.
    crate::db::tallies::rebuild(db).await.map_err(|e| e.to_string())?;
    tracing::info!(?report, seconds = started.elapsed().as_secs_f64(), "synthetic data set written");
    Ok(report)
}
