//! Learning over HTTP, on the demo curriculum: who may call what, enrolling
//! and prerequisites, sequential locking, heartbeats that cannot be forged
//! into progress, grading on the server without leaking keys, labs with
//! hints, bookmarks, ratings, module completion, and writes that stay exact
//! under concurrent clients.

use crate::support;

use futures::future::join_all;
use mongodb::bson::oid::ObjectId;
use mongodb::bson::{DateTime, Document, doc};
use serde_json::{Value, json};
use support::{Browser, TestApp};

use foothold::db::collections::{ACHIEVEMENTS, CONTENTS, ENROLLMENTS, MODULES, PROGRESS, USERS};

const PASSWORD: &str = "correct horse battery staple";
const LINUX: &str = "Linux Command Line for Defenders";

async fn seeded() -> TestApp {
    let app = support::spawn_app().await;
    foothold::seed::seed_demo(&app.db).await.expect("seed the demo curriculum");
    app
}

async fn module_id(app: &TestApp, title: &str) -> ObjectId {
    let m = app.db.collection::<Document>(MODULES).find_one(doc! { "title": title }).await.unwrap().unwrap();
    m.get_object_id("_id").unwrap()
}

/// The module's active items in order: (id, type, document).
async fn items(app: &TestApp, module: ObjectId) -> Vec<(String, String, Document)> {
    use futures::TryStreamExt;
    let docs: Vec<Document> = app
        .db
        .collection::<Document>(CONTENTS)
        .find(doc! { "module": module })
        .sort(doc! { "order": 1 })
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    docs.into_iter()
        .map(|d| (d.get_object_id("_id").unwrap().to_hex(), d.get_str("type").unwrap().to_string(), d))
        .collect()
}

async fn learner(app: &TestApp, name: &str) -> (Browser, ObjectId) {
    let b = Browser::new(&app.base_url);
    b.register(name, PASSWORD).await;
    let user = app.db.collection::<Document>(USERS).find_one(doc! { "username": name }).await.unwrap().unwrap();
    (b, user.get_object_id("_id").unwrap())
}

/// Writes an enrollment straight into the database (test set-up that skips gating).
async fn put_enrollment(app: &TestApp, user: ObjectId, module: ObjectId, status: &str) {
    let now = DateTime::now();
    app.db
        .collection::<Document>(ENROLLMENTS)
        .insert_one(doc! {
            "_id": foothold::db::keys::enrollment_id(user, module), "user": user, "module": module,
            "enrolledAt": now, "status": status, "createdAt": now, "updatedAt": now,
        })
        .await
        .unwrap();
    foothold::db::keys::add(&app.db, user, foothold::db::keys::List::Modules, module).await.unwrap();
}

async fn enroll(b: &Browser, module: ObjectId) -> (u16, Value) {
    b.call("/api/learn/enroll", &[("module_id", &module.to_hex())]).await
}

async fn open(b: &Browser, module: ObjectId, content: &str) -> (u16, Value) {
    b.call("/api/learn/player", &[("module_id", &module.to_hex()), ("content_id", content)]).await
}

async fn free_order(app: &TestApp, module: ObjectId) {
    app.db
        .collection::<Document>(MODULES)
        .update_one(doc! { "_id": module }, doc! { "$set": { "settings.requireSequentialCompletion": false } })
        .await
        .unwrap();
    // Written behind the server's back, as another process would: forget its cached modules.
    foothold::db::cache::catalog_changed(&app.db);
}

/// Sets fields of a user document directly (test set-up).
async fn set_user(app: &TestApp, user: ObjectId, set: Document) {
    app.db.collection::<Document>(USERS).update_one(doc! { "_id": user }, doc! { "$set": set }).await.unwrap();
}

/// Marks the learner's opened item completed straight in the database (the
/// quick way; a later real event recomputes everything from it).
async fn completed_in_db(app: &TestApp, user: ObjectId, content: &str) {
    app.db
        .collection::<Document>(PROGRESS)
        .update_one(
            doc! { "user": user, "content": ObjectId::parse_str(content).unwrap() },
            doc! { "$set": { "progress.isCompleted": true, "progress.completedAt": DateTime::now() } },
        )
        .await
        .unwrap();
}

/// Moves the learner's last heartbeat `seconds` into the past, as if that much time had passed.
async fn time_passes(app: &TestApp, user: ObjectId, content: &str, seconds: i64) {
    let content = ObjectId::parse_str(content).unwrap();
    let past = DateTime::from_millis(DateTime::now().timestamp_millis() - seconds * 1000);
    app.db
        .collection::<Document>(PROGRESS)
        .update_one(doc! { "user": user, "content": content }, doc! { "$set": { "lastAccessedAt": past } })
        .await
        .unwrap();
}

async fn beat(b: &Browser, content: &str, beat: Value) -> (u16, Value) {
    b.call_json("/api/learn/heartbeat", &json!({ "content_id": content, "beat": beat })).await
}

async fn progress(app: &TestApp, user: ObjectId, content: &str) -> Document {
    let content = ObjectId::parse_str(content).unwrap();
    app.db.collection::<Document>(PROGRESS).find_one(doc! { "user": user, "content": content }).await.unwrap().unwrap()
}

async fn enrollment(app: &TestApp, user: ObjectId, module: ObjectId) -> Document {
    app.db.collection::<Document>(ENROLLMENTS).find_one(doc! { "user": user, "module": module }).await.unwrap().unwrap()
}

fn num(d: &Document, path: &str) -> f64 {
    let mut current = d;
    let parts: Vec<&str> = path.split('.').collect();
    for p in &parts[..parts.len() - 1] {
        current = current.get_document(p).unwrap();
    }
    let last = parts[parts.len() - 1];
    match current.get(last) {
        Some(mongodb::bson::Bson::Double(x)) => *x,
        Some(mongodb::bson::Bson::Int32(x)) => f64::from(*x),
        Some(mongodb::bson::Bson::Int64(x)) => *x as f64,
        other => panic!("{path} is {other:?}"),
    }
}

/// Calls a server function with owned form values.
async fn call(b: &Browser, path: &str, form: &[(&str, String)]) -> (u16, Value) {
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    b.call(path, &form).await
}

fn invalid(body: &Value, field: &str) -> String {
    body["Invalid"][field].as_str().unwrap_or_else(|| panic!("no message for {field} in {body}")).to_string()
}

/// The quiz answers that are right, as the form encodes them.
fn right_answers(game: &Document) -> Vec<(String, String)> {
    let data = game.get_document("content").unwrap().get_document("gameData").unwrap();
    let mut answers = Vec::new();
    for q in data.get_array("questions").unwrap() {
        let q = q.as_document().unwrap();
        let id = q.get_str("id").unwrap();
        let correct: Vec<i64> = q
            .get_array("correct")
            .unwrap()
            .iter()
            .map(|c| c.as_i64().or_else(|| c.as_i32().map(i64::from)).unwrap())
            .collect();
        if correct.len() == 1 {
            answers.push((format!("answers[{id}]"), correct[0].to_string()));
        } else {
            for c in correct {
                answers.push((format!("answers[{id}~{c}]"), c.to_string()));
            }
        }
    }
    answers
}

async fn submit_game(b: &Browser, content: &str, attempt: &str, answers: &[(String, String)]) -> (u16, Value) {
    let mut form: Vec<(&str, &str)> = vec![("content_id", content), ("attempt", attempt)];
    form.extend(answers.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    b.call("/api/learn/game", &form).await
}

#[tokio::test]
async fn modules_are_public_and_every_learning_action_needs_a_learner() {
    let app = seeded().await;
    let linux = module_id(&app, LINUX).await;
    let anonymous = Browser::new(&app.base_url);
    let (status, body) = anonymous.call("/api/learn/module", &[("id", &linux.to_hex())]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["signed_in"], false);
    assert_eq!(body["syllabus"].as_array().unwrap().len(), 5);
    let item = items(&app, linux).await[0].0.clone();
    for path in [
        "/api/learn/enroll",
        "/api/learn/enrollment_status",
        "/api/learn/player",
        "/api/learn/game",
        "/api/learn/lab",
        "/api/learn/hint",
        "/api/learn/done",
        "/api/learn/bookmark",
        "/api/learn/bookmark_delete",
        "/api/learn/rate",
    ] {
        let form = [
            ("module_id", linux.to_hex()),
            ("content_id", item.clone()),
            ("status", "paused".into()),
            ("attempt", "attempt-0001".into()),
            ("answer", "x".into()),
            ("number", "1".into()),
            ("section", "1".into()),
            ("created_ms", "1".into()),
            ("rating", "5".into()),
        ];
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, body) = anonymous.call(path, &form).await;
        assert_eq!(status, 401, "{path}: {body}");
        assert_eq!(body["Unauthorized"], "Please sign in to continue.", "{path}");
    }
    let (status, _) = beat(&anonymous, &item, json!({ "position": 0.0, "speed": 1.0 })).await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn prerequisites_gate_enrolling_and_say_what_unlocks_it() {
    let app = seeded().await;
    let (ada, user) = learner(&app, "ada").await;
    let crypto = module_id(&app, "Cryptography Basics").await;
    let (status, body) = enroll(&ada, crypto).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["Forbidden"], "Complete the module “Networking Essentials for Security” first.");

    let web = module_id(&app, "How the Web Works: HTTP, Cookies and Sessions").await;
    let (status, body) = enroll(&ada, web).await;
    assert_eq!(status, 403);
    let message = body["Forbidden"].as_str().unwrap();
    assert!(message.starts_with("Complete the phase “Foundations”"), "{message}");

    let (_, page) = ada.call("/api/learn/module", &[("id", &crypto.to_hex())]).await;
    assert_eq!(page["prerequisites"][0]["completed"], false);
    assert_eq!(page["needs"][0]["title"], "Networking Essentials for Security");

    // Once the prerequisite is completed the module opens.
    let networking = module_id(&app, "Networking Essentials for Security").await;
    assert_eq!(enroll(&ada, networking).await.0, 200);
    app.db
        .collection::<Document>(ENROLLMENTS)
        .update_one(doc! { "user": user, "module": networking }, doc! { "$set": { "status": "completed" } })
        .await
        .unwrap();
    assert_eq!(enroll(&ada, crypto).await.0, 200);
    let (_, page) = ada.call("/api/learn/module", &[("id", &crypto.to_hex())]).await;
    assert_eq!(page["enrollment"]["status"], "active");
    assert_eq!(page["enrollment"]["total"], 5);
}

