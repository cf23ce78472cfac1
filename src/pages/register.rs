use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::auth::Register;
use crate::components::form::{Field, FormFooter, field_messages};
use crate::model::ExperienceLevel;

/// `/register`: create an account. The server checks every rule and answers
/// with the data model's messages, shown under each field.
#[component]
pub fn RegisterPage() -> impl IntoView {
    let action = ServerAction::<Register>::new();
    let error_of = field_messages(action.value());
    view! {
        <Title text="Create an account" />
        <section class="mx-auto w-full max-w-md">
            <h1 class="text-3xl font-bold">"Create your account"</h1>
            <p class="mt-2 text-muted">"Free, and your progress is saved from the first minute."</p>
            <ActionForm action=action attr:class="mt-6 flex flex-col gap-3" attr:aria-label="Create an account">
                <Field
                    name="form[username]"
                    id="username"
                    label="Username"
                    autocomplete="username"
                    required=true
                    hint="3 to 30 letters, numbers or underscores"
                    error=error_of("username")
                />
                <Field
                    name="form[email]"
                    id="email"
                    label="Email"
                    kind="email"
                    autocomplete="email"
                    required=true
                    error=error_of("email")
                />
                <Field
                    name="form[password]"
                    id="password"
                    label="Password"
                    kind="password"
                    autocomplete="new-password"
                    required=true
                    hint="At least 8 characters; a long phrase is best"
                    error=error_of("password")
                />
                <Field
                    name="form[password_confirm]"
                    id="password-confirm"
                    label="Password again"
                    kind="password"
                    autocomplete="new-password"
                    required=true
                    error=error_of("passwordConfirm")
                />
                <div class="grid grid-cols-1 gap-3 sm:grid-cols-2">
                    <Field
                        name="form[first_name]"
                        id="first-name"
                        label="First name"
                        autocomplete="given-name"
                        error=error_of("profile.firstName")
                    />
                    <Field
                        name="form[last_name]"
                        id="last-name"
                        label="Last name"
                        autocomplete="family-name"
                        error=error_of("profile.lastName")
                    />
                </div>
                <div class="flex flex-col gap-1">
                    <label for="experience" class="text-sm font-medium">
                        "Experience"
                    </label>
                    <select
                        id="experience"
                        name="form[experience_level]"
                        class="rounded border border-line bg-surface px-3 py-2 text-fg"
                    >
                        {ExperienceLevel::ALL
                            .iter()
                            .map(|level| view! { <option value=level.as_str()>{level.label()}</option> })
                            .collect_view()}
                    </select>
                </div>
                <label class="flex items-start gap-2 text-sm">
                    <input type="checkbox" name="form[role]" value="admin" class="mt-1" />
                    <span>
                        "I run this platform (admin account; an active admin must approve it first)"
                    </span>
                </label>
                <FormFooter
                    result=action.value()
                    pending=action.pending()
                    label="Create account"
                />
            </ActionForm>
            <p class="mt-4 text-sm text-muted">
                "Already have an account? "
                <a href="/login" class="text-brand underline">
                    "Sign in"
                </a>
            </p>
        </section>
    }
}
