//! Test harness: one real FerretDB for the test binary, one database per test,
//! and the real router served on a free port.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use foothold::config::Config;
use mongodb::Database;

struct FerretDb {
    uri: String,
    // Kept open for the life of the test binary: when the binary exits the
    // pipe closes and the wrapper (-exit-on-stdin-eof) stops and deletes its
    // temporary directory.
    _stdin: ChildStdin,
    _child: Child,
}

fn ferretdb_binary() -> PathBuf {
    std::env::var_os("FERRETDB_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/ferretdb/ferretdb"))
}

/// A FerretDB of the test's own on `listen`, keeping its SQLite files in
/// `dir` (so the test can kill it, restart it on the same files, or look at
/// them); and its URI.
pub fn own_ferretdb(dir: &std::path::Path, listen: &str) -> (Child, String) {
    own_ferretdb_with(dir, listen, &[])
}

/// [`own_ferretdb`] with extra environment variables.
pub fn own_ferretdb_with(dir: &std::path::Path, listen: &str, env: &[(&str, &str)]) -> (Child, String) {
    let bin = ferretdb_binary();
    let mut child = Command::new(&bin)
        .args(["-listen", listen, "-sqlite-dir"])
        .arg(dir)
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout is piped")).read_line(&mut line).expect("read the ready line");
    let uri = line.trim().strip_prefix("ready ").unwrap_or_else(|| panic!("FerretDB printed {line:?}")).to_string();
    (child, uri)
}

/// The URI of this test binary's FerretDB, started on first use.
pub fn ferretdb_uri() -> &'static str {
    static DB: OnceLock<FerretDb> = OnceLock::new();
    &DB.get_or_init(|| {
        let bin = ferretdb_binary();
        assert!(
            bin.exists(),
            "FerretDB wrapper not found at {}; run scripts/setup.sh (or set FERRETDB_BIN)",
            bin.display()
        );
        let mut child = Command::new(&bin)
            .args(["-listen", "127.0.0.1:0", "-sqlite-dir", "", "-exit-on-stdin-eof"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).expect("read FerretDB's ready line");
        let uri = line
            .trim()
            .strip_prefix("ready ")
            .unwrap_or_else(|| panic!("FerretDB did not start; it printed {line:?}"))
            .to_string();
        let stdin = child.stdin.take().expect("stdin is piped");
        FerretDb { uri, _stdin: stdin, _child: child }
    })
    .uri
}

/// A database name no other test uses.
pub fn unique_database() -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    format!("t{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed))
}

pub fn test_config(database: &str) -> Config {
    let uri = ferretdb_uri().to_string();
    let database = database.to_string();
    Config::from_lookup(move |name| match name {
        "MONGODB_URI" => Some(uri.clone()),
        "FOOTHOLD_DATABASE" => Some(database.clone()),
        "FOOTHOLD_ADDR" => Some("127.0.0.1:0".into()),
        "RUST_LOG" => Some("warn".into()),
        _ => None,
    })
    .expect("test configuration is valid")
}

/// A fresh database with every index, owned by one test.
pub async fn fresh_database() -> (Config, Database) {
    let config = test_config(&unique_database());
    let db = foothold::db::connect(&config.mongodb_uri, &config.database, Duration::from_secs(10))
        .await
        .expect("connect to the test FerretDB");
    foothold::db::indexes::ensure_indexes(&db).await.expect("create indexes");
    (config, db)
}

pub struct TestApp {
    pub base_url: String,
    pub config: Config,
    pub db: Database,
    pub http: reqwest::Client,
}

impl TestApp {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http.get(format!("{}{path}", self.base_url)).send().await.expect("request reaches the test server")
    }
}

/// The real router on a free port, with its own database.
pub async fn spawn_app() -> TestApp {
    spawn_app_with_mail().await.0
}

/// Like [`spawn_app`], keeping sent mail in memory so a test can follow its links.
pub async fn spawn_app_with_mail() -> (TestApp, foothold::auth::mailer::MemoryMailer) {
    spawn_app_configured(|_| {}).await
}

/// Like [`spawn_app_with_mail`], with the configuration changed by `edit` first.
pub async fn spawn_app_configured(edit: impl FnOnce(&mut Config)) -> (TestApp, foothold::auth::mailer::MemoryMailer) {
    let (config, db) = fresh_database().await;
    serve(config, db, edit).await
}

/// The commands a client sent, as (command name, collection), in order.
pub type Commands = std::sync::Arc<std::sync::Mutex<Vec<(String, String)>>>;

