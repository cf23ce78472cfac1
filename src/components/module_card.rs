use leptos::prelude::*;

use crate::model::ModuleCard;
use crate::model::catalog::format_minutes;

/// "3 videos · 1 lab" for the content counts that are not zero.
pub fn content_summary(m: &ModuleCard) -> String {
    let parts: Vec<String> = [
        (m.video_count, "video", "videos"),
        (m.lab_count, "lab", "labs"),
        (m.game_count, "game", "games"),
        (m.document_count, "document", "documents"),
    ]
    .into_iter()
    .filter(|(n, ..)| *n > 0)
    .map(|(n, one, many)| format!("{n} {}", if n == 1 { one } else { many }))
    .collect();
    if parts.is_empty() { "Content coming soon".to_string() } else { parts.join(" · ") }
}

#[component]
pub fn ModuleCardView(module: ModuleCard) -> impl IntoView {
    let summary = content_summary(&module);
    let duration = module.estimated_minutes.map(format_minutes);
    let difficulty = module.difficulty;
    view! {
        <article
            class="module-card"
            data-testid="module-card"
            data-difficulty=difficulty.as_str()
        >
            <div class="flex flex-wrap items-center gap-2 text-xs">
                <span class="card-level">
                    {difficulty.label()}
                </span>
                {module
                    .is_featured
                    .then(|| {
                        view! {
                            <span class="card-featured">
                                "Featured"
                            </span>
                        }
                    })}
            </div>
            <h3 class="text-lg font-semibold leading-snug">
                <a href=format!("/modules/{}", module.id) class="card-link">
                    {module.title}
                </a>
            </h3>
            {module.short_description.map(|d| view! { <p class="text-sm text-muted">{d}</p> })}
            <dl class="card-facts">
                <div>
                    <dt class="sr-only">"Duration"</dt>
                    <dd>{duration.unwrap_or_else(|| "Self-paced".into())}</dd>
                </div>
                <div>
                    <dt class="sr-only">"Content"</dt>
                    <dd>{summary}</dd>
                </div>
            </dl>
            {module.progress.map(|p| {
                let label = match p.status {
                    crate::model::EnrollmentStatus::Completed => "Completed".to_string(),
                    crate::model::EnrollmentStatus::Paused => "Paused".to_string(),
                    crate::model::EnrollmentStatus::Dropped => "Dropped".to_string(),
                    crate::model::EnrollmentStatus::Active => "In progress".to_string(),
                };
                view! {
                    <div data-testid="card-progress">
                        <crate::components::learn::ProgressBar percentage=p.percentage label=label />
                    </div>
                }
            })}
            {(!module.tags.is_empty())
                .then(|| {
                    view! {
                        <ul class="flex flex-wrap gap-1" aria-label="Tags">
                            {module
                                .tags
                                .into_iter()
                                .map(|t| {
                                    view! {
                                        <li class="card-tag">
                                            {format!("#{t}")}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                })}
        </article>
    }
}
