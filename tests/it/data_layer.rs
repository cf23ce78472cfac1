//! The repository functions against a real FerretDB: validation before any
//! write, references, counters kept right, and their rebuild.

use crate::support;

use mongodb::Database;
use mongodb::bson::oid::ObjectId;
use mongodb::bson::{Document, doc};
use serde_json::json;

use foothold::db::collections::{CONTENTS, MODULES, PHASES};
use foothold::db::error::RepoError;
use foothold::db::{content, counters, module, phase};
use foothold::model::content::ContentInput;
use foothold::model::game::{GameData, PublicGame};
use foothold::model::module::ModuleInput;
use foothold::model::phase::PhaseInput;

fn phase_input(title: &str, order: f64) -> PhaseInput {
    PhaseInput {
        title: title.into(),
        description: format!("{title} phase."),
        order: Some(order),
        difficulty: "beginner".into(),
        ..PhaseInput::default()
    }
}

fn module_input(phase: ObjectId, title: &str, order: f64) -> ModuleInput {
    ModuleInput {
        title: title.into(),
        description: format!("{title} module."),
        phase: phase.to_hex(),
        order: Some(order),
        difficulty: "beginner".into(),
        ..ModuleInput::default()
    }
}

fn content_input(module: ObjectId, kind: &str, order: f64, minutes: f64) -> ContentInput {
    let mut c = ContentInput {
        title: format!("{kind} {order}"),
        module: module.to_hex(),
        kind: kind.into(),
        order: Some(order),
        duration: Some(minutes),
        difficulty: "beginner".into(),
        ..ContentInput::default()
    };
    match kind {
        "video" => c.content.video_url = Some("/media/intro.webm".into()),
        "lab" => {
            c.content.lab_instructions = Some("Find the flag in the web root.".into());
            c.content.lab_flags = vec!["FLAG{found}".into()];
        }
        "game" => {
            c.content.game_type = Some("quiz".into());
            c.content.game_data = Some(json!({ "questions": [
                { "id": "q1", "prompt": "Default HTTPS port?", "choices": ["80", "443"], "correct": [1], "explanation": "443/tcp." }
            ]}));
        }
        _ => {
            c.content.document_content = Some("# Notes\n\nRead me.".into());
            c.content.document_format = Some("markdown".into());
        }
    }
    c
}

async fn metadata(db: &Database, collection: &str, id: ObjectId) -> Document {
    let doc = db.collection::<Document>(collection).find_one(doc! { "_id": id }).await.unwrap().unwrap();
    doc.get_document("metadata").cloned().unwrap_or_default()
}

fn int(doc: &Document, field: &str) -> i64 {
    match doc.get(field) {
        Some(mongodb::bson::Bson::Int32(v)) => i64::from(*v),
        Some(mongodb::bson::Bson::Int64(v)) => *v,
        Some(mongodb::bson::Bson::Double(v)) => *v as i64,
        other => panic!("{field} is {other:?}"),
    }
}

async fn setup() -> (Database, ObjectId, ObjectId) {
    let (_config, db) = support::fresh_database().await;
    let p = phase::create(&db, &phase_input("Foundations", 1.0)).await.unwrap();
    let m = module::create(&db, &module_input(p.id, "Networking", 1.0)).await.unwrap();
    (db, p.id, m.id)
}

