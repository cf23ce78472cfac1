//! `/settings` over HTTP: profile and preferences with the data model's
//! rules, the theme cookie the page is rendered with, changing the password,
//! and two-factor authentication from set-up to sign-in and back off.

use crate::support;

use mongodb::bson::{Document, doc};
use reqwest::header::{LOCATION, SET_COOKIE};
use support::Browser;

use foothold::auth::totp;
use foothold::db::collections::USERS;

const PASSWORD: &str = "correct horse battery staple";
const NEW_PASSWORD: &str = "a brand new passphrase for ada";

async fn raw_user(app: &support::TestApp, username: &str) -> Document {
    app.db.collection::<Document>(USERS).find_one(doc! { "username": username }).await.unwrap().unwrap()
}

fn invalid(body: &serde_json::Value, field: &str) -> String {
    body["Invalid"][field].as_str().unwrap_or_else(|| panic!("no message for {field} in {body}")).to_string()
}

#[tokio::test]
async fn every_settings_function_needs_a_signed_in_caller() {
    let app = support::spawn_app().await;
    let anonymous = Browser::new(&app.base_url);
    for path in [
        "/api/settings",
        "/api/settings/two-factor",
        "/api/settings/profile",
        "/api/settings/preferences",
        "/api/auth/password",
        "/api/auth/2fa/begin",
        "/api/auth/2fa/cancel",
        "/api/auth/2fa/enable",
        "/api/auth/2fa/disable",
        "/api/auth/2fa/recovery-codes",
    ] {
        let form = [
            ("theme", "light"),
            ("language", "en"),
            ("current_password", PASSWORD),
            ("password", NEW_PASSWORD),
            ("password_confirm", NEW_PASSWORD),
            ("code", "123456"),
            ("profile[bio]", "hello"),
        ];
        let (status, body) = anonymous.call(path, &form).await;
        assert_eq!(status, 401, "{path}: {body}");
        assert_eq!(body["Unauthorized"], "Please sign in to continue.", "{path}");
    }
}

