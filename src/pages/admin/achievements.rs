//! `/admin/achievements` (every achievement with its earn rate, activate or
//! deactivate) and `/admin/achievements/:id` (`new` for a new one): the form
//! with every criteria field, a preview of who would qualify today, and a
//! retroactive award run with its progress.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::{AdminGate, AdminNav};
use crate::api::achievement_admin::{
    AchievementForm, AwardAchievement, FormOutcome, SaveAchievement, SetAchievementActive, award_status,
    get_achievement_form, list_achievements,
};
use crate::components::form::{CheckList, Field, Select, TextArea, YesNo, field_errors, form_error, message_under};
use crate::model::achievement::CONDITION_FIELDS;
use crate::model::{
    AchievementCategory, AchievementDifficulty, AchievementType, ConditionOperator, Rarity, TargetType, Timeframe,
};

const CARD: &str = "flex flex-col gap-4 rounded-lg border border-line bg-surface p-5";
const SMALL: &str = "rounded border border-line px-2 py-0.5 text-xs hover:border-brand";

#[component]
pub fn AdminAchievementsPage() -> impl IntoView {
    let active = ServerAction::<SetAchievementActive>::new();
    let list = Resource::new(move || active.version().get(), |_| list_achievements());
    view! {
        <Title text="Achievements — Administration" />
        <AdminNav current="achievements" />
        <div class="mb-4 flex flex-wrap items-center justify-between gap-3">
            <h1 class="text-3xl font-bold">"Achievements"</h1>
            <a href="/admin/achievements/new" class="rounded bg-brand px-4 py-2 font-semibold text-bg hover:opacity-90">"New achievement"</a>
        </div>
        <p role="alert" class="text-sm text-red-400">{move || form_error(active.value().get())}</p>
        <Suspense fallback=|| view! { <p class="text-muted">"Loading achievements…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(rows) => view! {
                        <ul class="flex flex-col divide-y divide-line rounded-lg border border-line bg-surface">
                            {rows.into_iter().map(|a| view! {
                                <li class="flex flex-wrap items-center gap-2 p-3" data-testid="admin-achievement" data-active=a.is_active.to_string()>
                                    <a href=format!("/admin/achievements/{}", a.id) class="font-medium hover:text-brand">{a.title.clone()}</a>
                                    <span class="text-xs text-muted">{format!("{} · {} · {}{}", a.category, a.kind, a.rarity, if a.is_hidden { " · hidden" } else { "" })}</span>
                                    {(!a.is_active).then(|| view! { <span class="rounded bg-surface-2 px-2 text-xs">"inactive"</span> })}
                                    <span class="ml-auto font-mono text-xs text-muted">{format!("{} earned · {}%", a.earned, a.rate)}</span>
                                    <ActionForm action=active>
                                        <input type="hidden" name="id" value=a.id.clone() />
                                        <input type="hidden" name="active" value=(!a.is_active).to_string() />
                                        <button type="submit" class=SMALL aria-label=format!("{} “{}”", if a.is_active { "Deactivate" } else { "Activate" }, a.title)>
                                            {if a.is_active { "Deactivate" } else { "Activate" }}
                                        </button>
                                    </ActionForm>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(err) => view! { <AdminGate err next="/admin/achievements" /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn AchievementEditorPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").filter(|id| id != "new").unwrap_or_default());
    let form = Resource::new(move || id.get(), get_achievement_form);
    view! {
        <AdminNav current="achievements" />
        <Suspense fallback=|| view! { <p class="text-muted">"Loading the achievement…"</p> }>
            {move || Suspend::new(async move {
                match form.await {
                    Ok(f) => view! { <Editor f /> }.into_any(),
                    Err(err) => view! { <AdminGate err next="/admin/achievements" /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn options<T: Copy>(all: &[T], text: fn(T) -> &'static str, empty: Option<&'static str>) -> Vec<(String, String)> {
    empty
        .map(|label| (String::new(), label.to_string()))
        .into_iter()
        .chain(all.iter().map(|v| (text(*v).to_string(), text(*v).replace('_', " "))))
        .collect()
}

fn number(value: Option<f64>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

#[component]
fn Editor(f: AchievementForm) -> impl IntoView {
    let save = ServerAction::<SaveAchievement>::new();
    let errors = Memo::new(move |_| field_errors(save.value().get()));
    let error = move |field: &'static str| Signal::derive(move || message_under(&errors.read(), field));
    let preview = move || match save.value().get() {
        Some(Ok(FormOutcome::Preview(p))) => Some(format!(
            "{} of {} learners checked would earn it today{}.",
            p.qualifying,
            p.checked,
            if p.checked < p.students { format!(" (of {} in all)", p.students) } else { String::new() }
        )),
        _ => None,
    };
    let heading = if f.id.is_some() { format!("Edit “{}”", f.input.title) } else { "New achievement".to_string() };
    let input = f.input;
    let c = input.criteria.clone();
    let r = input.rewards.clone();
    let modules: Vec<(String, String)> = f.modules.into_iter().map(|m| (m.id, m.title)).collect();
    let phases: Vec<(String, String)> = f.phases.into_iter().map(|p| (p.id, p.title)).collect();
    let mut conditions = f.conditions;
    conditions.resize(conditions.len() + 2, Default::default());
    let fields: Vec<(String, String)> = std::iter::once((String::new(), "—".to_string()))
        .chain(CONDITION_FIELDS.iter().map(|f| (f.to_string(), f.to_string())))
        .collect();
    let operators = options(ConditionOperator::ALL, ConditionOperator::as_str, None);
    view! {
        <Title text=heading.clone() />
        <h1 class="mb-4 text-3xl font-bold">{heading}</h1>
        {f.id.clone().map(|id| view! { <AwardRunPanel id run=f.run.clone() /> })}
        <ActionForm action=save attr:class=CARD attr:data-testid="achievement-form">
            <input type="hidden" name="id" value=f.id.unwrap_or_default() />
            <Field name="form[title]" id="title" label="Title" required=true value=input.title error=error("title") />
            <TextArea name="form[description]" id="description" label="Description" required=true value=input.description rows=2 error=error("description") />
            <div class="grid gap-4 sm:grid-cols-3">
                <Select name="form[category]" id="category" label="Category" options=options(AchievementCategory::ALL, AchievementCategory::as_str, None) selected=input.category error=error("category") />
                <Select name="form[type]" id="type" label="Type" options=options(AchievementType::ALL, AchievementType::as_str, None) selected=input.kind error=error("type") />
                <Select name="form[rarity]" id="rarity" label="Rarity" options=options(Rarity::ALL, Rarity::as_str, None) selected=input.rarity.unwrap_or_default() error=error("rarity") />
                <Select name="form[difficulty]" id="difficulty" label="Difficulty" options=options(AchievementDifficulty::ALL, AchievementDifficulty::as_str, None) selected=input.difficulty.unwrap_or_default() error=error("difficulty") />
                <Field name="form[icon]" id="icon" label="Icon" required=true value=input.icon error=error("icon") />
                <Field name="form[color]" id="color" label="Colour" value=input.color.unwrap_or_default() error=error("color") hint="A hex colour such as #00ff41" />
                <Field name="form[order]" id="order" label="Position" kind="number" value=number(input.order) error=error("order") />
                <YesNo name="form[isHidden]" id="hidden" label="Hidden until earned" value=input.is_hidden />
            </div>
            <fieldset class="flex flex-col gap-4 rounded border border-line p-4">
                <legend class="px-1 text-sm font-semibold">"Criteria"</legend>
                <div class="grid gap-4 sm:grid-cols-3">
                    <Select name="form[criteria][targetType]" id="target-type" label="Counts" options=options(TargetType::ALL, TargetType::as_str, Some("—")) selected=c.target_type.unwrap_or_default() error=error("criteria.targetType") />
                    <Field name="form[criteria][targetValue]" id="target-value" label="Target" kind="number" value=number(c.target_value) error=error("criteria.targetValue") />
                    <Select name="form[criteria][timeframe]" id="timeframe" label="Timeframe" options=options(Timeframe::ALL, Timeframe::as_str, Some("—")) selected=c.timeframe.unwrap_or_default() error=error("criteria.timeframe") />
                    <Field name="form[criteria][consecutiveDays]" id="consecutive-days" label="Days in a row" kind="number" value=number(c.consecutive_days) error=error("criteria.consecutiveDays") />
                    <Field name="form[criteria][minimumScore]" id="minimum-score" label="Minimum score (%)" kind="number" value=number(c.minimum_score) error=error("criteria.minimumScore") />
                </div>
                <div class="grid gap-4 sm:grid-cols-2">
                    <CheckList name="form[criteria][requiredModules][]" id="required-modules" label="Modules to complete" options=modules checked=c.required_modules error=error("criteria.requiredModules") />
                    <CheckList name="form[criteria][requiredPhases][]" id="required-phases" label="Phases to complete" options=phases checked=c.required_phases error=error("criteria.requiredPhases") />
                </div>
                <fieldset class="flex flex-col gap-2">
                    <legend class="text-sm font-medium">"Conditions on the learner (all must hold)"</legend>
                    {conditions.into_iter().enumerate().map(|(i, d)| {
                        let (fields, operators) = (fields.clone(), operators.clone());
                        view! {
                            <div class="grid gap-2 sm:grid-cols-3" data-testid="condition">
                                <label class="flex flex-col gap-1 text-xs">{format!("Field {}", i + 1)}
                                    <select name=format!("conditions[{i}][field]") class="rounded border border-line bg-surface px-2 py-1">
                                        {fields.into_iter().map(|(v, t)| { let on = v == d.field; view! { <option value=v selected=on>{t}</option> } }).collect_view()}
                                    </select>
                                </label>
                                <label class="flex flex-col gap-1 text-xs">{format!("Operator {}", i + 1)}
                                    <select name=format!("conditions[{i}][operator]") class="rounded border border-line bg-surface px-2 py-1">
                                        {operators.into_iter().map(|(v, t)| { let on = v == d.operator; view! { <option value=v selected=on>{t}</option> } }).collect_view()}
                                    </select>
                                </label>
                                <label class="flex flex-col gap-1 text-xs">{format!("Value {}", i + 1)}
                                    <input name=format!("conditions[{i}][value]") value=d.value.clone() class="rounded border border-line bg-surface px-2 py-1" />
                                </label>
                            </div>
                        }
                    }).collect_view()}
                    <p class="min-h-4 text-sm text-red-400" aria-live="polite">{move || message_under(&errors.read(), "criteria.conditions")}</p>
                </fieldset>
            </fieldset>
            <fieldset class="grid gap-4 rounded border border-line p-4 sm:grid-cols-2">
                <legend class="px-1 text-sm font-semibold">"Rewards"</legend>
                <Field name="form[rewards][points]" id="points" label="Points" kind="number" value=number(r.points) error=error("rewards.points") />
                <Field name="form[rewards][badge]" id="badge" label="Badge" required=true value=r.badge error=error("rewards.badge") />
                <Field name="form[rewards][title]" id="reward-title" label="Title unlocked" value=r.title.unwrap_or_default() error=error("rewards.title") />
                <YesNo name="form[rewards][certificate]" id="reward-certificate" label="Certificate" value=r.certificate />
            </fieldset>
            <p role="status" class="text-sm text-brand" data-testid="achievement-preview">{preview}</p>
            <p role="alert" class="text-sm text-red-400" data-testid="form-error">{move || form_error(save.value().get())}</p>
            <div class="flex flex-wrap items-center gap-3">
                <button type="submit" name="intent" value="preview" class="rounded border border-line px-4 py-2 hover:border-brand" disabled=move || save.pending().get()>
                    "Preview who qualifies today"
                </button>
                <button type="submit" name="intent" value="save" class="rounded bg-brand px-4 py-2 font-semibold text-bg hover:opacity-90" disabled=move || save.pending().get()>
                    "Save achievement"
                </button>
                <a href="/admin/achievements" class="text-sm underline">"Cancel"</a>
            </div>
        </ActionForm>
    }
}

/// Starts a retroactive award run and shows its progress (refreshed every
/// two seconds with JavaScript; a reload shows it without).
#[component]
fn AwardRunPanel(id: String, run: Option<crate::api::achievement_admin::AwardRun>) -> impl IntoView {
    let start = ServerAction::<AwardAchievement>::new();
    let ticks = RwSignal::new(0u32);
    let key = StoredValue::new(id.clone());
    let status = Resource::new(move || (ticks.get(), start.version().get()), move |_| award_status(key.get_value()));
    #[cfg(feature = "hydrate")]
    {
        let handle = leptos::prelude::set_interval_with_handle(
            move || ticks.update(|t| *t += 1),
            std::time::Duration::from_secs(2),
        );
        if let Ok(handle) = handle {
            on_cleanup(move || handle.clear());
        }
    }
    let describe = |r: &crate::api::achievement_admin::AwardRun| {
        let state = if let Some(e) = &r.error {
            e.clone()
        } else if r.finished {
            "Finished.".into()
        } else {
            "Awarding…".into()
        };
        format!("{state} {} of {} learners checked, {} awarded.", r.checked, r.total, r.awarded)
    };
    let initial = run.as_ref().map(describe);
    view! {
        <section class="mb-6 flex flex-wrap items-center gap-3 rounded-lg border border-line bg-surface p-4" aria-label="Retroactive award">
            <ActionForm action=start>
                <input type="hidden" name="id" value=id />
                <button type="submit" class="rounded border border-line px-3 py-1.5 text-sm hover:border-brand">"Award to everyone who qualifies now"</button>
            </ActionForm>
            <p role="status" aria-live="polite" class="text-sm" data-testid="award-run">
                <Transition fallback=move || initial.clone()>
                    {move || status.get().and_then(|r| r.ok().flatten()).map(|r| {
                        let percent = if r.total == 0 { 100.0 } else { (r.checked as f64 / r.total as f64 * 100.0).floor() };
                        view! {
                            <span>{describe(&r)}</span>
                            <progress max="100" value=percent class="ml-2 align-middle" aria-label="Award run progress">{format!("{percent}%")}</progress>
                        }
                    })}
                </Transition>
            </p>
            <p role="alert" class="text-sm text-red-400">{move || form_error(start.value().get())}{move || match start.value().get() { Some(Err(crate::error::AppError::Invalid(e))) => Some(e.to_string()), _ => None }}</p>
        </section>
    }
}
