//! Content authoring by administrators over HTTP: items of every type
//! created and edited through their forms (the quiz editor, the JSON editor
//! of the other games), the data model's messages per field with nothing
//! written, dense ordering, activation, deletion refused while learners
//! have progress, module counters right after each change, and an audit
//! entry for each.

use crate::support;

use mongodb::bson::oid::ObjectId;
use mongodb::bson::{Document, doc};
use serde_json::Value;
use support::{Browser, TestApp};

use foothold::api::content_authoring::{
    QuestionDraft, QuizDraft, at_draft_positions, game_data_from_json, quiz_from_draft,
};
use foothold::db::collections::{CONTENTS, MODULES};
use foothold::model::{FieldErrors, GameType};

const PASSWORD: &str = "a long and unusual passphrase";

async fn admin(app: &TestApp) -> Browser {
    support::first_admin(app, PASSWORD).await
}

/// Calls a server function with owned form values.
async fn call(b: &Browser, path: &str, form: &[(String, String)]) -> (u16, Value) {
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    b.call(path, &form).await
}

fn pairs(fields: &[(&str, &str)]) -> Vec<(String, String)> {
    fields.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn id(body: &Value) -> String {
    body.as_str().unwrap_or_else(|| panic!("expected an id, got {body}")).to_string()
}

fn message(body: &Value, field: &str) -> String {
    body["Invalid"][field].as_str().unwrap_or_else(|| panic!("no message for {field} in {body}")).to_string()
}

/// A new active phase with one module in it; answers the module's id.
async fn module(b: &Browser) -> String {
    let phase =
        [("id", ""), ("form[title]", "Foundations"), ("form[description]", "d"), ("form[difficulty]", "beginner")];
    let (status, body) = b.call("/api/admin/save_phase", &phase).await;
    assert_eq!(status, 200, "{body}");
    let phase = id(&body);
    let module = [
        ("id", ""),
        ("form[title]", "Ports and protocols"),
        ("form[description]", "d"),
        ("form[difficulty]", "intermediate"),
        ("form[phase]", phase.as_str()),
    ];
    let (status, body) = b.call("/api/admin/save_module", &module).await;
    assert_eq!(status, 200, "{body}");
    id(&body)
}

/// The common fields of a new item of `kind` in `module`, plus `extra`.
fn item(module: &str, kind: &str, title: &str, extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut form = pairs(&[
        ("id", ""),
        ("form[module]", module),
        ("form[type]", kind),
        ("form[title]", title),
        ("form[difficulty]", "beginner"),
        ("form[order]", ""),
    ]);
    form.extend(pairs(extra));
    form
}

async fn save(b: &Browser, form: &[(String, String)]) -> (u16, Value) {
    call(b, "/api/admin/save_content", form).await
}

async fn stored(app: &TestApp, content: &str) -> Option<Document> {
    let content = ObjectId::parse_str(content).unwrap();
    app.db.collection::<Document>(CONTENTS).find_one(doc! { "_id": content }).await.unwrap()
}

/// (title, order, active) of the module's items, in stored order.
async fn rows(b: &Browser, module: &str) -> Vec<(String, i64, bool)> {
    let (status, list) = b.call("/api/admin/module_content", &[("module_id", module)]).await;
    assert_eq!(status, 200, "{list}");
    list["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["title"].as_str().unwrap().to_string(), r["order"].as_i64().unwrap(), r["is_active"] == true))
        .collect()
}

/// The module's `metadata` counters: (totalContent, totalDuration, videos, labs, games, documents).
async fn counters(app: &TestApp, module: &str) -> (i32, i32, i32, i32, i32, i32) {
    let module = ObjectId::parse_str(module).unwrap();
    let m = app.db.collection::<Document>(MODULES).find_one(doc! { "_id": module }).await.unwrap().unwrap();
    let meta = m.get_document("metadata").unwrap();
    let n = |k: &str| meta.get_i32(k).unwrap_or(0);
    (n("totalContent"), n("totalDuration"), n("videoCount"), n("labCount"), n("gameCount"), n("documentCount"))
}

async fn actions(b: &Browser) -> Vec<String> {
    let (status, log) = b.call("/api/admin/audit", &[("area", "content")]).await;
    assert_eq!(status, 200, "{log}");
    log["rows"].as_array().unwrap().iter().map(|r| r["action"].as_str().unwrap().to_string()).collect()
}

fn strings(d: &Document, key: &str) -> Vec<String> {
    d.get_array(key).unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect()
}

fn indexes(d: &Document, key: &str) -> Vec<i64> {
    d.get_array(key).unwrap().iter().map(|v| v.as_i64().or_else(|| v.as_i32().map(i64::from)).unwrap()).collect()
}

#[tokio::test]
async fn a_quiz_is_written_in_the_structured_editor_and_a_learner_passes_it() {
    let app = support::spawn_app().await;
    let b = admin(&app).await;
    let module = module(&b).await;

    // A new quiz's form: at the end, passed by one interaction, no questions yet.
    let (status, form) =
        b.call("/api/admin/content_form", &[("module", &module), ("kind", "game"), ("game", "quiz")]).await;
    assert_eq!(status, 200, "{form}");
    assert_eq!(form["input"]["order"], 1.0);
    assert_eq!(form["input"]["difficulty"], "intermediate", "the module's difficulty");
    assert_eq!(form["input"]["completionCriteria"]["type"], "interaction_based");
    assert_eq!(form["input"]["content"]["gameType"], "quiz");
    assert_eq!(form["quiz"]["questions"].as_array().unwrap().len(), 0);

    // Two questions with blank choices between the filled ones, and the spare blank question.
    let mut quiz = item(
        &module,
        "game",
        "Ports quiz",
        &[
            ("form[content][gameType]", "quiz"),
            ("form[completionCriteria][type]", "interaction_based"),
            ("form[completionCriteria][requiredInteractions]", "1"),
            ("quiz[passPercentage]", "50"),
            ("quiz[questions][0][id]", ""),
            ("quiz[questions][0][prompt]", "Which port does HTTPS use?"),
            ("quiz[questions][0][choices][0]", "80"),
            ("quiz[questions][0][choices][1]", ""),
            ("quiz[questions][0][choices][2]", "443"),
            ("quiz[questions][0][choices][3]", ""),
            ("quiz[questions][0][correct][]", "2"),
            ("quiz[questions][0][explanation]", "HTTPS listens on 443."),
            ("quiz[questions][1][id]", ""),
            ("quiz[questions][1][prompt]", "Which are hashing functions?"),
            ("quiz[questions][1][choices][0]", "SHA-256"),
            ("quiz[questions][1][choices][1]", ""),
            ("quiz[questions][1][choices][2]", "AES"),
            ("quiz[questions][1][choices][3]", "bcrypt"),
            ("quiz[questions][1][correct][]", "0"),
            ("quiz[questions][1][correct][]", "3"),
            ("quiz[questions][1][explanation]", ""),
            ("quiz[questions][2][id]", ""),
            ("quiz[questions][2][prompt]", ""),
            ("quiz[questions][2][choices][0]", ""),
            ("quiz[questions][2][choices][1]", ""),
            ("quiz[questions][2][explanation]", ""),
        ],
    );
    let (status, body) = save(&b, &quiz).await;
    assert_eq!(status, 200, "{body}");
    let quiz_id = id(&body);
    let doc = stored(&app, &quiz_id).await.unwrap();
    assert!(doc.get_bool("isActive").unwrap(), "new items are active");
    assert_eq!(doc.get_i32("order").unwrap(), 1);
    let data = doc.get_document("content").unwrap().get_document("gameData").unwrap();
    let questions: Vec<&Document> =
        data.get_array("questions").unwrap().iter().map(|q| q.as_document().unwrap()).collect();
    assert_eq!(questions.len(), 2, "the blank question is dropped");
    assert_eq!(questions[0].get_str("id").unwrap(), "q1");
    assert_eq!(strings(questions[0], "choices"), ["80", "443"]);
    assert_eq!(indexes(questions[0], "correct"), [1], "the correct index follows its choice");
    assert_eq!(strings(questions[1], "choices"), ["SHA-256", "AES", "bcrypt"]);
    assert_eq!(indexes(questions[1], "correct"), [0, 2]);
    assert_eq!(data.get_i32("passPercentage").unwrap(), 50);
    assert_eq!(counters(&app, &module).await, (1, 0, 0, 0, 1, 0));

    // The form shows it back; an edit keeps the question ids and gives a new one the next free id.
    let (_, form) = b.call("/api/admin/content_form", &[("id", &quiz_id)]).await;
    assert_eq!(form["quiz"]["questions"][1]["id"], "q2");
    assert_eq!(form["quiz"]["passPercentage"], 50);
    quiz[0].1 = quiz_id.clone();
    let set = |form: &mut Vec<(String, String)>, key: &str, value: &str| {
        form.iter_mut().find(|(k, _)| k == key).unwrap().1 = value.to_string();
    };
    set(&mut quiz, "quiz[questions][0][id]", "q1");
    set(&mut quiz, "quiz[questions][1][id]", "q2");
    set(&mut quiz, "quiz[questions][0][prompt]", "Which TCP port does HTTPS use?");
    set(&mut quiz, "quiz[questions][2][prompt]", "Is TELNET encrypted?");
    set(&mut quiz, "quiz[questions][2][choices][0]", "Yes");
    set(&mut quiz, "quiz[questions][2][choices][1]", "No");
    quiz.push(("quiz[questions][2][correct][]".into(), "1".into()));
    let (status, body) = save(&b, &quiz).await;
    assert_eq!(status, 200, "{body}");
    let doc = stored(&app, &quiz_id).await.unwrap();
    let data = doc.get_document("content").unwrap().get_document("gameData").unwrap();
    let ids: Vec<&str> =
        data.get_array("questions").unwrap().iter().map(|q| q.as_document().unwrap().get_str("id").unwrap()).collect();
    assert_eq!(ids, ["q1", "q2", "q3"]);

    // A broken question is named by its place in the editor (blank ones before it are dropped), nothing written.
    let broken = item(
        &module,
        "game",
        "Broken quiz",
        &[
            ("form[content][gameType]", "quiz"),
            ("quiz[passPercentage]", "101"),
            ("quiz[questions][0][prompt]", ""),
            ("quiz[questions][1][prompt]", "No correct choice here"),
            ("quiz[questions][1][choices][0]", "a"),
            ("quiz[questions][1][choices][1]", "b"),
        ],
    );
    let (status, body) = save(&b, &broken).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(message(&body, "content.gameData.questions.1.correct"), "Mark at least one correct choice");
    assert_eq!(
        message(&body, "content.gameData.passPercentage"),
        "Path `content.gameData.passPercentage` (101) is more than maximum allowed value (100)."
    );
    let (status, body) = save(&b, &item(&module, "game", "Empty quiz", &[("form[content][gameType]", "quiz")])).await;
    assert_eq!(status, 422);
    assert_eq!(message(&body, "content.gameData.questions"), "A quiz needs at least one question");
    assert_eq!(rows(&b, &module).await.len(), 1, "nothing written");

    // A learner opens it in the player and passes it.
    let student = Browser::new(&app.base_url);
    student.register("a_learner", PASSWORD).await;
    assert_eq!(student.call("/api/learn/enroll", &[("module_id", &module)]).await.0, 200);
    let (status, page) = student.call("/api/learn/player", &[("module_id", &module), ("content_id", &quiz_id)]).await;
    assert_eq!(status, 200, "{page}");
    assert!(!page.to_string().contains("\"correct\":"), "no key before answering");
    let answers = [
        ("content_id", quiz_id.as_str()),
        ("attempt", "attempt-authoring-1"),
        ("answers[q1]", "1"),
        ("answers[q2~0]", "0"),
        ("answers[q2~2]", "2"),
        ("answers[q3]", "1"),
    ];
    let (status, body) = student.call("/api/learn/game", &answers).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["graded"]["passed"], true, "{body}");
    assert_eq!(body["outcome"]["just_completed"], true, "{body}");

    // Deleting it would orphan the learner's progress: refused, with the way out.
    let (status, body) = b.call("/api/admin/delete", &[("kind", "content"), ("id", &quiz_id)]).await;
    assert_eq!(status, 422);
    assert_eq!(message(&body, "content"), "1 learner(s) have progress on this item; deactivate it instead");
    assert!(stored(&app, &quiz_id).await.is_some());
    let (_, form) = b.call("/api/admin/content_form", &[("id", &quiz_id)]).await;
    assert_eq!(form["learners"], 1);
}

#[tokio::test]
async fn labs_documents_and_json_games_get_the_spec_messages_and_broken_ones_write_nothing() {
    let app = support::spawn_app().await;
    let b = admin(&app).await;
    let module = module(&b).await;

    // Missing title, instructions and flags: the data model's messages, per field.
    let (status, body) = save(&b, &item(&module, "lab", "", &[("form[content][labInstructions]", "  ")])).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(message(&body, "title"), "Content title is required");
    assert_eq!(message(&body, "content.labInstructions"), "A lab needs instructions");
    assert_eq!(message(&body, "content.labFlags"), "A lab needs at least one accepted answer (flag)");
    let lab = item(
        &module,
        "lab",
        "Read a packet capture",
        &[
            ("form[duration]", "20"),
            ("form[content][labInstructions]", "## Task\nFind the **password** in `capture.pcap`."),
            ("form[content][labHints][]", "Filter on ftp"),
            ("form[content][labHints][]", ""),
            ("form[content][labFlags][]", "hunter2"),
        ],
    );
    let (status, body) = save(&b, &lab).await;
    assert_eq!(status, 200, "{body}");
    let lab_id = id(&body);
    let doc = stored(&app, &lab_id).await.unwrap();
    assert_eq!(strings(doc.get_document("content").unwrap(), "labHints"), ["Filter on ftp"]);
    let (_, form) = b.call("/api/admin/content_form", &[("id", &lab_id)]).await;
    let preview = form["lab_preview"].as_str().unwrap();
    assert!(preview.contains("<h2>Task</h2>") && preview.contains("<strong>password</strong>"), "{preview}");

    let (status, body) =
        save(&b, &item(&module, "document", "Cheat sheet", &[("form[content][documentFormat]", "markdown")])).await;
    assert_eq!(status, 422);
    assert_eq!(message(&body, "content.documentContent"), "A document needs its text or a document URL");
    let (status, body) =
        save(&b, &item(&module, "document", "Cheat sheet", &[("form[content][documentContent]", "Text")])).await;
    assert_eq!(status, 422);
    assert_eq!(message(&body, "content.documentFormat"), "A document needs a format");
    let document = item(
        &module,
        "document",
        "Cheat sheet",
        &[
            ("form[duration]", "5"),
            ("form[content][documentFormat]", "markdown"),
            (
                "form[content][documentContent]",
                "# Ports\n<script>alert(1)</script>\n| port | service |\n|---|---|\n| 22 | ssh |",
            ),
        ],
    );
    let (status, body) = save(&b, &document).await;
    assert_eq!(status, 200, "{body}");
    let (_, form) = b.call("/api/admin/content_form", &[("id", &id(&body))]).await;
    let preview = form["document_preview"].as_str().unwrap();
    assert!(preview.contains("<table>") && !preview.contains("<script"), "rendered and sanitised: {preview}");

    // A scenario through the JSON editor; its new form starts with a valid example.
    let (_, form) =
        b.call("/api/admin/content_form", &[("module", &module), ("kind", "game"), ("game", "scenario")]).await;
    let example = form["game_json"].as_str().unwrap().to_string();
    assert!(example.contains("\"start\""), "{example}");
    assert!(form["quiz"].is_null());
    let scenario = |json: &str| {
        item(&module, "game", "Incident call", &[("form[content][gameType]", "scenario"), ("game_json", json)])
    };
    let (status, body) = save(&b, &scenario(&example)).await;
    assert_eq!(status, 200, "{body}");
    let scenario_id = id(&body);
    let doc = stored(&app, &scenario_id).await.unwrap();
    let data = doc.get_document("content").unwrap().get_document("gameData").unwrap();
    assert_eq!(data.get_str("start").unwrap(), "alert");

    // Broken JSON, JSON of the wrong shape, and a scenario whose choice leads nowhere: messages with their path.
    let before = rows(&b, &module).await;
    let (status, body) = save(&b, &scenario("{ \"start\": \"alert\", ")).await;
    assert_eq!(status, 422);
    assert!(message(&body, "content.gameData").starts_with("This is not valid JSON: EOF while parsing"), "{body}");
    assert!(message(&body, "content.gameData").contains("line 1 column"), "{body}");
    let (status, body) = save(&b, &scenario("{ \"questions\": [] }")).await;
    assert_eq!(status, 422);
    assert!(message(&body, "content.gameData").starts_with("Game data does not fit a scenario"), "{body}");
    let (status, body) = save(&b, &scenario(&example.replace("\"next\": \"report\"", "\"next\": \"nowhere\""))).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(message(&body, "content.gameData.steps.0.choices.0.next"), "The step \"nowhere\" does not exist");
    let (status, body) = save(&b, &scenario("")).await;
    assert_eq!(status, 422);
    assert!(message(&body, "content.gameData").starts_with("Write the scenario's game data as JSON"));
    assert_eq!(rows(&b, &module).await, before, "nothing written");

    // An edit keeps the type: a video's fields cannot turn a lab into a video.
    let mut edit = item(&module, "video", "Read a packet capture", &[("form[content][videoUrl]", "/media/x.webm")]);
    edit[0].1 = lab_id.clone();
    let (status, body) = save(&b, &edit).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(message(&body, "content.labInstructions"), "A lab needs instructions");
    assert_eq!(stored(&app, &lab_id).await.unwrap().get_str("type").unwrap(), "lab");

    assert_eq!(counters(&app, &module).await, (3, 25, 0, 1, 1, 1));

    // The markdown preview renders and sanitises; it is for admins only.
    let (status, html) =
        b.call("/api/admin/preview_markdown", &[("text", "**bold** <img src=x onerror=alert(1)>")]).await;
    assert_eq!(status, 200);
    let html = html.as_str().unwrap();
    assert!(html.contains("<strong>bold</strong>") && !html.contains("onerror"), "{html}");
    let student = Browser::new(&app.base_url);
    student.register("a_learner", PASSWORD).await;
    assert_eq!(student.call("/api/admin/preview_markdown", &[("text", "x")]).await.0, 403);
}

#[tokio::test]
async fn content_is_reordered_deactivated_and_deleted_with_counters_and_audit_right_after_each_change() {
    let app = support::spawn_app().await;
    let b = admin(&app).await;
    let module = module(&b).await;
    let video = |title: &str, order: &str, minutes: &str| {
        let mut form = item(
            &module,
            "video",
            title,
            &[("form[content][videoUrl]", "/media/intro.webm"), ("form[duration]", minutes)],
        );
        form.iter_mut().find(|(k, _)| k == "form[order]").unwrap().1 = order.to_string();
        form
    };
    let one = id(&save(&b, &video("One", "", "10")).await.1);
    let two = id(&save(&b, &video("Two", "", "5")).await.1);
    let three = id(&save(&b, &video("Three", "1", "1")).await.1);
    let titles = |rows: Vec<(String, i64, bool)>| rows.into_iter().map(|(t, o, _)| (t, o)).collect::<Vec<_>>();
    let ordered =
        |list: &[&str]| list.iter().enumerate().map(|(i, t)| (t.to_string(), i as i64 + 1)).collect::<Vec<_>>();
    assert_eq!(titles(rows(&b, &module).await), ordered(&["Three", "One", "Two"]), "a new item takes its place");
    assert_eq!(counters(&app, &module).await, (3, 16, 3, 0, 0, 0));

    // Up and down.
    let moved = b.call("/api/admin/move", &[("kind", "content"), ("id", &two), ("direction", "up")]).await;
    assert_eq!(moved.0, 200, "{}", moved.1);
    assert_eq!(titles(rows(&b, &module).await), ordered(&["Three", "Two", "One"]));
    b.call("/api/admin/move", &[("kind", "content"), ("id", &three), ("direction", "up")]).await;
    assert_eq!(titles(rows(&b, &module).await)[0], ("Three".into(), 1), "the first stays first");

    // The form's position puts it exactly there; empty keeps it in place.
    let mut edit = video("Three, moved", "3", "1");
    edit[0].1 = three.clone();
    assert_eq!(save(&b, &edit).await.0, 200);
    assert_eq!(titles(rows(&b, &module).await), ordered(&["Two", "One", "Three, moved"]));
    let mut edit = video("One, renamed", "", "10");
    edit[0].1 = one.clone();
    assert_eq!(save(&b, &edit).await.0, 200);
    assert_eq!(titles(rows(&b, &module).await), ordered(&["Two", "One, renamed", "Three, moved"]));

    // Deactivate: the counters drop it, an edit through the form keeps it inactive.
    let (status, _) = b.call("/api/admin/set_active", &[("kind", "content"), ("id", &two), ("active", "false")]).await;
    assert_eq!(status, 200);
    assert_eq!(counters(&app, &module).await, (2, 11, 2, 0, 0, 0));
    let mut edit = video("Two", "", "7");
    edit[0].1 = two.clone();
    assert_eq!(save(&b, &edit).await.0, 200);
    assert!(!stored(&app, &two).await.unwrap().get_bool("isActive").unwrap());
    assert_eq!(counters(&app, &module).await, (2, 11, 2, 0, 0, 0));
    b.call("/api/admin/set_active", &[("kind", "content"), ("id", &two), ("active", "true")]).await;
    assert_eq!(counters(&app, &module).await, (3, 18, 3, 0, 0, 0));

    // Delete one with no progress: the others close the gap.
    let (status, body) = b.call("/api/admin/delete", &[("kind", "content"), ("id", &one)]).await;
    assert_eq!(status, 200, "{body}");
    assert!(stored(&app, &one).await.is_none());
    assert_eq!(titles(rows(&b, &module).await), ordered(&["Two", "Three, moved"]));
    assert_eq!(counters(&app, &module).await, (2, 8, 2, 0, 0, 0));

    // Each change is in the audit log, newest first, with before and after.
    let log = actions(&b).await;
    for expected in
        ["content.create", "content.move", "content.update", "content.deactivate", "content.activate", "content.delete"]
    {
        assert!(log.contains(&expected.to_string()), "{expected} missing from {log:?}");
    }
    assert_eq!(log[0], "content.delete");
    let (_, entries) = b.call("/api/admin/audit", &[("action", "content.update")]).await;
    let last = &entries["rows"][0];
    assert_eq!(last["actor"], "root_admin");
    assert!(last["before"].as_str().unwrap().contains("\"duration\": 5"), "{last}");
    assert!(last["after"].as_str().unwrap().contains("\"duration\": 7"), "{last}");

    // Unknown ids and kinds are refused with a message.
    let (status, _) = b.call("/api/admin/delete", &[("kind", "content"), ("id", &ObjectId::new().to_hex())]).await;
    assert_eq!(status, 404);
    let (status, body) = b.call("/api/admin/content_form", &[("module", &module), ("kind", "podcast")]).await;
    assert_eq!((status, message(&body, "type")), (422, "Choose video, lab, game or document".into()));
}

#[tokio::test]
async fn the_pages_render_for_an_admin_post_without_javascript_and_refuse_a_student() {
    let app = support::spawn_app().await;
    let b = admin(&app).await;
    let module = module(&b).await;

    // A browser without JavaScript posts the form and lands on the module's content list.
    let form = item(&module, "video", "Welcome", &[("form[content][videoUrl]", "/media/intro.webm")]);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let referer = format!("/admin/content/new?module={module}&type=video");
    let response = b.plain_post("/api/admin/save_content", &referer, &form).await;
    assert_eq!(response.status(), 302);
    assert_eq!(response.headers()[reqwest::header::LOCATION], format!("/admin/modules/{module}/content").as_str());
    let welcome = rows(&b, &module).await;
    assert_eq!(welcome[0].0, "Welcome");
    let (_, list) = b.call("/api/admin/module_content", &[("module_id", &module)]).await;
    let welcome_id = list["rows"][0]["id"].as_str().unwrap().to_string();

    let (_, quiz) = save(
        &b,
        &item(
            &module,
            "game",
            "Quick check",
            &[
                ("form[content][gameType]", "quiz"),
                ("quiz[questions][0][prompt]", "Is 443 HTTPS?"),
                ("quiz[questions][0][choices][0]", "Yes"),
                ("quiz[questions][0][choices][1]", "No"),
                ("quiz[questions][0][correct][]", "0"),
            ],
        ),
    )
    .await;
    let quiz = id(&quiz);

    let pages = [
        format!("/admin/modules/{module}/content"),
        format!("/admin/content/{welcome_id}"),
        format!("/admin/content/{quiz}"),
        format!("/admin/content/new?module={module}&type=lab"),
        format!("/admin/content/new?module={module}&type=document"),
        format!("/admin/content/new?module={module}&type=game&game=simulation"),
        format!("/admin/modules/{module}"),
        "/admin/catalog".to_string(),
    ];
    for path in &pages {
        let page = b.http.get(format!("{}{path}", app.base_url)).send().await.unwrap();
        assert_eq!(page.status(), 200, "{path}");
        let html = page.text().await.unwrap();
        assert!(!html.contains("admin-refusal"), "{path}");
        let list = format!("href=\"/admin/modules/{module}/content\"");
        assert!(path == &pages[0] || html.contains(&list), "{path} links to the content list");
    }
    let html = b.http.get(format!("{}{}", app.base_url, pages[0])).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Welcome") && html.contains("Quick check") && html.contains("Add document"));
    let html = b.http.get(format!("{}{}", app.base_url, pages[2])).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("name=\"quiz[questions][0][choices][1]\"") && html.contains("Is 443 HTTPS?"));
    assert!(html.contains("name=\"quiz[questions][1][prompt]\""), "a blank question to add");
    let html = b.http.get(format!("{}{}", app.base_url, pages[5])).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("name=\"game_json\"") && html.contains("artifact"), "the JSON editor with an example");

    let student = Browser::new(&app.base_url);
    student.register("a_student", PASSWORD).await;
    for path in &pages[..2] {
        let html = student.http.get(format!("{}{path}", app.base_url)).send().await.unwrap().text().await.unwrap();
        assert!(html.contains("admin-refusal") && html.contains("Only administrators"), "{path}");
    }
    let (status, _) = student.call("/api/admin/content_form", &[("id", &quiz)]).await;
    assert_eq!(status, 403, "students never see the answer key");
}

