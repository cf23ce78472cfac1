//! Import and export of the catalog (phases, modules and their content) as
//! one JSON document, for backups and for moving a curriculum between sites.
//!
//! The file is built from the same input types an admin form submits
//! (`PhaseInput`, `ModuleInput`, `ContentInput`) plus each document's id, so
//! an import goes through exactly the validation and reference rules of an
//! admin edit. Everything an admin authored is exported, answer keys
//! included (lab flags and solutions, game keys): exports are for
//! administrators only. Derived data (counters, timestamps) and learners'
//! data are left out; counters are recomputed after an import.
//!
//! Imports are idempotent: documents are matched by id; a new id is created
//! under that id, an existing document is replaced only when the file says
//! something different, so a second import of the same file changes nothing.
//! Everything is validated before the first write, and nothing is written
//! when anything is wrong. FerretDB has no transactions, so a database
//! failure in the middle of the writes can leave part of a file imported;
//! importing the same file again completes it.

use std::collections::{HashMap, HashSet};

use futures::TryStreamExt;
use mongodb::Database;
use mongodb::bson::oid::ObjectId;
use mongodb::bson::{Document, doc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::collections::{CONTENTS, MODULES, PHASES};
use super::content::Content;
use super::error::{RepoError, is_duplicate_key};
use super::module::Module;
use super::phase::Phase;
use super::{content, counters, module, phase};
use crate::model::FieldErrors;
use crate::model::content::ContentInput;
use crate::model::module::ModuleInput;
use crate::model::phase::PhaseInput;
use crate::model::transfer::{ImportProblem, ImportReport, Tally};

/// The `format` every catalog file carries.
pub const FORMAT: &str = "foothold-catalog";
/// The version of the file layout this build writes and reads.
pub const VERSION: u32 = 1;

/// A catalog file: the phases, each with its modules, each with its content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CatalogFile {
    pub format: String,
    pub version: u32,
    /// When it was written (RFC 3339); informative only, ignored by an import.
    #[serde(default)]
    pub exported_at: String,
    #[serde(default)]
    pub phases: Vec<PhaseEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhaseEntry {
    #[serde(default)]
    pub id: String,
    #[serde(flatten)]
    pub phase: PhaseInput,
    #[serde(default)]
    pub modules: Vec<ModuleEntry>,
}

/// A module; its `phase` is the phase it is listed under.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModuleEntry {
    #[serde(default)]
    pub id: String,
    #[serde(flatten)]
    pub module: ModuleInput,
    #[serde(default)]
    pub content: Vec<ContentEntry>,
}

/// A content item; its `module` is the module it is listed under.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContentEntry {
    #[serde(default)]
    pub id: String,
    #[serde(flatten)]
    pub item: ContentInput,
}

impl CatalogFile {
    fn new(phases: Vec<PhaseEntry>) -> CatalogFile {
        CatalogFile { format: FORMAT.into(), version: VERSION, exported_at: jiff::Timestamp::now().to_string(), phases }
    }

    /// How many phases, modules and content items the file holds.
    pub fn counts(&self) -> (usize, usize, usize) {
        let modules = self.phases.iter().map(|p| p.modules.len()).sum();
        let content = self.phases.iter().flat_map(|p| &p.modules).map(|m| m.content.len()).sum();
        (self.phases.len(), modules, content)
    }

    /// Pretty JSON without the empty fields (nulls, empty lists), whole numbers
    /// written as integers: the file is meant to be read and edited by people.
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        let mut value = serde_json::to_value(self)?;
        tidy(&mut value);
        serde_json::to_string_pretty(&value)
    }
}

