//! Import and export of the catalog: a round trip through an empty database,
//! idempotence, one edit → one update, every problem reported with its path
//! while nothing is written, module exports, dry runs, the admin server
//! functions with their audit entries, and the `foothold export`/`import` commands.

use crate::support;

use mongodb::Database;
use mongodb::bson::oid::ObjectId;
use mongodb::bson::{Document, doc};
use support::Browser;

use foothold::api::transfer::{ImportReport, Tally};
use foothold::db::collections::{CONTENTS, MODULES, PHASES};
use foothold::db::transfer::{self, CatalogFile};

const PASSWORD: &str = "a long and unusual passphrase";
const CRYPTOGRAPHY: &str = "Cryptography Basics";

async fn seeded() -> Database {
    let (_, db) = support::fresh_database().await;
    foothold::seed::seed_demo(&db).await.expect("seed the demo curriculum");
    db
}

async fn empty() -> Database {
    support::fresh_database().await.1
}

/// How many phases, modules and content items the database holds.
async fn counts(db: &Database) -> (u64, u64, u64) {
    let count =
        |name: &'static str| async move { db.collection::<Document>(name).count_documents(doc! {}).await.unwrap() };
    (count(PHASES).await, count(MODULES).await, count(CONTENTS).await)
}

fn tally(created: usize, updated: usize, unchanged: usize) -> Tally {
    Tally { created, updated, unchanged }
}

/// The file without its export time, as JSON, for comparing two exports.
fn comparable(file: &CatalogFile) -> serde_json::Value {
    let mut file = file.clone();
    file.exported_at.clear();
    serde_json::from_str(&file.to_json().unwrap()).unwrap()
}

fn paths(report: &ImportReport) -> Vec<&str> {
    report.errors.iter().map(|p| p.path.as_str()).collect()
}

fn message<'a>(report: &'a ImportReport, path: &str) -> &'a str {
    report
        .errors
        .iter()
        .find(|p| p.path == path)
        .map(|p| p.message.as_str())
        .unwrap_or_else(|| panic!("no error at {path}: {:?}", report.errors))
}

async fn module_id(db: &Database, title: &str) -> ObjectId {
    let module = db.collection::<Document>(MODULES).find_one(doc! { "title": title }).await.unwrap();
    module.unwrap_or_else(|| panic!("no module {title:?}")).get_object_id("_id").unwrap()
}

/// The derived counters of every phase and module, by id.
async fn counters(db: &Database) -> Vec<(ObjectId, Document)> {
    use futures::TryStreamExt;
    let mut all = Vec::new();
    for name in [PHASES, MODULES] {
        let docs: Vec<Document> = db
            .collection::<Document>(name)
            .find(doc! {})
            .projection(doc! { "metadata": 1 })
            .sort(doc! { "_id": 1 })
            .await
            .unwrap()
            .try_collect()
            .await
            .unwrap();
        all.extend(
            docs.into_iter().map(|d| (d.get_object_id("_id").unwrap(), d.get_document("metadata").unwrap().clone())),
        );
    }
    all
}

#[tokio::test]
async fn the_demo_catalog_survives_a_round_trip_through_an_empty_database() {
    let source = seeded().await;
    let exported = transfer::export_catalog(&source).await.unwrap();
    assert_eq!(exported.counts(), (3, 8, 40));
    let text = exported.to_json().unwrap();
    assert!(text.contains("\"format\": \"foothold-catalog\"") && text.contains("\"version\": 1"), "{}", &text[..200]);
    assert!(text.contains("labFlags") && text.contains("labSolution"), "answer keys are part of an export");
    assert!(!text.contains("totalContent") && !text.contains("createdAt"), "derived data is left out");

    let target = empty().await;
    let file = transfer::parse(&text).unwrap();
    let report = transfer::import(&target, &file, false).await.unwrap();
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!((report.phases, report.modules, report.content), (tally(3, 0, 0), tally(8, 0, 0), tally(40, 0, 0)));
    assert_eq!(counts(&target).await, (3, 8, 40));

    let again = transfer::export_catalog(&target).await.unwrap();
    assert_eq!(comparable(&again), comparable(&exported));
    assert_eq!(counters(&target).await, counters(&source).await, "counters are recomputed after the import");

    // Importing the file twice, or into the database it came from, changes nothing.
    for db in [&target, &source] {
        let report = transfer::import(db, &file, false).await.unwrap();
        assert_eq!((report.phases, report.modules, report.content), (tally(0, 0, 3), tally(0, 0, 8), tally(0, 0, 40)));
        assert_eq!(
            report.summary(),
            "phases: 0 created, 0 updated, 3 unchanged; modules: 0 created, 0 updated, 8 unchanged; content: 0 created, 0 updated, 40 unchanged."
        );
    }
}