#[tokio::test]
async fn counters_follow_creates_deactivations_moves_and_deletes() {
    let (db, p, m) = setup().await;
    let mut ids = Vec::new();
    for (i, (kind, minutes)) in
        [("video", 10.0), ("video", 5.0), ("lab", 30.0), ("game", 7.0), ("document", 8.0)].iter().enumerate()
    {
        ids.push(content::create(&db, &content_input(m, kind, i as f64 + 1.0, *minutes)).await.unwrap().id);
    }
    let meta = metadata(&db, MODULES, m).await;
    assert_eq!(
        ["totalContent", "totalDuration", "videoCount", "labCount", "gameCount", "documentCount"]
            .map(|f| int(&meta, f)),
        [5, 60, 2, 1, 1, 1]
    );
    let pmeta = metadata(&db, PHASES, p).await;
    assert_eq!(["totalModules", "totalContent", "totalDuration"].map(|f| int(&pmeta, f)), [1, 5, 60]);

    // Deactivating a video removes it from the counts.
    content::set_active(&db, ids[0], false).await.unwrap();
    let meta = metadata(&db, MODULES, m).await;
    assert_eq!((int(&meta, "totalContent"), int(&meta, "videoCount"), int(&meta, "totalDuration")), (4, 1, 50));

    // Moving the lab to another module (in another phase) updates both sides.
    let p2 = phase::create(&db, &phase_input("Web", 2.0)).await.unwrap().id;
    let m2 = module::create(&db, &module_input(p2, "HTTP", 1.0)).await.unwrap().id;
    content::update(&db, ids[2], &content_input(m2, "lab", 1.0, 30.0)).await.unwrap();
    assert_eq!(int(&metadata(&db, MODULES, m).await, "labCount"), 0);
    assert_eq!(int(&metadata(&db, MODULES, m2).await, "labCount"), 1);
    assert_eq!(int(&metadata(&db, PHASES, p).await, "totalContent"), 3);
    assert_eq!(int(&metadata(&db, PHASES, p2).await, "totalDuration"), 30);

    // Moving a whole module to the other phase.
    let moved = module_input(p2, "Networking", 2.0);
    module::update(&db, m, &moved).await.unwrap();
    assert_eq!(int(&metadata(&db, PHASES, p).await, "totalModules"), 0);
    let pmeta = metadata(&db, PHASES, p2).await;
    assert_eq!(["totalModules", "totalContent", "totalDuration"].map(|f| int(&pmeta, f)), [2, 4, 50]);

    // Deleting content and deactivating a module.
    content::delete(&db, ids[4]).await.unwrap();
    assert_eq!(int(&metadata(&db, MODULES, m).await, "documentCount"), 0);
    module::set_active(&db, m2, false).await.unwrap();
    assert_eq!(int(&metadata(&db, PHASES, p2).await, "totalModules"), 1);
}

#[tokio::test]
async fn invalid_input_is_rejected_per_field_and_nothing_is_written() {
    let (db, _p, m) = setup().await;
    let mut bad = content_input(m, "video", 0.0, 0.0);
    bad.title = "x".repeat(151);
    bad.kind = "video".into();
    bad.content.video_url = None;
    bad.completion_criteria.required_percentage = Some(150.0);
    let Err(RepoError::Invalid(errors)) = content::create(&db, &bad).await else { panic!("accepted bad input") };
    assert_eq!(errors.get("title"), Some("Title cannot exceed 150 characters"));
    assert_eq!(errors.get("order"), Some("Path `order` (0) is less than minimum allowed value (1)."));
    assert_eq!(errors.get("duration"), Some("Path `duration` (0) is less than minimum allowed value (1)."));
    assert_eq!(errors.get("content.videoUrl"), Some("A video needs a video URL or a video id"));
    assert!(errors.get("completionCriteria.requiredPercentage").is_some());

    // Well-formed but pointing at nothing.
    let orphan = content_input(ObjectId::new(), "video", 1.0, 5.0);
    let Err(RepoError::Invalid(errors)) = content::create(&db, &orphan).await else { panic!("accepted an orphan") };
    assert_eq!(errors.get("module"), Some("Module not found"));
    let mut injected = content_input(m, "video", 1.0, 5.0);
    injected.module = "{\"$ne\":null}".into();
    assert!(matches!(content::create(&db, &injected).await, Err(RepoError::Invalid(_))));

    let Err(RepoError::Invalid(errors)) = module::create(&db, &module_input(ObjectId::new(), "Lost", 1.0)).await else {
        panic!("module without a phase accepted")
    };
    assert_eq!(errors.get("phase"), Some("Phase not found"));
    let mut self_prereq = module_input(ObjectId::new(), "Loop", 1.0);
    self_prereq.prerequisites = vec![ObjectId::new().to_hex()];
    assert!(matches!(module::create(&db, &self_prereq).await, Err(RepoError::Invalid(_))));

    assert_eq!(db.collection::<Document>(CONTENTS).count_documents(doc! {}).await.unwrap(), 0, "half-written content");
    assert_eq!(db.collection::<Document>(MODULES).count_documents(doc! {}).await.unwrap(), 1);
    assert_eq!(int(&metadata(&db, MODULES, m).await, "totalContent"), 0);
}

#[tokio::test]
async fn deletes_that_would_orphan_data_are_refused() {
    let (db, p, m) = setup().await;
    let c = content::create(&db, &content_input(m, "document", 1.0, 5.0)).await.unwrap();
    let Err(RepoError::Invalid(errors)) = phase::delete(&db, p).await else { panic!("phase with modules deleted") };
    assert_eq!(errors.get("phase"), Some("This phase still has 1 module(s); move or delete them first"));
    let Err(RepoError::Invalid(errors)) = module::delete(&db, m).await else { panic!("module with content deleted") };
    assert_eq!(errors.get("module"), Some("This module still has 1 content item(s); move or delete them first"));
    content::delete(&db, c.id).await.unwrap();
    module::delete(&db, m).await.unwrap();
    phase::delete(&db, p).await.unwrap();
    assert!(matches!(phase::delete(&db, p).await, Err(RepoError::NotFound("Phase"))));
}

