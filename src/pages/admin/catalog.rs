//! `/admin/catalog`: every phase and module (inactive ones too), with
//! ordering, activation, featuring, editing and deletion. Each action is a
//! small form, so the page works by keyboard and without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{AdminGate, AdminNav};
use crate::api::authoring::{DeleteItem, ModuleRow, MoveItem, PhaseRow, SetActive, SetFeatured, get_catalog_tree};
use crate::components::form::form_error;

const SMALL: &str = "rounded border border-line px-2 py-0.5 text-xs hover:border-brand disabled:opacity-50";

/// The row actions, shared by every row of the page (and of the content list).
#[derive(Clone, Copy)]
pub(super) struct Actions {
    pub(super) moves: ServerAction<MoveItem>,
    pub(super) active: ServerAction<SetActive>,
    pub(super) featured: ServerAction<SetFeatured>,
    pub(super) delete: ServerAction<DeleteItem>,
}

#[component]
pub fn AdminCatalogPage() -> impl IntoView {
    let actions = Actions {
        moves: ServerAction::new(),
        active: ServerAction::new(),
        featured: ServerAction::new(),
        delete: ServerAction::new(),
    };
    let tree = Resource::new(
        move || {
            (
                actions.moves.version().get(),
                actions.active.version().get(),
                actions.featured.version().get(),
                actions.delete.version().get(),
            )
        },
        |_| get_catalog_tree(),
    );
    let failure = move || {
        form_error(actions.delete.value().get())
            .or_else(|| form_error(actions.moves.value().get()))
            .or_else(|| form_error(actions.active.value().get()))
            .or_else(|| form_error(actions.featured.value().get()))
            .or_else(|| match actions.delete.value().get() {
                Some(Err(crate::error::AppError::Invalid(errors))) => Some(errors.to_string()),
                _ => None,
            })
    };
    view! {
        <Title text="Catalog — Administration" />
        <AdminNav current="catalog" />
        <div class="mb-4 flex flex-wrap items-center justify-between gap-3">
            <h1 class="text-3xl font-bold">"Catalog"</h1>
            <a href="/admin/phases/new" class="rounded bg-brand px-4 py-2 font-semibold text-bg hover:opacity-90">"New phase"</a>
        </div>
        <p role="alert" class="mb-4 text-sm text-red-400" data-testid="catalog-error">{failure}</p>
        <Suspense fallback=|| view! { <p class="text-muted">"Loading the catalog…"</p> }>
            {move || Suspend::new(async move {
                match tree.await {
                    Ok(t) if t.phases.is_empty() => view! { <p class="text-muted">"No phases yet. Start with a new phase."</p> }.into_any(),
                    Ok(t) => {
                        let count = t.phases.len();
                        view! {
                            <ol class="flex flex-col gap-6">
                                {t.phases.into_iter().enumerate().map(|(i, p)| view! { <PhaseBlock p first=i == 0 last=i + 1 == count actions /> }).collect_view()}
                            </ol>
                        }.into_any()
                    }
                    Err(err) => view! { <AdminGate err next="/admin/catalog" /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PhaseBlock(p: PhaseRow, first: bool, last: bool, actions: Actions) -> impl IntoView {
    let count = p.modules.len();
    let new_module = format!("/admin/modules/new?phase={}", p.id);
    view! {
        <li class="rounded-lg border border-line bg-surface p-4" data-testid="admin-phase" data-active=p.is_active.to_string()>
            <div class="flex flex-wrap items-center gap-2">
                <span class="font-mono text-sm text-muted">{p.order}</span>
                <h2 class="text-lg font-semibold">
                    <a href=format!("/admin/phases/{}", p.id) class="hover:text-brand">{p.title.clone()}</a>
                </h2>
                <span class="text-xs text-muted">{p.difficulty.label()}</span>
                {(!p.is_active).then(|| view! { <span class="rounded bg-surface-2 px-2 text-xs">"inactive"</span> })}
                <div class="ml-auto flex flex-wrap gap-1">
                    <RowActions kind="phase" id=p.id.clone() title=p.title.clone() active=p.is_active featured=None first last actions />
                </div>
            </div>
            <ol class="mt-3 flex flex-col divide-y divide-line border-t border-line">
                {p.modules.into_iter().enumerate().map(|(i, m)| view! { <ModuleLine m first=i == 0 last=i + 1 == count actions /> }).collect_view()}
            </ol>
            <a href=new_module class="mt-3 inline-block text-sm text-brand underline">"Add a module to this phase"</a>
        </li>
    }
}

#[component]
fn ModuleLine(m: ModuleRow, first: bool, last: bool, actions: Actions) -> impl IntoView {
    view! {
        <li class="flex flex-wrap items-center gap-2 py-2" data-testid="admin-module" data-active=m.is_active.to_string()>
            <span class="font-mono text-sm text-muted">{m.order}</span>
            <a href=format!("/admin/modules/{}", m.id) class="font-medium hover:text-brand">{m.title.clone()}</a>
            <span class="text-xs text-muted">{format!("{} · {} items", m.difficulty.label(), m.content_count)}</span>
            <a href=format!("/admin/modules/{}/content", m.id) class="text-sm text-brand underline" aria-label=format!("Content of “{}”", m.title)>"Content"</a>
            {m.is_featured.then(|| view! { <span class="rounded bg-brand/20 px-2 text-xs text-brand">"featured"</span> })}
            {(!m.is_active).then(|| view! { <span class="rounded bg-surface-2 px-2 text-xs">"inactive"</span> })}
            <div class="ml-auto flex flex-wrap gap-1">
                <RowActions kind="module" id=m.id.clone() title=m.title.clone() active=m.is_active featured=Some(m.is_featured) first last actions />
            </div>
        </li>
    }
}

/// Up, down, activate, feature (modules) and delete (behind a confirmation).
#[component]
pub(super) fn RowActions(
    kind: &'static str,
    id: String,
    title: String,
    active: bool,
    featured: Option<bool>,
    first: bool,
    last: bool,
    actions: Actions,
) -> impl IntoView {
    let row_id = id.clone();
    let arrow = move |direction: &'static str, disabled: bool, label: String| {
        let id = row_id.clone();
        view! {
            <ActionForm action=actions.moves>
                <input type="hidden" name="kind" value=kind />
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="direction" value=direction />
                <button type="submit" class=SMALL disabled=disabled aria-label=label>
                    {if direction == "up" { "↑" } else { "↓" }}
                </button>
            </ActionForm>
        }
    };
    let (up, down) =
        (arrow("up", first, format!("Move “{title}” up")), arrow("down", last, format!("Move “{title}” down")));
    let (feature_id, delete_id) = (id.clone(), id.clone());
    let (feature_label, delete_label, delete_question) = (
        format!("Feature “{title}”"),
        format!("Delete “{title}”…"),
        format!("Delete “{title}” for good? It is refused while anything still depends on it."),
    );
    view! {
        {up}
        {down}
        <ActionForm action=actions.active>
            <input type="hidden" name="kind" value=kind />
            <input type="hidden" name="id" value=id />
            <input type="hidden" name="active" value=(!active).to_string() />
            <button type="submit" class=SMALL aria-label=format!("{} “{title}”", if active { "Deactivate" } else { "Activate" })>
                {if active { "Deactivate" } else { "Activate" }}
            </button>
        </ActionForm>
        {featured.map(|on| view! {
            <ActionForm action=actions.featured>
                <input type="hidden" name="id" value=feature_id />
                <input type="hidden" name="featured" value=(!on).to_string() />
                <button type="submit" class=SMALL aria-pressed=on.to_string() aria-label=feature_label>
                    {if on { "★ Featured" } else { "☆ Feature" }}
                </button>
            </ActionForm>
        })}
        <details class="relative">
            <summary class=format!("{SMALL} cursor-pointer list-none text-red-300") aria-label=delete_label>"Delete…"</summary>
            <div class="absolute right-0 z-10 mt-1 w-64 rounded border border-red-500/50 bg-surface p-3 text-sm shadow-lg">
                <p>{delete_question}</p>
                <ActionForm action=actions.delete>
                    <input type="hidden" name="kind" value=kind />
                    <input type="hidden" name="id" value=delete_id />
                    <button type="submit" class="mt-2 rounded bg-red-600 px-3 py-1 font-semibold text-white">"Delete"</button>
                </ActionForm>
            </div>
        </details>
    }
}