#[tokio::test]
async fn enrollment_pauses_drops_and_reactivates() {
    let app = seeded().await;
    let (ada, user) = learner(&app, "ada").await;
    let linux = module_id(&app, LINUX).await;
    let first = items(&app, linux).await[0].0.clone();
    assert_eq!(enroll(&ada, linux).await.0, 200);
    assert_eq!(enroll(&ada, linux).await.0, 200, "enrolling twice is harmless");
    let count = app.db.collection::<Document>(ENROLLMENTS).count_documents(doc! { "user": user }).await.unwrap();
    assert_eq!(count, 1);
    for (status, expected) in [("paused", "paused"), ("dropped", "dropped")] {
        let (code, body) =
            ada.call("/api/learn/enrollment_status", &[("module_id", &linux.to_hex()), ("status", status)]).await;
        assert_eq!(code, 200, "{body}");
        assert_eq!(enrollment(&app, user, linux).await.get_str("status").unwrap(), expected);
        let (code, body) = open(&ada, linux, &first).await;
        assert_eq!(code, 403);
        assert!(body["Forbidden"].as_str().unwrap().contains(&format!("is {expected}")), "{body}");
    }
    let (code, body) =
        ada.call("/api/learn/enrollment_status", &[("module_id", &linux.to_hex()), ("status", "completed")]).await;
    assert_eq!(code, 422);
    assert_eq!(invalid(&body, "status"), "Choose active, paused or dropped");
    assert_eq!(enroll(&ada, linux).await.0, 200);
    assert_eq!(enrollment(&app, user, linux).await.get_str("status").unwrap(), "active");
    assert_eq!(open(&ada, linux, &first).await.0, 200);
}

#[tokio::test]
async fn content_opens_in_order_and_bad_ids_are_refused() {
    let app = seeded().await;
    let (ada, _) = learner(&app, "ada").await;
    let linux = module_id(&app, LINUX).await;
    let list = items(&app, linux).await;
    let (status, body) = open(&ada, linux, &list[0].0).await;
    assert_eq!(status, 403);
    assert_eq!(body["Forbidden"], format!("Enroll in “{LINUX}” on its module page to open its content."));
    enroll(&ada, linux).await;

    let (status, body) = open(&ada, linux, &list[1].0).await;
    assert_eq!(status, 403);
    assert_eq!(body["Forbidden"], format!("Complete “{}” first.", list[0].2.get_str("title").unwrap()));
    let (status, body) = open(&ada, linux, &list[0].0).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["item"]["kind"], "video");
    assert_eq!(body["next"], list[1].0);
    assert!(body["previous"].is_null());
    assert_eq!(body["syllabus"][1]["locked"], format!("Complete “{}” first.", list[0].2.get_str("title").unwrap()));

    let (status, body) = open(&ada, linux, "nope").await;
    assert_eq!(status, 422);
    assert_eq!(invalid(&body, "contentId"), "Cast to ObjectId failed for value \"nope\" at path \"contentId\"");
    assert_eq!(open(&ada, linux, &ObjectId::new().to_hex()).await.0, 404);
    // An item of another module under this module's address.
    let other = items(&app, module_id(&app, "Networking Essentials for Security").await).await;
    assert_eq!(open(&ada, linux, &other[0].0).await.0, 404);
    // Heartbeats before opening an item find nothing to record.
    let (status, _) = beat(&ada, &other[0].0, json!({ "position": 0.0, "speed": 1.0 })).await;
    assert_eq!(status, 403, "not enrolled in that module");
}

#[tokio::test]
async fn video_progress_comes_from_server_checked_segments() {
    let app = seeded().await;
    let (ada, user) = learner(&app, "ada").await;
    let linux = module_id(&app, LINUX).await;
    let video = items(&app, linux).await[0].0.clone();
    enroll(&ada, linux).await;
    assert_eq!(open(&ada, linux, &video).await.0, 200);

    // A forged length (the content says 2 minutes) is not accepted, so nothing counts.
    let (status, body) = beat(
        &ada,
        &video,
        json!({ "position": 9.0, "segment": { "start": 0.0, "end": 10.0 }, "length": 10.0, "speed": 1.0 }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["progress"]["percentage"], 0.0);

    // Claiming the whole video right away earns only what could have played.
    time_passes(&app, user, &video, 10).await;
    let (_, body) = beat(
        &ada,
        &video,
        json!({ "position": 96.0, "segment": { "start": 0.0, "end": 96.0 }, "length": 96.0, "speed": 2.0, "pauses": 1 }),
    )
    .await;
    let pct = body["progress"]["percentage"].as_f64().unwrap();
    assert!(pct > 20.0 && pct < 25.0, "10 s at 2x plus slack is 22 s of 96: {pct}");
    assert!(!body["progress"]["completed"].as_bool().unwrap());
    let p = progress(&app, user, &video).await;
    assert_eq!(num(&p, "contentSpecific.videoLength"), 96.0);
    assert_eq!(num(&p, "interactions.pauses"), 1.0);
    let time = num(&p, "timeSpent.total");
    assert!((10.0..12.0).contains(&time), "credited server time, not claimed: {time}");

    // Replaying the same part adds nothing; watching on completes at 90%.
    time_passes(&app, user, &video, 30).await;
    let (_, body) =
        beat(&ada, &video, json!({ "position": 20.0, "segment": { "start": 0.0, "end": 20.0 }, "speed": 1.0 })).await;
    assert_eq!(body["progress"]["percentage"].as_f64().unwrap(), pct);
    let mut at = 22.0;
    let mut last = body;
    while at < 96.0 {
        time_passes(&app, user, &video, 30).await;
        let end = (at + 30.0_f64).min(96.0);
        last = beat(&ada, &video, json!({ "position": end, "segment": { "start": at, "end": end }, "speed": 1.0 }))
            .await
            .1;
        at = end;
    }
    assert_eq!(last["progress"]["percentage"], 100.0);
    assert_eq!(last["progress"]["completed"], true);
    assert_eq!(last["just_completed"], true);
    assert_eq!(last["enrollment"]["completed"], 1);
    assert_eq!(last["enrollment"]["percentage"], 20.0);
    let p = progress(&app, user, &video).await;
    let segments = p.get_document("contentSpecific").unwrap().get_array("watchedSegments").unwrap();
    assert_eq!(segments.len(), 1, "merged into one: {segments:?}");
    assert!(p.get_document("progress").unwrap().get_datetime("completedAt").is_ok());
    let e = enrollment(&app, user, linux).await;
    assert_eq!(e.get_document("progress").unwrap().get_object_id("lastContentCompleted").unwrap().to_hex(), video);

    // Out-of-range numbers are refused with a message.
    let (status, body) = beat(&ada, &video, json!({ "position": -1.0, "speed": 99.0, "pauses": -3 })).await;
    assert_eq!(status, 422);
    assert_eq!(invalid(&body, "position"), "The position must be between 0 and 86400");
    assert_eq!(invalid(&body, "speed"), "The speed must be between 0 and 16");
    assert_eq!(invalid(&body, "pauses"), "Counts must be between 0 and 1000");
}

#[tokio::test]
async fn two_tabs_beating_at_once_never_count_time_twice() {
    let app = seeded().await;
    let (ada, user) = learner(&app, "ada").await;
    let linux = module_id(&app, LINUX).await;
    let video = items(&app, linux).await[0].0.clone();
    enroll(&ada, linux).await;
    open(&ada, linux, &video).await;
    time_passes(&app, user, &video, 20).await;
    let beats = (0..12).map(|_| beat(&ada, &video, json!({ "position": 1.0, "speed": 1.0 })));
    for (status, body) in join_all(beats).await {
        assert_eq!(status, 200, "{body}");
    }
    let p = progress(&app, user, &video).await;
    let time = num(&p, "timeSpent.total");
    assert!((20.0..22.0).contains(&time), "20 s passed, 12 beats: {time}");
    let e = enrollment(&app, user, linux).await;
    let minutes = num(&e, "timeSpent.total");
    assert!((minutes - time / 60.0).abs() < 0.05, "enrollment {minutes} min vs progress {time} s");
}

#[tokio::test]
async fn games_are_graded_on_the_server_and_a_double_submit_counts_once() {
    let app = seeded().await;
    let (ada, user) = learner(&app, "ada").await;
    let linux = module_id(&app, LINUX).await;
    free_order(&app, linux).await;
    let list = items(&app, linux).await;
    let (quiz_id, _, quiz) = list.iter().find(|(_, kind, _)| kind == "game").unwrap().clone();
    enroll(&ada, linux).await;
    let (status, page) = open(&ada, linux, &quiz_id).await;
    assert_eq!(status, 200, "{page}");
    let text = page.to_string();
    assert!(!text.contains("\"correct\":") && !text.contains("\"explanation\":"), "no key before answering: {text}");
    assert!(page["item"]["body"]["Game"]["game"]["questions"].as_array().unwrap().len() >= 3);

    // Five copies of one wrong submission, at once: one attempt.
    let wrong = vec![("answers[octal]".to_string(), "0".to_string())];
    let copies = (0..5).map(|_| submit_game(&ada, &quiz_id, "attempt-aaaa-0", &wrong));
    for (status, body) in join_all(copies).await {
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["graded"]["passed"], false);
    }
    let p = progress(&app, user, &quiz_id).await;
    assert_eq!(num(&p, "contentSpecific.gameAttempts"), 1.0);
    assert!(!p.get_document("progress").unwrap().get_bool("isCompleted").unwrap());

    let (status, body) = submit_game(&ada, &quiz_id, "attempt-aaaa-1", &right_answers(&quiz)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["graded"]["score"], 100.0);
    assert_eq!(body["graded"]["passed"], true);
    assert!(!body["graded"]["items"][0]["explanation"].as_str().unwrap().is_empty(), "explanations after submitting");
    assert_eq!(body["outcome"]["just_completed"], true);
    let p = progress(&app, user, &quiz_id).await;
    let cs = p.get_document("contentSpecific").unwrap();
    assert_eq!(num(cs, "gameAttempts"), 2.0);
    assert_eq!(num(cs, "gameBestScore"), 100.0);
    assert_eq!(num(cs, "gameLevel"), 2.0);

    // A later worse attempt keeps the best score and the completion.
    let (_, body) = submit_game(&ada, &quiz_id, "attempt-aaaa-2", &wrong).await;
    assert_eq!(body["outcome"]["progress"]["best_score"], 100.0);
    assert_eq!(body["outcome"]["progress"]["completed"], true);

    // Bad input.
    let (status, body) = submit_game(&ada, &quiz_id, "x", &wrong).await;
    assert_eq!(status, 422);
    assert_eq!(invalid(&body, "attempt"), "The form is out of date; reload the page and try again");
    let many: Vec<(String, String)> = (0..300).map(|i| (format!("answers[k{i}]"), "1".into())).collect();
    let (status, body) = submit_game(&ada, &quiz_id, "attempt-aaaa-3", &many).await;
    assert_eq!(status, 422);
    assert_eq!(invalid(&body, "answers"), "Too many answers for one game");
    let lab = &list.iter().find(|(_, kind, _)| kind == "lab").unwrap().0;
    assert_eq!(submit_game(&ada, lab, "attempt-aaaa-4", &wrong).await.0, 404, "a lab is not a game");
}

