//! The `foothold` command: `serve` (the default) runs the web server,
//! `seed-demo` loads the demo curriculum (idempotent), `export` and `import`
//! move the catalog as JSON.

use std::process::ExitCode;

use foothold::config::Config;
use mongodb::Database;

/// mimalloc instead of glibc's malloc: rendering a page allocates and frees
/// thousands of small strings, and with glibc 45% of the server's CPU went
/// to malloc and free (catalog page, `perf`); with mimalloc the catalog
/// serves 1,850 pages/s instead of 1,270 and RSS under load stays under
/// 80 MB (glibc with two arenas: up to 170 MB). docs/performance.md has the runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str =
    "usage: foothold [serve | seed-demo | seed-synthetic [options] | create-admin USERNAME EMAIL | rebuild
                 | export [--module ID] [--out FILE] | import FILE [--dry-run] | db-floor [options] | help]

  serve           run the web server (default)
  seed-demo       load the demo curriculum into the database; safe to run again
  seed-synthetic  write a large data set for benchmarks into an empty database:
                    --users N (10000)  --modules N (100)
                    --content-per-module N (10)  --progress N (1000000)
                    --sign-in N (0): the first N learners sign in with the
                    password in FOOTHOLD_SYNTHETIC_PASSWORD
                    --sequential 0|1 (1): whether modules require items in order
  create-admin    create an active administrator; the password is read from
                  FOOTHOLD_ADMIN_PASSWORD or, if unset, from the first line of stdin
  rebuild         recompute every derived number from the source documents:
                  module, phase and achievement counters, enrollments' progress
                  every learner's points, level and completions, and the
                  analytics tallies (run it with the server stopped)
  export          write the catalog (phases, modules, content, answer keys
                  included) as JSON to stdout, or to FILE with --out;
                  --module ID writes one module with its content and phase
  import          read a catalog file (FILE, or - for stdin), check all of it,
                  then create new documents and update changed ones (matched
                  by id; safe to run again); --dry-run only reports what it would do
  db-floor        measure what the database serves under Foothold's pages, on a
                  seeded data set: --clients N (50) tasks each read a learner by
                  _id, then a learner and their enrollments, then build a
                  learner's dashboard data (no HTTP, no HTML), then update a
                  progress record by _id, for --seconds N (10) each; prints
                  one line per measure:
                  `read|enrollments|dashboard|write per_second p50_ms p99_ms errors`

Configuration comes from the environment: MONGODB_URI, FOOTHOLD_DATABASE,
FOOTHOLD_ADDR, FOOTHOLD_SITE_ROOT, RUST_LOG, FOOTHOLD_LOG_FORMAT (see README).";

