//! The document reader: one section at a time (`?section=N`, plain links
//! that work without JavaScript), a table of contents with what has been
//! read, heartbeats naming the section on screen, and bookmarks with notes.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::{BUTTON, CARD, QUIET_BUTTON, player_state};
use crate::api::learn::{AddBookmark, DeleteBookmark};
use crate::model::DocumentFormat;
use crate::model::learn::{Beat, DocSection};

#[component]
pub fn DocumentReader(format: DocumentFormat, sections: Vec<DocSection>, url: Option<String>) -> impl IntoView {
    let state = player_state();
    let query = use_query_map();
    let total = sections.len().max(1);
    let start = state.progress.get_untracked().position.max(1.0) as usize;
    let section = Memo::new(move |_| {
        query.read().get("section").and_then(|s| s.parse::<usize>().ok()).unwrap_or(start).clamp(1, total)
    });

    // Heartbeats name the section on screen; a change of section first
    // credits the time spent so far to the section being left.
    let active = super::activity();
    super::every_heartbeat({
        let active = active.clone();
        move || {
            if active() {
                state.beat(Beat { position: section.get_untracked() as f64, speed: 1.0, ..Beat::default() });
            }
        }
    });
    Effect::new(move |previous: Option<usize>| {
        let now = section.get();
        if let Some(previous) = previous
            && previous != now
        {
            state.beat(Beat { position: previous as f64, speed: 1.0, ..Beat::default() });
        }
        now
    });

    // Leaving the page credits the section on screen.
    on_cleanup(move || {
        if let Some(n) = section.try_get_untracked() {
            state.beat(Beat { position: n as f64, speed: 1.0, ..Beat::default() });
        }
    });

    if sections.is_empty() {
        return view! {
            <div class=CARD>
                <p>"This document is a file to read in your browser."</p>
                {url.map(|u| view! {
                    <a href=u target="_blank" rel="noopener" class=format!("{BUTTON} mt-3 inline-block")>
                        {format!("Open the {}", if format == DocumentFormat::Pdf { "PDF" } else { "document" })}
                    </a>
                })}
            </div>
        }
        .into_any();
    }

    let titles: Vec<String> = sections.iter().map(|s| s.title.clone()).collect();
    let sections = StoredValue::new(sections);
    let href = move |n: usize| format!("?section={n}");
    view! {
        <div class="grid gap-4 md:grid-cols-[1fr_14rem]">
            <div class=format!("{CARD} min-w-0")>
                {move || {
                    let n = section.get();
                    let s = sections.with_value(|all| all.get(n - 1).cloned());
                    s.map(|s| view! {
                        <section aria-labelledby="doc-section-title" data-testid="doc-section" data-section=n.to_string()>
                            <p class="font-mono text-xs text-muted">{format!("Section {n} of {total}")}</p>
                            <h2 id="doc-section-title" class="mb-3 text-xl font-semibold">{s.title}</h2>
                            <div class="prose-foothold" inner_html=s.html></div>
                        </section>
                    })
                }}
                <nav aria-label="Sections" class="mt-6 flex justify-between gap-2">
                    {move || (section.get() > 1).then(|| view! { <a href=href(section.get() - 1) class=QUIET_BUTTON>"← Previous section"</a> })}
                    <span></span>
                    {move || (section.get() < total).then(|| view! { <a href=href(section.get() + 1) class=QUIET_BUTTON data-testid="next-section">"Next section →"</a> })}
                </nav>
            </div>
            <aside class="flex flex-col gap-4">
                <nav aria-label="Contents" class=CARD>
                    <h2 class="mb-2 text-sm font-semibold">"Contents"</h2>
                    <ol class="flex flex-col gap-1 text-sm">
                        {titles.into_iter().enumerate().map(|(i, title)| {
                            let n = i + 1;
                            let read = move || state.progress.get().sections_read.contains(&(n as i32));
                            view! {
                                <li>
                                    <a
                                        href=href(n)
                                        class="flex gap-2 hover:text-brand aria-[current=page]:text-brand"
                                        aria-current=move || (section.get() == n).then_some("page")
                                    >
                                        <span aria-hidden="true" class="w-4">{move || if read() { "✓" } else { "" }}</span>
                                        <span>{title}</span>
                                        <span class="sr-only">{move || if read() { " (read)" } else { "" }}</span>
                                    </a>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                </nav>
                <Bookmarks section total />
            </aside>
        </div>
    }
    .into_any()
}

#[component]
fn Bookmarks(section: Memo<usize>, total: usize) -> impl IntoView {
    let state = player_state();
    let add = ServerAction::<AddBookmark>::new();
    let delete = ServerAction::<DeleteBookmark>::new();
    state.follow(add);
    state.follow(delete);
    let content_id = state.content_id.get_value();
    let form_id = content_id.clone();
    let error = move || {
        add.value().get().and_then(|r| r.err()).or_else(|| delete.value().get().and_then(|r| r.err())).map(
            |e| match e {
                crate::error::AppError::Invalid(fields) => {
                    fields.get("note").or(fields.get("section")).unwrap_or("Please check the note").to_string()
                }
                other => other.to_string(),
            },
        )
    };
    view! {
        <section class=CARD aria-labelledby="bookmarks-heading" data-testid="bookmarks">
            <h2 id="bookmarks-heading" class="mb-2 text-sm font-semibold">"Bookmarks"</h2>
            <ActionForm action=add attr:class="flex flex-col gap-2" attr:aria-label="Bookmark this section">
                <input type="hidden" name="content_id" value=form_id />
                <input type="hidden" name="section" value=move || section.get().to_string() />
                <label for="bookmark-note" class="text-xs text-muted">{move || format!("Note on section {} of {total}", section.get())}</label>
                <textarea id="bookmark-note" name="note" rows="2" maxlength="500" class="rounded border border-line bg-surface px-2 py-1 text-sm"></textarea>
                <button type="submit" class=QUIET_BUTTON disabled=move || add.pending().get()>"Bookmark this section"</button>
            </ActionForm>
            <p role="alert" class="text-xs text-red-400">{error}</p>
            <ul class="mt-3 flex flex-col gap-2 text-sm">
                {move || {
                    let content_id = content_id.clone();
                    state.progress.get().bookmarks.into_iter().map(|b| {
                        let content_id = content_id.clone();
                        view! {
                            <li class="flex items-start justify-between gap-2" data-testid="bookmark">
                                <a href=format!("?section={}", b.section) class="hover:text-brand">
                                    <span class="font-mono text-xs text-muted">{format!("§{} ", b.section)}</span>
                                    {if b.note.is_empty() { "(no note)".to_string() } else { b.note.clone() }}
                                </a>
                                <ActionForm action=delete>
                                    <input type="hidden" name="content_id" value=content_id />
                                    <input type="hidden" name="section" value=b.section.to_string() />
                                    <input type="hidden" name="created_ms" value=b.created_ms.to_string() />
                                    <button type="submit" class="text-xs text-muted hover:text-red-400" aria-label=format!("Delete bookmark on section {}", b.section)>"Delete"</button>
                                </ActionForm>
                            </li>
                        }
                    }).collect_view()
                }}
            </ul>
        </section>
    }
}
