//! `foothold create-admin`: the only way to make an active administrator
//! without another one (there are no default credentials).

use mongodb::Database;

use crate::db::user::{self, User};
use crate::model::AdminStatus;
use crate::model::user::NewUserInput;

/// Creates an administrator account that is active at once, after the same
/// checks as a sign-up (field rules, common passwords, unique name and email).
pub async fn create_admin(db: &Database, username: &str, email: &str, password: &str) -> Result<User, String> {
    let input = NewUserInput {
        username: username.into(),
        email: email.into(),
        password: password.into(),
        role: Some("admin".into()),
        ..NewUserInput::default()
    };
    let (valid, mut errors) = match input.validate() {
        Ok(valid) => (Some(valid), crate::model::FieldErrors::new()),
        Err(errors) => (None, errors),
    };
    super::password::check_new_password(&mut errors, password, password);
    let Some(valid) = valid.filter(|_| errors.is_empty()) else {
        return Err(errors.to_string());
    };
    let hash = super::password::hash(password.to_string()).await.map_err(|e| e.to_string())?;
    let created = user::create(db, &valid, &hash).await.map_err(|e| match e {
        crate::db::error::RepoError::Invalid(errors) => errors.to_string(),
        other => other.to_string(),
    })?;
    user::set_admin_status(db, created.id, AdminStatus::Active).await.map_err(|e| e.to_string())?;
    tracing::info!(target: "security", event = "admin_created", user = %created.id);
    Ok(User { admin_status: Some(AdminStatus::Active), ..created })
}