fn main() -> ExitCode {
    match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime.block_on(run()),
        Err(e) => {
            eprintln!("foothold: cannot start the async runtime: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> ExitCode {
    let command = std::env::args().nth(1).unwrap_or_else(|| "serve".into());
    if matches!(command.as_str(), "help" | "--help" | "-h") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(err) => {
            eprintln!("foothold: {err}");
            return ExitCode::from(2);
        }
    };
    foothold::server::init_tracing(&config);

    let result = match command.as_str() {
        "serve" => foothold::server::serve(config).await.map_err(|e| e.to_string()),
        "seed-demo" => {
            connected(&config, async |db| foothold::seed::seed_demo_command(db).await.map_err(|e| e.to_string())).await
        }
        "seed-synthetic" => match synthetic_size(std::env::args().skip(2)) {
            Ok(size) => {
                connected(&config, async |db| {
                    foothold::seed::seed_synthetic_command(db, size).await.map_err(|e| e.to_string())
                })
                .await
            }
            Err(err) => {
                eprintln!("foothold: {err}\n\n{USAGE}");
                return ExitCode::from(2);
            }
        },
        "create-admin" => {
            let mut args = std::env::args().skip(2);
            let (Some(username), Some(email)) = (args.next(), args.next()) else {
                eprintln!("foothold: create-admin needs a username and an email\n\n{USAGE}");
                return ExitCode::from(2);
            };
            create_admin(&config, &username, &email).await
        }
        "rebuild" => rebuild(&config).await,
        "export" => match export_args(std::env::args().skip(2)) {
            Ok((module, out)) => export(&config, module.as_deref(), out.as_deref()).await,
            Err(err) => {
                eprintln!("foothold: {err}\n\n{USAGE}");
                return ExitCode::from(2);
            }
        },
        "import" => match import_args(std::env::args().skip(2)) {
            Ok((file, dry_run)) => import(&config, &file, dry_run).await,
            Err(err) => {
                eprintln!("foothold: {err}\n\n{USAGE}");
                return ExitCode::from(2);
            }
        },
        "db-floor" => match floor_args(std::env::args().skip(2)) {
            Ok((clients, seconds)) => db_floor(&config, clients, seconds).await,
            Err(err) => {
                eprintln!("foothold: {err}\n\n{USAGE}");
                return ExitCode::from(2);
            }
        },
        other => {
            eprintln!("foothold: unknown command {other:?}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!("{err}");
            eprintln!("foothold: {err}");
            ExitCode::FAILURE
        }
    }
}

/// Parses `--users N --modules N --content-per-module N --progress N --sign-in N --sequential 0|1`.
fn synthetic_size(mut args: impl Iterator<Item = String>) -> Result<foothold::seed::synthetic::Size, String> {
    let mut size = foothold::seed::synthetic::Size::default();
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a number"))?;
        let n: usize = value.parse().map_err(|_| format!("{flag} {value:?} is not a whole number"))?;
        match flag.as_str() {
            "--users" => size.users = n.max(1),
            "--modules" => size.modules = n.max(1),
            "--content-per-module" => size.content_per_module = n.max(1),
            "--progress" => size.progress = n,
            "--sign-in" => size.sign_in = n,
            "--sequential" => size.sequential = n != 0,
            other => return Err(format!("unknown option {other:?}")),
        }
    }
    Ok(size)
}

/// Parses `--clients N --seconds N`.
fn floor_args(mut args: impl Iterator<Item = String>) -> Result<(usize, u64), String> {
    let (mut clients, mut seconds) = (50, 10);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("db-floor: {flag} needs a number"))?;
        let n: u64 = value.parse().map_err(|_| format!("db-floor: {flag} {value:?} is not a whole number"))?;
        match flag.as_str() {
            "--clients" => clients = (n as usize).max(1),
            "--seconds" => seconds = n.max(1),
            other => return Err(format!("db-floor: unknown option {other:?}")),
        }
    }
    Ok((clients, seconds))
}

async fn db_floor(config: &Config, clients: usize, seconds: u64) -> Result<(), String> {
    connected(config, async |db| {
        for measure in foothold::floor::measure(db, clients, seconds).await? {
            println!("{measure}");
        }
        Ok(())
    })
    .await
}

async fn rebuild(config: &Config) -> Result<(), String> {
    connected(config, async |db| {
        foothold::db::keys::migrate(db).await.map_err(|e| e.to_string())?;
        let counters = foothold::db::counters::rebuild(db).await.map_err(|e| e.to_string())?;
        let enrollments = foothold::db::learning::refresh_all_enrollments(db).await.map_err(|e| e.to_string())?;
        let learners = foothold::db::stats::rebuild_all(db).await.map_err(|e| e.to_string())?;
        let tallies = foothold::db::tallies::rebuild(db).await.map_err(|e| e.to_string())?;
        println!(
            "Rebuilt {} modules, {} phases, {} achievements, {enrollments} enrollments, {learners} learners' stats \
             and {} analytics tallies.",
            counters.modules, counters.phases, counters.achievements, tallies.tallies
        );
        Ok(())
    })
    .await
}

/// Runs `command` on a connection to the configured database, then shuts
/// the client down whatever it returned: a client merely dropped as the
/// process ends leaves the driver ending its sessions while the runtime
/// stops, and the driver panics then (mongodb 3.x,
/// `cmap/connection_requester.rs:42`).
async fn connected<T>(config: &Config, command: impl AsyncFnOnce(&Database) -> Result<T, String>) -> Result<T, String> {
    let db = foothold::db::connect(&config.mongodb_uri, &config.database, config.db_timeout)
        .await
        .map_err(|e| e.to_string())?;
    let result = command(&db).await;
    db.client().clone().shutdown().immediate(true).await;
    result
}

