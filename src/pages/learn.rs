//! `/learn/:module_id/:content_id`: the player. A syllabus sidebar, the item
//! (video, lab, game or document), what completes it, and previous/next
//! links (also on the `p` and `n` keys).
//!
//! Everything reads and submits without JavaScript (plain links and
//! forms); after hydration the player also sends heartbeats so the server
//! can credit study time and record watched segments and sections read.

mod document;
mod game;
mod lab;
mod video;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::learn::{MarkDone, RateContent, open_content};
use crate::components::learn::{LockIcon, ProgressBar, SyllabusList, kind_icon};
use crate::error::AppError;
use crate::model::learn::{Beat, EarnedView, EnrollmentView, Outcome, Player, PlayerBody, PlayerItem, ProgressView};
use crate::model::{CompletionType, ContentType, EnrollmentStatus};
use crate::pages::module::LoadError;

pub(crate) const CARD: &str = "rounded-lg border border-line bg-surface p-5";
pub(crate) const BUTTON: &str = "rounded bg-brand px-4 py-2 font-semibold text-bg hover:opacity-90 disabled:opacity-50";
pub(crate) const QUIET_BUTTON: &str =
    "rounded border border-line px-3 py-1.5 text-sm hover:border-brand disabled:opacity-50";

/// What every part of the player shares: the item and the learner's live progress.
#[derive(Clone, Copy)]
pub(crate) struct PlayerState {
    pub content_id: StoredValue<String>,
    /// Base of the attempt ids of this page's submission forms.
    pub attempt_base: StoredValue<String>,
    pub progress: RwSignal<ProgressView>,
    pub enrollment: RwSignal<EnrollmentView>,
    /// Set when this page's work completed the item or the module.
    pub celebrate: RwSignal<Option<String>>,
    /// Achievements unlocked on this page, shown as toasts until dismissed.
    pub unlocked: RwSignal<Vec<EarnedView>>,
}

impl PlayerState {
    /// Shows an answer from the server (`try_`: a heartbeat sent while
    /// leaving the page may answer after the page is gone).
    pub fn apply(&self, o: Outcome) {
        if o.module_completed {
            self.celebrate.try_set(Some("Module complete! Every item is done.".into()));
        } else if o.just_completed {
            self.celebrate.try_set(Some("Item completed.".into()));
        }
        if !o.achievements.is_empty() {
            self.unlocked.try_update(|list| list.extend(o.achievements));
        }
        self.progress.try_set(o.progress);
        self.enrollment.try_set(o.enrollment);
    }

    /// Applies every successful answer of `action` to the page.
    pub fn follow<S>(&self, action: ServerAction<S>)
    where
        S: leptos::server_fn::ServerFn<Output = Outcome, Error = AppError> + Clone + Send + Sync + 'static,
    {
        let state = *self;
        Effect::new(move |_| {
            if let Some(Ok(o)) = action.value().get() {
                state.apply(o);
            }
        });
    }

