//! UI pieces shared by several pages.

pub mod form;
pub mod learn;
pub mod layout;
pub mod module_card;
