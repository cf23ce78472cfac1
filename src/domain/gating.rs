//! What must be completed before a phase, a module or a content item opens,
//! and how a locked item says so.
//!
//! - A phase opens when every phase in its `prerequisites` is complete (all
//!   of its active modules completed).
//! - A module opens when its phase is open and every module in its
//!   `prerequisites` is completed.
//! - With `settings.requireSequentialCompletion`, a content item opens when
//!   every earlier active item (lower `order`) is completed, except those
//!   whose `settings.allowSkip` lets the learner pass them by.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NeedKind {
    Phase,
    Module,
    Content,
}

/// Something to complete first, with what a link to it needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Need {
    pub kind: NeedKind,
    pub id: String,
    pub title: String,
}

/// A prerequisite (phase or module) and whether the learner has completed it.
#[derive(Debug, Clone, PartialEq)]
pub struct Prerequisite {
    pub id: String,
    pub title: String,
    pub completed: bool,
}

/// A content item of a module as gating sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub id: String,
    pub title: String,
    pub order: i32,
    pub completed: bool,
    pub allow_skip: bool,
}

fn unmet(kind: NeedKind, prerequisites: &[Prerequisite]) -> Vec<Need> {
    prerequisites
        .iter()
        .filter(|p| !p.completed)
        .map(|p| Need { kind, id: p.id.clone(), title: p.title.clone() })
        .collect()
}

/// Phases to complete before this phase opens.
pub fn phase_needs(prerequisite_phases: &[Prerequisite]) -> Vec<Need> {
    unmet(NeedKind::Phase, prerequisite_phases)
}

/// Phases and modules to complete before this module opens.
pub fn module_needs(phase_needs: Vec<Need>, prerequisite_modules: &[Prerequisite]) -> Vec<Need> {
    let mut needs = phase_needs;
    needs.extend(unmet(NeedKind::Module, prerequisite_modules));
    needs
}

/// Earlier items to complete before `target` opens (empty when it is open).
pub fn content_needs(sequential: bool, items: &[Item], target: &str) -> Vec<Need> {
    let Some(target) = items.iter().find(|i| i.id == target) else {
        return Vec::new();
    };
    if !sequential {
        return Vec::new();
    }
    let mut earlier: Vec<&Item> =
        items.iter().filter(|i| i.order < target.order && !i.completed && !i.allow_skip).collect();
    earlier.sort_by_key(|i| i.order);
    earlier.into_iter().map(|i| Need { kind: NeedKind::Content, id: i.id.clone(), title: i.title.clone() }).collect()
}

/// A phase is complete when it has active modules and all are completed.
pub fn phase_complete(module_completed: &[bool]) -> bool {
    !module_completed.is_empty() && module_completed.iter().all(|c| *c)
}

/// "Complete “A” and “B” first." — what a locked item shows.
pub fn explain(needs: &[Need]) -> Option<String> {
    let names: Vec<String> = needs
        .iter()
        .map(|n| {
            let what = match n.kind {
                NeedKind::Phase => "the phase ",
                NeedKind::Module => "the module ",
                NeedKind::Content => "",
            };
            format!("{what}“{}”", n.title)
        })
        .collect();
    let list = match names.as_slice() {
        [] => return None,
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    };
    Some(format!("Complete {list} first."))
}

