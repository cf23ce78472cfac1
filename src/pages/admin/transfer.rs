//! `/admin/transfer`: download the catalog (or one module) as JSON, and
//! import a catalog file — checked as a whole first, with a dry run.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{AdminGate, AdminNav};
use crate::api::authoring::get_catalog_tree;
use crate::api::transfer::ImportCatalog;
use crate::components::form::{TextArea, YesNo, form_error};
use crate::error::AppError;

const CARD: &str = "flex flex-col gap-3 rounded-lg border border-line bg-surface p-5";

#[component]
pub fn AdminTransferPage() -> impl IntoView {
    let import = ServerAction::<ImportCatalog>::new();
    let tree = Resource::new(|| (), |_| get_catalog_tree());
    let report = move || {
        match import.value().get() {
        Some(Ok(r)) => Some(view! {
            <div role="status" class="rounded border border-brand/60 p-3 text-sm" data-testid="import-report">
                <p class="font-semibold">{r.summary()}</p>
            </div>
        }.into_any()),
        Some(Err(AppError::Invalid(errors))) => Some(view! {
            <div role="alert" class="rounded border border-red-500/60 p-3 text-sm" data-testid="import-errors">
                <p class="font-semibold">"Nothing was imported. Fix these and try again:"</p>
                <ul class="mt-1 list-disc pl-5">
                    {errors.0.into_iter().map(|(path, message)| view! { <li><code>{path}</code>": "{message}</li> }).collect_view()}
                </ul>
            </div>
        }.into_any()),
        _ => None,
    }
    };
    view! {
        <Title text="Import and export — Administration" />
        <AdminNav current="transfer" />
        <h1 class="mb-4 text-3xl font-bold">"Import and export"</h1>
        <Suspense fallback=|| view! { <p class="text-muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match tree.await {
                    Err(err) => view! { <AdminGate err next="/admin/transfer" /> }.into_any(),
                    Ok(t) => view! {
                        <div class="grid gap-6 lg:grid-cols-2">
                            <section class=CARD aria-labelledby="export-heading">
                                <h2 id="export-heading" class="text-lg font-semibold">"Export"</h2>
                                <p class="text-sm text-muted">"Phases, modules and content with their answer keys, as JSON. Keep the file private."</p>
                                <a href="/admin/catalog.json" download="" class="self-start rounded bg-brand px-4 py-2 font-semibold text-bg hover:opacity-90">"Download the whole catalog"</a>
                                <form method="get" action="/admin/catalog.json" class="flex flex-wrap items-end gap-2">
                                    <label class="flex flex-col gap-1 text-sm">
                                        "One module (with its phase)"
                                        <select name="module" class="rounded border border-line bg-surface px-3 py-2">
                                            {t.phases.iter().flat_map(|p| p.modules.iter().map(move |m| (p.title.clone(), m.clone()))).map(|(phase, m)| view! {
                                                <option value=m.id.clone()>{format!("{phase} · {}", m.title)}</option>
                                            }).collect_view()}
                                        </select>
                                    </label>
                                    <button type="submit" class="rounded border border-line px-3 py-2 text-sm hover:border-brand">"Download module"</button>
                                </form>
                            </section>
                            <section class=CARD aria-labelledby="import-heading">
                                <h2 id="import-heading" class="text-lg font-semibold">"Import"</h2>
                                <p class="text-sm text-muted">"Paste a catalog file. All of it is checked before anything is written; documents are matched by id, so importing the same file again changes nothing."</p>
                                <ActionForm action=import attr:class="flex flex-col gap-3">
                                    <TextArea name="json" id="import-json" label="Catalog file (JSON)" rows=10 required=true />
                                    <YesNo name="dry_run" id="dry-run" label="Dry run (only report)" value=true />
                                    <button type="submit" class="self-start rounded bg-brand px-4 py-2 font-semibold text-bg hover:opacity-90" disabled=move || import.pending().get()>"Import"</button>
                                </ActionForm>
                                {report}
                                <p role="alert" class="text-sm text-red-400">{move || form_error(import.value().get())}</p>
                            </section>
                        </div>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