#[tokio::test]
async fn profile_and_preferences_follow_the_data_model_and_set_the_theme() {
    let app = support::spawn_app().await;
    let ada = Browser::new(&app.base_url);
    ada.register("ada", PASSWORD).await;

    let (status, body) = ada
        .call(
            "/api/settings/profile",
            &[
                ("profile[bio]", &"x".repeat(501)),
                ("profile[website]", "javascript:alert(1)"),
                ("profile[experienceLevel]", "guru"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(invalid(&body, "profile.bio"), "Bio cannot exceed 500 characters");
    assert_eq!(invalid(&body, "profile.website"), "Website must be a valid URL");
    assert_eq!(invalid(&body, "experienceLevel"), "`guru` is not a valid enum value for path `experienceLevel`.");

    let (status, _) = ada
        .call(
            "/api/settings/profile",
            &[
                ("profile[firstName]", " Ada "),
                ("profile[displayName]", "Countess"),
                ("profile[website]", "https://ada.dev"),
                ("profile[experienceLevel]", "advanced"),
            ],
        )
        .await;
    assert_eq!(status, 200);
    let (_, settings) = ada.call("/api/settings", &[]).await;
    assert_eq!(settings["profile"]["firstName"], "Ada");
    assert_eq!(settings["experience_level"], "advanced");
    assert_eq!(ada.viewer().await.unwrap()["display_name"], "Countess");
    // An emptied field is removed, not stored as "".
    ada.call("/api/settings/profile", &[("profile[firstName]", ""), ("profile[experienceLevel]", "advanced")]).await;
    let raw = raw_user(&app, "ada").await;
    assert!(raw.get_document("profile").unwrap().get("firstName").is_none(), "{raw}");

    let (status, body) = ada.call("/api/settings/preferences", &[("theme", "neon"), ("language", "xx")]).await;
    assert_eq!(status, 422);
    assert_eq!(invalid(&body, "preferences.theme"), "`neon` is not a valid enum value for path `preferences.theme`.");
    assert_eq!(invalid(&body, "preferences.language"), "Choose a language from the list");

    // Unticked checkboxes are absent from the form: they turn off.
    let response = ada
        .http
        .post(format!("{}/api/settings/preferences", app.base_url))
        .form(&[("theme", "light"), ("language", "en"), ("achievement_notifications", "on")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let cookie = response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("foothold_theme="))
        .expect("theme cookie set")
        .to_string();
    assert!(cookie.starts_with("foothold_theme=light;") && cookie.contains("Max-Age=31536000"), "{cookie}");
    let (_, settings) = ada.call("/api/settings", &[]).await;
    let prefs = &settings["preferences"];
    assert_eq!((prefs["theme"].as_str(), prefs["email_notifications"].as_bool()), (Some("light"), Some(false)));
    assert_eq!(prefs["achievement_notifications"], true);

    // Every page is rendered in the chosen theme, so there is no flash of dark.
    let html = ada.http.get(format!("{}/catalog", app.base_url)).send().await.unwrap().text().await.unwrap();
    assert!(html.contains(r#"data-theme="light""#), "page not rendered light");
    let anonymous = reqwest::get(format!("{}/catalog", app.base_url)).await.unwrap().text().await.unwrap();
    assert!(anonymous.contains(r#"data-theme="dark""#), "dark is the default");

    // A new browser gets the saved theme at sign-in.
    let other = Browser::new(&app.base_url);
    let response = other.post("/api/auth/login", &[("login", "ada"), ("password", PASSWORD)]).await;
    let cookies: Vec<_> = response.headers().get_all(SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).collect();
    assert!(cookies.iter().any(|c| c.starts_with("foothold_theme=light;")), "{cookies:?}");
}

#[tokio::test]
async fn changing_the_password_checks_the_old_one_and_ends_other_sessions() {
    let app = support::spawn_app().await;
    let laptop = Browser::new(&app.base_url);
    laptop.register("ada", PASSWORD).await;
    let phone = Browser::new(&app.base_url);
    phone.post("/api/auth/login", &[("login", "ada"), ("password", PASSWORD)]).await;
    assert!(phone.viewer().await.is_some());

    let change = |current: &'static str, new: &'static str, confirm: &'static str| {
        [("current_password", current), ("password", new), ("password_confirm", confirm)]
    };
    let (status, body) =
        laptop.call("/api/auth/password", &change("wrong password!", NEW_PASSWORD, NEW_PASSWORD)).await;
    assert_eq!(status, 422);
    assert_eq!(invalid(&body, "currentPassword"), "That is not your current password");
    let (_, body) = laptop.call("/api/auth/password", &change(PASSWORD, "short", "other")).await;
    assert_eq!(invalid(&body, "password"), "Password must be at least 8 characters");
    assert_eq!(invalid(&body, "passwordConfirm"), "The two passwords do not match");
    let (_, body) = laptop.call("/api/auth/password", &change(PASSWORD, PASSWORD, PASSWORD)).await;
    assert_eq!(invalid(&body, "password"), "Choose a password different from the current one");
    // The wrong guess above counted towards the lockout.
    assert_eq!(raw_user(&app, "ada").await.get_document("security").unwrap().get_i32("loginAttempts").unwrap(), 1);

    let (status, body) = laptop.call("/api/auth/password", &change(PASSWORD, NEW_PASSWORD, NEW_PASSWORD)).await;
    assert_eq!(status, 200, "{body}");
    assert!(laptop.viewer().await.is_some(), "the device that changed it stays signed in");
    assert_eq!(phone.viewer().await, None, "other devices are signed out");
    let response = phone.post("/api/auth/login", &[("login", "ada"), ("password", PASSWORD)]).await;
    assert_eq!(response.status(), 401, "the old password no longer works");
    let response = phone.post("/api/auth/login", &[("login", "ada"), ("password", NEW_PASSWORD)]).await;
    assert_eq!(response.status(), 302);
}

/// The set-up secret shown on the settings page, without its spaces.
async fn start_two_factor(browser: &Browser) -> String {
    let (status, _) = browser.call("/api/auth/2fa/begin", &[]).await;
    assert_eq!(status, 200);
    let (_, state) = browser.call("/api/settings/two-factor", &[]).await;
    assert_eq!(state["enabled"], false);
    assert!(state["setup"]["qr"].as_str().unwrap().starts_with("data:image/svg+xml;base64,"));
    state["setup"]["secret"].as_str().unwrap().replace(' ', "")
}

fn code(secret: &str, steps_from_now: i64) -> String {
    let now = mongodb::bson::DateTime::now().timestamp_millis() / 1000;
    totp::code_at(secret, totp::step_at(now) + steps_from_now).unwrap()
}

#[tokio::test]
async fn two_factor_from_set_up_to_sign_in_with_codes_used_once() {
    let app = support::spawn_app().await;
    let ada = Browser::new(&app.base_url);
    ada.register("ada", PASSWORD).await;
    let secret = start_two_factor(&ada).await;

    let (status, body) = ada.call("/api/auth/2fa/enable", &[("code", "000000")]).await;
    assert_eq!(status, 422);
    assert!(invalid(&body, "code").starts_with("That code does not match."));
    let first_code = code(&secret, 0);
    let (status, _) = ada.call("/api/auth/2fa/enable", &[("code", &first_code)]).await;
    assert_eq!(status, 200);
    let (_, state) = ada.call("/api/settings/two-factor", &[]).await;
    assert_eq!((state["enabled"].as_bool(), state["recovery_codes_left"].as_u64()), (Some(true), Some(10)));
    let recovery: Vec<String> =
        state["fresh_codes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_string()).collect();
    assert_eq!(recovery.len(), 10);
    let (_, again) = ada.call("/api/settings/two-factor", &[]).await;
    assert_eq!(again["fresh_codes"], serde_json::json!([]), "recovery codes are shown once");

    // Stored: the secret and only hashes of the recovery codes; no read of a user returns them.
    let security = raw_user(&app, "ada").await.get_document("security").unwrap().clone();
    assert_eq!(security.get_str("twoFactorSecret").unwrap(), secret);
    let hashes = security.get_array("twoFactorRecoveryCodes").unwrap();
    assert!(hashes.iter().all(|h| h.as_str().unwrap().len() == 64 && !recovery.contains(&h.to_string())));
    let user = foothold::db::user::find_by_login(&app.db, "ada").await.unwrap().unwrap();
    assert!(!format!("{user:?}").contains(&secret));

    // Signing in now takes two steps; after the password alone nobody is signed in.
    let laptop = Browser::new(&app.base_url);
    let response =
        laptop.post("/api/auth/login", &[("login", "ada"), ("password", PASSWORD), ("next", "/settings")]).await;
    assert_eq!(response.headers()[LOCATION], "/login/two-factor");
    assert_eq!(laptop.viewer().await, None);
    assert_eq!(laptop.call("/api/settings", &[]).await.0, 401);
    // The code that turned it on was used once already.
    let (status, body) = laptop.call("/api/auth/two-factor", &[("code", &first_code)]).await;
    assert_eq!((status, invalid(&body, "code")), (422, foothold::api::settings::WRONG_CODE.to_string()));
    let next_code = code(&secret, 1);
    let response = laptop.post("/api/auth/two-factor", &[("code", &next_code)]).await;
    assert_eq!(response.headers()[LOCATION], "/settings", "goes on to the page asked for");
    assert_eq!(laptop.viewer().await.unwrap()["username"], "ada");

    // The same code cannot sign in a second browser.
    let phone = Browser::new(&app.base_url);
    phone.post("/api/auth/login", &[("login", "ada"), ("password", PASSWORD)]).await;
    assert_eq!(phone.call("/api/auth/two-factor", &[("code", &next_code)]).await.0, 422);
    // A recovery code works once, typed loosely.
    let loose = recovery[0].to_uppercase().replace('-', " ");
    assert_eq!(phone.post("/api/auth/two-factor", &[("code", &loose)]).await.status(), 302);
    assert!(phone.viewer().await.is_some());
    let tablet = Browser::new(&app.base_url);
    tablet.post("/api/auth/login", &[("login", "ada"), ("password", PASSWORD)]).await;
    assert_eq!(tablet.call("/api/auth/two-factor", &[("code", &recovery[0])]).await.0, 422);
    assert_eq!(ada.call("/api/settings/two-factor", &[]).await.1["recovery_codes_left"], 9);

    // New recovery codes replace the old ones.
    let (status, _) = ada.call("/api/auth/2fa/recovery-codes", &[("code", &recovery[1])]).await;
    assert_eq!(status, 200);
    let fresh = ada.call("/api/settings/two-factor", &[]).await.1;
    assert_eq!(fresh["fresh_codes"].as_array().unwrap().len(), 10);
    assert_eq!(tablet.call("/api/auth/two-factor", &[("code", &recovery[2])]).await.0, 422);

    // Turning it off needs the password and a code.
    let new_code = fresh["fresh_codes"][0].as_str().unwrap().to_string();
    let (status, body) =
        ada.call("/api/auth/2fa/disable", &[("password", "wrong password"), ("code", &new_code)]).await;
    assert_eq!((status, invalid(&body, "password")), (422, "That is not your current password".to_string()));
    let (status, _) = ada.call("/api/auth/2fa/disable", &[("password", PASSWORD), ("code", &new_code)]).await;
    assert_eq!(status, 200);
    let security = raw_user(&app, "ada").await.get_document("security").unwrap().clone();
    assert!(!security.get_bool("twoFactorEnabled").unwrap());
    assert!(security.get("twoFactorSecret").is_none() && security.get("twoFactorRecoveryCodes").is_none());
    let response = tablet.post("/api/auth/login", &[("login", "ada"), ("password", PASSWORD)]).await;
    assert_eq!(response.headers()[LOCATION], "/catalog", "one step again");
}

#[tokio::test]
async fn wrong_second_factor_codes_lock_the_account() {
    let app = support::spawn_app().await;
    let ada = Browser::new(&app.base_url);
    ada.register("ada", PASSWORD).await;
    let secret = start_two_factor(&ada).await;
    assert_eq!(ada.call("/api/auth/2fa/enable", &[("code", &code(&secret, 0))]).await.0, 200);

    let thief = Browser::new(&app.base_url);
    thief.post("/api/auth/login", &[("login", "ada"), ("password", PASSWORD)]).await;
    for _ in 0..4 {
        assert_eq!(thief.call("/api/auth/two-factor", &[("code", "000000")]).await.0, 422);
    }
    let (status, body) = thief.call("/api/auth/two-factor", &[("code", "000000")]).await;
    assert_eq!(status, 401);
    assert!(body["Unauthorized"].as_str().unwrap().starts_with("This account is locked"), "{body}");
    // The right code no longer helps: the half-finished sign-in is gone.
    let (status, body) = thief.call("/api/auth/two-factor", &[("code", &code(&secret, 1))]).await;
    assert_eq!((status, body["Unauthorized"].as_str()), (401, Some(foothold::api::auth::SECOND_FACTOR_EXPIRED)));
    assert_eq!(thief.viewer().await, None);
}