async fn create_admin(config: &Config, username: &str, email: &str) -> Result<(), String> {
    let password = match std::env::var("FOOTHOLD_ADMIN_PASSWORD") {
        Ok(password) => password,
        Err(_) => {
            eprintln!("Password for {username} (one line on stdin):");
            let mut line = String::new();
            std::io::stdin().read_line(&mut line).map_err(|e| format!("cannot read the password: {e}"))?;
            line.trim_end_matches(['\r', '\n']).to_string()
        }
    };
    connected(config, async |db| {
        foothold::db::indexes::ensure_indexes(db).await.map_err(|e| e.to_string())?;
        let admin = foothold::auth::bootstrap::create_admin(db, username, email, &password).await?;
        println!("Created active administrator {} ({}).", admin.username, admin.email);
        Ok(())
    })
    .await
}

/// Parses `[--module ID] [--out FILE]`.
fn export_args(mut args: impl Iterator<Item = String>) -> Result<(Option<String>, Option<String>), String> {
    let (mut module, mut out) = (None, None);
    while let Some(flag) = args.next() {
        let slot = match flag.as_str() {
            "--module" => &mut module,
            "--out" => &mut out,
            other => return Err(format!("export: unknown option {other:?}")),
        };
        *slot = Some(args.next().ok_or_else(|| format!("export: {flag} needs a value"))?);
    }
    Ok((module, out))
}

/// Parses `FILE [--dry-run]` (in either order).
fn import_args(args: impl Iterator<Item = String>) -> Result<(String, bool), String> {
    let (mut file, mut dry_run) = (None, false);
    for arg in args {
        match arg.as_str() {
            "--dry-run" => dry_run = true,
            other if other.starts_with("--") => return Err(format!("import: unknown option {other:?}")),
            _ if file.is_some() => return Err(format!("import: one file at a time ({arg:?} is one too many)")),
            _ => file = Some(arg),
        }
    }
    Ok((file.ok_or("import needs the catalog file to read (or - for stdin)")?, dry_run))
}

async fn export(config: &Config, module: Option<&str>, out: Option<&str>) -> Result<(), String> {
    let file = connected(config, async |db| {
        match module {
            Some(id) => {
                let id = foothold::db::oid(id, "--module").map_err(|e| e.to_string())?;
                foothold::db::transfer::export_module(db, id).await
            }
            None => foothold::db::transfer::export_catalog(db).await,
        }
        .map_err(|e| e.to_string())
    })
    .await?;
    let text = file.to_json().map_err(|e| format!("cannot write the catalog as JSON: {e}"))?;
    let (phases, modules, content) = file.counts();
    match out {
        None => println!("{text}"),
        Some(path) => {
            std::fs::write(path, format!("{text}\n")).map_err(|e| format!("cannot write {path}: {e}"))?;
            eprintln!("Exported {phases} phase(s), {modules} module(s) and {content} content item(s) to {path}.");
        }
    }
    Ok(())
}

async fn import(config: &Config, path: &str, dry_run: bool) -> Result<(), String> {
    let text = if path == "-" {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
            .map_err(|e| format!("cannot read the catalog from stdin: {e}"))?;
        text
    } else {
        std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?
    };
    let file = foothold::db::transfer::parse(&text).map_err(|errors| {
        let lines: Vec<String> = errors.0.iter().map(|(field, message)| format!("  {field}: {message}")).collect();
        format!("{path} cannot be imported:\n{}", lines.join("\n"))
    })?;
    let report = connected(config, async |db| {
        foothold::db::indexes::ensure_indexes(db).await.map_err(|e| e.to_string())?;
        foothold::db::transfer::import(db, &file, dry_run).await.map_err(|e| e.to_string())
    })
    .await?;
    if !report.errors.is_empty() {
        let lines: Vec<String> = report.errors.iter().map(|p| format!("  {}: {}", p.path, p.message)).collect();
        return Err(format!("{path} was refused; nothing was written:\n{}", lines.join("\n")));
    }
    println!("{}", report.summary());
    Ok(())
}
