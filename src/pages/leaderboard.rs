//! `/leaderboard?by=points|streak&period=all|week`: rankings, with the
//! learner's own rank always visible.

use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::leaderboard::{Board, Row, get_leaderboard};

#[component]
pub fn LeaderboardPage() -> impl IntoView {
    let query = use_query_map();
    let choice = Memo::new(move |_| {
        let q = query.read();
        let by = q.get("by").filter(|b| b == "streak").unwrap_or_else(|| "points".into());
        let period = q.get("period").filter(|p| p == "week").unwrap_or_else(|| "all".into());
        (by, period)
    });
    let board = Resource::new(move || choice.get(), |(by, period)| get_leaderboard(by, period));
    let tab = move |by: &'static str, period: &'static str, label: &'static str| {
        let current = move || (choice.get() == (by.to_string(), period.to_string())).then_some("page");
        view! {
            <li>
                <a
                    href=format!("/leaderboard?by={by}&period={period}")
                    aria-current=current
                    class="inline-block rounded-full border border-line px-3 py-1 text-sm hover:border-brand aria-[current=page]:border-brand aria-[current=page]:bg-brand aria-[current=page]:text-bg"
                >
                    {label}
                </a>
            </li>
        }
    };
    view! {
        <Title text="Leaderboard" />
        <h1 class="mb-4 text-3xl font-bold">"Leaderboard"</h1>
        <nav aria-label="Rankings" class="mb-6">
            <ul class="flex flex-wrap gap-2">
                {tab("points", "all", "Points, all time")}
                {tab("points", "week", "Points this week")}
                {tab("streak", "all", "Current streak")}
                {tab("streak", "week", "Streak this week")}
            </ul>
        </nav>
        <Suspense fallback=|| view! { <p class="text-muted">"Loading the rankings…"</p> }>
            {move || Suspend::new(async move {
                match board.await {
                    Ok(b) => Either::Left(view! { <BoardTable b /> }),
                    Err(err) => Either::Right(view! { <p role="alert" class="text-red-400">{err.to_string()}</p> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn BoardTable(b: Board) -> impl IntoView {
    let unit = if b.by == "streak" { "days" } else { "points" };
    let me_outside = b.me.clone().filter(|_| !b.rows.iter().any(|r| r.is_me));
    let row = move |r: Row| {
        view! {
            <tr class="border-t border-line" class:bg-surface-2=r.is_me class:text-brand=r.is_me data-testid="leaderboard-row" data-me=r.is_me.to_string()>
                <td class="py-2 pr-3 font-mono">{format!("#{}", r.rank)}</td>
                <td class="py-2 pr-3">
                    <a href=format!("/u/{}", r.username) title=format!("@{}", r.username) class="hover:underline">{r.name}</a>
                    {r.is_me.then(|| view! { <span class="ml-2 text-xs text-muted">"(you)"</span> })}
                </td>
                <td class="py-2 text-right font-mono">{format!("{} {unit}", r.value)}</td>
            </tr>
        }
    };
    view! {
        {b.me.clone().map(|m| view! {
            <p class="mb-4 rounded border border-brand/50 bg-surface p-3 text-sm" data-testid="my-rank">
                {format!("Your rank: #{} with {} {unit}", m.rank, m.value)}
            </p>
        })}
        {if b.rows.is_empty() {
            Either::Left(view! { <p class="text-muted">"Nobody here yet — be the first."</p> })
        } else {
            Either::Right(view! {
                <table class="w-full text-sm">
                    <caption class="sr-only">{format!("Learners ranked by {unit}")}</caption>
                    <thead>
                        <tr class="text-left text-xs uppercase tracking-widest text-muted">
                            <th scope="col" class="py-2 pr-3">"Rank"</th>
                            <th scope="col" class="py-2 pr-3">"Learner"</th>
                            <th scope="col" class="py-2 text-right">{unit}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {b.rows.into_iter().map(row).collect_view()}
                        {me_outside.map(|m| view! {
                            <tr><td colspan="3" class="py-1 text-center text-muted">"…"</td></tr>
                            {row(m)}
                        })}
                    </tbody>
                </table>
            })
        }}
    }
}
