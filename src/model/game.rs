//! Typed `gameData` for each `gameType` (the spec stores it as `Mixed`).
//!
//! Each shape holds its answer key (correct choices, solution order, scenario
//! points, phishing indicators). The `public()` projections are what the
//! browser may see before the learner has answered; the keys stay on the
//! server.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::enums::GameType;
use super::validation::FieldErrors;

fn default_pass() -> u8 {
    70
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum GameData {
    Quiz(QuizData),
    Puzzle(PuzzleData),
    Scenario(ScenarioData),
    Simulation(SimulationData),
}

// ---------------------------------------------------------------- quiz

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QuizData {
    pub questions: Vec<QuizQuestion>,
    /// Percentage of questions to answer right to pass.
    #[serde(default = "default_pass")]
    pub pass_percentage: u8,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QuizQuestion {
    pub id: String,
    pub prompt: String,
    pub choices: Vec<String>,
    /// Indexes into `choices`; more than one makes it a "select all that apply" question.
    pub correct: Vec<usize>,
    #[serde(default)]
    pub explanation: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PublicQuizQuestion {
    pub id: String,
    pub prompt: String,
    pub choices: Vec<String>,
    pub multiple: bool,
}

// ---------------------------------------------------------------- puzzle

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PuzzleData {
    /// Put the items in order; `items` is the solution order.
    Order { prompt: String, items: Vec<String> },
    /// Match each left item to its right item.
    Match { prompt: String, pairs: Vec<MatchPair> },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchPair {
    pub left: String,
    pub right: String,
}

// ---------------------------------------------------------------- scenario

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScenarioData {
    /// Id of the first step.
    pub start: String,
    pub steps: Vec<ScenarioStep>,
    #[serde(default = "default_pass")]
    pub pass_percentage: u8,
}

/// A decision point; a step without choices is an ending.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScenarioStep {
    pub id: String,
    pub title: String,
    pub narrative: String,
    #[serde(default)]
    pub choices: Vec<ScenarioChoice>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScenarioChoice {
    pub id: String,
    pub text: String,
    /// The step this choice leads to; `None` ends the scenario.
    #[serde(default)]
    pub next: Option<String>,
    /// Points for choosing it (negative for harmful choices).
    #[serde(default)]
    pub points: i32,
    /// What happens, shown after the choice is made.
    #[serde(default)]
    pub consequence: String,
}

// ---------------------------------------------------------------- simulation

/// "Spot the signs": the learner flags the parts of an artefact (an email,
/// a log excerpt, a web page) that are suspicious.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SimulationData {
    pub brief: String,
    /// What the artefact is, e.g. "email".
    pub artifact: String,
    pub parts: Vec<SimulationPart>,
    #[serde(default = "default_pass")]
    pub pass_percentage: u8,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SimulationPart {
    pub id: String,
    /// e.g. "From", "Subject", "Body", "Link".
    pub label: String,
    pub text: String,
    pub suspicious: bool,
    #[serde(default)]
    pub explanation: String,
}

/// What the browser receives before answering: no keys, no explanations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "gameType", rename_all = "camelCase")]
pub enum PublicGame {
    #[serde(rename = "quiz")]
    Quiz { questions: Vec<PublicQuizQuestion>, pass_percentage: u8 },
    #[serde(rename = "puzzle")]
    Puzzle(PublicPuzzle),
    /// Scenarios are played one step at a time, so only the first step is public.
    #[serde(rename = "scenario")]
    Scenario { start: PublicScenarioStep },
    #[serde(rename = "simulation")]
    Simulation { brief: String, artifact: String, parts: Vec<PublicSimulationPart> },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PublicPuzzle {
    /// Items in a scrambled order.
    Order { prompt: String, items: Vec<String> },
    /// Left items in order, right items scrambled.
    Match { prompt: String, left: Vec<String>, right: Vec<String> },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicScenarioStep {
    pub id: String,
    pub title: String,
    pub narrative: String,
    pub choices: Vec<PublicScenarioChoice>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicScenarioChoice {
    pub id: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicSimulationPart {
    pub id: String,
    pub label: String,
    pub text: String,
}

/// A fixed scramble (Fisher-Yates with a constant seed) that never leaves a
/// list of two or more distinct items in its solved order. Deterministic so
/// that the server render and the hydrated page agree.
pub fn scramble<T: Clone + PartialEq>(items: &[T]) -> Vec<T> {
    let mut out = items.to_vec();
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for i in (1..out.len()).rev() {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        out.swap(i, (seed % (i as u64 + 1)) as usize);
    }
    if out.len() > 1 && out == items {
        out.rotate_left(1);
    }
    out
}

impl ScenarioStep {
    pub fn public(&self) -> PublicScenarioStep {
        PublicScenarioStep {
            id: self.id.clone(),
            title: self.title.clone(),
            narrative: self.narrative.clone(),
            choices: self
                .choices
                .iter()
                .map(|c| PublicScenarioChoice { id: c.id.clone(), text: c.text.clone() })
                .collect(),
        }
    }
}

impl ScenarioData {
    pub fn step(&self, id: &str) -> Option<&ScenarioStep> {
        self.steps.iter().find(|s| s.id == id)
    }

    /// The best total a learner can reach (the scenario graph is acyclic).
    pub fn max_score(&self) -> i32 {
        fn best(data: &ScenarioData, id: &str, memo: &mut HashMap<String, i32>, depth: usize) -> i32 {
            if let Some(v) = memo.get(id) {
                return *v;
            }
            let Some(step) = data.step(id) else { return 0 };
            if depth > data.steps.len() {
                return 0; // a cycle; validation rejects these
            }
            let value = step
                .choices
                .iter()
                .map(|c| c.points + c.next.as_deref().map_or(0, |n| best(data, n, memo, depth + 1)))
                .max()
                .unwrap_or(0);
            memo.insert(id.to_string(), value);
            value
        }
        best(self, &self.start, &mut HashMap::new(), 0).max(0)
    }
}

impl GameData {
    /// Reads `gameData` as the shape its `gameType` names.
    pub fn from_json(game_type: GameType, value: serde_json::Value) -> Result<GameData, String> {
        let parsed = match game_type {
            GameType::Quiz => serde_json::from_value(value).map(GameData::Quiz),
            GameType::Puzzle => serde_json::from_value(value).map(GameData::Puzzle),
            GameType::Scenario => serde_json::from_value(value).map(GameData::Scenario),
            GameType::Simulation => serde_json::from_value(value).map(GameData::Simulation),
        };
        parsed.map_err(|e| format!("Game data does not fit a {game_type}: {e}"))
    }

    pub fn game_type(&self) -> GameType {
        match self {
            GameData::Quiz(_) => GameType::Quiz,
            GameData::Puzzle(_) => GameType::Puzzle,
            GameData::Scenario(_) => GameType::Scenario,
            GameData::Simulation(_) => GameType::Simulation,
        }
    }

    pub fn public(&self) -> PublicGame {
        match self {
            GameData::Quiz(quiz) => PublicGame::Quiz {
                questions: quiz
                    .questions
                    .iter()
                    .map(|q| PublicQuizQuestion {
                        id: q.id.clone(),
                        prompt: q.prompt.clone(),
                        choices: q.choices.clone(),
                        multiple: q.correct.len() > 1,
                    })
                    .collect(),
                pass_percentage: quiz.pass_percentage,
            },
            GameData::Puzzle(PuzzleData::Order { prompt, items }) => {
                PublicGame::Puzzle(PublicPuzzle::Order { prompt: prompt.clone(), items: scramble(items) })
            }
            GameData::Puzzle(PuzzleData::Match { prompt, pairs }) => PublicGame::Puzzle(PublicPuzzle::Match {
                prompt: prompt.clone(),
                left: pairs.iter().map(|p| p.left.clone()).collect(),
                right: scramble(&pairs.iter().map(|p| p.right.clone()).collect::<Vec<_>>()),
            }),
            GameData::Scenario(s) => PublicGame::Scenario {
                start: s.step(&s.start).map(ScenarioStep::public).unwrap_or(PublicScenarioStep {
                    id: String::new(),
                    title: String::new(),
                    narrative: String::new(),
                    choices: Vec::new(),
                }),
            },
            GameData::Simulation(sim) => PublicGame::Simulation {
                brief: sim.brief.clone(),
                artifact: sim.artifact.clone(),
                parts: sim
                    .parts
                    .iter()
                    .map(|p| PublicSimulationPart { id: p.id.clone(), label: p.label.clone(), text: p.text.clone() })
                    .collect(),
            },
        }
    }

    /// Every rule of the shape, reported under `content.gameData.…`.
    pub fn validate(&self, e: &mut FieldErrors) {
        const F: &str = "content.gameData";
        let text = |e: &mut FieldErrors, field: String, value: &str, max: usize| {
            if value.trim().is_empty() {
                e.add(field, "This text is required");
            } else if super::validation::js_len(value) > max {
                e.add(field, format!("This text cannot exceed {max} characters"));
            }
        };
        let pass = |e: &mut FieldErrors, value: u8| {
            e.range(&format!("{F}.passPercentage"), f64::from(value), Some(0.0), Some(100.0))
        };
        let unique = |e: &mut FieldErrors, field: &str, ids: &mut dyn Iterator<Item = &String>| {
            let mut seen = HashSet::new();
            for id in ids {
                if id.trim().is_empty() {
                    e.add(field.to_string(), "Every item needs an id");
                } else if !seen.insert(id.clone()) {
                    e.add(field.to_string(), format!("The id \"{id}\" is used twice"));
                }
            }
        };
        match self {
            GameData::Quiz(quiz) => {
                pass(e, quiz.pass_percentage);
                if quiz.questions.is_empty() {
                    e.add(format!("{F}.questions"), "A quiz needs at least one question");
                }
                unique(e, &format!("{F}.questions"), &mut quiz.questions.iter().map(|q| &q.id));
                for (i, q) in quiz.questions.iter().enumerate() {
                    let at = format!("{F}.questions.{i}");
                    text(e, format!("{at}.prompt"), &q.prompt, 500);
                    if !(2..=8).contains(&q.choices.len()) {
                        e.add(format!("{at}.choices"), "A question needs 2 to 8 choices");
                    }
                    for (j, choice) in q.choices.iter().enumerate() {
                        text(e, format!("{at}.choices.{j}"), choice, 300);
                    }
                    let distinct: HashSet<_> = q.correct.iter().collect();
                    if q.correct.is_empty() {
                        e.add(format!("{at}.correct"), "Mark at least one correct choice");
                    } else if distinct.len() != q.correct.len() || q.correct.iter().any(|&c| c >= q.choices.len()) {
                        e.add(format!("{at}.correct"), "Correct answers must be distinct choices of this question");
                    }
                    e.max_len(
                        &format!("{at}.explanation"),
                        &q.explanation,
                        1000,
                        "This text cannot exceed 1000 characters",
                    );
                }
            }
            GameData::Puzzle(PuzzleData::Order { prompt, items }) => {
                text(e, format!("{F}.prompt"), prompt, 500);
                if !(2..=12).contains(&items.len()) {
                    e.add(format!("{F}.items"), "An ordering puzzle needs 2 to 12 items");
                }
                for (i, item) in items.iter().enumerate() {
                    text(e, format!("{F}.items.{i}"), item, 200);
                }
                unique(e, &format!("{F}.items"), &mut items.iter());
            }
            GameData::Puzzle(PuzzleData::Match { prompt, pairs }) => {
                text(e, format!("{F}.prompt"), prompt, 500);
                if !(2..=12).contains(&pairs.len()) {
                    e.add(format!("{F}.pairs"), "A matching puzzle needs 2 to 12 pairs");
                }
                for (i, pair) in pairs.iter().enumerate() {
                    text(e, format!("{F}.pairs.{i}.left"), &pair.left, 200);
                    text(e, format!("{F}.pairs.{i}.right"), &pair.right, 200);
                }
                unique(e, &format!("{F}.pairs"), &mut pairs.iter().map(|p| &p.left));
                unique(e, &format!("{F}.pairs"), &mut pairs.iter().map(|p| &p.right));
            }
            GameData::Scenario(s) => validate_scenario(s, e),
            GameData::Simulation(sim) => {
                pass(e, sim.pass_percentage);
                text(e, format!("{F}.brief"), &sim.brief, 1000);
                text(e, format!("{F}.artifact"), &sim.artifact, 50);
                if sim.parts.len() < 2 {
                    e.add(format!("{F}.parts"), "A simulation needs at least 2 parts");
                }
                if !sim.parts.iter().any(|p| p.suspicious) {
                    e.add(format!("{F}.parts"), "Mark at least one part as suspicious");
                }
                unique(e, &format!("{F}.parts"), &mut sim.parts.iter().map(|p| &p.id));
                for (i, part) in sim.parts.iter().enumerate() {
                    text(e, format!("{F}.parts.{i}.label"), &part.label, 50);
                    text(e, format!("{F}.parts.{i}.text"), &part.text, 2000);
                }
            }
        }
    }
}

fn validate_scenario(s: &ScenarioData, e: &mut FieldErrors) {
    const F: &str = "content.gameData";
    e.range(&format!("{F}.passPercentage"), f64::from(s.pass_percentage), Some(0.0), Some(100.0));
    let ids: HashSet<&str> = s.steps.iter().map(|st| st.id.as_str()).collect();
    if ids.len() != s.steps.len() {
        e.add(format!("{F}.steps"), "Every step needs its own id");
    }
    if s.step(&s.start).is_none() {
        e.add(format!("{F}.start"), format!("The start step \"{}\" does not exist", s.start));
        return;
    }
    for (i, step) in s.steps.iter().enumerate() {
        if step.title.trim().is_empty() || step.narrative.trim().is_empty() {
            e.add(format!("{F}.steps.{i}"), "Every step needs a title and a narrative");
        }
        let choice_ids: HashSet<&str> = step.choices.iter().map(|c| c.id.as_str()).collect();
        if choice_ids.len() != step.choices.len() || choice_ids.contains("") {
            e.add(format!("{F}.steps.{i}.choices"), "Every choice of a step needs its own id");
        }
        for (j, choice) in step.choices.iter().enumerate() {
            if choice.text.trim().is_empty() {
                e.add(format!("{F}.steps.{i}.choices.{j}.text"), "This text is required");
            }
            if let Some(next) = &choice.next
                && !ids.contains(next.as_str())
            {
                e.add(format!("{F}.steps.{i}.choices.{j}.next"), format!("The step \"{next}\" does not exist"));
            }
        }
    }
    // Every step reachable from the start, and no cycles (so every run ends).
    let mut state: HashMap<&str, u8> = HashMap::new(); // 1 = on the path, 2 = done
    let mut cycle = false;
    fn visit<'a>(s: &'a ScenarioData, id: &'a str, state: &mut HashMap<&'a str, u8>, cycle: &mut bool) {
        match state.get(id) {
            Some(1) => *cycle = true,
            Some(_) => {}
            None => {
                state.insert(id, 1);
                if let Some(step) = s.step(id) {
                    for next in step.choices.iter().filter_map(|c| c.next.as_deref()) {
                        visit(s, next, state, cycle);
                    }
                }
                state.insert(id, 2);
            }
        }
    }
    visit(s, &s.start, &mut state, &mut cycle);
    if cycle {
        e.add(format!("{F}.steps"), "The steps loop back on themselves; every path must reach an ending");
    }
    if let Some(lost) = s.steps.iter().find(|st| !state.contains_key(st.id.as_str())) {
        e.add(format!("{F}.steps"), format!("The step \"{}\" cannot be reached from the start", lost.id));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn quiz() -> GameData {
        GameData::from_json(
            GameType::Quiz,
            json!({ "questions": [
                { "id": "q1", "prompt": "Which port does HTTPS use?", "choices": ["80", "443", "22"], "correct": [1], "explanation": "HTTPS listens on 443." },
                { "id": "q2", "prompt": "Which are hashing functions?", "choices": ["SHA-256", "AES", "bcrypt"], "correct": [0, 2] }
            ]}),
        )
        .unwrap()
    }

    fn scenario() -> ScenarioData {
        serde_json::from_value(json!({
            "start": "alert",
            "steps": [
                { "id": "alert", "title": "An alert", "narrative": "EDR flags a host.", "choices": [
                    { "id": "isolate", "text": "Isolate the host", "next": "logs", "points": 10, "consequence": "Contained." },
                    { "id": "ignore", "text": "Ignore it", "next": "breach", "points": -10 }
                ]},
                { "id": "logs", "title": "Logs", "narrative": "You pull the logs.", "choices": [
                    { "id": "report", "text": "Write the report", "points": 5 }
                ]},
                { "id": "breach", "title": "Breach", "narrative": "Data leaves the network." }
            ]
        }))
        .unwrap()
    }

    #[test]
    fn public_quiz_hides_answers_and_explanations() {
        let public = serde_json::to_string(&quiz().public()).unwrap();
        assert!(public.contains("Which port does HTTPS use?"));
        assert!(!public.contains("correct") && !public.contains("HTTPS listens on 443"));
        let PublicGame::Quiz { questions, pass_percentage } = quiz().public() else { panic!() };
        assert_eq!(pass_percentage, 70, "default pass mark");
        assert!(!questions[0].multiple && questions[1].multiple);
    }

    #[test]
    fn a_valid_quiz_passes_and_broken_ones_say_why() {
        let mut e = FieldErrors::new();
        quiz().validate(&mut e);
        assert!(e.is_empty(), "{e:?}");

        let GameData::Quiz(mut q) = quiz() else { panic!() };
        q.questions[0].correct = vec![5];
        q.questions[1].choices = vec!["only one".into()];
        q.questions.push(q.questions[0].clone());
        let mut e = FieldErrors::new();
        GameData::Quiz(q).validate(&mut e);
        assert_eq!(
            e.get("content.gameData.questions.0.correct"),
            Some("Correct answers must be distinct choices of this question")
        );
        assert_eq!(e.get("content.gameData.questions.1.choices"), Some("A question needs 2 to 8 choices"));
        assert_eq!(e.get("content.gameData.questions"), Some("The id \"q1\" is used twice"));
    }

    #[test]
    fn wrong_shape_for_the_game_type_is_refused() {
        let err = GameData::from_json(GameType::Scenario, json!({ "questions": [] })).unwrap_err();
        assert!(err.starts_with("Game data does not fit a scenario"), "{err}");
    }

    #[test]
    fn scenarios_must_be_reachable_acyclic_and_closed() {
        let mut e = FieldErrors::new();
        GameData::Scenario(scenario()).validate(&mut e);
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(scenario().max_score(), 15);

        let mut looped = scenario();
        looped.steps[1].choices[0].next = Some("alert".into());
        let mut e = FieldErrors::new();
        GameData::Scenario(looped).validate(&mut e);
        assert!(e.get("content.gameData.steps").unwrap().contains("loop back"));

        let mut orphan = scenario();
        orphan.steps[0].choices.pop();
        let mut e = FieldErrors::new();
        GameData::Scenario(orphan).validate(&mut e);
        assert_eq!(e.get("content.gameData.steps"), Some("The step \"breach\" cannot be reached from the start"));

        let mut dangling = scenario();
        dangling.steps[0].choices[0].next = Some("nowhere".into());
        let mut e = FieldErrors::new();
        GameData::Scenario(dangling).validate(&mut e);
        assert_eq!(e.get("content.gameData.steps.0.choices.0.next"), Some("The step \"nowhere\" does not exist"));

        let public = serde_json::to_string(&GameData::Scenario(scenario()).public()).unwrap();
        assert!(!public.contains("points") && !public.contains("Contained.") && !public.contains("Data leaves"));
    }

    #[test]
    fn puzzles_are_scrambled_and_simulations_hide_indicators() {
        assert_eq!(scramble(&[1, 2, 3, 4]), scramble(&[1, 2, 3, 4]), "deterministic");
        for n in 2..=12 {
            let items: Vec<usize> = (0..n).collect();
            assert_ne!(scramble(&items), items, "n = {n}");
            let mut sorted = scramble(&items);
            sorted.sort();
            assert_eq!(sorted, items);
        }
        let sim: GameData = GameData::from_json(
            GameType::Simulation,
            json!({ "brief": "Spot the signs.", "artifact": "email", "parts": [
                { "id": "from", "label": "From", "text": "it-support@examp1e.com", "suspicious": true, "explanation": "Look-alike domain." },
                { "id": "hello", "label": "Body", "text": "Hello,", "suspicious": false }
            ]}),
        )
        .unwrap();
        let mut e = FieldErrors::new();
        sim.validate(&mut e);
        assert!(e.is_empty(), "{e:?}");
        let public = serde_json::to_string(&sim.public()).unwrap();
        assert!(!public.contains("suspicious") && !public.contains("Look-alike"));
    }
}
