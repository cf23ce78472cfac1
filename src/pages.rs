//! One file per page.

pub mod admin;
pub mod catalog;
pub mod home;
pub mod login;
pub mod not_found;
pub mod password_reset;
pub mod register;
pub mod settings;
pub mod two_factor;

pub use admin::AdminPage;
pub use catalog::CatalogPage;
pub use home::HomePage;
pub use login::LoginPage;
pub use not_found::NotFound;
pub use password_reset::{ForgotPasswordPage, ResetPasswordPage};
pub use register::RegisterPage;
pub use settings::SettingsPage;
pub use two_factor::TwoFactorLoginPage;
