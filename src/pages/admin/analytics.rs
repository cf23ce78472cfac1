//! The learning analytics on the admin overview: headline numbers,
//! enrollments and active learners per day, each module's funnel, where
//! learners get stuck, time to complete, achievement earn rates and the
//! level distribution — all drawn on the server.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::analytics::{Analytics, get_analytics};
use crate::components::chart::{BarChart, StageBars};

const CARD: &str = "rounded-lg border border-line bg-surface p-5";

#[component]
pub fn AnalyticsSection() -> impl IntoView {
    let query = use_query_map();
    let fresh = Memo::new(move |_| query.read().get("fresh").is_some_and(|f| f == "1"));
    let analytics = Resource::new(move || fresh.get(), get_analytics);
    view! {
        <Suspense fallback=|| view! { <p class="text-muted">"Computing the analytics…"</p> }>
            {move || Suspend::new(async move {
                match analytics.await {
                    Ok(state) => {
                        let note = state.computing.then(|| view! {
                            <p role="status" class="text-sm text-muted" data-testid="analytics-computing">
                                "New numbers are being computed; "
                                <a href="/admin" class="text-brand underline">"reload"</a>
                                " in a moment to see them."
                            </p>
                        });
                        match state.analytics {
                            Some(a) => view! { {note} <Charts a /> }.into_any(),
                            None => view! { {note} }.into_any(),
                        }
                    }
                    // The refusal itself is shown by the page around it.
                    Err(_) => ().into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Charts(a: Analytics) -> impl IntoView {
    let kpi =
        |label: &'static str, value: u64| view! { <crate::pages::dashboard::Stat label value=value.to_string() /> };
    let enrolled: f64 = a.enrollments_per_day.iter().map(|d| d.1).sum();
    let peak = a.active_per_day.iter().map(|d| d.1).fold(0.0, f64::max);
    let funnel_rows: Vec<(String, Vec<(&'static str, u64)>)> = a
        .funnels
        .iter()
        .map(|f| {
            (f.title.clone(), vec![("started", f.started), ("reached 50%", f.halfway), ("completed", f.completed)])
        })
        .collect();
    view! {
        <section class="flex flex-col gap-6" aria-labelledby="analytics-heading" data-testid="analytics">
            <div class="flex flex-wrap items-baseline justify-between gap-2">
                <h2 id="analytics-heading" class="text-2xl font-semibold">"Learning analytics"</h2>
                <p class="text-xs text-muted">
                    {format!("Computed {} UTC in {} ms · ", a.computed_at, a.took_ms)}
                    <a href="/admin?fresh=1" class="text-brand underline">"Recompute now"</a>
                </p>
            </div>
            <dl class="grid grid-cols-2 gap-3 sm:grid-cols-5">
                {kpi("Learners", a.students)}
                {kpi("Active, 7 days", a.active_7_days)}
                {kpi("Enrollments", a.enrollments)}
                {kpi("Completions", a.completions)}
                {kpi("Certificates", a.certificates)}
            </dl>
            <div class="grid gap-6 lg:grid-cols-2">
                <section class=CARD aria-labelledby="enrollments-chart">
                    <h3 id="enrollments-chart" class="mb-2 font-semibold">"Enrollments per day"</h3>
                    <BarChart bars=a.enrollments_per_day.clone() unit="enrollments" summary=format!("{enrolled} enrollments in the last {} days", a.enrollments_per_day.len()) testid="enrollments-chart" />
                </section>
                <section class=CARD aria-labelledby="active-chart">
                    <h3 id="active-chart" class="mb-2 font-semibold">"Active learners per day"</h3>
                    <BarChart bars=a.active_per_day.clone() unit="learners" summary=format!("At most {peak} learners on one day of the last {} days", a.active_per_day.len()) testid="active-chart" />
                </section>
            </div>
            <section class=CARD aria-labelledby="funnel-heading">
                <h3 id="funnel-heading" class="mb-2 font-semibold">"Module funnels: started → 50% → completed"</h3>
                <StageBars rows=funnel_rows summary="Learners who started each module, reached half of it and completed it".to_string() />
                <table class="mt-3 w-full text-left text-sm">
                    <caption class="sr-only">"Funnel numbers per module"</caption>
                    <thead><tr class="text-xs uppercase tracking-widest text-muted">
                        <th scope="col" class="py-1 pr-2">"Module"</th><th scope="col" class="py-1 pr-2 text-right">"Started"</th>
                        <th scope="col" class="py-1 pr-2 text-right">"50%"</th><th scope="col" class="py-1 pr-2 text-right">"Completed"</th>
                        <th scope="col" class="py-1 text-right">"Drop-off"</th>
                    </tr></thead>
                    <tbody>
                        {a.funnels.iter().map(|f| view! {
                            <tr class="border-t border-line" data-testid="funnel-row">
                                <td class="py-1 pr-2">{f.title.clone()}</td>
                                <td class="py-1 pr-2 text-right font-mono">{f.started}</td>
                                <td class="py-1 pr-2 text-right font-mono">{f.halfway}</td>
                                <td class="py-1 pr-2 text-right font-mono">{f.completed}</td>
                                <td class="py-1 text-right font-mono">{format!("{}%", f.drop_off)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
            <div class="grid gap-6 lg:grid-cols-2">
                <section class=CARD aria-labelledby="stuck-heading">
                    <h3 id="stuck-heading" class="mb-2 font-semibold">"Where learners get stuck"</h3>
                    {if a.stuck.is_empty() {
                        view! { <p class="text-sm text-muted">"Nothing stands out yet."</p> }.into_any()
                    } else {
                        view! {
                            <ol class="flex flex-col gap-2 text-sm">
                                {a.stuck.iter().map(|s| view! {
                                    <li data-testid="stuck-item">
                                        <span class="font-medium">{s.title.clone()}</span>
                                        <span class="text-xs text-muted">{format!(" · {} · {} learners, {}% complete, {} attempts and {} hints each", s.module, s.started, s.completion_rate, s.attempts_per_learner, s.hints_per_learner)}</span>
                                    </li>
                                }).collect_view()}
                            </ol>
                        }.into_any()
                    }}
                </section>
                <section class=CARD aria-labelledby="median-heading">
                    <h3 id="median-heading" class="mb-2 font-semibold">"Median time to complete (slowest first)"</h3>
                    <ol class="flex flex-col gap-1 text-sm">
                        {a.median_minutes.iter().map(|(title, m)| view! {
                            <li class="flex justify-between gap-2"><span>{title.clone()}</span><span class="font-mono text-muted">{format!("{m} min")}</span></li>
                        }).collect_view()}
                    </ol>
                </section>
                <section class=CARD aria-labelledby="earn-heading">
                    <h3 id="earn-heading" class="mb-2 font-semibold">"Achievement earn rates"</h3>
                    <ol class="flex flex-col gap-1 text-sm">
                        {a.achievements.iter().map(|r| view! {
                            <li class="flex justify-between gap-2">
                                <span>{r.title.clone()}<span class="text-xs text-muted">{format!(" · {}", r.rarity)}</span></span>
                                <span class="font-mono text-muted">{format!("{}% ({}/{})", r.rate, r.earned, r.eligible)}</span>
                            </li>
                        }).collect_view()}
                    </ol>
                </section>
                <section class=CARD aria-labelledby="levels-heading">
                    <h3 id="levels-heading" class="mb-2 font-semibold">"Learners per level"</h3>
                    <BarChart bars=a.levels.clone() unit="learners" summary=format!("{} learners across {} levels", a.students, a.levels.len()) testid="levels-chart" />
                </section>
            </div>
        </section>
    }
}
