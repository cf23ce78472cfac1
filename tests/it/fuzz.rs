//! Bad input to every server function: generated argument encodings (forms,
//! JSON, raw bytes, query strings) from an anonymous visitor, a learner and
//! an administrator. Every answer must be a success or a clear 4xx with a
//! message, never a 5xx or a dropped connection.
//!
//! The functions come from the server-function registry, so a new one is
//! fuzzed without being listed here. The generator is seeded: a failure
//! names its seed, path and body, and `FOOTHOLD_FUZZ_SEED` and
//! `FOOTHOLD_FUZZ_CASES` replay or widen a run.

use crate::support;

use foothold::seed::synthetic::Rng;
use mongodb::bson::{Document, doc};
use support::{Browser, first_admin, spawn_app};

const PASSWORD: &str = "fuzzing passphrase 42";

trait Pick {
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T;
}

impl Pick for Rng {
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const NAMES: &[&str] = &[
    "id",
    "module_id",
    "content_id",
    "moduleId",
    "contentId",
    "attempt",
    "answer",
    "answers[q1]",
    "answers[path]",
    "login",
    "password",
    "next",
    "number",
    "note",
    "position",
    "rating",
    "difficulty",
    "feedback",
    "status",
    "role",
    "query",
    "page",
    "token",
    "code",
    "form[username]",
    "form[email]",
    "form[password]",
    "form[title]",
    "form[order]",
    "form[phase]",
    "form[module]",
    "form[type]",
    "form[settings][allowSkip]",
    "input[title]",
    "input[tags][0]",
    "id[$ne]",
    "login[$gt]",
    "a[]",
    "a[b][c][d]",
    "[",
    "]",
    "",
];

fn values(real: &[String]) -> Vec<String> {
    let mut v: Vec<String> = [
        "",
        "0",
        "-1",
        "2147483648",
        "99999999999999999999999",
        "NaN",
        "-inf",
        "1e309",
        "0.1",
        "true",
        "null",
        "[]",
        "{}",
        "{\"$ne\":null}",
        "\u{0}",
        "\u{202e}gnp.exe",
        "😀😀😀",
        "'\"><script>alert(1)</script>",
        "../../../../etc/passwd",
        "%",
        "%zz",
        "6b075e5b7b44bec56fee2755",
        "zzzzzzzzzzzzzzzzzzzzzzzz",
        "000000000000000000000000",
        "video",
        "lab",
        "admin",
        "active",
        "a-valid-attempt-id-123",
        "FLAG{synthetic}",
        "a,b,c",
        "https://example.com/",
        "javascript:alert(1)",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    v.push("x".repeat(5_000));
    v.push("é".repeat(3_000));
    v.extend(real.iter().cloned());
    v
}

/// One generated request body: (content type, bytes).
fn body(rng: &mut Rng, values: &[String]) -> (&'static str, Vec<u8>) {
    match rng.below(10) {
        0..=5 => {
            let mut form = url::form_urlencoded::Serializer::new(String::new());
            for _ in 0..rng.below(6) {
                let (name, value) = (*rng.pick(NAMES), rng.pick(values).as_str());
                form.append_pair(name, value);
            }
            ("application/x-www-form-urlencoded", form.finish().into_bytes())
        }
        6 | 7 => ("application/json", json(rng, values, 3).to_string().into_bytes()),
        8 => {
            let bytes: Vec<u8> = (0..rng.below(200)).map(|_| rng.next_u64() as u8).collect();
            (if rng.below(2) == 0 { "application/x-www-form-urlencoded" } else { "application/json" }, bytes)
        }
        _ => ("text/plain", rng.pick(values).clone().into_bytes()),
    }
}

fn json(rng: &mut Rng, values: &[String], depth: u32) -> serde_json::Value {
    use serde_json::Value;
    match if depth == 0 { rng.below(4) } else { rng.below(7) } {
        0 => Value::String(rng.pick(values).clone()),
        1 => serde_json::json!(rng.next_u64() as i64 >> rng.below(64)),
        2 => serde_json::json!(f64::from_bits(rng.next_u64()).clamp(-1e300, 1e300)),
        3 => Value::Null,
        4 => Value::Array((0..rng.below(4)).map(|_| json(rng, values, depth - 1)).collect()),
        _ => {
            let mut map = serde_json::Map::new();
            for _ in 0..rng.below(5) {
                let name = *rng.pick(&[
                    "content_id",
                    "beat",
                    "position",
                    "speed",
                    "length",
                    "segment",
                    "start",
                    "end",
                    "pauses",
                    "id",
                    "x",
                ]);
                map.insert(name.to_string(), json(rng, values, depth - 1));
            }
            Value::Object(map)
        }
    }
}

/// Functions that end the caller's session (or account) come last, so every
/// other one is called by each identity signed in.
fn ends_session(path: &str) -> bool {
    path.contains("logout") || path.contains("delete") || path.contains("password")
}

#[tokio::test]
async fn every_server_function_answers_bad_input_with_a_clear_4xx() {
    let app = spawn_app().await;
    foothold::seed::seed_demo(&app.db).await.expect("seed the demo curriculum");
    let admin = first_admin(&app, PASSWORD).await;
    let learner = Browser::new(&app.base_url);
    learner.register("fuzz_learner", PASSWORD).await;
    let anonymous = Browser::new(&app.base_url);

    // Real ids make some inputs reach deeper than the id check.
    let mut real = Vec::new();
    for collection in ["modules", "contents", "phases", "achievements"] {
        let docs: Vec<Document> = {
            use futures::TryStreamExt;
            app.db.collection::<Document>(collection).find(doc! {}).limit(3).await.unwrap().try_collect().await.unwrap()
        };
        real.extend(docs.iter().filter_map(|d| d.get_object_id("_id").ok()).map(|id| id.to_hex()));
    }
    let values = values(&real);

    let mut functions: Vec<(String, String)> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, method)| (path.to_string(), method.to_string()))
        .collect();
    functions.sort_by_key(|(path, _)| (ends_session(path), path.clone()));
    assert!(functions.len() >= 50, "the registry lists only {} server functions", functions.len());

