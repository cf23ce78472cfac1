//! `/leaderboard`: learners ranked by points or by current streak, over all
//! time or the last 7 days, with the caller's own rank always shown.
//!
//! All-time boards read the spec's indexes (`stats.totalPoints: -1`,
//! `currentStreak: -1`) with a limit; the caller's rank is one count of
//! learners ahead. The weekly points board sums the points of completions
//! dated in the last 7 days (points of modules and achievements are not
//! dated). Streak boards list streaks still alive (extended today or
//! yesterday); "this week" counts at most the last 7 days of each.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// Rows shown per board.
pub const TOP: usize = 50;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub rank: u64,
    pub name: String,
    pub username: String,
    pub value: i64,
    pub is_me: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Board {
    /// `points` or `streak`.
    pub by: String,
    /// `all` or `week`.
    pub period: String,
    pub rows: Vec<Row>,
    /// The caller's own row when they are signed in (also when outside the top).
    pub me: Option<Row>,
}

#[server(endpoint = "leaderboard")]
pub async fn get_leaderboard(by: String, period: String) -> Result<Board, AppError> {
    let me = crate::auth::session::request_user().await?;
    let db = crate::server::state()?.db;
    ssr::board(&db, me, &by, &period).await.map_err(crate::server::fail)
}

#[cfg(feature = "ssr")]
pub use ssr::keep_fresh;

#[cfg(feature = "ssr")]
mod ssr {
    use std::collections::HashMap;
    use std::sync::atomic::{AtomicI64, Ordering};
    use std::time::Duration;

    use futures::TryStreamExt;
    use mongodb::Database;
    use mongodb::bson::oid::ObjectId;
    use mongodb::bson::{DateTime, Document, doc};

    use super::{Board, Row, TOP};
    use crate::db::collections::{CONTENTS, PROGRESS, USERS};
    use crate::db::user::User;
    use crate::domain::points::{Completion, item_points};
    use crate::error::AppError;
    use crate::model::{ContentType, Difficulty};

    const WEEK_MS: i64 = 7 * 86_400_000;
    /// How long a board is served before it is read again.
    const BOARD_TTL: Duration = Duration::from_secs(60);
    /// How often [`keep_fresh`] reads the all-time boards again, while
    /// someone has looked at one within [`VIEWED_WITHIN`].
    const REFRESH: Duration = Duration::from_secs(30);
    const VIEWED_WITHIN: Duration = Duration::from_secs(300);
    /// The fields of the all-time boards: points, and streaks still alive.
    const POINTS: &str = "stats.totalPoints";
    const STREAK: &str = "currentStreak";

    /// When a board was last asked for (ms since the epoch).
    static LAST_VIEWED: AtomicI64 = AtomicI64::new(0);

    /// Keeps the all-time boards read (runs as long as the server): once at
    /// start, then every [`REFRESH`] while anyone looks at them. Reading one
    /// is a scan of every learner on FerretDB/SQLite (about a second among
    /// 10,000); done here, no request waits for it, and a board a request
    /// finds expired or outdated is shown as it was while it is read again.
    pub async fn keep_fresh(db: Database) {
        let mut first = true;
        loop {
            let viewed = DateTime::now().timestamp_millis() - LAST_VIEWED.load(Ordering::Relaxed);
            if first || viewed < VIEWED_WITHIN.as_millis() as i64 {
                for field in [POINTS, STREAK] {
                    if let Err(e) = crate::db::cache::reload(&db, board_key(field), load(&db, field)).await {
                        tracing::warn!(target: "leaderboard", error = %e, "could not read the {field} board again");
                    }
                }
            }
            first = false;
            tokio::time::sleep(REFRESH).await;
        }
    }

    fn invalid(field: &str, message: &str) -> AppError {
        let mut e = crate::model::FieldErrors::new();
        e.add(field, message);
        AppError::Invalid(e)
    }

    fn name_of(d: &Document) -> (String, String) {
        let username = d.get_str("username").unwrap_or_default().to_string();
        let display = d
            .get_document("profile")
            .ok()
            .and_then(|p| p.get_str("displayName").ok())
            .filter(|n| !n.is_empty())
            .map(str::to_string)
            .unwrap_or_else(|| username.clone());
        (display, username)
    }

