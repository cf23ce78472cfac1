//! The skeleton end to end: database, indexes, health endpoints and the catalog page.

use crate::support;

use std::time::Duration;

use futures::TryStreamExt;
use mongodb::bson::oid::ObjectId;
use mongodb::bson::{DateTime, Document, doc};

use foothold::db::collections;
use foothold::db::indexes::{index_name, spec_indexes};

async fn insert_phase_and_module(db: &mongodb::Database, phase_title: &str, module_title: &str, difficulty: &str) {
    let phase_id = ObjectId::new();
    let now = DateTime::now();
    db.collection::<Document>(collections::PHASES)
        .insert_one(doc! {
            "_id": phase_id, "title": phase_title, "description": "About networks.", "order": 1,
            "difficulty": "beginner", "isActive": true, "createdAt": now, "updatedAt": now,
        })
        .await
        .unwrap();
    db.collection::<Document>(collections::MODULES)
        .insert_one(doc! {
            "_id": ObjectId::new(), "title": module_title, "description": "Ports and packets.",
            "shortDescription": "Read a packet capture.", "phase": phase_id, "order": 1,
            "difficulty": difficulty, "estimatedDuration": 90, "tags": ["packets"],
            "isActive": true, "isFeatured": true,
            "metadata": { "totalContent": 3, "videoCount": 2, "labCount": 1 },
            "createdAt": now, "updatedAt": now,
        })
        .await
        .unwrap();
}

#[tokio::test]
async fn catalog_page_lists_a_phase_and_its_module_from_the_database() {
    let app = support::spawn_app().await;
    insert_phase_and_module(&app.db, "Packet Basics Phase", "Reading Packet Captures", "beginner").await;

    let response = app.get("/catalog").await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains("Packet Basics Phase"), "phase title missing from SSR HTML");
    assert!(html.contains("Reading Packet Captures"), "module title missing from SSR HTML");
    assert!(html.contains("2 videos · 1 lab"), "content counts missing");
    assert!(html.contains("1 h 30 min"), "duration missing");
    assert!(html.contains("Featured"));
    // Rendered in place (SsrMode::Async), not streamed behind a loading
    // fallback that only a script could replace: readable without JavaScript.
    assert!(!html.contains("Loading the catalog"), "catalog was streamed behind its fallback");
    assert!(!html.contains("<template"), "content streamed out of order");
    // The page hydrates: the wasm loader is referenced.
    assert!(html.contains("/pkg/foothold.js"), "hydration script missing");
    // The cards are HTML the browser places as it is: the page does not
    // carry them a second time as hydration data.
    assert_eq!(html.matches("Read a packet capture.").count(), 1, "the card's text is on the page once");
}

