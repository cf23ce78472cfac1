//! A lab: instructions, environment notes, the answer (flag) form checked
//! on the server, hints revealed one at a time, and the solution once earned.

use leptos::prelude::*;

use super::{BUTTON, CARD, QUIET_BUTTON, attempt_id, player_state};
use crate::api::learn::{RevealHint, SubmitLab};
use crate::domain::grading::{HINT_COST, SOLUTION_AFTER_ATTEMPTS};

#[component]
pub fn LabPanel(
    instructions: String,
    environment: Option<String>,
    hint_count: u32,
    hints: Vec<String>,
    solution: Option<String>,
    solution_available: bool,
    has_solution: bool,
) -> impl IntoView {
    let state = player_state();
    let submit = ServerAction::<SubmitLab>::new();
    let hint = ServerAction::<RevealHint>::new();
    let base = state.attempt_base;
    let solution = RwSignal::new(solution);
    let hints = RwSignal::new(hints);
    Effect::new(move |_| {
        if let Some(Ok(o)) = submit.value().get() {
            if o.solution.is_some() {
                solution.set(o.solution.clone());
            }
            state.apply(o.outcome);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(revealed)) = hint.value().get() {
            state.progress.update(|p| p.hints_used = revealed.len() as i32);
            hints.set(revealed);
        }
    });
    let content_id = state.content_id.get_value();
    let hint_form_id = StoredValue::new(content_id.clone());
    let solved = move || state.progress.get().completed;
    let attempts = move || state.progress.get().attempts;
    let message = move || match submit.value().get() {
        Some(Ok(o)) => Some((o.correct, o.message)),
        Some(Err(e)) => Some((
            false,
            match e {
                crate::error::AppError::Invalid(f) => {
                    f.get("answer").or(f.get("attempt")).unwrap_or("Please check your answer").to_string()
                }
                other => other.to_string(),
            },
        )),
        None => None,
    };
    view! {
        <section class=CARD aria-labelledby="lab-instructions">
            <h2 id="lab-instructions" class="mb-2 text-lg font-semibold">"Instructions"</h2>
            <div class="prose-foothold" inner_html=instructions></div>
            {environment.map(|env| view! {
                <h3 class="mt-4 mb-1 font-semibold">"Environment"</h3>
                <div class="prose-foothold text-sm" inner_html=env></div>
            })}
        </section>
        <section class=CARD aria-labelledby="lab-answer">
            <h2 id="lab-answer" class="mb-2 text-lg font-semibold">"Your answer"</h2>
            <ActionForm action=submit attr:class="flex flex-col gap-2 sm:flex-row sm:items-end" attr:aria-label="Submit your answer">
                <input type="hidden" name="content_id" value=content_id />
                <input type="hidden" name="attempt" value=move || attempt_id(&base.get_value(), submit.version().get()) />
                <label class="flex flex-1 flex-col gap-1 text-sm">
                    "Flag or answer"
                    <input name="answer" required=true maxlength="300" autocomplete="off" spellcheck="false"
                        class="rounded border border-line bg-surface px-3 py-2 font-mono" data-testid="lab-answer" />
                </label>
                <button type="submit" class=BUTTON disabled=move || submit.pending().get()>"Check"</button>
            </ActionForm>
            <p role="status" aria-live="polite" class="mt-2 text-sm" data-testid="lab-result">
                {move || message().map(|(ok, text)| view! { <span class:text-brand=ok class:text-red-400=!ok>{text}</span> })}
            </p>
            <p class="mt-1 text-xs text-muted">
                {move || {
                    let p = state.progress.get();
                    let score = (p.completed && p.best_score > 0.0).then(|| format!(" · score {}", p.best_score));
                    format!("Attempts: {}{}", p.attempts, score.unwrap_or_default())
                }}
            </p>
        </section>
        {(hint_count > 0).then(|| view! {
            <section class=CARD aria-labelledby="lab-hints" data-testid="hints">
                <h2 id="lab-hints" class="mb-2 text-lg font-semibold">"Hints"</h2>
                <ol class="flex list-inside list-decimal flex-col gap-2 text-sm">
                    {move || hints.get().into_iter().map(|h| view! { <li data-testid="hint">{h}</li> }).collect_view()}
                </ol>
                <Show when=move || { hints.get().len() < hint_count as usize && !solved() }>
                    <ActionForm action=hint attr:class="mt-3">
                        <input type="hidden" name="content_id" value=hint_form_id.get_value() />
                        <input type="hidden" name="number" value=move || (hints.get().len() + 1).to_string() />
                        <button type="submit" class=QUIET_BUTTON disabled=move || hint.pending().get()>
                            {move || format!("Reveal hint {} of {hint_count} (−{HINT_COST} score)", hints.get().len() + 1)}
                        </button>
                    </ActionForm>
                </Show>
            </section>
        })}
        {has_solution.then(|| view! {
            <section class=CARD aria-labelledby="lab-solution">
                <h2 id="lab-solution" class="mb-2 text-lg font-semibold">"Solution"</h2>
                {move || match solution.get() {
                    Some(html) => view! {
                        <details open=!solution_available>
                            <summary class="cursor-pointer text-sm text-brand">"Show the solution"</summary>
                            <div class="prose-foothold mt-2" inner_html=html data-testid="solution"></div>
                        </details>
                    }.into_any(),
                    None => view! {
                        <p class="text-sm text-muted">
                            {move || format!(
                                "Available once you solve the lab, or after every hint and {SOLUTION_AFTER_ATTEMPTS} attempts (you have made {}).",
                                attempts()
                            )}
                        </p>
                    }.into_any(),
                }}
            </section>
        })}
    }
}
