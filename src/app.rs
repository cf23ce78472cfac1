//! The HTML shell, the router and the layout shared by every page.

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{Lazy, LazyRoute, SsrMode, lazy_route, path};

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
                        <Route path=path!("") view={Lazy::<HomeRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/catalog") view={Lazy::<CatalogRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/dashboard") view={Lazy::<DashboardRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/achievements") view={Lazy::<AchievementsRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/leaderboard") view={Lazy::<LeaderboardRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/phases/:id") view={Lazy::<PhaseRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/modules/:id") view={Lazy::<ModuleRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/learn/:module_id/:content_id") view={Lazy::<PlayerRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/u/:username") view={Lazy::<ProfileRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/certificates/:certificate_id") view={Lazy::<CertificateRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/admin") view={Lazy::<AdminRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/admin/catalog") view={Lazy::<AdminCatalogRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/admin/phases/:id") view={Lazy::<PhaseEditorRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/admin/modules/:id") view={Lazy::<ModuleEditorRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/admin/modules/:id/content") view={Lazy::<ModuleContentRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/admin/content/:id") view={Lazy::<ContentEditorRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/admin/audit") view={Lazy::<AdminAuditRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/admin/users") view={Lazy::<AdminUsersRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/admin/transfer") view={Lazy::<AdminTransferRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/admin/achievements") view={Lazy::<AdminAchievementsRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/admin/achievements/:id") view={Lazy::<AchievementEditorRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/admin/users/:id") view={Lazy::<AdminUserRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/login") view={Lazy::<LoginRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/login/two-factor") view={Lazy::<TwoFactorLoginRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/register") view={Lazy::<RegisterRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/settings") view={Lazy::<SettingsRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/forgot-password") view={Lazy::<ForgotPasswordRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/reset-password/:token") view={Lazy::<ResetPasswordRoute>::new()} ssr=SsrMode::Async />
                    </Routes>
                </main>
                <SiteFooter />
            </div>
        </Router>
    }
}

/// Declares each page as a lazy route: with `cargo leptos build --split`
/// its code goes into a WebAssembly chunk of its own, which the browser
/// loads when it first shows that page (while the page's data loads), so
/// the first load carries the shell and one page instead of every page.
macro_rules! lazy_pages {
    ($($route:ident => $page:ident),* $(,)?) => {
        $(
            #[doc = concat!("The route of [`", stringify!($page), "`], loaded on first use.")]
            pub struct $route;

            #[lazy_route]
            impl LazyRoute for $route {
                fn data() -> Self {
                    $route
                }

                fn view(_this: Self) -> AnyView {
                    view! { <$page /> }.into_any()
                }
            }
        )*
    };
}

lazy_pages! {
    HomeRoute => HomePage,
    CatalogRoute => CatalogPage,
    DashboardRoute => DashboardPage,
    AchievementsRoute => AchievementsPage,
    LeaderboardRoute => LeaderboardPage,
    PhaseRoute => PhasePage,
    ModuleRoute => ModulePage,
    PlayerRoute => PlayerPage,
    ProfileRoute => ProfilePage,
    CertificateRoute => CertificatePage,
    AdminRoute => AdminPage,
    AdminCatalogRoute => AdminCatalogPage,
    PhaseEditorRoute => PhaseEditorPage,
    ModuleEditorRoute => ModuleEditorPage,
    ModuleContentRoute => ModuleContentPage,
    ContentEditorRoute => ContentEditorPage,
    AdminAuditRoute => AdminAuditPage,
    AdminUsersRoute => AdminUsersPage,
    AdminTransferRoute => AdminTransferPage,
    AdminAchievementsRoute => AdminAchievementsPage,
    AchievementEditorRoute => AchievementEditorPage,
    AdminUserRoute => AdminUserPage,
    LoginRoute => LoginPage,
    TwoFactorLoginRoute => TwoFactorLoginPage,
    RegisterRoute => RegisterPage,
    SettingsRoute => SettingsPage,
    ForgotPasswordRoute => ForgotPasswordPage,
    ResetPasswordRoute => ResetPasswordPage,
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
