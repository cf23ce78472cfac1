//! The `foothold` command: `serve` (the default) runs the web server,
//! `seed-demo` loads the demo curriculum (idempotent).

use std::process::ExitCode;

use foothold::config::Config;

const USAGE: &str =
    "usage: foothold [serve | seed-demo | seed-synthetic [options] | create-admin USERNAME EMAIL | rebuild | help]

  serve           run the web server (default)
  seed-demo       load the demo curriculum into the database; safe to run again
  seed-synthetic  write a large data set for benchmarks into an empty database:
                    --users N (10000)  --modules N (100)
                    --content-per-module N (10)  --progress N (1000000)
  create-admin    create an active administrator; the password is read from
                  FOOTHOLD_ADMIN_PASSWORD or, if unset, from the first line of stdin
  rebuild         recompute every derived number from the source documents:
                  module, phase and achievement counters, enrollments' progress
                  and every learner's points, level and completions

Configuration comes from the environment: MONGODB_URI, FOOTHOLD_DATABASE,
FOOTHOLD_ADDR, FOOTHOLD_SITE_ROOT, RUST_LOG, FOOTHOLD_LOG_FORMAT (see README).";

#[tokio::main]
async fn main() -> ExitCode {
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
        "seed-demo" => foothold::seed::seed_demo_from_config(&config).await.map_err(|e| e.to_string()),
        "seed-synthetic" => match synthetic_size(std::env::args().skip(2)) {
            Ok(size) => foothold::seed::seed_synthetic_from_config(&config, size).await.map_err(|e| e.to_string()),
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

/// Parses `--users N --modules N --content-per-module N --progress N`.
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
            other => return Err(format!("unknown option {other:?}")),
        }
    }
    Ok(size)
}

async fn rebuild(config: &Config) -> Result<(), String> {
    let db = foothold::db::connect(&config.mongodb_uri, &config.database, config.db_timeout)
        .await
        .map_err(|e| e.to_string())?;
    let counters = foothold::db::counters::rebuild(&db).await.map_err(|e| e.to_string())?;
    let enrollments = foothold::db::learning::refresh_all_enrollments(&db).await.map_err(|e| e.to_string())?;
    let learners = foothold::db::stats::rebuild_all(&db).await.map_err(|e| e.to_string())?;
    println!(
        "Rebuilt {} modules, {} phases, {} achievements, {enrollments} enrollments and {learners} learners' stats.",
        counters.modules, counters.phases, counters.achievements
    );
    Ok(())
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
    let db = foothold::db::connect(&config.mongodb_uri, &config.database, config.db_timeout)
        .await
        .map_err(|e| e.to_string())?;
    foothold::db::indexes::ensure_indexes(&db).await.map_err(|e| e.to_string())?;
    let admin = foothold::auth::bootstrap::create_admin(&db, username, email, &password).await?;
    println!("Created active administrator {} ({}).", admin.username, admin.email);
    Ok(())
}