/// The prerequisite cycle that `start` would close, as the path from
/// `start` back to it (`[start, …, start]`), or `None`. `prerequisites_of`
/// gives each node's prerequisites (with the proposed edit applied).
pub fn find_cycle<K, F>(start: &K, prerequisites_of: F) -> Option<Vec<K>>
where
    K: Clone + Eq + std::hash::Hash,
    F: Fn(&K) -> Vec<K>,
{
    let mut seen = std::collections::HashSet::new();
    let mut path = vec![start.clone()];
    fn walk<K: Clone + Eq + std::hash::Hash>(
        node: &K,
        start: &K,
        prerequisites_of: &dyn Fn(&K) -> Vec<K>,
        seen: &mut std::collections::HashSet<K>,
        path: &mut Vec<K>,
    ) -> bool {
        for next in prerequisites_of(node) {
            if &next == start {
                path.push(next);
                return true;
            }
            if seen.insert(next.clone()) {
                path.push(next.clone());
                if walk(&next, start, prerequisites_of, seen, path) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }
    walk(start, start, &prerequisites_of, &mut seen, &mut path).then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prereq(id: &str, completed: bool) -> Prerequisite {
        Prerequisite { id: id.into(), title: id.to_uppercase(), completed }
    }

    fn item(id: &str, order: i32, completed: bool, allow_skip: bool) -> Item {
        Item { id: id.into(), title: id.to_uppercase(), order, completed, allow_skip }
    }

    fn ids(needs: &[Need]) -> Vec<&str> {
        needs.iter().map(|n| n.id.as_str()).collect()
    }

    #[test]
    fn phases_and_modules_wait_for_their_prerequisites() {
        assert!(phase_needs(&[]).is_empty());
        assert!(phase_needs(&[prereq("a", true)]).is_empty());
        assert_eq!(ids(&phase_needs(&[prereq("a", true), prereq("b", false)])), ["b"]);
        let needs = module_needs(phase_needs(&[prereq("p", false)]), &[prereq("m1", false), prereq("m2", true)]);
        assert_eq!(ids(&needs), ["p", "m1"]);
        assert_eq!(needs[0].kind, NeedKind::Phase);
        assert_eq!(needs[1].kind, NeedKind::Module);
        assert!(module_needs(Vec::new(), &[prereq("m", true)]).is_empty());
    }

    #[test]
    fn sequential_content_opens_in_order() {
        let items = [item("a", 1, true, false), item("b", 2, false, false), item("c", 3, false, false)];
        assert!(content_needs(true, &items, "a").is_empty());
        assert!(content_needs(true, &items, "b").is_empty());
        assert_eq!(ids(&content_needs(true, &items, "c")), ["b"]);
        assert!(content_needs(false, &items, "c").is_empty(), "free order");
        assert!(content_needs(true, &items, "unknown").is_empty());
        let shuffled = [item("d", 4, false, false), item("b", 2, false, false), item("a", 1, false, false)];
        assert_eq!(ids(&content_needs(true, &shuffled, "d")), ["a", "b"]);
    }

    #[test]
    fn skippable_items_do_not_block() {
        let items = [item("a", 1, false, true), item("b", 2, false, false)];
        assert!(content_needs(true, &items, "b").is_empty());
    }

    #[test]
    fn a_phase_is_complete_when_all_its_modules_are() {
        assert!(!phase_complete(&[]));
        assert!(!phase_complete(&[true, false]));
        assert!(phase_complete(&[true, true]));
    }

    #[test]
    fn locked_items_say_what_unlocks_them() {
        let need = |kind, title: &str| Need { kind, id: title.into(), title: title.into() };
        assert_eq!(explain(&[]), None);
        assert_eq!(explain(&[need(NeedKind::Content, "Intro")]).as_deref(), Some("Complete “Intro” first."));
        assert_eq!(
            explain(&[need(NeedKind::Phase, "Foundations"), need(NeedKind::Module, "Web")]).as_deref(),
            Some("Complete the phase “Foundations” and the module “Web” first.")
        );
        assert_eq!(
            explain(&[need(NeedKind::Content, "A"), need(NeedKind::Content, "B"), need(NeedKind::Content, "C")])
                .as_deref(),
            Some("Complete “A”, “B” and “C” first.")
        );
    }

    #[test]
    fn cycles_through_prerequisites_are_found_with_their_path() {
        use std::collections::HashMap;
        let graph: HashMap<&str, Vec<&str>> =
            HashMap::from([("a", vec!["b"]), ("b", vec!["c", "d"]), ("c", vec![]), ("d", vec!["a"]), ("e", vec!["e"])]);
        let of = |k: &&str| graph.get(k).cloned().unwrap_or_default();
        assert_eq!(find_cycle(&"a", of), Some(vec!["a", "b", "d", "a"]));
        assert_eq!(find_cycle(&"e", of), Some(vec!["e", "e"]));
        assert_eq!(find_cycle(&"c", of), None);
        let dag: HashMap<&str, Vec<&str>> = HashMap::from([("a", vec!["b", "c"]), ("b", vec!["c"]), ("c", vec![])]);
        assert_eq!(find_cycle(&"a", |k: &&str| dag.get(k).cloned().unwrap_or_default()), None);
    }
}
