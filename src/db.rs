//! Server-only database access: one file per collection, plus connection and indexes.
//!
//! Every query here must work on FerretDB 1.24 and MongoDB 7 alike
//! (see `spec/ferretdb.md`): no transactions, no `$lookup`, no text or TTL indexes.

pub mod achievement;
pub mod analytics;
pub mod audit;
pub mod awards;
pub mod cache;
pub mod catalog;
pub mod certificate;
pub mod content;
pub mod counters;
pub mod enrollment;
pub mod error;
pub mod gating;
pub mod health;
pub mod indexes;
pub mod keys;
pub mod learning;
pub mod lock;
pub mod module;
pub mod phase;
pub mod progress;
pub mod stats;
pub mod structure;
pub mod tallies;
pub mod transfer;
pub mod user;

use std::time::Duration;

use mongodb::bson::doc;
use mongodb::options::ClientOptions;
use mongodb::{Client, Database};

/// Collection names, exactly as the spec's Mongoose models would name them.
pub mod collections {
    pub const USERS: &str = "users";
    pub const PHASES: &str = "phases";
    pub const MODULES: &str = "modules";
    pub const CONTENTS: &str = "contents";
    pub const ENROLLMENTS: &str = "userenrollments";
    pub const PROGRESS: &str = "userprogresses";
    pub const ACHIEVEMENTS: &str = "achievements";
    pub const USER_ACHIEVEMENTS: &str = "userachievements";
}

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("MONGODB_URI {uri:?} is not a valid connection string: {source}")]
    BadUri { uri: String, source: mongodb::error::Error },
    #[error(
        "cannot reach the database at {uri}: {source}. Start the embedded database \
         (scripts/run.sh does it) or point MONGODB_URI at a running MongoDB."
    )]
    Unreachable { uri: String, source: mongodb::error::Error },
}

