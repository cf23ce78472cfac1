//! The `foothold` binary itself: start-up errors and graceful shutdown.

use crate::support;

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn foothold() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_foothold"));
    command.env_clear().env("PATH", std::env::var_os("PATH").unwrap_or_default()).env("RUST_LOG", "info");
    command
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn wait_for_exit(child: &mut std::process::Child, limit: Duration) -> std::process::ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("foothold did not exit within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn unreachable_database_stops_the_server_with_a_clear_message() {
    let output = foothold()
        .args(["serve"])
        .env("MONGODB_URI", "mongodb://127.0.0.1:1/")
        .env("FOOTHOLD_DB_TIMEOUT_SECS", "1")
        .env("FOOTHOLD_ADDR", format!("127.0.0.1:{}", free_port()))
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cannot reach the database at mongodb://127.0.0.1:1/"), "{stderr}");
    assert!(stderr.contains("MONGODB_URI"), "{stderr}");
}

#[test]
fn bad_configuration_names_the_variable() {
    let output = foothold().env("FOOTHOLD_ADDR", "not-an-address").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("FOOTHOLD_ADDR=\"not-an-address\" is not valid"));
}

#[test]
fn unknown_command_prints_usage() {
    let output = foothold().arg("launch-missiles").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("usage: foothold"));
}

#[test]
fn sigterm_stops_the_server_gracefully() {
    let addr = format!("127.0.0.1:{}", free_port());
    let mut child = foothold()
        .args(["serve"])
        .env("MONGODB_URI", support::ferretdb_uri())
        .env("FOOTHOLD_DATABASE", support::unique_database())
        .env("FOOTHOLD_ADDR", &addr)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();

    // Wait until it answers /healthz over plain TCP.
    let start = Instant::now();
    loop {
        if let Ok(mut stream) = std::net::TcpStream::connect(&addr) {
            use std::io::Write;
            stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
            let mut response = String::new();
            let _ = stream.read_to_string(&mut response);
            if response.starts_with("HTTP/1.1 200") {
                break;
            }
        }
        assert!(start.elapsed() < Duration::from_secs(20), "foothold did not start");
        std::thread::sleep(Duration::from_millis(50));
    }

    let pid = child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let status = wait_for_exit(&mut child, Duration::from_secs(10));
    assert!(status.success(), "exit status after SIGTERM: {status}");
    // Logs go to standard error.
    let mut logs = String::new();
    child.stderr.take().unwrap().read_to_string(&mut logs).unwrap();
    assert!(logs.contains("shutting down"), "{logs}");
    assert!(logs.contains("Foothold stopped"), "{logs}");
}

#[test]
fn create_admin_makes_an_active_administrator_without_default_credentials() {
    let database = support::unique_database();
    let run = |password: &str| {
        foothold()
            .args(["create-admin", "first_admin", "first@example.com"])
            .env("MONGODB_URI", support::ferretdb_uri())
            .env("FOOTHOLD_DATABASE", &database)
            .env("FOOTHOLD_ADMIN_PASSWORD", password)
            .output()
            .unwrap()
    };
    let weak = run("password123");
    assert!(!weak.status.success());
    assert!(String::from_utf8_lossy(&weak.stderr).contains("most common"));
    let ok = run("a long and unusual passphrase");
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("Created active administrator first_admin"));
    let again = run("a long and unusual passphrase");
    assert!(!again.status.success(), "a second account with the same name");
    let missing = foothold().args(["create-admin", "only_name"]).output().unwrap();
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn rebuild_recomputes_every_derived_number() {
    let database = support::unique_database();
    let run = |command: &str| {
        foothold()
            .arg(command)
            .env("MONGODB_URI", support::ferretdb_uri())
            .env("FOOTHOLD_DATABASE", &database)
            .output()
            .unwrap()
    };
    let seeded = run("seed-demo");
    assert!(seeded.status.success(), "{}", String::from_utf8_lossy(&seeded.stderr));
    let rebuilt = run("rebuild");
    assert!(rebuilt.status.success(), "{}", String::from_utf8_lossy(&rebuilt.stderr));
    let out = String::from_utf8_lossy(&rebuilt.stdout);
    assert!(
        out.contains(
            "Rebuilt 8 modules, 3 phases, 15 achievements, 0 enrollments, 0 learners' stats and 0 analytics tallies."
        ),
        "{out}"
    );
    // The benchmark's floor needs learners, and says so.
    let floor = run("db-floor");
    assert_eq!(floor.status.code(), Some(1));
    let err = String::from_utf8_lossy(&floor.stderr);
    assert!(err.contains("users is empty: seed the database first (foothold seed-synthetic)"), "{err}");
    // Each command shut its database client down before the runtime stopped
    // (a client dropped then makes the driver panic).
    for output in [&seeded, &rebuilt, &floor] {
        let err = String::from_utf8_lossy(&output.stderr);
        assert!(!err.contains("panicked"), "{err}");
    }
}
