//! Grading of games and labs, on the server, against keys the browser never sees.
//!
//! Answers arrive as one flat map so that the same plain HTML form works with
//! and without JavaScript (`answers[key]=value`):
//! - quiz: `answers[<question id>] = <choice index>` for single-answer
//!   questions (radios), `answers[<question id>~<n>] = <choice index>` for
//!   "select all that apply" (one checkbox per choice);
//! - ordering puzzle: `answers[p<position>] = <item text>` (positions from 0);
//! - matching puzzle: `answers[m<left index>] = <right text>`;
//! - simulation: `answers[<part id>] = on` for each part flagged suspicious;
//! - scenario: the path of choice ids, walked from the start step.

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::model::game::{GameData, PublicScenarioStep, PuzzleData, QuizData, ScenarioData, SimulationData};

/// Points a lab's score loses per hint revealed.
pub const HINT_COST: f64 = 10.0;
/// Points a lab's score loses per wrong answer before the right one.
pub const WRONG_ANSWER_COST: f64 = 5.0;
/// The lowest score a solved lab gets.
pub const MIN_LAB_SCORE: f64 = 20.0;
/// Wrong answers (after every hint) before a lab's solution may be revealed.
pub const SOLUTION_AFTER_ATTEMPTS: i32 = 3;
/// Highest `gameLevel`.
pub const MAX_GAME_LEVEL: i32 = 5;
/// Limits on a submitted answer map (anything bigger is not a real form).
pub const MAX_ANSWERS: usize = 200;
pub const MAX_ANSWER_LEN: usize = 300;

/// The result of one graded attempt, with the feedback shown after submitting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Graded {
    /// 0..=100, whole.
    pub score: f64,
    pub passed: bool,
    pub items: Vec<Feedback>,
}

/// Feedback on one question, position, pair, part or decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Feedback {
    pub id: String,
    pub prompt: String,
    pub correct: bool,
    /// The right answer, in words.
    pub answer: String,
    pub explanation: String,
}

fn percent(right: usize, total: usize) -> f64 {
    if total == 0 { 0.0 } else { (right as f64 * 100.0 / total as f64).round() }
}

fn graded(items: Vec<Feedback>, pass_percentage: f64) -> Graded {
    let score = percent(items.iter().filter(|i| i.correct).count(), items.len());
    Graded { score, passed: score >= pass_percentage, items }
}

/// Grades every game type except scenarios (see [`walk_scenario`]).
pub fn grade(game: &GameData, answers: &HashMap<String, String>) -> Graded {
    match game {
        GameData::Quiz(quiz) => grade_quiz(quiz, answers),
        GameData::Puzzle(PuzzleData::Order { items, .. }) => {
            let feedback = items
                .iter()
                .enumerate()
                .map(|(i, item)| Feedback {
                    id: format!("p{i}"),
                    prompt: format!("Position {}", i + 1),
                    correct: answers.get(&format!("p{i}")).is_some_and(|a| a.trim() == item),
                    answer: item.clone(),
                    explanation: String::new(),
                })
                .collect();
            graded(feedback, 100.0)
        }
        GameData::Puzzle(PuzzleData::Match { pairs, .. }) => {
            let feedback = pairs
                .iter()
                .enumerate()
                .map(|(i, pair)| Feedback {
                    id: format!("m{i}"),
                    prompt: pair.left.clone(),
                    correct: answers.get(&format!("m{i}")).is_some_and(|a| a.trim() == pair.right),
                    answer: pair.right.clone(),
                    explanation: String::new(),
                })
                .collect();
            graded(feedback, 100.0)
        }
        GameData::Simulation(sim) => grade_simulation(sim, answers),
        GameData::Scenario(s) => {
            let path: Vec<String> = answers.get("path").map(|p| split_path(p)).unwrap_or_default();
            match walk_scenario(s, &path) {
                Ok(walk) => walk.graded.unwrap_or(Graded { score: 0.0, passed: false, items: walk.feedback }),
                Err(_) => Graded { score: 0.0, passed: false, items: Vec::new() },
            }
        }
    }
}

