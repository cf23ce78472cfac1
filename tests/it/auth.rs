//! Sign-up, sign-in, sign-out, lockout and sessions over HTTP, as a browser
//! without JavaScript would do them (form posts to the server functions).

use crate::support;

use mongodb::bson::{Document, doc};
use reqwest::header::{ACCEPT, LOCATION, SET_COOKIE};
use support::Browser;

use foothold::db::collections::USERS;

const PASSWORD: &str = "correct horse battery staple";

fn registration<'a>(username: &'a str, email: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("form[username]", username),
        ("form[email]", email),
        ("form[password]", PASSWORD),
        ("form[password_confirm]", PASSWORD),
    ]
}

fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("foothold_session="))
        .map(str::to_string)
}

#[tokio::test]
async fn register_sign_out_sign_in_with_rotated_sessions() {
    let app = support::spawn_app().await;
    let browser = Browser::new(&app.base_url);
    assert_eq!(browser.viewer().await, None);

    let response = browser.post("/api/auth/register", &registration("Ada", "ada@example.com")).await;
    assert_eq!(response.status(), 302, "{:?}", response.text().await);
    assert_eq!(response.headers()[LOCATION], "/catalog");
    let cookie = session_cookie(&response).expect("session cookie set");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    assert_eq!(browser.viewer().await.unwrap()["username"], "ada");

    // The hash in the database is argon2id; the password itself is nowhere.
    let raw = app.db.collection::<Document>(USERS).find_one(doc! { "username": "ada" }).await.unwrap().unwrap();
    assert!(raw.get_str("password").unwrap().starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));

    let response = browser.post("/api/auth/logout", &[]).await;
    assert_eq!(response.status(), 302);
    assert_eq!(browser.viewer().await, None, "logout ends the session");
    assert_eq!(app.db.collection::<Document>("sessions").count_documents(doc! {}).await.unwrap(), 0);

    let response = browser.post("/api/auth/login", &[("login", "ADA@example.com"), ("password", PASSWORD)]).await;
    assert_eq!(response.status(), 302);
    let first = session_cookie(&response).unwrap();
    assert_eq!(browser.viewer().await.unwrap()["username"], "ada");
    let last_login = app.db.collection::<Document>(USERS).find_one(doc! { "username": "ada" }).await.unwrap().unwrap();
    assert!(last_login.get_document("security").unwrap().get_datetime("lastLogin").is_ok());

    // Signing in again rotates the session id: the old cookie stops working.
    let response =
        browser.post("/api/auth/login", &[("login", "ada"), ("password", PASSWORD), ("next", "/catalog?x=1")]).await;
    assert_eq!(response.headers()[LOCATION], "/catalog?x=1");
    let second = session_cookie(&response).unwrap();
    assert_ne!(first.split(';').next(), second.split(';').next(), "session id not rotated");
    let stale = reqwest::Client::new()
        .post(format!("{}/api/auth/me", app.base_url))
        .header("cookie", first.split(';').next().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(stale.text().await.unwrap(), "null", "the pre-rotation session still works");

    // Only paths on this site are followed after sign-in.
    for evil in ["https://evil.example/", "//evil.example/", "/\\evil.example"] {
        let response =
            browser.post("/api/auth/login", &[("login", "ada"), ("password", PASSWORD), ("next", evil)]).await;
        assert_eq!(response.headers()[LOCATION], "/catalog", "{evil}");
    }
}

#[tokio::test]
async fn registration_rejects_bad_and_duplicate_input_per_field() {
    let app = support::spawn_app().await;
    let browser = Browser::new(&app.base_url);
    let errors = |response: reqwest::Response| async move {
        assert_eq!(response.status(), 422);
        let body: serde_json::Value = response.json().await.unwrap();
        body["Invalid"].clone()
    };
    let weak = browser
        .http
        .post(format!("{}/api/auth/register", app.base_url))
        .form(&[
            ("form[username]", "x y"),
            ("form[email]", "nope"),
            ("form[password]", "password1"),
            ("form[password_confirm]", "other"),
        ])
        .send()
        .await
        .unwrap();
    let e = errors(weak).await;
    assert_eq!(e["username"], "Username can only contain letters, numbers, and underscores");
    assert_eq!(e["email"], "Please provide a valid email");
    assert_eq!(e["password"], "This password is among the most common ones; choose one that is harder to guess");
    assert_eq!(e["passwordConfirm"], "The two passwords do not match");

    browser.post("/api/auth/register", &registration("grace", "grace@example.com")).await;
    let again = Browser::new(&app.base_url);
    let duplicate = again
        .http
        .post(format!("{}/api/auth/register", app.base_url))
        .form(&registration("GRACE", "other@example.com"))
        .send()
        .await
        .unwrap();
    assert_eq!(errors(duplicate).await["username"], "That username is already taken");
    assert_eq!(app.db.collection::<Document>(USERS).count_documents(doc! {}).await.unwrap(), 1);

    // Operator payloads never become queries: a bracketed field is not a string, a JSON one is just text.
    let injected = again
        .http
        .post(format!("{}/api/auth/login", app.base_url))
        .body("login[$ne]=x&password[$ne]=x")
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .await
        .unwrap();
    assert!(injected.status().is_client_error(), "{}", injected.status());
    let json_payload =
        again.post("/api/auth/login", &[("login", "{\"$gt\":\"\"}"), ("password", "{\"$gt\":\"\"}")]).await;
    assert_eq!(json_payload.status(), 401);
    // A JSON body with operator objects is not even decoded as arguments.
    let json_body = again
        .http
        .post(format!("{}/api/auth/login", app.base_url))
        .json(&serde_json::json!({ "login": { "$gt": "" }, "password": { "$gt": "" } }))
        .send()
        .await
        .unwrap();
    assert!(json_body.status().is_client_error(), "{}", json_body.status());
    assert_eq!(again.viewer().await, None);
}

