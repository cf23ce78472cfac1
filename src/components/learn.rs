//! Pieces shared by the module page and the player: progress bars and the syllabus.

use leptos::prelude::*;

use crate::model::ContentType;
use crate::model::learn::{SyllabusItem, group_syllabus};

/// "video"/"videos" and so on.
pub fn kind_label(kind: ContentType, n: usize) -> &'static str {
    match (kind, n == 1) {
        (ContentType::Video, true) => "video",
        (ContentType::Video, false) => "videos",
        (ContentType::Lab, true) => "lab",
        (ContentType::Lab, false) => "labs",
        (ContentType::Game, true) => "game",
        (ContentType::Game, false) => "games",
        (ContentType::Document, true) => "document",
        (ContentType::Document, false) => "documents",
    }
}

pub fn kind_icon(kind: ContentType) -> &'static str {
    match kind {
        ContentType::Video => "▶",
        ContentType::Lab => ">_",
        ContentType::Game => "★",
        ContentType::Document => "≡",
    }
}

/// A padlock drawn in SVG (emoji fonts are not everywhere), hidden from screen readers.
#[component]
pub fn LockIcon() -> impl IntoView {
    view! {
        <svg aria-hidden="true" viewBox="0 0 16 16" class="inline-block h-3.5 w-3.5 align-[-2px]" fill="currentColor">
            <path d="M4 7V5a4 4 0 1 1 8 0v2h.5A1.5 1.5 0 0 1 14 8.5v5a1.5 1.5 0 0 1-1.5 1.5h-9A1.5 1.5 0 0 1 2 13.5v-5A1.5 1.5 0 0 1 3.5 7H4Zm2 0h4V5a2 2 0 1 0-4 0v2Z" />
        </svg>
    }
}

/// A labelled progress bar (`role="progressbar"`).
#[component]
pub fn ProgressBar(#[prop(into)] percentage: Signal<f64>, #[prop(into)] label: Signal<String>) -> impl IntoView {
    let width = move || format!("{}%", percentage.get().clamp(0.0, 100.0));
    view! {
        <div class="flex flex-col gap-1">
            <div
                role="progressbar"
                aria-valuemin="0"
                aria-valuemax="100"
                aria-valuenow=move || percentage.get().round().to_string()
                aria-label=move || label.get()
                class="h-2 w-full overflow-hidden rounded-full bg-surface-2"
            >
                <div class="h-full bg-brand transition-all" style:width=width></div>
            </div>
            <p class="text-xs text-muted">{move || format!("{} · {}%", label.get(), percentage.get().round())}</p>
        </div>
    }
}

/// The syllabus grouped by section and subsection; open items link to the player.
#[component]
pub fn SyllabusList(module_id: String, items: Vec<SyllabusItem>, current: Option<String>) -> impl IntoView {
    let groups = group_syllabus(&items);
    view! {
        <div class="flex flex-col gap-4" data-testid="syllabus">
            {groups
                .into_iter()
                .map(|g| {
                    let heading = match (g.section, g.subsection) {
                        (Some(s), Some(sub)) => Some(format!("{s} › {sub}")),
                        (Some(s), None) => Some(s),
                        (None, Some(sub)) => Some(sub),
                        (None, None) => None,
                    };
                    let module_id = module_id.clone();
                    let current = current.clone();
                    view! {
                        <div>
                            {heading.map(|h| view! { <h3 class="mb-1 font-mono text-xs uppercase tracking-widest text-muted">{h}</h3> })}
                            <ol class="flex flex-col gap-1">
                                {g.items.into_iter().map(|item| view! { <SyllabusRow module_id=module_id.clone() item current=current.clone() /> }).collect_view()}
                            </ol>
                        </div>
                    }
                })
                .collect_view()}
        </div>
    }
}

#[component]
fn SyllabusRow(module_id: String, item: SyllabusItem, current: Option<String>) -> impl IntoView {
    let is_current = current.as_deref() == Some(item.id.as_str());
    let is_locked = item.locked.is_some();
    let state = if item.completed {
        "Completed".to_string()
    } else if item.locked.is_some() {
        "Locked".to_string()
    } else if item.percentage > 0.0 {
        format!("{}%", item.percentage.round())
    } else {
        String::new()
    };
    let mark = if item.completed {
        "✓".into_any()
    } else if item.locked.is_some() {
        view! { <LockIcon /> }.into_any()
    } else {
        kind_icon(item.kind).into_any()
    };
    let meta = item.duration.map(|d| format!("{d} min")).unwrap_or_default();
    let title = item.title.clone();
    let inner = view! {
        <span aria-hidden="true" class="w-5 shrink-0 text-center" class:text-brand=item.completed>{mark}</span>
        <span class="flex-1">
            {title}
            <span class="sr-only">{format!(" ({}) ", item.kind.as_str())}</span>
        </span>
        <span class="shrink-0 text-xs text-muted">{meta}</span>
        <span class="shrink-0 text-xs" class:text-brand=item.completed>{state}</span>
    };
    let row_class = "flex items-center gap-2 rounded px-2 py-1.5 text-sm";
    view! {
        <li data-testid="syllabus-item" data-id=item.id.clone() data-completed=item.completed.to_string() data-locked=is_locked.to_string()>
            {match item.locked {
                Some(reason) => view! {
                    <div class=format!("{row_class} text-muted") title=reason.clone()>
                        {inner}
                        <span class="sr-only">{reason.clone()}</span>
                    </div>
                }.into_any(),
                None => view! {
                    <a
                        href=format!("/learn/{module_id}/{}", item.id)
                        class=format!("{row_class} hover:bg-surface-2 aria-[current=page]:bg-surface-2 aria-[current=page]:text-brand")
                        aria-current=is_current.then_some("page")
                    >
                        {inner}
                    </a>
                }.into_any(),
            }}
        </li>
    }
}
