//! The `users` collection.
//!
//! The password hash is stored in `password` but is not a field of [`User`]:
//! every query also projects it away, so no read can hand it out. Only
//! [`password_hash`] reads it. The two-factor secrets are kept out the same
//! way (see [`crate::auth::two_factor`]).

use mongodb::Database;
use mongodb::bson::oid::ObjectId;
use mongodb::bson::{DateTime, Document, doc, to_document};
use serde::{Deserialize, Serialize};

use super::collections::USERS;
use super::error::{RepoError, is_duplicate_key};
use crate::model::user::{ValidNewUser, ValidProfile, full_name};
use crate::model::{AdminStatus, ExperienceLevel, Role, Theme};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    #[serde(rename = "_id")]
    pub id: ObjectId,
    pub username: String,
    pub email: String,
    #[serde(default = "student")]
    pub role: Role,
    #[serde(default)]
    pub profile: Profile,
    #[serde(default = "beginner")]
    pub experience_level: ExperienceLevel,
    #[serde(default)]
    pub stats: Stats,
    #[serde(default)]
    pub current_streak: i32,
    #[serde(default)]
    pub longest_streak: i32,
    #[serde(default)]
    pub last_activity_date: Option<DateTime>,
    /// Set for admins only (`pending` until an active admin approves).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_status: Option<AdminStatus>,
    #[serde(default)]
    pub security: Security,
    #[serde(default)]
    pub preferences: Preferences,
    /// Set while an administrator has suspended the account (Foothold's
    /// addition: the spec's users have no active flag); sign-in is refused
    /// with the reason and sessions end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspension: Option<Suspension>,
    pub created_at: DateTime,
    pub updated_at: DateTime,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Suspension {
    pub reason: String,
    pub at: DateTime,
    /// The administrator's username.
    pub by: String,
}

fn student() -> Role {
    Role::Student
}

fn beginner() -> ExperienceLevel {
    ExperienceLevel::Beginner
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(default)]
    pub avatar: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bio: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Stats {
    pub total_points: i64,
    pub level: i32,
    pub courses_completed: i32,
    pub labs_completed: i32,
    pub games_completed: i32,
    /// Minutes (fractional: heartbeats add seconds / 60).
    pub total_study_time: f64,
}