#[tokio::test]
async fn scenarios_puzzles_and_simulations_play_through_the_server() {
    let app = seeded().await;
    let (ada, ada_id) = learner(&app, "ada").await;
    for title in [
        "Network Reconnaissance and Enumeration",
        "Incident Response and Threat Hunting",
        "Networking Essentials for Security",
    ] {
        let module = module_id(&app, title).await;
        free_order(&app, module).await;
        put_enrollment(&app, ada_id, module, "active").await;
        for (id, kind, content) in items(&app, module).await {
            if kind != "game" {
                continue;
            }
            let (status, page) = open(&ada, module, &id).await;
            assert_eq!(status, 200, "{page}");
            let body = &page["item"]["body"]["Game"];
            let data = content.get_document("content").unwrap().get_document("gameData").unwrap();
            let answers: Vec<(String, String)> = match body["game_type"].as_str().unwrap() {
                "scenario" => {
                    // The best path: at each step the choice with the most points.
                    let steps = data.get_array("steps").unwrap();
                    let mut at = data.get_str("start").unwrap().to_string();
                    let mut path = Vec::new();
                    loop {
                        let step = steps
                            .iter()
                            .map(|s| s.as_document().unwrap())
                            .find(|s| s.get_str("id").unwrap() == at)
                            .unwrap();
                        let Ok(choices) = step.get_array("choices") else { break };
                        let Some(best) = choices
                            .iter()
                            .map(|c| c.as_document().unwrap())
                            .max_by_key(|c| c.get_i32("points").unwrap_or(0))
                        else {
                            break;
                        };
                        path.push(best.get_str("id").unwrap().to_string());
                        match best.get_str("next") {
                            Ok(n) => at = n.to_string(),
                            Err(_) => break,
                        }
                    }
                    // Half way the page shows the next step, not the ending.
                    let half = path[..1].join(",");
                    let (_, mid) = ada
                        .call(
                            "/api/learn/player",
                            &[("module_id", &module.to_hex()), ("content_id", &id), ("path", &half)],
                        )
                        .await;
                    assert!(mid["item"]["body"]["Game"]["walk"]["next"].is_object(), "{mid}");
                    let (status, early) =
                        submit_game(&ada, &id, "attempt-scen-0", &[("answers[path]".into(), half)]).await;
                    assert_eq!(status, 422, "{early}");
                    vec![("answers[path]".into(), path.join(","))]
                }
                "simulation" => data
                    .get_array("parts")
                    .unwrap()
                    .iter()
                    .map(|p| p.as_document().unwrap())
                    .filter(|p| p.get_bool("suspicious").unwrap())
                    .map(|p| (format!("answers[{}]", p.get_str("id").unwrap()), "on".to_string()))
                    .collect(),
                "puzzle" => match data.get_str("kind").unwrap() {
                    "order" => data
                        .get_array("items")
                        .unwrap()
                        .iter()
                        .enumerate()
                        .map(|(i, item)| (format!("answers[p{i}]"), item.as_str().unwrap().to_string()))
                        .collect(),
                    _ => data
                        .get_array("pairs")
                        .unwrap()
                        .iter()
                        .enumerate()
                        .map(|(i, pair)| {
                            (
                                format!("answers[m{i}]"),
                                pair.as_document().unwrap().get_str("right").unwrap().to_string(),
                            )
                        })
                        .collect(),
                },
                "quiz" => right_answers(&content),
                other => panic!("unknown game type {other}"),
            };
            let (status, body) = submit_game(&ada, &id, &format!("attempt-{id}"), &answers).await;
            assert_eq!(status, 200, "{body}");
            assert_eq!(body["graded"]["passed"], true, "{}: {body}", content.get_str("title").unwrap());
        }
    }
}

#[tokio::test]
async fn labs_take_flags_reveal_hints_in_order_and_earn_their_solution() {
    let app = seeded().await;
    let (ada, user) = learner(&app, "ada").await;
    let linux = module_id(&app, LINUX).await;
    free_order(&app, linux).await;
    let list = items(&app, linux).await;
    let (lab, _, doc) = list.iter().find(|(_, kind, _)| kind == "lab").unwrap().clone();
    let flag = doc.get_document("content").unwrap().get_array("labFlags").unwrap()[0].as_str().unwrap().to_string();
    enroll(&ada, linux).await;
    let (_, page) = open(&ada, linux, &lab).await;
    let body = &page["item"]["body"]["Lab"];
    assert!(body["solution"].is_null());
    assert_eq!(body["hint_count"], 3);
    assert!(!page.to_string().contains(&flag), "the flag never reaches the browser");

    let hint = |n: &str| {
        let form = [("content_id", lab.clone()), ("number", n.to_string())];
        let ada = &ada;
        async move { call(ada, "/api/learn/hint", &form).await }
    };
    let (status, body) = hint("2").await;
    assert_eq!(status, 422);
    assert_eq!(invalid(&body, "number"), "Hints are revealed one at a time, in order");
    assert_eq!(hint("1").await.1.as_array().unwrap().len(), 1);
    assert_eq!(hint("1").await.1.as_array().unwrap().len(), 1, "asking twice costs one hint");
    assert_eq!(invalid(&hint("9").await.1, "number"), "This lab has 3 hints");

    let answer = |a: &str, attempt: &str| {
        let form = [("content_id", lab.clone()), ("attempt", attempt.to_string()), ("answer", a.to_string())];
        let ada = &ada;
        async move { call(ada, "/api/learn/lab", &form).await }
    };
    let (_, body) = answer("FLAG{wrong}", "attempt-lab-1").await;
    assert_eq!(body["correct"], false);
    assert!(body["solution"].is_null());
    let (_, body) = answer("FLAG{wrong}", "attempt-lab-1").await;
    assert_eq!(body["outcome"]["progress"]["attempts"], 1, "a repeated attempt is not counted");
    let (status, body) = answer("   ", "attempt-lab-2").await;
    assert_eq!(status, 422);
    assert_eq!(invalid(&body, "answer"), "Enter your answer (up to 300 characters)");
    let (_, body) = answer(&format!("  {}  ", flag.to_lowercase()), "attempt-lab-3").await;
    assert_eq!(body["correct"], true, "{body}");
    assert_eq!(body["message"], "Correct! Lab solved.");
    assert_eq!(body["score"], 85.0, "100 - 10 for the hint - 5 for the wrong answer");
    assert!(body["solution"].as_str().unwrap().contains("<"), "the solution as HTML once solved");
    let (_, body) = answer("FLAG{wrong}", "attempt-lab-4").await;
    assert_eq!(body["message"], "That is not the answer, but you have already solved this lab.");
    let p = progress(&app, user, &lab).await;
    assert_eq!(num(&p, "contentSpecific.labAttempts"), 2.0);
    assert_eq!(num(&p, "contentSpecific.hintsUsed"), 1.0);
    assert!(p.get_document("contentSpecific").unwrap().get_bool("labCompleted").unwrap());
}

#[tokio::test]
async fn documents_track_sections_and_bookmarks_belong_to_their_learner() {
    let app = seeded().await;
    let (ada, ada_id) = learner(&app, "ada").await;
    let (bob, _) = learner(&app, "bob").await;
    let linux = module_id(&app, LINUX).await;
    free_order(&app, linux).await;
    let list = items(&app, linux).await;
    let document = list.iter().find(|(_, kind, _)| kind == "document").unwrap().0.clone();
    for b in [&ada, &bob] {
        enroll(b, linux).await;
        open(b, linux, &document).await;
    }
    let (_, page) = open(&ada, linux, &document).await;
    let sections = page["item"]["body"]["Document"]["sections"].as_array().unwrap().len();
    assert_eq!(sections, 7);
    for s in 1..=sections {
        time_passes(&app, ada_id, &document, 6).await;
        let (status, body) = beat(&ada, &document, json!({ "position": s as f64, "speed": 1.0 })).await;
        assert_eq!(status, 200, "{body}");
    }
    let (_, body) = beat(&ada, &document, json!({ "position": 1.0, "speed": 1.0 })).await;
    assert_eq!(body["progress"]["percentage"], 100.0);
    assert_eq!(body["progress"]["completed"], true);
    assert_eq!(body["progress"]["sections_read"].as_array().unwrap().len(), 7);

    let mark = |b: &Browser, section: &str, note: &str| {
        let form = [("content_id", document.clone()), ("section", section.to_string()), ("note", note.to_string())];
        let b = Browser { base: b.base.clone(), http: b.http.clone() };
        async move { call(&b, "/api/learn/bookmark", &form).await }
    };
    let (status, body) = mark(&ada, "2", "setuid matters").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(mark(&ada, "2", "setuid matters").await.1["progress"]["bookmarks"].as_array().unwrap().len(), 1);
    let (status, body) = mark(&ada, "99", "").await;
    assert_eq!(status, 422);
    assert_eq!(invalid(&body, "section"), "Choose a section between 1 and 7");
    assert_eq!(invalid(&mark(&ada, "1", &"x".repeat(501)).await.1, "note"), "A note cannot exceed 500 characters");
    let e = enrollment(&app, ada_id, linux).await;
    assert_eq!(num(&e, "engagement.bookmarksCount"), 1.0);
    assert_eq!(num(&e, "engagement.notesCount"), 1.0);

    // Bob sees none of Ada's bookmarks, and deleting "them" touches only his own document.
    let (_, bob_page) = open(&bob, linux, &document).await;
    assert!(bob_page["progress"]["bookmarks"].as_array().unwrap().is_empty());
    let created = body_created(&ada, linux, &document).await;
    let (status, _) = bob
        .call("/api/learn/bookmark_delete", &[("content_id", &document), ("section", "2"), ("created_ms", &created)])
        .await;
    assert_eq!(status, 200);
    assert_eq!(open(&ada, linux, &document).await.1["progress"]["bookmarks"].as_array().unwrap().len(), 1);
    let (_, body) = ada
        .call("/api/learn/bookmark_delete", &[("content_id", &document), ("section", "2"), ("created_ms", &created)])
        .await;
    assert!(body["progress"]["bookmarks"].as_array().unwrap().is_empty());

    // Ratings after completion only, in range.
    let rate = |b: &Browser, rating: &str| {
        let form =
            [("content_id", document.clone()), ("rating", rating.to_string()), ("feedback", "clear".to_string())];
        let b = Browser { base: b.base.clone(), http: b.http.clone() };
        async move { call(&b, "/api/learn/rate", &form).await }
    };
    assert_eq!(invalid(&rate(&bob, "4").await.1, "rating"), "Rate an item once you have completed it");
    assert_eq!(
        invalid(&rate(&ada, "6").await.1, "rating"),
        "Path `rating` (6) is more than maximum allowed value (5)."
    );
    let (status, body) = rate(&ada, "4").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["progress"]["rating"], 4);
    assert_eq!(body["progress"]["feedback"], "clear");

    // Manual completion only where the criteria say so.
    let (status, body) = ada.call("/api/learn/done", &[("content_id", &document)]).await;
    assert_eq!(status, 422);
    assert_eq!(invalid(&body, "content"), "This item completes by itself as you work through it");
}

