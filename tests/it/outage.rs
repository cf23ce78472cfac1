//! The database going away: Foothold answers 503 at once instead of
//! waiting, keeps answering what needs no database, and serves again by
//! itself when the database is back. Uses its own FerretDB (killed and
//! restarted on the same files and port), not the shared one.

use crate::support;

use std::time::{Duration, Instant};

/// Status and how long the answer took.
async fn timed(request: reqwest::RequestBuilder) -> (u16, Duration) {
    let start = Instant::now();
    let status = request.send().await.map(|r| r.status().as_u16()).unwrap_or(0);
    (status, start.elapsed())
}

#[tokio::test]
async fn while_the_database_is_down_requests_get_503_at_once_and_serving_resumes_by_itself() {
    let dir = std::env::temp_dir().join(format!("foothold-outage-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let listen = format!("127.0.0.1:{port}");
    let (mut ferretdb, uri) = support::own_ferretdb(&dir, &listen);

    let mut config = support::test_config("outage");
    config.mongodb_uri = uri;
    let db = foothold::db::connect(&config.mongodb_uri, &config.database, Duration::from_secs(10)).await.unwrap();
    foothold::db::indexes::ensure_indexes(&db).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = foothold::server::router(&config, db);
    tokio::spawn(async move {
        axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>()).await.unwrap();
    });
    let http = reqwest::Client::new();
    let page = || http.get(format!("{base}/u/nobody"));
    let login = || {
        http.post(format!("{base}/api/auth/login"))
            .header("origin", &base)
            .form(&[("login", "nobody"), ("password", "not a password")])
    };
    assert_eq!(timed(page()).await.0, 404, "a missing profile, read from the database");

    ferretdb.kill().unwrap();
    ferretdb.wait().unwrap();
    let mut answers = Vec::new();
    for _ in 0..10 {
        answers.push(("page", timed(page()).await));
        answers.push(("login", timed(login()).await));
    }
    for (what, (status, took)) in &answers {
        assert_eq!(*status, 503, "{what} while the database is down: {answers:?}");
        assert!(*took < Duration::from_millis(1500), "{what} took {took:?} while the database is down: {answers:?}");
    }
    // Once the gate is closed the answer comes at once.
    let (status, took) = timed(page()).await;
    assert_eq!(status, 503);
    assert!(took < Duration::from_millis(100), "a page took {took:?} with the gate closed");
    let unavailable = page().send().await.unwrap();
    assert_eq!(unavailable.headers()["retry-after"], "5");
    assert!(unavailable.text().await.unwrap().contains("cannot reach its database"));
    let json = login().send().await.unwrap().text().await.unwrap();
    assert_eq!(json, "\"Unavailable\"", "server functions answer their usual JSON error");
    assert_eq!(timed(http.get(format!("{base}/healthz"))).await.0, 200, "liveness needs no database");
    assert_eq!(timed(http.get(format!("{base}/readyz"))).await.0, 503, "readiness says it");

    let (mut ferretdb, _) = support::own_ferretdb(&dir, &listen);
    let restarted = Instant::now();
    loop {
        if timed(page()).await.0 == 404 {
            break;
        }
        assert!(restarted.elapsed() < Duration::from_secs(5), "still not serving 5 s after the database came back");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(timed(login()).await.0, 401, "a wrong password is refused as usual again");
    ferretdb.kill().unwrap();
    ferretdb.wait().unwrap();
    std::fs::remove_dir_all(&dir).ok();
}

/// A router's database watcher ends with the router: a process that builds
/// routers (the tests do, one or more each) does not keep pinging for every
/// router it dropped.
#[tokio::test]
async fn the_database_watcher_stops_when_its_router_is_dropped() {
    let config = support::test_config(&support::unique_database());
    let (db, commands) = support::watched_database(&config).await;
    let count = || commands.lock().unwrap().iter().filter(|(name, _)| name == "ping").count();

    let health = foothold::db::health::Health::watch(db);
    let interval = foothold::db::health::INTERVAL_UP;
    tokio::time::sleep(interval * 3).await;
    assert!(count() >= 2, "the watcher pings while its router lives ({} pings)", count());

    drop(health);
    // A ping already under way may still finish.
    tokio::time::sleep(interval * 2).await;
    let after_drop = count();
    tokio::time::sleep(interval * 4).await;
    assert_eq!(count(), after_drop, "the watcher still pings after its router was dropped");
}