/// Drops nulls and empty lists (every input field defaults to them) and
/// writes whole numbers as integers; game data is left exactly as stored.
fn tidy(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            map.retain(|_, v| !(v.is_null() || v.as_array().is_some_and(Vec::is_empty)));
            for (key, v) in map.iter_mut() {
                if key != "gameData" {
                    tidy(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(tidy),
        Value::Number(n) => {
            if let Some(x) = n.as_f64().filter(|x| n.is_f64() && x.fract() == 0.0 && x.abs() < 9.0e15) {
                *value = Value::from(x as i64);
            }
        }
        _ => {}
    }
}

/// Reads a catalog file, checking its format and version before its shape so
/// that a file of another kind or version is named as such. Problems are
/// reported against `json`, `format` or `version`.
pub fn parse(text: &str) -> Result<CatalogFile, FieldErrors> {
    let mut errors = FieldErrors::new();
    let value: serde_json::Value = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(e) => {
            errors.add("json", format!("This is not valid JSON: {e}"));
            return Err(errors);
        }
    };
    let format = value.get("format").and_then(|f| f.as_str()).unwrap_or_default();
    let version = value.get("version").map(ToString::to_string).unwrap_or_default();
    for problem in header_problems(format, &version) {
        errors.add(problem.path, problem.message);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    serde_json::from_str(text).map_err(|e| {
        errors.add("json", format!("The file does not have the shape of a Foothold catalog: {e}"));
        errors
    })
}

fn header_problems(format: &str, version: &str) -> Vec<ImportProblem> {
    let mut problems = Vec::new();
    if format != FORMAT {
        problems.push(problem(
            "format",
            format!("This is not a Foothold catalog export: format is {format:?}, expected {FORMAT:?}"),
        ));
    } else if version.is_empty() {
        problems.push(problem("version", format!("The file has no version; this Foothold reads version {VERSION}")));
    } else if version != VERSION.to_string() {
        problems.push(problem(
            "version",
            format!("Catalog files of version {version} cannot be read here; this Foothold reads version {VERSION}"),
        ));
    }
    problems
}

fn problem(path: impl Into<String>, message: impl Into<String>) -> ImportProblem {
    ImportProblem { path: path.into(), message: message.into() }
}

// ---------------------------------------------------------------- export

/// Every phase with its modules and content, in their order (inactive ones too).
pub async fn export_catalog(db: &Database) -> Result<CatalogFile, RepoError> {
    let phases: Vec<Phase> = in_order(db, PHASES, doc! {}).await?;
    let modules: Vec<Module> = in_order(db, MODULES, doc! {}).await?;
    let items: Vec<Content> = in_order(db, CONTENTS, doc! {}).await?;
    let mut content_of: HashMap<ObjectId, Vec<ContentEntry>> = HashMap::new();
    for item in &items {
        content_of.entry(item.module).or_default().push(content_entry(item));
    }
    let mut modules_of: HashMap<ObjectId, Vec<ModuleEntry>> = HashMap::new();
    for m in &modules {
        let content = content_of.remove(&m.id).unwrap_or_default();
        modules_of.entry(m.phase).or_default().push(module_entry(m, content));
    }
    let entries = phases.iter().map(|p| phase_entry(p, modules_of.remove(&p.id).unwrap_or_default())).collect();
    Ok(CatalogFile::new(entries))
}

/// One module with its content, inside its phase (without the phase's other
/// modules) so that the file can be imported where the phase does not exist yet.
pub async fn export_module(db: &Database, module_id: ObjectId) -> Result<CatalogFile, RepoError> {
    let m = module::get(db, module_id).await?.ok_or(RepoError::NotFound("Module"))?;
    let p = phase::get(db, m.phase).await?.ok_or(RepoError::NotFound("The module's phase"))?;
    let items: Vec<Content> = in_order(db, CONTENTS, doc! { "module": module_id }).await?;
    let content = items.iter().map(content_entry).collect();
    Ok(CatalogFile::new(vec![phase_entry(&p, vec![module_entry(&m, content)])]))
}

/// Documents of `collection` matching `filter`, by `order` then id (a stable order, so two exports compare equal).
async fn in_order<T: DeserializeOwned + Send + Sync>(
    db: &Database,
    collection: &str,
    filter: Document,
) -> Result<Vec<T>, RepoError> {
    Ok(db.collection::<T>(collection).find(filter).sort(doc! { "order": 1, "_id": 1 }).await?.try_collect().await?)
}

fn phase_entry(p: &Phase, modules: Vec<ModuleEntry>) -> PhaseEntry {
    PhaseEntry { id: p.id.to_hex(), phase: p.to_input(), modules }
}

fn module_entry(m: &Module, content: Vec<ContentEntry>) -> ModuleEntry {
    ModuleEntry { id: m.id.to_hex(), module: m.to_input(), content }
}

fn content_entry(c: &Content) -> ContentEntry {
    ContentEntry { id: c.id.to_hex(), item: c.to_input() }
}

// ---------------------------------------------------------------- import

/// What an import does with one document of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Create,
    Update,
    Unchanged,
}

/// One document of the file, validated, with its references filled in from where it is listed.
struct Planned<I> {
    path: String,
    id: ObjectId,
    input: I,
    action: Action,
    prerequisites: Vec<ObjectId>,
}

#[derive(Default)]
struct Plan {
    phases: Vec<Planned<PhaseInput>>,
    modules: Vec<Planned<ModuleInput>>,
    content: Vec<Planned<ContentInput>>,
    problems: Vec<ImportProblem>,
}

fn tally<I>(planned: &[Planned<I>]) -> Tally {
    let count = |action| planned.iter().filter(|p| p.action == action).count();
    Tally { created: count(Action::Create), updated: count(Action::Update), unchanged: count(Action::Unchanged) }
}

/// Imports `file`: validates all of it, then (unless `dry_run`, or anything
/// is wrong) creates the new documents, replaces the changed ones and
/// refreshes the counters. The report counts what was (or, for a dry run,
/// would be) done; when it lists errors, nothing was written.
pub async fn import(db: &Database, file: &CatalogFile, dry_run: bool) -> Result<ImportReport, RepoError> {
    let plan = plan(db, file).await?;
    let mut report = ImportReport {
        dry_run,
        phases: tally(&plan.phases),
        modules: tally(&plan.modules),
        content: tally(&plan.content),
        errors: plan.problems.clone(),
    };
    if !report.errors.is_empty() {
        report.phases = Tally::default();
        report.modules = Tally::default();
        report.content = Tally::default();
        return Ok(report);
    }
    if !dry_run {
        apply(db, &plan).await?;
    }
    Ok(report)
}

/// Validates the whole file against the rules and the database, and decides
/// for each document whether it is new, changed or unchanged. Reads only.
async fn plan(db: &Database, file: &CatalogFile) -> Result<Plan, RepoError> {
    let mut plan = Plan { problems: header_problems(&file.format, &file.version.to_string()), ..Plan::default() };
    if !plan.problems.is_empty() {
        return Ok(plan);
    }

    // Ids first: every one well formed and used once in the file.
    let mut seen: HashMap<ObjectId, String> = HashMap::new();
    let mut id_of = |raw: &str, path: &str, problems: &mut Vec<ImportProblem>| -> Option<ObjectId> {
        let field = format!("{path}.id");
        let raw = raw.trim();
        if raw.is_empty() {
            problems.push(problem(field, "An id is required (24 hexadecimal characters, as in an export)"));
            return None;
        }
        let Ok(id) = ObjectId::parse_str(raw) else {
            problems.push(problem(&field, format!("Cast to ObjectId failed for value \"{raw}\" at path \"id\"")));
            return None;
        };
        if let Some(first) = seen.get(&id) {
            problems.push(problem(field, format!("Duplicate id {id}: {first} uses it too")));
            return None;
        }
        seen.insert(id, field);
        Some(id)
    };

    for (i, p) in file.phases.iter().enumerate() {
        let path = format!("phases[{i}]");
        let phase_id = id_of(&p.id, &path, &mut plan.problems);
        let mut input = p.phase.clone();
        input.prerequisites = canonical(&input.prerequisites);
        if let Some(id) = phase_id {
            plan.phases.push(Planned { path: path.clone(), id, input, action: Action::Create, prerequisites: vec![] });
        } else {
            check(&path, input.validate(), &mut plan.problems);
        }
        for (j, m) in p.modules.iter().enumerate() {
            let path = format!("{path}.modules[{j}]");
            let module_id = id_of(&m.id, &path, &mut plan.problems);
            let mut input = m.module.clone();
            input.prerequisites = canonical(&input.prerequisites);
            belongs(&path, "phase", &mut input.phase, phase_id, &mut plan.problems);
            for (k, c) in m.content.iter().enumerate() {
                let path = format!("{path}.content[{k}]");
                let content_id = id_of(&c.id, &path, &mut plan.problems);
                let mut input = c.item.clone();
                belongs(&path, "module", &mut input.module, module_id, &mut plan.problems);
                match content_id {
                    Some(id) => {
                        plan.content.push(Planned { path, id, input, action: Action::Create, prerequisites: vec![] })
                    }
                    None => {
                        check(&path, input.validate(), &mut plan.problems);
                    }
                }
            }
            match module_id {
                Some(id) => {
                    plan.modules.push(Planned { path, id, input, action: Action::Create, prerequisites: vec![] })
                }
                None => {
                    check(&path, input.validate(), &mut plan.problems);
                }
            }
        }
    }

    // Then each document's own rules, its references, and what is already stored.
    let stored_phases: HashMap<ObjectId, Phase> = stored(db, PHASES, plan.phases.iter().map(|p| p.id)).await?;
    let stored_modules: HashMap<ObjectId, Module> = stored(db, MODULES, plan.modules.iter().map(|m| m.id)).await?;
    let stored_content: HashMap<ObjectId, Content> = stored(db, CONTENTS, plan.content.iter().map(|c| c.id)).await?;

    let phase_ids: HashSet<ObjectId> = plan.phases.iter().map(|p| p.id).collect();
    let phase_prereqs = plan.phases.iter().flat_map(|p| ids(&p.input.prerequisites));
    let phases_elsewhere = existing(db, PHASES, phase_prereqs.filter(|id| !phase_ids.contains(id))).await?;
    for p in &mut plan.phases {
        let Some(valid) = check(&p.path, p.input.validate(), &mut plan.problems) else { continue };
        p.prerequisites = prerequisites(
            &p.path,
            p.id,
            &valid.prerequisites,
            |id| phase_ids.contains(id) || phases_elsewhere.contains(id),
            "Phase",
            &mut plan.problems,
        );
        p.action = action(stored_phases.get(&p.id).map(|s| s.to_input().validate()), &valid);
    }

    let module_ids: HashSet<ObjectId> = plan.modules.iter().map(|m| m.id).collect();
    let module_prereqs = plan.modules.iter().flat_map(|m| ids(&m.input.prerequisites));
    let modules_elsewhere = existing(db, MODULES, module_prereqs.filter(|id| !module_ids.contains(id))).await?;
    for m in &mut plan.modules {
        let Some(valid) = check(&m.path, m.input.validate(), &mut plan.problems) else { continue };
        m.prerequisites = prerequisites(
            &m.path,
            m.id,
            &valid.prerequisites,
            |id| module_ids.contains(id) || modules_elsewhere.contains(id),
            "Module",
            &mut plan.problems,
        );
        m.action = action(stored_modules.get(&m.id).map(|s| s.to_input().validate()), &valid);
    }

    let phase_edges: Vec<Edges> =
        plan.phases.iter().map(|p| (p.path.clone(), p.id, p.input.title.clone(), p.prerequisites.clone())).collect();
    refuse_cycles(db, PHASES, &phase_edges, &mut plan.problems).await?;
    let module_edges: Vec<Edges> =
        plan.modules.iter().map(|m| (m.path.clone(), m.id, m.input.title.clone(), m.prerequisites.clone())).collect();
    refuse_cycles(db, MODULES, &module_edges, &mut plan.problems).await?;

    for c in &mut plan.content {
        let Some(valid) = check(&c.path, c.input.validate(), &mut plan.problems) else { continue };
        c.action = action(stored_content.get(&c.id).map(|s| s.to_input().validate()), &valid);
    }
    // In the order of the file (`phases[2]` before `phases[10]`), not the order of the checks.
    plan.problems.sort_by_cached_key(|p| natural_key(&p.path));
    Ok(plan)
}

/// A path's runs of digits as numbers and the rest as text, so that paths sort as people read them.
fn natural_key(path: &str) -> Vec<(String, u64)> {
    let mut key = Vec::new();
    let mut text = String::new();
    let mut chars = path.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            let mut number = c.to_digit(10).map_or(0, u64::from);
            while let Some(digit) = chars.peek().and_then(|d| d.to_digit(10)) {
                number = number.saturating_mul(10).saturating_add(u64::from(digit));
                chars.next();
            }
            key.push((std::mem::take(&mut text), number));
        } else {
            text.push(c);
        }
    }
    key.push((text, 0));
    key
}