async fn body_created(b: &Browser, module: ObjectId, content: &str) -> String {
    let (_, page) = open(b, module, content).await;
    page["progress"]["bookmarks"][0]["created_ms"].as_i64().unwrap().to_string()
}

#[tokio::test]
async fn finishing_every_item_completes_the_module_and_its_enrollment() {
    let app = seeded().await;
    let (ada, user) = learner(&app, "ada").await;
    let ir = module_id(&app, "Incident Response and Threat Hunting").await;
    free_order(&app, ir).await;
    // Its prerequisites, completed.
    for title in [LINUX, "Injection Attacks: SQL and Command Injection"] {
        let m = module_id(&app, title).await;
        put_enrollment(&app, user, m, "completed").await;
    }
    let (status, body) = enroll(&ada, ir).await;
    assert_eq!(status, 403, "the phase before is not complete yet: {body}");
    app.db
        .collection::<Document>(ENROLLMENTS)
        .update_many(doc! { "user": user }, doc! { "$set": { "status": "completed" } })
        .await
        .unwrap();
    for m in [
        "Networking Essentials for Security",
        "Cryptography Basics",
        "How the Web Works: HTTP, Cookies and Sessions",
        "Cross-Site Scripting and Browser Security",
    ] {
        let m = module_id(&app, m).await;
        put_enrollment(&app, user, m, "completed").await;
    }
    assert_eq!(enroll(&ada, ir).await.0, 200);
    let list = items(&app, ir).await;
    let manual = list
        .iter()
        .find(|(_, kind, d)| {
            kind == "document" && d.get_document("completionCriteria").unwrap().get_str("type").unwrap() == "manual"
        })
        .unwrap();
    open(&ada, ir, &manual.0).await;
    let (status, body) = ada.call("/api/learn/done", &[("content_id", &manual.0)]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["progress"]["completed"], true);
    assert_eq!(body["enrollment"]["completed"], 1);
    let e = enrollment(&app, user, ir).await;
    assert_eq!(e.get_str("status").unwrap(), "active");
    assert_eq!(num(&e, "progress.percentage"), 20.0);
    assert_eq!(num(&e, "progress.totalContent"), 5.0);

    // Completing the rest the quick way (straight in the database) and one
    // more real event recomputes everything from the progress documents.
    for (id, ..) in list.iter().filter(|(id, ..)| id != &manual.0) {
        open(&ada, ir, id).await;
        completed_in_db(&app, user, id).await;
    }
    let (_, body) = ada.call("/api/learn/done", &[("content_id", &manual.0)]).await;
    assert_eq!(body["just_completed"], false);
    foothold::db::learning::refresh_enrollment(&app.db, user, ir).await.unwrap();
    let e = enrollment(&app, user, ir).await;
    assert_eq!(e.get_str("status").unwrap(), "completed");
    assert_eq!(num(&e, "progress.percentage"), 100.0);
    assert_eq!(num(&e, "progress.completedContent"), 5.0);
    assert!(e.get_datetime("completedAt").is_ok());
    let (_, page) = ada.call("/api/learn/module", &[("id", &ir.to_hex())]).await;
    assert_eq!(page["enrollment"]["status"], "completed");
    assert!(page["syllabus"].as_array().unwrap().iter().all(|i| i["completed"] == true));
}

#[tokio::test]
async fn forms_work_without_javascript_and_land_back_on_the_page() {
    let app = seeded().await;
    let (ada, user) = learner(&app, "ada").await;
    let linux = module_id(&app, LINUX).await;
    free_order(&app, linux).await;
    let list = items(&app, linux).await;
    let (quiz_id, _, quiz) = list.iter().find(|(_, kind, _)| kind == "game").unwrap().clone();
    let page = format!("{}/learn/{}/{quiz_id}", app.base_url, linux.to_hex());

    // Enroll as a plain form post: the server answers with a redirect back.
    let response = ada
        .http
        .post(format!("{}/api/learn/enroll", app.base_url))
        .header(reqwest::header::ACCEPT, "text/html")
        .header(reqwest::header::REFERER, format!("{}/modules/{}", app.base_url, linux.to_hex()))
        .form(&[("module_id", linux.to_hex())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 302);
    assert!(enrollment(&app, user, linux).await.get_str("status").is_ok());

    // The player renders on the server with the quiz form.
    let html = ada.http.get(&page).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("name=\"attempt\""), "the quiz form is rendered on the server");
    assert!(html.contains("answers[octal]"));

    let mut form: Vec<(String, String)> =
        vec![("content_id".into(), quiz_id.clone()), ("attempt".into(), "attempt-nojs-1".into())];
    form.extend(right_answers(&quiz));
    let response = ada
        .http
        .post(format!("{}/api/learn/game", app.base_url))
        .header(reqwest::header::ACCEPT, "text/html")
        .header(reqwest::header::REFERER, &page)
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 302);
    let back = response.headers()[reqwest::header::LOCATION].to_str().unwrap().to_string();
    assert_eq!(back.trim_end_matches('?'), page, "back to the page the form was on");
    // Back on the page, the stored result shows the score and explanations.
    let html = ada.http.get(&page).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Score 100% — passed!"), "{}", &html[..html.len().min(500)]);
    assert!(html.contains("Completed ✓"));

    // A refused plain post lands back on its page, which shows the message.
    let lab = list.iter().find(|(_, kind, _)| kind == "lab").unwrap().0.clone();
    let lab_page = format!("{}/learn/{}/{lab}", app.base_url, linux.to_hex());
    let response = ada
        .http
        .post(format!("{}/api/learn/lab", app.base_url))
        .header(reqwest::header::ACCEPT, "text/html")
        .header(reqwest::header::REFERER, &lab_page)
        .form(&[("content_id", lab.as_str()), ("attempt", "attempt-nojs-2"), ("answer", "  ")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 302);
    let back = response.headers()[reqwest::header::LOCATION].to_str().unwrap().to_string();
    assert!(back.starts_with(&lab_page) && back.contains("__err"), "{back}");
    let html = ada.http.get(&back).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Enter your answer (up to 300 characters)"), "the message is on the page");
}

async fn stats_of(app: &TestApp, user: ObjectId) -> Document {
    let u = app.db.collection::<Document>(USERS).find_one(doc! { "_id": user }).await.unwrap().unwrap();
    u.get_document("stats").unwrap().clone()
}

async fn solve_lab(b: &Browser, lab: &(String, String, Document), attempt: &str) -> (u16, Value) {
    let flag = lab.2.get_document("content").unwrap().get_array("labFlags").unwrap()[0].as_str().unwrap().to_string();
    call(b, "/api/learn/lab", &[("content_id", lab.0.clone()), ("attempt", attempt.into()), ("answer", flag)]).await
}

