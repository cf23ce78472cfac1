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
