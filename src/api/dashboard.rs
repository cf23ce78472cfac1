//! The learner's dashboard: only ever their own numbers.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::dashboard::Dashboard;

/// Points, level, streaks, what to continue, enrolled modules, study time
/// per day over the last 30 days, recent completions and modules to take next.
#[server(endpoint = "dashboard")]
pub async fn get_dashboard() -> Result<Dashboard, AppError> {
    let user = crate::auth::guard::require_user().await?;
    let db = crate::server::state()?.db;
    ssr::dashboard(&db, user).await.map_err(crate::server::fail)
}

#[cfg(feature = "ssr")]
pub use ssr::{badges, dashboard as dashboard_data, stats_view};

#[cfg(feature = "ssr")]
mod ssr {
    use std::collections::HashMap;

    use mongodb::Database;
    use mongodb::bson::oid::ObjectId;

    use crate::db::progress::Progress;
    use crate::db::user::User;
    use crate::domain::calendar;
    use crate::error::AppError;
    use crate::model::dashboard::{
        Activity, Badge, ContinueItem, Dashboard, EnrolledModule, Recommendation, StatsView,
    };

    /// Modules suggested at most.
    const RECOMMENDATIONS: usize = 3;
    const RECENT: usize = 8;
    const RECENT_BADGES: i64 = 5;
    /// Days in the streak calendar (twelve weeks); the chart shows the last 30.
    const CALENDAR_DAYS: i64 = 84;