#[tokio::test]
async fn points_levels_and_stats_follow_completions_and_rebuild_to_the_same_numbers() {
    let app = seeded().await;
    let (ada, user) = learner(&app, "ada").await;
    let linux = module_id(&app, LINUX).await;
    free_order(&app, linux).await;
    let list = items(&app, linux).await;
    let labs: Vec<_> = list.iter().filter(|(_, kind, _)| kind == "lab").cloned().collect();
    let quiz = list.iter().find(|(_, kind, _)| kind == "game").unwrap().clone();
    enroll(&ada, linux).await;
    for (id, ..) in &list {
        open(&ada, linux, id).await;
    }

    // A lab with one hint: score 90 → 30 + 12 − 5 = 37 points (beginner),
    // and the demo's "First Steps" achievement (first completion) adds 25.
    call(&ada, "/api/learn/hint", &[("content_id", labs[0].0.clone()), ("number", "1".into())]).await;
    let (status, body) = solve_lab(&ada, &labs[0], "attempt-pts-1").await;
    assert_eq!(status, 200);
    assert_eq!(body["outcome"]["achievements"][0]["title"], "First Steps");
    let stats = stats_of(&app, user).await;
    assert_eq!(num(&stats, "totalPoints"), 37.0 + 25.0);
    assert_eq!(num(&stats, "labsCompleted"), 1.0);
    assert_eq!(num(&stats, "level"), 1.0);

    // The second lab (100 → 45) and the quiz (100 → 30), sent at the same time with heartbeats.
    time_passes(&app, user, &list[0].0, 20).await;
    let lab = solve_lab(&ada, &labs[1], "attempt-pts-2");
    let answers = right_answers(&quiz.2);
    let game = submit_game(&ada, &quiz.0, "attempt-pts-3", &answers);
    let beats = join_all((0..4).map(|_| beat(&ada, &list[0].0, json!({ "position": 1.0, "speed": 1.0 }))));
    let ((lab_status, _), (game_status, _), _) = tokio::join!(lab, game, beats);
    assert_eq!((lab_status, game_status), (200, 200));
    let stats = stats_of(&app, user).await;
    assert_eq!(num(&stats, "totalPoints"), 62.0 + 45.0 + 30.0);
    assert_eq!(num(&stats, "level"), 2.0, "137 points is level 2");
    assert_eq!((num(&stats, "labsCompleted"), num(&stats, "gamesCompleted")), (2.0, 1.0));
    let minutes = num(&stats, "totalStudyTime");
    assert!(minutes > 0.3 && minutes < 0.4, "20 s of heartbeats: {minutes}");

    // Completing the rest finishes the module: 10 + 10, the 100-point module
    // bonus and "Command Line Convert" (this module, as a beginner): 100.
    for (id, ..) in list.iter().filter(|(_, kind, _)| kind == "video" || kind == "document").skip(1) {
        completed_in_db(&app, user, id).await;
    }
    let video = &list[0].0;
    let mut at = 0.0;
    while at < 96.0 {
        time_passes(&app, user, video, 30).await;
        let end = (at + 30.0_f64).min(96.0);
        beat(
            &ada,
            video,
            json!({ "position": end, "segment": { "start": at, "end": end }, "length": 96.0, "speed": 1.0 }),
        )
        .await;
        at = end;
    }
    let stats = stats_of(&app, user).await;
    assert_eq!(num(&stats, "totalPoints"), 137.0 + 20.0 + 100.0 + 100.0);
    assert_eq!(num(&stats, "coursesCompleted"), 1.0);
    assert_eq!(num(&stats, "level"), 3.0, "357 points is level 3");

    // The stored numbers are exactly what the source documents give, and a rebuild restores them.
    let computed = foothold::db::stats::compute(&app.db, user).await.unwrap();
    assert_eq!(computed.stats.total_points, 357);
    set_user(&app, user, doc! { "stats.totalPoints": 0, "stats.level": 1, "stats.labsCompleted": 0 }).await;
    assert_eq!(foothold::db::stats::rebuild_all(&app.db).await.unwrap(), 1);
    let rebuilt = stats_of(&app, user).await;
    assert_eq!(num(&rebuilt, "totalPoints"), 357.0);
    assert_eq!(num(&rebuilt, "labsCompleted"), 2.0);
    assert_eq!(num(&rebuilt, "coursesCompleted"), 1.0);
    let exact = num(&rebuilt, "totalStudyTime");
    assert!((exact - minutes).abs() < 0.05 || exact > minutes, "study minutes rebuilt from progress: {exact}");
}

/// A page render reads the signed-in learner once, although the shell, the
/// navigation's badge count and the dashboard each ask who is signed in
/// (a server function, which may write, reads them afresh), and the
/// achievements shown beside the awards come from the cache.
#[tokio::test]
async fn a_page_render_reads_the_signed_in_learner_once() {
    let (app, commands) = support::spawn_app_watched().await;
    let ada = Browser::new(&app.base_url);
    ada.register("ada_once", "correct horse battery").await;
    let reads = |commands: &support::Commands, of: &str| {
        commands.lock().unwrap().iter().filter(|(name, coll)| name == "find" && coll == of).count()
    };
    let user_reads = |commands: &support::Commands| reads(commands, USERS);
    for round in 0..2 {
        commands.lock().unwrap().clear();
        let page = ada.http.get(format!("{}/dashboard", app.base_url)).send().await.unwrap();
        assert_eq!(page.status(), 200);
        assert!(page.text().await.unwrap().contains("ada_once"), "the page is the learner's");
        assert_eq!(user_reads(&commands), 1, "one read of the learner per page");
        assert_eq!(
            reads(&commands, foothold::db::keys::LEARNER_KEYS),
            0,
            "the enrollments are read by their derived ids, without the key list"
        );
        if round == 1 {
            assert_eq!(reads(&commands, ACHIEVEMENTS), 0, "the achievements beside the awards are cached");
        }
    }
    commands.lock().unwrap().clear();
    let (status, _) = ada.call("/api/dashboard", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(user_reads(&commands), 1);
}

#[tokio::test]
async fn the_dashboard_shows_only_the_learners_own_progress() {
    let app = seeded().await;
    let (ada, user) = learner(&app, "ada").await;
    let (bob, _) = learner(&app, "bob").await;
    let anonymous = Browser::new(&app.base_url);
    assert_eq!(anonymous.call("/api/dashboard", &[]).await.0, 401);
    let linux = module_id(&app, LINUX).await;
    free_order(&app, linux).await;
    let list = items(&app, linux).await;
    let labs: Vec<_> = list.iter().filter(|(_, kind, _)| kind == "lab").cloned().collect();
    enroll(&ada, linux).await;
    open(&ada, linux, &labs[0].0).await;
    time_passes(&app, user, &labs[0].0, 25).await;
    beat(&ada, &labs[0].0, json!({ "position": 0.0, "speed": 1.0 })).await;
    solve_lab(&ada, &labs[0], "attempt-dash-1").await;

    let (status, d) = ada.call("/api/dashboard", &[]).await;
    assert_eq!(status, 200, "{d}");
    assert_eq!(d["points"], 45 + 25, "the lab and First Steps");
    assert_eq!(d["level"], 1);
    assert_eq!(d["next_level_at"], 100);
    assert_eq!(d["labs_completed"], 1);
    assert_eq!(d["continue_at"]["content_id"], labs[0].0);
    assert_eq!(d["modules"][0]["title"], LINUX);
    assert_eq!(d["recent"][0]["content_id"], labs[0].0);
    let days = d["study_days"].as_array().unwrap();
    assert_eq!(days.len(), 84, "twelve weeks for the streak calendar");
    let today = days[83][1].as_f64().unwrap();
    assert!((today - 25.0 / 60.0).abs() < 0.05, "25 s today: {today}");
    let recommended: Vec<&str> =
        d["recommended"].as_array().unwrap().iter().map(|r| r["title"].as_str().unwrap()).collect();
    assert!(!recommended.contains(&LINUX), "joined modules are not suggested: {recommended:?}");
    assert!(recommended.contains(&"Networking Essentials for Security"), "{recommended:?}");
    assert!(!recommended.contains(&"Cryptography Basics"), "locked modules are not suggested: {recommended:?}");

    let (_, theirs) = bob.call("/api/dashboard", &[]).await;
    assert_eq!(theirs["points"], 0);
    assert!(theirs["modules"].as_array().unwrap().is_empty());
    assert!(theirs["continue_at"].is_null());

    // The page renders on the server.
    let html = ada.http.get(format!("{}/dashboard", app.base_url)).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Next level in 30 points"), "{}", &html[..html.len().min(300)]);
    assert!(html.contains("data-testid=\"study-chart\""));
}

#[tokio::test]
async fn an_item_moved_to_another_module_stays_on_the_dashboard() {
    let app = seeded().await;
    let (ada, user) = learner(&app, "ada").await;
    let linux = module_id(&app, LINUX).await;
    free_order(&app, linux).await;
    let lab = items(&app, linux).await.into_iter().find(|(_, kind, _)| kind == "lab").unwrap();
    enroll(&ada, linux).await;
    open(&ada, linux, &lab.0).await;
    time_passes(&app, user, &lab.0, 25).await;
    beat(&ada, &lab.0, json!({ "position": 0.0, "speed": 1.0 })).await;
    assert_eq!(solve_lab(&ada, &lab, "attempt-moved-1").await.0, 200);

    // An admin moves the lab to a module the learner then joins; the
    // learner's progress record still names the module it was done in.
    let networking = module_id(&app, "Networking Essentials for Security").await;
    let id = ObjectId::parse_str(&lab.0).unwrap();
    let mut input = foothold::db::content::get(&app.db, id).await.unwrap().unwrap().to_input();
    input.module = networking.to_hex();
    foothold::db::content::update(&app.db, id, &input).await.unwrap();
    foothold::db::cache::catalog_changed(&app.db);
    assert_eq!(enroll(&ada, networking).await.0, 200);

    let (status, d) = ada.call("/api/dashboard", &[]).await;
    assert_eq!(status, 200, "{d}");
    assert_eq!(d["recent"][0]["content_id"], lab.0, "the completion is still listed: {d}");
    assert_eq!(d["recent"][0]["module_id"], networking.to_hex(), "under the module that holds it now");
    assert_eq!(d["continue_at"]["content_id"], lab.0);
    assert_eq!(d["continue_at"]["module_id"], networking.to_hex(), "the link opens it where it is now");
}

/// Adds study sessions that ended `days_ago` days back to the learner's
/// progress on `content`, then recomputes their stats from the documents.
async fn studied_on(app: &TestApp, user: ObjectId, content: &str, days_ago: &[i64]) {
    let now = DateTime::now().timestamp_millis();
    let sessions: Vec<Document> = days_ago
        .iter()
        .map(|d| {
            let end = DateTime::from_millis(now - d * 86_400_000);
            doc! { "startTime": end, "endTime": end, "duration": 600.0, "progressGained": 0.0 }
        })
        .collect();
    app.db
        .collection::<Document>(PROGRESS)
        .update_one(
            doc! { "user": user, "content": ObjectId::parse_str(content).unwrap() },
            doc! { "$push": { "timeSpent.sessions": { "$each": sessions } } },
        )
        .await
        .unwrap();
    foothold::db::stats::refresh(&app.db, user).await.unwrap();
}

async fn streak_of(app: &TestApp, user: ObjectId) -> (f64, f64) {
    let u = app.db.collection::<Document>(USERS).find_one(doc! { "_id": user }).await.unwrap().unwrap();
    (num(&u, "currentStreak"), num(&u, "longestStreak"))
}

#[tokio::test]
async fn streaks_count_learning_days_in_the_learners_time_zone() {
    let app = seeded().await;
    let (ada, user) = learner(&app, "ada").await;
    let prefs = |zone: &str| {
        let form = [("theme", "dark".to_string()), ("language", "en".to_string()), ("time_zone", zone.to_string())];
        let ada = &ada;
        async move { call(ada, "/api/settings/preferences", &form).await }
    };
    let (status, body) = prefs("Mars/Olympus_Mons").await;
    assert_eq!(status, 422);
    assert_eq!(invalid(&body, "preferences.timeZone"), "Choose a time zone from the list");
    assert_eq!(prefs("Pacific/Kiritimati").await.0, 200);
    let (_, settings) = ada.call("/api/settings", &[]).await;
    assert_eq!(settings["preferences"]["time_zone"], "Pacific/Kiritimati");

    let linux = module_id(&app, LINUX).await;
    let video = items(&app, linux).await[0].0.clone();
    let learn = |b: &Browser, id: ObjectId| {
        let b = Browser { base: b.base.clone(), http: b.http.clone() };
        let (app, video) = (&app, video.clone());
        async move {
            time_passes(app, id, &video, 20).await;
            beat(&b, &video, json!({ "position": 1.0, "speed": 1.0 })).await;
            streak_of(app, id).await
        }
    };
    enroll(&ada, linux).await;
    open(&ada, linux, &video).await;
    assert_eq!(learn(&ada, user).await, (1.0, 1.0), "the first learning day");
    assert_eq!(learn(&ada, user).await, (1.0, 1.0), "the same day again");
    // Three earlier days in a row, then today: four.
    studied_on(&app, user, &video, &[1, 2, 3]).await;
    assert_eq!(streak_of(&app, user).await, (4.0, 4.0));
    assert_eq!(learn(&ada, user).await, (4.0, 4.0));
    // Idle heartbeats (no credited time) are not learning.
    beat(&ada, &video, json!({ "position": 1.0, "speed": 1.0 })).await;
    assert_eq!(streak_of(&app, user).await, (4.0, 4.0));

    // A missed day: three days in a row that ended three days ago.
    let (bob, bob_id) = learner(&app, "bob").await;
    enroll(&bob, linux).await;
    open(&bob, linux, &video).await;
    studied_on(&app, bob_id, &video, &[3, 4, 5]).await;
    assert_eq!(streak_of(&app, bob_id).await, (0.0, 3.0), "broken, the best kept");
    let (_, d) = bob.call("/api/dashboard", &[]).await;
    assert_eq!((d["current_streak"].as_i64(), d["longest_streak"].as_i64()), (Some(0), Some(3)));
    assert_eq!(learn(&bob, bob_id).await, (1.0, 3.0), "learning again restarts it");

    // A rebuild from the documents agrees.
    foothold::db::stats::rebuild_all(&app.db).await.unwrap();
    assert_eq!(streak_of(&app, user).await, (4.0, 4.0));
    assert_eq!(streak_of(&app, bob_id).await, (1.0, 3.0));
    let html = ada.http.get(format!("{}/dashboard", app.base_url)).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("data-testid=\"streak-calendar\""));
    assert!(html.contains("Streak: 4 days"), "streak heading");
    // Bob's new learning day evaluated the streak achievements: a best of 3 earns "Warming Up".
    let earned = awards(&app, bob_id).await;
    let warming_up = achievement_doc(&app, "Warming Up").await.get_object_id("_id").unwrap();
    let award = earned.iter().find(|a| a.get_object_id("achievement").unwrap() == warming_up).expect("Warming Up");
    assert_eq!(award.get_document("earnedContext").unwrap().get_str("triggerType").unwrap(), "streak_milestone");
}