/// Ids written in lower case, so that `ABC…` and `abc…` compare equal.
fn canonical(ids: &[String]) -> Vec<String> {
    ids.iter()
        .map(|id| match ObjectId::parse_str(id.trim()) {
            Ok(oid) => oid.to_hex(),
            Err(_) => id.clone(),
        })
        .collect()
}

/// The well-formed ids of a list (malformed ones are reported by `validate()`).
fn ids(list: &[String]) -> Vec<ObjectId> {
    list.iter().filter_map(|id| ObjectId::parse_str(id).ok()).collect()
}

/// A module belongs to the phase it is listed under, an item to its module:
/// `reference` is filled in when empty and must name the parent otherwise.
/// Under a parent whose own id is wrong (already reported) it is left alone,
/// only made non-empty so that no second message repeats the first.
fn belongs(
    path: &str,
    field: &str,
    reference: &mut String,
    parent: Option<ObjectId>,
    problems: &mut Vec<ImportProblem>,
) {
    let Some(parent) = parent else {
        if reference.trim().is_empty() {
            *reference = ObjectId::from_bytes([0; 12]).to_hex();
        }
        return;
    };
    let given = reference.trim();
    if !given.is_empty() && ObjectId::parse_str(given).ok() != Some(parent) {
        problems.push(problem(
            format!("{path}.{field}"),
            format!(
                "It is listed under the {field} {parent}, but names {given:?}; leave `{field}` out or make it match"
            ),
        ));
    }
    *reference = parent.to_hex();
}

