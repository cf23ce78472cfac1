use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::catalog::{catalog_listing, catalog_search_form};
use crate::components::server_html::{ServerHtml, placed};
use crate::model::Difficulty;
use crate::model::catalog::CatalogFilter;
#[cfg(feature = "ssr")]
use crate::model::catalog::{Catalog, ModuleCard, PhaseCard};
#[cfg(feature = "ssr")]
use leptos::either::Either;

/// `/catalog`: phases in order with their modules, featured ones first,
/// filterable by difficulty, tag, skill and text.
///
/// The filters are links and a GET form (`?difficulty=…&tag=…&skill=…&q=…`):
/// without JavaScript each is a normal page load rendered by the server;
/// after hydration the router handles them in the page.
///
/// The search form and the module list are HTML the server renders
/// (`components::server_html`), so the browser's code for this page is the
/// difficulty links and the two places the HTML goes, not the cards and
/// form it would otherwise hydrate and rebuild: the page's first load is a
/// fraction of what it was. A change of filter asks the server for the
/// list again (the catalog is cached there); the list shown stays until
/// the new one arrives. The form is rendered once per visit, so focus and
/// what the learner typed stay put while the list changes.
#[component]
pub fn CatalogPage() -> impl IntoView {
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        let q = query.read();
        CatalogFilter::from_query(|key| q.get(key))
    });
    let form = Resource::new(
        || (),
        move |()| async move { catalog_search_form(filter.get_untracked()).await.map(ServerHtml) },
    );
    let listing =
        Resource::new(move || filter.get(), |filter| async move { catalog_listing(filter).await.map(ServerHtml) });
    let (loading, set_loading) = signal(false);
    let navigate = use_navigate();
    let search = move |ev: SubmitEvent| search_in_page(&ev, filter.get_untracked().difficulty, &navigate);

    view! {
        <Title text="Catalog" />
        <header class="mb-6">
            <h1 class="text-3xl font-bold">"Catalog"</h1>
            <p class="mt-2 text-muted">
                "Work through the phases in order, or jump to the modules that fit your level."
            </p>
        </header>
        <DifficultyFilter filter />
        <div on:submit=search>
            <Suspense>{move || Suspend::new(async move { placed(form.await) })}</Suspense>
        </div>
        <div aria-busy=move || loading.get().then_some("true")>
            <Transition
                fallback=|| view! { <p class="text-muted">"Loading the catalog…"</p> }
                set_pending=set_loading
            >
                {move || Suspend::new(async move { placed(listing.await) })}
            </Transition>
        </div>
    }
}

/// Submits the search form through the router: its text, tag and skill with
/// the difficulty the page shows now (the form's own hidden difficulty is
/// the one it was rendered with). If the form cannot be read, the browser
/// submits it as a normal page load.
fn search_in_page(ev: &SubmitEvent, difficulty: Option<Difficulty>, navigate: &impl Fn(&str, NavigateOptions)) {
    use leptos::wasm_bindgen::JsCast;
    let Some(form) = ev.target().and_then(|target| target.dyn_into::<web_sys::HtmlFormElement>().ok()) else { return };
    let Ok(data) = web_sys::FormData::new_with_form(&form) else { return };
    let Ok(params) = web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data) else { return };
    params.delete("difficulty");
    if let Some(difficulty) = difficulty {
        params.set("difficulty", difficulty.as_str());
    }
    ev.prevent_default();
    navigate(&format!("/catalog?{}", String::from(params.to_string())), NavigateOptions::default());
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

/// The search form (text, tag and skill) showing `filter`, as HTML: a GET
/// form that works without JavaScript; with it, [`search_in_page`].
#[cfg(feature = "ssr")]
pub fn search_form_html(catalog: &Catalog, filter: &CatalogFilter) -> String {
    let select = |name: &'static str, label: &'static str, options: Vec<String>, chosen: Option<&str>| {
        let selected = |o: &str| chosen.is_some_and(|c| c.eq_ignore_ascii_case(o));
        view! {
            <div class="flex flex-col gap-1 text-sm">
                <label for=format!("filter-{name}")>{label}</label>
                <select id=format!("filter-{name}") name=name class="rounded border border-line bg-surface px-2 py-2">
                    <option value="">"Any"</option>
                    {options
                        .into_iter()
                        .map(|o| {
                            let (value, chosen) = (o.clone(), selected(&o));
                            view! { <option value=value selected=chosen>{o}</option> }
                        })
                        .collect_view()}
                </select>
            </div>
        }
    };
    let (tags, skills) = (catalog.tags(), catalog.skills());
    crate::components::server_html::render(|| {
        view! {
            <form method="get" action="/catalog" class="mb-8 grid gap-3 sm:grid-cols-[1fr_auto_auto_auto] sm:items-end" role="search" aria-label="Search the catalog">
                {filter.difficulty.map(|d| view! { <input type="hidden" name="difficulty" value=d.as_str() /> })}
                <label class="flex flex-col gap-1 text-sm">
                    "Search"
                    <input
                        type="search"
                        name="q"
                        value=filter.text.clone().unwrap_or_default()
                        maxlength=CatalogFilter::MAX_LEN
                        placeholder="Title, topic or skill"
                        class="rounded border border-line bg-surface px-3 py-2"
                    />
                </label>
                {select("tag", "Tag", tags, filter.tag.as_deref())}
                {select("skill", "Skill", skills, filter.skill.as_deref())}
                <button type="submit" class="rounded bg-brand px-4 py-2 font-semibold text-bg hover:opacity-90">
                    "Apply"
                </button>
            </form>
        }
    })
}

/// The featured modules among those `filter` shows, then the phases with
/// their modules, as HTML.
#[cfg(feature = "ssr")]
pub fn listing_html(catalog: &Catalog, filter: &CatalogFilter) -> String {
    let shown: Vec<_> = catalog.matching(filter).collect();
    crate::components::server_html::render(|| view! { {featured_list(&shown)} {phase_list(&shown)} })
}

/// Links to the featured modules among those shown.
#[cfg(feature = "ssr")]
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
#[cfg(feature = "ssr")]
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
                                {modules
                                    .iter()
                                    .map(|m| view! { <li>{crate::components::module_card::module_card(m)}</li> })
                                    .collect_view()}
                            </ul>
                        </section>
                    }
                })
                .collect_view()}
        </div>
    })
}
