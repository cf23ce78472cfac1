//! Catalog authoring by administrators over HTTP: forms with the data
//! model's messages, dense ordering, prerequisite cycles refused,
//! activation, featuring, deletions that would orphan data refused, and an
//! audit log entry for every change.

use crate::support;

use mongodb::bson::{Document, doc};
use serde_json::Value;
use support::{Browser, TestApp};

use foothold::db::collections::{MODULES, PHASES};

const PASSWORD: &str = "a long and unusual passphrase";

async fn admin(app: &TestApp) -> Browser {
    support::first_admin(app, PASSWORD).await
}

async fn save_phase(b: &Browser, id: &str, fields: &[(&str, &str)]) -> (u16, Value) {
    let mut form: Vec<(String, String)> = vec![("id".into(), id.into())];
    form.extend(fields.iter().map(|(k, v)| (format!("form[{k}]"), v.to_string())));
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    b.call("/api/admin/save_phase", &form).await
}

async fn save_module(b: &Browser, id: &str, fields: &[(&str, &str)]) -> (u16, Value) {
    let mut form: Vec<(String, String)> = vec![("id".into(), id.into())];
    form.extend(fields.iter().map(|(k, v)| (format!("form[{k}]"), v.to_string())));
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    b.call("/api/admin/save_module", &form).await
}

/// (title, order) of the phases, or of one phase's modules, in stored order.
async fn orders(app: &TestApp, collection: &str, filter: Document) -> Vec<(String, i32)> {
    use futures::TryStreamExt;
    let docs: Vec<Document> = app
        .db
        .collection::<Document>(collection)
        .find(filter)
        .sort(doc! { "order": 1 })
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    docs.iter().map(|d| (d.get_str("title").unwrap().to_string(), d.get_i32("order").unwrap())).collect()
}

fn id(body: &Value) -> String {
    body.as_str().unwrap_or_else(|| panic!("expected an id, got {body}")).to_string()
}

fn message(body: &Value, field: &str) -> String {
    body["Invalid"][field].as_str().unwrap_or_else(|| panic!("no message for {field} in {body}")).to_string()
}