/// `validate()`'s result, its messages recorded under `path`.
fn check<T>(path: &str, result: Result<T, FieldErrors>, problems: &mut Vec<ImportProblem>) -> Option<T> {
    result
        .map_err(|errors| {
            for (field, message) in errors.0 {
                problems.push(problem(format!("{path}.{field}"), message));
            }
        })
        .ok()
}

/// Checks prerequisites resolve (in the file or the database) and are not
/// the document itself; returns them as ids.
fn prerequisites(
    path: &str,
    own: ObjectId,
    list: &[String],
    known: impl Fn(&ObjectId) -> bool,
    what: &str,
    problems: &mut Vec<ImportProblem>,
) -> Vec<ObjectId> {
    let mut resolved = Vec::new();
    for (i, raw) in list.iter().enumerate() {
        let Ok(id) = ObjectId::parse_str(raw) else { continue };
        let field = format!("{path}.prerequisites.{i}");
        if id == own {
            problems.push(problem(field, format!("A {} cannot be its own prerequisite", what.to_lowercase())));
        } else if !known(&id) {
            problems.push(problem(
                field,
                format!("{what} {id} not found in this file or in the database; import it first or remove it here"),
            ));
        } else {
            resolved.push(id);
        }
    }
    resolved
}

/// A planned phase or module: its path in the file, id, title and resolved prerequisites.
type Edges = (String, ObjectId, String, Vec<ObjectId>);

