//! Form pieces: labelled inputs that show their field's error.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::FieldErrors;

/// The per-field errors of a failed submission (empty otherwise).
pub fn field_errors<T>(result: Option<Result<T, AppError>>) -> FieldErrors {
    match result {
        Some(Err(AppError::Invalid(errors))) => errors,
        _ => FieldErrors::new(),
    }
}

/// The form-level message of a failed submission that is not about one field.
pub fn form_error<T>(result: Option<Result<T, AppError>>) -> Option<String> {
    match result {
        Some(Err(AppError::Invalid(_))) | Some(Ok(_)) | None => None,
        Some(Err(err)) => Some(err.to_string()),
    }
}

/// For a server action's result: a function giving each field's message as a signal.
pub fn field_messages<T>(
    value: MappedSignal<Option<Result<T, AppError>>>,
) -> impl Fn(&'static str) -> Signal<Option<String>> + Copy
where
    T: Clone + Send + Sync + 'static,
{
    let errors = Memo::new(move |_| field_errors(value.get()));
    move |field| Signal::derive(move || errors.read().get(field).map(str::to_string))
}

/// A labelled input; `error` is the message shown under it (and announced).
#[component]
pub fn Field(
    /// The `name` the server function reads, e.g. `form[username]`.
    name: &'static str,
    /// Element id, also used to tie the error to the input.
    id: &'static str,
    label: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional, into)] error: MaybeProp<String>,
    /// The value the field starts with (rendered by the server, so it shows before hydration).
    #[prop(optional, into)]
    value: Option<String>,
    #[prop(optional)] maxlength: Option<usize>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let described = move || error.get().map(|_| format!("{id}-error"));
    view! {
        <div class="flex flex-col gap-1">
            <label for=id class="text-sm font-medium">
                {label}
                {required.then(|| view! { <span class="text-muted" aria-hidden="true">" *"</span> })}
            </label>
            <input
                id=id
                name=name
                type=kind
                autocomplete=autocomplete
                required=required
                value=value
                maxlength=maxlength
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described
                class="rounded border border-line bg-surface px-3 py-2 text-fg focus:border-brand aria-[invalid=true]:border-red-500"
            />
            {hint.map(|h| view! { <p class="text-xs text-muted">{h}</p> })}
            <p id=error_id class="min-h-4 text-sm text-red-400" aria-live="polite">
                {move || error.get()}
            </p>
        </div>
    }
}

