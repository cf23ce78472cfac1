//! `/admin/phases/:id` and `/admin/modules/:id` (`new` for a new one): the
//! forms of a phase and a module, with the data model's messages next to
//! each field. Saving returns to the catalog.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{AdminGate, AdminNav};
use crate::api::authoring::{ModuleForm, PhaseForm, SaveModule, SavePhase, get_module_form, get_phase_form};
use crate::components::form::{
    CheckList, Field, FormFooter, ListField, Select, TextArea, YesNo, field_errors, message_under,
};
use crate::model::Difficulty;

const CARD: &str = "flex flex-col gap-4 rounded-lg border border-line bg-surface p-5";

fn difficulties() -> Vec<(String, String)> {
    Difficulty::ALL.iter().map(|d| (d.as_str().to_string(), d.label().to_string())).collect()
}

fn number(value: Option<f64>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// The id in the path, or empty for `new`.
fn path_id() -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("id").filter(|id| id != "new").unwrap_or_default())
}

#[component]
pub fn PhaseEditorPage() -> impl IntoView {
    let id = path_id();
    let form = Resource::new(move || id.get(), get_phase_form);
    view! {
        <AdminNav current="catalog" />
        <Suspense fallback=|| view! { <p class="text-muted">"Loading the phase…"</p> }>
            {move || Suspend::new(async move {
                match form.await {
                    Ok(f) => view! { <PhaseEditor f /> }.into_any(),
                    Err(err) => view! { <AdminGate err next="/admin/catalog" /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PhaseEditor(f: PhaseForm) -> impl IntoView {
    let save = ServerAction::<SavePhase>::new();
    let errors = Memo::new(move |_| field_errors(save.value().get()));
    let error = move |field: &'static str| Signal::derive(move || message_under(&errors.read(), field));
    let heading = if f.id.is_some() { format!("Edit “{}”", f.input.title) } else { "New phase".to_string() };
    let input = f.input;
    let phases: Vec<(String, String)> = f.phases.into_iter().map(|c| (c.id, c.title)).collect();
    view! {
        <Title text=heading.clone() />
        <h1 class="mb-4 text-3xl font-bold">{heading}</h1>
        <ActionForm action=save attr:class=CARD attr:data-testid="phase-form">
            <input type="hidden" name="id" value=f.id.unwrap_or_default() />
            <Field name="form[title]" id="title" label="Title" required=true value=input.title maxlength=100 error=error("title") />
            <Field name="form[shortDescription]" id="short-description" label="Short description" value=input.short_description.unwrap_or_default() error=error("shortDescription") hint="One line for cards, up to 200 characters" />
            <TextArea name="form[description]" id="description" label="Description" required=true value=input.description error=error("description") />
            <div class="grid gap-4 sm:grid-cols-3">
                <Field name="form[order]" id="order" label="Position" kind="number" value=number(input.order) error=error("order") hint="1 is first; the others make room" />
                <Select name="form[difficulty]" id="difficulty" label="Difficulty" options=difficulties() selected=input.difficulty error=error("difficulty") />
                <Field name="form[estimatedDuration]" id="estimated-duration" label="Estimated hours" kind="number" value=number(input.estimated_duration) error=error("estimatedDuration") />
            </div>
            <div class="grid gap-4 sm:grid-cols-3">
                <Field name="form[color]" id="color" label="Colour" value=input.color.unwrap_or_default() error=error("color") hint="A hex colour such as #00ff41" />
                <Field name="form[icon]" id="icon" label="Icon" value=input.icon.unwrap_or_default() error=error("icon") />
                <Field name="form[image]" id="image" label="Image address" value=input.image.unwrap_or_default() error=error("image") />
            </div>
            <ListField name="form[objectives][]" id="objectives" label="Objectives" values=input.objectives error=error("objectives") />
            <ListField name="form[tags][]" id="tags" label="Tags" values=input.tags error=error("tags") />
            <CheckList name="form[prerequisites][]" id="prerequisites" label="Phases to complete first" options=phases checked=input.prerequisites error=error("prerequisites") />
            <div class="flex flex-wrap items-center gap-3">
                <FormFooter result=save.value() pending=save.pending() label="Save phase" />
                <a href="/admin/catalog" class="text-sm underline">"Cancel"</a>
            </div>
        </ActionForm>
    }
}

#[component]
pub fn ModuleEditorPage() -> impl IntoView {
    let id = path_id();
    let query = use_query_map();
    let phase = Memo::new(move |_| query.read().get("phase").unwrap_or_default());
    let form = Resource::new(move || (id.get(), phase.get()), |(id, phase)| get_module_form(id, phase));
    view! {
        <AdminNav current="catalog" />
        <Suspense fallback=|| view! { <p class="text-muted">"Loading the module…"</p> }>
            {move || Suspend::new(async move {
                match form.await {
                    Ok(f) => view! { <ModuleEditor f /> }.into_any(),
                    Err(err) => view! { <AdminGate err next="/admin/catalog" /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ModuleEditor(f: ModuleForm) -> impl IntoView {
    let save = ServerAction::<SaveModule>::new();
    let errors = Memo::new(move |_| field_errors(save.value().get()));
    let error = move |field: &'static str| Signal::derive(move || message_under(&errors.read(), field));
    let heading = if f.id.is_some() { format!("Edit “{}”", f.input.title) } else { "New module".to_string() };
    let input = f.input;
    let phases: Vec<(String, String)> = f.phases.into_iter().map(|c| (c.id, c.title)).collect();
    let modules: Vec<(String, String)> = f.modules.into_iter().map(|c| (c.id, c.title)).collect();
    let settings = input.settings.clone();
    let content_link = f.id.clone().map(|id| {
        view! {
            <p class="mb-4 text-sm">
                <a href=format!("/admin/modules/{id}/content") class="text-brand underline">"Content of this module"</a>
            </p>
        }
    });
    view! {
        <Title text=heading.clone() />
        <h1 class="mb-4 text-3xl font-bold">{heading}</h1>
        {content_link}
        <ActionForm action=save attr:class=CARD attr:data-testid="module-form">
            <input type="hidden" name="id" value=f.id.unwrap_or_default() />
            <Field name="form[title]" id="title" label="Title" required=true value=input.title maxlength=100 error=error("title") />
            <Select name="form[phase]" id="phase" label="Phase" options=phases selected=input.phase error=error("phase") />
            <Field name="form[shortDescription]" id="short-description" label="Short description" value=input.short_description.unwrap_or_default() error=error("shortDescription") />
            <TextArea name="form[description]" id="description" label="Description" required=true value=input.description error=error("description") />
            <div class="grid gap-4 sm:grid-cols-3">
                <Field name="form[order]" id="order" label="Position in the phase" kind="number" value=number(input.order) error=error("order") />
                <Select name="form[difficulty]" id="difficulty" label="Difficulty" options=difficulties() selected=input.difficulty error=error("difficulty") />
                <Field name="form[estimatedDuration]" id="estimated-duration" label="Estimated minutes" kind="number" value=number(input.estimated_duration) error=error("estimatedDuration") />
            </div>
            <ListField name="form[learningObjectives][]" id="objectives" label="Learning objectives" values=input.learning_objectives error=error("learningObjectives") />
            <ListField name="form[skills][]" id="skills" label="Skills" values=input.skills error=error("skills") />
            <ListField name="form[tags][]" id="tags" label="Tags" values=input.tags error=error("tags") />
            <CheckList name="form[prerequisites][]" id="prerequisites" label="Modules to complete first" options=modules checked=input.prerequisites error=error("prerequisites") />
            <div class="grid gap-4 sm:grid-cols-3">
                <Field name="form[instructor][name]" id="instructor-name" label="Instructor" value=input.instructor.name.unwrap_or_default() error=error("instructor.name") />
                <Field name="form[instructor][bio]" id="instructor-bio" label="Instructor bio" value=input.instructor.bio.unwrap_or_default() error=error("instructor.bio") />
                <Field name="form[icon]" id="icon" label="Icon" value=input.icon.unwrap_or_default() error=error("icon") />
            </div>
            <div class="grid gap-4 sm:grid-cols-3">
                <YesNo name="form[settings][requireSequentialCompletion]" id="sequential" label="Content in order" value=settings.require_sequential_completion hint="Each item opens when the ones before it are done" />
                <YesNo name="form[settings][certificateEligible]" id="certificate" label="Awards a certificate" value=settings.certificate_eligible />
                <YesNo name="form[settings][allowDownload]" id="download" label="Downloads allowed" value=settings.allow_download />
            </div>
            <div class="flex flex-wrap items-center gap-3">
                <FormFooter result=save.value() pending=save.pending() label="Save module" />
                <a href="/admin/catalog" class="text-sm underline">"Cancel"</a>
            </div>
        </ActionForm>
    }
}