/// Refuses prerequisites that would form a cycle once the file is in (the
/// stored graph with the file's documents laid over it), once per cycle.
async fn refuse_cycles(
    db: &Database,
    collection: &str,
    planned: &[Edges],
    problems: &mut Vec<ImportProblem>,
) -> Result<(), RepoError> {
    let stored = super::projected(db, collection, doc! {}, doc! { "title": 1, "prerequisites": 1 }).await?;
    let mut graph: HashMap<ObjectId, (String, Vec<ObjectId>)> = stored
        .iter()
        .filter_map(|d| {
            let prerequisites = d
                .get_array("prerequisites")
                .map(|a| a.iter().filter_map(|p| p.as_object_id()).collect())
                .unwrap_or_default();
            Some((d.get_object_id("_id").ok()?, (d.get_str("title").unwrap_or("?").to_string(), prerequisites)))
        })
        .collect();
    for (_, id, title, prerequisites) in planned {
        graph.insert(*id, (title.clone(), prerequisites.clone()));
    }
    let mut reported: HashSet<Vec<ObjectId>> = HashSet::new();
    for (path, id, ..) in planned {
        let of = |k: &ObjectId| graph.get(k).map(|(_, p)| p.clone()).unwrap_or_default();
        let Some(cycle) = crate::domain::gating::find_cycle(id, of) else { continue };
        let mut members = cycle[..cycle.len() - 1].to_vec();
        members.sort();
        if reported.insert(members) {
            let names: Vec<String> =
                cycle.iter().map(|k| graph.get(k).map_or_else(|| k.to_hex(), |(t, _)| format!("“{t}”"))).collect();
            problems.push(problem(
                format!("{path}.prerequisites"),
                format!("This would make a cycle: {}", names.join(" → ")),
            ));
        }
    }
    Ok(())
}