async fn awards(app: &TestApp, user: ObjectId) -> Vec<Document> {
    use futures::TryStreamExt;
    app.db
        .collection::<Document>(foothold::db::collections::USER_ACHIEVEMENTS)
        .find(doc! { "user": user })
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap()
}

async fn achievement_doc(app: &TestApp, title: &str) -> Document {
    app.db
        .collection::<Document>(foothold::db::collections::ACHIEVEMENTS)
        .find_one(doc! { "title": title })
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn achievements_are_awarded_once_with_their_context_and_reward() {
    let app = seeded().await;
    let (ada, user) = learner(&app, "ada").await;
    let linux = module_id(&app, LINUX).await;
    free_order(&app, linux).await;
    let list = items(&app, linux).await;
    let labs: Vec<_> = list.iter().filter(|(_, kind, _)| kind == "lab").cloned().collect();
    enroll(&ada, linux).await;
    for (id, ..) in &list {
        open(&ada, linux, id).await;
    }
    // Two completions at the same time: "First Steps" is awarded once.
    let (first, second) =
        tokio::join!(solve_lab(&ada, &labs[0], "attempt-ach-1"), solve_lab(&ada, &labs[1], "attempt-ach-2"));
    assert_eq!((first.0, second.0), (200, 200));
    let toasts: Vec<&Value> =
        [&first.1, &second.1].iter().flat_map(|b| b["outcome"]["achievements"].as_array().unwrap().iter()).collect();
    assert_eq!(toasts.len(), 1, "one toast for one award: {toasts:?}");
    assert_eq!(toasts[0]["points"], 25);
    let earned = awards(&app, user).await;
    assert_eq!(earned.len(), 1);
    let award = &earned[0];
    let context = award.get_document("earnedContext").unwrap();
    assert_eq!(context.get_str("triggerType").unwrap(), "content_completion");
    assert!(context.get_object_id("relatedContent").is_ok() && context.get_object_id("relatedModule").is_ok());
    let snapshot = context.get_document("snapshot").unwrap();
    assert!(num(snapshot, "userPoints") >= 45.0, "{snapshot:?}");
    assert_eq!(num(award.get_document("progress").unwrap(), "percentage"), 100.0);
    assert!(award.get_bool("isNotified").unwrap(), "announced in the response");
    assert!(award.get_document("metadata").unwrap().get_f64("timeToEarn").is_ok());
    let first_steps = achievement_doc(&app, "First Steps").await;
    assert_eq!(num(first_steps.get_document("metadata").unwrap(), "earnedCount"), 1.0);
    let stats = stats_of(&app, user).await;
    assert_eq!(num(&stats, "totalPoints"), 45.0 + 45.0 + 25.0);

    // Re-evaluating changes nothing: the unique index and the engine agree.
    let trigger = foothold::db::awards::Trigger {
        kind: foothold::model::TriggerType::ContentCompletion,
        value: None,
        content: None,
        module: None,
    };
    assert!(foothold::db::awards::evaluate_and_award(&app.db, user, &trigger).await.unwrap().earned.is_empty());
    assert_eq!(awards(&app, user).await.len(), 1);

    // With achievement notifications off, awards still happen, silently.
    let (bob, bob_id) = learner(&app, "bob").await;
    let form = [("theme", "dark".to_string()), ("language", "en".to_string())];
    assert_eq!(call(&bob, "/api/settings/preferences", &form).await.0, 200, "every checkbox unticked");
    enroll(&bob, linux).await;
    open(&bob, linux, &labs[0].0).await;
    let (_, body) = solve_lab(&bob, &labs[0], "attempt-ach-3").await;
    assert!(body["outcome"]["achievements"].as_array().unwrap().is_empty());
    let silent = awards(&app, bob_id).await;
    assert_eq!(silent.len(), 1);
    assert!(!silent[0].get_bool("isNotified").unwrap());
    let first_steps = achievement_doc(&app, "First Steps").await;
    assert_eq!(num(first_steps.get_document("metadata").unwrap(), "earnedCount"), 2.0);
}

#[tokio::test]
async fn the_gallery_masks_hidden_achievements_and_only_touches_the_learners_own_awards() {
    let app = seeded().await;
    let anonymous = Browser::new(&app.base_url);
    assert_eq!(anonymous.call("/api/achievements", &[]).await.0, 401);
    assert_eq!(anonymous.call("/api/achievements/unread", &[]).await.1, 0);
    let (ada, user) = learner(&app, "ada").await;
    let (bob, _) = learner(&app, "bob").await;
    let linux = module_id(&app, LINUX).await;
    free_order(&app, linux).await;
    let list = items(&app, linux).await;
    let lab = list.iter().find(|(_, kind, _)| kind == "lab").unwrap().clone();
    enroll(&ada, linux).await;
    open(&ada, linux, &lab.0).await;
    solve_lab(&ada, &lab, "attempt-gal-1").await;

    assert_eq!(ada.call("/api/achievements/unread", &[]).await.1, 1);
    let (status, cards) = ada.call("/api/achievements", &[]).await;
    assert_eq!(status, 200, "{cards}");
    let cards = cards.as_array().unwrap();
    assert_eq!(cards.len(), 15);
    let masked: Vec<&Value> = cards.iter().filter(|c| c["masked"] == true).collect();
    assert_eq!(masked.len(), 3, "the demo's three hidden achievements");
    assert!(masked.iter().all(|c| c["title"] == "Hidden achievement" && c["progress"] == 0.0));
    assert!(!cards.iter().any(|c| c["title"] == "Unbroken Chain"), "a hidden title never leaks");
    let first = cards.iter().find(|c| c["title"] == "First Steps").unwrap();
    assert_eq!(first["progress"], 100.0);
    assert_eq!(first["earn_rate"], 50.0, "one of two students");
    let award_id = first["award"]["id"].as_str().unwrap().to_string();
    let modules = cards.iter().find(|c| c["title"] == "Command Line Convert").unwrap();
    assert!(modules["award"].is_null());

    // Seen, then shared; Bob can neither see nor share Ada's award.
    assert_eq!(ada.call("/api/achievements/seen", &[]).await.0, 200);
    assert_eq!(ada.call("/api/achievements/unread", &[]).await.1, 0);
    let share = |b: &Browser, shared: &str| {
        let form = [("award_id", award_id.clone()), ("shared", shared.to_string())];
        let b = Browser { base: b.base.clone(), http: b.http.clone() };
        async move { call(&b, "/api/achievements/share", &form).await }
    };
    assert_eq!(share(&bob, "true").await.0, 404);
    assert_eq!(share(&ada, "true").await.0, 200);
    let award = awards(&app, user).await.into_iter().next().unwrap();
    assert!(award.get_bool("isShared").unwrap() && award.get_bool("isViewed").unwrap());
    assert!(award.get_document("metadata").unwrap().get_bool("celebrationShown").unwrap());
    assert_eq!(
        invalid(
            &call(&ada, "/api/achievements/share", &[("award_id", "x".into()), ("shared", "true".into())]).await.1,
            "awardId"
        ),
        "Cast to ObjectId failed for value \"x\" at path \"awardId\""
    );
    let (_, bob_cards) = bob.call("/api/achievements", &[]).await;
    assert!(bob_cards.as_array().unwrap().iter().all(|c| c["award"].is_null()));
    let html = ada.http.get(format!("{}/achievements", app.base_url)).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("1 of 15 earned"));
}

