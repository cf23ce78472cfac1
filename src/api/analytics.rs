//! The admin overview's learning analytics (computed in `db::analytics`,
//! kept a few minutes per process).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunnelRow {
    pub module_id: String,
    pub title: String,
    pub started: u64,
    pub halfway: u64,
    pub completed: u64,
    /// Share of starters who did not complete, 0..=100.
    pub drop_off: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StuckRow {
    pub content_id: String,
    pub title: String,
    pub module: String,
    pub started: u64,
    /// 0..=100.
    pub completion_rate: f64,
    pub attempts_per_learner: f64,
    pub hints_per_learner: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AchievementRate {
    pub title: String,
    pub rarity: String,
    pub earned: i64,
    pub eligible: i64,
    pub rate: f64,
}

/// The analytics as the overview shows them: the latest computed numbers
/// (none before the first computation ends) and whether newer ones are coming.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnalyticsState {
    pub analytics: Option<Analytics>,
    pub computing: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analytics {
    /// `YYYY-MM-DD HH:MM:SS` UTC.
    pub computed_at: String,
    pub took_ms: u64,
    pub students: u64,
    pub active_7_days: u64,
    pub enrollments: u64,
    pub completions: u64,
    pub certificates: u64,
    pub enrollments_per_day: Vec<(String, f64)>,
    pub active_per_day: Vec<(String, f64)>,
    pub funnels: Vec<FunnelRow>,
    pub stuck: Vec<StuckRow>,
    /// (title, median minutes to complete), slowest first.
    pub median_minutes: Vec<(String, f64)>,
    pub achievements: Vec<AchievementRate>,
    /// (`L3`, learners).
    pub levels: Vec<(String, f64)>,
}

/// The analytics: recomputed when `fresh` or older than a few minutes, in
/// the background; the answer waits at most two seconds for the new numbers.
#[server(endpoint = "admin/analytics")]
pub async fn get_analytics(#[server(default)] fresh: bool) -> Result<AnalyticsState, AppError> {
    crate::auth::guard::require_active_admin().await?;
    let db = crate::server::state()?.db;
    let snapshot = crate::db::analytics::overview(&db, fresh).await.map_err(|message| {
        tracing::warn!(error = %message, "analytics unavailable");
        crate::server::fail(AppError::Unavailable)
    })?;
    Ok(AnalyticsState { analytics: snapshot.overview.map(view), computing: snapshot.computing })
}

#[cfg(feature = "ssr")]
fn view(o: crate::db::analytics::Overview) -> Analytics {
    let as_f64 = |days: Vec<(String, u64)>| days.into_iter().map(|(d, n)| (d, n as f64)).collect();
    let per_learner =
        |n: u64, started: u64| if started == 0 { 0.0 } else { (n as f64 / started as f64 * 10.0).round() / 10.0 };
    Analytics {
        computed_at: crate::domain::calendar::utc_stamp(
            o.computed_at.timestamp_millis(),
            crate::domain::calendar::Stamp::Second,
        ),
        took_ms: u64::try_from(o.took_ms).unwrap_or(u64::MAX),
        students: o.students,
        active_7_days: o.active_7_days,
        enrollments: o.enrollments,
        completions: o.completions,
        certificates: o.certificates,
        enrollments_per_day: as_f64(o.enrollments_per_day),
        active_per_day: as_f64(o.active_per_day),
        funnels: o
            .funnels
            .iter()
            .map(|(id, title, f)| FunnelRow {
                module_id: id.to_hex(),
                title: title.clone(),
                started: f.started,
                halfway: f.halfway,
                completed: f.completed,
                drop_off: f.drop_off().round(),
            })
            .collect(),
        stuck: o
            .stuck
            .iter()
            .map(|s| StuckRow {
                content_id: s.id.to_hex(),
                title: s.title.clone(),
                module: s.module.clone(),
                started: s.effort.started,
                completion_rate: (s.effort.completion_rate() * 100.0).round(),
                attempts_per_learner: per_learner(s.effort.attempts, s.effort.started),
                hints_per_learner: per_learner(s.effort.hints, s.effort.started),
            })
            .collect(),
        median_minutes: o.median_minutes.into_iter().map(|(_, title, m)| (title, m)).collect(),
        achievements: o
            .achievements
            .into_iter()
            .map(|(title, rarity, earned, eligible, rate)| AchievementRate { title, rarity, earned, eligible, rate })
            .collect(),
        levels: o.levels.into_iter().map(|(level, n)| (format!("L{level}"), n as f64)).collect(),
    }
}
