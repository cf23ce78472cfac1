//! Roles and administrator approval; every admin server function refuses
//! anyone but an active administrator.

use crate::support;

use mongodb::bson::{Document, doc};
use support::Browser;

use foothold::auth::bootstrap::create_admin;
use foothold::db::collections::USERS;

const PASSWORD: &str = "a long and unusual passphrase";

async fn register(app: &support::TestApp, username: &str, role: Option<&str>) -> Browser {
    let browser = Browser::new(&app.base_url);
    let email = format!("{username}@example.com");
    let mut form = vec![
        ("form[username]", username),
        ("form[email]", email.as_str()),
        ("form[password]", PASSWORD),
        ("form[password_confirm]", PASSWORD),
    ];
    if let Some(role) = role {
        form.push(("form[role]", role));
    }
    assert_eq!(browser.post("/api/auth/register", &form).await.status(), 302);
    browser
}

async fn id_of(app: &support::TestApp, username: &str) -> String {
    let user = app.db.collection::<Document>(USERS).find_one(doc! { "username": username }).await.unwrap().unwrap();
    user.get_object_id("_id").unwrap().to_hex()
}

async fn admin_status(app: &support::TestApp, username: &str) -> String {
    let user = app.db.collection::<Document>(USERS).find_one(doc! { "username": username }).await.unwrap().unwrap();
    user.get_str("adminStatus").unwrap().to_string()
}

#[tokio::test]
async fn the_first_admin_comes_from_the_command_and_approves_others() {
    let app = support::spawn_app().await;
    create_admin(&app.db, "root_admin", "root@example.com", PASSWORD).await.unwrap();
    assert_eq!(admin_status(&app, "root_admin").await, "active");
    assert!(
        create_admin(&app.db, "weak_admin", "weak@example.com", "password123").await.unwrap_err().contains("common")
    );
    assert!(create_admin(&app.db, "root_admin", "other@example.com", PASSWORD).await.unwrap_err().contains("taken"));

    let pending = register(&app, "new_admin", Some("admin")).await;
    assert_eq!(admin_status(&app, "new_admin").await, "pending");
    let refused = pending.api("/api/admin/approve_admin", &[("user_id", &id_of(&app, "new_admin").await)]).await;
    assert_eq!(refused.status(), 403);
    assert!(refused.text().await.unwrap().contains("waiting for approval"));

    let root = Browser::new(&app.base_url);
    root.post("/api/auth/login", &[("login", "root_admin"), ("password", PASSWORD)]).await;
    let new_admin = id_of(&app, "new_admin").await;
    let approved = root.api("/api/admin/approve_admin", &[("user_id", &new_admin)]).await;
    assert!(approved.status().is_success() || approved.status().is_redirection(), "{}", approved.status());
    assert_eq!(admin_status(&app, "new_admin").await, "active");

    // The approved admin may now act; suspension takes effect on the next request.
    let suspended_ok = root.api("/api/admin/suspend_admin", &[("user_id", &new_admin)]).await;
    assert!(suspended_ok.status().is_success() || suspended_ok.status().is_redirection(), "{}", suspended_ok.status());
    let suspended = pending.api("/api/admin/approve_admin", &[("user_id", &new_admin)]).await;
    assert_eq!(suspended.status(), 403);
    assert!(suspended.text().await.unwrap().contains("suspended"));

    let me = id_of(&app, "root_admin").await;
    let own = root.api("/api/admin/suspend_admin", &[("user_id", &me)]).await;
    assert_eq!(own.status(), 403, "an admin cannot suspend themself");
    let student = register(&app, "student", None).await;
    drop(student);
    let not_admin = root.api("/api/admin/approve_admin", &[("user_id", &id_of(&app, "student").await)]).await;
    assert_eq!(not_admin.status(), 404, "students have no admin status to approve");
}

