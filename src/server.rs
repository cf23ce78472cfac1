//! The HTTP server: state, router, health endpoints, graceful shutdown.

use std::time::Duration;

use axum::Router;
use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use mongodb::Database;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::app::{App, shell};
use crate::config::Config;
use crate::error::AppError;

/// Largest request body accepted (forms and server-function calls are small).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// What every handler and server function can reach.
#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Database,
    /// Absolute session lifetime, checked on every read of the signed-in user.
    pub session_max: Duration,
    /// Where mail (password-reset links) goes.
    pub mailer: std::sync::Arc<dyn crate::auth::mailer::Mailer>,
    /// The site's public address, for links in mail.
    pub public_url: String,
    /// Whether cookies are marked `Secure` (served over HTTPS).
    pub secure_cookies: bool,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The state inside a server function or component rendered on the server.
pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the Leptos context");
        AppError::Internal
    })
}

/// Sets the HTTP status of the current server-function response to match `err`, and returns it.
///
/// Not for a plain form post from a page (a browser without JavaScript:
/// `Accept: text/html` and a `Referer`, which our same-origin pages always
/// send): that one must stay a redirect back to the page, carrying the error
/// in its URL for the page to show next to the fields.
pub fn fail(err: AppError) -> AppError {
    let plain_form_post = use_context::<axum::http::request::Parts>().is_some_and(|parts| {
        let header = |name| parts.headers.get(name).and_then(|v: &axum::http::HeaderValue| v.to_str().ok());
        parts.method == axum::http::Method::POST
            && parts.uri.path().starts_with("/api/")
            && header(axum::http::header::ACCEPT).is_some_and(|accept| accept.contains("text/html"))
            && header(axum::http::header::REFERER).is_some()
    });
    if !plain_form_post && let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(err.status());
    }
    err
}

pub fn leptos_options(config: &Config) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("foothold")
        .site_root(config.site_root.as_str())
        .site_pkg_dir("pkg")
        .site_addr(config.addr)
        .build()
}

/// The application's routes, generated once per process. Generating them
/// renders the app with a process-wide flag set in leptos, and a resource
/// first polled meanwhile, by a page another router is rendering, waits
/// forever (leptos-rs/leptos#4773). Generated once, before the first router
/// exists, no page can be rendering then.
fn routes() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The whole application as an axum router, sending mail to the log.
pub fn router(config: &Config, db: Database) -> Router {
    router_with_mailer(config, db, std::sync::Arc::new(crate::auth::mailer::LogMailer))
}

