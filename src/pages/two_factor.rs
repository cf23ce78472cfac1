use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::auth::VerifySecondFactor;
use crate::components::form::{Field, FormFooter, field_messages};

/// `/login/two-factor`: the second step of signing in to an account with
/// two-factor authentication on.
#[component]
pub fn TwoFactorLoginPage() -> impl IntoView {
    let action = ServerAction::<VerifySecondFactor>::new();
    let error_of = field_messages(action.value());
    view! {
        <Title text="Two-factor sign-in" />
        <section class="mx-auto w-full max-w-md">
            <h1 class="text-3xl font-bold">"One more step"</h1>
            <p class="mt-2 text-muted">
                "Enter the 6-digit code from your authenticator app. Lost your device? Use one of your recovery codes instead."
            </p>
            <ActionForm action=action attr:class="mt-6 flex flex-col gap-3" attr:aria-label="Two-factor code">
                <Field
                    name="code"
                    id="code"
                    label="Code"
                    autocomplete="one-time-code"
                    required=true
                    error=error_of("code")
                />
                <FormFooter
                    result=action.value()
                    pending=action.pending()
                    label="Verify"
                />
            </ActionForm>
            <p class="mt-4 text-sm">
                <a href="/login" class="text-brand underline">
                    "Start again"
                </a>
            </p>
        </section>
    }
}