    let seed: u64 = std::env::var("FOOTHOLD_FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x0f00_7401d);
    let cases: usize = std::env::var("FOOTHOLD_FUZZ_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(12);
    let mut rng = Rng(seed | 1);
    let mut sent = 0;
    let mut failures = Vec::new();
    let mut statuses = std::collections::BTreeMap::<u16, usize>::new();
    for (path, method) in &functions {
        for (who, browser) in [("anonymous", &anonymous), ("learner", &learner), ("admin", &admin)] {
            for _ in 0..cases {
                let (content_type, bytes) = body(&mut rng, &values);
                let url = format!("{}{path}", app.base_url);
                let request = if method == "GET" {
                    let query = String::from_utf8_lossy(&bytes).into_owned();
                    browser.http.get(format!(
                        "{url}?{}",
                        url::form_urlencoded::byte_serialize(query.as_bytes()).collect::<String>()
                    ))
                } else {
                    browser.http.post(&url).header("content-type", content_type).body(bytes.clone())
                };
                let request = request.header("origin", &app.base_url).header("accept", "application/json");
                sent += 1;
                let shown = String::from_utf8_lossy(&bytes).chars().take(300).collect::<String>();
                match request.send().await {
                    Err(e) => failures.push(format!("{who} {method} {path} {content_type} {shown:?}: no answer ({e})")),
                    Ok(response) => {
                        let status = response.status().as_u16();
                        *statuses.entry(status).or_default() += 1;
                        let text = response.text().await.unwrap_or_default();
                        if status >= 500 {
                            failures.push(format!("{who} {method} {path} {content_type} {shown:?}: {status} {text}"));
                        } else if status >= 400 && text.trim().is_empty() {
                            failures.push(format!(
                                "{who} {method} {path} {content_type} {shown:?}: {status} without a message"
                            ));
                        }
                    }
                }
            }
        }
    }
    eprintln!("{} server functions, {sent} requests, answers by status: {statuses:?}", functions.len());
    assert!(
        failures.is_empty(),
        "seed {seed}: {} of {sent} requests failed:\n{}",
        failures.len(),
        failures.iter().take(30).cloned().collect::<Vec<_>>().join("\n")
    );
}
