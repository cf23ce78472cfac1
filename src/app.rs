//! The HTML shell, the router and the layout shared by every page.

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::components::layout::{SiteFooter, SiteHeader};
use crate::pages::{
    AchievementEditorPage, AchievementsPage, AdminAchievementsPage, AdminAuditPage, AdminCatalogPage, AdminPage,
    AdminTransferPage, AdminUserPage, AdminUsersPage, CatalogPage, CertificatePage, DashboardPage, ForgotPasswordPage,
    HomePage, LeaderboardPage, LoginPage, ModuleEditorPage, ModulePage, NotFound, PhaseEditorPage, PhasePage,
    PlayerPage, ProfilePage, RegisterPage, ResetPasswordPage, SettingsPage, TwoFactorLoginPage,
};
use crate::pages::{ContentEditorPage, ModuleContentPage};

/// The document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::security::content_security_policy();
    #[cfg(feature = "ssr")]
    let theme = crate::theme::from_request();
    #[cfg(not(feature = "ssr"))]
    let theme = crate::model::Theme::Dark;
    view! {
        <!DOCTYPE html>
        <html lang="en" data-theme=theme.as_str()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="dark light" />
                <meta name="theme-color" content="#0a0f0b" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body class="min-h-screen bg-bg text-fg antialiased">
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    mark_hydrated();

    view! {
        <Stylesheet id="leptos" href="/pkg/foothold.css" />
        <Title formatter=|page: String| {
            if page.is_empty() { "Foothold".to_string() } else { format!("{page} · Foothold") }
        } />
        // Pages render in `SsrMode::Async`: the server waits for their data and
        // sends finished HTML, so they read (and their links and forms work)
        // without JavaScript; out-of-order streaming would need a script to
        // move streamed content into place.
        <Router>
            <a
                href="#main"
                class="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-4 focus:z-50 focus:rounded focus:bg-brand focus:px-3 focus:py-2 focus:text-bg"
            >
                "Skip to content"
            </a>
            <div class="flex min-h-screen flex-col">
                <SiteHeader />
                <main id="main" class="mx-auto w-full max-w-6xl flex-1 px-4 py-8 sm:px-6">
                    <Routes fallback=NotFound>
                        <Route path=path!("") view=HomePage ssr=SsrMode::Async />
                        <Route path=path!("/catalog") view=CatalogPage ssr=SsrMode::Async />
                        <Route path=path!("/dashboard") view=DashboardPage ssr=SsrMode::Async />
                        <Route path=path!("/achievements") view=AchievementsPage ssr=SsrMode::Async />
                        <Route path=path!("/leaderboard") view=LeaderboardPage ssr=SsrMode::Async />
                        <Route path=path!("/phases/:id") view=PhasePage ssr=SsrMode::Async />
                        <Route path=path!("/modules/:id") view=ModulePage ssr=SsrMode::Async />
                        <Route path=path!("/learn/:module_id/:content_id") view=PlayerPage ssr=SsrMode::Async />
                        <Route path=path!("/u/:username") view=ProfilePage ssr=SsrMode::Async />
                        <Route path=path!("/certificates/:certificate_id") view=CertificatePage ssr=SsrMode::Async />
                        <Route path=path!("/admin") view=AdminPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/catalog") view=AdminCatalogPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/phases/:id") view=PhaseEditorPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/modules/:id") view=ModuleEditorPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/modules/:id/content") view=ModuleContentPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/content/:id") view=ContentEditorPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/audit") view=AdminAuditPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/users") view=AdminUsersPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/transfer") view=AdminTransferPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/achievements") view=AdminAchievementsPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/achievements/:id") view=AchievementEditorPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/users/:id") view=AdminUserPage ssr=SsrMode::Async />
                        <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                        <Route path=path!("/login/two-factor") view=TwoFactorLoginPage ssr=SsrMode::Async />
                        <Route path=path!("/register") view=RegisterPage ssr=SsrMode::Async />
                        <Route path=path!("/settings") view=SettingsPage ssr=SsrMode::Async />
                        <Route path=path!("/forgot-password") view=ForgotPasswordPage ssr=SsrMode::Async />
                        <Route path=path!("/reset-password/:token") view=ResetPasswordPage ssr=SsrMode::Async />
                    </Routes>
                </main>
                <SiteFooter />
            </div>
        </Router>
    }
}

/// Marks `<body data-hydrated="true">` once the WebAssembly has taken over;
/// effects never run on the server, so the mark means hydration finished.
fn mark_hydrated() {
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}