/// The whole application with a chosen mailer; tests serve it on a free port.
pub fn router_with_mailer(
    config: &Config,
    db: Database,
    mailer: std::sync::Arc<dyn crate::auth::mailer::Mailer>,
) -> Router {
    let sessions = session_layer(config, &db);
    let health = crate::db::health::Health::watch(db.clone());
    let state = AppState {
        leptos_options: leptos_options(config),
        db,
        session_max: config.session_max,
        mailer,
        public_url: config.public_url.clone(),
        secure_cookies: config.secure_cookies,
    };
    let routes = routes();
    let options = &state.leptos_options;
    let site_files = tower_http::services::ServeDir::new(format!("{}/{}", options.site_root, options.site_pkg_dir))
        .precompressed_gzip()
        .precompressed_br();
    let site_files_path = format!("/{}", options.site_pkg_dir);
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/certificates/{id}/{file}", get(crate::api::certificates::download))
        .route("/admin/catalog.json", get(crate::api::transfer::download))
        .leptos_routes_with_context(&state, routes, || provide_context(crate::auth::session::RenderUser::default()), {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        // The site's scripts, wasm and styles straight from `ServeDir`, which
        // answers a browser's revalidation (`If-Modified-Since`) with 304.
        // leptos' file handler below passes on only `Accept-Encoding`, so
        // every revalidation got the whole file again.
        .nest_service(&site_files_path, site_files)
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(axum::middleware::from_fn(crate::finish_pages::layer))
        .layer(sessions)
        // Before the session layer, which reads the database.
        .layer(axum::middleware::from_fn_with_state(health, crate::db::health::refuse_while_down))
        .layer(axum::middleware::from_fn_with_state(
            crate::rate_limit::RateLimiter::new(config.auth_rate_limit),
            crate::rate_limit::limit_account_requests,
        ))
        .layer(axum::middleware::from_fn(crate::security::refuse_cross_site))
        .layer(axum::middleware::from_fn(crate::security::protective_headers))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, config.request_timeout))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// The session cookie: `HttpOnly`, `SameSite=Lax`, `Secure` when configured,
/// ending after the idle timeout; sessions live in MongoDB.
fn session_layer(
    config: &Config,
    db: &Database,
) -> tower_sessions::SessionManagerLayer<crate::auth::session_store::MongoSessionStore> {
    use tower_sessions::cookie::SameSite;
    let idle = time::Duration::seconds(i64::try_from(config.session_idle.as_secs()).unwrap_or(1800));
    tower_sessions::SessionManagerLayer::new(crate::auth::session_store::MongoSessionStore::new(db))
        .with_name("foothold_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(config.secure_cookies)
        .with_expiry(tower_sessions::Expiry::OnInactivity(idle))
}

/// Liveness: the process answers.
async fn healthz() -> &'static str {
    "ok"
}

/// Readiness: the database answers within two seconds.
async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    match tokio::time::timeout(Duration::from_secs(2), crate::db::ping(&state.db)).await {
        Ok(Ok(())) => (StatusCode::OK, "ready"),
        Ok(Err(err)) => {
            tracing::warn!(error = %err, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
        Err(_) => {
            tracing::warn!("readiness check timed out");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Connect(#[from] crate::db::ConnectError),
    #[error("cannot create the database indexes: {0}")]
    Indexes(mongodb::error::Error),
    #[error("cannot prepare the database (derived ids, analytics tallies): {0}")]
    Tallies(crate::db::error::RepoError),
    #[error("cannot listen on {addr}: {source}. Is another program using it? Set FOOTHOLD_ADDR to another address.")]
    Bind { addr: std::net::SocketAddr, source: std::io::Error },
    #[error("the server stopped: {0}")]
    Serve(std::io::Error),
}

/// Connects, creates indexes, and serves until SIGINT/SIGTERM, then drains in-flight requests.
pub async fn serve(config: Config) -> Result<(), ServeError> {
    let db = crate::db::connect(&config.mongodb_uri, &config.database, config.db_timeout).await?;
    let created = crate::db::indexes::ensure_indexes(&db).await.map_err(ServeError::Indexes)?;
    tracing::info!(database = %config.database, indexes = created, "database ready");
    // Documents from before derived ids get them once, before serving.
    if let Some(moved) = crate::db::keys::migrate(&db).await.map_err(ServeError::Tallies)? {
        tracing::info!(?moved, "learners' documents keyed by learner and item");
    }
    // A database from before the analytics tallies existed gets them once, before serving.
    if let Some(report) = crate::db::tallies::ensure(&db).await.map_err(ServeError::Tallies)? {
        tracing::info!(
            tallies = report.tallies,
            learners = report.learners,
            took_ms = report.took_ms as u64,
            "analytics tallies built"
        );
    }

    // No TTL indexes on FerretDB: expired sessions are deleted on a timer.
    crate::auth::session_store::MongoSessionStore::new(&db).spawn_purge(Duration::from_secs(300));
    // The all-time leaderboards are read before anyone asks and kept read.
    tokio::spawn(crate::api::leaderboard::keep_fresh(db.clone()));
    let app = router(&config, db);
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|source| ServeError::Bind { addr: config.addr, source })?;
    let addr = listener.local_addr().map_err(ServeError::Serve)?;
    tracing::info!("Foothold is listening on http://{addr}");
    axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(ServeError::Serve)?;
    tracing::info!("Foothold stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %err, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(err) => {
                tracing::error!(error = %err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

/// Installs the `tracing` subscriber described by the configuration.
pub fn init_tracing(config: &Config) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_new(&config.log_filter).unwrap_or_else(|err| {
        eprintln!("RUST_LOG={:?} is not a valid filter ({err}); using \"info\"", config.log_filter);
        EnvFilter::new("info")
    });
    // Logs go to standard error: standard output belongs to the commands'
    // own output (`foothold export` writes the catalog there).
    use std::io::IsTerminal;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    let result = match config.log_format {
        crate::config::LogFormat::Json => builder.json().try_init(),
        crate::config::LogFormat::Text => builder.try_init(),
    };
    if let Err(err) = result {
        eprintln!("logging was already set up: {err}");
    }
}
