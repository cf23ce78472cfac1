//! Games: quiz, puzzle (order or match), simulation (spot the signs) and
//! scenario (branching decisions). Each is a plain form graded on the
//! server; scenarios are walked with links (`?path=c1,c2`), so all four play
//! without JavaScript too.

use leptos::prelude::*;

use super::{BUTTON, CARD, QUIET_BUTTON, attempt_id, player_state};
use crate::api::learn::SubmitGame;
use crate::domain::grading::{Graded, ScenarioWalk};
use crate::model::GameType;
use crate::model::game::{PublicGame, PublicPuzzle};

#[component]
pub fn GamePanel(
    game_type: GameType,
    instructions: Option<String>,
    objectives: Vec<String>,
    game: PublicGame,
    walk: Option<ScenarioWalk>,
) -> impl IntoView {
    let state = player_state();
    let submit = ServerAction::<SubmitGame>::new();
    // The feedback shown: this page's last result, or the stored one after a reload.
    let result = RwSignal::new(state.progress.get_untracked().last_result);
    Effect::new(move |_| {
        if let Some(Ok(o)) = submit.value().get() {
            result.set(Some(o.graded.clone()));
            state.apply(o.outcome);
        }
    });
    let error = move || submit.value().get().and_then(|r| r.err()).map(|e| e.to_string());
    let content_id = state.content_id.get_value();
    let fields = match game {
        PublicGame::Quiz { questions, pass_percentage } => view! {
            <p class="text-sm text-muted">{format!("Answer {pass_percentage}% of the questions right to pass.")}</p>
            {questions.into_iter().enumerate().map(|(i, q)| {
                let multiple = q.multiple;
                view! {
                    <fieldset class="flex flex-col gap-2 rounded border border-line p-4" data-testid="question">
                        <legend class="px-1 font-medium">{format!("{}. {}", i + 1, q.prompt)}</legend>
                        {multiple.then(|| view! { <p class="text-xs text-muted">"Select all that apply."</p> })}
                        {q.choices.into_iter().enumerate().map(|(j, choice)| {
                            let (kind, name) = if multiple { ("checkbox", format!("answers[{}~{j}]", q.id)) } else { ("radio", format!("answers[{}]", q.id)) };
                            view! {
                                <label class="flex items-start gap-2 text-sm">
                                    <input type=kind name=name value=j.to_string() class="mt-1" />
                                    <span>{choice}</span>
                                </label>
                            }
                        }).collect_view()}
                    </fieldset>
                }
            }).collect_view()}
        }.into_any(),
        PublicGame::Puzzle(PublicPuzzle::Order { prompt, items }) => {
            let options = items.clone();
            view! {
                <p class="font-medium">{prompt}</p>
                <ol class="flex flex-col gap-2">
                    {(0..items.len()).map(|i| {
                        let options = options.clone();
                        view! {
                            <li>
                                <label class="flex items-center gap-2 text-sm">
                                    <span class="w-20 text-muted">{format!("Step {}", i + 1)}</span>
                                    <select name=format!("answers[p{i}]") required=true class="flex-1 rounded border border-line bg-surface px-2 py-1.5" data-testid="order-slot">
                                        <option value="">"Choose…"</option>
                                        {options.into_iter().map(|o| view! { <option value=o.clone()>{o.clone()}</option> }).collect_view()}
                                    </select>
                                </label>
                            </li>
                        }
                    }).collect_view()}
                </ol>
            }.into_any()
        }
        PublicGame::Puzzle(PublicPuzzle::Match { prompt, left, right }) => view! {
            <p class="font-medium">{prompt}</p>
            <ul class="flex flex-col gap-2">
                {left.into_iter().enumerate().map(|(i, l)| {
                    let right = right.clone();
                    view! {
                        <li>
                            <label class="flex flex-col gap-1 text-sm sm:flex-row sm:items-center sm:gap-3">
                                <span class="sm:w-1/3 font-mono">{l}</span>
                                <select name=format!("answers[m{i}]") required=true class="flex-1 rounded border border-line bg-surface px-2 py-1.5" data-testid="match-slot">
                                    <option value="">"Choose…"</option>
                                    {right.into_iter().map(|r| view! { <option value=r.clone()>{r.clone()}</option> }).collect_view()}
                                </select>
                            </label>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }.into_any(),
        PublicGame::Simulation { brief, artifact, parts } => view! {
            <p>{brief}</p>
            <p class="text-sm text-muted">{format!("Tick every part of this {artifact} that looks suspicious.")}</p>
            <div class="flex flex-col divide-y divide-line rounded border border-line font-mono text-sm">
                {parts.into_iter().map(|part| view! {
                    <label class="flex items-start gap-3 p-3 hover:bg-surface-2" data-testid="sim-part">
                        <input type="checkbox" name=format!("answers[{}]", part.id) value="on" class="mt-1" />
                        <span class="w-20 shrink-0 text-muted">{part.label}</span>
                        <span class="whitespace-pre-wrap break-words">{part.text}</span>
                    </label>
                }).collect_view()}
            </div>
        }.into_any(),
        PublicGame::Scenario { .. } => {
            return view! {
                <GameIntro instructions objectives />
                <Scenario walk submit result content_id />
                <p role="alert" class="text-sm text-red-400">{error}</p>
            }.into_any();
        }
    };
    view! {
        <GameIntro instructions objectives />
        <section class=CARD aria-label=format!("{game_type} game") data-testid="game" data-game-type=game_type.as_str()>
            <ActionForm action=submit attr:class="flex flex-col gap-4" attr:aria-label="Your answers">
                <input type="hidden" name="content_id" value=content_id />
                <input type="hidden" name="attempt" value=move || attempt_id(&state.attempt_base.get_value(), submit.version().get()) />
                {fields}
                <div class="flex items-center gap-3">
                    <button type="submit" class=BUTTON disabled=move || submit.pending().get()>
                        {move || if result.get().is_some() { "Submit again" } else { "Submit" }}
                    </button>
                    <span class="text-xs text-muted">{move || attempts_line(&state.progress.get())}</span>
                </div>
            </ActionForm>
            <p role="alert" class="text-sm text-red-400">{error}</p>
        </section>
        <Results result />
    }
    .into_any()
}

fn attempts_line(p: &crate::model::learn::ProgressView) -> String {
    if p.attempts == 0 { String::new() } else { format!("Attempts: {} · best score {}%", p.attempts, p.best_score) }
}

#[component]
fn GameIntro(instructions: Option<String>, objectives: Vec<String>) -> impl IntoView {
    (instructions.is_some() || !objectives.is_empty()).then(|| {
        view! {
            <section class=CARD aria-label="How to play">
                {instructions.map(|i| view! { <p>{i}</p> })}
                {(!objectives.is_empty()).then(|| view! {
                    <ul class="mt-2 list-inside list-disc text-sm text-muted">
                        {objectives.into_iter().map(|o| view! { <li>{o}</li> }).collect_view()}
                    </ul>
                })}
            </section>
        }
    })
}

/// Score, pass or not, and feedback on every question, part or decision.
#[component]
fn Results(result: RwSignal<Option<Graded>>) -> impl IntoView {
    move || {
        result.get().map(|g| view! {
        <section class=CARD aria-labelledby="result-heading" data-testid="game-result" data-passed=g.passed.to_string()>
            <h2 id="result-heading" class="text-lg font-semibold" role="status">
                {format!("Score {}% — {}", g.score, if g.passed { "passed!" } else { "not passed yet, try again." })}
            </h2>
            <ol class="mt-3 flex flex-col gap-3 text-sm">
                {g.items.into_iter().map(|f| view! {
                    <li class="rounded border border-line p-3" data-correct=f.correct.to_string()>
                        <p class="font-medium">
                            <span aria-hidden="true" class:text-brand=f.correct class:text-red-400=!f.correct>{if f.correct { "✓ " } else { "✗ " }}</span>
                            {f.prompt}
                            <span class="sr-only">{if f.correct { " (right)" } else { " (wrong)" }}</span>
                        </p>
                        <p class="text-muted">{format!("Answer: {}", f.answer)}</p>
                        {(!f.explanation.is_empty()).then(|| view! { <p class="mt-1">{f.explanation}</p> })}
                    </li>
                }).collect_view()}
            </ol>
        </section>
    })
    }
}

#[component]
fn Scenario(
    walk: Option<ScenarioWalk>,
    submit: ServerAction<SubmitGame>,
    result: RwSignal<Option<Graded>>,
    content_id: String,
) -> impl IntoView {
    let state = player_state();
    let Some(walk) = walk else { return view! { <p>"This scenario cannot start."</p> }.into_any() };
    let path: Vec<String> = walk.feedback.iter().map(|f| f.id.clone()).collect();
    let path_text = path.join(",");
    let link = move |choice: &str| {
        let mut next = path.clone();
        next.push(choice.to_string());
        format!("?path={}", next.join(","))
    };
    view! {
        <section class=CARD aria-label="Scenario" data-testid="game" data-game-type="scenario">
            <ol class="flex flex-col gap-3">
                {walk.feedback.iter().map(|f| view! {
                    <li class="rounded border border-line p-3 text-sm" data-testid="decision">
                        <p class="font-mono text-xs text-muted">{f.prompt.clone()}</p>
                        <p class="font-medium">{format!("You chose: {}", f.answer)}</p>
                        <p class="mt-1">{f.explanation.clone()}</p>
                    </li>
                }).collect_view()}
            </ol>
            {walk.next.map(|step| view! {
                <div class="mt-4 flex flex-col gap-3" data-testid="scenario-step">
                    <h2 class="text-lg font-semibold">{step.title}</h2>
                    <p class="whitespace-pre-line">{step.narrative}</p>
                    <ul class="flex flex-col gap-2">
                        {step.choices.into_iter().map(|c| view! {
                            <li><a href=link(&c.id) class=format!("{QUIET_BUTTON} block") data-testid="scenario-choice">{c.text}</a></li>
                        }).collect_view()}
                    </ul>
                </div>
            })}
            {walk.graded.map(|_| view! {
                <div class="mt-4 flex flex-col gap-3">
                    {walk.ending.map(|e| view! {
                        <h2 class="text-lg font-semibold">{e.title}</h2>
                        <p class="whitespace-pre-line">{e.narrative}</p>
                    })}
                    <ActionForm action=submit attr:aria-label="Record your result">
                        <input type="hidden" name="content_id" value=content_id />
                        <input type="hidden" name="attempt" value=move || attempt_id(&state.attempt_base.get_value(), submit.version().get()) />
                        <input type="hidden" name="answers[path]" value=path_text.clone() />
                        <button type="submit" class=BUTTON disabled=move || submit.pending().get()>"Record my result"</button>
                    </ActionForm>
                    <a href="?" class="text-sm text-brand underline">"Start over"</a>
                </div>
            })}
        </section>
        <Results result />
    }
    .into_any()
}