#[tokio::test]
async fn an_edited_title_is_exactly_one_update() {
    let db = seeded().await;
    let mut file = transfer::export_catalog(&db).await.unwrap();
    let item = &mut file.phases[1].modules[0].content[2];
    item.item.title = "A clearer title".into();
    let id = ObjectId::parse_str(&item.id).unwrap();
    // Spacing the validation trims away is no change.
    file.phases[0].phase.title = format!("  {}  ", file.phases[0].phase.title);

    let report = transfer::import(&db, &file, false).await.unwrap();
    assert_eq!((report.phases, report.modules, report.content), (tally(0, 0, 3), tally(0, 0, 8), tally(0, 1, 39)));
    let stored = db.collection::<Document>(CONTENTS).find_one(doc! { "_id": id }).await.unwrap().unwrap();
    assert_eq!(stored.get_str("title").unwrap(), "A clearer title");
    let report = transfer::import(&db, &file, false).await.unwrap();
    assert_eq!(report.content, tally(0, 0, 40));
}

#[tokio::test]
async fn every_problem_is_reported_with_its_path_and_nothing_is_written() {
    let db = seeded().await;
    let before = counts(&db).await;
    let mut file = transfer::export_catalog(&db).await.unwrap();
    let original_title = file.phases[0].modules[0].content[0].item.title.clone();
    // A valid edit and a valid new item: neither may be written while anything else is wrong.
    file.phases[0].modules[0].content[0].item.title = "Edited".into();
    let mut new_item = file.phases[0].modules[0].content[1].clone();
    new_item.id = ObjectId::new().to_hex();
    file.phases[0].modules[0].content.push(new_item);
    // The problems.
    file.phases[0].phase.difficulty = "easy".into();
    file.phases[0].modules[1].module.order = Some(0.0);
    file.phases[1].modules[1].content[2].item.title = "   ".into();
    file.phases[1].modules[1].content[3].id = "nope".into();
    file.phases[2].modules[0].content[0].id = file.phases[0].modules[0].content[1].id.clone();
    file.phases[2].modules[1].module.phase = ObjectId::new().to_hex();

    let report = transfer::import(&db, &file, false).await.unwrap();
    assert_eq!(message(&report, "phases[0].difficulty"), "`easy` is not a valid enum value for path `difficulty`.");
    assert_eq!(
        message(&report, "phases[0].modules[1].order"),
        "Path `order` (0) is less than minimum allowed value (1)."
    );
    assert_eq!(message(&report, "phases[1].modules[1].content[2].title"), "Content title is required");
    assert!(message(&report, "phases[1].modules[1].content[3].id").contains("Cast to ObjectId failed"));
    assert!(
        message(&report, "phases[2].modules[0].content[0].id")
            .contains("phases[0].modules[0].content[1].id uses it too")
    );
    assert!(message(&report, "phases[2].modules[1].phase").contains("It is listed under the phase"));
    assert_eq!(report.errors.len(), 6, "{:?}", paths(&report));
    assert_eq!((report.phases, report.modules, report.content), Default::default());
    assert!(report.summary().contains("6 problem(s)"));

    assert_eq!(counts(&db).await, before);
    let first = ObjectId::parse_str(&file.phases[0].modules[0].content[0].id).unwrap();
    let stored = db.collection::<Document>(CONTENTS).find_one(doc! { "_id": first }).await.unwrap().unwrap();
    assert_eq!(stored.get_str("title").unwrap(), original_title);
}

