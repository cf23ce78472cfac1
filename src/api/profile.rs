//! Public profiles (`/u/:username`): what a learner has achieved, for
//! anyone. Only public facts: the display name (never first/last name or
//! email), bio, location, website, stats, the achievements the learner chose
//! to share, and links to their certificates (public by design: each
//! certificate's own page prints the holder's full name).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::model::Difficulty;
use crate::model::dashboard::{Badge, StatsView};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicProfile {
    pub username: String,
    /// The display name, or the username when none is set.
    pub name: String,
    pub bio: Option<String>,
    pub location: Option<String>,
    /// Only ever an `http(s)://` address.
    pub website: Option<String>,
    /// e.g. "25 November 2026".
    pub member_since: String,
    #[serde(flatten)]
    pub stats: StatsView,
    /// Shared achievements, newest first.
    pub badges: Vec<Badge>,
    pub certificates: Vec<CertificateLink>,
    /// The viewer is this learner (the page then says how to share more).
    pub is_me: bool,
}

/// A certificate as a profile lists it (the holder's printed name is on its own page).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CertificateLink {
    pub id: String,
    pub module_title: String,
    pub difficulty: Difficulty,
    pub completed_on: String,
}

/// Most shared achievements a profile lists.
pub const MAX_BADGES: i64 = 60;

#[server(endpoint = "profile")]
pub async fn get_profile(username: String) -> Result<PublicProfile, AppError> {
    let state = crate::server::state()?;
    let viewer = crate::auth::session::request_user().await?;
    ssr::profile(&state.db, &state.public_url, &username, viewer.map(|v| v.id)).await.map_err(crate::server::fail)
}

#[cfg(feature = "ssr")]
mod ssr {
    use mongodb::Database;
    use mongodb::bson::oid::ObjectId;

    use super::{CertificateLink, MAX_BADGES, PublicProfile};
    use crate::domain::calendar;
    use crate::error::AppError;

    pub async fn profile(
        db: &Database,
        site: &str,
        username: &str,
        viewer: Option<ObjectId>,
    ) -> Result<PublicProfile, AppError> {
        let user = crate::db::user::find_by_username(db, username)
            .await?
            .ok_or_else(|| AppError::NotFound("A learner with this username".into()))?;
        let now = mongodb::bson::DateTime::now().timestamp_millis();
        let created = user.created_at.timestamp_millis();
        let offset = crate::timezone::offset_or_utc(&user.preferences.time_zone, created);
        let p = &user.profile;
        let non_empty = |s: &Option<String>| s.clone().filter(|s| !s.trim().is_empty());
        Ok(PublicProfile {
            username: user.username.clone(),
            name: non_empty(&p.display_name).unwrap_or_else(|| user.username.clone()),
            bio: non_empty(&p.bio),
            location: non_empty(&p.location),
            website: non_empty(&p.website).filter(|w| w.starts_with("https://") || w.starts_with("http://")),
            member_since: calendar::long_date_of(calendar::day_of(created, offset)),
            stats: crate::api::dashboard::stats_view(&user, now),
            badges: crate::api::dashboard::badges(db, &user, true, MAX_BADGES).await?,
            certificates: crate::api::certificates::of_user(db, site, &user)
                .await?
                .into_iter()
                .map(|c| CertificateLink {
                    id: c.id,
                    module_title: c.module_title,
                    difficulty: c.difficulty,
                    completed_on: c.completed_on,
                })
                .collect(),
            is_me: viewer == Some(user.id),
        })
    }
}
