//! One file per page.

pub mod catalog;
pub mod home;
pub mod not_found;

pub use catalog::CatalogPage;
pub use home::HomePage;
pub use not_found::NotFound;