fn grade_quiz(quiz: &QuizData, answers: &HashMap<String, String>) -> Graded {
    let feedback = quiz
        .questions
        .iter()
        .map(|q| {
            let chosen: BTreeSet<usize> = answers
                .iter()
                .filter(|(key, _)| *key == &q.id || key.strip_prefix(q.id.as_str()).is_some_and(|r| r.starts_with('~')))
                .filter_map(|(_, value)| value.trim().parse::<usize>().ok())
                .collect();
            let right: BTreeSet<usize> = q.correct.iter().copied().collect();
            Feedback {
                id: q.id.clone(),
                prompt: q.prompt.clone(),
                correct: chosen == right,
                answer: q.correct.iter().filter_map(|&c| q.choices.get(c).cloned()).collect::<Vec<_>>().join("; "),
                explanation: q.explanation.clone(),
            }
        })
        .collect();
    graded(feedback, f64::from(quiz.pass_percentage))
}

fn grade_simulation(sim: &SimulationData, answers: &HashMap<String, String>) -> Graded {
    let feedback = sim
        .parts
        .iter()
        .map(|part| {
            let flagged = answers.get(&part.id).is_some_and(|v| !v.is_empty() && v != "off");
            Feedback {
                id: part.id.clone(),
                prompt: part.label.clone(),
                correct: flagged == part.suspicious,
                answer: if part.suspicious { "Suspicious".into() } else { "Legitimate".into() },
                explanation: part.explanation.clone(),
            }
        })
        .collect();
    graded(feedback, f64::from(sim.pass_percentage))
}

/// "c1,c2" → ["c1", "c2"].
pub fn split_path(path: &str) -> Vec<String> {
    path.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

/// Where a scenario stands after a path of choices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioWalk {
    /// One entry per decision made: the step, the choice, its consequence.
    pub feedback: Vec<Feedback>,
    /// The step to decide next; `None` once the scenario has ended.
    pub next: Option<PublicScenarioStep>,
    /// The ending reached (a step without choices), shown after the last decision.
    pub ending: Option<PublicScenarioStep>,
    /// Set once the scenario has ended.
    pub graded: Option<Graded>,
}

/// Follows `path` from the start step. Errors name the first choice that
/// does not belong to the step it was made on.
pub fn walk_scenario(s: &ScenarioData, path: &[String]) -> Result<ScenarioWalk, String> {
    let mut step = s.step(&s.start).ok_or("This scenario has no start step")?;
    let mut feedback = Vec::new();
    let mut total = 0;
    let mut ended = false;
    for choice_id in path {
        if ended {
            return Err("The scenario had already ended".into());
        }
        let choice = step
            .choices
            .iter()
            .find(|c| &c.id == choice_id)
            .ok_or_else(|| format!("“{choice_id}” is not a choice of the step “{}”", step.title))?;
        let best = step.choices.iter().map(|c| c.points).max().unwrap_or(0);
        total += choice.points;
        feedback.push(Feedback {
            id: choice.id.clone(),
            prompt: step.title.clone(),
            correct: choice.points == best,
            answer: choice.text.clone(),
            explanation: choice.consequence.clone(),
        });
        match choice.next.as_deref().and_then(|n| s.step(n)) {
            Some(next) => step = next,
            None => ended = true,
        }
    }
    let ended = ended || step.choices.is_empty();
    if !ended {
        return Ok(ScenarioWalk { feedback, next: Some(step.public()), ending: None, graded: None });
    }
    let ending = step.choices.is_empty().then(|| step.public());
    let max = s.max_score();
    let score = if max <= 0 { 100.0 } else { (f64::from(total.max(0)) * 100.0 / f64::from(max)).round().min(100.0) };
    let graded = Graded { score, passed: score >= f64::from(s.pass_percentage), items: feedback.clone() };
    Ok(ScenarioWalk { feedback, next: None, ending, graded: Some(graded) })
}

/// Whether a submitted lab answer matches one of the accepted flags: spaces
/// at the ends and runs of spaces inside do not matter, nor does letter case.
pub fn flag_matches(flags: &[String], answer: &str) -> bool {
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    let answer = norm(answer);
    !answer.is_empty() && flags.iter().any(|f| norm(f) == answer)
}

/// A solved lab's score: 100, less [`HINT_COST`] per hint and
/// [`WRONG_ANSWER_COST`] per wrong answer, never below [`MIN_LAB_SCORE`].
pub fn lab_score(hints_used: i32, wrong_answers: i32) -> f64 {
    (100.0 - HINT_COST * f64::from(hints_used.max(0)) - WRONG_ANSWER_COST * f64::from(wrong_answers.max(0)))
        .max(MIN_LAB_SCORE)
}

