use serde::{Deserialize, Serialize};

use super::{Difficulty, EnrollmentStatus, FieldErrors};

/// Everything `/catalog` shows: active phases in order, each with its active modules in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Catalog {
    pub phases: Vec<PhaseCard>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhaseCard {
    pub id: String,
    pub title: String,
    pub short_description: Option<String>,
    pub description: String,
    pub order: u32,
    pub difficulty: Difficulty,
    /// Estimated duration in hours, as the spec stores it for phases.
    pub estimated_hours: Option<u32>,
    pub color: String,
    pub modules: Vec<ModuleCard>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModuleCard {
    pub id: String,
    pub title: String,
    pub short_description: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    pub order: u32,
    pub difficulty: Difficulty,
    /// Estimated duration in minutes, as the spec stores it for modules.
    pub estimated_minutes: Option<u32>,
    pub is_featured: bool,
    pub tags: Vec<String>,
    pub skills: Vec<String>,
    pub total_content: u32,
    pub video_count: u32,
    pub lab_count: u32,
    pub game_count: u32,
    pub document_count: u32,
    /// The signed-in learner's enrollment, if any.
    #[serde(default)]
    pub progress: Option<CardProgress>,
}

impl ModuleCard {
    /// The module's page.
    pub fn href(&self) -> String {
        ["/modules/", &self.id].concat()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CardProgress {
    pub status: EnrollmentStatus,
    pub percentage: f64,
}

/// What `/catalog?difficulty=…&tag=…&skill=…&q=…` asks for. Text matches a
/// module's title, descriptions, tags and skills, ignoring case (in Rust:
/// FerretDB 1.24 has no `$text`, and the catalog is small enough to filter
/// in memory, in the page after hydration).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CatalogFilter {
    pub difficulty: Option<Difficulty>,
    pub tag: Option<String>,
    pub skill: Option<String>,
    pub text: Option<String>,
}

impl CatalogFilter {
    /// The longest text, tag or skill a filter takes (the search box's `maxlength`).
    pub const MAX_LEN: usize = 100;

    /// The filter a page's query asks for (`param` reads one parameter):
    /// values trimmed, empty ones and unknown difficulties ignored.
    pub fn from_query(param: impl Fn(&str) -> Option<String>) -> CatalogFilter {
        let text = |key: &str| param(key).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        CatalogFilter {
            difficulty: param("difficulty").and_then(|d| Difficulty::parse(&d)),
            tag: text("tag"),
            skill: text("skill"),
            text: text("q"),
        }
    }

    /// The filter if each of its texts fits [`CatalogFilter::MAX_LEN`].
    pub fn validate(self) -> Result<CatalogFilter, FieldErrors> {
        let mut errors = FieldErrors::new();
        let message = format!("A catalog filter is at most {} characters.", Self::MAX_LEN);
        for (field, value) in [("tag", &self.tag), ("skill", &self.skill), ("q", &self.text)] {
            errors.max_len_opt(field, value.as_deref(), Self::MAX_LEN, &message);
        }
        errors.finish(self)
    }

    pub fn is_empty(&self) -> bool {
        *self == CatalogFilter::default()
    }

    /// The query string of this filter with `difficulty` replaced.
    pub fn with_difficulty(&self, difficulty: Option<Difficulty>) -> String {
        let mut parts = Vec::new();
        if let Some(d) = difficulty {
            parts.push(format!("difficulty={}", d.as_str()));
        }
        for (key, value) in [("tag", &self.tag), ("skill", &self.skill), ("q", &self.text)] {
            if let Some(v) = value {
                parts.push(format!("{key}={}", super::encode_query_value(v)));
            }
        }
        if parts.is_empty() { "/catalog".into() } else { format!("/catalog?{}", parts.join("&")) }
    }

    fn matches(&self, m: &ModuleCard) -> bool {
        let same = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
        self.difficulty.is_none_or(|d| m.difficulty == d)
            && self.tag.as_deref().is_none_or(|t| m.tags.iter().any(|x| same(x, t)))
            && self.skill.as_deref().is_none_or(|s| m.skills.iter().any(|x| same(x, s)))
            && self.text.as_deref().is_none_or(|text| {
                let needle = text.to_lowercase();
                [Some(m.title.as_str()), m.short_description.as_deref(), m.description.as_deref()]
                    .into_iter()
                    .flatten()
                    .chain(m.tags.iter().map(String::as_str))
                    .chain(m.skills.iter().map(String::as_str))
                    .any(|field| field.to_lowercase().contains(&needle))
            })
    }
}

impl Catalog {
    /// [`Catalog::matching`] as an owned catalog, for the tests to compare
    /// whole catalogs (pages render the borrowed form).
    #[cfg(test)]
    fn filtered(&self, filter: &CatalogFilter) -> Catalog {
        let phases = self
            .matching(filter)
            .map(|(phase, modules)| PhaseCard { modules: modules.into_iter().cloned().collect(), ..phase.clone() })
            .collect();
        Catalog { phases }
    }

    /// The phases with their modules that match `filter`, borrowed: what a
    /// page renders without copying the catalog. With no filter every phase
    /// stays, even one without modules yet; with one, a phase left without
    /// a module is dropped.
    pub fn matching<'a>(
        &'a self,
        filter: &'a CatalogFilter,
    ) -> impl Iterator<Item = (&'a PhaseCard, Vec<&'a ModuleCard>)> + 'a {
        let everything = filter.is_empty();
        self.phases.iter().filter_map(move |phase| {
            let modules: Vec<&ModuleCard> = phase.modules.iter().filter(|m| filter.matches(m)).collect();
            (everything || !modules.is_empty()).then_some((phase, modules))
        })
    }

    pub fn module_count(&self) -> usize {
        self.phases.iter().map(|p| p.modules.len()).sum()
    }

    /// Featured modules, in phase order.
    pub fn featured(&self) -> impl Iterator<Item = &ModuleCard> {
        self.phases.iter().flat_map(|p| p.modules.iter().filter(|m| m.is_featured))
    }

    /// Every tag (or skill) used by a module, sorted, each once.
    pub fn tags(&self) -> Vec<String> {
        self.distinct(|m| &m.tags)
    }

    pub fn skills(&self) -> Vec<String> {
        self.distinct(|m| &m.skills)
    }

    /// Sorted and deduplicated ignoring ASCII case, the first spelling kept.
    /// It runs on every catalog render over hundreds of entries, most of them
    /// repeats, so it first keeps each exact name once (in catalog order),
    /// then sorts only those, borrowed and compared without lowercase copies,
    /// and copies only the distinct ones.
    fn distinct(&self, of: impl Fn(&ModuleCard) -> &Vec<String>) -> Vec<String> {
        let mut seen = std::collections::HashSet::new();
        let mut names: Vec<&str> = self
            .phases
            .iter()
            .flat_map(|p| p.modules.iter().flat_map(&of))
            .map(String::as_str)
            .filter(|name| seen.insert(*name))
            .collect();
        // Stable: of two spellings of one name, the first in the catalog stays first.
        names.sort_by(|a, b| a.bytes().map(|c| c.to_ascii_lowercase()).cmp(b.bytes().map(|c| c.to_ascii_lowercase())));
        names.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
        names.into_iter().map(str::to_string).collect()
    }
}