/// Create when nothing is stored under the id; unchanged when the stored
/// document, read back as input and validated, equals the file's.
fn action<V: PartialEq>(stored: Option<Result<V, FieldErrors>>, valid: &V) -> Action {
    match stored {
        None => Action::Create,
        Some(Ok(current)) if current == *valid => Action::Unchanged,
        Some(_) => Action::Update,
    }
}

/// The stored documents of `collection` among `ids`, by id.
async fn stored<T: DeserializeOwned + Send + Sync + HasId>(
    db: &Database,
    collection: &str,
    ids: impl Iterator<Item = ObjectId>,
) -> Result<HashMap<ObjectId, T>, RepoError> {
    let ids: Vec<ObjectId> = ids.collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let found: Vec<T> =
        db.collection::<T>(collection).find(doc! { "_id": { "$in": ids } }).await?.try_collect().await?;
    Ok(found.into_iter().map(|d| (d.id(), d)).collect())
}

trait HasId {
    fn id(&self) -> ObjectId;
}

impl HasId for Phase {
    fn id(&self) -> ObjectId {
        self.id
    }
}

impl HasId for Module {
    fn id(&self) -> ObjectId {
        self.id
    }
}

impl HasId for Content {
    fn id(&self) -> ObjectId {
        self.id
    }
}

/// Which of `ids` name a document of `collection`.
async fn existing(
    db: &Database,
    collection: &str,
    ids: impl Iterator<Item = ObjectId>,
) -> Result<HashSet<ObjectId>, RepoError> {
    let ids: Vec<ObjectId> = ids.collect::<HashSet<_>>().into_iter().collect();
    if ids.is_empty() {
        return Ok(HashSet::new());
    }
    let found: Vec<Document> = db
        .collection::<Document>(collection)
        .find(doc! { "_id": { "$in": ids } })
        .projection(doc! { "_id": 1 })
        .await?
        .try_collect()
        .await?;
    Ok(found.iter().filter_map(|d| d.get_object_id("_id").ok()).collect())
}

