//! `/phases/:id`: a phase's modules in order, each with the learner's state
//! and what unlocks it.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::learn::load_phase;
use crate::components::learn::{LockIcon, ProgressBar};
use crate::model::catalog::format_minutes;
use crate::model::learn::{PhaseDetail, PhaseModule};
use crate::pages::module::LoadError;

#[component]
pub fn PhasePage() -> impl IntoView {
    let params = use_params_map();
    let phase = Resource::new(move || params.read().get("id").unwrap_or_default(), load_phase);
    view! {
        <Suspense fallback=|| view! { <p class="text-muted">"Loading the phase…"</p> }>
            {move || Suspend::new(async move {
                match phase.await {
                    Ok(p) => view! { <PhaseView p /> }.into_any(),
                    Err(err) => view! { <LoadError err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PhaseView(p: PhaseDetail) -> impl IntoView {
    view! {
        <Title text=p.title.clone() />
        <nav aria-label="Breadcrumb" class="mb-4 text-sm text-muted">
            <a href="/catalog" class="hover:text-brand">"Catalog"</a>
        </nav>
        <header class="mb-6 flex flex-col gap-2 border-l-4 pl-3" style:border-color=p.color.clone()>
            <p class="font-mono text-xs uppercase tracking-widest text-muted">
                {format!("Phase {} · {}", p.order, p.difficulty.label())}
                {p.estimated_hours.map(|h| format!(" · about {h} h"))}
            </p>
            <h1 class="text-3xl font-bold">{p.title.clone()}</h1>
            <p class="max-w-3xl text-muted">{p.description.clone()}</p>
        </header>
        {p.locked.clone().map(|reason| view! {
            <p class="mb-6 rounded border border-line bg-surface p-4 text-sm" data-testid="phase-locked">
                <LockIcon />" "{reason}
            </p>
        })}
        {(!p.objectives.is_empty()).then(|| view! {
            <section class="mb-6" aria-labelledby="phase-objectives">
                <h2 id="phase-objectives" class="text-xl font-semibold">"Objectives"</h2>
                <ul class="mt-2 list-inside list-disc text-sm">
                    {p.objectives.iter().map(|o| view! { <li>{o.clone()}</li> }).collect_view()}
                </ul>
            </section>
        })}
        <h2 class="mb-3 text-xl font-semibold">"Modules"</h2>
        <ol class="grid gap-4 sm:grid-cols-2">
            {p.modules.into_iter().map(|m| view! { <li><PhaseModuleCard m /></li> }).collect_view()}
        </ol>
    }
}

#[component]
fn PhaseModuleCard(m: PhaseModule) -> impl IntoView {
    view! {
        <article class="flex h-full flex-col gap-2 rounded-lg border border-line bg-surface p-4" data-testid="phase-module">
            <p class="font-mono text-xs uppercase tracking-widest text-brand">
                {m.difficulty.label()}
                {m.estimated_minutes.map(|min| format!(" · {}", format_minutes(min)))}
                {format!(" · {} items", m.total_content)}
            </p>
            <h3 class="text-lg font-semibold">
                <a href=format!("/modules/{}", m.id) class="hover:text-brand">{m.title}</a>
            </h3>
            {m.short_description.map(|d| view! { <p class="text-sm text-muted">{d}</p> })}
            {m.locked.map(|reason| view! { <p class="text-xs text-muted"><LockIcon />" "{reason}</p> })}
            {m.enrollment.map(|e| view! {
                <div class="mt-auto">
                    <ProgressBar percentage=e.percentage label=format!("{} of {} done", e.completed, e.total) />
                </div>
            })}
        </article>
    }
}
