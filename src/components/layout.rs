use leptos::prelude::*;

#[component]
pub fn SiteHeader() -> impl IntoView {
    view! {
        <header class="border-b border-line bg-surface/80 backdrop-blur">
            <nav
                aria-label="Main"
                class="mx-auto flex max-w-6xl items-center justify-between gap-4 px-4 py-3 sm:px-6"
            >
                <a href="/" class="flex items-center gap-2 font-mono text-lg font-bold text-brand">
                    <span aria-hidden="true">">_"</span>
                    <span>"Foothold"</span>
                </a>
                <ul class="flex items-center gap-4 text-sm">
                    <li>
                        <a href="/catalog" class="rounded px-2 py-1 hover:text-brand">
                            "Catalog"
                        </a>
                    </li>
                </ul>
            </nav>
        </header>
    }
}

#[component]
pub fn SiteFooter() -> impl IntoView {
    view! {
        <footer class="border-t border-line py-6 text-center text-sm text-muted">
            "Foothold · learn security by doing"
        </footer>
    }
}
