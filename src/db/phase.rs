//! The `phases` collection.

use mongodb::bson::DateTime;
use mongodb::bson::oid::ObjectId;
use serde::{Deserialize, Serialize};

use crate::model::Difficulty;

pub const DEFAULT_COLOR: &str = "#00ff41";

/// A phase document as stored (field names as in the spec).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Phase {
    #[serde(rename = "_id")]
    pub id: ObjectId,
    pub title: String,
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_description: Option<String>,
    pub order: i32,
    pub difficulty: Difficulty,
    /// Hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_duration: Option<i32>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub objectives: Vec<String>,
    #[serde(default)]
    pub prerequisites: Vec<ObjectId>,
    #[serde(default)]
    pub image: Option<String>,
    #[serde(default)]
    pub icon: Option<String>,
    #[serde(default = "default_color")]
    pub color: String,
    #[serde(default = "default_true")]
    pub is_active: bool,
    #[serde(default)]
    pub metadata: PhaseMetadata,
    pub created_at: DateTime,
    pub updated_at: DateTime,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PhaseMetadata {
    #[serde(default)]
    pub total_modules: i32,
    #[serde(default)]
    pub total_content: i32,
    /// Minutes.
    #[serde(default)]
    pub total_duration: i32,
}

pub(crate) fn default_color() -> String {
    DEFAULT_COLOR.to_string()
}

pub(crate) fn default_true() -> bool {
    true
}
