//! `/achievements`: the gallery, by category, with rarity, earn rate and the
//! learner's progress; hidden achievements stay masked until earned; earned
//! ones can be shared on the public profile.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::achievements::{AchievementCard, MarkAchievementsSeen, ShareAchievement, get_achievements};
use crate::components::learn::ProgressBar;
use crate::error::AppError;
use crate::model::AchievementCategory;

#[component]
pub fn AchievementsPage() -> impl IntoView {
    let share = ServerAction::<ShareAchievement>::new();
    let seen = ServerAction::<MarkAchievementsSeen>::new();
    // Marking awards seen changes nothing shown but the notice, so it does not reload the gallery.
    let cards = Resource::new(move || share.version().get(), |_| get_achievements());
    view! {
        <Title text="Achievements" />
        <h1 class="mb-2 text-3xl font-bold">"Achievements"</h1>
        <p class="mb-6 text-muted">"Earn them by learning: completing content and modules, keeping a streak, scoring high."</p>
        <Suspense fallback=|| view! { <p class="text-muted">"Loading achievements…"</p> }>
            {move || Suspend::new(async move {
                match cards.await {
                    Ok(cards) => view! { <Gallery cards share seen /> }.into_any(),
                    Err(AppError::Unauthorized(_)) => view! {
                        <p class="text-muted">
                            "Please " <a href="/login?next=/achievements" class="text-brand underline">"sign in"</a>
                            " to see your achievements."
                        </p>
                    }.into_any(),
                    Err(err) => view! { <p role="alert" class="text-red-400">{err.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Gallery(
    cards: Vec<AchievementCard>,
    share: ServerAction<ShareAchievement>,
    seen: ServerAction<MarkAchievementsSeen>,
) -> impl IntoView {
    let unread = cards.iter().filter(|c| c.award.as_ref().is_some_and(|a| !a.is_viewed)).count();
    // Looking at the gallery in a browser marks new awards as seen.
    Effect::new(move |done: Option<bool>| {
        if unread > 0 && done != Some(true) {
            seen.dispatch(MarkAchievementsSeen {});
        }
        true
    });
    let earned = cards.iter().filter(|c| c.award.is_some()).count();
    let total = cards.len();
    view! {
        <p class="mb-6 font-mono text-brand" data-testid="earned-count">{format!("{earned} of {total} earned")}</p>
        {(unread > 0).then(|| view! {
            <Show when=move || !matches!(seen.value().get(), Some(Ok(())))>
            <ActionForm action=seen attr:class="mb-6">
                <p class="text-sm">
                    {format!("{unread} new since your last visit. ")}
                    <button type="submit" class="text-brand underline">"Mark all as seen"</button>
                </p>
            </ActionForm>
            </Show>
        })}
        {AchievementCategory::ALL.iter().filter_map(|&category| {
            let in_category: Vec<AchievementCard> = cards.iter().filter(|c| c.category == category).cloned().collect();
            (!in_category.is_empty()).then(|| view! {
                <section class="mb-8" aria-labelledby=format!("cat-{}", category.as_str())>
                    <h2 id=format!("cat-{}", category.as_str()) class="mb-3 text-xl font-semibold capitalize">{category.as_str()}</h2>
                    <ul class="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
                        {in_category.into_iter().map(|card| view! { <li><Card card share /></li> }).collect_view()}
                    </ul>
                </section>
            })
        }).collect_view()}
    }
}

#[component]
fn Card(card: AchievementCard, share: ServerAction<ShareAchievement>) -> impl IntoView {
    let earned = card.award.is_some();
    view! {
        <article
            class="flex h-full flex-col gap-2 rounded-lg border bg-surface p-4"
            class:opacity-70=!earned
            style:border-color=if earned { card.color.clone() } else { "var(--line)".to_string() }
            data-testid="achievement"
            data-earned=earned.to_string()
            data-masked=card.masked.to_string()
        >
            <div class="flex items-center justify-between gap-2 text-xs">
                <span class="rounded-full border border-line px-2 py-0.5 font-mono uppercase tracking-wide">{card.rarity.as_str()}</span>
                <span class="text-muted">{format!("{}% of learners", card.earn_rate)}</span>
            </div>
            <h3 class="text-lg font-semibold">{card.title.clone()}</h3>
            <p class="text-sm text-muted">{card.description.clone()}</p>
            <p class="text-sm text-brand">{format!("+{} points", card.points)}</p>
            {match card.award.clone() {
                Some(award) => {
                    let shared = award.is_shared;
                    view! {
                        <p class="mt-auto text-xs text-muted">{format!("Earned on {}", award.earned_on)}</p>
                        <ActionForm action=share>
                            <input type="hidden" name="award_id" value=award.id />
                            <input type="hidden" name="shared" value=(!shared).to_string() />
                            <button type="submit" class="text-xs text-brand underline" aria-pressed=shared.to_string()>
                                {if shared { "Shared on your profile — hide it" } else { "Share on your profile" }}
                            </button>
                        </ActionForm>
                    }.into_any()
                }
                None if card.masked => view! { <p class="mt-auto text-xs text-muted">"Hidden until earned"</p> }.into_any(),
                None => view! {
                    <div class="mt-auto">
                        <ProgressBar percentage=card.progress label="Progress".to_string() />
                    </div>
                }.into_any(),
            }}
        </article>
    }
}
