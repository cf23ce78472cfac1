use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::catalog::get_highlights;
use crate::components::module_card::module_card;

#[component]
pub fn HomePage() -> impl IntoView {
    let highlights = Resource::new(|| (), |_| get_highlights());
    view! {
        <Title text="" />
        <section class="py-10 sm:py-16">
            <p class="font-mono text-sm text-brand">"$ ssh learner@foothold"</p>
            <h1 class="mt-3 text-4xl font-bold tracking-tight sm:text-5xl">
                "Get your foothold in cybersecurity."
            </h1>
            <p class="mt-4 max-w-2xl text-lg text-muted">
                "Hands-on labs, games and short lessons, in phases from first principles to real operations. "
                "Every minute you learn is counted, and every skill you gain shows."
            </p>
            <a
                href="/catalog"
                class="mt-8 inline-block rounded bg-brand px-5 py-3 font-semibold text-bg hover:opacity-90"
            >
                "Browse the catalog"
            </a>
        </section>
        <Suspense fallback=|| view! { <p class="text-muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let highlights = highlights.await.unwrap_or_default();
                let featured: Vec<_> = highlights.featured.iter().map(module_card).collect();
                view! {
                    <section aria-labelledby="numbers" class="grid grid-cols-2 gap-4 sm:max-w-md">
                        <h2 id="numbers" class="sr-only">"Foothold in numbers"</h2>
                        <div class="rounded-lg border border-line bg-surface p-4">
                            <p class="font-mono text-3xl text-brand">{highlights.phases}</p>
                            <p class="text-sm text-muted">"phases"</p>
                        </div>
                        <div class="rounded-lg border border-line bg-surface p-4">
                            <p class="font-mono text-3xl text-brand">{highlights.modules}</p>
                            <p class="text-sm text-muted">"modules"</p>
                        </div>
                    </section>
                    <section aria-labelledby="featured" class="mt-10">
                        <h2 id="featured" class="text-2xl font-semibold">"Featured modules"</h2>
                        <ul class="mt-4 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
                            {featured.into_iter().map(|card| view! { <li>{card}</li> }).collect_view()}
                        </ul>
                    </section>
                }
            })}
        </Suspense>
    }
}
