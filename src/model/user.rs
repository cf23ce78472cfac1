//! User input (registration, profile, preferences) and its validation.

use serde::{Deserialize, Serialize};

use super::enums::{ExperienceLevel, Role, Theme};
use super::validation::{
    FieldErrors, is_valid_email, is_valid_username_chars, is_valid_website, js_len, lower_trim, trim_opt,
};

/// Longest password accepted (argon2 hashes any length; this bounds the work per request).
pub const PASSWORD_MAX: usize = 128;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct NewUserInput {
    pub username: String,
    pub email: String,
    pub password: String,
    pub role: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub experience_level: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValidNewUser {
    pub username: String,
    pub email: String,
    pub password: String,
    pub role: Role,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub experience_level: ExperienceLevel,
}

/// `username`: lowercase, trim, 3..=30, `^[a-zA-Z0-9_]+$`; returns the normalised value.
pub fn validate_username(e: &mut FieldErrors, raw: &str) -> String {
    let username = lower_trim(raw);
    e.required("username", &username, "Username is required");
    e.min_len("username", &username, 3, "Username must be at least 3 characters");
    e.max_len("username", &username, 30, "Username cannot exceed 30 characters");
    if !username.is_empty() && !is_valid_username_chars(&username) {
        e.add("username", "Username can only contain letters, numbers, and underscores");
    }
    username
}

/// `email`: lowercase, trim, the spec's pattern; returns the normalised value.
pub fn validate_email(e: &mut FieldErrors, raw: &str) -> String {
    let email = lower_trim(raw);
    e.required("email", &email, "Email is required");
    if !email.is_empty() && !is_valid_email(&email) {
        e.add("email", "Please provide a valid email");
    }
    email
}

/// `password`: required, 8..=128 (not trimmed: spaces are characters too).
pub fn validate_password(e: &mut FieldErrors, field: &str, password: &str) {
    e.required(field, password, "Password is required");
    e.min_len(field, password, 8, "Password must be at least 8 characters");
    if js_len(password) > PASSWORD_MAX {
        e.add(field, format!("Password cannot exceed {PASSWORD_MAX} characters"));
    }
}

fn names(e: &mut FieldErrors, first: Option<&str>, last: Option<&str>) -> (Option<String>, Option<String>) {
    let first = trim_opt(first);
    let last = trim_opt(last);
    e.max_len_opt("profile.firstName", first.as_deref(), 50, "First name cannot exceed 50 characters");
    e.max_len_opt("profile.lastName", last.as_deref(), 50, "Last name cannot exceed 50 characters");
    (first, last)
}

impl NewUserInput {
    pub fn validate(&self) -> Result<ValidNewUser, FieldErrors> {
        let mut e = FieldErrors::new();
        let username = validate_username(&mut e, &self.username);
        let email = validate_email(&mut e, &self.email);
        validate_password(&mut e, "password", &self.password);
        let role = match self.role.as_deref().filter(|r| !r.is_empty()) {
            None => Some(Role::Student),
            Some(r) => Role::parse_field(&mut e, "role", r),
        };
        let experience_level = match self.experience_level.as_deref().filter(|r| !r.is_empty()) {
            None => Some(ExperienceLevel::Beginner),
            Some(level) => ExperienceLevel::parse_field(&mut e, "experienceLevel", level),
        };
        let (first_name, last_name) = names(&mut e, self.first_name.as_deref(), self.last_name.as_deref());
        let (Some(role), Some(experience_level)) = (role, experience_level) else {
            return Err(e);
        };
        e.finish(ValidNewUser {
            username,
            email,
            password: self.password.clone(),
            role,
            first_name,
            last_name,
            experience_level,
        })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ProfileInput {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub display_name: Option<String>,
    pub avatar: Option<String>,
    pub bio: Option<String>,
    pub location: Option<String>,
    pub website: Option<String>,
    pub experience_level: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ValidProfile {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub display_name: Option<String>,
    pub avatar: Option<String>,
    pub bio: Option<String>,
    pub location: Option<String>,
    pub website: Option<String>,
    pub experience_level: Option<ExperienceLevel>,
}

impl ProfileInput {
    pub fn validate(&self) -> Result<ValidProfile, FieldErrors> {
        let mut e = FieldErrors::new();
        let (first_name, last_name) = names(&mut e, self.first_name.as_deref(), self.last_name.as_deref());
        let display_name = trim_opt(self.display_name.as_deref());
        e.max_len_opt("profile.displayName", display_name.as_deref(), 100, "Display name cannot exceed 100 characters");
        // bio, location and website have no `trim` in the spec; empty means "not set".
        let bio = self.bio.clone().filter(|b| !b.is_empty());
        e.max_len_opt("profile.bio", bio.as_deref(), 500, "Bio cannot exceed 500 characters");
        let location = self.location.clone().filter(|l| !l.is_empty());
        e.max_len_opt("profile.location", location.as_deref(), 100, "Location cannot exceed 100 characters");
        let website = self.website.clone().filter(|w| !w.is_empty());
        if let Some(w) = &website {
            e.check("profile.website", is_valid_website(w), "Website must be a valid URL");
        }
        let avatar = trim_opt(self.avatar.as_deref());
        if let Some(a) = &avatar {
            e.check("profile.avatar", is_valid_website(a) || a.starts_with('/'), "Avatar must be a URL");
        }
        let experience_level = match self.experience_level.as_deref().filter(|l| !l.is_empty()) {
            None => None,
            Some(level) => ExperienceLevel::parse_field(&mut e, "experienceLevel", level),
        };
        e.finish(ValidProfile { first_name, last_name, display_name, avatar, bio, location, website, experience_level })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PreferencesInput {
    pub email_notifications: bool,
    pub progress_notifications: bool,
    pub achievement_notifications: bool,
    pub theme: String,
    pub language: String,
}

impl Default for PreferencesInput {
    fn default() -> Self {
        PreferencesInput {
            email_notifications: true,
            progress_notifications: true,
            achievement_notifications: true,
            theme: Theme::Dark.as_str().into(),
            language: "en".into(),
        }
    }
}

/// Languages the interface can be set to: BCP 47 primary tag and name.
/// Foothold is written in English only for now.
pub const LANGUAGES: &[(&str, &str)] = &[("en", "English")];

impl PreferencesInput {
    pub fn validate(&self) -> Result<(Theme, String), FieldErrors> {
        let mut e = FieldErrors::new();
        let theme = Theme::parse_field(&mut e, "preferences.theme", &self.theme);
        let language = self.language.trim().to_string();
        e.check(
            "preferences.language",
            LANGUAGES.iter().any(|(code, _)| *code == language),
            "Choose a language from the list",
        );
        match theme {
            Some(theme) => e.finish((theme, language)),
            None => Err(e),
        }
    }
}

/// The spec's `fullName` virtual: first and last name joined and trimmed.
pub fn full_name(first: Option<&str>, last: Option<&str>) -> String {
    format!("{} {}", first.unwrap_or_default(), last.unwrap_or_default()).trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> NewUserInput {
        NewUserInput {
            username: "  Ada_Lovelace ".into(),
            email: " Ada@Example.COM ".into(),
            password: "correct horse battery".into(),
            ..NewUserInput::default()
        }
    }

    #[test]
    fn registration_normalises_and_defaults() {
        let u = valid().validate().unwrap();
        assert_eq!(u.username, "ada_lovelace");
        assert_eq!(u.email, "ada@example.com");
        assert_eq!(u.role, Role::Student);
        assert_eq!(u.experience_level, ExperienceLevel::Beginner);
    }

    #[test]
    fn every_registration_rule_has_its_message() {
        type Case = crate::model::validation::RuleCase<NewUserInput>;
        let cases: &[Case] = &[
            ("username", |u| u.username = "   ".into(), "Username is required"),
            ("username", |u| u.username = "ab".into(), "Username must be at least 3 characters"),
            ("username", |u| u.username = "a".repeat(31), "Username cannot exceed 30 characters"),
            (
                "username",
                |u| u.username = "ada lovelace".into(),
                "Username can only contain letters, numbers, and underscores",
            ),
            (
                "username",
                |u| u.username = "ada-l".into(),
                "Username can only contain letters, numbers, and underscores",
            ),
            ("email", |u| u.email = "".into(), "Email is required"),
            ("email", |u| u.email = "ada@example".into(), "Please provide a valid email"),
            ("email", |u| u.email = "{\"$gt\":\"\"}".into(), "Please provide a valid email"),
            ("password", |u| u.password = "".into(), "Password is required"),
            ("password", |u| u.password = "short".into(), "Password must be at least 8 characters"),
            ("password", |u| u.password = "x".repeat(129), "Password cannot exceed 128 characters"),
            ("role", |u| u.role = Some("root".into()), "`root` is not a valid enum value for path `role`."),
            (
                "experienceLevel",
                |u| u.experience_level = Some("guru".into()),
                "`guru` is not a valid enum value for path `experienceLevel`.",
            ),
            ("profile.firstName", |u| u.first_name = Some("x".repeat(51)), "First name cannot exceed 50 characters"),
            ("profile.lastName", |u| u.last_name = Some("x".repeat(51)), "Last name cannot exceed 50 characters"),
        ];
        crate::model::validation::assert_rules(valid, NewUserInput::validate, cases);
        let mut boundary = valid();
        boundary.username = "abc".into();
        boundary.password = "x".repeat(128);
        assert!(boundary.validate().is_ok());
    }

    #[test]
    fn every_profile_rule_has_its_message() {
        type Case = crate::model::validation::RuleCase<ProfileInput>;
        let cases: &[Case] = &[
            (
                "profile.displayName",
                |p| p.display_name = Some("x".repeat(101)),
                "Display name cannot exceed 100 characters",
            ),
            ("profile.bio", |p| p.bio = Some("x".repeat(501)), "Bio cannot exceed 500 characters"),
            ("profile.location", |p| p.location = Some("x".repeat(101)), "Location cannot exceed 100 characters"),
            ("profile.website", |p| p.website = Some("example.com".into()), "Website must be a valid URL"),
            ("profile.website", |p| p.website = Some("javascript:alert(1)".into()), "Website must be a valid URL"),
        ];
        crate::model::validation::assert_rules(ProfileInput::default, ProfileInput::validate, cases);
        let ok =
            ProfileInput { website: Some("https://ada.dev".into()), bio: Some("x".repeat(500)), ..Default::default() };
        assert_eq!(ok.validate().unwrap().website.as_deref(), Some("https://ada.dev"));
    }

    #[test]
    fn preferences_and_full_name() {
        assert_eq!(PreferencesInput::default().validate().unwrap(), (Theme::Dark, "en".into()));
        let bad = PreferencesInput { theme: "neon".into(), ..Default::default() };
        assert_eq!(
            bad.validate().unwrap_err().get("preferences.theme"),
            Some("`neon` is not a valid enum value for path `preferences.theme`.")
        );
        assert_eq!(full_name(Some("Ada"), Some("Lovelace")), "Ada Lovelace");
        assert_eq!(full_name(Some("Ada"), None), "Ada");
        assert_eq!(full_name(None, None), "");
    }
}
