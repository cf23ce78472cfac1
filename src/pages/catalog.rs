use std::sync::Arc;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::catalog::get_catalog;
use crate::components::module_card::ModuleCardView;
use crate::model::{Catalog, Difficulty};

/// `/catalog`: phases in order with their modules, filterable by difficulty.
///
/// The filter is a set of links (`?difficulty=…`): without JavaScript each is
/// a normal page load rendered by the server; after hydration the router
/// handles them in the page and the list is re-filtered without a request.
#[component]
pub fn CatalogPage() -> impl IntoView {
    let catalog = Resource::new(|| (), |_| get_catalog());
    let query = use_query_map();
    let difficulty = Memo::new(move |_| query.read().get("difficulty").and_then(|d| Difficulty::parse(&d)));

    view! {
        <Title text="Catalog" />
        <header class="mb-6">
            <h1 class="text-3xl font-bold">"Catalog"</h1>
            <p class="mt-2 text-muted">
                "Work through the phases in order, or jump to the modules that fit your level."
            </p>
        </header>
        <DifficultyFilter selected=difficulty />
        <Suspense fallback=|| view! { <p class="text-muted">"Loading the catalog…"</p> }>
            {move || Suspend::new(async move {
                match catalog.await {
                    Ok(catalog) => {
                        let catalog = Arc::new(catalog);
                        (move || view! { <PhaseList catalog=catalog.filtered(difficulty.get()) /> })
                            .into_any()
                    }
                    Err(err) => {
                        view! {
                            <p role="alert" class="rounded border border-red-500/50 bg-red-500/10 p-4">
                                {err.to_string()}
                            </p>
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn DifficultyFilter(selected: Memo<Option<Difficulty>>) -> impl IntoView {
    let options = std::iter::once((None, "All levels")).chain(Difficulty::ALL.iter().map(|&d| (Some(d), d.label())));
    view! {
        <nav aria-label="Filter by difficulty" class="mb-8">
            <ul class="flex flex-wrap gap-2">
                {options
                    .map(|(value, label)| {
                        let href = match value {
                            Some(d) => format!("/catalog?difficulty={}", d.as_str()),
                            None => "/catalog".to_string(),
                        };
                        let current = move || (selected.get() == value).then_some("page");
                        view! {
                            <li>
                                <a
                                    href=href
                                    aria-current=current
                                    class="inline-block rounded-full border border-line px-3 py-1 text-sm hover:border-brand aria-[current=page]:border-brand aria-[current=page]:bg-brand aria-[current=page]:text-bg"
                                >
                                    {label}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}

#[component]
fn PhaseList(catalog: Catalog) -> impl IntoView {
    if catalog.phases.is_empty() {
        return view! {
            <p class="rounded-lg border border-line bg-surface p-6 text-muted" data-testid="catalog-empty">
                "No modules match this filter yet. "
                <a href="/catalog" class="text-brand underline">
                    "Show all levels"
                </a>
            </p>
        }
        .into_any();
    }
    view! {
        <div class="flex flex-col gap-10">
            {catalog
                .phases
                .into_iter()
                .map(|phase| {
                    let heading_id = format!("phase-{}", phase.id);
                    view! {
                        <section aria-labelledby=format!("phase-{}", phase.id) data-testid="phase">
                            <div class="mb-4 flex flex-col gap-1 border-l-4 pl-3" style:border-color=phase.color>
                                <p class="font-mono text-xs uppercase tracking-widest text-muted">
                                    {format!("Phase {}", phase.order)}
                                    {phase.estimated_hours.map(|h| format!(" · about {h} h"))}
                                </p>
                                <h2 id=heading_id class="text-2xl font-semibold">
                                    <a href=format!("/phases/{}", phase.id) class="hover:text-brand">
                                        {phase.title}
                                    </a>
                                </h2>
                                <p class="max-w-3xl text-sm text-muted">
                                    {phase.short_description.unwrap_or(phase.description)}
                                </p>
                            </div>
                            <ul class="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
                                {phase
                                    .modules
                                    .into_iter()
                                    .map(|m| view! { <li><ModuleCardView module=m /></li> })
                                    .collect_view()}
                            </ul>
                        </section>
                    }
                })
                .collect_view()}
        </div>
    }
    .into_any()
}