async fn actions(b: &Browser, filter: &[(&str, &str)]) -> Vec<String> {
    let (status, log) = b.call("/api/admin/audit", filter).await;
    assert_eq!(status, 200, "{log}");
    log["rows"].as_array().unwrap().iter().map(|r| r["action"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn admins_build_phases_and_modules_in_a_dense_order_and_every_change_is_audited() {
    let app = support::spawn_app().await;
    let b = admin(&app).await;

    // The data model's messages, per field; nothing written.
    let (status, body) = save_phase(&b, "", &[("difficulty", "impossible"), ("color", "green")]).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(message(&body, "title"), "Phase title is required");
    assert_eq!(message(&body, "description"), "Phase description is required");
    assert!(message(&body, "difficulty").contains("impossible"));
    assert_eq!(message(&body, "color"), "Color must be a hex colour such as #00ff41");
    assert!(orders(&app, PHASES, doc! {}).await.is_empty());

    fn with<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
        [&[("description", "d"), ("difficulty", "beginner")][..], extra].concat()
    }
    let a = id(&save_phase(&b, "", &with(&[("title", "Alpha"), ("order", "1")])).await.1);
    let bee = id(&save_phase(&b, "", &with(&[("title", "Beta"), ("order", "1")])).await.1);
    assert_eq!(
        orders(&app, PHASES, doc! {}).await,
        [("Beta".into(), 1), ("Alpha".into(), 2)],
        "the new one takes its place"
    );
    let (_, body) = save_phase(&b, "", &with(&[("title", "Gamma"), ("order", "9")])).await;
    let gamma = id(&body);
    assert_eq!(orders(&app, PHASES, doc! {}).await.last().unwrap(), &("Gamma".to_string(), 3), "no gaps");

    // Prerequisites: Beta needs Alpha; Alpha needing Beta (or itself) would be a cycle.
    let (status, body) =
        save_phase(&b, &bee, &with(&[("title", "Beta"), ("order", "1"), ("prerequisites][", &a)])).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) =
        save_phase(&b, &a, &with(&[("title", "Alpha"), ("order", "2"), ("prerequisites][", &bee)])).await;
    assert_eq!(status, 422);
    assert_eq!(message(&body, "prerequisites"), "This would make a cycle: “Alpha” → “Beta” → “Alpha”");
    let (_, body) = save_phase(&b, &a, &with(&[("title", "Alpha"), ("order", "2"), ("prerequisites][", &a)])).await;
    assert_eq!(message(&body, "prerequisites"), "This would make a cycle: “Alpha” → “Alpha”");

    // Modules: dense per phase, moved up and down.
    let module = |title: &'static str, order: &'static str| {
        let a = a.clone();
        let b = &b;
        async move {
            let fields = [
                ("title", title),
                ("description", "d"),
                ("difficulty", "beginner"),
                ("phase", a.as_str()),
                ("order", order),
            ];
            id(&save_module(b, "", &fields).await.1)
        }
    };
    let m1 = module("One", "1").await;
    let m2 = module("Two", "1").await;
    let in_alpha = doc! { "phase": mongodb::bson::oid::ObjectId::parse_str(&a).unwrap() };
    assert_eq!(orders(&app, MODULES, in_alpha.clone()).await, [("Two".into(), 1), ("One".into(), 2)]);
    let (status, _) = b.call("/api/admin/move", &[("kind", "module"), ("id", &m1), ("direction", "up")]).await;
    assert_eq!(status, 200);
    assert_eq!(orders(&app, MODULES, in_alpha.clone()).await, [("One".into(), 1), ("Two".into(), 2)]);
    b.call("/api/admin/move", &[("kind", "module"), ("id", &m1), ("direction", "up")]).await;
    assert_eq!(orders(&app, MODULES, in_alpha.clone()).await[0], ("One".into(), 1), "the first stays first");
    let (status, body) = b.call("/api/admin/move", &[("kind", "module"), ("id", &m1), ("direction", "sideways")]).await;
    assert_eq!((status, message(&body, "direction")), (422, "Choose up or down".into()));
    b.call("/api/admin/move", &[("kind", "phase"), ("id", &gamma), ("direction", "up")]).await;
    assert_eq!(orders(&app, PHASES, doc! {}).await, [("Beta".into(), 1), ("Gamma".into(), 2), ("Alpha".into(), 3)]);

    // Feature, deactivate; an edit through the form keeps both.
    assert_eq!(b.call("/api/admin/set_featured", &[("id", &m2), ("featured", "true")]).await.0, 200);
    assert_eq!(b.call("/api/admin/set_active", &[("kind", "module"), ("id", &m2), ("active", "false")]).await.0, 200);
    let fields = [
        ("title", "Two, renamed"),
        ("description", "d"),
        ("difficulty", "advanced"),
        ("phase", a.as_str()),
        ("order", "2"),
    ];
    assert_eq!(save_module(&b, &m2, &fields).await.0, 200);
    let stored =
        app.db.collection::<Document>(MODULES).find_one(doc! { "title": "Two, renamed" }).await.unwrap().unwrap();
    assert!(stored.get_bool("isFeatured").unwrap() && !stored.get_bool("isActive").unwrap());
    let (_, tree) = b.call("/api/admin/catalog_tree", &[]).await;
    let alpha = tree["phases"].as_array().unwrap().iter().find(|p| p["title"] == "Alpha").unwrap();
    assert_eq!(alpha["modules"][1]["is_active"], false);
    assert_eq!(alpha["modules"][1]["is_featured"], true);

    // Deleting what others depend on is refused with the reason; an empty module goes.
    let (status, body) = b.call("/api/admin/delete", &[("kind", "phase"), ("id", &a)]).await;
    assert_eq!(status, 422);
    assert_eq!(message(&body, "phase"), "This phase still has 2 module(s); move or delete them first");
    assert_eq!(b.call("/api/admin/delete", &[("kind", "module"), ("id", &m1)]).await.0, 200);
    assert_eq!(orders(&app, MODULES, in_alpha).await, [("Two, renamed".into(), 1)], "renumbered");
    let (status, body) = b.call("/api/admin/delete", &[("kind", "planet"), ("id", &a)]).await;
    assert_eq!((status, message(&body, "kind")), (422, "Choose phase, module or content".into()));

    // The audit log has every change, newest first, with before and after.
    let all = actions(&b, &[]).await;
    for expected in [
        "phase.create",
        "phase.update",
        "module.create",
        "module.move",
        "phase.move",
        "module.feature",
        "module.deactivate",
        "module.update",
        "module.delete",
    ] {
        assert!(all.contains(&expected.to_string()), "{expected} missing from {all:?}");
    }
    assert_eq!(all[0], "module.delete");
    assert!(!all.iter().any(|a| a == "phase.delete"), "the refused deletion changed nothing");
    let (_, log) = b.call("/api/admin/audit", &[("action", "module.update")]).await;
    let update = &log["rows"][0];
    assert_eq!(update["actor"], "root_admin");
    assert!(update["before"].as_str().unwrap().contains("\"Two\""));
    assert!(update["after"].as_str().unwrap().contains("Two, renamed"));
    assert!(actions(&b, &[("area", "phase")]).await.iter().all(|a| a.starts_with("phase.")));
    assert!(actions(&b, &[("actor", "someone_else")]).await.is_empty());
    let (status, body) = b.call("/api/admin/audit", &[("area", "planets"), ("since", "yesterday")]).await;
    assert_eq!(status, 422);
    assert_eq!(message(&body, "since"), "Enter a date as YYYY-MM-DD");
    assert!(message(&body, "area").starts_with("Choose one of"));
}

#[tokio::test]
async fn forms_post_without_javascript_and_land_on_the_catalog() {
    let app = support::spawn_app().await;
    let b = admin(&app).await;
    let form = [
        ("id", ""),
        ("form[title]", "Plain"),
        ("form[description]", "Posted by a browser without JavaScript."),
        ("form[difficulty]", "expert"),
        ("form[order]", ""),
        ("form[tags][]", "web"),
        ("form[tags][]", ""),
        ("form[tags][]", "http"),
        ("form[objectives][]", "Read requests"),
    ];
    let response = b.plain_post("/api/admin/save_phase", "/admin/phases/new", &form).await;
    assert_eq!(response.status(), 302);
    assert_eq!(response.headers()[reqwest::header::LOCATION], "/admin/catalog");
    let stored = app.db.collection::<Document>(PHASES).find_one(doc! { "title": "Plain" }).await.unwrap().unwrap();
    let tags: Vec<&str> = stored.get_array("tags").unwrap().iter().filter_map(|t| t.as_str()).collect();
    assert_eq!(tags, ["web", "http"], "empty inputs are dropped");
    assert_eq!(stored.get_i32("order").unwrap(), 1);
    assert!(stored.get_bool("isActive").unwrap());

    // A refused no-JS post goes back to the form with the error in its address.
    let response = b.plain_post("/api/admin/save_phase", "/admin/phases/new", &[("id", ""), ("form[title]", "")]).await;
    assert_eq!(response.status(), 302);
    let back = response.headers()[reqwest::header::LOCATION].to_str().unwrap().to_string();
    assert!(back.starts_with("/admin/phases/new?") || back.contains("/admin/phases/new?"), "{back}");
    assert!(back.contains("__err"), "{back}");

    // The pages render for the admin and refuse a student.
    for path in ["/admin/catalog", "/admin/phases/new", "/admin/modules/new", "/admin/audit"] {
        let page = b.http.get(format!("{}{path}", app.base_url)).send().await.unwrap();
        assert_eq!(page.status(), 200, "{path}");
        let html = page.text().await.unwrap();
        assert!(!html.contains("admin-refusal"), "{path}");
    }
    let html = b.http.get(format!("{}/admin/catalog", app.base_url)).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Plain"), "the catalog lists the new phase");
    let student = Browser::new(&app.base_url);
    student.register("a_student", PASSWORD).await;
    let html = student.http.get(format!("{}/admin/catalog", app.base_url)).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("admin-refusal") && html.contains("Only administrators"), "students see why not");
}