#[tokio::test]
async fn rebuild_repairs_corrupted_counters() {
    let (db, p, m) = setup().await;
    for i in 0..3 {
        content::create(&db, &content_input(m, "lab", f64::from(i) + 1.0, 20.0)).await.unwrap();
    }
    let right_module = metadata(&db, MODULES, m).await;
    let right_phase = metadata(&db, PHASES, p).await;
    db.collection::<Document>(MODULES)
        .update_one(doc! { "_id": m }, doc! { "$set": { "metadata.totalContent": 99, "metadata.labCount": -4 } })
        .await
        .unwrap();
    db.collection::<Document>(PHASES)
        .update_one(doc! { "_id": p }, doc! { "$set": { "metadata.totalDuration": 12345 } })
        .await
        .unwrap();
    let report = counters::rebuild(&db).await.unwrap();
    assert_eq!((report.modules, report.phases), (1, 1));
    assert_eq!(metadata(&db, MODULES, m).await, right_module);
    assert_eq!(metadata(&db, PHASES, p).await, right_phase);
    assert_eq!(int(&right_module, "labCount"), 3);
}

#[tokio::test]
async fn concurrent_creates_leave_exact_counters() {
    let (db, p, m) = setup().await;
    let tasks: Vec<_> = (0..12)
        .map(|i| {
            let db = db.clone();
            tokio::spawn(async move { content::create(&db, &content_input(m, "video", f64::from(i) + 1.0, 2.0)).await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(int(&metadata(&db, MODULES, m).await, "totalContent"), 12);
    assert_eq!(int(&metadata(&db, PHASES, p).await, "totalDuration"), 24);
}

#[tokio::test]
async fn game_data_round_trips_and_keys_stay_on_the_server() {
    let (db, _p, m) = setup().await;
    let created = content::create(&db, &content_input(m, "game", 1.0, 5.0)).await.unwrap();
    let stored = content::get(&db, created.id).await.unwrap().unwrap();
    let Some(GameData::Quiz(quiz)) = stored.game() else { panic!("quiz not read back") };
    assert_eq!(quiz.questions[0].correct, [1]);
    assert_eq!(quiz.questions[0].explanation, "443/tcp.");
    let PublicGame::Quiz { questions, .. } = stored.game().unwrap().public() else { panic!() };
    let public = serde_json::to_string(&questions).unwrap();
    assert!(!public.contains("correct") && !public.contains("443/tcp."));
}

mod users {
    use super::*;
    use foothold::db::collections::USERS;
    use foothold::db::user;
    use foothold::model::user::NewUserInput;
    use foothold::model::{AdminStatus, Role, Theme};

    fn new_user(username: &str, email: &str) -> NewUserInput {
        NewUserInput {
            username: username.into(),
            email: email.into(),
            password: "long enough password".into(),
            ..NewUserInput::default()
        }
    }

    #[tokio::test]
    async fn users_get_spec_defaults_and_never_expose_the_password() {
        let (_config, db) = support::fresh_database().await;
        let valid = new_user(" Ada ", "ADA@example.com").validate().unwrap();
        let created = user::create(&db, &valid, "$argon2id$fake-hash").await.unwrap();
        assert_eq!((created.username.as_str(), created.email.as_str()), ("ada", "ada@example.com"));
        assert_eq!(created.role, Role::Student);
        assert_eq!(created.admin_status, None, "students have no adminStatus");
        assert_eq!(created.preferences.theme, Theme::Dark);
        assert_eq!((created.stats.level, created.stats.total_points), (1, 0));
        assert!(!created.is_account_locked(mongodb::bson::DateTime::now()));

        let read = user::find_by_login(&db, "  ADA ").await.unwrap().unwrap();
        assert_eq!(read.id, created.id);
        assert_eq!(user::find_by_login(&db, "Ada@Example.com").await.unwrap().unwrap().id, created.id);
        assert!(user::find_by_login(&db, "nobody").await.unwrap().is_none());
        assert_eq!(user::get(&db, created.id).await.unwrap().unwrap(), read);
        assert_eq!(user::password_hash(&db, created.id).await.unwrap().as_deref(), Some("$argon2id$fake-hash"));

        // The hash is stored, but no typed read carries it.
        let raw = db.collection::<Document>(USERS).find_one(doc! { "_id": created.id }).await.unwrap().unwrap();
        assert!(raw.contains_key("password"));
        let json = serde_json::to_string(&read).unwrap();
        assert!(!json.contains("fake-hash"));

        let mut admin = new_user("grace", "grace@example.com");
        admin.role = Some("admin".into());
        let admin = user::create(&db, &admin.validate().unwrap(), "h").await.unwrap();
        assert_eq!(admin.admin_status, Some(AdminStatus::Pending));
    }

    #[tokio::test]
    async fn duplicate_username_or_email_is_a_field_error() {
        let (_config, db) = support::fresh_database().await;
        user::create(&db, &new_user("ada", "ada@example.com").validate().unwrap(), "h").await.unwrap();
        let Err(RepoError::Invalid(errors)) =
            user::create(&db, &new_user("ADA", "other@example.com").validate().unwrap(), "h").await
        else {
            panic!("duplicate username accepted")
        };
        assert_eq!(errors.get("username"), Some("That username is already taken"));
        let Err(RepoError::Invalid(errors)) =
            user::create(&db, &new_user("ada2", " Ada@Example.com").validate().unwrap(), "h").await
        else {
            panic!("duplicate email accepted")
        };
        assert_eq!(errors.get("email"), Some("An account with that email already exists"));
        assert_eq!(db.collection::<Document>(USERS).count_documents(doc! {}).await.unwrap(), 1);
    }

    #[tokio::test]
    async fn users_are_found_through_their_keys_and_a_wrong_key_is_corrected() {
        let (_config, db) = support::fresh_database().await;
        let keys = db.collection::<Document>(user::USER_KEYS);
        let ada = user::create(&db, &new_user("ada", "ada@example.com").validate().unwrap(), "h").await.unwrap();
        assert_eq!(keys.count_documents(doc! { "user": ada.id }).await.unwrap(), 2, "a username and an email key");

        // The key is what finds her: without it there is no account by that name.
        keys.delete_one(doc! { "_id": "username:ada" }).await.unwrap();
        assert!(user::find_by_login(&db, "ada").await.unwrap().is_none(), "the lookup scanned the users");
        assert_eq!(user::find_by_login(&db, "ada@example.com").await.unwrap().unwrap().id, ada.id);

        // A key naming another account (a sign-up that lost a race) is corrected by the next lookup.
        keys.insert_one(doc! { "_id": "username:ada", "user": ObjectId::new() }).await.unwrap();
        assert_eq!(user::find_by_username(&db, "ada").await.unwrap().unwrap().id, ada.id);
        let fixed = keys.find_one(doc! { "_id": "username:ada" }).await.unwrap().unwrap();
        assert_eq!(fixed.get_object_id("user").unwrap(), ada.id);

        // A key left by a sign-up that never made its account does not block the name.
        keys.insert_one(doc! { "_id": "username:bob", "user": ObjectId::new() }).await.unwrap();
        let bob = user::create(&db, &new_user("bob", "bob@example.com").validate().unwrap(), "h").await.unwrap();
        assert_eq!(user::find_by_login(&db, "bob").await.unwrap().unwrap().id, bob.id);

        // Users from before the keys get them from the migration.
        keys.delete_many(doc! {}).await.unwrap();
        assert_eq!(user::write_missing_keys(&db).await.unwrap(), 4);
        assert_eq!(user::find_by_login(&db, "ada").await.unwrap().unwrap().id, ada.id);
    }
}

mod achievements {
    use super::*;
    use foothold::db::achievement::{self, AwardDetails, AwardProgress, EarnedContext, Snapshot};
    use foothold::model::TriggerType;
    use foothold::model::achievement::{AchievementInput, ConditionInput, CriteriaInput, RewardsInput};

    fn input(required_modules: Vec<String>) -> AchievementInput {
        AchievementInput {
            title: "Networker".into(),
            description: "Finish the networking module.".into(),
            category: "progress".into(),
            kind: "completion".into(),
            criteria: CriteriaInput {
                required_modules,
                conditions: vec![ConditionInput {
                    field: "stats.totalPoints".into(),
                    operator: "greater_than".into(),
                    value: json!(10),
                }],
                ..Default::default()
            },
            rewards: RewardsInput { points: Some(100.0), badge: "network".into(), ..Default::default() },
            icon: "globe".into(),
            rarity: Some("rare".into()),
            ..Default::default()
        }
    }

    fn details() -> AwardDetails {
        AwardDetails {
            context: EarnedContext {
                trigger_type: TriggerType::ModuleCompletion,
                trigger_value: None,
                related_content: None,
                related_module: None,
                snapshot: Snapshot { user_level: 2, user_points: 150, ..Snapshot::default() },
            },
            progress: AwardProgress { current_value: 1.0, target_value: Some(1.0), percentage: 100.0 },
            time_to_earn: Some(3.5),
        }
    }

    #[tokio::test]
    async fn achievements_validate_their_references() {
        let (db, _p, m) = setup().await;
        let Err(RepoError::Invalid(errors)) = achievement::create(&db, &input(vec![ObjectId::new().to_hex()])).await
        else {
            panic!("unknown module accepted")
        };
        assert_eq!(errors.get("criteria.requiredModules.0"), Some("Module not found"));
        let a = achievement::create(&db, &input(vec![m.to_hex()])).await.unwrap();
        assert_eq!(a.criteria.required_modules, [m]);
        assert_eq!(
            a.criteria.conditions[0].value.as_i64().or(a.criteria.conditions[0].value.as_i32().map(i64::from)),
            Some(10)
        );
        assert_eq!(a.earn_rate(), 0.0);
        assert_eq!(achievement::list_active(&db).await.unwrap().len(), 1);
        assert_eq!(achievement::get(&db, a.id).await.unwrap().unwrap(), a);
    }

    #[tokio::test]
    async fn awarding_is_idempotent_even_when_concurrent() {
        let (db, _p, m) = setup().await;
        let a = achievement::create(&db, &input(vec![m.to_hex()])).await.unwrap();
        let learner = ObjectId::new();
        let tasks: Vec<_> = (0..8)
            .map(|_| {
                let (db, a) = (db.clone(), a.clone());
                tokio::spawn(async move { achievement::award(&db, learner, &a, details()).await })
            })
            .collect();
        let mut granted = 0;
        for task in tasks {
            granted += usize::from(task.await.unwrap().unwrap().is_some());
        }
        assert_eq!(granted, 1, "exactly one award wins");
        assert!(achievement::award(&db, learner, &a, details()).await.unwrap().is_none());
        let awards = achievement::awards_of(&db, learner).await.unwrap();
        assert_eq!(awards.len(), 1);
        assert_eq!(awards[0].earned_context.snapshot.user_points, 150);
        assert_eq!(awards[0].metadata.time_to_earn, Some(3.5));
        assert_eq!(achievement::unviewed_count(&db, learner).await.unwrap(), 1);
        assert_eq!(achievement::get(&db, a.id).await.unwrap().unwrap().metadata.earned_count, 1);

        // The counter is derived: corrupt it and rebuild.
        db.collection::<Document>(foothold::db::collections::ACHIEVEMENTS)
            .update_one(doc! { "_id": a.id }, doc! { "$set": { "metadata.earnedCount": 40 } })
            .await
            .unwrap();
        counters::rebuild(&db).await.unwrap();
        assert_eq!(achievement::get(&db, a.id).await.unwrap().unwrap().metadata.earned_count, 1);

        let mut bad = details();
        bad.progress.percentage = 120.0;
        assert!(matches!(achievement::award(&db, ObjectId::new(), &a, bad).await, Err(RepoError::Invalid(_))));
    }
}

mod learning_records {
    use super::*;
    use foothold::db::{enrollment, progress};
    use foothold::model::{Device, EnrollmentStatus};

    #[tokio::test]
    async fn enrolling_is_idempotent_and_a_dropped_module_can_be_rejoined() {
        let (db, _p, m) = setup().await;
        content::create(&db, &content_input(m, "video", 1.0, 5.0)).await.unwrap();
        content::create(&db, &content_input(m, "lab", 2.0, 5.0)).await.unwrap();
        let learner = ObjectId::new();

        let tasks: Vec<_> = (0..6)
            .map(|_| {
                let db = db.clone();
                tokio::spawn(async move { enrollment::enroll(&db, learner, m).await })
            })
            .collect();
        let mut ids = std::collections::HashSet::new();
        for task in tasks {
            ids.insert(task.await.unwrap().unwrap().id);
        }
        assert_eq!(ids.len(), 1, "concurrent enrolls share one document");
        let e = enrollment::get(&db, learner, m).await.unwrap().unwrap();
        assert_eq!((e.status, e.progress.total_content, e.progress.percentage), (EnrollmentStatus::Active, 2, 0.0));
        assert_eq!((e.engagement.total_logins, e.engagement.consecutive_days), (1, 1));
        assert!(!e.certificate.issued && e.completed_at.is_none());

        enrollment::set_status(&db, learner, m, EnrollmentStatus::Dropped).await.unwrap();
        assert_eq!(enrollment::get(&db, learner, m).await.unwrap().unwrap().status, EnrollmentStatus::Dropped);
        let again = enrollment::enroll(&db, learner, m).await.unwrap();
        assert_eq!((again.id, again.status), (e.id, EnrollmentStatus::Active));
        assert!(matches!(
            enrollment::set_status(&db, learner, m, EnrollmentStatus::Completed).await,
            Err(RepoError::Invalid(_))
        ));
        assert!(matches!(
            enrollment::set_status(&db, ObjectId::new(), m, EnrollmentStatus::Paused).await,
            Err(RepoError::NotFound(_))
        ));

        module::set_active(&db, m, false).await.unwrap();
        assert!(matches!(enrollment::enroll(&db, ObjectId::new(), m).await, Err(RepoError::NotFound("Module"))));
    }

    #[tokio::test]
    async fn progress_documents_are_created_once_with_spec_defaults() {
        let (db, _p, m) = setup().await;
        let c = content::create(&db, &content_input(m, "video", 1.0, 5.0)).await.unwrap();
        let learner = ObjectId::new();
        let first = progress::start(&db, learner, c.id, Device::Mobile).await.unwrap();
        let second = progress::start(&db, learner, c.id, Device::Desktop).await.unwrap();
        assert_eq!(first.id, second.id);
        assert_eq!(first.module, m);
        assert_eq!(second.device, Device::Mobile);
        assert_eq!(first.interactions.views, 1);
        assert_eq!((first.content_specific.playback_speed, first.content_specific.game_level), (1.0, 1));
        assert!(first.validate().is_ok());
        let mut bad = first.clone();
        bad.progress.percentage = 101.0;
        bad.analytics.user_rating = Some(0);
        let errors = bad.validate().unwrap_err();
        assert_eq!(
            errors.get("progress.percentage"),
            Some("Path `progress.percentage` (101) is more than maximum allowed value (100).")
        );
        assert_eq!(
            errors.get("analytics.userRating"),
            Some("Path `analytics.userRating` (0) is less than minimum allowed value (1).")
        );
        assert!(matches!(
            progress::start(&db, learner, ObjectId::new(), Device::Desktop).await,
            Err(RepoError::NotFound(_))
        ));
    }
}

#[tokio::test]
async fn synthetic_data_set_has_the_requested_shape() {
    use foothold::db::collections::{ENROLLMENTS, PROGRESS, USERS};
    use foothold::seed::synthetic::{Size, seed};
    let (_config, db) = support::fresh_database().await;
    let size = Size { users: 40, modules: 6, content_per_module: 4, progress: 500, sign_in: 0, sequential: true };
    let report = seed(&db, size).await.unwrap();
    assert_eq!((report.users, report.modules, report.content, report.progress), (40, 6, 24, 500));
    let count = |c: &'static str| {
        let db = db.clone();
        async move { db.collection::<Document>(c).count_documents(doc! {}).await.unwrap() }
    };
    assert_eq!(count(USERS).await, 40);
    assert_eq!(count(PROGRESS).await, 500);
    assert_eq!(count(ENROLLMENTS).await as usize, report.enrollments);
    // Counters were rebuilt from the generated content.
    let any_module = db.collection::<Document>(MODULES).find_one(doc! {}).await.unwrap().unwrap();
    assert_eq!(int(any_module.get_document("metadata").unwrap(), "totalContent"), 4);
    // Every learner's documents are reachable through their keys, by `_id`.
    let learner = db.collection::<Document>(USERS).find_one(doc! {}).await.unwrap().unwrap();
    let learner = learner.get_object_id("_id").unwrap();
    let mine: Vec<Document> = foothold::db::keys::progress(&db, learner, None).await.unwrap();
    let scanned = db.collection::<Document>(PROGRESS).count_documents(doc! { "user": learner }).await.unwrap();
    assert!(!mine.is_empty());
    assert_eq!(mine.len() as u64, scanned);
    let enrolled: Vec<Document> = foothold::db::keys::enrollments(&db, learner).await.unwrap();
    assert_eq!(
        enrolled.len() as u64,
        db.collection::<Document>(ENROLLMENTS).count_documents(doc! { "user": learner }).await.unwrap()
    );
    // A second run refuses to mix synthetic data into a database with users.
    assert!(seed(&db, size).await.unwrap_err().contains("already has 40 users"));
}

#[tokio::test]
async fn the_database_floor_measures_each_command_on_a_seeded_set() {
    use foothold::db::collections::PROGRESS;
    use foothold::seed::synthetic::{Size, seed};
    let (_config, db) = support::fresh_database().await;
    let empty = foothold::floor::measure(&db, 2, 1).await.unwrap_err();
    assert!(empty.contains("users is empty: seed the database first"), "{empty}");
    let size = Size { users: 12, modules: 3, content_per_module: 3, progress: 90, sign_in: 0, sequential: true };
    seed(&db, size).await.unwrap();
    let started = mongodb::bson::DateTime::now();
    let measures = foothold::floor::measure(&db, 3, 1).await.unwrap();
    let names: Vec<&str> = measures.iter().map(|m| m.name).collect();
    assert_eq!(names, ["read", "enrollments", "dashboard", "write"]);
    for m in &measures {
        assert_eq!(m.errors, 0, "{m}");
        assert!(m.per_second > 0.0 && m.p50 <= m.p99 && m.p99 > std::time::Duration::ZERO, "{m}");
        assert_eq!(m.to_string().split(' ').count(), 5, "one line of five fields for bench/run: {m}");
    }
    // The writes were real: progress records were marked accessed during the run.
    let touched = db
        .collection::<Document>(PROGRESS)
        .count_documents(doc! { "lastAccessedAt": { "$gte": started } })
        .await
        .unwrap();
    assert!(touched > 0, "no progress record was written");
}

#[tokio::test]
async fn documents_from_before_derived_ids_are_moved_once_with_their_certificate_claims() {
    use foothold::db::collections::{ENROLLMENTS, PROGRESS};
    use foothold::db::keys;
    let (db, _p, m) = setup().await;
    let c = content::create(&db, &content_input(m, "document", 1.0, 5.0)).await.unwrap();
    let (user, old_enrollment, old_progress) = (ObjectId::new(), ObjectId::new(), ObjectId::new());
    let now = mongodb::bson::DateTime::now();
    db.collection::<Document>(ENROLLMENTS)
        .insert_one(doc! {
            "_id": old_enrollment, "user": user, "module": m, "enrolledAt": now, "status": "completed",
            "lastAccessedAt": now, "createdAt": now, "updatedAt": now,
        })
        .await
        .unwrap();
    db.collection::<Document>(PROGRESS)
        .insert_one(doc! {
            "_id": old_progress, "user": user, "content": c.id, "module": m, "startedAt": now,
            "lastAccessedAt": now, "device": "desktop", "createdAt": now, "updatedAt": now,
        })
        .await
        .unwrap();
    let claim = foothold::db::certificate::claim(&db, old_enrollment, now).await.unwrap();
    let (achievement, old_award) = (ObjectId::new(), ObjectId::new());
    db.collection::<Document>(foothold::db::collections::ACHIEVEMENTS)
        .insert_one(doc! { "_id": achievement, "title": "Old" })
        .await
        .unwrap();
    let awards = db.collection::<Document>(foothold::db::collections::USER_ACHIEVEMENTS);
    awards
        .insert_one(
            doc! { "_id": old_award, "user": user, "achievement": achievement, "earnedAt": now, "isViewed": false },
        )
        .await
        .unwrap();
    assert!(keys::awards::<Document>(&db, user).await.unwrap().is_empty(), "not reachable before");

    let moved = keys::migrate(&db).await.unwrap().expect("a first run migrates");
    assert_eq!((moved.progress, moved.enrollments, moved.learners, moved.awards), (1, 1, 1, 1));
    let mine: Vec<Document> = keys::awards(&db, user).await.unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].get_object_id("_id").unwrap(), keys::award_id(user, achievement));
    assert_eq!(awards.count_documents(doc! {}).await.unwrap(), 1, "moved, not copied");
    let enrollment = foothold::db::enrollment::get(&db, user, m).await.unwrap().expect("found by its derived id");
    assert_eq!(enrollment.id, keys::enrollment_id(user, m));
    assert!(foothold::db::progress::get(&db, user, c.id).await.unwrap().is_some());
    let count = |coll: &'static str| {
        let db = db.clone();
        async move { db.collection::<Document>(coll).count_documents(doc! {}).await.unwrap() }
    };
    assert_eq!((count(ENROLLMENTS).await, count(PROGRESS).await), (1, 1), "moved, not copied");
    assert_eq!(foothold::db::enrollment::list_for_user(&db, user).await.unwrap().len(), 1);
    let again = foothold::db::certificate::claim(&db, enrollment.id, now).await.unwrap();
    assert_eq!(again.certificate_id, claim.certificate_id, "the certificate keeps its id");
    assert_eq!(keys::migrate(&db).await.unwrap(), None, "once per database");
}

