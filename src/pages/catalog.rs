use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use crate::api::catalog::get_catalog;
use crate::components::module_card::module_card;
use crate::components::reactive_view;
use crate::model::catalog::CatalogFilter;
use crate::model::catalog::PhaseCard;
use crate::model::{Difficulty, ModuleCard};

/// `/catalog`: phases in order with their modules, featured ones first,
/// filterable by difficulty, tag, skill and text.
///
/// The filters are links and a GET form (`?difficulty=…&tag=…&skill=…&q=…`):
/// without JavaScript each is a normal page load rendered by the server;
/// after hydration the router handles them in the page and the list is
/// re-filtered without a request.
#[component]
pub fn CatalogPage() -> impl IntoView {
    let catalog = Resource::new(|| (), |_| get_catalog());
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        let q = query.read();
        let text = |key: &str| q.get(key).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        CatalogFilter {
            difficulty: q.get("difficulty").and_then(|d| Difficulty::parse(&d)),
            tag: text("tag"),
            skill: text("skill"),
            text: text("q"),
        }
    });

    view! {
        <Title text="Catalog" />
        <header class="mb-6">
            <h1 class="text-3xl font-bold">"Catalog"</h1>
            <p class="mt-2 text-muted">
                "Work through the phases in order, or jump to the modules that fit your level."
            </p>
        </header>
        <DifficultyFilter filter />
        <Suspense fallback=|| view! { <p class="text-muted">"Loading the catalog…"</p> }>
            {move || Suspend::new(async move {
                match catalog.await {
                    Ok(catalog) => {
                        let (tags, skills) = (catalog.tags(), catalog.skills());
                        Either::Left(view! {
                            <SearchForm filter tags skills />
                            {reactive_view(move || {
                                let filter = filter.get();
                                let shown: Vec<_> = catalog.matching(&filter).collect();
                                view! {
                                    {featured_list(&shown)}
                                    {phase_list(&shown)}
                                }
                            })}
                        })
                    }
                    Err(err) => {
                        Either::Right(view! {
                            <p role="alert" class="rounded border border-red-500/50 bg-red-500/10 p-4">
                                {err.to_string()}
                            </p>
                        })
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn DifficultyFilter(filter: Memo<CatalogFilter>) -> impl IntoView {
    let options = std::iter::once((None, "All levels")).chain(Difficulty::ALL.iter().map(|&d| (Some(d), d.label())));
    view! {
        <nav aria-label="Filter by difficulty" class="mb-4">
            <ul class="flex flex-wrap gap-2">
                {options
                    .map(|(value, label)| {
                        let href = move || filter.read().with_difficulty(value);
                        let current = move || (filter.read().difficulty == value).then_some("page");
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

/// Text, tag and skill: a GET form the router handles in the page after hydration.
#[component]
fn SearchForm(filter: Memo<CatalogFilter>, tags: Vec<String>, skills: Vec<String>) -> impl IntoView {
    let current = filter.get_untracked();
    let select = |name: &'static str, label: &'static str, options: Vec<String>, chosen: Option<String>| {
        view! {
            <div class="flex flex-col gap-1 text-sm">
                <label for=format!("filter-{name}")>{label}</label>
                <select id=format!("filter-{name}") name=name class="rounded border border-line bg-surface px-2 py-2">
                    <option value="">"Any"</option>
                    {options
                        .into_iter()
                        .map(|o| {
                            let selected = chosen.as_deref().is_some_and(|c| c.eq_ignore_ascii_case(&o));
                            view! { <option value=o.clone() selected=selected>{o.clone()}</option> }
                        })
                        .collect_view()}
                </select>
            </div>
        }
    };
    view! {
        <Form method="GET" action="/catalog" attr:class="mb-8 grid gap-3 sm:grid-cols-[1fr_auto_auto_auto] sm:items-end" attr:role="search" attr:aria-label="Search the catalog">
            {current.difficulty.map(|d| view! { <input type="hidden" name="difficulty" value=d.as_str() /> })}
            <label class="flex flex-col gap-1 text-sm">
                "Search"
                <input
                    type="search"
                    name="q"
                    value=current.text.clone().unwrap_or_default()
                    maxlength="100"
                    placeholder="Title, topic or skill"
                    class="rounded border border-line bg-surface px-3 py-2"
                />
            </label>
            {select("tag", "Tag", tags, current.tag.clone())}
            {select("skill", "Skill", skills, current.skill.clone())}
            <button type="submit" class="rounded bg-brand px-4 py-2 font-semibold text-bg hover:opacity-90">
                "Apply"
            </button>
        </Form>
    }
}

/// Links to the featured modules among those shown.
fn featured_list(shown: &[(&PhaseCard, Vec<&ModuleCard>)]) -> impl IntoView + use<> {
    let links: Vec<(String, String)> = shown
        .iter()
        .flat_map(|(_, modules)| modules.iter().filter(|m| m.is_featured))
        .map(|m| (m.href(), m.title.clone()))
        .collect();
    (!links.is_empty()).then(|| {
        view! {
            <section aria-labelledby="featured-heading" class="mb-8" data-testid="featured">
                <h2 id="featured-heading" class="mb-2 font-mono text-xs uppercase tracking-widest text-brand">
                    "Featured"
                </h2>
                <ul class="flex flex-wrap gap-2">
                    {links
                        .into_iter()
                        .map(|(href, title)| {
                            view! {
                                <li>
                                    <a
                                        href=href
                                        class="inline-block rounded border border-brand/50 bg-surface px-3 py-1.5 text-sm hover:border-brand"
                                    >
                                        <span aria-hidden="true">"★ "</span>
                                        {title}
                                    </a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
        }
    })
}

/// The phases shown, each with its modules shown, borrowed from the catalog.
fn phase_list(phases: &[(&PhaseCard, Vec<&ModuleCard>)]) -> impl IntoView + use<> {
    if phases.is_empty() {
        return Either::Left(view! {
            <p class="rounded-lg border border-line bg-surface p-6 text-muted" data-testid="catalog-empty">
                "No modules match this filter yet. "
                <a href="/catalog" class="text-brand underline">
                    "Show all levels"
                </a>
            </p>
        });
    }
    Either::Right(view! {
        <div class="flex flex-col gap-10">
            {phases
                .iter()
                .map(|(phase, modules)| {
                    let heading_id = format!("phase-{}", phase.id);
                    let labelled_by = heading_id.clone();
                    view! {
                        <section aria-labelledby=labelled_by data-testid="phase">
                            <div class="mb-4 flex flex-col gap-1 border-l-4 pl-3" style:border-color=phase.color.clone()>
                                <p class="font-mono text-xs uppercase tracking-widest text-muted">
                                    {format!("Phase {}", phase.order)}
                                    {phase.estimated_hours.map(|h| format!(" · about {h} h"))}
                                </p>
                                <h2 id=heading_id class="text-2xl font-semibold">
                                    <a href=["/phases/", &phase.id].concat() class="hover:text-brand">
                                        {phase.title.clone()}
                                    </a>
                                </h2>
                                <p class="max-w-3xl text-sm text-muted">
                                    {phase.short_description.clone().unwrap_or_else(|| phase.description.clone())}
                                </p>
                            </div>
                            <ul class="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
                                {modules.iter().map(|m| view! { <li>{module_card(m)}</li> }).collect_view()}
                            </ul>
                        </section>
                    }
                })
                .collect_view()}
        </div>
    })
}