#[tokio::test]
async fn five_wrong_passwords_lock_the_account_with_one_message_for_unknown_and_wrong() {
    let app = support::spawn_app().await;
    let browser = Browser::new(&app.base_url);
    browser.post("/api/auth/register", &registration("mallory", "mallory@example.com")).await;
    browser.post("/api/auth/logout", &[]).await;

    let message = |response: reqwest::Response| async move {
        assert_eq!(response.status(), 401);
        response.json::<serde_json::Value>().await.unwrap()["Unauthorized"].as_str().unwrap().to_string()
    };
    let unknown =
        message(browser.post("/api/auth/login", &[("login", "nobody"), ("password", "whatever123")]).await).await;
    let wrong =
        message(browser.post("/api/auth/login", &[("login", "mallory"), ("password", "wrong-password")]).await).await;
    assert_eq!(unknown, wrong, "unknown account and wrong password must read the same");
    assert_eq!(wrong, foothold::api::auth::BAD_CREDENTIALS);

    for _ in 0..3 {
        browser.post("/api/auth/login", &[("login", "mallory"), ("password", "wrong-password")]).await;
    }
    let locked =
        message(browser.post("/api/auth/login", &[("login", "mallory"), ("password", "wrong-password")]).await).await;
    assert_eq!(locked, "This account is locked after too many failed sign-ins. Try again in 15 minutes.");
    // Even the right password is refused while locked.
    let still = message(browser.post("/api/auth/login", &[("login", "mallory"), ("password", PASSWORD)]).await).await;
    assert!(still.starts_with("This account is locked"), "{still}");
    assert_eq!(browser.viewer().await, None);

    // When the lock has passed, the right password works and the counters reset.
    app.db
        .collection::<Document>(USERS)
        .update_one(
            doc! { "username": "mallory" },
            doc! { "$set": { "security.lockUntil": mongodb::bson::DateTime::from_millis(0) } },
        )
        .await
        .unwrap();
    let response = browser.post("/api/auth/login", &[("login", "mallory"), ("password", PASSWORD)]).await;
    assert_eq!(response.status(), 302);
    let user = app.db.collection::<Document>(USERS).find_one(doc! { "username": "mallory" }).await.unwrap().unwrap();
    let security = user.get_document("security").unwrap();
    assert_eq!(security.get_i32("loginAttempts").unwrap(), 0);
    assert!(!security.contains_key("lockUntil"));
}

/// Wrong passwords sent at once each count towards the lockout: the count
/// is read under the learner's lock, not from the account read before the
/// (slow) password check, which would let them all write the same next
/// number and a guesser sending them in parallel never reach the lock.
#[tokio::test]
async fn wrong_passwords_sent_at_once_each_count() {
    let app = support::spawn_app().await;
    let browser = Browser::new(&app.base_url);
    browser.post("/api/auth/register", &registration("eve", "eve@example.com")).await;
    browser.post("/api/auth/logout", &[]).await;

    let guesses = (0..4).map(|_| {
        let base = app.base_url.clone();
        tokio::spawn(async move {
            let b = Browser::new(&base);
            b.post("/api/auth/login", &[("login", "eve"), ("password", "wrong-password")]).await.status().as_u16()
        })
    });
    for guess in guesses.collect::<Vec<_>>() {
        assert_eq!(guess.await.unwrap(), 401);
    }
    let user = app.db.collection::<Document>(USERS).find_one(doc! { "username": "eve" }).await.unwrap().unwrap();
    assert_eq!(user.get_document("security").unwrap().get_i32("loginAttempts").unwrap(), 4);
}

