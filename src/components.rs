//! UI pieces shared by several pages.

pub mod layout;
pub mod module_card;
