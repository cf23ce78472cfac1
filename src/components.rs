//! UI pieces shared by several pages.

pub mod chart;
pub mod form;
pub mod layout;
pub mod learn;
pub mod module_card;
pub mod server_html;

pub use crate::model::encode_query_value;
