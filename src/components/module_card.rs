use leptos::prelude::*;

use crate::model::ModuleCard;
use crate::model::catalog::format_minutes;

/// "3 videos · 1 lab" for the content counts that are not zero.
pub fn content_summary(m: &ModuleCard) -> String {
    use std::fmt::Write;
    let mut summary = String::new();
    for (n, one, many) in [
        (m.video_count, "video", "videos"),
        (m.lab_count, "lab", "labs"),
        (m.game_count, "game", "games"),
        (m.document_count, "document", "documents"),
    ] {
        if n > 0 {
            if !summary.is_empty() {
                summary.push_str(" · ");
            }
            // Writing to a String cannot fail.
            let _ = write!(summary, "{n} {}", if n == 1 { one } else { many });
        }
    }
    if summary.is_empty() { "Content coming soon".to_string() } else { summary }
}

/// A module's card. It borrows the module and copies only what it shows, so
/// a page renders a hundred cards from the shared catalog without copying it.
pub fn module_card(module: &ModuleCard) -> impl IntoView + use<> {
    let summary = content_summary(module);
    let duration = module.estimated_minutes.map(format_minutes);
    let difficulty = module.difficulty;
    let href = module.href();
    let title = module.title.clone();
    let short_description = module.short_description.clone();
    let progress = module.progress.clone();
    let tags: Vec<String> = module.tags.iter().map(|t| ["#", t].concat()).collect();
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
                <a href=href class="card-link">
                    {title}
                </a>
            </h3>
            {short_description.map(|d| view! { <p class="text-sm text-muted">{d}</p> })}
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
            {progress.map(|p| {
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
            {(!tags.is_empty())
                .then(|| {
                    view! {
                        <ul class="flex flex-wrap gap-1" aria-label="Tags">
                            {tags.into_iter().map(|t| view! { <li class="card-tag">{t}</li> }).collect_view()}
                        </ul>
                    }
                })}
        </article>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Difficulty;

    fn counts(video_count: u32, lab_count: u32, game_count: u32, document_count: u32) -> ModuleCard {
        ModuleCard {
            id: "m".into(),
            title: "M".into(),
            short_description: None,
            description: None,
            order: 1,
            difficulty: Difficulty::Beginner,
            estimated_minutes: None,
            is_featured: false,
            tags: vec![],
            skills: vec![],
            total_content: video_count + lab_count + game_count + document_count,
            video_count,
            lab_count,
            game_count,
            document_count,
            progress: None,
        }
    }

    #[test]
    fn the_summary_names_only_the_kinds_a_module_has_in_singular_or_plural() {
        assert_eq!(content_summary(&counts(3, 1, 0, 2)), "3 videos · 1 lab · 2 documents");
        assert_eq!(content_summary(&counts(0, 0, 1, 0)), "1 game");
        assert_eq!(content_summary(&counts(1, 2, 3, 1)), "1 video · 2 labs · 3 games · 1 document");
        assert_eq!(content_summary(&counts(0, 0, 0, 0)), "Content coming soon");
    }
}