/// "1 h 30 min" style text for a number of minutes.
pub fn format_minutes(minutes: u32) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module(title: &str, difficulty: Difficulty) -> ModuleCard {
        ModuleCard {
            id: title.to_lowercase(),
            title: title.into(),
            short_description: None,
            description: None,
            order: 1,
            difficulty,
            estimated_minutes: None,
            is_featured: false,
            tags: vec![],
            skills: vec![],
            total_content: 0,
            video_count: 0,
            lab_count: 0,
            game_count: 0,
            document_count: 0,
            progress: None,
        }
    }

    fn phase(title: &str, modules: Vec<ModuleCard>) -> PhaseCard {
        PhaseCard {
            id: title.to_lowercase(),
            title: title.into(),
            short_description: None,
            description: String::new(),
            order: 1,
            difficulty: Difficulty::Beginner,
            estimated_hours: None,
            color: "#00ff41".into(),
            modules,
        }
    }

    #[test]
    fn filter_keeps_matching_modules_and_drops_empty_phases() {
        let catalog = Catalog {
            phases: vec![
                phase("A", vec![module("Ports", Difficulty::Beginner), module("Pivot", Difficulty::Advanced)]),
                phase("B", vec![module("Kerberos", Difficulty::Expert)]),
            ],
        };
        let by = |d| CatalogFilter { difficulty: Some(d), ..CatalogFilter::default() };
        assert_eq!(catalog.filtered(&CatalogFilter::default()), catalog);
        let with_empty = Catalog { phases: vec![phase("Soon", vec![]), catalog.phases[1].clone()] };
        assert_eq!(
            with_empty.matching(&CatalogFilter::default()).count(),
            2,
            "no filter: a phase without modules stays"
        );
        assert_eq!(with_empty.matching(&by(Difficulty::Expert)).count(), 1);
        let beginner = catalog.filtered(&by(Difficulty::Beginner));
        assert_eq!(beginner.phases.len(), 1);
        assert_eq!(beginner.phases[0].modules[0].title, "Ports");
        assert_eq!(catalog.filtered(&by(Difficulty::Expert)).phases[0].title, "B");
        assert_eq!(catalog.filtered(&by(Difficulty::Intermediate)).module_count(), 0);
        assert_eq!(catalog.module_count(), 3);
    }

    #[test]
    fn tags_skills_and_text_filter_without_regard_to_case() {
        let mut ports = module("Port Scanning", Difficulty::Beginner);
        ports.tags = vec!["nmap".into(), "Recon".into()];
        ports.skills = vec!["Enumeration".into()];
        ports.is_featured = true;
        let mut sqli = module("SQL Injection", Difficulty::Intermediate);
        sqli.tags = vec!["web".into(), "recon".into()];
        sqli.short_description = Some("Break a login with a quote".into());
        let catalog = Catalog { phases: vec![phase("A", vec![ports, sqli])] };
        let titles = |f: CatalogFilter| -> Vec<String> {
            catalog.filtered(&f).phases.iter().flat_map(|p| p.modules.iter().map(|m| m.title.clone())).collect()
        };
        let f = CatalogFilter::default;
        assert_eq!(titles(CatalogFilter { tag: Some("NMAP".into()), ..f() }), ["Port Scanning"]);
        assert_eq!(titles(CatalogFilter { tag: Some("recon".into()), ..f() }).len(), 2);
        assert_eq!(titles(CatalogFilter { skill: Some("enumeration".into()), ..f() }), ["Port Scanning"]);
        assert_eq!(titles(CatalogFilter { text: Some("LOGIN".into()), ..f() }), ["SQL Injection"]);
        assert_eq!(titles(CatalogFilter { text: Some("scan".into()), ..f() }), ["Port Scanning"]);
        assert!(titles(CatalogFilter { text: Some("kerberos".into()), ..f() }).is_empty());
        assert_eq!(
            titles(CatalogFilter { tag: Some("recon".into()), difficulty: Some(Difficulty::Intermediate), ..f() }),
            ["SQL Injection"]
        );
        assert_eq!(catalog.tags(), ["nmap", "Recon", "web"]);
        assert_eq!(catalog.skills(), ["Enumeration"]);
        assert_eq!(catalog.featured().count(), 1);
    }

    #[test]
    fn tag_lists_sort_ignoring_case_and_keep_the_first_spelling() {
        let mut a = module("A", Difficulty::Beginner);
        a.tags = vec!["Zeta".into(), "alpha".into(), "OSINT".into()];
        let mut b = module("B", Difficulty::Beginner);
        b.tags = vec!["ALPHA".into(), "beta".into(), "osint".into(), "Zeta".into()];
        let catalog = Catalog { phases: vec![phase("P", vec![a]), phase("Q", vec![b])] };
        assert_eq!(catalog.tags(), ["alpha", "beta", "OSINT", "Zeta"]);
        assert!(Catalog::default().tags().is_empty());
    }

    #[test]
    fn filter_links_keep_the_other_criteria() {
        let f = CatalogFilter { tag: Some("red team".into()), text: Some("a&b".into()), ..CatalogFilter::default() };
        assert_eq!(f.with_difficulty(Some(Difficulty::Expert)), "/catalog?difficulty=expert&tag=red%20team&q=a%26b");
        assert_eq!(CatalogFilter::default().with_difficulty(None), "/catalog");
    }

    #[test]
    fn a_query_becomes_a_trimmed_filter_and_overlong_texts_are_refused() {
        let query = |pairs: &'static [(&'static str, &'static str)]| {
            move |key: &str| pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| v.to_string())
        };
        let filter = CatalogFilter::from_query(query(&[("difficulty", "expert"), ("tag", " web "), ("q", "  ")]));
        assert_eq!(
            filter,
            CatalogFilter { difficulty: Some(Difficulty::Expert), tag: Some("web".into()), skill: None, text: None }
        );
        assert_eq!(CatalogFilter::from_query(query(&[("difficulty", "$ne")])), CatalogFilter::default());
        assert_eq!(filter.clone().validate(), Ok(filter));

        let long = "x".repeat(CatalogFilter::MAX_LEN + 1);
        let errors = CatalogFilter { text: Some(long), ..CatalogFilter::default() }.validate().unwrap_err();
        assert_eq!(errors.get("q"), Some("A catalog filter is at most 100 characters."));
        let fits = CatalogFilter { skill: Some("x".repeat(CatalogFilter::MAX_LEN)), ..CatalogFilter::default() };
        assert!(fits.validate().is_ok());
    }

    #[test]
    fn minutes_are_formatted_for_people() {
        for (minutes, text) in [(0, "0 min"), (45, "45 min"), (60, "1 h"), (90, "1 h 30 min"), (125, "2 h 5 min")] {
            assert_eq!(format_minutes(minutes), text);
        }
    }
}