    /// Sends a heartbeat (browser only) and applies the answer.
    pub fn beat(&self, beat: Beat) {
        #[cfg(feature = "hydrate")]
        {
            let state = *self;
            let Some(content_id) = self.content_id.try_get_value() else { return };
            leptos::task::spawn_local(async move {
                if let Ok(o) = crate::api::learn::heartbeat(content_id, beat).await {
                    state.apply(o);
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = beat;
    }
}

pub(crate) fn player_state() -> PlayerState {
    expect_context::<PlayerState>()
}

/// A fresh attempt id for a submission form: the page's base id plus how
/// many submissions this page has made, so a double submit repeats an id.
pub(crate) fn attempt_id(base: &str, n: usize) -> String {
    format!("{base}-{n}")
}

#[component]
pub fn PlayerPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let key = Memo::new(move |_| {
        let p = params.read();
        (p.get("module_id").unwrap_or_default(), p.get("content_id").unwrap_or_default(), query.read().get("path"))
    });
    let player = Resource::new(move || key.get(), |(m, c, path)| open_content(m, c, path));
    view! {
        <Suspense fallback=|| view! { <p class="text-muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match player.await {
                    Ok(p) => view! { <PlayerView p /> }.into_any(),
                    Err(AppError::Unauthorized(_)) => {
                        let (m, c, _) = key.get_untracked();
                        view! {
                            <Title text="Sign in" />
                            <p class="text-muted">
                                "Please "
                                <a href=format!("/login?next=/learn/{m}/{c}") class="text-brand underline">"sign in"</a>
                                " to continue learning."
                            </p>
                        }.into_any()
                    }
                    Err(AppError::Forbidden(reason)) => {
                        let (m, ..) = key.get_untracked();
                        view! {
                            <Title text="Locked" />
                            <div class="rounded-lg border border-line bg-surface p-6" data-testid="content-locked">
                                <h1 class="text-xl font-semibold"><LockIcon />" ""Not open yet"</h1>
                                <p class="mt-2">{reason}</p>
                                <a href=format!("/modules/{m}") class="mt-4 inline-block text-brand underline">"Back to the module"</a>
                            </div>
                        }.into_any()
                    }
                    Err(err) => view! { <LoadError err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PlayerView(p: Player) -> impl IntoView {
    let state = PlayerState {
        content_id: StoredValue::new(p.item.id.clone()),
        attempt_base: StoredValue::new(p.attempt.clone()),
        progress: RwSignal::new(p.progress.clone()),
        enrollment: RwSignal::new(p.enrollment.clone()),
        celebrate: RwSignal::new(None),
        unlocked: RwSignal::new(Vec::new()),
    };
    provide_context(state);
    keyboard_navigation(&p);
    let module_href = format!("/modules/{}", p.module.id);
    let item = p.item.clone();
    let link = |id: Option<String>| id.map(|c| format!("/learn/{}/{c}", p.module.id));
    let (previous, next) = (link(p.previous.clone()), link(p.next.clone()));
    let enrollment_label = Signal::derive(move || {
        let e = state.enrollment.get();
        format!("Module: {} of {} items", e.completed, e.total)
    });
    view! {
        <Title text=item.title.clone() />
        <div class="grid gap-6 lg:grid-cols-[18rem_1fr]">
            <aside class="order-last lg:order-first">
                <details class="rounded-lg border border-line bg-surface p-4" open=true>
                    <summary class="cursor-pointer font-semibold">
                        <a href=module_href.clone() class="hover:text-brand">{p.module.title.clone()}</a>
                    </summary>
                    <div class="mt-3">
                        <ProgressBar percentage=Signal::derive(move || state.enrollment.get().percentage) label=enrollment_label />
                    </div>
                    <nav aria-label="Syllabus" class="mt-3">
                        <SyllabusList module_id=p.module.id.clone() items=p.syllabus.clone() current=Some(item.id.clone()) />
                    </nav>
                </details>
            </aside>
            <article class="flex min-w-0 flex-col gap-5" data-testid="player" data-kind=item.kind.as_str()>
                <header class="flex flex-col gap-1">
                    <p class="font-mono text-xs uppercase tracking-widest text-brand">
                        <span aria-hidden="true">{kind_icon(item.kind)}" "</span>
                        {item.kind.as_str()}
                        {item.duration.map(|d| format!(" · {d} min"))}
                    </p>
                    <h1 class="text-2xl font-bold sm:text-3xl">{item.title.clone()}</h1>
                    {item.description.clone().map(|d| view! { <p class="text-muted">{d}</p> })}
                </header>
                <Celebration module_href=module_href.clone() />
                <AchievementToasts />
                {match item.body.clone() {
                    PlayerBody::Video { url, video_id, captions, thumbnail, allow_speed_control } => {
                        view! { <video::VideoPlayer url video_id captions thumbnail allow_speed_control /> }.into_any()
                    }
                    PlayerBody::Document { format, sections, url } => {
                        view! { <document::DocumentReader format sections url /> }.into_any()
                    }
                    PlayerBody::Lab { instructions, environment, hint_count, hints, solution, solution_available, has_solution } => {
                        view! { <lab::LabPanel instructions environment hint_count hints solution solution_available has_solution /> }.into_any()
                    }
                    PlayerBody::Game { game_type, instructions, objectives, game, walk } => {
                        view! { <game::GamePanel game_type instructions objectives game=*game walk=walk.map(|w| *w) /> }.into_any()
                    }
                }}
                <CompletionPanel item=item.clone() />
                <nav aria-label="Previous and next" class="flex justify-between gap-3 border-t border-line pt-4">
                    {match previous {
                        Some(href) => view! { <a href=href rel="prev" aria-keyshortcuts="p" class=QUIET_BUTTON data-testid="previous">"← Previous"</a> }.into_any(),
                        None => view! { <span></span> }.into_any(),
                    }}
                    {match next {
                        Some(href) => view! { <a href=href rel="next" aria-keyshortcuts="n" class=QUIET_BUTTON data-testid="next">"Next →"</a> }.into_any(),
                        None => view! { <a href=module_href.clone() class=QUIET_BUTTON>"Back to the module"</a> }.into_any(),
                    }}
                </nav>
            </article>
        </div>
    }
}

/// `p` and `n` go to the previous and next item (not while typing).
fn keyboard_navigation(p: &Player) {
    #[cfg(feature = "hydrate")]
    {
        use leptos::wasm_bindgen::JsCast;
        let link = |id: &Option<String>| id.as_ref().map(|c| format!("/learn/{}/{c}", p.module.id));
        let (previous, next) = (link(&p.previous), link(&p.next));
        let navigate = leptos_router::hooks::use_navigate();
        let handle = window_event_listener(leptos::ev::keydown, move |ev| {
            if ev.ctrl_key() || ev.alt_key() || ev.meta_key() {
                return;
            }
            let typing = ev.target().and_then(|t| t.dyn_into::<leptos::web_sys::Element>().ok()).is_some_and(|el| {
                matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT") || el.has_attribute("contenteditable")
            });
            if typing {
                return;
            }
            let target = match ev.key().as_str() {
                "n" => next.clone(),
                "p" => previous.clone(),
                _ => None,
            };
            if let Some(href) = target {
                navigate(&href, Default::default());
            }
        });
        on_cleanup(move || handle.remove());
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = p;
}

#[component]
fn Celebration(module_href: String) -> impl IntoView {
    let state = player_state();
    let module_done = move || state.enrollment.get().status == EnrollmentStatus::Completed;
    view! {
        <div role="status" aria-live="polite">
            {move || {
                let message = state.celebrate.get();
                let done = module_done();
                (message.is_some() || done).then(|| {
                    let text = if done { "Module complete! Every item is done.".to_string() } else { message.unwrap_or_default() };
                    view! {
                        <p class="rounded border border-brand bg-brand/10 p-3 text-sm" data-testid="celebration">
                            <span aria-hidden="true">"★ "</span>{text}
                            {done.then(|| view! { " " <a href=module_href.clone() class="text-brand underline">"See the module"</a> })}
                            {state.enrollment.get().certificate_id.map(|id| view! {
                                " · " <a href=format!("/certificates/{id}") class="text-brand underline" data-testid="certificate-link">"View your certificate"</a>
                            })}
                        </p>
                    }
                })
            }}
        </div>
    }
}

/// "Achievement unlocked" toasts, announced politely, each with a dismiss button.
#[component]
fn AchievementToasts() -> impl IntoView {
    let state = player_state();
    view! {
        <div role="status" aria-live="polite" class="fixed right-4 top-20 z-40 flex w-80 max-w-[calc(100vw-2rem)] flex-col gap-2">
            {move || {
                state
                    .unlocked
                    .get()
                    .into_iter()
                    .enumerate()
                    .map(|(i, a)| {
                        view! {
                            <div class="rounded-lg border bg-surface p-4 shadow-lg" style:border-color=a.color.clone() data-testid="achievement-toast">
                                <p class="font-mono text-xs uppercase tracking-widest text-brand">
                                    {format!("Achievement unlocked · {}", a.rarity)}
                                </p>
                                <p class="mt-1 font-semibold">{a.title.clone()}</p>
                                <p class="text-sm text-muted">{a.description.clone()}</p>
                                <div class="mt-2 flex items-center justify-between text-sm">
                                    <span class="text-brand">{format!("+{} points", a.points)}</span>
                                    <button
                                        type="button"
                                        class=QUIET_BUTTON
                                        aria-label=format!("Dismiss {}", a.title)
                                        on:click=move |_| state.unlocked.update(|list| {
                                            if i < list.len() {
                                                list.remove(i);
                                            }
                                        })
                                    >
                                        "Dismiss"
                                    </button>
                                </div>
                            </div>
                        }
                    })
                    .collect_view()
            }}
        </div>
    }
}

fn requirement(item: &PlayerItem) -> String {
    match (item.completion, item.kind) {
        (CompletionType::Manual, _) => "Mark it as done when you have finished.".into(),
        (_, ContentType::Lab) => "Submit the right answer to complete this lab.".into(),
        (_, ContentType::Game) => match item.required_interactions {
            Some(n) if n > 1 && item.completion == CompletionType::InteractionBased => {
                format!("Pass this game {n} times to complete it.")
            }
            _ => "Pass this game to complete it.".into(),
        },
        (CompletionType::InteractionBased, ContentType::Document) => {
            format!("Read {} section(s) to complete this document.", item.required_interactions.unwrap_or(1))
        }
        (CompletionType::InteractionBased, ContentType::Video) => "Watch the whole video to complete it.".into(),
        (CompletionType::TimeBased, ContentType::Video) => {
            format!("Watch {}% of the video to complete it (replaying a part counts once).", item.required_percentage)
        }
        (CompletionType::TimeBased, ContentType::Document) => format!(
            "Read {}% of the sections, at least {} seconds each, to complete this document.",
            item.required_percentage,
            crate::domain::progress::SECTION_READ_SECONDS
        ),
    }
}

#[component]
fn CompletionPanel(item: PlayerItem) -> impl IntoView {
    let state = player_state();
    let done = ServerAction::<MarkDone>::new();
    state.follow(done);
    let completed = move || state.progress.get().completed;
    let requirement = requirement(&item);
    let manual = item.completion == CompletionType::Manual;
    let tracked = matches!(item.kind, ContentType::Video | ContentType::Document);
    let content_id = item.id.clone();
    view! {
        <section class=CARD aria-labelledby="completion-heading" data-testid="completion">
            <h2 id="completion-heading" class="text-lg font-semibold">
                {move || if completed() { "Completed ✓" } else { "To complete" }}
            </h2>
            <p class="mt-1 text-sm text-muted">{requirement}</p>
            {tracked.then(|| view! {
                <div class="mt-3">
                    <ProgressBar
                        percentage=Signal::derive(move || state.progress.get().percentage)
                        label=Signal::derive(move || format!("Your progress on this item ({} min studied)", (state.progress.get().time_spent_seconds / 60.0).floor()))
                    />
                </div>
            })}
            {manual.then(|| {
                let content_id = StoredValue::new(content_id.clone());
                view! {
                    <Show when=move || !completed()>
                        <ActionForm action=done attr:class="mt-3">
                            <input type="hidden" name="content_id" value=content_id.get_value() />
                            <button type="submit" class=BUTTON disabled=move || done.pending().get()>"Mark as done"</button>
                        </ActionForm>
                    </Show>
                }
            })}
            <p role="alert" class="text-sm text-red-400">{move || done.value().get().and_then(|r| r.err()).map(|e| e.to_string())}</p>
            <Show when=completed>
                <RatingForm content_id=content_id.clone() />
            </Show>
        </section>
    }
}

#[component]
fn RatingForm(content_id: String) -> impl IntoView {
    let state = player_state();
    let rate = ServerAction::<RateContent>::new();
    state.follow(rate);
    let current = state.progress.get_untracked();
    let rated = current.rating;
    view! {
        <ActionForm action=rate attr:class="mt-4 flex flex-col gap-3 border-t border-line pt-4" attr:aria-label="Rate this item">
            <input type="hidden" name="content_id" value=content_id />
            <fieldset class="flex flex-wrap items-center gap-3">
                <legend class="mb-1 text-sm font-medium">"How useful was it?"</legend>
                {(1..=5).map(|n| view! {
                    <label class="flex items-center gap-1 text-sm">
                        <input type="radio" name="rating" value=n.to_string() checked=rated == Some(n) required=true />
                        {format!("{n} ★")}
                    </label>
                }).collect_view()}
            </fieldset>
            <label class="flex flex-col gap-1 text-sm">
                "How hard was it?"
                <select name="difficulty" class="w-48 rounded border border-line bg-surface px-2 py-1">
                    <option value="">"—"</option>
                    {(1..=5).map(|n| view! {
                        <option value=n.to_string() selected=current.difficulty_rating == Some(n)>
                            {["Very easy", "Easy", "Just right", "Hard", "Very hard"][(n - 1) as usize]}
                        </option>
                    }).collect_view()}
                </select>
            </label>
            <label class="flex flex-col gap-1 text-sm">
                "Feedback (optional)"
                <textarea name="feedback" maxlength="1000" rows="2" class="rounded border border-line bg-surface px-2 py-1">
                    {current.feedback.clone().unwrap_or_default()}
                </textarea>
            </label>
            <div class="flex items-center gap-3">
                <button type="submit" class=QUIET_BUTTON disabled=move || rate.pending().get()>"Send rating"</button>
                <span role="status" class="text-sm text-brand">
                    {move || matches!(rate.value().get(), Some(Ok(_))).then_some("Thanks for rating!")}
                </span>
                <span role="alert" class="text-sm text-red-400">{move || rate.value().get().and_then(|r| r.err()).map(|e| e.to_string())}</span>
            </div>
        </ActionForm>
    }
}

/// Whether the learner is here: the tab is visible and there was input in
/// the last two minutes (browser only; always true on the server).
pub(crate) fn activity() -> impl Fn() -> bool + Clone {
    #[cfg(feature = "hydrate")]
    {
        let last = StoredValue::new(js_sys_now());
        for handle in [
            window_event_listener(leptos::ev::keydown, move |_| last.set_value(js_sys_now())),
            window_event_listener(leptos::ev::pointerdown, move |_| last.set_value(js_sys_now())),
            window_event_listener(leptos::ev::pointermove, move |_| last.set_value(js_sys_now())),
            window_event_listener(leptos::ev::scroll, move |_| last.set_value(js_sys_now())),
        ] {
            on_cleanup(move || handle.remove());
        }
        move || !document().hidden() && js_sys_now() - last.get_value() < 120_000.0
    }
    #[cfg(not(feature = "hydrate"))]
    || true
}

#[cfg(feature = "hydrate")]
pub(crate) fn js_sys_now() -> f64 {
    leptos::web_sys::js_sys::Date::now()
}

/// Calls `tick` every heartbeat period while the page is open (browser only).
pub(crate) fn every_heartbeat(tick: impl Fn() + 'static) {
    #[cfg(feature = "hydrate")]
    {
        let period = std::time::Duration::from_secs_f64(crate::domain::progress::HEARTBEAT_SECONDS);
        if let Ok(handle) = set_interval_with_handle(tick, period) {
            on_cleanup(move || handle.clear());
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = tick;
}