#[tokio::test]
async fn prerequisites_must_resolve_in_the_file_or_the_database() {
    let db = seeded().await;
    let mut file = transfer::export_catalog(&db).await.unwrap();
    let dangling = ObjectId::new().to_hex();
    file.phases[0].modules[0].module.prerequisites = vec![dangling.clone()];
    let own = file.phases[1].id.clone();
    file.phases[1].phase.prerequisites.push(own);
    let report = transfer::import(&db, &file, false).await.unwrap();
    let missing = message(&report, "phases[0].modules[0].prerequisites.0");
    assert!(missing.contains(&dangling) && missing.contains("not found in this file or in the database"), "{missing}");
    assert_eq!(message(&report, "phases[1].prerequisites.1"), "A phase cannot be its own prerequisite");
    assert_eq!(report.errors.len(), 2, "{:?}", report.errors);

    // Prerequisites listed after the documents that need them are fine (written in two steps).
    let mut reversed = transfer::export_catalog(&db).await.unwrap();
    reversed.phases.reverse();
    for phase in &mut reversed.phases {
        phase.modules.reverse();
    }
    let target = empty().await;
    let report = transfer::import(&target, &reversed, false).await.unwrap();
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(
        comparable(&transfer::export_catalog(&target).await.unwrap()),
        comparable(&transfer::export_catalog(&db).await.unwrap())
    );
}

#[tokio::test]
async fn prerequisite_cycles_through_the_file_and_the_database_are_refused_once() {
    let db = seeded().await;
    let mut file = transfer::export_catalog(&db).await.unwrap();
    // Web Security already needs Foundations; Foundations needing Web Security closes a loop.
    let web = file.phases[1].id.clone();
    assert_eq!(file.phases[1].phase.prerequisites, [file.phases[0].id.clone()], "the demo's chain");
    file.phases[0].phase.prerequisites = vec![web];
    let before = counts(&db).await;
    let report = transfer::import(&db, &file, false).await.unwrap();
    assert_eq!(report.errors.len(), 1, "one cycle, one message: {:?}", report.errors);
    assert_eq!(report.errors[0].path, "phases[0].prerequisites");
    assert_eq!(report.errors[0].message, "This would make a cycle: “Foundations” → “Web Security” → “Foundations”");
    assert_eq!(counts(&db).await, before, "nothing written");
}

#[tokio::test]
async fn an_unknown_format_or_version_is_refused() {
    let db = empty().await;
    let mut file = transfer::export_catalog(&seeded().await).await.unwrap();
    file.version = 2;
    let report = transfer::import(&db, &file, false).await.unwrap();
    assert_eq!(paths(&report), ["version"]);
    assert!(report.errors[0].message.contains("version 2 cannot be read"));
    file.version = 1;
    file.format = "moodle-backup".into();
    let report = transfer::import(&db, &file, false).await.unwrap();
    assert_eq!(paths(&report), ["format"]);
    assert_eq!(counts(&db).await, (0, 0, 0));

    let text = r#"{"format": "foothold-catalog", "version": 7, "courses": []}"#;
    assert!(transfer::parse(text).unwrap_err().get("version").unwrap().contains("reads version 1"));
    assert!(transfer::parse("[1, 2").unwrap_err().get("json").unwrap().contains("not valid JSON"));
}

#[tokio::test]
async fn a_module_export_brings_its_phase_into_an_empty_database() {
    let source = seeded().await;
    let id = module_id(&source, "Linux Command Line for Defenders").await;
    let file = transfer::export_module(&source, id).await.unwrap();
    let (_, _, items) = file.counts();
    assert_eq!((file.phases.len(), file.phases[0].modules.len()), (1, 1));
    assert!(items > 0);

    let target = empty().await;
    let report = transfer::import(&target, &file, false).await.unwrap();
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!((report.phases, report.modules, report.content), (tally(1, 0, 0), tally(1, 0, 0), tally(items, 0, 0)));
    let module = target.collection::<Document>(MODULES).find_one(doc! { "_id": id }).await.unwrap().unwrap();
    let phase = target.collection::<Document>(PHASES).find_one(doc! {}).await.unwrap().unwrap();
    assert_eq!(module.get_object_id("phase").unwrap(), phase.get_object_id("_id").unwrap());
    let total = |d: &Document, field: &str| d.get_document("metadata").unwrap().get_i32(field).unwrap();
    assert_eq!(total(&module, "totalContent"), items as i32);
    assert_eq!(total(&phase, "totalModules"), 1);

    // A module that needs others can only go where they are.
    let crypto = module_id(&source, CRYPTOGRAPHY).await;
    let file = transfer::export_module(&source, crypto).await.unwrap();
    let report = transfer::import(&empty().await, &file, false).await.unwrap();
    assert!(message(&report, "phases[0].modules[0].prerequisites.0").contains("not found"));
    assert!(matches!(
        transfer::export_module(&source, ObjectId::new()).await,
        Err(foothold::db::error::RepoError::NotFound("Module"))
    ));
}