    /// An item from the cached items of the module its progress record
    /// names or, if an admin has moved it since, of whichever module holds it
    /// now (a dashboard names at most nine items). The item carries its
    /// current module.
    fn item_of<'a>(
        items: &'a HashMap<ObjectId, Vec<crate::db::content::Content>>,
        module: &ObjectId,
        content: &ObjectId,
    ) -> Option<&'a crate::db::content::Content> {
        let among = |list: &'a Vec<crate::db::content::Content>| list.iter().find(|c| c.id == *content);
        items.get(module).and_then(among).or_else(|| items.values().find_map(among))
    }

    pub async fn dashboard(db: &Database, user: User) -> Result<Dashboard, AppError> {
        let level = crate::domain::points::level_for(user.stats.total_points);
        // Modules that no longer exist are not shown, so their enrollments need no read.
        let enrollments = crate::db::enrollment::list_for_user_in_existing_modules(db, user.id).await?;
        // Titles from the cached modules the learner pages already read.
        let modules_by_id = crate::db::module::all_cached(db).await?;
        let module_title = |id: &ObjectId| modules_by_id.get(id).map(|m| m.title.clone());
        let mut sorted: Vec<&crate::db::enrollment::Enrollment> = enrollments.iter().collect();
        sorted.sort_by_key(|e| std::cmp::Reverse(e.last_accessed_at.timestamp_millis()));
        let modules: Vec<EnrolledModule> = sorted
            .iter()
            .filter(|e| e.status != crate::model::EnrollmentStatus::Dropped)
            .filter_map(|e| {
                Some(EnrolledModule {
                    id: e.module.to_hex(),
                    title: module_title(&e.module)?,
                    enrollment: crate::api::learn::enrollment_view(e),
                })
            })
            .collect();

        let items = crate::db::content::items_by_module(db).await?;
        let progress = recent_progress(db, user.id, &sorted, &items).await?;
        let last = progress.iter().max_by_key(|p| p.last_accessed_at.timestamp_millis());
        let mut done: Vec<&Progress> = progress.iter().filter(|p| p.progress.completed_at.is_some()).collect();
        done.sort_by_key(|p| std::cmp::Reverse(p.progress.completed_at.map(|d| d.timestamp_millis())));
        done.truncate(RECENT);

        let now = mongodb::bson::DateTime::now().timestamp_millis();
        let offset = crate::timezone::offset_or_utc(&user.preferences.time_zone, now);
        let continue_at = last.and_then(|p| {
            let item = item_of(&items, &p.module, &p.content)?;
            Some(ContinueItem {
                module_id: item.module.to_hex(),
                module_title: module_title(&item.module).unwrap_or_default(),
                content_id: p.content.to_hex(),
                title: item.title.clone(),
                kind: item.kind,
                percentage: p.progress.percentage,
            })
        });
        let recent = done
            .iter()
            .filter_map(|p| {
                let item = item_of(&items, &p.module, &p.content)?;
                Some(Activity {
                    module_id: item.module.to_hex(),
                    content_id: p.content.to_hex(),
                    title: item.title.clone(),
                    kind: item.kind,
                    day: calendar::date_of(calendar::day_of(p.progress.completed_at?.timestamp_millis(), offset)),
                })
            })
            .collect();
        // The enrollments' study sessions carry the same credited time as the
        // items' (both are written by each heartbeat), one list per module.
        let sessions: Vec<(i64, f64)> = enrollments
            .iter()
            .flat_map(|e| e.time_spent.sessions.iter().map(|s| (s.end_time.timestamp_millis(), s.duration * 60.0)))
            .collect();
        // Days in the learner's time zone (at today's offset for the whole calendar).
        let study_days = calendar::minutes_per_day(&sessions, now, offset, CALENDAR_DAYS);

        Ok(Dashboard {
            name: user.profile.display_name.clone().unwrap_or_else(|| user.username.clone()),
            stats: stats_view(&user, now),
            level_floor: level.floor,
            next_level_at: level.next_at,
            continue_at,
            modules,
            study_days,
            recent,
            badges: badges(db, &user, false, RECENT_BADGES).await?,
            recommended: recommend(db, &enrollments, &modules_by_id).await?,
        })
    }

    /// The learner's numbers at `now_ms` (level from points, streak as it stands today).
    pub fn stats_view(user: &User, now_ms: i64) -> StatsView {
        StatsView {
            points: user.stats.total_points,
            level: crate::domain::points::level_for(user.stats.total_points).level,
            current_streak: user.live_streak(now_ms),
            longest_streak: user.longest_streak,
            courses_completed: user.stats.courses_completed,
            labs_completed: user.stats.labs_completed,
            games_completed: user.stats.games_completed,
            study_minutes: user.stats.total_study_time,
        }
    }

    /// The learner's newest awards (only shared ones for a public profile),
    /// dated in their time zone.
    pub async fn badges(db: &Database, user: &User, shared_only: bool, limit: i64) -> Result<Vec<Badge>, AppError> {
        let earned = crate::db::achievement::earned(db, user.id, shared_only, limit).await?;
        Ok(earned
            .into_iter()
            .map(|(award, a)| {
                let at = award.earned_at.timestamp_millis();
                let offset = crate::timezone::offset_or_utc(&user.preferences.time_zone, at);
                Badge {
                    title: a.title,
                    description: a.description,
                    color: a.color,
                    rarity: a.rarity,
                    earned_on: calendar::date_of(calendar::day_of(at, offset)),
                }
            })
            .collect())
    }

    /// The learner's progress in the modules they used last: enough for the
    /// item to continue and the [`RECENT`] latest completions without
    /// reading every record. `by_access` is the learner's enrollments, most
    /// recently accessed first; an item is completed while its module is
    /// accessed, so once [`RECENT`] completions are newer than the next
    /// module's last access, no older module can hold a newer one.
    async fn recent_progress(
        db: &Database,
        user: ObjectId,
        by_access: &[&crate::db::enrollment::Enrollment],
        items: &HashMap<ObjectId, Vec<crate::db::content::Content>>,
    ) -> Result<Vec<Progress>, AppError> {
        let mut found: Vec<Progress> = Vec::new();
        for (i, e) in by_access.iter().enumerate() {
            if i > 0 {
                let mut completed: Vec<i64> =
                    found.iter().filter_map(|p| p.progress.completed_at.map(|d| d.timestamp_millis())).collect();
                completed.sort_unstable_by(|a, b| b.cmp(a));
                let accessed = e.last_accessed_at.timestamp_millis();
                if completed.get(RECENT - 1).is_some_and(|&t| t >= accessed) {
                    break;
                }
            }
            // By derived id: an item never opened is one lookup that finds nothing.
            let ids: Vec<ObjectId> =
                items.get(&e.module).into_iter().flatten().map(|c| crate::db::keys::progress_id(user, c.id)).collect();
            found.extend(crate::db::keys::fetch::<Progress>(db, crate::db::collections::PROGRESS, &ids).await?);
        }
        Ok(found)
    }

    /// Active modules the learner has not joined and may start now, in
    /// catalog order; `enrollments` are the learner's in every module that
    /// exists (the completed ones open the gates, as in
    /// [`crate::db::gating::completed_modules`]; a gate names only modules that exist).
    async fn recommend(
        db: &Database,
        enrollments: &[crate::db::enrollment::Enrollment],
        modules: &HashMap<ObjectId, crate::db::module::Module>,
    ) -> Result<Vec<Recommendation>, AppError> {
        let catalog = crate::db::catalog::load(db).await?;
        let joined: std::collections::HashSet<ObjectId> = enrollments.iter().map(|e| e.module).collect();
        let completed: std::collections::HashSet<ObjectId> = enrollments
            .iter()
            .filter(|e| e.status == crate::model::EnrollmentStatus::Completed)
            .map(|e| e.module)
            .collect();
        let mut picks = Vec::new();
        for card in catalog.phases.iter().flat_map(|p| p.modules.iter()) {
            if picks.len() == RECOMMENDATIONS {
                break;
            }
            let Ok(id) = ObjectId::parse_str(&card.id) else { continue };
            if joined.contains(&id) {
                continue;
            }
            let Some(module) = modules.get(&id) else { continue };
            if crate::db::gating::module_gate(db, module, &completed).await?.needs.is_empty() {
                picks.push(Recommendation {
                    id: card.id.clone(),
                    title: card.title.clone(),
                    difficulty: card.difficulty,
                    short_description: card.short_description.clone(),
                });
            }
        }
        Ok(picks)
    }
}