    /// A whole number at a dotted path (0 when absent).
    fn whole(d: &Document, path: &str) -> i64 {
        crate::db::number(d, path).unwrap_or(0.0) as i64
    }

    pub async fn board(db: &Database, me: Option<User>, by: &str, period: &str) -> Result<Board, AppError> {
        LAST_VIEWED.store(DateTime::now().timestamp_millis(), Ordering::Relaxed);
        let rows_and_me = match (by, period) {
            ("points", "all") => indexed(db, me.as_ref(), POINTS).await?,
            ("streak", "all" | "week") => {
                let (mut rows, mut me_row) = indexed(db, me.as_ref(), STREAK).await?;
                if period == "week" {
                    // This week: days in a row within the last 7.
                    for row in rows.iter_mut().chain(me_row.iter_mut()) {
                        row.value = row.value.min(7);
                    }
                    rerank(&mut rows);
                }
                (rows, me_row)
            }
            ("points", "week") => weekly_points(db, me.as_ref()).await?,
            ("points" | "streak", _) => return Err(invalid("period", "Choose all or week")),
            _ => return Err(invalid("by", "Choose points or streak")),
        };
        let (rows, me_row) = rows_and_me;
        Ok(Board { by: by.to_string(), period: period.to_string(), rows, me: me_row })
    }

    /// Ranks rows already sorted by value (equal values share a rank).
    fn rerank(rows: &mut [Row]) {
        let mut previous = None;
        let mut rank = 0;
        for (i, row) in rows.iter_mut().enumerate() {
            if previous != Some(row.value) {
                rank = i as u64 + 1;
                previous = Some(row.value);
            }
            row.rank = rank;
        }
    }

    fn board_key(field: &str) -> String {
        format!("leaderboard:{field}")
    }

    /// The top of a board and every value on it, highest first.
    type Loaded = (Vec<Document>, Vec<i64>);

    /// Every learner on the board of `field` (a scan on FerretDB/SQLite):
    /// the [`TOP`] rows and every value, highest first.
    async fn load(db: &Database, field: &str) -> Result<Loaded, AppError> {
        let mut filter = doc! { "role": "student", field: { "$gt": 0 } };
        if field == STREAK {
            // Only streaks still alive: extended yesterday or today (two days covers every time zone).
            let alive = DateTime::from_millis(DateTime::now().timestamp_millis() - 2 * 86_400_000);
            filter.insert("lastActivityDate", doc! { "$gte": alive });
        }
        let mut all: Vec<Document> = db
            .collection::<Document>(USERS)
            .find(filter)
            .projection(doc! { "username": 1, "profile.displayName": 1, field: 1 })
            .await?
            .try_collect()
            .await?;
        all.sort_by(|a, b| {
            whole(b, field)
                .cmp(&whole(a, field))
                .then_with(|| a.get_object_id("_id").ok().cmp(&b.get_object_id("_id").ok()))
        });
        let values: Vec<i64> = all.iter().map(|d| whole(d, field)).collect();
        all.truncate(TOP);
        Ok((all, values))
    }

    /// A board of learners ranked by `field`.
    async fn indexed(db: &Database, me: Option<&User>, key: &str) -> Result<(Vec<Row>, Option<Row>), AppError> {
        let board = crate::db::cache::get_or_load_within(db, board_key(key), BOARD_TTL, load(db, key)).await?;
        let (top, values) = board.as_ref();
        let mut rows: Vec<Row> = top
            .iter()
            .map(|d| {
                let (name, username) = name_of(d);
                let is_me = me.is_some_and(|m| d.get_object_id("_id").ok() == Some(m.id));
                Row { rank: 0, name, username, value: whole(d, key), is_me }
            })
            .collect();
        rerank(&mut rows);
        let me_row = match me {
            None => None,
            Some(m) => match rows.iter().find(|r| r.is_me) {
                Some(row) => Some(row.clone()),
                None => {
                    let mine = db
                        .collection::<Document>(USERS)
                        .find_one(doc! { "_id": m.id })
                        .projection(doc! { "username": 1, "profile.displayName": 1, key: 1, "lastActivityDate": 1 })
                        .await?
                        .ok_or_else(|| AppError::NotFound("Your account".into()))?;
                    let value = whole(&mine, key);
                    // Learners ahead: the board's values are sorted, highest first.
                    let rank = values.partition_point(|v| *v > value) as u64 + 1;
                    let (name, username) = name_of(&mine);
                    Some(Row { rank, name, username, value, is_me: true })
                }
            },
        };
        Ok((rows, me_row))
    }

