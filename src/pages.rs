//! One file per page.

pub mod catalog;
pub mod home;
pub mod login;
pub mod not_found;
pub mod register;

pub use catalog::CatalogPage;
pub use home::HomePage;
pub use login::LoginPage;
pub use not_found::NotFound;
pub use register::RegisterPage;