/// Writes a validated plan through the repositories (the same checks as an
/// admin edit). A prerequisite that is itself still to be created is left
/// out of the first write and added by a second once it exists (the file
/// may list a phase before its prerequisite, or two modules may require
/// each other).
async fn apply(db: &Database, plan: &Plan) -> Result<(), RepoError> {
    let mut pending: HashSet<ObjectId> =
        plan.phases.iter().filter(|p| p.action == Action::Create).map(|p| p.id).collect();
    let mut later = Vec::new();
    for p in plan.phases.iter().filter(|p| p.action != Action::Unchanged) {
        let mut input = p.input.clone();
        input.prerequisites = present(&p.prerequisites, &pending);
        if input.prerequisites.len() < p.prerequisites.len() {
            later.push(p);
        }
        match p.action {
            Action::Create => at(&p.path, phase::create_with_id(db, p.id, &input).await)?,
            _ => at(&p.path, phase::update(db, p.id, &input).await)?,
        };
        pending.remove(&p.id);
    }
    for p in later {
        at(&p.path, phase::update(db, p.id, &p.input).await)?;
    }

    let mut pending: HashSet<ObjectId> =
        plan.modules.iter().filter(|m| m.action == Action::Create).map(|m| m.id).collect();
    let mut later = Vec::new();
    for m in plan.modules.iter().filter(|m| m.action != Action::Unchanged) {
        let mut input = m.input.clone();
        input.prerequisites = present(&m.prerequisites, &pending);
        if input.prerequisites.len() < m.prerequisites.len() {
            later.push(m);
        }
        match m.action {
            Action::Create => at(&m.path, module::create_with_id(db, m.id, &input).await)?,
            _ => at(&m.path, module::update(db, m.id, &input).await)?,
        };
        pending.remove(&m.id);
    }
    for m in later {
        at(&m.path, module::update(db, m.id, &m.input).await)?;
    }

    for c in plan.content.iter().filter(|c| c.action != Action::Unchanged) {
        match c.action {
            Action::Create => at(&c.path, content::create_with_id(db, c.id, &c.input).await)?,
            _ => at(&c.path, content::update(db, c.id, &c.input).await)?,
        };
    }

    // The repositories keep counters as they go; one last pass leaves every
    // module and phase of the file right whatever the order of the writes.
    let written = |action: Action| action != Action::Unchanged;
    if plan.phases.iter().any(|p| written(p.action))
        || plan.modules.iter().any(|m| written(m.action))
        || plan.content.iter().any(|c| written(c.action))
    {
        for m in &plan.modules {
            counters::refresh_module(db, m.id).await?;
        }
        for p in &plan.phases {
            counters::refresh_phase(db, p.id).await?;
        }
    }
    Ok(())
}

/// The prerequisites that exist already (not still waiting to be created), as ids.
fn present(prerequisites: &[ObjectId], pending: &HashSet<ObjectId>) -> Vec<String> {
    prerequisites.iter().filter(|id| !pending.contains(id)).map(|id| id.to_hex()).collect()
}