    /// Points of the completions dated in the last 7 days, per learner.
    async fn weekly_points(db: &Database, me: Option<&User>) -> Result<(Vec<Row>, Option<Row>), AppError> {
        let since = DateTime::from_millis(DateTime::now().timestamp_millis() - WEEK_MS);
        let done: Vec<Document> = db
            .collection::<Document>(PROGRESS)
            // Completed this week means touched this week too: the spec's
            // `lastAccessedAt` index narrows the read to recent activity.
            .find(doc! { "lastAccessedAt": { "$gte": since }, "progress.completedAt": { "$gte": since } })
            .projection(doc! {
                "user": 1, "content": 1,
                "contentSpecific.labScore": 1, "contentSpecific.gameBestScore": 1, "contentSpecific.hintsUsed": 1,
            })
            .await?
            .try_collect()
            .await?;
        let content_ids: Vec<ObjectId> = done.iter().filter_map(|d| d.get_object_id("content").ok()).collect();
        let kinds: HashMap<ObjectId, (ContentType, Difficulty)> = db
            .collection::<Document>(CONTENTS)
            .find(doc! { "_id": { "$in": content_ids } })
            .projection(doc! { "type": 1, "difficulty": 1 })
            .await?
            .try_collect::<Vec<Document>>()
            .await?
            .iter()
            .filter_map(|c| {
                Some((
                    c.get_object_id("_id").ok()?,
                    (ContentType::parse(c.get_str("type").ok()?)?, Difficulty::parse(c.get_str("difficulty").ok()?)?),
                ))
            })
            .collect();
        let mut totals: HashMap<ObjectId, i64> = HashMap::new();
        for d in &done {
            let (Ok(user), Some(&(kind, difficulty))) =
                (d.get_object_id("user"), d.get_object_id("content").ok().and_then(|c| kinds.get(&c)))
            else {
                continue;
            };
            let score_key = if kind == ContentType::Lab { "labScore" } else { "gameBestScore" };
            let cs = d.get_document("contentSpecific").ok();
            let score = cs.and_then(|cs| crate::db::number(cs, score_key));
            let hints = cs.map(|cs| whole(cs, "hintsUsed")).unwrap_or(0) as i32;
            *totals.entry(user).or_default() += item_points(Completion { kind, difficulty, score, hints_used: hints });
        }
        let mut ranked: Vec<(ObjectId, i64)> = totals.into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let ids: Vec<ObjectId> = ranked.iter().map(|(id, _)| *id).collect();
        let people: HashMap<ObjectId, Document> = db
            .collection::<Document>(USERS)
            .find(doc! { "_id": { "$in": ids }, "role": "student" })
            .projection(doc! { "username": 1, "profile.displayName": 1 })
            .await?
            .try_collect::<Vec<Document>>()
            .await?
            .into_iter()
            .filter_map(|d| Some((d.get_object_id("_id").ok()?, d)))
            .collect();
        let mut rows: Vec<Row> = ranked
            .iter()
            .filter_map(|(id, value)| {
                let (name, username) = name_of(people.get(id)?);
                Some(Row { rank: 0, name, username, value: *value, is_me: me.is_some_and(|m| m.id == *id) })
            })
            .collect();
        rerank(&mut rows);
        let me_row = me.map(|m| {
            rows.iter().find(|r| r.is_me).cloned().unwrap_or_else(|| Row {
                rank: rows.len() as u64 + 1,
                name: m.profile.display_name.clone().unwrap_or_else(|| m.username.clone()),
                username: m.username.clone(),
                value: 0,
                is_me: true,
            })
        });
        rows.truncate(TOP);
        Ok((rows, me_row))
    }
}
