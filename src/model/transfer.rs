//! What an import of a catalog file reports (see `db::transfer` for the
//! format); shared by the server, the command line and the admin page.

use serde::{Deserialize, Serialize};

/// How many documents of one kind an import created, updated or left unchanged.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// One problem of an import file, at its place in the file
/// (`phases[0].modules[1].content[2].title`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportProblem {
    pub path: String,
    pub message: String,
}

/// What an import did (or, for a dry run, would do). When `errors` is not
/// empty nothing was written and the tallies are zero.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportReport {
    pub dry_run: bool,
    pub phases: Tally,
    pub modules: Tally,
    pub content: Tally,
    pub errors: Vec<ImportProblem>,
}

impl Tally {
    fn describe(&self, what: &str) -> String {
        format!("{what}: {} created, {} updated, {} unchanged", self.created, self.updated, self.unchanged)
    }
}

impl ImportReport {
    /// One line for people and the audit log.
    pub fn summary(&self) -> String {
        if !self.errors.is_empty() {
            return format!("Import refused: {} problem(s) in the file; nothing was written.", self.errors.len());
        }
        let counts =
            [self.phases.describe("phases"), self.modules.describe("modules"), self.content.describe("content")]
                .join("; ");
        if self.dry_run { format!("Dry run, nothing was written. {counts}.") } else { format!("{counts}.") }
    }

    /// The problems as field messages keyed by their path in the file.
    pub fn field_errors(&self) -> crate::model::FieldErrors {
        let mut errors = crate::model::FieldErrors::new();
        for problem in &self.errors {
            errors.add(problem.path.clone(), problem.message.clone());
        }
        errors
    }
}