/// A repository's error during the writes, its fields placed at `path`.
/// (Only a concurrent edit can make a write fail a rule the plan checked.)
fn at<T>(path: &str, result: Result<T, RepoError>) -> Result<T, RepoError> {
    result.map_err(|err| match err {
        RepoError::Invalid(errors) => {
            let mut placed = FieldErrors::new();
            for (field, message) in errors.0 {
                placed.add(format!("{path}.{field}"), message);
            }
            RepoError::Invalid(placed)
        }
        RepoError::Db(e) if is_duplicate_key(&e) => RepoError::field(
            &format!("{path}.id"),
            "Another import created this document at the same moment; import the file again",
        ),
        other => other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidy_drops_empty_fields_but_keeps_game_data_as_is() {
        let mut value = serde_json::json!({
            "order": 2.0, "image": null, "tags": [], "ratio": 0.5,
            "content": { "videoUrl": null, "gameData": { "hint": null, "points": 1.0 } }
        });
        tidy(&mut value);
        assert_eq!(
            value,
            serde_json::json!({ "order": 2, "ratio": 0.5, "content": { "gameData": { "hint": null, "points": 1.0 } } })
        );
    }

    #[test]
    fn parse_names_the_format_and_version_before_the_shape() {
        let cases: &[(&str, &str, &str)] = &[
            ("{", "json", "This is not valid JSON"),
            (r#"{"format": "other", "version": 1}"#, "format", "not a Foothold catalog export"),
            (r#"{"version": 1}"#, "format", "format is \"\""),
            (r#"{"format": "foothold-catalog", "version": 2}"#, "version", "version 2 cannot be read"),
            (r#"{"format": "foothold-catalog", "version": "1"}"#, "version", "version \"1\" cannot be read"),
            (r#"{"format": "foothold-catalog", "version": 1, "phases": 3}"#, "json", "does not have the shape"),
        ];
        for (text, field, message) in cases {
            let errors = parse(text).unwrap_err();
            let got = errors.get(field).unwrap_or_else(|| panic!("{text}: no error on {field}: {errors:?}"));
            assert!(got.contains(message), "{text}: {got}");
        }
        let empty = parse(r#"{"format": "foothold-catalog", "version": 1}"#).unwrap();
        assert!(empty.phases.is_empty());
    }

    #[test]
    fn entries_read_the_input_fields_beside_their_id() {
        let text = r#"{"format": "foothold-catalog", "version": 1, "phases": [{
            "id": "5f1d7f3a9b1e8a3c4d5e6f70", "title": "Foundations", "order": 1,
            "modules": [{ "id": "5f1d7f3a9b1e8a3c4d5e6f71", "title": "Linux", "isFeatured": true,
                "content": [{ "id": "5f1d7f3a9b1e8a3c4d5e6f72", "type": "video", "content": { "videoUrl": "/v.webm" } }] }]
        }]}"#;
        let file = parse(text).unwrap();
        let phase = &file.phases[0];
        assert_eq!(
            (phase.id.as_str(), phase.phase.title.as_str(), phase.phase.order),
            ("5f1d7f3a9b1e8a3c4d5e6f70", "Foundations", Some(1.0))
        );
        assert!(phase.modules[0].module.is_featured);
        let item = &phase.modules[0].content[0].item;
        assert_eq!((item.kind.as_str(), item.content.video_url.as_deref()), ("video", Some("/v.webm")));
        assert_eq!(file.counts(), (1, 1, 1));
    }

    #[test]
    fn a_file_writes_and_reads_back_the_same() {
        let text = r#"{"format": "foothold-catalog", "version": 1, "exportedAt": "2025-01-01T00:00:00Z", "phases": [{
            "id": "5f1d7f3a9b1e8a3c4d5e6f70", "title": "Foundations", "description": "d", "order": 1,
            "difficulty": "beginner", "modules": []
        }]}"#;
        let file = parse(text).unwrap();
        let again = parse(&file.to_json().unwrap()).unwrap();
        assert_eq!(file, again);
    }

    #[test]
    fn problems_sort_in_the_order_of_the_file() {
        let mut paths =
            vec!["phases[10].title", "phases[2].modules[0].id", "phases[2].id", "phases[2].modules[0].tags.1"];
        paths.sort_by_cached_key(|p| natural_key(p));
        assert_eq!(
            paths,
            ["phases[2].id", "phases[2].modules[0].id", "phases[2].modules[0].tags.1", "phases[10].title"]
        );
    }

    #[test]
    fn actions_compare_validated_documents() {
        assert_eq!(action::<i32>(None, &1), Action::Create);
        assert_eq!(action(Some(Ok(1)), &1), Action::Unchanged);
        assert_eq!(action(Some(Ok(2)), &1), Action::Update);
        assert_eq!(action(Some(Err(FieldErrors::new())), &1), Action::Update);
    }
}
