//! `/modules/:id`: what a module teaches, what it needs first, its syllabus,
//! and the learner's enrollment (enroll, continue, pause, drop).

use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_params_map};

use crate::api::learn::{Enroll, SetEnrollmentStatus, load_module};
use crate::components::learn::{LockIcon, ProgressBar, SyllabusList, kind_label};
use crate::error::AppError;
use crate::model::EnrollmentStatus;
use crate::model::catalog::format_minutes;
use crate::model::learn::{ModuleDetail, PrerequisiteView};

const CARD: &str = "rounded-lg border border-line bg-surface p-5";
const BUTTON: &str = "rounded bg-brand px-4 py-2 font-semibold text-bg hover:opacity-90 disabled:opacity-50";
const QUIET_BUTTON: &str = "rounded border border-line px-3 py-1.5 text-sm hover:border-brand disabled:opacity-50";

#[component]
pub fn ModulePage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let enroll = ServerAction::<Enroll>::new();
    let status = ServerAction::<SetEnrollmentStatus>::new();
    let module =
        Resource::new(move || (id.get(), enroll.version().get(), status.version().get()), |(id, ..)| load_module(id));
    view! {
        <Suspense fallback=|| view! { <p class="text-muted">"Loading the module…"</p> }>
            {move || Suspend::new(async move {
                match module.await {
                    Ok(m) => Either::Left(view! { <ModuleView m enroll status /> }),
                    Err(err) => Either::Right(view! { <LoadError err /> }),
                }
            })}
        </Suspense>
    }
}

/// A page-level error: not found, or anything else, with a way back.
#[component]
pub fn LoadError(err: AppError) -> impl IntoView {
    let title = match err {
        AppError::NotFound(_) => "Not found",
        _ => "Something went wrong",
    };
    view! {
        <Title text=title />
        <div role="alert" class="rounded-lg border border-red-500/50 bg-red-500/10 p-6">
            <h1 class="text-xl font-semibold">{title}</h1>
            <p class="mt-2">{err.to_string()}</p>
            <a href="/catalog" class="mt-4 inline-block text-brand underline">
                "Back to the catalog"
            </a>
        </div>
    }
}

#[component]
fn ModuleView(
    m: ModuleDetail,
    enroll: ServerAction<Enroll>,
    status: ServerAction<SetEnrollmentStatus>,
) -> impl IntoView {
    let counts = {
        let mut by_kind: Vec<(crate::model::ContentType, usize)> = Vec::new();
        for item in &m.syllabus {
            match by_kind.iter_mut().find(|(k, _)| *k == item.kind) {
                Some((_, n)) => *n += 1,
                None => by_kind.push((item.kind, 1)),
            }
        }
        by_kind.into_iter().map(|(k, n)| format!("{n} {}", kind_label(k, n))).collect::<Vec<_>>().join(" · ")
    };
    let title = m.title.clone();
    view! {
        <Title text=title />
        <nav aria-label="Breadcrumb" class="mb-4 text-sm text-muted">
            <a href="/catalog" class="hover:text-brand">
                "Catalog"
            </a>
            " › "
            <a href=format!("/phases/{}", m.phase.id) class="hover:text-brand">
                {m.phase.title.clone()}
            </a>
        </nav>
        <div class="grid gap-6 lg:grid-cols-3">
            <div class="flex flex-col gap-6 lg:col-span-2">
                <header class="flex flex-col gap-2">
                    <p class="font-mono text-xs uppercase tracking-widest text-brand">
                        {m.difficulty.label()}
                        {m.estimated_minutes.map(|min| format!(" · {}", format_minutes(min)))}
                        {(!counts.is_empty()).then(|| format!(" · {counts}"))}
                    </p>
                    <h1 class="text-3xl font-bold">{m.title.clone()}</h1>
                    <p class="text-muted">{m.description.clone()}</p>
                </header>
                <Objectives objectives=m.objectives.clone() skills=m.skills.clone() />
                <section class=CARD aria-labelledby="syllabus-heading">
                    <h2 id="syllabus-heading" class="mb-3 text-xl font-semibold">
                        "Syllabus"
                    </h2>
                    {m.sequential.then(|| view! { <p class="mb-3 text-sm text-muted">"Items open in order as you complete them."</p> })}
                    <SyllabusList module_id=m.id.clone() items=m.syllabus.clone() current=None />
                </section>
            </div>
            <aside class="flex flex-col gap-6">
                <EnrollmentPanel m=m.clone() enroll status />
                <Prerequisites phases=m.phase_prerequisites.clone() modules=m.prerequisites.clone() />
                {m.instructor_name.clone().map(|name| {
                    view! {
                        <section class=CARD aria-labelledby="instructor-heading">
                            <h2 id="instructor-heading" class="text-lg font-semibold">"Instructor"</h2>
                            <p class="mt-1 font-medium">{name}</p>
                            {m.instructor_bio.clone().map(|bio| view! { <p class="mt-1 text-sm text-muted">{bio}</p> })}
                        </section>
                    }
                })}
            </aside>
        </div>
    }
}

