//! Runtime configuration, read from the environment with safe defaults.
//!
//! | variable | default | meaning |
//! | --- | --- | --- |
//! | `MONGODB_URI` | `mongodb://127.0.0.1:27017/` | MongoDB or FerretDB to use |
//! | `FOOTHOLD_DATABASE` | `foothold` | database name |
//! | `FOOTHOLD_ADDR` | `127.0.0.1:3000` | address the web server listens on |
//! | `FOOTHOLD_SITE_ROOT` | `target/site` | folder with the built CSS, JS, wasm and `public/` files |
//! | `RUST_LOG` | `info` | log filter (`tracing_subscriber::EnvFilter` syntax) |
//! | `FOOTHOLD_LOG_FORMAT` | `text` | `text` or `json` |
//! | `FOOTHOLD_REQUEST_TIMEOUT_SECS` | `30` | requests running longer get 408 |
//! | `FOOTHOLD_DB_TIMEOUT_SECS` | `10` | how long to wait for the database at start |
//! | `FOOTHOLD_SECURE_COOKIES` | `false` | mark the session cookie `Secure` (set when served over HTTPS) |
//! | `FOOTHOLD_SESSION_IDLE_MINUTES` | `30` | a session ends after this long without a request |
//! | `FOOTHOLD_SESSION_MAX_HOURS` | `12` | a session ends this long after sign-in, active or not |
//! | `FOOTHOLD_PUBLIC_URL` | `http://<FOOTHOLD_ADDR>` | the address learners use, for links in mail |

