//! `/settings`: profile, preferences, password and two-factor authentication.
//! Every form is a plain post that works before hydration; afterwards the
//! page updates in place.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::settings::{
    BeginTwoFactor, CancelTwoFactor, ChangePassword, DisableTwoFactor, EnableTwoFactor, PreferencesView,
    RegenerateRecoveryCodes, Settings, TwoFactorView, UpdatePreferences, UpdateProfile, get_settings, get_two_factor,
};
use crate::components::form::{Field, FormFooter, field_messages};
use crate::error::AppError;
use crate::model::user::LANGUAGES;
use crate::model::{ExperienceLevel, Theme};

const CARD: &str = "rounded-lg border border-line bg-surface p-5 sm:p-6";
const INPUT: &str = "rounded border border-line bg-surface px-3 py-2 text-fg focus:border-brand";

#[component]
pub fn SettingsPage() -> impl IntoView {
    let settings = Resource::new(|| (), |_| get_settings());
    view! {
        <Title text="Settings" />
        <section class="mx-auto flex w-full max-w-3xl flex-col gap-6">
            <h1 class="text-3xl font-bold">"Settings"</h1>
            <Suspense fallback=|| view! { <p class="text-muted">"Loading your settings…"</p> }>
                {move || Suspend::new(async move {
                    match settings.await {
                        Ok(s) => {
                            view! {
                                <ProfileSection settings=s.clone() />
                                <PreferencesSection preferences=s.preferences />
                                <PasswordSection username=s.username />
                                <TwoFactorSection />
                            }
                                .into_any()
                        }
                        Err(AppError::Unauthorized(_)) => view! { <SignInFirst /> }.into_any(),
                        Err(err) => view! { <p role="alert" class="text-red-400">{err.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn SignInFirst() -> impl IntoView {
    view! {
        <p class="text-muted">
            "Please "
            <a href="/login?next=/settings" class="text-brand underline">
                "sign in"
            </a>
            " to change your settings."
        </p>
    }
}

/// A "saved" note shown after a successful submission.
fn saved<T: Clone + Send + Sync + 'static>(
    value: MappedSignal<Option<Result<T, AppError>>>,
    text: &'static str,
) -> impl IntoView {
    move || {
        matches!(value.get(), Some(Ok(_))).then(|| {
            view! {
                <p role="status" class="text-sm text-brand">
                    {text}
                </p>
            }
        })
    }
}

#[component]
fn ProfileSection(settings: Settings) -> impl IntoView {
    let action = ServerAction::<UpdateProfile>::new();
    let error_of = field_messages(action.value());
    let p = settings.profile;
    let bio_error = error_of("profile.bio");
    let level_error = error_of("experienceLevel");
    view! {
        <section class=CARD aria-labelledby="profile-heading">
            <h2 id="profile-heading" class="text-xl font-semibold">
                "Profile"
            </h2>
            <p class="mt-1 text-sm text-muted">
                "Signed in as " <strong class="text-fg">{settings.username}</strong> " (" {settings.email} ")"
            </p>
            <ActionForm action=action attr:class="mt-4 flex flex-col gap-3" attr:aria-label="Profile">
                <div class="grid grid-cols-1 gap-3 sm:grid-cols-2">
                    <Field
                        name="profile[firstName]"
                        id="first-name"
                        label="First name"
                        autocomplete="given-name"
                        value=p.first_name.unwrap_or_default()
                        error=error_of("profile.firstName")
                    />
                    <Field
                        name="profile[lastName]"
                        id="last-name"
                        label="Last name"
                        autocomplete="family-name"
                        value=p.last_name.unwrap_or_default()
                        error=error_of("profile.lastName")
                    />
                </div>
                <Field
                    name="profile[displayName]"
                    id="display-name"
                    label="Display name"
                    hint="Shown in the header and on leaderboards; your username when empty"
                    value=p.display_name.unwrap_or_default()
                    error=error_of("profile.displayName")
                />
                <div class="flex flex-col gap-1">
                    <label for="bio" class="text-sm font-medium">
                        "Bio"
                    </label>
                    <textarea
                        id="bio"
                        name="profile[bio]"
                        rows="4"
                        class=INPUT
                        aria-invalid=move || bio_error.get().is_some().then_some("true")
                        aria-describedby="bio-error"
                    >
                        {p.bio.unwrap_or_default()}
                    </textarea>
                    <p id="bio-error" class="min-h-4 text-sm text-red-400" aria-live="polite">
                        {move || bio_error.get()}
                    </p>
                </div>
                <div class="grid grid-cols-1 gap-3 sm:grid-cols-2">
                    <Field
                        name="profile[location]"
                        id="location"
                        label="Location"
                        autocomplete="address-level2"
                        value=p.location.unwrap_or_default()
                        error=error_of("profile.location")
                    />
                    <Field
                        name="profile[website]"
                        id="website"
                        label="Website"
                        kind="url"
                        autocomplete="url"
                        value=p.website.unwrap_or_default()
                        error=error_of("profile.website")
                    />
                </div>
                <Field
                    name="profile[avatar]"
                    id="avatar"
                    label="Avatar image address"
                    kind="url"
                    hint="An https:// link to a picture of you"
                    value=p.avatar.unwrap_or_default()
                    error=error_of("profile.avatar")
                />
                <div class="flex flex-col gap-1">
                    <label for="experience-level" class="text-sm font-medium">
                        "Experience level"
                    </label>
                    <select
                        id="experience-level"
                        name="profile[experienceLevel]"
                        class=INPUT
                        aria-describedby="experience-level-error"
                    >
                        {ExperienceLevel::ALL
                            .iter()
                            .map(|level| {
                                view! {
                                    <option value=level.as_str() selected=*level == settings.experience_level>
                                        {level.label()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                    <p id="experience-level-error" class="min-h-4 text-sm text-red-400" aria-live="polite">
                        {move || level_error.get()}
                    </p>
                </div>
                <FormFooter
                    result=action.value()
                    pending=action.pending()
                    label="Save profile"
                />
                {saved(action.value(), "Profile saved.")}
            </ActionForm>
        </section>
    }
}

#[component]
fn PreferencesSection(preferences: PreferencesView) -> impl IntoView {
    let action = ServerAction::<UpdatePreferences>::new();
    let error_of = field_messages(action.value());
    let theme_error = error_of("preferences.theme");
    let language_error = error_of("preferences.language");
    let time_zone_error = error_of("preferences.timeZone");
    // After hydration the page switches colours at once; without JavaScript
    // the reload after the post renders the new theme from the cookie.
    Effect::new(move |_| {
        if let Some(Ok(theme)) = action.value().get() {
            crate::theme::apply_in_page(theme);
        }
    });
    let checkbox = |name: &'static str, label: &'static str, checked: bool| {
        view! {
            <label class="flex items-center gap-2">
                <input type="checkbox" name=name value="on" checked=checked class="size-4 accent-[var(--brand)]" />
                {label}
            </label>
        }
    };
    view! {
        <section class=CARD aria-labelledby="preferences-heading">
            <h2 id="preferences-heading" class="text-xl font-semibold">
                "Preferences"
            </h2>
            <ActionForm action=action attr:class="mt-4 flex flex-col gap-4" attr:aria-label="Preferences">
                <fieldset class="flex flex-col gap-2" aria-describedby="theme-error">
                    <legend class="text-sm font-medium">"Theme"</legend>
                    <div class="flex flex-wrap gap-4">
                        {Theme::ALL
                            .iter()
                            .map(|theme| {
                                view! {
                                    <label class="flex items-center gap-2">
                                        <input
                                            type="radio"
                                            name="theme"
                                            value=theme.as_str()
                                            checked=*theme == preferences.theme
                                            class="size-4 accent-[var(--brand)]"
                                        />
                                        {theme.label()}
                                    </label>
                                }
                            })
                            .collect_view()}
                    </div>
                    <p id="theme-error" class="min-h-4 text-sm text-red-400" aria-live="polite">
                        {move || theme_error.get()}
                    </p>
                </fieldset>
                <div class="flex flex-col gap-1">
                    <label for="language" class="text-sm font-medium">
                        "Language"
                    </label>
                    <select id="language" name="language" class=INPUT aria-describedby="language-error">
                        {LANGUAGES
                            .iter()
                            .map(|(code, name)| {
                                view! {
                                    <option value=*code selected=*code == preferences.language>
                                        {*name}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                    <p id="language-error" class="min-h-4 text-sm text-red-400" aria-live="polite">
                        {move || language_error.get()}
                    </p>
                </div>
                <div class="flex flex-col gap-1">
                    <label for="time-zone" class="text-sm font-medium">
                        "Time zone"
                    </label>
                    <select id="time-zone" name="time_zone" class=INPUT aria-describedby="time-zone-hint time-zone-error">
                        {preferences
                            .time_zones
                            .iter()
                            .map(|zone| {
                                view! {
                                    <option value=zone.clone() selected=*zone == preferences.time_zone>
                                        {zone.replace('_', " ")}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                    <p id="time-zone-hint" class="text-xs text-muted">"Your days, and so your streak, end at midnight here."</p>
                    <p id="time-zone-error" class="min-h-4 text-sm text-red-400" aria-live="polite">
                        {move || time_zone_error.get()}
                    </p>
                </div>
                <fieldset class="flex flex-col gap-2">
                    <legend class="text-sm font-medium">"Notifications"</legend>
                    {checkbox("email_notifications", "Email me about my account and courses", preferences.email_notifications)}
                    {checkbox("progress_notifications", "Show progress updates while I learn", preferences.progress_notifications)}
                    {checkbox("achievement_notifications", "Celebrate achievements I unlock", preferences.achievement_notifications)}
                </fieldset>
                <FormFooter
                    result=action.value()
                    pending=action.pending()
                    label="Save preferences"
                />
                {saved(action.value(), "Preferences saved.")}
            </ActionForm>
        </section>
    }
}

#[component]
fn PasswordSection(username: String) -> impl IntoView {
    let action = ServerAction::<ChangePassword>::new();
    let error_of = field_messages(action.value());
    view! {
        <section class=CARD aria-labelledby="password-heading">
            <h2 id="password-heading" class="text-xl font-semibold">
                "Password"
            </h2>
            <p class="mt-1 text-sm text-muted">"Changing it signs out every other device."</p>
            <ActionForm action=action attr:class="mt-4 flex flex-col gap-3" attr:aria-label="Change password">
                // Lets password managers file the new password under the right account.
                <input type="hidden" name="username" autocomplete="username" value=username disabled=true />
                <Field
                    name="current_password"
                    id="current-password"
                    label="Current password"
                    kind="password"
                    autocomplete="current-password"
                    required=true
                    error=error_of("currentPassword")
                />
                <Field
                    name="password"
                    id="new-password"
                    label="New password"
                    kind="password"
                    autocomplete="new-password"
                    required=true
                    hint="At least 8 characters; a long phrase is best"
                    error=error_of("password")
                />
                <Field
                    name="password_confirm"
                    id="new-password-confirm"
                    label="New password again"
                    kind="password"
                    autocomplete="new-password"
                    required=true
                    error=error_of("passwordConfirm")
                />
                <FormFooter
                    result=action.value()
                    pending=action.pending()
                    label="Change password"
                />
                {saved(action.value(), "Password changed. Other devices have been signed out.")}
            </ActionForm>
        </section>
    }
}

#[component]
fn TwoFactorSection() -> impl IntoView {
    let begin = ServerAction::<BeginTwoFactor>::new();
    let cancel = ServerAction::<CancelTwoFactor>::new();
    let enable = ServerAction::<EnableTwoFactor>::new();
    let disable = ServerAction::<DisableTwoFactor>::new();
    let regenerate = ServerAction::<RegenerateRecoveryCodes>::new();
    // Re-read the state after each step that succeeded (a failed one keeps what was typed).
    let done = move |ok: bool, version: usize| if ok { version } else { 0 };
    let state = Resource::new(
        move || {
            (
                done(matches!(begin.value().get(), Some(Ok(()))), begin.version().get()),
                done(matches!(cancel.value().get(), Some(Ok(()))), cancel.version().get()),
                done(matches!(enable.value().get(), Some(Ok(()))), enable.version().get()),
                done(matches!(disable.value().get(), Some(Ok(()))), disable.version().get()),
                done(matches!(regenerate.value().get(), Some(Ok(()))), regenerate.version().get()),
            )
        },
        |_| get_two_factor(),
    );
    view! {
        <section class=CARD aria-labelledby="two-factor-heading" id="two-factor">
            <h2 id="two-factor-heading" class="text-xl font-semibold">
                "Two-factor authentication"
            </h2>
            <p class="mt-1 text-sm text-muted">
                "Sign in with a code from an authenticator app as well as your password."
            </p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match state.await {
                        Ok(view) => two_factor_body(view, begin, cancel, enable, disable, regenerate).into_any(),
                        Err(err) => view! { <p role="alert" class="text-red-400">{err.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn two_factor_body(
    view: TwoFactorView,
    begin: ServerAction<BeginTwoFactor>,
    cancel: ServerAction<CancelTwoFactor>,
    enable: ServerAction<EnableTwoFactor>,
    disable: ServerAction<DisableTwoFactor>,
    regenerate: ServerAction<RegenerateRecoveryCodes>,
) -> impl IntoView {
    let codes = (!view.fresh_codes.is_empty()).then(|| {
        view! {
            <div class="mt-4 rounded border border-brand/50 p-4">
                <h3 class="font-semibold">"Your recovery codes"</h3>
                <p class="mt-1 text-sm text-muted">
                    "Save them somewhere safe now: they are shown only once. Each one signs you in once if you lose your device."
                </p>
                <ol class="mt-3 grid grid-cols-2 gap-2 font-mono sm:grid-cols-5" data-testid="recovery-codes">
                    {view.fresh_codes.into_iter().map(|code| view! { <li>{code}</li> }).collect_view()}
                </ol>
            </div>
        }
    });
    let body = if view.enabled {
        let disable_error = field_messages(disable.value());
        let regenerate_error = field_messages(regenerate.value());
        view! {
            <p class="mt-4 font-medium text-brand" data-testid="two-factor-status">
                "On. " {view.recovery_codes_left} " unused recovery codes left."
            </p>
            <div class="mt-4 grid grid-cols-1 gap-6 md:grid-cols-2">
                <ActionForm action=regenerate attr:class="flex flex-col gap-3" attr:aria-label="New recovery codes">
                    <h3 class="font-semibold">"New recovery codes"</h3>
                    <Field
                        name="code"
                        id="regenerate-code"
                        label="Code from your app"
                        autocomplete="one-time-code"
                        required=true
                        error=regenerate_error("code")
                    />
                    <FormFooter
                        result=regenerate.value()
                        pending=regenerate.pending()
                        label="Replace recovery codes"
                    />
                </ActionForm>
                <ActionForm action=disable attr:class="flex flex-col gap-3" attr:aria-label="Turn off two-factor">
                    <h3 class="font-semibold">"Turn off"</h3>
                    <Field
                        name="password"
                        id="disable-password"
                        label="Your password"
                        kind="password"
                        autocomplete="current-password"
                        required=true
                        error=disable_error("password")
                    />
                    <Field
                        name="code"
                        id="disable-code"
                        label="Code from your app or a recovery code"
                        autocomplete="one-time-code"
                        required=true
                        error=disable_error("code")
                    />
                    <FormFooter
                        result=disable.value()
                        pending=disable.pending()
                        label="Turn off two-factor"
                    />
                </ActionForm>
            </div>
        }
        .into_any()
    } else if let Some(setup) = view.setup {
        let enable_error = field_messages(enable.value());
        view! {
            <div class="mt-4 flex flex-col gap-4 sm:flex-row">
                <img
                    src=setup.qr
                    width="220"
                    height="220"
                    class="rounded bg-white p-2"
                    alt="QR code to scan with your authenticator app"
                />
                <div class="flex flex-col gap-3">
                    <ol class="list-decimal pl-5 text-sm">
                        <li>"Scan the QR code with an authenticator app (or type the key below)."</li>
                        <li>"Enter the 6-digit code the app shows."</li>
                    </ol>
                    <p class="text-sm">
                        "Key: " <code class="font-mono text-brand" data-testid="totp-secret">{setup.secret}</code>
                    </p>
                    <ActionForm action=enable attr:class="flex flex-col gap-3" attr:aria-label="Confirm two-factor">
                        <Field
                            name="code"
                            id="enable-code"
                            label="6-digit code"
                            autocomplete="one-time-code"
                            required=true
                            error=enable_error("code")
                        />
                        <FormFooter
                            result=enable.value()
                            pending=enable.pending()
                            label="Turn on two-factor"
                        />
                    </ActionForm>
                    <ActionForm action=cancel>
                        <button type="submit" class="text-sm text-muted underline">
                            "Cancel set-up"
                        </button>
                    </ActionForm>
                </div>
            </div>
        }
        .into_any()
    } else {
        view! {
            <p class="mt-4" data-testid="two-factor-status">
                "Off."
            </p>
            <ActionForm action=begin attr:class="mt-3">
                <button
                    type="submit"
                    class="rounded bg-brand px-4 py-2 font-semibold text-bg hover:opacity-90 disabled:opacity-50"
                    disabled=move || begin.pending().get()
                >
                    "Set up two-factor authentication"
                </button>
            </ActionForm>
        }
        .into_any()
    };
    view! {
        {codes}
        {body}
    }
}