/// The page asks the server for its list again when its filter changes:
/// the answer is the list's HTML for that filter, and a filter longer than
/// the search box allows is refused with a message.
#[tokio::test]
async fn the_catalog_listing_and_search_form_are_rendered_for_a_filter() {
    let app = support::spawn_app().await;
    insert_phase_and_module(&app.db, "Web Phase", "Cookie Jar", "intermediate").await;
    insert_phase_and_module(&app.db, "Ops Phase", "Kerberoasting", "expert").await;
    let visitor = support::Browser::new(&app.base_url);

    let (status, html) = visitor.call("/api/catalog/listing", &[("filter[difficulty]", "expert")]).await;
    assert_eq!(status, 200, "{html}");
    let html = html.as_str().expect("the listing is HTML in a JSON string");
    assert!(html.contains(">Kerberoasting<") && html.contains(">Ops Phase<"), "{html}");
    assert!(!html.contains("Cookie Jar") && !html.contains("Web Phase"), "{html}");
    assert_eq!(html.matches(r#"data-testid="module-card""#).count(), 1);

    let (status, html) =
        visitor.call("/api/catalog/listing", &[("filter[tag]", "PACKETS"), ("filter[text]", "jar")]).await;
    assert_eq!(status, 200);
    assert_eq!(html.as_str().unwrap().matches(r#"data-testid="module-card""#).count(), 1, "{html}");

    // No filter at all: every module (the page's "All levels").
    let (status, html) = visitor.call("/api/catalog/listing", &[]).await;
    assert_eq!(status, 200, "{html}");
    assert_eq!(html.as_str().unwrap().matches(r#"data-testid="module-card""#).count(), 2, "{html}");

    let (status, html) = visitor.call("/api/catalog/search-form", &[("filter[tag]", "packets")]).await;
    assert_eq!(status, 200);
    let html = html.as_str().expect("the form is HTML in a JSON string");
    assert!(html.contains(r#"<form method="get" action="/catalog""#), "{html}");
    assert!(html.contains(r#"<option value="packets" selected>"#), "the chosen tag is selected: {html}");

    // Over the limit: the list says why; the form comes empty, so the page
    // shows the message once.
    let long = "x".repeat(101);
    let (status, error) = visitor.call("/api/catalog/listing", &[("filter[text]", &long)]).await;
    assert_eq!(status, 422, "{error}");
    assert!(error.to_string().contains("A catalog filter is at most 100 characters."), "{error}");
    let (status, html) = visitor.call("/api/catalog/search-form", &[("filter[text]", &long)]).await;
    assert_eq!(status, 200, "{html}");
    assert!(!html.as_str().unwrap().contains(&long), "{html}");
    let page = app.get(&format!("/catalog?q={long}")).await.text().await.unwrap();
    assert_eq!(page.matches(r#"role="alert""#).count(), 1, "{page}");
}

/// leptos' route-list generation sets a process-wide flag while it runs,
/// and a resource first polled meanwhile waits forever (leptos-rs/leptos#4773).
/// Each test builds a router while others render pages: in about one run of
/// this file in 25, a page waited until the server's 408, 30 s later.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn building_another_router_does_not_stall_pages_being_rendered() {
    let app = support::spawn_app().await;
    insert_phase_and_module(&app.db, "Packet Basics Phase", "Reading Packet Captures", "beginner").await;
    // Set when this test ends, even by a failed assertion: the runtime
    // waits for the builder before the test can report.
    struct Done(std::sync::Arc<std::sync::atomic::AtomicBool>);
    impl Drop for Done {
        fn drop(&mut self) {
            self.0.store(true, std::sync::atomic::Ordering::Relaxed);
        }
    }
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let finished = Done(done.clone());
    let builder = tokio::task::spawn_blocking({
        let (config, db, done) = (app.config.clone(), app.db.clone(), done.clone());
        move || {
            let mut built = 0;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                drop(foothold::server::router(&config, db.clone()));
                built += 1;
            }
            built
        }
    });
    for _ in 0..10 {
        let requests = (0..4).map(|_| async {
            let response = tokio::time::timeout(Duration::from_secs(10), app.get("/catalog"))
                .await
                .expect("a page rendered while another router is built is still answered");
            assert_eq!(response.status(), 200);
            assert!(response.text().await.unwrap().contains("Reading Packet Captures"));
        });
        futures::future::join_all(requests).await;
    }
    drop(finished);
    assert!(builder.await.unwrap() > 0, "no router was built while the pages rendered");
}

#[tokio::test]
async fn catalog_filter_by_difficulty_works_without_javascript() {
    let app = support::spawn_app().await;
    insert_phase_and_module(&app.db, "Web Phase", "Cookie Jar", "intermediate").await;
    insert_phase_and_module(&app.db, "Ops Phase", "Kerberoasting", "expert").await;

    let cards = |html: &str, difficulty: &str| html.matches(&format!("data-difficulty=\"{difficulty}\"")).count();

    // The status first: a page answered otherwise would read as a wrong filter.
    let app = &app;
    let page = |path: &'static str| async move {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        response.text().await.unwrap()
    };
    let html = page("/catalog?difficulty=expert").await;
    assert_eq!(cards(&html, "expert"), 1);
    assert_eq!(cards(&html, "intermediate"), 0, "filtered-out module still rendered");
    // A heading link's text, whatever hydration markers follow it.
    assert!(!html.contains(">Web Phase<"), "phase with no matching module still rendered");
    assert!(html.contains(">Ops Phase<"));

    let html = page("/catalog?difficulty=advanced").await;
    assert!(html.contains("data-testid=\"catalog-empty\""));

    // An unknown value shows everything rather than failing.
    let html = page("/catalog?difficulty=%24ne").await;
    assert_eq!(cards(&html, "expert") + cards(&html, "intermediate"), 2);
}

#[tokio::test]
async fn inactive_phases_and_modules_are_hidden() {
    let app = support::spawn_app().await;
    insert_phase_and_module(&app.db, "Visible Phase", "Visible Module", "beginner").await;
    insert_phase_and_module(&app.db, "Retired Phase", "Retired Module", "beginner").await;
    app.db
        .collection::<Document>(collections::PHASES)
        .update_one(doc! { "title": "Retired Phase" }, doc! { "$set": { "isActive": false } })
        .await
        .unwrap();
    app.db
        .collection::<Document>(collections::MODULES)
        .update_one(doc! { "title": "Visible Module" }, doc! { "$set": { "isActive": false } })
        .await
        .unwrap();
    let catalog = foothold::db::catalog::load(&app.db).await.unwrap();
    assert_eq!(catalog.phases.len(), 1);
    assert_eq!(catalog.phases[0].title, "Visible Phase");
    assert!(catalog.phases[0].modules.is_empty());
    let html = app.get("/catalog").await.text().await.unwrap();
    assert!(html.contains(">Visible Phase<"));
    assert!(!html.contains("Visible Module") && !html.contains("Retired"));
}

/// The home page shows the catalog's size and its featured modules, and
/// carries only those cards: not the whole catalog in its hydration data.
#[tokio::test]
async fn home_page_shows_the_featured_modules_and_the_catalogs_size_only() {
    let app = support::spawn_app().await;
    insert_phase_and_module(&app.db, "Packet Phase", "Featured Packets", "beginner").await;
    insert_phase_and_module(&app.db, "Other Phase", "Quiet Module", "beginner").await;
    app.db
        .collection::<Document>(collections::MODULES)
        .update_one(doc! { "title": "Quiet Module" }, doc! { "$set": { "isFeatured": false } })
        .await
        .unwrap();

    let html = app.get("/").await.text().await.unwrap();
    assert!(html.contains("Featured Packets"), "the featured card is on the page");
    assert!(!html.contains("Quiet Module"), "a module not featured is neither shown nor sent");
    assert!(html.contains(r#"<p class="font-mono text-3xl text-brand">2</p><p class="text-sm text-muted">phases</p>"#));
    assert!(
        html.contains(r#"<p class="font-mono text-3xl text-brand">2</p><p class="text-sm text-muted">modules</p>"#)
    );

    let response = app.http.post(format!("{}/api/catalog/highlights", app.base_url)).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let highlights: foothold::api::catalog::Highlights = response.json().await.unwrap();
    assert_eq!((highlights.phases, highlights.modules), (2, 2));
    let featured: Vec<&str> = highlights.featured.iter().map(|m| m.title.as_str()).collect();
    assert_eq!(featured, ["Featured Packets"]);
    assert_eq!(highlights.featured[0].progress, None, "a visitor has no progress");
}

#[tokio::test]
async fn catalog_server_function_returns_json() {
    let app = support::spawn_app().await;
    insert_phase_and_module(&app.db, "Json Phase", "Json Module", "advanced").await;
    let response = app.http.post(format!("{}/api/catalog", app.base_url)).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let catalog: foothold::model::Catalog = response.json().await.unwrap();
    assert_eq!(catalog.phases.len(), 1);
    assert_eq!(catalog.phases[0].modules[0].title, "Json Module");
    assert_eq!(catalog.phases[0].modules[0].difficulty, foothold::model::Difficulty::Advanced);
}

#[tokio::test]
async fn health_and_readiness_endpoints_answer() {
    let app = support::spawn_app().await;
    let health = app.get("/healthz").await;
    assert_eq!(health.status(), 200);
    assert_eq!(health.text().await.unwrap(), "ok");
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status(), 200);
    assert_eq!(ready.text().await.unwrap(), "ready");
}

/// `build_site` writes a gzip copy beside each script, wasm module and style
/// sheet; a browser that accepts gzip gets the copy, any other client the file.
#[tokio::test]
async fn site_files_are_sent_from_their_gzip_copy_to_clients_that_accept_it() {
    let root = std::env::temp_dir().join(format!("foothold-site-{}", support::unique_database()));
    std::fs::create_dir_all(root.join("pkg")).unwrap();
    std::fs::write(root.join("pkg/app.js"), "console.log('plain');").unwrap();
    std::fs::write(root.join("pkg/app.js.gz"), b"the gzip copy").unwrap();
    let site_root = root.to_string_lossy().into_owned();
    let (app, _) = support::spawn_app_configured(|c| c.site_root = site_root).await;
    let url = format!("{}/pkg/app.js", app.base_url);

    let zipped = app.http.get(&url).header("accept-encoding", "gzip, br").send().await.unwrap();
    assert_eq!(zipped.status(), 200);
    assert_eq!(zipped.headers()["content-encoding"], "gzip");
    assert!(zipped.headers()["content-type"].to_str().unwrap().contains("javascript"));
    assert!(zipped.headers()["vary"].to_str().unwrap().to_ascii_lowercase().contains("accept-encoding"));
    assert_eq!(zipped.bytes().await.unwrap().as_ref(), b"the gzip copy");

    let plain = app.get("/pkg/app.js").await;
    assert_eq!(plain.status(), 200);
    assert!(plain.headers().get("content-encoding").is_none());
    let modified = plain.headers()["last-modified"].clone();
    assert_eq!(plain.text().await.unwrap(), "console.log('plain');");

    // A browser revalidating its copy is told it is current, not sent the file again.
    let again = app
        .http
        .get(&url)
        .header("accept-encoding", "gzip, br")
        .header("if-modified-since", modified)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    assert!(again.bytes().await.unwrap().is_empty());
    let _ = std::fs::remove_dir_all(root);
}

#[tokio::test]
async fn unknown_pages_answer_404_with_a_way_back() {
    let app = support::spawn_app().await;
    let response = app.get("/no/such/page").await;
    assert_eq!(response.status(), 404);
    assert!(response.text().await.unwrap().contains("Browse the catalog"));
}

#[tokio::test]
async fn every_spec_index_exists_and_creating_them_again_is_harmless() {
    let (_config, db) = support::fresh_database().await;
    // A second and third run must not fail (start-up runs it every time).
    foothold::db::indexes::ensure_indexes(&db).await.unwrap();
    foothold::db::indexes::ensure_indexes(&db).await.unwrap();

    for spec in spec_indexes() {
        let indexes: Vec<mongodb::IndexModel> =
            db.collection::<Document>(spec.collection).list_indexes().await.unwrap().try_collect().await.unwrap();
        let name = index_name(&spec.keys);
        let found = indexes
            .iter()
            .find(|i| i.options.as_ref().and_then(|o| o.name.as_deref()) == Some(name.as_str()))
            .unwrap_or_else(|| panic!("index {name} missing on {}", spec.collection));
        assert_eq!(found.keys, spec.keys, "keys of {name}");
        let unique = found.options.as_ref().and_then(|o| o.unique).unwrap_or(false);
        assert_eq!(unique, spec.unique, "uniqueness of {name} on {}", spec.collection);
    }
    assert_eq!(spec_indexes().len(), 37, "the spec lists 37 indexes over 8 collections");
}

#[tokio::test]
async fn unique_indexes_are_enforced() {
    let (_config, db) = support::fresh_database().await;
    let users = db.collection::<Document>(collections::USERS);
    users.insert_one(doc! { "username": "ada", "email": "ada@example.com" }).await.unwrap();
    let err = users.insert_one(doc! { "username": "ada", "email": "other@example.com" }).await.unwrap_err();
    assert!(err.to_string().contains("11000") || err.to_string().contains("duplicate"), "{err}");
}

#[tokio::test]
async fn unreachable_database_gives_a_clear_error() {
    // Nothing listens on port 1.
    let err = foothold::db::connect("mongodb://127.0.0.1:1/", "x", Duration::from_millis(300)).await.unwrap_err();
    let message = err.to_string();
    assert!(message.starts_with("cannot reach the database at mongodb://127.0.0.1:1/"), "{message}");
    assert!(message.contains("MONGODB_URI"), "{message}");
}

#[tokio::test]
async fn demo_seed_is_idempotent_and_counts_modules() {
    let (_config, db) = support::fresh_database().await;
    let first = foothold::seed::seed_demo(&db).await.unwrap();
    assert_eq!(
        (first.phases_created, first.modules_created, first.content_created, first.achievements_created),
        (3, 8, 40, 15)
    );
    let second = foothold::seed::seed_demo(&db).await.unwrap();
    assert_eq!(
        (second.phases_created, second.modules_created, second.content_created, second.achievements_created),
        (0, 0, 0, 0)
    );
    assert_eq!((second.phases, second.modules, second.content, second.achievements), (3, 8, 40, 15));

    let phases = db.collection::<Document>(collections::PHASES);
    assert_eq!(phases.count_documents(doc! {}).await.unwrap(), 3);
    assert_eq!(db.collection::<Document>(collections::MODULES).count_documents(doc! {}).await.unwrap(), 8);
    let foundations = phases.find_one(doc! { "title": "Foundations" }).await.unwrap().unwrap();
    let meta = foundations.get_document("metadata").unwrap();
    assert_eq!(meta.get_i32("totalModules").unwrap(), 3);
    assert_eq!(meta.get_i32("totalContent").unwrap(), 15);

    // The demo covers every content type and every game type, and every game is valid.
    let contents: Vec<foothold::db::content::Content> = db
        .collection::<foothold::db::content::Content>(collections::CONTENTS)
        .find(doc! {})
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    for kind in foothold::model::ContentType::ALL {
        assert!(contents.iter().any(|c| c.kind == *kind), "no {kind} in the demo");
    }
    for game_type in foothold::model::GameType::ALL {
        assert!(
            contents.iter().filter_map(|c| c.game()).any(|g| g.game_type() == *game_type),
            "no playable {game_type} in the demo"
        );
    }
    for video in contents.iter().filter(|c| c.kind == foothold::model::ContentType::Video) {
        let url = video.content.video_url.as_deref().unwrap();
        let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("public").join(url.trim_start_matches('/'));
        assert!(file.exists(), "{url} is not in public/");
    }
    // 15 achievements, hidden ones included.
    let achievements = foothold::db::achievement::list_active(&db).await.unwrap();
    assert_eq!(achievements.len(), 15);
    assert!(achievements.iter().filter(|a| a.is_hidden).count() >= 3);

    // Prerequisites point at real modules.
    let modules = db.collection::<Document>(collections::MODULES);
    let injection = modules.find_one(doc! { "title": { "$regex": "^Injection" } }).await.unwrap().unwrap();
    let prereqs = injection.get_array("prerequisites").unwrap();
    assert_eq!(prereqs.len(), 1);
    let prereq = modules.find_one(doc! { "_id": prereqs[0].clone() }).await.unwrap().unwrap();
    assert!(prereq.get_str("title").unwrap().starts_with("How the Web Works"));

    let catalog = foothold::db::catalog::load(&db).await.unwrap();
    let titles: Vec<_> = catalog.phases.iter().map(|p| p.title.as_str()).collect();
    assert_eq!(titles, ["Foundations", "Web Security", "Offensive and Defensive Operations"]);
    assert_eq!(catalog.module_count(), 8);
}