#[tokio::test]
async fn reads_updates_and_virtual_counts() {
    use foothold::db::{enrollment, progress};
    let (db, p, m) = setup().await;
    let c = content::create(&db, &content_input(m, "document", 1.0, 5.0)).await.unwrap();

    let mut edited = phase_input("Foundations, revised", 1.0);
    edited.tags = vec!["basics".into()];
    let updated = phase::update(&db, p, &edited).await.unwrap();
    assert_eq!(updated.title, "Foundations, revised");
    assert_eq!(phase::get(&db, p).await.unwrap().unwrap().tags, ["basics"]);
    assert_eq!(updated.metadata.total_content, 1, "an edit keeps the counters");
    assert_eq!(int(&metadata(&db, PHASES, p).await, "totalContent"), 1);
    phase::set_active(&db, p, false).await.unwrap();
    assert!(!phase::list(&db).await.unwrap()[0].is_active);
    assert!(matches!(phase::set_active(&db, ObjectId::new(), true).await, Err(RepoError::NotFound(_))));
    let mut looped = phase_input("Loop", 2.0);
    looped.prerequisites = vec![p.to_hex()];
    let other = phase::create(&db, &looped).await.unwrap();
    let mut self_loop = looped.clone();
    self_loop.prerequisites = vec![other.id.to_hex()];
    assert!(matches!(phase::update(&db, other.id, &self_loop).await, Err(RepoError::Invalid(_))));

    assert_eq!(module::list_for_phase(&db, p).await.unwrap().len(), 1);
    assert_eq!(module::get(&db, m).await.unwrap().unwrap().metadata.total_content, 1);
    assert_eq!(content::list_for_module(&db, m).await.unwrap()[0].id, c.id);
    assert_eq!(module::enrollment_count(&db, m).await.unwrap(), 0);
    assert_eq!(content::progress_count(&db, c.id).await.unwrap(), 0);
    enrollment::enroll(&db, ObjectId::new(), m).await.unwrap();
    progress::start(&db, ObjectId::new(), c.id, foothold::model::Device::Tablet).await.unwrap();
    assert_eq!(module::enrollment_count(&db, m).await.unwrap(), 1);
    assert_eq!(content::progress_count(&db, c.id).await.unwrap(), 1);
}

