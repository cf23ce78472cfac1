//! The video player: native controls and captions, resume at the last
//! position, optional speed control, and heartbeats carrying the segment
//! played since the previous one (the server merges and checks them).

use leptos::html::Video;
use leptos::prelude::*;

use super::{QUIET_BUTTON, player_state};
use crate::model::learn::Beat;

/// What the player saw since the last heartbeat.
#[derive(Default)]
struct Tracker {
    /// Where the current uninterrupted stretch of playing began.
    start: Option<f64>,
    last_time: f64,
    pauses: i32,
    seeks: i32,
    replays: i32,
    ended: bool,
    resumed: bool,
}

pub const SPEEDS: [f64; 6] = [0.5, 0.75, 1.0, 1.25, 1.5, 2.0];

#[component]
pub fn VideoPlayer(
    url: Option<String>,
    video_id: Option<String>,
    captions: Option<String>,
    thumbnail: Option<String>,
    allow_speed_control: bool,
) -> impl IntoView {
    let state = player_state();
    let video = NodeRef::<Video>::new();
    let tracker = StoredValue::new(Tracker::default());
    let start_at = state.progress.get_untracked().position;

    // Sends the stretch played so far (if any) with the counters, then resets them.
    let flush = move |end: Option<f64>, restart: bool| {
        // `try_` reads: this also runs while the page is being torn down.
        let Some(el) = video.try_get_untracked().flatten() else { return };
        let now = el.current_time();
        let length = el.duration();
        let mut beat = Beat { position: now, speed: el.playback_rate(), ..Beat::default() };
        if length.is_finite() && length > 0.0 {
            beat.length = Some(length);
        }
        tracker.try_update_value(|t| {
            if let Some(start) = t.start.take() {
                let end = end.unwrap_or(now);
                if end > start {
                    beat.segment = Some(crate::domain::progress::Segment { start, end });
                }
            }
            if restart {
                t.start = Some(now);
            }
            beat.pauses = std::mem::take(&mut t.pauses);
            beat.seeks = std::mem::take(&mut t.seeks);
            beat.replays = std::mem::take(&mut t.replays);
        });
        state.beat(beat);
    };

    super::every_heartbeat(move || {
        if let Some(el) = video.get_untracked()
            && !el.paused()
        {
            flush(None, true);
        }
    });

    let on_loaded = move |_| {
        let Some(el) = video.get_untracked() else { return };
        tracker.update_value(|t| {
            if !t.resumed {
                t.resumed = true;
                if start_at > 0.0 && start_at < el.duration() - 2.0 {
                    el.set_current_time(start_at);
                }
            }
        });
    };
    let on_play = move |_| {
        let Some(el) = video.get_untracked() else { return };
        tracker.update_value(|t| {
            if t.ended {
                t.replays += 1;
                t.ended = false;
            }
            t.start = Some(el.current_time());
            t.last_time = el.current_time();
        });
    };
    let on_time = move |_| {
        let Some(el) = video.get_untracked() else { return };
        if !el.paused() && !el.seeking() {
            tracker.update_value(|t| {
                t.last_time = el.current_time();
                if t.start.is_none() {
                    t.start = Some(t.last_time);
                }
            });
        }
    };
    let on_seeking = move |_| {
        let last = tracker.with_value(|t| t.last_time);
        tracker.update_value(|t| t.seeks += 1);
        let playing = video.get_untracked().is_some_and(|el| !el.paused());
        flush(Some(last), playing);
    };
    let on_pause = move |_| {
        let ended = video.get_untracked().is_some_and(|el| el.ended());
        if !ended {
            tracker.update_value(|t| t.pauses += 1);
            flush(None, false);
        }
    };
    let on_ended = move |_| {
        tracker.update_value(|t| t.ended = true);
        flush(None, false);
    };
    // Leaving the page sends what was watched since the last heartbeat.
    on_cleanup(move || flush(None, false));

    let speed = RwSignal::new(1.0_f64);
    Effect::new(move |_| {
        let rate = speed.get();
        if let Some(el) = video.get() {
            el.set_playback_rate(rate);
        }
    });

    let Some(src) = url else {
        return view! {
            <p class="rounded border border-line bg-surface p-4 text-sm">
                {format!("This video is hosted elsewhere (id {}).", video_id.unwrap_or_default())}
            </p>
        }
        .into_any();
    };
    view! {
        <div class="flex flex-col gap-2">
            <video
                node_ref=video
                src=src
                poster=thumbnail
                controls=true
                preload="metadata"
                playsinline=true
                controlslist=(!allow_speed_control).then_some("noplaybackrate nodownload")
                class="aspect-video w-full rounded-lg border border-line bg-black"
                aria-label="Lesson video"
                data-testid="video"
                data-start=start_at.to_string()
                on:loadedmetadata=on_loaded
                on:play=on_play
                on:timeupdate=on_time
                on:seeking=on_seeking
                on:pause=on_pause
                on:ended=on_ended
            >
                {captions.map(|c| view! { <track kind="captions" src=c srclang="en" label="English" default=true /> })}
                "Your browser cannot play this video."
            </video>
            {allow_speed_control.then(|| view! {
                <div class="flex flex-wrap items-center gap-2 text-sm" role="group" aria-label="Playback speed">
                    <span class="text-muted">"Speed"</span>
                    {SPEEDS.iter().map(|&s| view! {
                        <button
                            type="button"
                            class=QUIET_BUTTON
                            aria-pressed=move || (speed.get() == s).to_string()
                            class:border-brand=move || speed.get() == s
                            on:click=move |_| speed.set(s)
                        >
                            {format!("{s}×")}
                        </button>
                    }).collect_view()}
                </div>
            })}
        </div>
    }
    .into_any()
}
