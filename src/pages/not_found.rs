use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Page not found" />
        <section class="mx-auto max-w-xl py-16 text-center">
            <p class="font-mono text-5xl text-brand">"404"</p>
            <h1 class="mt-4 text-2xl font-semibold">"This page does not exist"</h1>
            <p class="mt-2 text-muted">"The address may be mistyped, or the page was moved."</p>
            <a
                href="/catalog"
                class="mt-6 inline-block rounded bg-brand px-4 py-2 font-semibold text-bg"
            >
                "Browse the catalog"
            </a>
        </section>
    }
}