#[tokio::test]
async fn cross_site_form_posts_are_refused() {
    let app = support::spawn_app().await;
    let browser = Browser::new(&app.base_url);
    let host = app.base_url.trim_start_matches("http://").to_string();
    for (header, value) in [("origin", "https://evil.example"), ("sec-fetch-site", "cross-site")] {
        let response = browser
            .http
            .post(format!("{}/api/auth/register", app.base_url))
            .header(header, value)
            .form(&registration("victim", "victim@example.com"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403, "{header}: {value}");
        assert_eq!(response.text().await.unwrap(), "Cross-site request refused.");
    }
    assert_eq!(app.db.collection::<Document>(USERS).count_documents(doc! {}).await.unwrap(), 0);
    // The same form from this site's own page goes through.
    let response = browser
        .http
        .post(format!("{}/api/auth/register", app.base_url))
        .header(ACCEPT, "text/html")
        .header("origin", format!("http://{host}"))
        .header("sec-fetch-site", "same-origin")
        .form(&registration("victim", "victim@example.com"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 302);
}

#[tokio::test]
async fn protective_headers_and_no_caching_of_personal_pages() {
    let app = support::spawn_app().await;
    let browser = Browser::new(&app.base_url);
    let page = browser.http.get(format!("{}/catalog", app.base_url)).send().await.unwrap();
    let headers = page.headers();
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["referrer-policy"], "strict-origin-when-cross-origin");
    assert!(headers.get("cache-control").is_none_or(|v| v != "no-store"), "anonymous catalog may be cached");

    let api = browser.http.post(format!("{}/api/auth/me", app.base_url)).send().await.unwrap();
    assert_eq!(api.headers()["cache-control"], "no-store");

    browser.post("/api/auth/register", &registration("ada", "ada@example.com")).await;
    let signed_in = browser.http.get(format!("{}/catalog", app.base_url)).send().await.unwrap();
    assert_eq!(signed_in.headers()["cache-control"], "no-store");
}

#[tokio::test]
async fn pages_carry_a_nonce_based_content_security_policy() {
    let app = support::spawn_app().await;
    let first = reqwest::get(format!("{}/login", app.base_url)).await.unwrap();
    let csp = first.headers()["content-security-policy"].to_str().unwrap().to_string();
    let html = first.text().await.unwrap();
    let nonce = csp.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).expect("a nonce in the policy");
    assert!(nonce.len() >= 22, "128-bit nonce expected, got {nonce:?}");
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("object-src 'none'"), "{csp}");
    // Every inline script of the page carries the nonce.
    let tags: Vec<&str> = html.split("<script").skip(1).map(|rest| rest.split('>').next().unwrap_or("")).collect();
    assert!(!tags.is_empty());
    for tag in tags {
        assert!(tag.contains(&format!("nonce=\"{nonce}\"")), "a script without the nonce: <script{tag}>");
    }
    // A new page view gets a new nonce.
    let second = reqwest::get(format!("{}/login", app.base_url)).await.unwrap();
    assert_ne!(second.headers()["content-security-policy"].to_str().unwrap(), csp);
}

#[tokio::test]
async fn account_requests_are_rate_limited_per_address() {
    let app = support::spawn_app().await;
    let browser = Browser::new(&app.base_url);
    let limit = app.config.auth_rate_limit as usize;
    let mut statuses = Vec::new();
    for _ in 0..limit + 2 {
        let response = browser.post("/api/auth/login", &[("login", "nobody"), ("password", "whatever123")]).await;
        statuses.push(response.status().as_u16());
        if response.status() == 429 {
            assert!(response.headers().contains_key("retry-after"));
            assert!(response.text().await.unwrap().starts_with("Too many attempts from your network."));
        }
    }
    assert!(statuses[..limit].iter().all(|s| *s == 401), "{statuses:?}");
    assert!(statuses[limit..].iter().all(|s| *s == 429), "{statuses:?}");
    // Reading who is signed in is never limited.
    assert_eq!(browser.viewer().await, None);
}

