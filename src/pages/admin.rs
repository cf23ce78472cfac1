//! `/admin`: the administrators' home (the approval list of administrator
//! accounts), and the management pages under it: the catalog, its forms
//! and the audit log. Anyone but an active administrator gets the refusal
//! (401 or 403, with the reason) instead of a page.

mod achievements;
mod analytics;
mod audit;
mod catalog;
mod content;
mod editor;
mod transfer;
mod users;

pub use achievements::{AchievementEditorPage, AdminAchievementsPage};
pub use audit::AdminAuditPage;
pub use catalog::AdminCatalogPage;
pub use content::{ContentEditorPage, ModuleContentPage};
pub use editor::{ModuleEditorPage, PhaseEditorPage};
pub use transfer::AdminTransferPage;
pub use users::{AdminUserPage, AdminUsersPage};

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::admin::{AdminAccount, ApproveAdmin, SuspendAdmin, list_admins};
use crate::error::AppError;
use crate::model::AdminStatus;

#[component]
pub fn AdminPage() -> impl IntoView {
    let approve = ServerAction::<ApproveAdmin>::new();
    let suspend = ServerAction::<SuspendAdmin>::new();
    let admins = Resource::new(move || (approve.version().get(), suspend.version().get()), |_| list_admins());
    let failure = move || {
        [approve.value().get(), suspend.value().get()].into_iter().find_map(|v| match v {
            Some(Err(err)) => Some(err.to_string()),
            _ => None,
        })
    };
    view! {
        <Title text="Administration" />
        <AdminNav current="overview" />
        <section class="flex flex-col gap-6">
            <h1 class="text-3xl font-bold">"Administration"</h1>
            <analytics::AnalyticsSection />
            <Suspense fallback=|| view! { <p class="text-muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match admins.await {
                        Ok(list) => view! { <AdminAccounts list approve suspend /> }.into_any(),
                        Err(err) => view! { <AdminGate err next="/admin" /> }.into_any(),
                    }
                })}
            </Suspense>
            <p role="alert" class="text-sm text-red-400">
                {failure}
            </p>
        </section>
    }
}

#[component]
fn AdminAccounts(
    list: Vec<AdminAccount>,
    approve: ServerAction<ApproveAdmin>,
    suspend: ServerAction<SuspendAdmin>,
) -> impl IntoView {
    let rows = list
        .into_iter()
        .map(|a| {
            let status = match a.status {
                AdminStatus::Pending => "Waiting for approval",
                AdminStatus::Active => "Active",
                AdminStatus::Suspended => "Suspended",
            };
            let action = match (a.status, a.is_me) {
                (_, true) => view! { <span class="text-muted">"You"</span> }.into_any(),
                (AdminStatus::Active, false) => {
                    let button = status_button(&a, "Suspend");
                    view! { <ActionForm action=suspend>{button}</ActionForm> }.into_any()
                }
                (AdminStatus::Pending | AdminStatus::Suspended, false) => {
                    let button = status_button(&a, "Approve");
                    view! { <ActionForm action=approve>{button}</ActionForm> }.into_any()
                }
            };
            let test_id = format!("admin-{}", a.username);
            view! {
                <tr class="border-t border-line" data-testid=test_id>
                    <td class="py-2 pr-4 font-medium">{a.username}</td>
                    <td class="py-2 pr-4 text-muted">{a.email}</td>
                    <td class="py-2 pr-4 text-muted">{a.since}</td>
                    <td class="py-2 pr-4">{status}</td>
                    <td class="py-2">{action}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="rounded-lg border border-line bg-surface p-5" aria-labelledby="admins-heading">
            <h2 id="admins-heading" class="text-xl font-semibold">
                "Administrator accounts"
            </h2>
            <p class="mt-1 text-sm text-muted">
                "New administrator accounts wait here until an active administrator approves them."
            </p>
            <div class="mt-4 overflow-x-auto">
                <table class="w-full text-left text-sm">
                    <thead>
                        <tr class="text-muted">
                            <th scope="col" class="py-2 pr-4">"Username"</th>
                            <th scope="col" class="py-2 pr-4">"Email"</th>
                            <th scope="col" class="py-2 pr-4">"Since"</th>
                            <th scope="col" class="py-2 pr-4">"Status"</th>
                            <th scope="col" class="py-2">"Action"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}

/// The inside of a one-button form that sends `account`'s id ("Approve" or "Suspend").
fn status_button(account: &AdminAccount, verb: &'static str) -> impl IntoView + use<> {
    let style = if verb == "Approve" {
        "rounded bg-brand px-3 py-1 font-semibold text-bg hover:opacity-90"
    } else {
        "rounded border border-line px-3 py-1 hover:border-red-400"
    };
    view! {
        <input type="hidden" name="user_id" value=account.id.clone() />
        <button type="submit" aria-label=format!("{verb} {}", account.username) class=style>
            {verb}
        </button>
    }
}

/// The management pages' own navigation.
#[component]
pub fn AdminNav(current: &'static str) -> impl IntoView {
    let link = move |key: &'static str, href: &'static str, label: &'static str| {
        view! {
            <li>
                <a
                    href=href
                    aria-current=(key == current).then_some("page")
                    class="inline-block rounded-full border border-line px-3 py-1 text-sm hover:border-brand aria-[current=page]:border-brand aria-[current=page]:text-brand"
                >
                    {label}
                </a>
            </li>
        }
    };
    view! {
        <nav aria-label="Administration" class="mb-6">
            <ul class="flex flex-wrap gap-2">
                {link("overview", "/admin", "Overview")}
                {link("catalog", "/admin/catalog", "Catalog")}
                {link("users", "/admin/users", "Users")}
                {link("achievements", "/admin/achievements", "Achievements")}
                {link("transfer", "/admin/transfer", "Import and export")}
                {link("audit", "/admin/audit", "Audit log")}
            </ul>
        </nav>
    }
}

/// Why a management page is not shown: sign in first, or the refusal's reason.
#[component]
pub fn AdminGate(err: AppError, next: &'static str) -> impl IntoView {
    match err {
        AppError::Unauthorized(_) => view! {
            <p class="text-muted">
                "Please " <a href=format!("/login?next={next}") class="text-brand underline">"sign in"</a>
                " with an administrator account."
            </p>
        }
        .into_any(),
        err => {
            view! { <p role="alert" class="text-red-400" data-testid="admin-refusal">{err.to_string()}</p> }.into_any()
        }
    }
}