/// A lab's solution shows once it is solved, or after every hint and
/// [`SOLUTION_AFTER_ATTEMPTS`] wrong answers.
pub fn solution_visible(completed: bool, hints_used: i32, hint_count: usize, attempts: i32) -> bool {
    completed || (hints_used as usize >= hint_count && attempts >= SOLUTION_AFTER_ATTEMPTS)
}

/// `gameLevel`: 1, plus one per passed attempt, up to [`MAX_GAME_LEVEL`].
pub fn game_level(passes: i32) -> i32 {
    (1 + passes.max(0)).min(MAX_GAME_LEVEL)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::game::{MatchPair, QuizQuestion, ScenarioChoice, ScenarioStep, SimulationPart};

    fn answers(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn quiz() -> GameData {
        let q = |id: &str, correct: Vec<usize>| QuizQuestion {
            id: id.into(),
            prompt: format!("{id}?"),
            choices: vec!["a".into(), "b".into(), "c".into()],
            correct,
            explanation: format!("because {id}"),
        };
        GameData::Quiz(QuizData { questions: vec![q("q1", vec![1]), q("q2", vec![0, 2])], pass_percentage: 70 })
    }

    #[test]
    fn quiz_questions_need_exactly_the_right_choices() {
        let g = grade(&quiz(), &answers(&[("q1", "1"), ("q2~0", "0"), ("q2~2", "2")]));
        assert_eq!((g.score, g.passed), (100.0, true));
        assert_eq!(g.items[1].answer, "a; c");
        assert_eq!(g.items[0].explanation, "because q1");

        let partial = grade(&quiz(), &answers(&[("q1", "1"), ("q2~0", "0")]));
        assert_eq!((partial.score, partial.passed), (50.0, false));
        assert!(!partial.items[1].correct);

        let extra = grade(&quiz(), &answers(&[("q1", "1"), ("q2~0", "0"), ("q2~1", "1"), ("q2~2", "2")]));
        assert_eq!(extra.score, 50.0, "an extra wrong choice fails the question");

        for junk in [answers(&[]), answers(&[("q1", "x"), ("q1x", "1"), ("q10", "1")])] {
            assert_eq!(grade(&quiz(), &junk).score, 0.0);
        }
    }

    #[test]
    fn puzzles_pass_only_when_solved() {
        let order = GameData::Puzzle(PuzzleData::Order {
            prompt: "Order".into(),
            items: vec!["SYN".into(), "SYN-ACK".into(), "ACK".into()],
        });
        let right = grade(&order, &answers(&[("p0", "SYN"), ("p1", "SYN-ACK"), ("p2", " ACK ")]));
        assert_eq!((right.score, right.passed), (100.0, true));
        let swapped = grade(&order, &answers(&[("p0", "SYN"), ("p1", "ACK"), ("p2", "SYN-ACK")]));
        assert_eq!((swapped.score, swapped.passed), (33.0, false));

        let matching = GameData::Puzzle(PuzzleData::Match {
            prompt: "Match".into(),
            pairs: vec![
                MatchPair { left: "22".into(), right: "SSH".into() },
                MatchPair { left: "443".into(), right: "HTTPS".into() },
            ],
        });
        assert!(grade(&matching, &answers(&[("m0", "SSH"), ("m1", "HTTPS")])).passed);
        let half = grade(&matching, &answers(&[("m0", "HTTPS"), ("m1", "HTTPS")]));
        assert_eq!((half.score, half.passed), (50.0, false));
        assert_eq!(half.items[0].answer, "SSH");
    }

    #[test]
    fn simulations_score_every_part() {
        let part = |id: &str, suspicious| SimulationPart {
            id: id.into(),
            label: id.into(),
            text: String::new(),
            suspicious,
            explanation: format!("{id} explained"),
        };
        let sim = GameData::Simulation(SimulationData {
            brief: "b".into(),
            artifact: "email".into(),
            parts: vec![part("from", true), part("subject", false), part("link", true), part("sig", false)],
            pass_percentage: 75,
        });
        let all = grade(&sim, &answers(&[("from", "on"), ("link", "on")]));
        assert_eq!((all.score, all.passed), (100.0, true));
        let one_missed = grade(&sim, &answers(&[("from", "on")]));
        assert_eq!((one_missed.score, one_missed.passed), (75.0, true));
        let flagged_everything =
            grade(&sim, &answers(&[("from", "on"), ("subject", "on"), ("link", "on"), ("sig", "on")]));
        assert_eq!((flagged_everything.score, flagged_everything.passed), (50.0, false));
        assert_eq!(flagged_everything.items[1].answer, "Legitimate");
        assert_eq!(grade(&sim, &answers(&[("from", "off")])).score, 50.0);
    }

    fn scenario() -> ScenarioData {
        let choice = |id: &str, next: Option<&str>, points| ScenarioChoice {
            id: id.into(),
            text: format!("do {id}"),
            next: next.map(str::to_string),
            points,
            consequence: format!("{id} happened"),
        };
        let step =
            |id: &str, choices| ScenarioStep { id: id.into(), title: id.into(), narrative: String::new(), choices };
        ScenarioData {
            start: "alert".into(),
            steps: vec![
                step("alert", vec![choice("isolate", Some("contain"), 10), choice("ignore", Some("breach"), -10)]),
                step("contain", vec![choice("report", None, 10), choice("wipe", Some("lost"), 0)]),
                step("breach", vec![]),
                step("lost", vec![]),
            ],
            pass_percentage: 70,
        }
    }

    #[test]
    fn scenarios_walk_step_by_step_and_grade_at_the_end() {
        let s = scenario();
        let start = walk_scenario(&s, &[]).unwrap();
        assert_eq!(start.next.as_ref().map(|n| n.id.as_str()), Some("alert"));
        assert!(start.graded.is_none());

        let mid = walk_scenario(&s, &["isolate".into()]).unwrap();
        assert_eq!(mid.next.as_ref().map(|n| n.id.as_str()), Some("contain"));
        assert_eq!(mid.feedback[0].explanation, "isolate happened");
        assert!(mid.feedback[0].correct);

        let best = walk_scenario(&s, &["isolate".into(), "report".into()]).unwrap();
        assert_eq!(best.graded.as_ref().map(|g| (g.score, g.passed)), Some((100.0, true)));
        assert!(best.next.is_none());

        let wiped = walk_scenario(&s, &["isolate".into(), "wipe".into()]).unwrap();
        assert_eq!(wiped.ending.as_ref().map(|e| e.id.as_str()), Some("lost"));
        assert_eq!(wiped.graded.as_ref().map(|g| (g.score, g.passed)), Some((50.0, false)));

        let bad = walk_scenario(&s, &["ignore".into()]).unwrap();
        assert_eq!(bad.graded.map(|g| g.score), Some(0.0), "negative totals floor at 0");

        assert!(walk_scenario(&s, &["report".into()]).unwrap_err().contains("not a choice"));
        assert!(walk_scenario(&s, &["ignore".into(), "isolate".into()]).is_err());

        let via_grade = grade(&GameData::Scenario(s), &answers(&[("path", "isolate, report")]));
        assert!(via_grade.passed);
    }

    #[test]
    fn lab_flags_ignore_case_and_spacing_only() {
        let flags = vec!["FLAG{union_based}".to_string(), "root  password".to_string()];
        assert!(flag_matches(&flags, " flag{UNION_BASED} "));
        assert!(flag_matches(&flags, "root password"));
        assert!(!flag_matches(&flags, "FLAG{union based}"));
        assert!(!flag_matches(&flags, ""));
        assert!(!flag_matches(&[], "anything"));
    }

    #[test]
    fn lab_scores_lose_points_for_hints_and_wrong_answers() {
        assert_eq!(lab_score(0, 0), 100.0);
        assert_eq!(lab_score(1, 0), 90.0);
        assert_eq!(lab_score(2, 3), 65.0);
        assert_eq!(lab_score(20, 20), MIN_LAB_SCORE);
        assert_eq!(lab_score(-1, -1), 100.0);
    }

    #[test]
    fn lab_solutions_wait_for_completion_or_every_hint_and_three_tries() {
        assert!(solution_visible(true, 0, 3, 0));
        assert!(!solution_visible(false, 3, 3, 2));
        assert!(!solution_visible(false, 2, 3, 5));
        assert!(solution_visible(false, 3, 3, 3));
        assert!(solution_visible(false, 0, 0, 3));
    }

    #[test]
    fn game_levels_rise_with_passes() {
        assert_eq!(game_level(0), 1);
        assert_eq!(game_level(1), 2);
        assert_eq!(game_level(100), MAX_GAME_LEVEL);
        assert_eq!(game_level(-2), 1);
    }
}
