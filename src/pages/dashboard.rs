//! `/dashboard`: the learner's progress at a glance.

use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::dashboard::get_dashboard;
use crate::components::chart::BarChart;
use crate::components::learn::{ProgressBar, kind_icon};
use crate::error::AppError;
use crate::model::dashboard::{Badge, Dashboard, StatsView};

const CARD: &str = "rounded-lg border border-line bg-surface p-5";

#[component]
pub fn DashboardPage() -> impl IntoView {
    let dashboard = Resource::new(|| (), |_| get_dashboard());
    view! {
        <Title text="Dashboard" />
        <Suspense fallback=|| view! { <p class="text-muted">"Loading your dashboard…"</p> }>
            {move || Suspend::new(async move {
                match dashboard.await {
                    Ok(d) => EitherOf3::A(view! { <DashboardView d /> }),
                    Err(AppError::Unauthorized(_)) => EitherOf3::B(view! {
                        <p class="text-muted">
                            "Please " <a href="/login?next=/dashboard" class="text-brand underline">"sign in"</a>
                            " to see your dashboard."
                        </p>
                    }),
                    Err(err) => EitherOf3::C(view! { <p role="alert" class="text-red-400">{err.to_string()}</p> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn DashboardView(d: Dashboard) -> impl IntoView {
    let to_next = d.points_to_next_level();
    let level_percent = d.level_percent();
    view! {
        <h1 class="mb-6 text-3xl font-bold">{format!("Welcome back, {}", d.name)}</h1>
        <section class=format!("{CARD} mb-6") aria-labelledby="level-heading" data-testid="level">
            <div class="flex flex-wrap items-baseline justify-between gap-2">
                <h2 id="level-heading" class="text-xl font-semibold">{format!("Level {}", d.stats.level)}</h2>
                <p class="font-mono text-brand" data-testid="points">{format!("{} points", d.stats.points)}</p>
            </div>
            <div class="mt-3">
                <ProgressBar percentage=level_percent label=format!("Next level in {to_next} points") />
            </div>
        </section>
        <StatGrid stats=d.stats.clone() points=false />
        <div class="grid gap-6 lg:grid-cols-3">
            <div class="flex flex-col gap-6 lg:col-span-2">
                {d.continue_at.clone().map(|c| view! {
                    <section class=CARD aria-labelledby="continue-heading" data-testid="continue-learning">
                        <h2 id="continue-heading" class="text-lg font-semibold">"Continue learning"</h2>
                        <p class="mt-1 text-sm text-muted">{c.module_title.clone()}</p>
                        <a href=format!("/learn/{}/{}", c.module_id, c.content_id) class="mt-3 inline-flex items-center gap-2 rounded bg-brand px-4 py-2 font-semibold text-bg hover:opacity-90">
                            <span aria-hidden="true">{kind_icon(c.kind)}</span>
                            {format!("{} ({}%)", c.title, c.percentage.round())}
                        </a>
                    </section>
                })}
                <section class=CARD aria-labelledby="modules-heading">
                    <h2 id="modules-heading" class="mb-3 text-lg font-semibold">"Your modules"</h2>
                    {if d.modules.is_empty() {
                        Either::Left(view! { <p class="text-sm text-muted">"You have not enrolled in a module yet. " <a href="/catalog" class="text-brand underline">"Browse the catalog"</a></p> })
                    } else {
                        Either::Right(view! {
                            <ul class="flex flex-col gap-4">
                                {d.modules.iter().map(|m| view! {
                                    <li data-testid="dashboard-module">
                                        <a href=format!("/modules/{}", m.id) class="font-medium hover:text-brand">{m.title.clone()}</a>
                                        <ProgressBar percentage=m.enrollment.percentage label=format!("{} · {} of {} items", m.enrollment.status, m.enrollment.completed, m.enrollment.total) />
                                        {m.enrollment.certificate_id.clone().map(|id| view! {
                                            <a href=format!("/certificates/{id}") class="text-xs text-brand underline" data-testid="dashboard-certificate">
                                                {format!("Certificate for {}", m.title)}
                                            </a>
                                        })}
                                    </li>
                                }).collect_view()}
                            </ul>
                        })
                    }}
                </section>
                <section class=CARD aria-labelledby="study-heading">
                    <h2 id="study-heading" class="mb-3 text-lg font-semibold">"Study time, last 30 days"</h2>
                    <StudyChart days=d.study_days.iter().rev().take(30).rev().cloned().collect() />
                </section>
                <section class=CARD aria-labelledby="streak-heading">
                    <h2 id="streak-heading" class="mb-3 text-lg font-semibold">
                        {format!("Streak: {} day{}", d.stats.current_streak, if d.stats.current_streak == 1 { "" } else { "s" })}
                    </h2>
                    <StreakCalendar days=d.study_days.clone() />
                </section>
            </div>
            <aside class="flex flex-col gap-6">
                <section class=CARD aria-labelledby="recent-heading">
                    <h2 id="recent-heading" class="mb-3 text-lg font-semibold">"Recently completed"</h2>
                    {if d.recent.is_empty() {
                        Either::Left(view! { <p class="text-sm text-muted">"Nothing yet — your completions will show here."</p> })
                    } else {
                        Either::Right(view! {
                            <ol class="flex flex-col gap-2 text-sm">
                                {d.recent.iter().map(|a| view! {
                                    <li class="flex gap-2" data-testid="recent">
                                        <span aria-hidden="true" class="text-brand">{kind_icon(a.kind)}</span>
                                        <a href=format!("/learn/{}/{}", a.module_id, a.content_id) class="flex-1 hover:text-brand">{a.title.clone()}</a>
                                        <span class="font-mono text-xs text-muted">{a.day.clone()}</span>
                                    </li>
                                }).collect_view()}
                            </ol>
                        })
                    }}
                </section>
                <section class=CARD aria-labelledby="badges-heading">
                    <h2 id="badges-heading" class="mb-3 text-lg font-semibold">"Recent achievements"</h2>
                    {if d.badges.is_empty() {
                        Either::Left(view! { <p class="text-sm text-muted">"None yet — " <a href="/achievements" class="text-brand underline">"see what you can earn"</a></p> })
                    } else {
                        Either::Right(view! {
                            <BadgeList badges=d.badges.clone() />
                            <a href="/achievements" class="mt-3 inline-block text-sm text-brand underline">"All achievements"</a>
                        })
                    }}
                </section>
                <section class=CARD aria-labelledby="next-heading">
                    <h2 id="next-heading" class="mb-3 text-lg font-semibold">"Up next"</h2>
                    <ul class="flex flex-col gap-3 text-sm">
                        {d.recommended.iter().map(|r| view! {
                            <li data-testid="recommended">
                                <a href=format!("/modules/{}", r.id) class="font-medium hover:text-brand">{r.title.clone()}</a>
                                <p class="text-xs text-muted">{r.difficulty.label()}{r.short_description.clone().map(|s| format!(" · {s}"))}</p>
                            </li>
                        }).collect_view()}
                    </ul>
                </section>
            </aside>
        </div>
    }
}

/// A learner's numbers as a grid of cards (points too, when `points`).
#[component]
pub fn StatGrid(stats: StatsView, points: bool) -> impl IntoView {
    let stat = |label: &'static str, value: String| view! { <Stat label value /> };
    let columns = if points { "lg:grid-cols-7" } else { "lg:grid-cols-6" };
    view! {
        <dl class=format!("mb-6 grid grid-cols-2 gap-3 sm:grid-cols-3 {columns}") data-testid="stats">
            {points.then(|| stat("Points", stats.points.to_string()))}
            {stat("Streak", format!("{} d", stats.current_streak))}
            {stat("Best streak", format!("{} d", stats.longest_streak))}
            {stat("Modules done", stats.courses_completed.to_string())}
            {stat("Labs solved", stats.labs_completed.to_string())}
            {stat("Games passed", stats.games_completed.to_string())}
            {stat("Study time", crate::model::catalog::format_minutes(stats.study_minutes.floor() as u32))}
        </dl>
    }
}

/// One headline number with its label, inside a `<dl>`.
#[component]
pub fn Stat(label: &'static str, value: String) -> impl IntoView {
    view! {
        <div class="rounded-lg border border-line bg-surface p-4">
            <dt class="text-xs uppercase tracking-widest text-muted">{label}</dt>
            <dd class="mt-1 font-mono text-2xl text-brand">{value}</dd>
        </div>
    }
}

/// Earned achievements: icon, title, rarity and date.
#[component]
pub fn BadgeList(badges: Vec<Badge>) -> impl IntoView {
    view! {
        <ul class="flex flex-col gap-3 text-sm">
            {badges.into_iter().map(|b| view! {
                <li class="flex items-start gap-3" data-testid="badge">
                    <span aria-hidden="true" class="grid h-9 w-9 shrink-0 place-items-center rounded-full border-2" style:border-color=b.color.clone() style:color=b.color.clone()>
                        "★"
                    </span>
                    <div class="min-w-0">
                        <p class="font-medium">{b.title.clone()}</p>
                        <p class="text-xs text-muted">{b.description.clone()}</p>
                        <p class="text-xs text-muted">{format!("{} · {}", b.rarity.as_str(), b.earned_on)}</p>
                    </div>
                </li>
            }).collect_view()}
        </ul>
    }
}

/// Minutes per day as an SVG bar chart, rendered on the server.
#[component]
pub fn StudyChart(days: Vec<(String, f64)>) -> impl IntoView {
    let total: f64 = days.iter().map(|d| d.1).sum();
    let active = days.iter().filter(|d| d.1 > 0.0).count();
    let summary = format!("{} minutes over {active} of the last {} days", total.round(), days.len());
    view! { <BarChart bars=days unit="min" summary testid="study-chart" /> }
}

/// Twelve weeks of learning days as a heatmap (columns are weeks, oldest
/// first); darker green is more minutes. Server-rendered SVG.
#[component]
pub fn StreakCalendar(days: Vec<(String, f64)>) -> impl IntoView {
    const CELL: f64 = 14.0;
    const GAP: f64 = 3.0;
    let max = days.iter().map(|d| d.1).fold(0.0_f64, f64::max).max(1.0);
    let weeks = days.len().div_ceil(7);
    let active = days.iter().filter(|d| d.1 > 0.0).count();
    let summary = format!("Learned on {active} of the last {} days", days.len());
    view! {
        <figure>
            <svg
                viewBox=format!("0 0 {} {}", weeks as f64 * (CELL + GAP), 7.0 * (CELL + GAP))
                class="h-auto w-full max-w-md"
                role="img"
                aria-label=summary.clone()
                data-testid="streak-calendar"
            >
                {days.into_iter().enumerate().map(|(i, (day, minutes))| {
                    let (week, weekday) = (i / 7, i % 7);
                    let opacity = if minutes > 0.0 { 0.35 + 0.65 * (minutes / max) } else { 1.0 };
                    let fill = if minutes > 0.0 { "var(--brand)" } else { "var(--surface-2)" };
                    view! {
                        <rect
                            x=format!("{:.1}", week as f64 * (CELL + GAP))
                            y=format!("{:.1}", weekday as f64 * (CELL + GAP))
                            width=CELL
                            height=CELL
                            rx="3"
                            fill=fill
                            fill-opacity=format!("{opacity:.2}")
                            data-active=(minutes > 0.0).to_string()
                        >
                            <title>{format!("{day}: {} min", minutes.round())}</title>
                        </rect>
                    }
                }).collect_view()}
            </svg>
            <figcaption class="mt-1 text-xs text-muted">{summary}</figcaption>
        </figure>
    }
}