#[tokio::test]
async fn a_dry_run_reports_and_writes_nothing() {
    let file = transfer::export_catalog(&seeded().await).await.unwrap();
    let db = empty().await;
    let report = transfer::import(&db, &file, true).await.unwrap();
    assert!(report.dry_run && report.errors.is_empty());
    assert_eq!((report.phases, report.modules, report.content), (tally(3, 0, 0), tally(8, 0, 0), tally(40, 0, 0)));
    assert!(report.summary().starts_with("Dry run, nothing was written."));
    assert_eq!(counts(&db).await, (0, 0, 0));
}

async fn audit_actions(db: &Database) -> Vec<(String, Option<String>)> {
    let (events, _) = foothold::db::audit::list(db, &Default::default(), 0, 50).await.unwrap();
    events.into_iter().map(|e| (e.action, e.detail)).collect()
}

#[tokio::test]
async fn the_server_functions_are_for_active_admins_and_are_audited() {
    let app = support::spawn_app().await;
    foothold::seed::seed_demo(&app.db).await.unwrap();
    let module = app.db.collection::<Document>(MODULES).find_one(doc! {}).await.unwrap().unwrap();
    let module = module.get_object_id("_id").unwrap().to_hex();

    let anonymous = Browser::new(&app.base_url);
    let student = Browser::new(&app.base_url);
    student.register("plain_student", PASSWORD).await;
    let calls: [(&str, Vec<(&str, &str)>); 3] = [
        ("/api/admin/export_catalog", vec![]),
        ("/api/admin/export_module", vec![("module_id", module.as_str())]),
        ("/api/admin/import", vec![("json", "{}"), ("dry_run", "true")]),
    ];
    for (path, form) in &calls {
        assert_eq!(anonymous.call(path, form).await.0, 401, "{path} as anonymous");
        assert_eq!(student.call(path, form).await.0, 403, "{path} as a student");
    }
    // As `tests/admin.rs` walks every admin path: any form, and a plain (no-JavaScript) post.
    for (path, _) in &calls {
        assert_eq!(anonymous.call(path, &[("user_id", "x")]).await.0, 401, "{path} with another form");
        let plain = student.plain_post(path, "/admin", &[("user_id", "x")]).await;
        assert_eq!(plain.status(), 302, "{path} as a plain form post");
        assert!(plain.headers()[reqwest::header::LOCATION].to_str().unwrap().contains("__err"), "{path}");
    }
    assert!(audit_actions(&app.db).await.is_empty());

    foothold::auth::bootstrap::create_admin(&app.db, "root_admin", "root@example.com", PASSWORD).await.unwrap();
    let admin = Browser::new(&app.base_url);
    admin.post("/api/auth/login", &[("login", "root_admin"), ("password", PASSWORD)]).await;

    let (status, body) = admin.call("/api/admin/export_catalog", &[]).await;
    assert_eq!(status, 200, "{body}");
    let mut file = transfer::parse(body.as_str().expect("the export is JSON text")).unwrap();
    assert_eq!(file.counts(), (3, 8, 40));
    let (status, body) = admin.call("/api/admin/export_module", &[("module_id", &module)]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(transfer::parse(body.as_str().unwrap()).unwrap().counts().1, 1);
    let (status, body) = admin.call("/api/admin/export_module", &[("module_id", "{\"$ne\":1}")]).await;
    assert_eq!(status, 422, "{body}");

    file.phases[0].phase.description = "A new description.".into();
    let text = file.to_json().unwrap();
    let (status, body) = admin.call("/api/admin/import", &[("json", &text), ("dry_run", "true")]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["dryRun"], true);
    assert_eq!(body["phases"]["updated"], 1);
    let (status, body) = admin.call("/api/admin/import", &[("json", &text), ("dry_run", "false")]).await;
    assert_eq!(status, 200, "{body}");
    let report: ImportReport = serde_json::from_value(body).unwrap();
    assert_eq!((report.phases, report.content), (tally(0, 1, 2), tally(0, 0, 40)));

    let (status, body) = admin.call("/api/admin/import", &[("json", "{\"format\": ")]).await;
    assert_eq!(status, 422);
    assert!(body["Invalid"]["json"].as_str().unwrap().contains("not valid JSON"), "{body}");
    file.phases[0].modules[0].content[0].item.title = String::new();
    let (status, body) = admin.call("/api/admin/import", &[("json", &file.to_json().unwrap())]).await;
    assert_eq!(status, 422);
    assert_eq!(body["Invalid"]["phases[0].modules[0].content[0].title"], "Content title is required", "{body}");

    let actions = audit_actions(&app.db).await;
    let names: Vec<&str> = actions.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(
        names,
        ["catalog.import", "module.export", "catalog.export"],
        "newest first; dry runs and refusals are not recorded"
    );
    assert_eq!(actions[0].1.as_deref(), Some(report.summary().as_str()));
}

/// The `foothold` binary with only `PATH`, the database and `extra` set.
fn foothold(database: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_foothold"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("RUST_LOG", "info")
        .env("MONGODB_URI", support::ferretdb_uri())
        .env("FOOTHOLD_DATABASE", database)
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn the_export_and_import_commands() {
    let (source, target) = (support::unique_database(), support::unique_database());
    let dir = std::env::temp_dir().join(format!("foothold-transfer-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("catalog.json");
    let path_str = path.to_str().unwrap();

    let seeded = foothold(&source, &["seed-demo"]);
    assert!(seeded.status.success(), "{}", text(&seeded.stderr));
    let to_stdout = foothold(&source, &["export"]);
    assert!(to_stdout.status.success(), "{}", text(&to_stdout.stderr));
    let from_stdout = transfer::parse(&text(&to_stdout.stdout)).expect("stdout is the catalog alone");
    assert_eq!(from_stdout.counts(), (3, 8, 40));
    let to_file = foothold(&source, &["export", "--out", path_str]);
    assert!(to_file.status.success(), "{}", text(&to_file.stderr));
    assert!(text(&to_file.stderr).contains("Exported 3 phase(s), 8 module(s) and 40 content item(s)"));

    let dry = foothold(&target, &["import", path_str, "--dry-run"]);
    assert!(dry.status.success(), "{}", text(&dry.stderr));
    assert!(text(&dry.stdout).contains("Dry run, nothing was written. phases: 3 created"), "{}", text(&dry.stdout));
    let first = foothold(&target, &["import", path_str]);
    assert!(first.status.success(), "{}", text(&first.stderr));
    assert!(text(&first.stdout).contains("content: 40 created, 0 updated, 0 unchanged."), "{}", text(&first.stdout));
    let second = foothold(&target, &["import", path_str]);
    assert!(text(&second.stdout).contains("content: 0 created, 0 updated, 40 unchanged."), "{}", text(&second.stdout));

    let module = &from_stdout.phases[0].modules[0].id;
    let one = foothold(&source, &["export", "--module", module]);
    assert!(one.status.success(), "{}", text(&one.stderr));
    assert_eq!(transfer::parse(&text(&one.stdout)).unwrap().counts().1, 1);

    let mut broken = from_stdout.clone();
    broken.phases[2].modules[1].content[0].item.title = String::new();
    std::fs::write(&path, broken.to_json().unwrap()).unwrap();
    let refused = foothold(&target, &["import", path_str]);
    assert_eq!(refused.status.code(), Some(1));
    let stderr = text(&refused.stderr);
    assert!(stderr.contains("was refused; nothing was written"), "{stderr}");
    assert!(stderr.contains("phases[2].modules[1].content[0].title: Content title is required"), "{stderr}");

    std::fs::write(&path, "not json").unwrap();
    let garbage = foothold(&target, &["import", path_str]);
    assert_eq!(garbage.status.code(), Some(1));
    assert!(text(&garbage.stderr).contains("json: This is not valid JSON"), "{}", text(&garbage.stderr));
    let missing = foothold(&target, &["import", dir.join("absent.json").to_str().unwrap()]);
    assert!(!missing.status.success() && text(&missing.stderr).contains("cannot read"));
    for args in [&["import"][..], &["import", "a", "b"], &["export", "--module"], &["export", "--format", "xml"]] {
        let usage = foothold(&target, args);
        assert_eq!(usage.status.code(), Some(2), "{args:?}");
        assert!(text(&usage.stderr).contains("usage: foothold"), "{args:?}");
    }
    let bad_module = foothold(&source, &["export", "--module", "nope"]);
    assert!(!bad_module.status.success() && text(&bad_module.stderr).contains("Cast to ObjectId failed"));
    std::fs::remove_dir_all(&dir).unwrap();
}
