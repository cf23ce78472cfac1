use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::auth::Login;
use crate::components::form::{Field, FormFooter};

/// `/login`: sign in by username or email. A plain form post without JavaScript.
#[component]
pub fn LoginPage() -> impl IntoView {
    let action = ServerAction::<Login>::new();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let was_reset = move || query.read().get("reset").is_some();
    view! {
        <Title text="Sign in" />
        <section class="mx-auto w-full max-w-md">
            <h1 class="text-3xl font-bold">"Sign in"</h1>
            <p class="mt-2 text-muted">"Welcome back. Pick up where you left off."</p>
            <Show when=was_reset>
                <p role="status" class="mt-4 rounded border border-brand/40 p-3 text-sm text-brand">
                    "Your password was changed and every device was signed out. Sign in with the new password."
                </p>
            </Show>
            <ActionForm action=action attr:class="mt-6 flex flex-col gap-3" attr:aria-label="Sign in">
                <input type="hidden" name="next" value=next />
                <Field
                    name="login"
                    id="login"
                    label="Username or email"
                    autocomplete="username"
                    required=true
                />
                <Field
                    name="password"
                    id="password"
                    label="Password"
                    kind="password"
                    autocomplete="current-password"
                    required=true
                />
                <FormFooter
                    result=action.value()
                    pending=action.pending()
                    label="Sign in"
                />
            </ActionForm>
            <p class="mt-4 text-sm">
                <a href="/forgot-password" class="text-brand underline">
                    "Forgot your password?"
                </a>
            </p>
            <p class="mt-2 text-sm text-muted">
                "New to Foothold? "
                <a href="/register" class="text-brand underline">
                    "Create an account"
                </a>
            </p>
        </section>
    }
}
