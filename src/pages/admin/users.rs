//! `/admin/users` (search, filter, pages) and `/admin/users/:id` (a
//! learner's enrollments and progress; suspend with a reason, reactivate,
//! unlock, end sessions).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{AdminGate, AdminNav};
use crate::api::accounts::{
    EndUserSessions, ReactivateUser, SuspendUser, UnlockUser, UserDetail, UserList, get_user, list_users,
};
use crate::components::form::{TextArea, field_errors, form_error, message_under};
use crate::components::learn::ProgressBar;
use crate::model::catalog::format_minutes;

const INPUT: &str = "rounded border border-line bg-surface px-3 py-2 text-fg focus:border-brand";
const BUTTON: &str = "rounded border border-line px-3 py-1.5 text-sm hover:border-brand";

#[component]
pub fn AdminUsersPage() -> impl IntoView {
    let query = use_query_map();
    let filters = Memo::new(move |_| {
        let q = query.read();
        let get = |k: &str| q.get(k).unwrap_or_default();
        (get("q"), get("role"), get("status"), get("page").parse::<u64>().unwrap_or(1))
    });
    let list = Resource::new(move || filters.get(), |(q, role, status, page)| list_users(q, role, status, page));
    view! {
        <Title text="Users — Administration" />
        <AdminNav current="users" />
        <h1 class="mb-4 text-3xl font-bold">"Users"</h1>
        {move || {
            let (q, role, status, _) = filters.get();
            let option = |value: &'static str, label: &'static str, current: &str| {
                view! { <option value=value selected=current == value>{label}</option> }
            };
            view! {
                <form method="get" action="/admin/users" class="mb-6 grid gap-3 rounded-lg border border-line bg-surface p-4 sm:grid-cols-4" role="search" aria-label="Find users">
                    <label class="flex flex-col gap-1 text-sm sm:col-span-2">"Username or email"<input type="search" name="q" value=q class=INPUT /></label>
                    <label class="flex flex-col gap-1 text-sm">
                        "Role"
                        <select name="role" class=INPUT>
                            {option("", "All", &role)}
                            {option("student", "Students", &role)}
                            {option("admin", "Administrators", &role)}
                        </select>
                    </label>
                    <label class="flex flex-col gap-1 text-sm">
                        "Status"
                        <select name="status" class=INPUT>
                            {option("", "All", &status)}
                            {option("suspended", "Suspended", &status)}
                            {option("locked", "Locked", &status)}
                            {option("pending", "Awaiting approval", &status)}
                        </select>
                    </label>
                    <div class="flex gap-2 sm:col-span-4">
                        <button type="submit" class="rounded bg-brand px-4 py-2 font-semibold text-bg">"Search"</button>
                        <a href="/admin/users" class="self-center text-sm underline">"Clear"</a>
                    </div>
                </form>
            }
        }}
        <Suspense fallback=|| view! { <p class="text-muted">"Loading users…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(l) => view! { <Users l filters=filters.get_untracked() /> }.into_any(),
                    Err(crate::error::AppError::Invalid(errors)) => view! { <p role="alert" class="text-red-400">{errors.to_string()}</p> }.into_any(),
                    Err(err) => view! { <AdminGate err next="/admin/users" /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Users(l: UserList, filters: (String, String, String, u64)) -> impl IntoView {
    let (q, role, status, _) = filters;
    let href = move |page: u64| {
        let encode = crate::components::encode_query_value;
        format!("/admin/users?q={}&role={}&status={}&page={page}", encode(&q), encode(&role), encode(&status))
    };
    let previous = (l.page > 1).then(|| href(l.page - 1));
    let next = (l.page < l.pages).then(|| href(l.page + 1));
    view! {
        <p class="mb-2 text-sm text-muted" data-testid="users-total">{format!("{} account(s) · page {} of {}", l.total, l.page, l.pages)}</p>
        <div class="overflow-x-auto">
            <table class="w-full text-left text-sm">
                <caption class="sr-only">"Accounts"</caption>
                <thead>
                    <tr class="text-xs uppercase tracking-widest text-muted">
                        <th scope="col" class="py-2 pr-3">"User"</th>
                        <th scope="col" class="py-2 pr-3">"Role"</th>
                        <th scope="col" class="py-2 pr-3">"Status"</th>
                        <th scope="col" class="py-2 pr-3">"Last sign-in"</th>
                        <th scope="col" class="py-2 text-right">"Points"</th>
                    </tr>
                </thead>
                <tbody>
                    {l.rows.into_iter().map(|u| view! {
                        <tr class="border-t border-line" data-testid="user-row">
                            <td class="py-2 pr-3">
                                <a href=format!("/admin/users/{}", u.id) class="font-medium hover:text-brand">{u.username.clone()}</a>
                                <span class="block text-xs text-muted">{u.email.clone()}</span>
                            </td>
                            <td class="py-2 pr-3">{u.role.as_str()}</td>
                            <td class="py-2 pr-3" class:text-red-300=u.status != "active">{u.status.clone()}</td>
                            <td class="py-2 pr-3 font-mono text-xs">{u.last_login.clone().unwrap_or_else(|| "never".into())}</td>
                            <td class="py-2 text-right font-mono">{format!("{} (L{})", u.points, u.level)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <nav aria-label="Pages" class="mt-4 flex gap-4 text-sm">
            {previous.map(|h| view! { <a href=h class="text-brand underline">"← Previous"</a> })}
            {next.map(|h| view! { <a href=h class="text-brand underline">"Next →"</a> })}
        </nav>
    }
}

#[component]
pub fn AdminUserPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let suspend = ServerAction::<SuspendUser>::new();
    let reactivate = ServerAction::<ReactivateUser>::new();
    let unlock = ServerAction::<UnlockUser>::new();
    let end = ServerAction::<EndUserSessions>::new();
    let detail = Resource::new(
        move || {
            (id.get(), suspend.version().get(), reactivate.version().get(), unlock.version().get(), end.version().get())
        },
        |(id, ..)| get_user(id),
    );
    let failure = move || {
        form_error(reactivate.value().get())
            .or_else(|| form_error(unlock.value().get()))
            .or_else(|| form_error(end.value().get()))
            .or_else(|| form_error(suspend.value().get()))
    };
    let done = move || match end.value().get() {
        Some(Ok(())) => Some("Every session of this account has ended."),
        _ => None,
    };
    view! {
        <AdminNav current="users" />
        <p role="alert" class="mb-2 text-sm text-red-400">{failure}</p>
        <p role="status" class="mb-2 text-sm text-brand">{done}</p>
        <Suspense fallback=|| view! { <p class="text-muted">"Loading the account…"</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(d) => view! { <Account d suspend reactivate unlock end /> }.into_any(),
                    Err(err) => view! { <AdminGate err next="/admin/users" /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Account(
    d: UserDetail,
    suspend: ServerAction<SuspendUser>,
    reactivate: ServerAction<ReactivateUser>,
    unlock: ServerAction<UnlockUser>,
    end: ServerAction<EndUserSessions>,
) -> impl IntoView {
    let errors = Memo::new(move |_| field_errors(suspend.value().get()));
    // A stored value is `Copy`, so every form below can carry the id.
    let id = StoredValue::new(d.row.id.clone());
    let hidden = move || view! { <input type="hidden" name="user_id" value=id.get_value() /> };
    view! {
        <Title text=format!("{} — Administration", d.row.username) />
        <h1 class="text-3xl font-bold" data-testid="account-name">{d.display_name.clone()}</h1>
        <p class="mb-4 text-sm text-muted">
            {format!("@{} · {} · {} · joined {} · last sign-in {}", d.row.username, d.row.email, d.row.role.as_str(), d.joined, d.row.last_login.clone().unwrap_or_else(|| "never".into()))}
            {d.two_factor.then_some(" · two-factor on")}
        </p>
        <p class="mb-4" data-testid="account-status">
            <span class="font-semibold">"Status: "</span>{d.row.status.clone()}
            {d.suspension_reason.clone().map(|r| format!(" — “{r}”"))}
            {d.locked_until.clone().map(|t| format!(" until {t} UTC"))}
        </p>
        {(!d.is_me).then(|| view! {
            <section class="mb-6 flex flex-wrap items-start gap-3 rounded-lg border border-line bg-surface p-4" aria-label="Account actions">
                {if d.suspension_reason.is_some() {
                    view! { <ActionForm action=reactivate>{hidden()}<button type="submit" class=BUTTON>"Reactivate"</button></ActionForm> }.into_any()
                } else {
                    view! {
                        <ActionForm action=suspend attr:class="flex w-full max-w-md flex-col gap-2">
                            {hidden()}
                            <TextArea name="reason" id="reason" label="Reason for suspending" rows=2 error=Signal::derive(move || message_under(&errors.read(), "reason")) hint="The account's owner reads this when signing in." />
                            <button type="submit" class=format!("{BUTTON} self-start border-red-500/60")>"Suspend account"</button>
                        </ActionForm>
                    }.into_any()
                }}
                {d.locked_until.is_some().then(|| view! { <ActionForm action=unlock>{hidden()}<button type="submit" class=BUTTON>"Unlock"</button></ActionForm> })}
                <ActionForm action=end>{hidden()}<button type="submit" class=BUTTON>"End all sessions"</button></ActionForm>
            </section>
        })}
        <crate::pages::dashboard::StatGrid stats=d.stats.clone() points=true />
        <section class="rounded-lg border border-line bg-surface p-5" aria-labelledby="enrollments-heading">
            <h2 id="enrollments-heading" class="mb-3 text-lg font-semibold">"Enrollments"</h2>
            {if d.enrollments.is_empty() {
                view! { <p class="text-sm text-muted">"Not enrolled in any module."</p> }.into_any()
            } else {
                view! {
                    <ul class="flex flex-col gap-4">
                        {d.enrollments.into_iter().map(|e| view! {
                            <li data-testid="account-enrollment">
                                <div class="flex flex-wrap justify-between gap-2 text-sm">
                                    <a href=format!("/modules/{}", e.module_id) class="font-medium hover:text-brand">{e.module_title.clone()}</a>
                                    <span class="text-muted">{format!("{} · {} · last {}", e.status, format_minutes(e.time_spent.floor() as u32), e.last_accessed)}</span>
                                </div>
                                <ProgressBar percentage=e.percentage label=format!("{} of {} items", e.completed, e.total) />
                                {e.certificate_id.clone().map(|c| view! { <a href=format!("/certificates/{c}") class="text-xs text-brand underline">"Certificate"</a> })}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