#[tokio::test]
async fn the_overview_computes_funnels_stuck_items_and_activity_from_the_learners_records() {
    use mongodb::bson::oid::ObjectId;
    use mongodb::bson::{Bson, DateTime};

    use foothold::db::collections::{CONTENTS, ENROLLMENTS, PROGRESS, USERS};

    let app = support::spawn_app().await;
    foothold::seed::seed_demo(&app.db).await.unwrap();
    let b = admin(&app).await;
    let linux = app
        .db
        .collection::<Document>(MODULES)
        .find_one(doc! { "title": { "$regex": "^Linux" } })
        .await
        .unwrap()
        .unwrap();
    let linux = linux.get_object_id("_id").unwrap();
    let lab = app
        .db
        .collection::<Document>(CONTENTS)
        .find_one(doc! { "module": linux, "type": "lab" })
        .await
        .unwrap()
        .unwrap();
    let (lab, lab_title) = (lab.get_object_id("_id").unwrap(), lab.get_str("title").unwrap().to_string());
    let now = DateTime::now();
    // (name, enrollment status, percentage, lab completed, attempts, hints, studied today)
    let learners = [
        ("ada_l", "completed", 100.0, true, 1, 0, true),
        ("bob_l", "active", 60.0, false, 6, 2, true),
        ("cyd_l", "active", 10.0, false, 5, 3, false),
    ];
    for (name, status, percentage, done, attempts, hints, today) in learners {
        Browser::new(&app.base_url).register(name, PASSWORD).await;
        let user = app.db.collection::<Document>(USERS).find_one(doc! { "username": name }).await.unwrap().unwrap();
        let user = user.get_object_id("_id").unwrap();
        app.db
            .collection::<Document>(ENROLLMENTS)
            .insert_one(doc! {
                "_id": ObjectId::new(), "user": user, "module": linux, "enrolledAt": now, "status": status,
                "progress": { "percentage": percentage }, "createdAt": now, "updatedAt": now,
            })
            .await
            .unwrap();
        let sessions: Vec<Bson> = if today {
            vec![Bson::Document(doc! { "startTime": now, "endTime": now, "duration": 60.0 })]
        } else {
            vec![]
        };
        app.db
            .collection::<Document>(PROGRESS)
            .insert_one(doc! {
                "_id": ObjectId::new(), "user": user, "content": lab, "module": linux, "lastAccessedAt": now,
                "progress": { "isCompleted": done, "percentage": if done { 100.0 } else { 0.0 } },
                "timeSpent": { "total": 600.0, "sessions": sessions },
                "contentSpecific": { "labAttempts": attempts, "hintsUsed": hints },
                "createdAt": now, "updatedAt": now,
            })
            .await
            .unwrap();
    }

    // The documents went in directly, as a seeder's do: add up the analytics tallies from them.
    foothold::db::tallies::rebuild(&app.db).await.unwrap();
    let (status, state) = b.call("/api/admin/analytics", &[("fresh", "true")]).await;
    assert_eq!(status, 200, "{state}");
    assert_eq!(state["computing"], false, "a small catalog is computed within the wait");
    let a = &state["analytics"];
    assert_eq!(
        (a["students"].as_u64(), a["enrollments"].as_u64(), a["completions"].as_u64()),
        (Some(3), Some(3), Some(1))
    );
    assert_eq!(a["active_7_days"], 3, "cyd did not study today but touched the lab");
    assert_eq!(a["enrollments_per_day"].as_array().unwrap().last().unwrap()[1], 3.0);
    assert_eq!(a["active_per_day"].as_array().unwrap().last().unwrap()[1], 3.0);
    let funnel = a["funnels"].as_array().unwrap().iter().find(|f| f["module_id"] == linux.to_hex()).unwrap();
    assert_eq!(
        (funnel["started"].as_u64(), funnel["halfway"].as_u64(), funnel["completed"].as_u64()),
        (Some(3), Some(2), Some(1))
    );
    assert_eq!(funnel["drop_off"], 67.0);
    assert_eq!(a["stuck"][0]["title"], lab_title.as_str());
    assert_eq!(a["stuck"][0]["completion_rate"], 33.0);
    assert_eq!(a["stuck"][0]["attempts_per_learner"], 4.0);
    // 600 s falls in the 600–660 s bucket; one value sits in its middle.
    assert_eq!(a["median_minutes"][0], serde_json::json!([lab_title, 10.5]));
    assert_eq!(a["levels"], serde_json::json!([["L1", 3.0]]));
    assert!(a["achievements"].as_array().unwrap().len() >= 10);

    // The overview page draws it for the admin; a student is refused.
    let html = b.http.get(format!("{}/admin", app.base_url)).send().await.unwrap().text().await.unwrap();
    for part in ["enrollments-chart", "active-chart", "funnel-chart", "levels-chart", &lab_title] {
        assert!(html.contains(part), "{part} missing from the overview");
    }
    let student = Browser::new(&app.base_url);
    student.register("nosy_student", PASSWORD).await;
    assert_eq!(student.call("/api/admin/analytics", &[]).await.0, 403);
}