#[tokio::test]
async fn password_reset_by_mailed_single_use_link_ends_every_session() {
    let (app, mail) = support::spawn_app_with_mail().await;
    let laptop = Browser::new(&app.base_url);
    laptop.post("/api/auth/register", &registration("ada", "ada@example.com")).await;
    let phone = Browser::new(&app.base_url);
    phone.post("/api/auth/login", &[("login", "ada"), ("password", PASSWORD)]).await;
    assert!(laptop.viewer().await.is_some() && phone.viewer().await.is_some());

    let anonymous = Browser::new(&app.base_url);
    let unknown = anonymous.post("/api/auth/forgot", &[("email", "nobody@example.com")]).await;
    let known = anonymous.post("/api/auth/forgot", &[("email", " ADA@example.com ")]).await;
    assert_eq!(unknown.status(), known.status(), "the answer must not reveal accounts");
    assert_eq!(mail.sent().len(), 1, "only the real account gets mail");
    let message = &mail.sent()[0];
    assert_eq!(message.to, "ada@example.com");
    let link = message.body.lines().find(|l| l.contains("/reset-password/")).unwrap().trim().to_string();
    let token = link.rsplit('/').next().unwrap().to_string();
    assert_eq!(token.len(), 32);
    let stored = app.db.collection::<Document>(USERS).find_one(doc! { "username": "ada" }).await.unwrap().unwrap();
    let security = stored.get_document("security").unwrap();
    assert_ne!(security.get_str("passwordResetToken").unwrap(), token, "the token is stored hashed");

    let weak = anonymous
        .post("/api/auth/reset", &[("token", &token), ("password", "password123"), ("password_confirm", "password123")])
        .await;
    assert_eq!(weak.status(), 422);
    let new_password = "a brand new unusual passphrase";
    let reset = anonymous
        .post("/api/auth/reset", &[("token", &token), ("password", new_password), ("password_confirm", new_password)])
        .await;
    assert_eq!(reset.status(), 302);
    assert_eq!(reset.headers()[LOCATION], "/login?reset=1");
    assert_eq!(laptop.viewer().await, None, "sessions from before the reset are ended");
    assert_eq!(phone.viewer().await, None);

    let again = anonymous
        .post("/api/auth/reset", &[("token", &token), ("password", new_password), ("password_confirm", new_password)])
        .await;
    assert_eq!(again.status(), 403, "a token works once");
    let old = anonymous.post("/api/auth/login", &[("login", "ada"), ("password", PASSWORD)]).await;
    assert_eq!(old.status(), 401);
    let new = anonymous.post("/api/auth/login", &[("login", "ada"), ("password", new_password)]).await;
    assert_eq!(new.status(), 302);

    // An expired link is refused.
    anonymous.post("/api/auth/forgot", &[("email", "ada@example.com")]).await;
    let token = mail.sent()[1]
        .body
        .lines()
        .find(|l| l.contains("/reset-password/"))
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    app.db
        .collection::<Document>(USERS)
        .update_one(
            doc! { "username": "ada" },
            doc! { "$set": { "security.passwordResetExpires": mongodb::bson::DateTime::from_millis(0) } },
        )
        .await
        .unwrap();
    let expired = anonymous
        .post("/api/auth/reset", &[("token", &token), ("password", PASSWORD), ("password_confirm", PASSWORD)])
        .await;
    assert_eq!(expired.status(), 403);
}

#[tokio::test]
async fn oversized_request_bodies_are_refused() {
    let app = support::spawn_app().await;
    let huge = "x".repeat(foothold::server::MAX_BODY_BYTES + 1);
    let response = reqwest::Client::new()
        .post(format!("{}/api/auth/login", app.base_url))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("login=ada&password={huge}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
    assert_eq!(app.db.collection::<Document>(USERS).count_documents(doc! {}).await.unwrap(), 0);
}

#[tokio::test]
async fn a_request_that_stalls_gets_408_instead_of_holding_the_server() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let (app, _) = support::spawn_app_configured(|c| c.request_timeout = std::time::Duration::from_secs(1)).await;
    // A client that announces a body and then sends only part of it (a slow-body attack).
    let addr = app.base_url.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST /api/auth/login HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nlogin=ada"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let started = std::time::Instant::now();
    let mut answer = vec![0u8; 1024];
    let read = tokio::time::timeout(std::time::Duration::from_secs(10), stream.read(&mut answer))
        .await
        .expect("the server answers instead of waiting for the rest of the body")
        .unwrap();
    let answer = String::from_utf8_lossy(&answer[..read]);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(started.elapsed() >= std::time::Duration::from_millis(900), "answered before the timeout");
}

#[tokio::test]
async fn forms_carry_their_hidden_values_before_any_script_runs() {
    let app = support::spawn_app().await;
    let token = "0123456789abcdef0123456789abcdef";
    let html = app.get(&format!("/reset-password/{token}")).await.text().await.unwrap();
    assert!(html.contains(&format!(r#"name="token" value="{token}""#)), "reset token missing from the form");
    let html = app.get("/login?next=/settings").await.text().await.unwrap();
    assert!(html.contains(r#"name="next" value="/settings""#), "next missing from the sign-in form");
}