impl Default for Stats {
    fn default() -> Self {
        Stats {
            total_points: 0,
            level: 1,
            courses_completed: 0,
            labs_completed: 0,
            games_completed: 0,
            total_study_time: 0.0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Security {
    #[serde(default = "DateTime::now")]
    pub password_changed_at: DateTime,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_reset_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_reset_expires: Option<DateTime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_login: Option<DateTime>,
    #[serde(default)]
    pub login_attempts: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lock_until: Option<DateTime>,
    #[serde(default)]
    pub two_factor_enabled: bool,
}

impl Default for Security {
    fn default() -> Self {
        Security {
            password_changed_at: DateTime::now(),
            password_reset_token: None,
            password_reset_expires: None,
            last_login: None,
            login_attempts: 0,
            lock_until: None,
            two_factor_enabled: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Preferences {
    pub email_notifications: bool,
    pub progress_notifications: bool,
    pub achievement_notifications: bool,
    pub theme: Theme,
    pub language: String,
    /// IANA time zone (Foothold's addition): days and streaks follow the learner's midnight.
    pub time_zone: String,
}

impl Default for Preferences {
    fn default() -> Self {
        Preferences {
            email_notifications: true,
            progress_notifications: true,
            achievement_notifications: true,
            theme: Theme::Dark,
            language: "en".into(),
            time_zone: "UTC".into(),
        }
    }
}

impl User {
    /// The current streak as it stands at `now_ms` in the learner's time
    /// zone: the stored one, or 0 once a day was missed since.
    pub fn live_streak(&self, now_ms: i64) -> i32 {
        use crate::domain::calendar::day_of;
        let offset = crate::timezone::offset_or_utc(&self.preferences.time_zone, now_ms);
        let last_day = self.last_activity_date.map(|d| day_of(d.timestamp_millis(), offset));
        crate::domain::streak::as_of(self.current_streak, last_day, day_of(now_ms, offset))
    }

    /// The spec's `fullName` virtual.
    pub fn full_name(&self) -> String {
        full_name(self.profile.first_name.as_deref(), self.profile.last_name.as_deref())
    }

    /// The spec's `isAccountLocked` virtual.
    pub fn is_account_locked(&self, now: DateTime) -> bool {
        self.security.lock_until.is_some_and(|until| until > now)
    }

    /// A new account with the spec's defaults; admins start `pending`.
    pub fn new(v: &ValidNewUser) -> User {
        let now = DateTime::now();
        User {
            id: ObjectId::new(),
            username: v.username.clone(),
            email: v.email.clone(),
            role: v.role,
            profile: Profile { first_name: v.first_name.clone(), last_name: v.last_name.clone(), ..Profile::default() },
            experience_level: v.experience_level,
            stats: Stats::default(),
            current_streak: 0,
            longest_streak: 0,
            last_activity_date: None,
            admin_status: (v.role == Role::Admin).then_some(AdminStatus::Pending),
            security: Security { password_changed_at: now, ..Security::default() },
            preferences: Preferences::default(),
            suspension: None,
            created_at: now,
            updated_at: now,
        }
    }
}

/// Never read the hash or the two-factor secrets with the rest of a user.
fn without_password() -> Document {
    doc! {
        "password": 0,
        "security.passwordResetToken": 0,
        "security.twoFactorSecret": 0,
        "security.twoFactorRecoveryCodes": 0,
    }
}

/// Foothold's collection that finds a user by username or email with one
/// `_id` lookup (on FerretDB/SQLite a filter on `username` reads every user:
/// about 0.1 s per 1,000). One document per name, `_id` `username:<name>` or
/// `email:<address>`, `user` the account. Keys are written before the user
/// they name and never removed (accounts are not renamed or deleted), so a
/// name without a key has no account; a key naming another account (left by
/// a sign-up that lost a race) is corrected by the next lookup.
pub const USER_KEYS: &str = "user_keys";

fn key(field: &str, value: &str) -> String {
    format!("{field}:{value}")
}

/// The key documents for a user with this username and email.
pub fn key_documents(id: ObjectId, username: &str, email: &str) -> [Document; 2] {
    [doc! { "_id": key("username", username), "user": id }, doc! { "_id": key("email", email), "user": id }]
}

/// Points `field`'s key at `user` unless it names another account that
/// really has that name (then the name is taken: `Ok(false)`).
async fn claim_key(db: &Database, field: &str, value: &str, user: ObjectId) -> Result<bool, RepoError> {
    let keys = db.collection::<Document>(USER_KEYS);
    let id = key(field, value);
    match keys.insert_one(doc! { "_id": &id, "user": user }).await {
        Ok(_) => return Ok(true),
        Err(err) if is_duplicate_key(&err) => {}
        Err(err) => return Err(err.into()),
    }
    let Some(existing) = keys.find_one(doc! { "_id": &id }).await? else { return Ok(true) };
    let owner = existing.get_object_id("user").ok();
    if let Some(owner) = owner
        && owner != user
        && get(db, owner).await?.is_some_and(|u| field_of(&u, field) == value)
    {
        return Ok(false);
    }
    keys.update_one(doc! { "_id": &id }, doc! { "$set": { "user": user } }).await?;
    Ok(true)
}

fn field_of<'a>(user: &'a User, field: &str) -> &'a str {
    if field == "email" { &user.email } else { &user.username }
}

/// The user named `value` in `field` (`username` or `email`, already normalised).
async fn find_by_key(db: &Database, field: &str, value: &str) -> Result<Option<User>, RepoError> {
    let keys = db.collection::<Document>(USER_KEYS);
    let id = key(field, value);
    let Some(found) = keys.find_one(doc! { "_id": &id }).await? else { return Ok(None) };
    if let Ok(owner) = found.get_object_id("user")
        && let Some(user) = get(db, owner).await?
        && field_of(&user, field) == value
    {
        return Ok(Some(user));
    }
    // A key left by a sign-up that lost the race for this name: the account
    // that won is found the slow way once, and the key is corrected.
    let user = db.collection::<User>(USERS).find_one(doc! { field: value }).projection(without_password()).await?;
    if let Some(user) = &user {
        keys.update_one(doc! { "_id": &id }, doc! { "$set": { "user": user.id } }).await?;
    }
    Ok(user)
}

/// Gives every user without keys their keys (users from before them); returns how many were written.
pub async fn write_missing_keys(db: &Database) -> Result<usize, RepoError> {
    let users = super::projected(db, USERS, doc! {}, doc! { "username": 1, "email": 1 }).await?;
    let keys = db.collection::<Document>(USER_KEYS);
    let mut written = 0;
    for u in users {
        let (Ok(id), Ok(username), Ok(email)) = (u.get_object_id("_id"), u.get_str("username"), u.get_str("email"))
        else {
            continue;
        };
        for k in key_documents(id, username, email) {
            let filter = doc! { "_id": k.get("_id").cloned().unwrap_or_default() };
            keys.update_one(filter, doc! { "$set": { "user": id } }).upsert(true).await?;
            written += 1;
        }
    }
    Ok(written)
}

/// Inserts a new account. A taken username or email is reported on its
/// field, checked by the unique indexes (so two concurrent sign-ups cannot
/// both win); the user's keys ([`USER_KEYS`]) are written first.
pub async fn create(db: &Database, input: &ValidNewUser, password_hash: &str) -> Result<User, RepoError> {
    let user = User::new(input);
    if !claim_key(db, "username", &user.username, user.id).await? {
        return Err(RepoError::field("username", "That username is already taken"));
    }
    if !claim_key(db, "email", &user.email, user.id).await? {
        return Err(RepoError::field("email", "An account with that email already exists"));
    }
    let mut document = to_document(&user)?;
    document.insert("password", password_hash);
    match db.collection::<Document>(USERS).insert_one(document).await {
        Ok(_) => Ok(user),
        Err(err) if is_duplicate_key(&err) => Err(duplicate_field(db, &user.username).await),
        Err(err) => Err(err.into()),
    }
}

/// Which unique field a duplicate-key error was about (the username index is checked first).
async fn duplicate_field(db: &Database, username: &str) -> RepoError {
    let users = db.collection::<Document>(USERS);
    match users.count_documents(doc! { "username": username }).await {
        Ok(n) if n > 0 => RepoError::field("username", "That username is already taken"),
        Ok(_) => RepoError::field("email", "An account with that email already exists"),
        Err(err) => err.into(),
    }
}

pub async fn get(db: &Database, id: ObjectId) -> Result<Option<User>, RepoError> {
    Ok(db.collection::<User>(USERS).find_one(doc! { "_id": id }).projection(without_password()).await?)
}

/// Looks a user up by username or email (as typed at login: trimmed, any case).
pub async fn find_by_login(db: &Database, login: &str) -> Result<Option<User>, RepoError> {
    let login = login.trim().to_lowercase();
    let field = if login.contains('@') { "email" } else { "username" };
    find_by_key(db, field, &login).await
}

/// Looks a user up by username only (public profiles: an email address never finds anyone).
pub async fn find_by_username(db: &Database, username: &str) -> Result<Option<User>, RepoError> {
    let username = username.trim().to_lowercase();
    if username.is_empty() || !crate::model::validation::is_valid_username_chars(&username) {
        return Ok(None);
    }
    find_by_key(db, "username", &username).await
}

/// The stored password hash: the only read of that field.
pub async fn password_hash(db: &Database, id: ObjectId) -> Result<Option<String>, RepoError> {
    let found =
        db.collection::<Document>(USERS).find_one(doc! { "_id": id }).projection(doc! { "password": 1 }).await?;
    Ok(found.and_then(|d| d.get_str("password").ok().map(str::to_string)))
}

/// Applies `update` to the account `id` (matching also the conditions in
/// `also`) under that learner's lock ([`super::lock::lock_learner`]).
///
/// FerretDB 1.24 applies an update as read, change, write of the whole
/// document, without isolation. The learning paths write the same document
/// (points, level, streak, study time) under the learner's lock; an account
/// write racing one of them could write back the numbers it read before the
/// other's write (a sign-in did, in `reliability/run`: a completion's points
/// went missing from its answer), and the reverse could undo a failed
/// sign-in's count or a used two-factor step. Every write to a user's
/// document therefore takes the one lock; none is made while holding it.
pub async fn update_account(
    db: &Database,
    id: ObjectId,
    also: Document,
    update: Document,
) -> Result<mongodb::results::UpdateResult, RepoError> {
    let mut filter = doc! { "_id": id };
    filter.extend(also);
    let _guard = super::lock::lock_learner(id).await;
    Ok(db.collection::<Document>(USERS).update_one(filter, update).await?)
}

/// Records a failed sign-in: one more attempt, or a lock when the limit is reached.
/// Returns the lock's end when this failure locked the account.
///
/// The count is read under the learner's lock, which every write to the
/// account takes ([`update_account`]), so wrong passwords sent at once each
/// count: from the count read before the password check, they would all
/// write the same next number and a guesser sending them in parallel would
/// never reach the lock.
pub async fn record_failed_login(db: &Database, id: ObjectId) -> Result<Option<DateTime>, RepoError> {
    #[derive(Deserialize)]
    struct Stored {
        #[serde(default)]
        security: Security,
    }
    let _guard = super::lock::lock_learner(id).await;
    let stored = db.collection::<Stored>(USERS).find_one(doc! { "_id": id }).projection(doc! { "security": 1 }).await?;
    let attempts = stored.map_or(0, |s| s.security.login_attempts);
    let now = DateTime::now();
    let (attempts, lock) = crate::domain::lockout::after_failure(attempts, now.timestamp_millis());
    let lock = lock.map(DateTime::from_millis);
    let mut set = doc! { "security.loginAttempts": attempts, "updatedAt": now };
    if let Some(until) = lock {
        set.insert("security.lockUntil", until);
    }
    db.collection::<Document>(USERS).update_one(doc! { "_id": id }, doc! { "$set": set }).await?;
    Ok(lock)
}

/// Records a successful sign-in: attempts reset, lock cleared, `lastLogin` set.
pub async fn record_login(db: &Database, id: ObjectId) -> Result<(), RepoError> {
    let now = DateTime::now();
    update_account(
        db,
        id,
        doc! {},
        doc! {
            "$set": { "security.loginAttempts": 0, "security.lastLogin": now, "updatedAt": now },
            "$unset": { "security.lockUntil": "" },
        },
    )
    .await?;
    Ok(())
}

/// Sets an administrator's `adminStatus`; students are refused (they have none).
pub async fn set_admin_status(db: &Database, id: ObjectId, status: AdminStatus) -> Result<(), RepoError> {
    let result = update_account(
        db,
        id,
        doc! { "role": Role::Admin.as_str() },
        doc! { "$set": { "adminStatus": status.as_str(), "updatedAt": DateTime::now() } },
    )
    .await?;
    if result.matched_count == 0 {
        return Err(RepoError::NotFound("Administrator"));
    }
    Ok(())
}

/// Saves the profile fields of `/settings` (an empty field is removed).
pub async fn update_profile(db: &Database, id: ObjectId, p: &ValidProfile) -> Result<(), RepoError> {
    let mut set = doc! { "updatedAt": DateTime::now() };
    let mut unset = Document::new();
    for (field, value) in [
        ("profile.firstName", &p.first_name),
        ("profile.lastName", &p.last_name),
        ("profile.displayName", &p.display_name),
        ("profile.avatar", &p.avatar),
        ("profile.bio", &p.bio),
        ("profile.location", &p.location),
        ("profile.website", &p.website),
    ] {
        match value {
            Some(v) => set.insert(field, v.as_str()),
            None => unset.insert(field, ""),
        };
    }
    if let Some(level) = p.experience_level {
        set.insert("experienceLevel", level.as_str());
    }
    let mut update = doc! { "$set": set };
    if !unset.is_empty() {
        update.insert("$unset", unset);
    }
    update_account(db, id, doc! {}, update).await?;
    Ok(())
}

/// Saves the preferences of `/settings`.
pub async fn update_preferences(db: &Database, id: ObjectId, p: &Preferences) -> Result<(), RepoError> {
    update_account(db, id, doc! {}, doc! { "$set": { "preferences": to_document(p)?, "updatedAt": DateTime::now() } })
        .await?;
    Ok(())
}

/// Stores a new password hash; `passwordChangedAt` moves, which ends every
/// session signed in before now.
pub async fn set_password(db: &Database, id: ObjectId, hash: &str) -> Result<DateTime, RepoError> {
    let now = DateTime::now();
    update_account(
        db,
        id,
        doc! {},
        doc! { "$set": { "password": hash, "security.passwordChangedAt": now, "updatedAt": now } },
    )
    .await?;
    Ok(now)
}

/// Every administrator account: pending ones first, then by sign-up date.
pub async fn list_admins(db: &Database) -> Result<Vec<User>, RepoError> {
    use futures::TryStreamExt;
    let mut admins: Vec<User> = db
        .collection::<User>(USERS)
        .find(doc! { "role": Role::Admin.as_str() })
        .projection(without_password())
        .sort(doc! { "createdAt": 1 })
        .await?
        .try_collect()
        .await?;
    admins.sort_by_key(|u| u.admin_status != Some(AdminStatus::Pending));
    Ok(admins)
}

/// Suspends the account with `reason` (shown to its owner at sign-in).
pub async fn suspend(db: &Database, id: ObjectId, reason: &str, by: &str) -> Result<(), RepoError> {
    let now = DateTime::now();
    let suspension = Suspension { reason: reason.to_string(), at: now, by: by.to_string() };
    let result =
        update_account(db, id, doc! {}, doc! { "$set": { "suspension": to_document(&suspension)?, "updatedAt": now } })
            .await?;
    if result.matched_count == 0 {
        return Err(RepoError::NotFound("User"));
    }
    Ok(())
}

/// Lifts a suspension.
pub async fn reactivate(db: &Database, id: ObjectId) -> Result<(), RepoError> {
    let result = update_account(
        db,
        id,
        doc! {},
        doc! { "$unset": { "suspension": "" }, "$set": { "updatedAt": DateTime::now() } },
    )
    .await?;
    if result.matched_count == 0 {
        return Err(RepoError::NotFound("User"));
    }
    Ok(())
}

/// Clears a lockout after failed sign-ins (attempts back to 0).
pub async fn unlock(db: &Database, id: ObjectId) -> Result<(), RepoError> {
    let result = update_account(
        db,
        id,
        doc! {},
        doc! { "$set": { "security.loginAttempts": 0, "updatedAt": DateTime::now() }, "$unset": { "security.lockUntil": "" } },
    )
    .await?;
    if result.matched_count == 0 {
        return Err(RepoError::NotFound("User"));
    }
    Ok(())
}

/// Which accounts the administrators' list shows.
#[derive(Debug, Clone, Default)]
pub struct Search {
    /// Part of the username or email, any case.
    pub text: Option<String>,
    pub role: Option<Role>,
    /// `suspended`, `locked` or `pending` (an admin awaiting approval).
    pub status: Option<String>,
}

/// Accounts matching `search`, by username, `skip`/`limit` for paging; and how many match.
pub async fn search(db: &Database, search: &Search, skip: u64, limit: i64) -> Result<(Vec<User>, u64), RepoError> {
    use futures::TryStreamExt;
    let mut filter = Document::new();
    if let Some(text) = search.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let pattern = regex_escape(&text.to_lowercase());
        filter.insert(
            "$or",
            vec![
                doc! { "username": { "$regex": &pattern, "$options": "i" } },
                doc! { "email": { "$regex": &pattern, "$options": "i" } },
            ],
        );
    }
    if let Some(role) = search.role {
        filter.insert("role", role.as_str());
    }
    match search.status.as_deref() {
        Some("suspended") => {
            filter.insert("suspension", doc! { "$exists": true });
        }
        Some("locked") => {
            filter.insert("security.lockUntil", doc! { "$gt": DateTime::now() });
        }
        Some("pending") => {
            filter.insert("adminStatus", AdminStatus::Pending.as_str());
        }
        _ => {}
    }
    let users = db.collection::<User>(USERS);
    let total = users.count_documents(filter.clone()).await?;
    let found = users
        .find(filter)
        .projection(without_password())
        .sort(doc! { "username": 1 })
        .skip(skip)
        .limit(limit)
        .await?
        .try_collect()
        .await?;
    Ok((found, total))
}

/// `text` with every regular-expression metacharacter escaped.
fn regex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
