//! `/certificates/:certificate_id`: public verification of a certificate,
//! with its preview and PDF/SVG downloads. Anyone with the id may look.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::certificates::{CertificateView, verify_certificate};
use crate::error::AppError;
use crate::model::catalog::format_minutes;

const CARD: &str = "rounded-lg border border-line bg-surface p-5";

#[component]
pub fn CertificatePage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("certificate_id").unwrap_or_default());
    let certificate = Resource::new(move || id.get(), verify_certificate);
    view! {
        <Suspense fallback=|| view! { <p class="text-muted">"Checking the certificate…"</p> }>
            {move || Suspend::new(async move {
                match certificate.await {
                    Ok(c) => view! { <Verified c /> }.into_any(),
                    Err(err) => view! { <Unverified err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Verified(c: CertificateView) -> impl IntoView {
    let row = |label: &'static str, value: AnyView| {
        view! {
            <div class="flex flex-wrap justify-between gap-x-4 border-b border-line py-2 last:border-0">
                <dt class="text-muted">{label}</dt>
                <dd class="font-medium">{value}</dd>
            </div>
        }
    };
    let alt = format!("Certificate of completion of {} for {}", c.module_title, c.holder);
    view! {
        <Title text=format!("Certificate {}", c.id) />
        <div role="status" class="mb-6 flex items-start gap-3 rounded-lg border border-brand bg-brand/10 p-4" data-testid="certificate-verified">
            <span aria-hidden="true" class="font-mono text-2xl text-brand">"✓"</span>
            <div>
                <h1 class="text-xl font-semibold">"Verified certificate"</h1>
                <p class="mt-1 text-sm">
                    {format!("Foothold certifies that {} completed the module “{}” on {}.", c.holder, c.module_title, c.completed_on)}
                </p>
            </div>
        </div>
        <div class="grid gap-6 lg:grid-cols-3">
            <figure class="lg:col-span-2">
                <img src=c.svg_url.clone() alt=alt width="1123" height="794" class="h-auto w-full rounded border border-line bg-white" />
            </figure>
            <section class=CARD aria-labelledby="details-heading">
                <h2 id="details-heading" class="mb-2 text-lg font-semibold">"Details"</h2>
                <dl class="text-sm">
                    {row("Holder", view! { <a href=format!("/u/{}", c.username) class="text-brand underline">{c.holder.clone()}</a> }.into_any())}
                    {row("Module", view! { <a href=format!("/modules/{}", c.module_id) class="text-brand underline">{c.module_title.clone()}</a> }.into_any())}
                    {row("Phase", c.phase_title.clone().into_any())}
                    {row("Difficulty", c.difficulty.label().into_any())}
                    {row("Completed on", c.completed_on.clone().into_any())}
                    {row("Study time", format_minutes(c.study_minutes).into_any())}
                    {c.average_score.map(|s| row("Average score", format!("{}%", s.round()).into_any()))}
                    {row("Certificate ID", view! { <span class="font-mono" data-testid="certificate-id">{c.id.clone()}</span> }.into_any())}
                </dl>
                <div class="mt-4 flex flex-wrap gap-2">
                    <a href=c.pdf_url.clone() download="" class="rounded bg-brand px-4 py-2 font-semibold text-bg hover:opacity-90">
                        "Download PDF"
                    </a>
                    <a href=c.svg_url.clone() download="" class="rounded border border-line px-4 py-2 hover:border-brand">
                        "Download SVG"
                    </a>
                </div>
                <label class="mt-4 block text-sm">
                    <span class="text-muted">"Link to share"</span>
                    <input type="text" readonly value=c.verify_url.clone() class="mt-1 w-full rounded border border-line bg-bg px-2 py-1 font-mono text-xs" />
                </label>
            </section>
        </div>
    }
}

#[component]
fn Unverified(err: AppError) -> impl IntoView {
    let not_found = matches!(err, AppError::NotFound(_));
    view! {
        <Title text="Certificate not verified" />
        <div role="alert" class="rounded-lg border border-red-500/50 bg-red-500/10 p-6" data-testid="certificate-unverified">
            <h1 class="text-xl font-semibold">
                {if not_found { "No certificate has this ID" } else { "The certificate could not be checked" }}
            </h1>
            <p class="mt-2">
                {if not_found {
                    "Foothold did not issue a certificate with this ID. Check that it was typed exactly as printed \
                     (letters and digits in five groups after FH-), or scan the code on the certificate."
                        .to_string()
                } else {
                    err.to_string()
                }}
            </p>
        </div>
    }
}
