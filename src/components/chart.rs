//! Charts drawn as SVG on the server (no script needed): each bar has a
//! title (hover and screen readers) and each chart a text summary.

use leptos::prelude::*;

const W: f64 = 600.0;
const H: f64 = 140.0;

/// Vertical bars of `bars` (label, value); the first and last labels under
/// the axis; `unit` follows each value ("min", "learners").
#[component]
pub fn BarChart(
    bars: Vec<(String, f64)>,
    unit: &'static str,
    summary: String,
    #[prop(optional)] testid: &'static str,
) -> impl IntoView {
    let max = bars.iter().map(|d| d.1).fold(0.0_f64, f64::max).max(1.0);
    let step = W / bars.len().max(1) as f64;
    let first = bars.first().map(|d| d.0.clone()).unwrap_or_default();
    let last = bars.last().map(|d| d.0.clone()).unwrap_or_default();
    view! {
        <figure>
            <svg viewBox=format!("0 0 {W} {}", H + 20.0) class="h-auto w-full" role="img" aria-label=summary.clone() data-testid=testid>
                <line x1="0" y1=H x2=W y2=H stroke="var(--line)" />
                {bars.into_iter().enumerate().map(|(i, (label, value))| {
                    let h = if value > 0.0 { (value / max * (H - 10.0)).max(2.0) } else { 0.0 };
                    view! {
                        <rect x=format!("{:.1}", i as f64 * step + 2.0) y=format!("{:.1}", H - h) width=format!("{:.1}", (step - 4.0).max(1.0)) height=format!("{h:.1}") rx="2" fill="var(--brand)">
                            <title>{format!("{label}: {} {unit}", (value * 10.0).round() / 10.0)}</title>
                        </rect>
                    }
                }).collect_view()}
                <text x="0" y=H + 16.0 font-size="11" fill="var(--muted)">{first}</text>
                <text x=W y=H + 16.0 font-size="11" fill="var(--muted)" text-anchor="end">{last}</text>
            </svg>
            <figcaption class="mt-1 text-xs text-muted">{summary}</figcaption>
        </figure>
    }
}

/// One horizontal bar per row of stages (e.g. started → halfway → completed),
/// each stage's bar as long as its share of the largest first stage.
#[component]
pub fn StageBars(rows: Vec<(String, Vec<(&'static str, u64)>)>, summary: String) -> impl IntoView {
    const ROW: f64 = 26.0;
    const LABEL: f64 = 220.0;
    let max = rows.iter().flat_map(|(_, s)| s.iter().map(|(_, n)| *n)).max().unwrap_or(1).max(1) as f64;
    let height = ROW * rows.len() as f64 + 24.0;
    let shades = ["0.35", "0.65", "1"];
    let legend: Vec<&'static str> =
        rows.first().map(|(_, s)| s.iter().map(|(name, _)| *name).collect()).unwrap_or_default();
    view! {
        <figure>
            <svg viewBox=format!("0 0 {W} {height}") class="h-auto w-full" role="img" aria-label=summary.clone() data-testid="funnel-chart">
                {rows.into_iter().enumerate().map(|(i, (label, stages))| {
                    let y = i as f64 * ROW;
                    let short: String = if label.chars().count() > 32 { label.chars().take(31).chain(['…']).collect() } else { label.clone() };
                    view! {
                        <g>
                            <text x="0" y=y + 16.0 font-size="11" fill="var(--fg)">{short}<title>{label.clone()}</title></text>
                            {stages.into_iter().enumerate().map(|(j, (stage, n))| {
                                let w = n as f64 / max * (W - LABEL - 40.0);
                                view! {
                                    <rect x=LABEL y=y + 3.0 + j as f64 * 6.0 width=format!("{w:.1}") height="6" fill="var(--brand)" fill-opacity=shades[j.min(2)]>
                                        <title>{format!("{label}: {n} {stage}")}</title>
                                    </rect>
                                }
                            }).collect_view()}
                        </g>
                    }
                }).collect_view()}
                {legend.into_iter().enumerate().map(|(j, stage)| view! {
                    <g>
                        <rect x=LABEL + j as f64 * 110.0 y=height - 14.0 width="10" height="10" fill="var(--brand)" fill-opacity=shades[j.min(2)] />
                        <text x=LABEL + 14.0 + j as f64 * 110.0 y=height - 5.0 font-size="11" fill="var(--muted)">{stage}</text>
                    </g>
                }).collect_view()}
            </svg>
            <figcaption class="mt-1 text-xs text-muted">{summary}</figcaption>
        </figure>
    }
}