/// Walks every registered server function under `/api/admin/` and calls it as
/// an anonymous visitor, a student and a pending admin: none gets through.
#[tokio::test]
async fn every_admin_server_function_refuses_everyone_but_active_admins() {
    let app = support::spawn_app().await;
    let anonymous = Browser::new(&app.base_url);
    let student = register(&app, "plain_student", None).await;
    let pending = register(&app, "pending_admin", Some("admin")).await;
    let target = id_of(&app, "pending_admin").await;

    let paths: Vec<&str> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path)
        .filter(|path| path.starts_with("/api/admin/"))
        .collect();
    assert!(paths.len() >= 2, "admin server functions registered: {paths:?}");
    for path in paths {
        let as_anonymous = anonymous.api(path, &[("user_id", &target)]).await.status();
        assert_eq!(as_anonymous, 401, "{path} as anonymous");
        let as_student = student.api(path, &[("user_id", &target)]).await.status();
        assert_eq!(as_student, 403, "{path} as student");
        let as_pending = pending.api(path, &[("user_id", &target)]).await.status();
        assert_eq!(as_pending, 403, "{path} as pending admin");
        // A plain form post (no JavaScript) is sent back to its page with the error in the URL.
        let plain = student
            .http
            .post(format!("{}{path}", student.base))
            .header(reqwest::header::ACCEPT, "text/html")
            .header(reqwest::header::REFERER, format!("{}/admin", student.base))
            .form(&[("user_id", &target)])
            .send()
            .await
            .unwrap();
        assert_eq!(plain.status(), 302, "{path} as a plain form post");
        let back = plain.headers()[reqwest::header::LOCATION].to_str().unwrap().to_string();
        assert!(back.contains("/admin?") && back.contains("__err"), "{path}: {back}");
    }
    assert_eq!(admin_status(&app, "pending_admin").await, "pending", "nothing changed");
}

#[tokio::test]
async fn the_admin_page_is_refused_with_the_reason_and_lists_accounts_to_approve() {
    let app = support::spawn_app().await;
    create_admin(&app.db, "root_admin", "root@example.com", PASSWORD).await.unwrap();
    let page = |browser: Browser| async move {
        let response = browser.http.get(format!("{}/admin", browser.base)).send().await.unwrap();
        (response.status().as_u16(), response.text().await.unwrap())
    };

    let (status, html) = page(Browser::new(&app.base_url)).await;
    assert_eq!(status, 401);
    assert!(html.contains("with an administrator account"));
    let (status, html) = page(register(&app, "student", None).await).await;
    assert_eq!(status, 403);
    assert!(html.contains("Only administrators can do this."));
    let (status, html) = page(register(&app, "hopeful", Some("admin")).await).await;
    assert_eq!(status, 403);
    assert!(html.contains("waiting for approval by an active administrator"));

    let root = Browser::new(&app.base_url);
    root.post("/api/auth/login", &[("login", "root_admin"), ("password", PASSWORD)]).await;
    let (status, html) = page(root).await;
    assert_eq!(status, 200);
    assert!(html.contains("hopeful") && html.contains("Waiting for approval") && html.contains("Approve hopeful"));
    assert!(!html.contains("student@example.com"), "students are not administrators");
}