#[test]
fn the_quiz_draft_drops_blanks_remaps_answers_and_numbers_new_questions() {
    let question = |id: &str, prompt: &str, choices: &[&str], correct: &[usize]| QuestionDraft {
        id: id.into(),
        prompt: prompt.into(),
        choices: choices.iter().map(|c| c.to_string()).collect(),
        correct: correct.to_vec(),
        explanation: String::new(),
    };
    let draft = QuizDraft {
        questions: vec![
            question("", "", &["", ""], &[]),
            question("", "New", &["", " a ", "", "b"], &[3, 3, 2]),
            question("q1", "Kept", &["x", "y"], &[0]),
            question("", "Another", &["x", "y"], &[1]),
        ],
        pass_percentage: None,
    };
    let mut e = FieldErrors::new();
    let (quiz, positions) = quiz_from_draft(&draft, &mut e);
    assert!(e.is_empty());
    assert_eq!(positions, [1, 2, 3]);
    assert_eq!(quiz.pass_percentage, 70, "the data model's default");
    let ids: Vec<&str> = quiz.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(ids, ["q2", "q1", "q3"], "new questions skip ids in use");
    assert_eq!(quiz.questions[0].choices, ["a", "b"]);
    assert_eq!(quiz.questions[0].correct, [1], "a tick on a blank choice goes with it");

    let mut errors = FieldErrors::new();
    errors.add("content.gameData.questions.0.correct", "Mark at least one correct choice");
    errors.add("content.gameData.questions", "A quiz needs at least one question");
    errors.add("title", "Content title is required");
    let moved = at_draft_positions(errors, &positions);
    assert_eq!(moved.get("content.gameData.questions.1.correct"), Some("Mark at least one correct choice"));
    assert!(moved.get("content.gameData.questions").is_some() && moved.get("title").is_some());

    let mut e = FieldErrors::new();
    let half = QuizDraft { questions: vec![], pass_percentage: Some(50.5) };
    quiz_from_draft(&half, &mut e);
    assert_eq!(
        e.get("content.gameData.passPercentage"),
        Some("Path `content.gameData.passPercentage` must be a whole number.")
    );

    let mut e = FieldErrors::new();
    assert!(game_data_from_json("[1, 2]", GameType::Puzzle, &mut e).is_none());
    assert_eq!(e.get("content.gameData"), Some("The game data must be one JSON object: { … }"));
    let mut e = FieldErrors::new();
    assert!(game_data_from_json("{\"kind\": \"order\"}", GameType::Puzzle, &mut e).is_some());
    assert!(e.is_empty());
}
