use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::auth::{RequestPasswordReset, ResetPassword};
use crate::components::form::{Field, FormFooter, field_messages};

/// `/forgot-password`: ask for a reset link by email.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let action = ServerAction::<RequestPasswordReset>::new();
    let sent = move || action.value().get().and_then(|r| r.ok());
    let error_of = field_messages(action.value());
    view! {
        <Title text="Forgot your password?" />
        <section class="mx-auto w-full max-w-md">
            <h1 class="text-3xl font-bold">"Forgot your password?"</h1>
            <p class="mt-2 text-muted">"Enter your account's email and we will send a link to choose a new one."</p>
            <ActionForm action=action attr:class="mt-6 flex flex-col gap-3" attr:aria-label="Ask for a reset link">
                <Field name="email" id="email" label="Email" kind="email" autocomplete="email" required=true error=error_of("email") />
                <FormFooter result=action.value() pending=action.pending() label="Send the link" />
            </ActionForm>
            <p role="status" class="mt-4 text-sm text-brand" data-testid="reset-sent">
                {sent}
            </p>
        </section>
    }
}

/// `/reset-password/:token`: choose a new password with the mailed link.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let action = ServerAction::<ResetPassword>::new();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let error_of = field_messages(action.value());
    view! {
        <Title text="Choose a new password" />
        <section class="mx-auto w-full max-w-md">
            <h1 class="text-3xl font-bold">"Choose a new password"</h1>
            <p class="mt-2 text-muted">"After this, every device signed in to your account is signed out."</p>
            <ActionForm action=action attr:class="mt-6 flex flex-col gap-3" attr:aria-label="Choose a new password">
                <input type="hidden" name="token" value=token />
                <Field
                    name="password"
                    id="password"
                    label="New password"
                    kind="password"
                    autocomplete="new-password"
                    required=true
                    error=error_of("password")
                />
                <Field
                    name="password_confirm"
                    id="password-confirm"
                    label="New password again"
                    kind="password"
                    autocomplete="new-password"
                    required=true
                    error=error_of("passwordConfirm")
                />
                <FormFooter
                    result=action.value()
                    pending=action.pending()
                    label="Save the new password"
                />
            </ActionForm>
        </section>
    }
}