#[tokio::test]
async fn admins_find_accounts_suspend_with_a_reason_unlock_and_end_sessions() {
    let app = support::spawn_app().await;
    create_admin(&app.db, "root_admin", "root@example.com", PASSWORD).await.unwrap();
    let root = Browser::new(&app.base_url);
    root.post("/api/auth/login", &[("login", "root_admin"), ("password", PASSWORD)]).await;
    let ada = register(&app, "ada_learner", None).await;
    register(&app, "bob_learner", None).await;
    let ada_id = id_of(&app, "ada_learner").await;
    let bob_id = id_of(&app, "bob_learner").await;

    // Search and filters.
    let names = |body: &serde_json::Value| -> Vec<String> {
        body["rows"].as_array().unwrap().iter().map(|r| r["username"].as_str().unwrap().to_string()).collect()
    };
    let (status, found) = root.call("/api/admin/users", &[("q", "ADA")]).await;
    assert_eq!(status, 200, "{found}");
    assert_eq!(names(&found), ["ada_learner"]);
    assert_eq!(names(&root.call("/api/admin/users", &[("q", "example.com")]).await.1).len(), 3);
    assert_eq!(names(&root.call("/api/admin/users", &[("role", "admin")]).await.1), ["root_admin"]);
    assert_eq!(
        names(&root.call("/api/admin/users", &[("q", ".*")]).await.1),
        Vec::<String>::new(),
        "text, not a pattern"
    );
    let (status, body) = root.call("/api/admin/users", &[("status", "sleepy")]).await;
    assert_eq!(status, 422, "{body}");

    // Suspension needs a reason, ends the sessions and is explained at sign-in.
    assert!(ada.viewer().await.is_some());
    let (status, body) = root.call("/api/admin/suspend_user", &[("user_id", &ada_id), ("reason", "  ")]).await;
    assert_eq!(status, 422);
    assert_eq!(body["Invalid"]["reason"], "Say why the account is suspended; its owner will read it");
    let (status, _) =
        root.call("/api/admin/suspend_user", &[("user_id", &ada_id), ("reason", "Sharing lab flags")]).await;
    assert_eq!(status, 200);
    assert!(ada.viewer().await.is_none(), "signed out everywhere");
    let (status, body) = ada.call("/api/auth/login", &[("login", "ada_learner"), ("password", PASSWORD)]).await;
    assert_eq!(status, 401);
    assert!(body["Unauthorized"].as_str().unwrap().contains("suspended: Sharing lab flags"), "{body}");
    let (_, detail) = root.call("/api/admin/user", &[("user_id", &ada_id)]).await;
    assert_eq!(detail["row"]["status"], "suspended");
    assert_eq!(detail["suspension_reason"], "Sharing lab flags");
    assert_eq!(names(&root.call("/api/admin/users", &[("status", "suspended")]).await.1), ["ada_learner"]);
    let root_id = id_of(&app, "root_admin").await;
    let (status, _) = root.call("/api/admin/suspend_user", &[("user_id", &root_id), ("reason", "x")]).await;
    assert_eq!(status, 403, "not oneself");
    assert_eq!(root.call("/api/admin/reactivate_user", &[("user_id", &ada_id)]).await.0, 200);
    let signed_in = ada.post("/api/auth/login", &[("login", "ada_learner"), ("password", PASSWORD)]).await;
    assert_eq!(signed_in.status(), 302, "back in after reactivation");

    // Ending sessions from the admin side.
    assert!(ada.viewer().await.is_some());
    assert_eq!(root.call("/api/admin/end_sessions", &[("user_id", &ada_id)]).await.0, 200);
    assert!(ada.viewer().await.is_none());

    // A locked account is listed as locked and unlocked by an admin.
    let bob = Browser::new(&app.base_url);
    for _ in 0..5 {
        bob.call("/api/auth/login", &[("login", "bob_learner"), ("password", "not the password at all")]).await;
    }
    assert_eq!(names(&root.call("/api/admin/users", &[("status", "locked")]).await.1), ["bob_learner"]);
    let (status, _) = bob.call("/api/auth/login", &[("login", "bob_learner"), ("password", PASSWORD)]).await;
    assert_eq!(status, 401, "locked");
    assert_eq!(root.call("/api/admin/unlock_user", &[("user_id", &bob_id)]).await.0, 200);
    assert_eq!(bob.post("/api/auth/login", &[("login", "bob_learner"), ("password", PASSWORD)]).await.status(), 302);

    // Every change is in the audit log; the pages render.
    let (_, log) = root.call("/api/admin/audit", &[("area", "user")]).await;
    let actions: Vec<&str> = log["rows"].as_array().unwrap().iter().map(|r| r["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["user.unlock", "user.end_sessions", "user.reactivate", "user.suspend"]);
    for path in ["/admin/users?q=ada".to_string(), format!("/admin/users/{ada_id}")] {
        let html = root.http.get(format!("{}{path}", app.base_url)).send().await.unwrap().text().await.unwrap();
        assert!(html.contains("ada_learner") && !html.contains("admin-refusal"), "{path}");
    }
}
