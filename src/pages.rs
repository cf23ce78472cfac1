//! One file per page.

pub mod achievements;
pub mod admin;
pub mod catalog;
pub mod certificate;
pub mod dashboard;
pub mod home;
pub mod leaderboard;
pub mod learn;
pub mod login;
pub mod module;
pub mod not_found;
pub mod password_reset;
pub mod phase;
pub mod profile;
pub mod register;
pub mod settings;
pub mod two_factor;

pub use achievements::AchievementsPage;
pub use admin::{
    AchievementEditorPage, AdminAchievementsPage, AdminAuditPage, AdminCatalogPage, AdminPage, AdminTransferPage,
    AdminUserPage, AdminUsersPage, ModuleEditorPage, PhaseEditorPage,
};
pub use admin::{ContentEditorPage, ModuleContentPage};
pub use catalog::CatalogPage;
pub use certificate::CertificatePage;
pub use dashboard::DashboardPage;
pub use home::HomePage;
pub use leaderboard::LeaderboardPage;
pub use learn::PlayerPage;
pub use login::LoginPage;
pub use module::ModulePage;
pub use not_found::NotFound;
pub use password_reset::{ForgotPasswordPage, ResetPasswordPage};
pub use phase::PhasePage;
pub use profile::ProfilePage;
pub use register::RegisterPage;
pub use settings::SettingsPage;
pub use two_factor::TwoFactorLoginPage;
