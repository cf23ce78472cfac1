//! Server functions, grouped by area. Each one checks the caller, validates
//! its input and calls `db/` and `domain/`; nothing else.

pub mod accounts;
pub mod achievement_admin;
pub mod achievements;
pub mod admin;
pub mod analytics;
pub mod audit;
pub mod auth;
pub mod authoring;
pub mod catalog;
pub mod certificates;
pub mod content_authoring;
pub mod dashboard;
pub mod leaderboard;
pub mod learn;
pub mod profile;
pub mod settings;
pub mod transfer;