#[tokio::test]
async fn achievements_are_previewed_saved_awarded_retroactively_and_deactivated() {
    use foothold::db::collections::{ACHIEVEMENTS, USER_ACHIEVEMENTS, USERS};

    let app = support::spawn_app().await;
    foothold::seed::seed_demo(&app.db).await.unwrap();
    let b = admin(&app).await;
    for (name, bio, points) in [("ada_a", "CTF player", 100), ("bob_a", "gardener", 100), ("cyd_a", "CTF newbie", 0)] {
        Browser::new(&app.base_url).register(name, PASSWORD).await;
        app.db
            .collection::<Document>(USERS)
            .update_one(doc! { "username": name }, doc! { "$set": { "profile.bio": bio, "stats.totalPoints": points } })
            .await
            .unwrap();
    }
    let fields = |title: &'static str, value: &'static str, intent: &'static str| {
        vec![
            ("id", ""),
            ("intent", intent),
            ("form[title]", title),
            ("form[description]", "Points and a CTF bio."),
            ("form[category]", "special"),
            ("form[type]", "milestone"),
            ("form[icon]", "flag"),
            ("form[rewards][badge]", "ctf"),
            ("form[rewards][points]", "15"),
            ("form[criteria][targetType]", "points_earned"),
            ("form[criteria][targetValue]", value),
            ("conditions[0][field]", "profile.bio"),
            ("conditions[0][operator]", "contains"),
            ("conditions[0][value]", "CTF"),
            ("conditions[1][field]", ""),
            ("conditions[1][operator]", "equals"),
            ("conditions[1][value]", ""),
        ]
    };
    let before = app.db.collection::<Document>(ACHIEVEMENTS).count_documents(doc! {}).await.unwrap();
    let (status, body) = b.call("/api/admin/save_achievement", &fields("", "10", "preview")).await;
    assert_eq!(status, 422, "{body}");
    assert!(body["Invalid"]["title"].as_str().is_some(), "{body}");
    let (status, body) = b.call("/api/admin/save_achievement", &fields("CTF Spirit", "10", "preview")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["Preview"]["qualifying"], 1, "only ada has the points and the bio: {body}");
    assert_eq!(body["Preview"]["checked"], 3);
    assert_eq!(
        app.db.collection::<Document>(ACHIEVEMENTS).count_documents(doc! {}).await.unwrap(),
        before,
        "a preview saves nothing"
    );
    let mut bad = fields("CTF Spirit", "10", "save");
    bad[11] = ("conditions[0][field]", "password");
    let (status, body) = b.call("/api/admin/save_achievement", &bad).await;
    assert_eq!(status, 422, "{body}");

    let (status, body) = b.call("/api/admin/save_achievement", &fields("CTF Spirit", "10", "save")).await;
    assert_eq!(status, 200, "{body}");
    let id = body["Saved"].as_str().unwrap().to_string();
    let stored =
        app.db.collection::<Document>(ACHIEVEMENTS).find_one(doc! { "title": "CTF Spirit" }).await.unwrap().unwrap();
    let condition = &stored.get_document("criteria").unwrap().get_array("conditions").unwrap()[0];
    assert_eq!(condition.as_document().unwrap().get_str("value").unwrap(), "CTF");

    // The retroactive run awards ada once, in the background.
    let (status, run) = b.call("/api/admin/award_achievement", &[("id", &id)]).await;
    assert_eq!(status, 200, "{run}");
    assert_eq!(run["total"], 3);
    let mut finished = serde_json::Value::Null;
    for _ in 0..100 {
        let (_, state) = b.call("/api/admin/award_status", &[("id", &id)]).await;
        if state["finished"] == true {
            finished = state;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!((finished["checked"].as_u64(), finished["awarded"].as_u64()), (Some(3), Some(1)), "{finished}");
    let achievement = mongodb::bson::oid::ObjectId::parse_str(&id).unwrap();
    assert_eq!(
        app.db
            .collection::<Document>(USER_ACHIEVEMENTS)
            .count_documents(doc! { "achievement": achievement })
            .await
            .unwrap(),
        1
    );
    let ada = app.db.collection::<Document>(USERS).find_one(doc! { "username": "ada_a" }).await.unwrap().unwrap();
    assert!(ada.get_document("stats").unwrap().get_i64("totalPoints").map(|p| p >= 15).unwrap_or(true));

    // Deactivated, it cannot be awarded; the form keeps the criteria for editing.
    assert_eq!(b.call("/api/admin/set_achievement_active", &[("id", &id), ("active", "false")]).await.0, 200);
    let (status, body) = b.call("/api/admin/award_achievement", &[("id", &id)]).await;
    assert_eq!((status, body["Invalid"]["id"].as_str()), (422, Some("Activate the achievement before awarding it")));
    let (_, form) = b.call("/api/admin/achievement_form", &[("id", &id)]).await;
    assert_eq!(form["conditions"][0]["value"], "CTF");
    assert_eq!(form["input"]["criteria"]["targetType"], "points_earned");
    let mut edit = fields("CTF Spirit", "50", "save");
    edit[0] = ("id", &id);
    assert_eq!(b.call("/api/admin/save_achievement", &edit).await.0, 200);
    let stored =
        app.db.collection::<Document>(ACHIEVEMENTS).find_one(doc! { "title": "CTF Spirit" }).await.unwrap().unwrap();
    assert!(!stored.get_bool("isActive").unwrap(), "editing does not reactivate");
    assert_eq!(stored.get_document("criteria").unwrap().get_f64("targetValue").unwrap(), 50.0);

    let all = actions(&b, &[("area", "achievement")]).await;
    assert_eq!(all, ["achievement.update", "achievement.deactivate", "achievement.award_run", "achievement.create"]);
    for path in
        ["/admin/achievements".to_string(), format!("/admin/achievements/{id}"), "/admin/achievements/new".into()]
    {
        let html = b.http.get(format!("{}{path}", app.base_url)).send().await.unwrap().text().await.unwrap();
        assert!(!html.contains("admin-refusal") && html.contains("Achievement"), "{path}");
    }
}

#[tokio::test]
async fn the_catalog_downloads_as_a_file_for_admins_only_and_the_transfer_page_renders() {
    let app = support::spawn_app().await;
    foothold::seed::seed_demo(&app.db).await.unwrap();
    let b = admin(&app).await;
    let response = b.http.get(format!("{}/admin/catalog.json", app.base_url)).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-disposition"], "attachment; filename=\"foothold-catalog.json\"");
    let file: Value = response.json().await.unwrap();
    assert_eq!(file["format"], "foothold-catalog");
    assert_eq!(file["phases"].as_array().unwrap().len(), 3);
    let module = file["phases"][0]["modules"][0]["id"].as_str().unwrap().to_string();
    let one: Value = b
        .http
        .get(format!("{}/admin/catalog.json?module={module}", app.base_url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(one["phases"][0]["modules"].as_array().unwrap().len(), 1);
    let bad = b.http.get(format!("{}/admin/catalog.json?module=nope", app.base_url)).send().await.unwrap();
    assert_eq!(bad.status(), 422);
    assert_eq!(actions(&b, &[("area", "module")]).await, ["module.export"]);

    let anonymous = Browser::new(&app.base_url);
    let refused = anonymous.http.get(format!("{}/admin/catalog.json", app.base_url)).send().await.unwrap();
    assert_eq!(refused.status(), 401);
    let student = Browser::new(&app.base_url);
    student.register("curious_student", PASSWORD).await;
    let refused = student.http.get(format!("{}/admin/catalog.json", app.base_url)).send().await.unwrap();
    assert_eq!(refused.status(), 403);

    let html = b.http.get(format!("{}/admin/transfer", app.base_url)).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Download the whole catalog") && html.contains("Linux Command Line"), "the page renders");
}