#[component]
fn Objectives(objectives: Vec<String>, skills: Vec<String>) -> impl IntoView {
    (!objectives.is_empty() || !skills.is_empty()).then(|| {
        view! {
            <section class=CARD aria-labelledby="objectives-heading">
                <h2 id="objectives-heading" class="text-xl font-semibold">"What you will learn"</h2>
                <ul class="mt-3 list-inside list-disc space-y-1 text-sm">
                    {objectives.into_iter().map(|o| view! { <li>{o}</li> }).collect_view()}
                </ul>
                {(!skills.is_empty()).then(|| view! {
                    <ul class="mt-4 flex flex-wrap gap-2" aria-label="Skills">
                        {skills.into_iter().map(|s| view! {
                            <li class="rounded-full border border-brand/40 px-2 py-0.5 text-xs text-brand">{s}</li>
                        }).collect_view()}
                    </ul>
                })}
            </section>
        }
    })
}

#[component]
fn Prerequisites(phases: Vec<PrerequisiteView>, modules: Vec<PrerequisiteView>) -> impl IntoView {
    if phases.is_empty() && modules.is_empty() {
        return None;
    }
    let row = |p: PrerequisiteView, href: String| {
        let state = if p.completed { "Completed" } else { "Not completed yet" };
        view! {
            <li class="flex items-start gap-2" data-testid="prerequisite" data-completed=p.completed.to_string()>
                <span aria-hidden="true" class=if p.completed { "text-brand" } else { "text-muted" }>
                    {if p.completed { "✓" } else { "○" }}
                </span>
                <span>
                    <a href=href class="hover:text-brand">{p.title}</a>
                    <span class="sr-only">{format!(" ({state})")}</span>
                </span>
            </li>
        }
    };
    Some(view! {
        <section class=CARD aria-labelledby="prereq-heading">
            <h2 id="prereq-heading" class="text-lg font-semibold">"Before you start"</h2>
            <ul class="mt-2 flex flex-col gap-1 text-sm">
                {phases.into_iter().map(|p| { let href = format!("/phases/{}", p.id); row(p, href) }).collect_view()}
                {modules.into_iter().map(|p| { let href = format!("/modules/{}", p.id); row(p, href) }).collect_view()}
            </ul>
        </section>
    })
}