/// `keys::fetch` reads a list of ids with one `$in` per 1,000, which
/// Foothold's FerretDB patch answers from the `_id` index; the answer keeps
/// the order asked and skips ids nobody has.
#[tokio::test]
async fn id_lists_are_read_from_the_id_index_in_the_order_asked() {
    let (_config, db) = support::fresh_database().await;
    let coll = db.collection::<Document>("id_lists");
    let ids: Vec<ObjectId> = (0..1_200).map(|_| ObjectId::new()).collect();
    let docs: Vec<Document> = ids.iter().enumerate().map(|(n, id)| doc! { "_id": id, "n": n as i64 }).collect();
    coll.insert_many(docs).await.unwrap();

    let mut asked: Vec<ObjectId> = ids.iter().rev().copied().collect();
    asked.insert(600, ObjectId::new());
    let found: Vec<Document> = foothold::db::keys::fetch(&db, "id_lists", &asked).await.unwrap();
    let got: Vec<ObjectId> = found.iter().map(|d| d.get_object_id("_id").unwrap()).collect();
    let expected: Vec<ObjectId> = ids.iter().rev().copied().collect();
    assert_eq!(got, expected, "every id once, in the order asked, across two reads");
    assert_eq!(found[0].get_i64("n").unwrap(), 1_199);

    let plan = |filter: Document| {
        let db = db.clone();
        async move {
            let out = db.run_command(doc! { "explain": { "find": "id_lists", "filter": filter } }).await.unwrap();
            (out.get_bool("filterPushdown").unwrap(), format!("{:?}", out.get_document("queryPlanner").unwrap()))
        }
    };
    let some: Vec<ObjectId> = ids[..3].to_vec();
    let (pushed, planner) = plan(doc! { "_id": { "$in": &some } }).await;
    assert!(pushed && planner.contains("USING INDEX"), "a list of ids is read from the index: {planner}");
    let (pushed, planner) = plan(doc! { "_id": ids[0] }).await;
    assert!(pushed && planner.contains("USING INDEX"), "one id is read from the index: {planner}");
    let (pushed, _) = plan(doc! { "_id": { "$in": [ids[0], 7] } }).await;
    assert!(!pushed, "a list with other types is left to FerretDB's filter");
}