use std::net::SocketAddr;
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub mongodb_uri: String,
    pub database: String,
    pub addr: SocketAddr,
    pub site_root: String,
    pub log_filter: String,
    pub log_format: LogFormat,
    /// How long a request may take before the server answers 408.
    pub request_timeout: Duration,
    /// How long start-up waits for the database before giving up.
    pub db_timeout: Duration,
    /// Whether the session cookie carries `Secure` (HTTPS deployments).
    pub secure_cookies: bool,
    /// Idle timeout of a session.
    pub session_idle: Duration,
    /// Absolute lifetime of a session from sign-in.
    pub session_max: Duration,
    /// The site's address as learners reach it (no trailing slash), for links in mail.
    pub public_url: String,
    /// Account requests (sign-in, sign-up, password and two-factor changes)
    /// one client address may make per minute.
    pub auth_rate_limit: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("{name}={value:?} is not valid: {reason}")]
    Invalid { name: &'static str, value: String, reason: String },
}

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads configuration through `lookup`, so tests need not touch the process environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let get = |name: &str, default: &str| {
            lookup(name).filter(|v| !v.trim().is_empty()).unwrap_or_else(|| default.to_string())
        };

        let mongodb_uri = get("MONGODB_URI", "mongodb://127.0.0.1:27017/");
        if !(mongodb_uri.starts_with("mongodb://") || mongodb_uri.starts_with("mongodb+srv://")) {
            return Err(ConfigError::Invalid {
                name: "MONGODB_URI",
                value: mongodb_uri,
                reason: "it must start with mongodb:// or mongodb+srv://".into(),
            });
        }

        let database = get("FOOTHOLD_DATABASE", "foothold");
        if database.len() > 63 || database.chars().any(|c| "/\\. \"$*<>:|?".contains(c)) {
            return Err(ConfigError::Invalid {
                name: "FOOTHOLD_DATABASE",
                value: database,
                reason: "use at most 63 letters, digits, '-' or '_'".into(),
            });
        }

        let addr_text = get("FOOTHOLD_ADDR", "127.0.0.1:3000");
        let addr = addr_text.parse().map_err(|e| ConfigError::Invalid {
            name: "FOOTHOLD_ADDR",
            value: addr_text.clone(),
            reason: format!("{e}; write it like 127.0.0.1:3000"),
        })?;

        let log_format = match get("FOOTHOLD_LOG_FORMAT", "text").as_str() {
            "text" => LogFormat::Text,
            "json" => LogFormat::Json,
            other => {
                return Err(ConfigError::Invalid {
                    name: "FOOTHOLD_LOG_FORMAT",
                    value: other.into(),
                    reason: "use text or json".into(),
                });
            }
        };

        let seconds = |name: &'static str, default: &str| {
            let text = get(name, default);
            text.parse::<u64>().ok().filter(|s| (1..=600).contains(s)).map(Duration::from_secs).ok_or_else(|| {
                ConfigError::Invalid {
                    name,
                    value: text.clone(),
                    reason: "use a whole number of seconds from 1 to 600".into(),
                }
            })
        };
        let request_timeout = seconds("FOOTHOLD_REQUEST_TIMEOUT_SECS", "30")?;
        let db_timeout = seconds("FOOTHOLD_DB_TIMEOUT_SECS", "10")?;
        let secure_cookies = match get("FOOTHOLD_SECURE_COOKIES", "false").as_str() {
            "true" | "1" => true,
            "false" | "0" => false,
            other => {
                return Err(ConfigError::Invalid {
                    name: "FOOTHOLD_SECURE_COOKIES",
                    value: other.into(),
                    reason: "use true or false".into(),
                });
            }
        };
        let whole = |name: &'static str, default: &str, max: u64, unit: u64| {
            let text = get(name, default);
            text.parse::<u64>()
                .ok()
                .filter(|n| (1..=max).contains(n))
                .map(|n| Duration::from_secs(n * unit))
                .ok_or_else(|| ConfigError::Invalid {
                    name,
                    value: text.clone(),
                    reason: format!("use a whole number from 1 to {max}"),
                })
        };
        let session_idle = whole("FOOTHOLD_SESSION_IDLE_MINUTES", "30", 24 * 60, 60)?;
        let session_max = whole("FOOTHOLD_SESSION_MAX_HOURS", "12", 24 * 30, 3600)?;

        let rate_text = get("FOOTHOLD_AUTH_RATE_LIMIT", "20");
        let auth_rate_limit = rate_text.parse::<u32>().ok().filter(|n| (1..=100_000).contains(n)).ok_or_else(|| {
            ConfigError::Invalid {
                name: "FOOTHOLD_AUTH_RATE_LIMIT",
                value: rate_text.clone(),
                reason: "use a whole number of requests per minute from 1 to 100000".into(),
            }
        })?;

        let public_url = get("FOOTHOLD_PUBLIC_URL", &format!("http://{addr}")).trim_end_matches('/').to_string();
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            return Err(ConfigError::Invalid {
                name: "FOOTHOLD_PUBLIC_URL",
                value: public_url,
                reason: "it must start with http:// or https://".into(),
            });
        }
        Ok(Config {
            mongodb_uri,
            database,
            addr,
            site_root: get("FOOTHOLD_SITE_ROOT", "target/site"),
            log_filter: get("RUST_LOG", "info"),
            log_format,
            request_timeout,
            db_timeout,
            secure_cookies,
            session_idle,
            session_max,
            public_url,
            auth_rate_limit,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let vars: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_lookup(|name| vars.get(name).cloned())
    }

    #[test]
    fn defaults_apply_when_nothing_is_set() {
        let c = config(&[]).unwrap();
        assert_eq!(c.mongodb_uri, "mongodb://127.0.0.1:27017/");
        assert_eq!(c.database, "foothold");
        assert_eq!(c.addr, "127.0.0.1:3000".parse().unwrap());
        assert_eq!(c.site_root, "target/site");
        assert_eq!(c.log_filter, "info");
        assert_eq!(c.log_format, LogFormat::Text);
        assert_eq!(c.request_timeout, Duration::from_secs(30));
        assert_eq!(c.db_timeout, Duration::from_secs(10));
        assert!(!c.secure_cookies);
        assert_eq!(c.public_url, "http://127.0.0.1:3000");
        assert_eq!(c.auth_rate_limit, 20);
        assert_eq!((c.session_idle, c.session_max), (Duration::from_secs(1800), Duration::from_secs(12 * 3600)));
    }

    #[test]
    fn values_from_the_environment_win() {
        let c = config(&[
            ("MONGODB_URI", "mongodb://db.example:27018/"),
            ("FOOTHOLD_DATABASE", "foothold_test"),
            ("FOOTHOLD_ADDR", "0.0.0.0:8080"),
            ("FOOTHOLD_LOG_FORMAT", "json"),
            ("FOOTHOLD_REQUEST_TIMEOUT_SECS", "5"),
        ])
        .unwrap();
        assert_eq!(c.mongodb_uri, "mongodb://db.example:27018/");
        assert_eq!(c.database, "foothold_test");
        assert_eq!(c.addr.port(), 8080);
        assert_eq!(c.log_format, LogFormat::Json);
        assert_eq!(c.request_timeout, Duration::from_secs(5));
    }

    #[test]
    fn bad_values_name_the_variable() {
        for (name, value) in [
            ("MONGODB_URI", "http://localhost"),
            ("FOOTHOLD_DATABASE", "my.db"),
            ("FOOTHOLD_ADDR", "localhost"),
            ("FOOTHOLD_LOG_FORMAT", "xml"),
            ("FOOTHOLD_REQUEST_TIMEOUT_SECS", "0"),
            ("FOOTHOLD_DB_TIMEOUT_SECS", "ten"),
            ("FOOTHOLD_SECURE_COOKIES", "yes"),
            ("FOOTHOLD_SESSION_IDLE_MINUTES", "0"),
            ("FOOTHOLD_SESSION_MAX_HOURS", "10000"),
            ("FOOTHOLD_PUBLIC_URL", "foothold.example"),
            ("FOOTHOLD_AUTH_RATE_LIMIT", "0"),
        ] {
            let err = config(&[(name, value)]).unwrap_err();
            assert!(err.to_string().starts_with(&format!("{name}=")), "{err}");
        }
    }
}