#[tokio::test]
async fn the_leaderboard_ranks_by_points_and_streak_and_always_shows_the_callers_rank() {
    let app = seeded().await;
    let (ada, ada_id) = learner(&app, "ada").await;
    let (bob, bob_id) = learner(&app, "bob").await;
    let (cy, _) = learner(&app, "cyd").await;
    let set = |id: ObjectId, points: i64, streak: i32| {
        let db = app.db.clone();
        async move {
            db.collection::<Document>(USERS)
                .update_one(
                    doc! { "_id": id },
                    doc! { "$set": { "stats.totalPoints": points, "currentStreak": streak, "lastActivityDate": DateTime::now() } },
                )
                .await
                .unwrap();
        }
    };
    set(ada_id, 300, 9).await;
    set(bob_id, 500, 2).await;
    let board = |b: &Browser, by: &str, period: &str| {
        let form = [("by", by.to_string()), ("period", period.to_string())];
        let b = Browser { base: b.base.clone(), http: b.http.clone() };
        async move { call(&b, "/api/leaderboard", &form).await }
    };
    let (status, points) = board(&ada, "points", "all").await;
    assert_eq!(status, 200, "{points}");
    let names: Vec<&str> = points["rows"].as_array().unwrap().iter().map(|r| r["username"].as_str().unwrap()).collect();
    assert_eq!(names, ["bob", "ada"], "learners without points are not listed");
    assert_eq!(points["me"]["rank"], 2);
    assert_eq!(points["rows"][1]["is_me"], true);
    // Cy has no points: outside the board, their rank is still shown.
    let (_, theirs) = board(&cy, "points", "all").await;
    assert_eq!(theirs["me"]["rank"], 3);
    assert_eq!(theirs["me"]["value"], 0);

    let (_, streaks) = board(&bob, "streak", "all").await;
    assert_eq!(streaks["rows"][0]["username"], "ada");
    assert_eq!(streaks["rows"][0]["value"], 9);
    assert_eq!(streaks["me"]["rank"], 2);
    let (_, week) = board(&bob, "streak", "week").await;
    assert_eq!(week["rows"][0]["value"], 7, "this week counts at most 7 days");

    // This week's points come from dated completions.
    let linux = module_id(&app, LINUX).await;
    free_order(&app, linux).await;
    let lab = items(&app, linux).await.into_iter().find(|(_, kind, _)| kind == "lab").unwrap();
    enroll(&cy, linux).await;
    open(&cy, linux, &lab.0).await;
    solve_lab(&cy, &lab, "attempt-lead-1").await;
    let (_, week) = board(&ada, "points", "week").await;
    assert_eq!(week["rows"][0]["username"], "cyd");
    assert_eq!(week["rows"][0]["value"], 45);
    assert_eq!(week["me"]["value"], 0);

    let (status, body) = board(&ada, "karma", "all").await;
    assert_eq!(status, 422);
    assert_eq!(invalid(&body, "by"), "Choose points or streak");
    assert_eq!(invalid(&board(&ada, "points", "year").await.1, "period"), "Choose all or week");
    let html =
        ada.http.get(format!("{}/leaderboard?by=streak", app.base_url)).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Your rank: #1 with 9 days"), "the page renders on the server");
    let anonymous = Browser::new(&app.base_url);
    let (status, public) = board(&anonymous, "points", "all").await;
    assert_eq!(status, 200);
    assert!(public["me"].is_null());
}

/// Completes every item of `module` but its quiz straight in the database,
/// then passes the quiz for real (the event that completes the module).
async fn finish_with_the_quiz(app: &TestApp, b: &Browser, user: ObjectId, module: ObjectId, attempt: &str) -> Value {
    free_order(app, module).await;
    enroll(b, module).await;
    let list = items(app, module).await;
    for (id, ..) in &list {
        open(b, module, id).await;
    }
    let quiz = list.iter().find(|(_, kind, _)| kind == "game").unwrap().clone();
    for (id, ..) in list.iter().filter(|(id, ..)| id != &quiz.0) {
        completed_in_db(app, user, id).await;
    }
    let (status, body) = submit_game(b, &quiz.0, attempt, &right_answers(&quiz.2)).await;
    assert_eq!(status, 200, "{body}");
    body
}

async fn certificate_of(app: &TestApp, user: ObjectId, module: ObjectId) -> Document {
    enrollment(app, user, module).await.get_document("certificate").cloned().unwrap_or_default()
}

#[tokio::test]
async fn an_eligible_module_earns_one_certificate_that_anyone_can_verify_and_download() {
    let app = seeded().await;
    let (ada, user) = learner(&app, "ada").await;
    set_user(&app, user, doc! { "profile.firstName": "Ada", "profile.lastName": "Lovelace <3" }).await;
    let linux = module_id(&app, LINUX).await;
    let body = finish_with_the_quiz(&app, &ada, user, linux, "attempt-cert-1").await;
    assert_eq!(body["outcome"]["module_completed"], true);
    let id =
        body["outcome"]["enrollment"]["certificate_id"].as_str().expect("the answer names the certificate").to_string();
    assert!(regex::Regex::new("^FH(-[0-9A-HJKMNP-TV-Z]{5}){5}$").unwrap().is_match(&id), "{id}");
    let stored = certificate_of(&app, user, linux).await;
    assert!(stored.get_bool("issued").unwrap());
    assert_eq!(stored.get_str("certificateId").unwrap(), id);
    assert!(stored.get_datetime("issuedAt").is_ok());
    assert_eq!(stored.get_str("downloadUrl").unwrap(), format!("/certificates/{id}/certificate.pdf"));

    // Refreshes and a rebuild never issue a second one.
    foothold::db::learning::refresh_enrollment(&app.db, user, linux).await.unwrap();
    foothold::db::learning::refresh_all_enrollments(&app.db).await.unwrap();
    assert_eq!(certificate_of(&app, user, linux).await.get_str("certificateId").unwrap(), id);

    // Anyone can verify it, typed loosely; unknown and malformed ids are not found.
    let anonymous = Browser::new(&app.base_url);
    let (status, view) = anonymous.call("/api/certificates/verify", &[("certificate_id", &id)]).await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["holder"], "Ada Lovelace <3");
    assert_eq!(view["module_title"], LINUX);
    assert_eq!(view["phase_title"], "Foundations");
    assert_eq!(view["username"], "ada");
    assert_eq!(view["verify_url"], format!("{}/certificates/{id}", app.base_url));
    let loose = id.to_lowercase().replace('-', " ").replace('0', "o");
    assert_eq!(
        anonymous.call("/api/certificates/verify", &[("certificate_id", &loose)]).await.1["holder"],
        "Ada Lovelace <3"
    );
    for wrong in ["FH-00000-00000-00000-00000-00000", "nonsense", ""] {
        let (status, body) = anonymous.call("/api/certificates/verify", &[("certificate_id", wrong)]).await;
        assert_eq!(status, 404, "{wrong}: {body}");
        assert_eq!(body["NotFound"], "A certificate with this ID");
    }

    // The public page, the SVG and the PDF.
    let page = anonymous.http.get(format!("{}/certificates/{id}", app.base_url)).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Verified certificate") && html.contains("Ada Lovelace &lt;3"), "escaped name on the page");
    let missing = anonymous
        .http
        .get(format!("{}/certificates/FH-00000-00000-00000-00000-00000", app.base_url))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    assert!(missing.text().await.unwrap().contains("No certificate has this ID"));
    let svg = anonymous.http.get(format!("{}/certificates/{id}/certificate.svg", app.base_url)).send().await.unwrap();
    assert_eq!(svg.status(), 200);
    assert_eq!(svg.headers()["content-type"], "image/svg+xml; charset=utf-8");
    let svg = svg.text().await.unwrap();
    assert!(svg.contains("Ada Lovelace &lt;3") && svg.contains(LINUX) && svg.contains(&id));
    let pdf = anonymous.http.get(format!("{}/certificates/{id}/certificate.pdf", app.base_url)).send().await.unwrap();
    assert_eq!(pdf.status(), 200);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF-"));
    for path in ["FH-00000-00000-00000-00000-00000/certificate.pdf", &format!("{id}/certificate.png")] {
        let r = anonymous.http.get(format!("{}/certificates/{path}", app.base_url)).send().await.unwrap();
        assert_eq!(r.status(), 404, "{path}");
    }

    // The learner's own list; anonymous callers have none to ask for.
    let (_, mine) = ada.call("/api/certificates/mine", &[]).await;
    assert_eq!(mine.as_array().unwrap().len(), 1);
    assert_eq!(mine[0]["id"], id.as_str());
    assert_eq!(anonymous.call("/api/certificates/mine", &[]).await.0, 401);
    let (_, module) = ada.call("/api/learn/module", &[("id", &linux.to_hex())]).await;
    assert_eq!(module["enrollment"]["certificate_id"], id.as_str());
}

