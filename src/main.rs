//! The `foothold` command: `serve` (the default) runs the web server,
//! `seed-demo` loads the demo curriculum (idempotent).

use std::process::ExitCode;

use foothold::config::Config;

const USAGE: &str = "usage: foothold [serve | seed-demo | help]

  serve      run the web server (default)
  seed-demo  load the demo curriculum into the database; safe to run again

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
