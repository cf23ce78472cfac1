//! The `modules` collection.

use mongodb::bson::DateTime;
use mongodb::bson::oid::ObjectId;
use serde::{Deserialize, Serialize};

use super::phase::default_true;
use crate::model::Difficulty;

/// A module document as stored (field names as in the spec).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Module {
    #[serde(rename = "_id")]
    pub id: ObjectId,
    pub title: String,
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_description: Option<String>,
    pub phase: ObjectId,
    pub order: i32,
    pub difficulty: Difficulty,
    /// Minutes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_duration: Option<i32>,
    #[serde(default)]
    pub prerequisites: Vec<ObjectId>,
    #[serde(default)]
    pub learning_objectives: Vec<String>,
    #[serde(default)]
    pub skills: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub image: Option<String>,
    #[serde(default)]
    pub icon: Option<String>,
    #[serde(default)]
    pub instructor: Instructor,
    #[serde(default = "default_true")]
    pub is_active: bool,
    #[serde(default)]
    pub is_featured: bool,
    #[serde(default)]
    pub metadata: ModuleMetadata,
    #[serde(default)]
    pub settings: ModuleSettings,
    pub created_at: DateTime,
    pub updated_at: DateTime,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Instructor {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bio: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ModuleMetadata {
    #[serde(default)]
    pub total_content: i32,
    /// Minutes.
    #[serde(default)]
    pub total_duration: i32,
    #[serde(default)]
    pub video_count: i32,
    #[serde(default)]
    pub lab_count: i32,
    #[serde(default)]
    pub game_count: i32,
    #[serde(default)]
    pub document_count: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ModuleSettings {
    #[serde(default)]
    pub allow_download: bool,
    #[serde(default = "default_true")]
    pub require_sequential_completion: bool,
    #[serde(default)]
    pub certificate_eligible: bool,
}

impl Default for ModuleSettings {
    fn default() -> Self {
        ModuleSettings { allow_download: false, require_sequential_completion: true, certificate_eligible: false }
    }
}