/// The end of a form: the form-level message of the last submission's
/// `result` (announced) and the submit button, disabled while the request
/// is in flight.
#[component]
pub fn FormFooter<T>(
    result: MappedSignal<Option<Result<T, AppError>>>,
    #[prop(into)] pending: Signal<bool>,
    label: &'static str,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
{
    view! {
        <p role="alert" class="text-sm text-red-400" data-testid="form-error">
            {move || form_error(result.get())}
        </p>
        <button
            type="submit"
            class="rounded bg-brand px-4 py-2 font-semibold text-bg hover:opacity-90 disabled:opacity-50"
            disabled=move || pending.get()
        >
            {label}
        </button>
    }
}

/// The first message for `field` or any of its items (`tags`, `tags.2`, `prerequisites.0`).
pub fn message_under(errors: &FieldErrors, field: &str) -> Option<String> {
    errors.get(field).map(str::to_string).or_else(|| {
        let prefix = format!("{field}.");
        errors.0.iter().find(|(k, _)| k.starts_with(&prefix)).map(|(_, m)| m.clone())
    })
}

/// The shared frame of a labelled control: label, the control, a hint and the error.
#[component]
fn Labelled(
    id: String,
    label: &'static str,
    hint: Option<&'static str>,
    error: MaybeProp<String>,
    children: Children,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    view! {
        <div class="flex flex-col gap-1">
            <label for=id class="text-sm font-medium">{label}</label>
            {children()}
            {hint.map(|h| view! { <p class="text-xs text-muted">{h}</p> })}
            <p id=error_id class="min-h-4 text-sm text-red-400" aria-live="polite">{move || error.get()}</p>
        </div>
    }
}

const CONTROL: &str =
    "rounded border border-line bg-surface px-3 py-2 text-fg focus:border-brand aria-[invalid=true]:border-red-500";

/// A labelled multi-line text field.
#[component]
pub fn TextArea(
    name: &'static str,
    id: &'static str,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional, into)] error: MaybeProp<String>,
    #[prop(optional, into)] value: Option<String>,
    #[prop(default = 4)] rows: u32,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let invalid = move || error.get().is_some().then_some("true");
    view! {
        <Labelled id=id.to_string() label hint error>
            <textarea id=id name=name rows=rows required=required aria-invalid=invalid aria-describedby=format!("{id}-error") class=CONTROL>
                {value}
            </textarea>
        </Labelled>
    }
}

/// A labelled drop-down of `(value, label)` options with `selected` chosen.
#[component]
pub fn Select(
    name: &'static str,
    id: &'static str,
    label: &'static str,
    options: Vec<(String, String)>,
    #[prop(optional, into)] selected: String,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional, into)] error: MaybeProp<String>,
) -> impl IntoView {
    let invalid = move || error.get().is_some().then_some("true");
    view! {
        <Labelled id=id.to_string() label hint error>
            <select id=id name=name aria-invalid=invalid aria-describedby=format!("{id}-error") class=CONTROL>
                {options
                    .into_iter()
                    .map(|(value, text)| {
                        let chosen = value == selected;
                        view! { <option value=value selected=chosen>{text}</option> }
                    })
                    .collect_view()}
            </select>
        </Labelled>
    }
}

/// Yes/No as a drop-down: unlike a checkbox it always sends a value, so
/// "No" can override a default of true.
#[component]
pub fn YesNo(
    name: &'static str,
    id: &'static str,
    label: &'static str,
    value: bool,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    view! {
        <Labelled id=id.to_string() label hint error=MaybeProp::default()>
            <select id=id name=name class=CONTROL>
                <option value="true" selected=value>"Yes"</option>
                <option value="false" selected=!value>"No"</option>
            </select>
        </Labelled>
    }
}

/// A list of short texts as one input each (`name` must end in `[]`), with
/// `blanks` empty inputs to add more; empty ones are dropped by the server.
#[component]
pub fn ListField(
    name: &'static str,
    id: &'static str,
    label: &'static str,
    values: Vec<String>,
    #[prop(default = 2)] blanks: usize,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional, into)] error: MaybeProp<String>,
) -> impl IntoView {
    let count = values.len() + blanks;
    let invalid = move || error.get().is_some().then_some("true");
    view! {
        <fieldset class="flex flex-col gap-1" aria-describedby=format!("{id}-error")>
            <legend class="text-sm font-medium">{label}</legend>
            {values
                .into_iter()
                .chain(std::iter::repeat_n(String::new(), blanks))
                .enumerate()
                .map(|(i, v)| {
                    view! {
                        <input
                            id=format!("{id}-{i}")
                            name=name
                            value=v
                            aria-label=format!("{label} {} of {count}", i + 1)
                            aria-invalid=invalid
                            class=CONTROL
                        />
                    }
                })
                .collect_view()}
            {hint.map(|h| view! { <p class="text-xs text-muted">{h}</p> })}
            <p id=format!("{id}-error") class="min-h-4 text-sm text-red-400" aria-live="polite">{move || error.get()}</p>
        </fieldset>
    }
}

/// A group of checkboxes (`name` must end in `[]`) for picking ids.
#[component]
pub fn CheckList(
    name: &'static str,
    id: &'static str,
    label: &'static str,
    options: Vec<(String, String)>,
    checked: Vec<String>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional, into)] error: MaybeProp<String>,
) -> impl IntoView {
    view! {
        <fieldset class="flex flex-col gap-1" aria-describedby=format!("{id}-error")>
            <legend class="text-sm font-medium">{label}</legend>
            {if options.is_empty() {
                view! { <p class="text-sm text-muted">"Nothing to choose yet."</p> }.into_any()
            } else {
                options
                    .into_iter()
                    .enumerate()
                    .map(|(i, (value, text))| {
                        let on = checked.contains(&value);
                        view! {
                            <label class="flex items-center gap-2 text-sm" for=format!("{id}-{i}")>
                                <input type="checkbox" id=format!("{id}-{i}") name=name value=value checked=on />
                                {text}
                            </label>
                        }
                    })
                    .collect_view()
                    .into_any()
            }}
            {hint.map(|h| view! { <p class="text-xs text-muted">{h}</p> })}
            <p id=format!("{id}-error") class="min-h-4 text-sm text-red-400" aria-live="polite">{move || error.get()}</p>
        </fieldset>
    }
}