/// A client on `config`'s database that records every command it sends.
pub async fn watched_database(config: &Config) -> (Database, Commands) {
    let commands = Commands::default();
    let seen = commands.clone();
    let mut options = mongodb::options::ClientOptions::parse(&config.mongodb_uri).await.expect("parse the test URI");
    options.command_event_handler = Some(mongodb::event::EventHandler::callback(move |event| {
        if let mongodb::event::command::CommandEvent::Started(started) = event {
            let collection = started.command.get_str(&started.command_name).unwrap_or_default().to_string();
            seen.lock().expect("command list").push((started.command_name, collection));
        }
    }));
    let db = mongodb::Client::with_options(options).expect("a client").database(&config.database);
    (db, commands)
}

/// The real router on a database whose client records every command it
/// sends, for tests of how many reads a request costs.
pub async fn spawn_app_watched() -> (TestApp, Commands) {
    let config = test_config(&unique_database());
    let (db, commands) = watched_database(&config).await;
    foothold::db::indexes::ensure_indexes(&db).await.expect("create indexes");
    (serve(config, db, |_| {}).await.0, commands)
}

async fn serve(
    mut config: Config,
    db: Database,
    edit: impl FnOnce(&mut Config),
) -> (TestApp, foothold::auth::mailer::MemoryMailer) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind a free port");
    let addr = listener.local_addr().expect("local address");
    // Links the app writes (mail, certificates) point at where it really listens.
    config.public_url = format!("http://{addr}");
    edit(&mut config);
    let mailer = foothold::auth::mailer::MemoryMailer::default();
    let app = foothold::server::router_with_mailer(&config, db.clone(), std::sync::Arc::new(mailer.clone()));
    tokio::spawn(async move {
        axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>())
            .await
            .expect("test server runs");
    });
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("http client");
    (TestApp { base_url: format!("http://{addr}"), config, db, http }, mailer)
}

/// A client with a cookie jar that posts forms like a browser without JavaScript.
pub struct Browser {
    pub base: String,
    pub http: reqwest::Client,
}

impl Browser {
    pub fn new(base: &str) -> Browser {
        let http =
            reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
        Browser { base: base.to_string(), http }
    }

    /// Posts a form with `Accept: text/html` (no `Referer`): a success that
    /// navigates answers with its redirect.
    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.http
            .post(format!("{}{path}", self.base))
            .header(reqwest::header::ACCEPT, "text/html")
            .form(form)
            .send()
            .await
            .unwrap()
    }

    /// Posts a form as the page's script does: errors keep their HTTP status.
    pub async fn api(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.http.post(format!("{}{path}", self.base)).form(form).send().await.unwrap()
    }

    /// Posts a form as a browser without JavaScript does (`Accept: text/html`
    /// and a `Referer`): every answer is a redirect, errors travel in its URL.
    pub async fn plain_post(&self, path: &str, referer: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.http
            .post(format!("{}{path}", self.base))
            .header(reqwest::header::ACCEPT, "text/html")
            .header(reqwest::header::REFERER, format!("{}{referer}", self.base))
            .form(form)
            .send()
            .await
            .unwrap()
    }

    /// Calls a server function as the page's script does (JSON answer) and
    /// returns the status and the decoded body (`Null` when it is not JSON).
    pub async fn call(&self, path: &str, form: &[(&str, &str)]) -> (u16, serde_json::Value) {
        let response = self.http.post(format!("{}{path}", self.base)).form(form).send().await.unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(serde_json::Value::Null))
    }

    /// Calls a server function whose input is JSON (e.g. the heartbeat).
    pub async fn call_json(&self, path: &str, body: &serde_json::Value) -> (u16, serde_json::Value) {
        let response = self.http.post(format!("{}{path}", self.base)).json(body).send().await.unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(serde_json::Value::Null))
    }

    /// Signs up a student with `password`; panics when the server refuses.
    pub async fn register(&self, username: &str, password: &str) {
        let email = format!("{username}@example.com");
        let form = [
            ("form[username]", username),
            ("form[email]", email.as_str()),
            ("form[password]", password),
            ("form[password_confirm]", password),
        ];
        let response = self.post("/api/auth/register", &form).await;
        assert_eq!(response.status(), 302, "sign-up failed: {:?}", response.text().await);
    }

    pub async fn viewer(&self) -> Option<serde_json::Value> {
        let response = self.http.post(format!("{}/api/auth/me", self.base)).send().await.unwrap();
        assert_eq!(response.status(), 200);
        let value: serde_json::Value = response.json().await.unwrap();
        (!value.is_null()).then_some(value)
    }
}

/// Creates the first administrator (as `foothold create-admin` does) and signs them in.
pub async fn first_admin(app: &TestApp, password: &str) -> Browser {
    foothold::auth::bootstrap::create_admin(&app.db, "root_admin", "root@example.com", password)
        .await
        .expect("create the first administrator");
    let b = Browser::new(&app.base_url);
    let signed_in = b.post("/api/auth/login", &[("login", "root_admin"), ("password", password)]).await;
    assert_eq!(signed_in.status(), 302, "the first administrator signs in");
    b
}
