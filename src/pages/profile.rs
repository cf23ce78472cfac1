//! `/u/:username`: a learner's public profile — level, stats, the
//! achievements they shared and their certificates.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::profile::{PublicProfile, get_profile};
use crate::pages::dashboard::{BadgeList, StatGrid};
use crate::pages::module::LoadError;

const CARD: &str = "rounded-lg border border-line bg-surface p-5";

#[component]
pub fn ProfilePage() -> impl IntoView {
    let params = use_params_map();
    let username = Memo::new(move |_| params.read().get("username").unwrap_or_default());
    let profile = Resource::new(move || username.get(), get_profile);
    view! {
        <Suspense fallback=|| view! { <p class="text-muted">"Loading the profile…"</p> }>
            {move || Suspend::new(async move {
                match profile.await {
                    Ok(p) => view! { <ProfileView p /> }.into_any(),
                    Err(err) => view! { <LoadError err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ProfileView(p: PublicProfile) -> impl IntoView {
    let initial = p.name.chars().next().map(|c| c.to_uppercase().to_string()).unwrap_or_default();
    view! {
        <Title text=format!("{} (@{})", p.name, p.username) />
        <header class="mb-6 flex flex-wrap items-center gap-4">
            <span aria-hidden="true" class="grid h-16 w-16 place-items-center rounded-full border-2 border-brand font-mono text-2xl text-brand">
                {initial}
            </span>
            <div class="min-w-0 flex-1">
                <h1 class="text-3xl font-bold" data-testid="profile-name">{p.name.clone()}</h1>
                <p class="text-sm text-muted">
                    {format!("@{} · Level {} · member since {}", p.username, p.stats.level, p.member_since)}
                    {p.location.clone().map(|l| format!(" · {l}"))}
                </p>
                {p.website.clone().map(|w| {
                    let label = w.clone();
                    view! { <a href=w rel="nofollow ugc noopener noreferrer" class="text-sm text-brand underline">{label}</a> }
                })}
            </div>
        </header>
        {p.bio.clone().map(|b| view! { <p class="mb-6 max-w-2xl whitespace-pre-line">{b}</p> })}
        <StatGrid stats=p.stats.clone() points=true />
        <div class="grid gap-6 lg:grid-cols-2">
            <section class=CARD aria-labelledby="shared-heading">
                <h2 id="shared-heading" class="mb-3 text-lg font-semibold">"Achievements"</h2>
                {if p.badges.is_empty() {
                    let hint = if p.is_me {
                        view! { "You have not shared any yet. " <a href="/achievements" class="text-brand underline">"Choose what to show"</a> }.into_any()
                    } else {
                        "No achievements shared yet.".into_any()
                    };
                    view! { <p class="text-sm text-muted">{hint}</p> }.into_any()
                } else {
                    view! { <BadgeList badges=p.badges.clone() /> }.into_any()
                }}
            </section>
            <section class=CARD aria-labelledby="certificates-heading">
                <h2 id="certificates-heading" class="mb-3 text-lg font-semibold">"Certificates"</h2>
                {if p.certificates.is_empty() {
                    view! { <p class="text-sm text-muted">"No certificates yet."</p> }.into_any()
                } else {
                    view! {
                        <ul class="flex flex-col gap-2 text-sm">
                            {p.certificates.iter().map(|c| view! {
                                <li data-testid="profile-certificate">
                                    <a href=format!("/certificates/{}", c.id) class="font-medium text-brand underline">{c.module_title.clone()}</a>
                                    <span class="text-xs text-muted">{format!(" · {} · {}", c.difficulty.label(), c.completed_on)}</span>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
        </div>
    }
}
