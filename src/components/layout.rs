use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::api::achievements::unread_achievements;
use crate::api::auth::{Logout, get_viewer};

#[component]
pub fn SiteHeader() -> impl IntoView {
    let location = use_location();
    let logout = ServerAction::<Logout>::new();
    // Re-read who is signed in after every navigation and every sign-out.
    let viewer = Resource::new(move || (location.pathname.get(), logout.version().get()), |_| get_viewer());
    // New achievements not looked at yet: the badge next to "Achievements".
    let unread = Resource::new(move || (location.pathname.get(), logout.version().get()), |_| unread_achievements());
    view! {
        <header class="border-b border-line bg-surface/80 backdrop-blur">
            <nav
                aria-label="Main"
                class="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3 px-4 py-3 sm:px-6"
            >
                <a href="/" class="flex items-center gap-2 font-mono text-lg font-bold text-brand">
                    <span aria-hidden="true">">_"</span>
                    <span>"Foothold"</span>
                </a>
                <ul class="flex flex-wrap items-center gap-3 text-sm">
                    <li>
                        <a href="/catalog" class="rounded px-2 py-1 hover:text-brand">
                            "Catalog"
                        </a>
                    </li>
                    <li>
                        <a href="/leaderboard" class="rounded px-2 py-1 hover:text-brand">
                            "Leaderboard"
                        </a>
                    </li>
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            let new_awards = unread.await.unwrap_or(0);
                            match viewer.await {
                                Ok(Some(me)) => {
                                    Either::Left(view! {
                                        <li>
                                            <a href="/dashboard" class="rounded px-2 py-1 hover:text-brand">
                                                "Dashboard"
                                            </a>
                                        </li>
                                        <li>
                                            <a href="/achievements" class="rounded px-2 py-1 hover:text-brand">
                                                "Achievements"
                                                {(new_awards > 0)
                                                    .then(|| {
                                                        view! {
                                                            <span
                                                                class="ml-1 rounded-full bg-brand px-1.5 font-mono text-xs text-bg"
                                                                data-testid="unread-achievements"
                                                            >
                                                                {new_awards}
                                                                <span class="sr-only">" new"</span>
                                                            </span>
                                                        }
                                                    })}
                                            </a>
                                        </li>
                                        <li data-testid="signed-in-as">
                                            <a
                                                href=format!("/u/{}", me.username)
                                                class="rounded px-2 py-1 text-muted hover:text-brand"
                                                title="Your public profile"
                                            >
                                                {me.display_name}
                                            </a>
                                        </li>
                                        {(me.role == crate::model::Role::Admin)
                                            .then(|| {
                                                view! {
                                                    <li>
                                                        <a href="/admin" class="rounded px-2 py-1 hover:text-brand">
                                                            "Admin"
                                                        </a>
                                                    </li>
                                                }
                                            })}
                                        <li>
                                            <a href="/settings" class="rounded px-2 py-1 hover:text-brand">
                                                "Settings"
                                            </a>
                                        </li>
                                        <li>
                                            <ActionForm action=logout>
                                                <button
                                                    type="submit"
                                                    class="rounded border border-line px-3 py-1 hover:border-brand"
                                                >
                                                    "Sign out"
                                                </button>
                                            </ActionForm>
                                        </li>
                                    })
                                }
                                _ => {
                                    Either::Right(view! {
                                        <li>
                                            <a href="/login" class="rounded px-2 py-1 hover:text-brand">
                                                "Sign in"
                                            </a>
                                        </li>
                                        <li>
                                            <a
                                                href="/register"
                                                class="rounded bg-brand px-3 py-1 font-semibold text-bg hover:opacity-90"
                                            >
                                                "Create account"
                                            </a>
                                        </li>
                                    })
                                }
                            }
                        })}
                    </Suspense>
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