#[component]
fn EnrollmentPanel(
    m: ModuleDetail,
    enroll: ServerAction<Enroll>,
    status: ServerAction<SetEnrollmentStatus>,
) -> impl IntoView {
    let location = use_location();
    let lock = crate::domain::gating::explain(&m.needs);
    let module_id = m.id.clone();
    let error = move || {
        let enroll_error = enroll.value().get().and_then(|r| r.err());
        let status_error = status.value().get().and_then(|r| r.err());
        enroll_error.or(status_error).map(|e| e.to_string())
    };
    let body = match (&m.enrollment, m.signed_in) {
        (_, false) => {
            let next = location.pathname.get_untracked();
            view! {
                <p class="text-sm text-muted">"Sign in to enroll and track your progress."</p>
                <a href=format!("/login?next={next}") class=format!("{BUTTON} inline-block text-center")>
                    "Sign in to enroll"
                </a>
            }
            .into_any()
        }
        (None, true) => match lock {
            Some(reason) => view! {
                <p class="text-sm" data-testid="module-locked">
                    <LockIcon />" "
                    {reason}
                </p>
            }
            .into_any(),
            None => view! {
                <ActionForm action=enroll>
                    <input type="hidden" name="module_id" value=module_id.clone() />
                    <button type="submit" class=format!("{BUTTON} w-full") disabled=move || enroll.pending().get()>
                        "Enroll"
                    </button>
                </ActionForm>
            }
            .into_any(),
        },
        (Some(e), true) => {
            let e = e.clone();
            let resume = m.resume.clone().map(|c| format!("/learn/{}/{c}", m.id));
            let active = matches!(e.status, EnrollmentStatus::Active | EnrollmentStatus::Completed);
            let label = match e.status {
                EnrollmentStatus::Completed => "Review",
                _ if e.completed == 0 => "Start learning",
                _ => "Continue",
            };
            view! {
                <p class="text-sm" data-testid="enrollment-status">
                    {match e.status {
                        EnrollmentStatus::Active => "You are enrolled.".to_string(),
                        EnrollmentStatus::Completed => format!("Completed{}.", e.completed_at.clone().map(|d| format!(" on {d}")).unwrap_or_default()),
                        EnrollmentStatus::Paused => "Paused. Resume when you are ready.".to_string(),
                        EnrollmentStatus::Dropped => "Dropped. Your progress is kept if you come back.".to_string(),
                    }}
                </p>
                <ProgressBar percentage=e.percentage label=format!("{} of {} items completed", e.completed, e.total) />
                {e.certificate_id.clone().map(|id| view! {
                    <a href=format!("/certificates/{id}") class=format!("{QUIET_BUTTON} block text-center") data-testid="certificate-link">
                        "★ View your certificate"
                    </a>
                })}
                {let resume_id = module_id.clone();
                if active {
                    resume.map(|href| view! { <a href=href class=format!("{BUTTON} block text-center") data-testid="continue">{label}</a> }).into_any()
                } else {
                    view! {
                        <ActionForm action=enroll>
                            <input type="hidden" name="module_id" value=resume_id />
                            <button type="submit" class=format!("{BUTTON} w-full")>"Resume"</button>
                        </ActionForm>
                    }.into_any()
                }}
                {(e.status == EnrollmentStatus::Active).then(|| {
                    let pause_id = module_id.clone();
                    let drop_id = module_id.clone();
                    view! {
                        <div class="flex gap-2">
                            <ActionForm action=status>
                                <input type="hidden" name="module_id" value=pause_id />
                                <input type="hidden" name="status" value="paused" />
                                <button type="submit" class=QUIET_BUTTON>"Pause"</button>
                            </ActionForm>
                            <ActionForm action=status>
                                <input type="hidden" name="module_id" value=drop_id />
                                <input type="hidden" name="status" value="dropped" />
                                <button type="submit" class=QUIET_BUTTON>"Drop"</button>
                            </ActionForm>
                        </div>
                    }
                })}
            }
            .into_any()
        }
    };
    view! {
        <section class=format!("{CARD} flex flex-col gap-3") aria-labelledby="enroll-heading" data-testid="enrollment">
            <h2 id="enroll-heading" class="text-lg font-semibold">"Your progress"</h2>
            {m.certificate_eligible.then(|| view! { <p class="text-xs text-muted">"Earns a certificate when completed."</p> })}
            {body}
            <p role="alert" class="text-sm text-red-400">{error}</p>
        </section>
    }
}