/// Connects and proves the server answers, so a bad URI fails at start, not at the first page.
pub async fn connect(uri: &str, database: &str, timeout: Duration) -> Result<Database, ConnectError> {
    let mut options =
        ClientOptions::parse(uri).await.map_err(|source| ConnectError::BadUri { uri: redact(uri), source })?;
    options.app_name = Some("foothold".into());
    // Once running, an operation waits at most this long for a database that
    // went away (then the request is answered 503); at start the database
    // gets `timeout` to come up.
    options.server_selection_timeout = Some(timeout.min(RUNTIME_SELECTION_TIMEOUT));
    options.connect_timeout = Some(timeout.min(CONNECT_TIMEOUT));
    let client = Client::with_options(options).map_err(|source| ConnectError::BadUri { uri: redact(uri), source })?;
    let db = client.database(database);
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        match ping(&db).await {
            Ok(()) => return Ok(db),
            Err(source) if tokio::time::Instant::now() >= deadline => {
                return Err(ConnectError::Unreachable { uri: redact(uri), source });
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}

/// How long a running server's database operation waits for a database
/// that is not answering before it fails (and the request is answered 503).
pub const RUNTIME_SELECTION_TIMEOUT: Duration = Duration::from_secs(1);
/// How long opening a connection may take (longer than selection: a busy
/// database that answers slowly is not a missing one).
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

/// Parses an id that came from the browser, reporting a bad one against `field`.
pub fn oid(id: &str, field: &str) -> Result<mongodb::bson::oid::ObjectId, error::RepoError> {
    mongodb::bson::oid::ObjectId::parse_str(id).map_err(|_| {
        error::RepoError::field(field, format!("Cast to ObjectId failed for value \"{id}\" at path \"{field}\""))
    })
}

/// Parses a list of ids, reporting each bad one as `field.N`.
pub fn oids(ids: &[String], field: &str) -> Result<Vec<mongodb::bson::oid::ObjectId>, error::RepoError> {
    ids.iter().enumerate().map(|(i, id)| oid(id, &format!("{field}.{i}"))).collect()
}

/// Whether every id in `ids` names a document of `collection`; the first missing one otherwise.
pub async fn first_missing(
    db: &Database,
    collection: &str,
    ids: &[mongodb::bson::oid::ObjectId],
) -> mongodb::error::Result<Option<usize>> {
    use futures::TryStreamExt;
    if ids.is_empty() {
        return Ok(None);
    }
    let found: Vec<mongodb::bson::Document> = db
        .collection::<mongodb::bson::Document>(collection)
        .find(doc! { "_id": { "$in": ids.to_vec() } })
        .projection(doc! { "_id": 1 })
        .await?
        .try_collect()
        .await?;
    let found: std::collections::HashSet<_> = found.iter().filter_map(|d| d.get_object_id("_id").ok()).collect();
    Ok(ids.iter().position(|id| !found.contains(id)))
}

/// The documents of `collection` matching `filter`, with only the fields in
/// `projection`.
pub async fn projected(
    db: &Database,
    collection: &str,
    filter: mongodb::bson::Document,
    projection: mongodb::bson::Document,
) -> mongodb::error::Result<Vec<mongodb::bson::Document>> {
    use futures::TryStreamExt;
    db.collection::<mongodb::bson::Document>(collection).find(filter).projection(projection).await?.try_collect().await
}

/// `(id, title)` of the documents of `collection` matching `filter`, sorted by `sort`.
pub async fn titles(
    db: &Database,
    collection: &str,
    filter: mongodb::bson::Document,
    sort: mongodb::bson::Document,
) -> mongodb::error::Result<Vec<(mongodb::bson::oid::ObjectId, String)>> {
    use futures::TryStreamExt;
    let docs: Vec<mongodb::bson::Document> = db
        .collection::<mongodb::bson::Document>(collection)
        .find(filter)
        .sort(sort)
        .projection(doc! { "title": 1 })
        .await?
        .try_collect()
        .await?;
    Ok(docs.iter().filter_map(|d| Some((d.get_object_id("_id").ok()?, d.get_str("title").ok()?.to_string()))).collect())
}

/// Removes a deleted phase or module from the `prerequisites` of the others in `collection`.
pub async fn forget_prerequisite(
    db: &Database,
    collection: &str,
    id: mongodb::bson::oid::ObjectId,
) -> mongodb::error::Result<()> {
    db.collection::<mongodb::bson::Document>(collection)
        .update_many(doc! { "prerequisites": id }, doc! { "$pull": { "prerequisites": id } })
        .await
        .map(|_| ())
}

/// A number at a dotted `path` of a document read without a type (stored
/// as a double, or as an integer by older writers and the synthetic data set).
pub fn number(d: &mongodb::bson::Document, path: &str) -> Option<f64> {
    use mongodb::bson::Bson;
    let mut current = d;
    let mut parts = path.split('.').peekable();
    while let Some(part) = parts.next() {
        let value = current.get(part)?;
        if parts.peek().is_none() {
            return match value {
                Bson::Double(x) => Some(*x),
                Bson::Int32(x) => Some(f64::from(*x)),
                Bson::Int64(x) => Some(*x as f64),
                _ => None,
            };
        }
        current = value.as_document()?;
    }
    None
}

/// One round trip to the server; `/readyz` uses it.
pub async fn ping(db: &Database) -> mongodb::error::Result<()> {
    db.run_command(doc! { "ping": 1 }).await.map(|_| ())
}

/// The URI without its password, fit for logs and error messages.
pub fn redact(uri: &str) -> String {
    let Some((scheme, rest)) = uri.split_once("://") else {
        return uri.to_string();
    };
    match rest.split_once('@') {
        Some((credentials, host)) if credentials.contains(':') => {
            let user = credentials.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}:***@{host}")
        }
        _ => uri.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn redact_hides_only_the_password() {
        assert_eq!(redact("mongodb://127.0.0.1:27017/"), "mongodb://127.0.0.1:27017/");
        assert_eq!(redact("mongodb://app:s3cret@db:27017/x"), "mongodb://app:***@db:27017/x");
        assert_eq!(redact("mongodb+srv://app@cluster/"), "mongodb+srv://app@cluster/");
    }
}