#[tokio::test]
async fn modules_without_certificates_issue_none_until_they_offer_one_and_racing_refreshes_agree() {
    let app = seeded().await;
    let (bob, user) = learner(&app, "bob").await;
    let linux = module_id(&app, LINUX).await;
    app.db
        .collection::<Document>(MODULES)
        .update_one(doc! { "_id": linux }, doc! { "$set": { "settings.certificateEligible": false } })
        .await
        .unwrap();
    let body = finish_with_the_quiz(&app, &bob, user, linux, "attempt-cert-2").await;
    assert_eq!(body["outcome"]["module_completed"], true);
    assert!(body["outcome"]["enrollment"]["certificate_id"].is_null());
    assert!(!certificate_of(&app, user, linux).await.get_bool("issued").unwrap_or(false));
    assert_eq!(bob.call("/api/certificates/mine", &[]).await.1, json!([]));

    // The module starts offering one: two refreshes racing (as two app
    // instances would, outside the per-process lock) settle on one id.
    app.db
        .collection::<Document>(MODULES)
        .update_one(doc! { "_id": linux }, doc! { "$set": { "settings.certificateEligible": true } })
        .await
        .unwrap();
    let racers = join_all((0..5).map(|_| foothold::db::learning::refresh_enrollment(&app.db, user, linux))).await;
    let ids: Vec<Option<String>> = racers.into_iter().map(|r| r.unwrap().unwrap().certificate.certificate_id).collect();
    assert!(ids[0].is_some());
    assert!(ids.iter().all(|id| *id == ids[0]), "one id for every racer: {ids:?}");
    let stored = certificate_of(&app, user, linux).await;
    assert_eq!(Some(stored.get_str("certificateId").unwrap().to_string()), ids[0]);
    assert_eq!(bob.call("/api/certificates/mine", &[]).await.1.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn public_profiles_show_shared_achievements_and_certificates_and_nothing_private() {
    let app = seeded().await;
    let (ada, user) = learner(&app, "ada").await;
    set_user(
        &app,
        user,
        doc! {
            "profile.firstName": "Augusta", "profile.displayName": "Ada L.", "profile.bio": "Hello <b>there</b>",
            "profile.website": "javascript:alert(1)",
        },
    )
    .await;
    let linux = module_id(&app, LINUX).await;
    finish_with_the_quiz(&app, &ada, user, linux, "attempt-profile-1").await;
    let anonymous = Browser::new(&app.base_url);
    let (status, profile) = anonymous.call("/api/profile", &[("username", "ADA")]).await;
    assert_eq!(status, 200, "{profile}");
    assert_eq!(profile["name"], "Ada L.");
    assert_eq!(profile["is_me"], false);
    assert!(profile["website"].is_null(), "only http(s) addresses become links");
    assert_eq!(profile["certificates"].as_array().unwrap().len(), 1);
    assert_eq!(profile["badges"], json!([]), "nothing shared yet");
    assert!(num(&stats_of(&app, user).await, "totalPoints") > 0.0);
    assert_eq!(profile["points"].as_f64(), Some(num(&stats_of(&app, user).await, "totalPoints")));
    let text = profile.to_string();
    for private in ["Augusta", "example.com", "password", "security"] {
        assert!(!text.contains(private), "{private} leaked: {text}");
    }

    // Sharing an award puts it on the profile; the owner sees it is theirs.
    let awarded = awards(&app, user).await;
    assert!(!awarded.is_empty());
    let award = awarded[0].get_object_id("_id").unwrap().to_hex();
    let (status, _) = ada.call("/api/achievements/share", &[("award_id", &award), ("shared", "true")]).await;
    assert_eq!(status, 200);
    let (_, own) = ada.call("/api/profile", &[("username", "ada")]).await;
    assert_eq!(own["is_me"], true);
    assert_eq!(own["badges"].as_array().unwrap().len(), 1);

    // Unknown names and email addresses find nobody.
    let email = app.db.collection::<Document>(USERS).find_one(doc! { "_id": user }).await.unwrap().unwrap();
    let email = email.get_str("email").unwrap().to_string();
    for who in ["nobody_here", email.as_str(), "{\"$ne\":1}"] {
        let (status, body) = anonymous.call("/api/profile", &[("username", who)]).await;
        assert_eq!(status, 404, "{who}: {body}");
    }
    let html = anonymous.http.get(format!("{}/u/ada", app.base_url)).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Ada L.") && html.contains("Hello &lt;b&gt;there&lt;/b&gt;"), "the page renders, escaped");
    assert!(html.contains(LINUX), "certificates are listed");
    let missing = anonymous.http.get(format!("{}/u/nobody_here", app.base_url)).send().await.unwrap();
    assert_eq!(missing.status(), 404);
}

#[tokio::test]
async fn analytics_tallies_kept_while_learning_equal_a_rebuild_from_the_documents() {
    use foothold::db::tallies;
    let app = seeded().await;
    let linux = module_id(&app, LINUX).await;
    free_order(&app, linux).await;
    let list = items(&app, linux).await;
    let labs: Vec<_> = list.iter().filter(|(_, kind, _)| kind == "lab").cloned().collect();
    let quiz = list.iter().find(|(_, kind, _)| kind == "game").unwrap().clone();
    let (ada, ada_id) = learner(&app, "ada_tally").await;
    let (bob, _) = learner(&app, "bob_tally").await;

    // Two learners at once: enrolling, opening everything, a wrong flag, a
    // hint, the right flag, the quiz, and heartbeats, all concurrently.
    let work = |b: Browser, name: &'static str| {
        let (list, labs, quiz) = (list.clone(), labs.clone(), quiz.clone());
        async move {
            enroll(&b, linux).await;
            join_all(list.iter().map(|(id, ..)| open(&b, linux, id))).await;
            let wrong =
                [("content_id", labs[0].0.clone()), ("attempt", format!("{name}-attempt-w")), ("answer", "no".into())];
            call(&b, "/api/learn/lab", &wrong).await;
            call(&b, "/api/learn/hint", &[("content_id", labs[0].0.clone()), ("number", "1".into())]).await;
            let (first, second, answers) =
                (format!("{name}-attempt-1"), format!("{name}-attempt-2"), right_answers(&quiz.2));
            let right = solve_lab(&b, &labs[0], &first);
            let game = submit_game(&b, &quiz.0, &second, &answers);
            let beats = join_all((0..3).map(|_| beat(&b, &list[0].0, json!({ "position": 1.0, "speed": 1.0 }))));
            let ((lab, lab_body), (game, game_body), _) = tokio::join!(right, game, beats);
            assert_eq!((lab, game), (200, 200), "{lab_body} {game_body}");
        }
    };
    time_passes(&app, ada_id, &list[0].0, 30).await;
    tokio::join!(work(ada, "ada"), work(bob, "bob"));

    let live = tallies::read(&app.db).await.unwrap();
    let lab = ObjectId::parse_str(&labs[0].0).unwrap();
    let (effort, times) = &live.items[&lab];
    assert_eq!((effort.started, effort.completed, effort.attempts, effort.hints), (2, 2, 4, 2));
    assert_eq!(times.values().sum::<u64>(), 2, "both learners' times are in the histogram");
    assert_eq!(live.items.len(), list.len(), "every opened item is tallied");
    let (funnel, _) = live.modules[&linux];
    assert_eq!(funnel.started, 2);
    let today = live.days.values().last().unwrap();
    assert_eq!((today.enrollments, today.active, today.last), (2, 2, 2));

    // The tallies are exactly what the documents add up to.
    let report = tallies::rebuild(&app.db).await.unwrap();
    assert_eq!(report.learners, 2);
    assert_eq!(tallies::read(&app.db).await.unwrap(), live);
}

#[tokio::test]
async fn concurrent_heartbeats_credit_the_same_study_time_to_progress_enrollment_and_learner() {
    let app = seeded().await;
    let (ada, user) = learner(&app, "ada_beats").await;
    let linux = module_id(&app, LINUX).await;
    free_order(&app, linux).await;
    let video = items(&app, linux).await[0].0.clone();
    enroll(&ada, linux).await;
    open(&ada, linux, &video).await;
    for _ in 0..3 {
        time_passes(&app, user, &video, 40).await;
        let beats = join_all((0..6).map(|_| beat(&ada, &video, json!({ "position": 1.0, "speed": 1.0 })))).await;
        assert!(beats.iter().all(|(status, _)| *status == 200), "{beats:?}");
    }

    let seconds = num(&progress(&app, user, &video).await, "timeSpent.total");
    assert!(seconds >= 60.0, "three rounds of 40 s credit at least a minute: {seconds}");
    let e = enrollment(&app, user, linux).await;
    let in_sessions: f64 = e
        .get_document("timeSpent")
        .unwrap()
        .get_array("sessions")
        .unwrap()
        .iter()
        .map(|s| num(s.as_document().unwrap(), "duration"))
        .sum();
    let learner = app.db.collection::<Document>(USERS).find_one(doc! { "_id": user }).await.unwrap().unwrap();
    for (what, minutes) in [
        ("enrollment total", num(&e, "timeSpent.total")),
        ("enrollment sessions", in_sessions),
        ("learner's study time", num(&learner, "stats.totalStudyTime")),
    ] {
        assert!((minutes * 60.0 - seconds).abs() < 0.01, "{what}: {minutes} min against {seconds} s of progress");
    }
    assert_eq!(num(&learner, "currentStreak"), 1.0, "one day of learning");
}

/// FerretDB rewrites the whole user document on any update, so an account
/// write racing a learning write could put back the points, level or streak
/// it read before (`reliability/run` caught a sign-in doing it). A sign-in's
/// write waits for the learner's lock that learning writes hold, and goes
/// through once it is free.
#[tokio::test]
async fn a_sign_in_waits_for_the_learning_write_that_holds_the_learners_lock() {
    let app = seeded().await;
    let (_, id) = learner(&app, "lockwaiter").await;
    let held = foothold::db::lock::lock_learner(id).await;
    let sign_in = tokio::spawn({
        let base = app.base_url.clone();
        async move {
            let b = Browser::new(&base);
            b.api("/api/auth/login", &[("login", "lockwaiter"), ("password", PASSWORD)]).await.status().as_u16()
        }
    });
    // Argon2 takes well under this; the sign-in then waits for the lock.
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    assert!(!sign_in.is_finished(), "the sign-in's write went ahead while a learning write held the lock");
    drop(held);
    assert_eq!(sign_in.await.unwrap(), 200);
    let user = app.db.collection::<Document>(USERS).find_one(doc! { "_id": id }).await.unwrap().unwrap();
    assert!(user.get_document("security").unwrap().get_datetime("lastLogin").is_ok(), "the sign-in was recorded");
}

/// The home page's featured cards carry the signed-in learner's own
/// enrollment (read for the featured modules alone), and none for others.
#[tokio::test]
async fn the_home_pages_featured_cards_carry_the_learners_own_progress() {
    let app = seeded().await;
    let linux = module_id(&app, LINUX).await;
    let modules = app.db.collection::<Document>(MODULES);
    modules.update_many(doc! {}, doc! { "$set": { "isFeatured": false } }).await.unwrap();
    modules.update_one(doc! { "_id": linux }, doc! { "$set": { "isFeatured": true } }).await.unwrap();
    let (ada, _) = learner(&app, "ada").await;
    let (bob, _) = learner(&app, "bob").await;
    assert_eq!(enroll(&ada, linux).await.0, 200);

    let (status, mine) = ada.call("/api/catalog/highlights", &[]).await;
    assert_eq!(status, 200, "{mine}");
    let featured = mine["featured"].as_array().unwrap();
    assert_eq!(featured.len(), 1, "{mine}");
    assert_eq!(featured[0]["title"], LINUX);
    assert_eq!(featured[0]["progress"]["status"], "active", "{mine}");
    assert_eq!(featured[0]["progress"]["percentage"], 0.0);
    assert!(mine["modules"].as_u64().unwrap() > 1, "the count is the whole catalog's: {mine}");

    let (status, theirs) = bob.call("/api/catalog/highlights", &[]).await;
    assert_eq!(status, 200);
    assert!(theirs["featured"][0]["progress"].is_null(), "bob has not joined: {theirs}");
}
