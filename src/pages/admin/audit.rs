//! `/admin/audit`: every administrator action, newest first, filtered by
//! administrator, area, action and dates (a plain GET form, so filters are
//! links that can be shared), with each change's before and after.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{AdminGate, AdminNav};
use crate::api::audit::{AREAS, AuditLog, AuditRow, get_audit_log};

const INPUT: &str = "rounded border border-line bg-surface px-3 py-2 text-fg focus:border-brand";

#[derive(Debug, Clone, PartialEq, Default)]
struct Filters {
    actor: String,
    area: String,
    action: String,
    since: String,
    until: String,
    page: u64,
}

impl Filters {
    /// The query string of these filters on `page`.
    fn href(&self, page: u64) -> String {
        let pairs = [
            ("actor", &self.actor),
            ("area", &self.area),
            ("action", &self.action),
            ("since", &self.since),
            ("until", &self.until),
        ];
        let mut query: Vec<String> = pairs
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", crate::components::encode_query_value(v)))
            .collect();
        query.push(format!("page={page}"));
        format!("/admin/audit?{}", query.join("&"))
    }
}

#[component]
pub fn AdminAuditPage() -> impl IntoView {
    let query = use_query_map();
    let filters = Memo::new(move |_| {
        let q = query.read();
        let get = |k: &str| q.get(k).unwrap_or_default();
        Filters {
            actor: get("actor"),
            area: get("area"),
            action: get("action"),
            since: get("since"),
            until: get("until"),
            page: get("page").parse().unwrap_or(1),
        }
    });
    let log =
        Resource::new(move || filters.get(), |f| get_audit_log(f.actor, f.area, f.action, f.since, f.until, f.page));
    view! {
        <Title text="Audit log — Administration" />
        <AdminNav current="audit" />
        <h1 class="mb-4 text-3xl font-bold">"Audit log"</h1>
        {move || {
            let f = filters.get();
            view! {
                <form method="get" action="/admin/audit" class="mb-6 grid gap-3 rounded-lg border border-line bg-surface p-4 sm:grid-cols-3 lg:grid-cols-6" aria-label="Filter the audit log">
                    <label class="flex flex-col gap-1 text-sm">"Administrator"<input name="actor" value=f.actor.clone() class=INPUT /></label>
                    <label class="flex flex-col gap-1 text-sm">
                        "Area"
                        <select name="area" class=INPUT>
                            <option value="" selected=f.area.is_empty()>"All"</option>
                            {AREAS.iter().map(|a| view! { <option value=*a selected=f.area == *a>{*a}</option> }).collect_view()}
                        </select>
                    </label>
                    <label class="flex flex-col gap-1 text-sm">"Action"<input name="action" value=f.action.clone() placeholder="module.create" class=INPUT /></label>
                    <label class="flex flex-col gap-1 text-sm">"From"<input type="date" name="since" value=f.since.clone() class=INPUT /></label>
                    <label class="flex flex-col gap-1 text-sm">"Until"<input type="date" name="until" value=f.until.clone() class=INPUT /></label>
                    <div class="flex items-end gap-2">
                        <button type="submit" class="rounded bg-brand px-4 py-2 font-semibold text-bg">"Filter"</button>
                        <a href="/admin/audit" class="text-sm underline">"Clear"</a>
                    </div>
                </form>
            }
        }}
        <Suspense fallback=|| view! { <p class="text-muted">"Loading the audit log…"</p> }>
            {move || Suspend::new(async move {
                match log.await {
                    Ok(l) => view! { <Events l filters=filters.get_untracked() /> }.into_any(),
                    Err(crate::error::AppError::Invalid(errors)) => view! { <p role="alert" class="text-red-400">{errors.to_string()}</p> }.into_any(),
                    Err(err) => view! { <AdminGate err next="/admin/audit" /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Events(l: AuditLog, filters: Filters) -> impl IntoView {
    let previous = (l.page > 1).then(|| filters.href(l.page - 1));
    let next = (l.page < l.pages).then(|| filters.href(l.page + 1));
    view! {
        <p class="mb-2 text-sm text-muted" data-testid="audit-total">{format!("{} event(s) · page {} of {}", l.total, l.page, l.pages)}</p>
        {if l.rows.is_empty() {
            view! { <p class="text-muted">"No administrator action matches."</p> }.into_any()
        } else {
            view! {
                <ol class="flex flex-col gap-2">
                    {l.rows.into_iter().map(|r| view! { <Event r /> }).collect_view()}
                </ol>
            }.into_any()
        }}
        <nav aria-label="Pages" class="mt-4 flex gap-4 text-sm">
            {previous.map(|href| view! { <a href=href class="text-brand underline">"← Newer"</a> })}
            {next.map(|href| view! { <a href=href class="text-brand underline">"Older →"</a> })}
        </nav>
    }
}

#[component]
fn Event(r: AuditRow) -> impl IntoView {
    let has_change = r.before.is_some() || r.after.is_some();
    view! {
        <li class="rounded border border-line bg-surface p-3 text-sm" data-testid="audit-event" data-action=r.action.clone()>
            <div class="flex flex-wrap items-baseline gap-x-3 gap-y-1">
                <span class="font-mono text-xs text-muted">{format!("{} UTC", r.at)}</span>
                <span class="font-medium">{r.actor.clone()}</span>
                <span class="rounded bg-surface-2 px-2 font-mono text-xs">{r.action.clone()}</span>
                <span>{r.target.clone()}</span>
                {r.detail.clone().map(|d| view! { <span class="text-muted">{format!("— {d}")}</span> })}
            </div>
            {has_change.then(|| view! {
                <details class="mt-2">
                    <summary class="cursor-pointer text-xs text-brand">"Before and after"</summary>
                    <div class="mt-2 grid gap-2 lg:grid-cols-2">
                        <figure>
                            <figcaption class="text-xs text-muted">"Before"</figcaption>
                            <pre class="max-h-80 overflow-auto rounded bg-bg p-2 text-xs">{r.before.clone().unwrap_or_else(|| "(nothing: created)".into())}</pre>
                        </figure>
                        <figure>
                            <figcaption class="text-xs text-muted">"After"</figcaption>
                            <pre class="max-h-80 overflow-auto rounded bg-bg p-2 text-xs">{r.after.clone().unwrap_or_else(|| "(nothing: deleted)".into())}</pre>
                        </figure>
                    </div>
                </details>
            })}
        </li>
    }
}
