//! `/admin/modules/:id/content` and `/admin/content/:id` (`new?module=…&type=…`,
//! plus `&game=…` for a game that is not a quiz): a module's items in order
//! with their row actions, and the form of one item — the common fields,
//! those of its type, the quiz editor or the game's JSON, and markdown
//! previews. Every action is a plain form, so both pages work by keyboard
//! and without JavaScript; only the live "Preview" button needs it (the
//! saved text's preview is rendered by the server).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::catalog::{Actions, RowActions};
use super::{AdminGate, AdminNav};
use crate::api::content_authoring::{
    ContentForm, ContentRow, GAME_DATA, ModuleContent, PreviewMarkdown, SaveContent, get_content_form,
    get_module_content,
};
use crate::components::form::{
    Field, FormFooter, ListField, Select, TextArea, YesNo, field_errors, form_error, message_under,
};
use crate::model::content::ContentInput;
use crate::model::game::{QuizData, QuizQuestion};
use crate::model::{ContentType, Difficulty, DocumentFormat, FieldErrors, GameType};

const CARD: &str = "flex flex-col gap-4 rounded-lg border border-line bg-surface p-5";
const GROUP: &str = "flex flex-col gap-4 rounded border border-line p-4";
const CONTROL: &str =
    "rounded border border-line bg-surface px-3 py-2 text-fg focus:border-brand aria-[invalid=true]:border-red-500";
const BUTTON: &str = "rounded border border-line px-3 py-1 text-sm hover:border-brand disabled:opacity-50";

fn type_label(kind: ContentType) -> &'static str {
    match kind {
        ContentType::Video => "Video",
        ContentType::Lab => "Lab",
        ContentType::Game => "Game",
        ContentType::Document => "Document",
    }
}

fn game_label(game: GameType) -> &'static str {
    match game {
        GameType::Quiz => "Quiz",
        GameType::Scenario => "Scenario",
        GameType::Puzzle => "Puzzle",
        GameType::Simulation => "Simulation",
    }
}

fn options<T: Copy>(all: &[T], value: fn(T) -> &'static str, label: fn(T) -> &'static str) -> Vec<(String, String)> {
    all.iter().map(|v| (value(*v).to_string(), label(*v).to_string())).collect()
}

fn number(value: Option<f64>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// The first message for `field` (or one of its items) of the last save.
fn error_in(errors: Memo<FieldErrors>, field: impl Into<String>) -> Signal<Option<String>> {
    let field = field.into();
    Signal::derive(move || message_under(&errors.read(), &field))
}

// ------------------------------------------------------------------ the list

#[component]
pub fn ModuleContentPage() -> impl IntoView {
    let params = use_params_map();
    let module = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let actions = Actions {
        moves: ServerAction::new(),
        active: ServerAction::new(),
        featured: ServerAction::new(),
        delete: ServerAction::new(),
    };
    let list = Resource::new(
        move || {
            (
                module.get(),
                actions.moves.version().get(),
                actions.active.version().get(),
                actions.delete.version().get(),
            )
        },
        |(module, ..)| get_module_content(module),
    );
    let failure = move || {
        form_error(actions.delete.value().get())
            .or_else(|| form_error(actions.moves.value().get()))
            .or_else(|| form_error(actions.active.value().get()))
            .or_else(|| match actions.delete.value().get() {
                Some(Err(crate::error::AppError::Invalid(errors))) => Some(errors.to_string()),
                _ => None,
            })
    };
    view! {
        <Title text="Content — Administration" />
        <AdminNav current="catalog" />
        <p role="alert" class="mb-4 text-sm text-red-400" data-testid="content-error">{failure}</p>
        <Suspense fallback=|| view! { <p class="text-muted">"Loading the module's content…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(c) => view! { <ContentList c actions /> }.into_any(),
                    Err(err) => view! { <AdminGate err next="/admin/catalog" /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ContentList(c: ModuleContent, actions: Actions) -> impl IntoView {
    let add = |kind: &str, game: Option<&str>| {
        let game = game.map(|g| format!("&game={g}")).unwrap_or_default();
        format!("/admin/content/new?module={}&type={kind}{game}", c.module_id)
    };
    let links = [
        ("Add video", add("video", None)),
        ("Add lab", add("lab", None)),
        ("Add quiz", add("game", Some("quiz"))),
        ("Add scenario game", add("game", Some("scenario"))),
        ("Add puzzle game", add("game", Some("puzzle"))),
        ("Add simulation game", add("game", Some("simulation"))),
        ("Add document", add("document", None)),
    ];
    let count = c.rows.len();
    let counters = format!(
        "{} active item(s) · {} minute(s){}",
        c.total_content,
        c.total_duration,
        if c.module_active { "" } else { " · this module is inactive" }
    );
    view! {
        <p class="text-sm text-muted">
            <a href="/admin/catalog" class="underline">"Catalog"</a>
            " / "
            <a href=format!("/admin/modules/{}", c.module_id) class="underline">{c.module_title.clone()}</a>
        </p>
        <h1 class="mt-1 text-3xl font-bold">{format!("Content of “{}”", c.module_title)}</h1>
        <p class="mb-4 text-sm text-muted" data-testid="module-counters">{counters}</p>
        <nav aria-label="Add content" class="mb-4">
            <ul class="flex flex-wrap gap-2">
                {links
                    .into_iter()
                    .map(|(label, href)| view! {
                        <li><a href=href class="inline-block rounded bg-brand px-3 py-1 text-sm font-semibold text-bg hover:opacity-90">{label}</a></li>
                    })
                    .collect_view()}
            </ul>
        </nav>
        {if c.rows.is_empty() {
            view! { <p class="text-muted">"No content yet. Add the first item above."</p> }.into_any()
        } else {
            view! {
                <ol class="flex flex-col divide-y divide-line rounded-lg border border-line bg-surface px-4">
                    {c.rows.into_iter().enumerate().map(|(i, row)| view! { <ContentLine row first=i == 0 last=i + 1 == count actions /> }).collect_view()}
                </ol>
            }.into_any()
        }}
    }
}

#[component]
fn ContentLine(row: ContentRow, first: bool, last: bool, actions: Actions) -> impl IntoView {
    let mut facts = vec![type_label(row.kind).to_string()];
    facts.extend(row.game_type.map(|g| game_label(g).to_string()));
    facts.extend(row.section.clone().map(|s| format!("section “{s}”")));
    facts.extend(row.duration.map(|d| format!("{d} min")));
    view! {
        <li class="flex flex-wrap items-center gap-2 py-2" data-testid="admin-content" data-active=row.is_active.to_string()>
            <span class="font-mono text-sm text-muted">{row.order}</span>
            <a href=format!("/admin/content/{}", row.id) class="font-medium hover:text-brand">{row.title.clone()}</a>
            <span class="text-xs text-muted">{facts.join(" · ")}</span>
            {(!row.is_active).then(|| view! { <span class="rounded bg-surface-2 px-2 text-xs">"inactive"</span> })}
            <div class="ml-auto flex flex-wrap gap-1">
                <RowActions kind="content" id=row.id.clone() title=row.title.clone() active=row.is_active featured=None first last actions />
            </div>
        </li>
    }
}

// ------------------------------------------------------------------ the form

#[component]
pub fn ContentEditorPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let key = Memo::new(move |_| {
        let id = params.read().get("id").filter(|id| id != "new").unwrap_or_default();
        let q = query.read();
        (id, q.get("module").unwrap_or_default(), q.get("type").unwrap_or_default(), q.get("game").unwrap_or_default())
    });
    let form = Resource::new(move || key.get(), |(id, module, kind, game)| get_content_form(id, module, kind, game));
    view! {
        <AdminNav current="catalog" />
        <Suspense fallback=|| view! { <p class="text-muted">"Loading the item…"</p> }>
            {move || Suspend::new(async move {
                match form.await {
                    Ok(f) => view! { <ContentEditor f /> }.into_any(),
                    Err(err) => view! { <AdminGate err next="/admin/catalog" /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Messages of fields the form shows as fixed (hidden inputs), so they are not lost.
const FIXED: [&str; 3] = ["module", "type", "content.gameType"];

#[component]
fn ContentEditor(f: ContentForm) -> impl IntoView {
    let save = ServerAction::<SaveContent>::new();
    let errors = Memo::new(move |_| field_errors(save.value().get()));
    let error = move |field: &'static str| error_in(errors, field);
    let kind = ContentType::parse(&f.input.kind);
    let game = f.input.content.game_type.as_deref().and_then(GameType::parse);
    let what = match (kind, game) {
        (Some(ContentType::Game), Some(g)) => format!("{} game", game_label(g).to_lowercase()),
        (Some(k), _) => type_label(k).to_lowercase(),
        (None, _) => "item".to_string(),
    };
    let heading = match &f.id {
        Some(_) => format!("Edit “{}”", f.input.title),
        None => format!("New {what} in “{}”", f.module_title),
    };
    let back = format!("/admin/modules/{}/content", f.input.module);
    let learners = (f.learners > 0)
        .then(|| format!("{} learner(s) have progress on this item: deactivate it rather than delete it.", f.learners));
    let fixed = move || {
        let errors = errors.read();
        FIXED.iter().filter_map(|k| errors.get(k).map(|m| format!("{k}: {m}"))).collect::<Vec<_>>().join(" ")
    };
    let input = f.input;
    let criteria = input.completion_criteria.clone();
    let settings = input.settings.clone();
    let body = match kind {
        Some(ContentType::Video) => view! { <VideoFields input=input.clone() errors /> }.into_any(),
        Some(ContentType::Lab) => view! { <LabFields input=input.clone() preview=f.lab_preview errors /> }.into_any(),
        Some(ContentType::Game) => {
            view! { <GameFields input=input.clone() game quiz=f.quiz json=f.game_json errors /> }.into_any()
        }
        Some(ContentType::Document) => {
            view! { <DocumentFields input=input.clone() preview=f.document_preview errors /> }.into_any()
        }
        None => view! { <p role="alert" class="text-red-400">"This item has an unknown type."</p> }.into_any(),
    };
    let completion_kinds = vec![
        ("time_based".to_string(), "Time based: the learner covers enough of it".to_string()),
        ("interaction_based".to_string(), "Interaction based: the learner passes it".to_string()),
        ("manual".to_string(), "Manual: the learner marks it done".to_string()),
    ];
    view! {
        <Title text=heading.clone() />
        <p class="text-sm text-muted">
            <a href=back.clone() class="underline">{format!("Content of “{}”", f.module_title)}</a>
        </p>
        <h1 class="mb-4 mt-1 text-3xl font-bold">{heading}</h1>
        {learners.map(|l| view! { <p class="mb-4 text-sm text-muted" data-testid="content-learners">{l}</p> })}
        <ActionForm action=save attr:class=CARD attr:data-testid="content-form">
            <input type="hidden" name="id" value=f.id.unwrap_or_default() />
            <input type="hidden" name="form[module]" value=input.module.clone() />
            <input type="hidden" name="form[type]" value=input.kind.clone() />
            <p role="alert" class="text-sm text-red-400">{fixed}</p>
            <Field name="form[title]" id="title" label="Title" required=true value=input.title.clone() maxlength=150 error=error("title") />
            <TextArea name="form[description]" id="description" label="Description" value=input.description.clone().unwrap_or_default() error=error("description") hint="Up to 1000 characters" />
            <div class="grid gap-4 sm:grid-cols-3">
                <Field name="form[order]" id="order" label="Position in the module" kind="number" value=number(input.order) error=error("order") hint="1 is first; empty keeps it in place (a new item goes last)" />
                <Field name="form[duration]" id="duration" label="Duration (minutes)" kind="number" value=number(input.duration) error=error("duration") />
                <Select name="form[difficulty]" id="difficulty" label="Difficulty" options=options(Difficulty::ALL, Difficulty::as_str, Difficulty::label) selected=input.difficulty.clone() error=error("difficulty") />
            </div>
            <div class="grid gap-4 sm:grid-cols-2">
                <Field name="form[section]" id="section" label="Section" value=input.section.clone().unwrap_or_default() error=error("section") />
                <Field name="form[subsection]" id="subsection" label="Subsection" value=input.subsection.clone().unwrap_or_default() error=error("subsection") />
            </div>
            <ListField name="form[tags][]" id="tags" label="Tags" values=input.tags.clone() error=error("tags") hint="Up to 30 characters each" />
            {body}
            <fieldset class=GROUP>
                <legend class="px-1 font-semibold">"Completion"</legend>
                <div class="grid gap-4 sm:grid-cols-3">
                    <Select name="form[completionCriteria][type]" id="completion-type" label="Complete when" options=completion_kinds selected=criteria.kind.unwrap_or_default() error=error("completionCriteria.type") hint="Labs and games also need a pass" />
                    <Field name="form[completionCriteria][requiredPercentage]" id="required-percentage" label="Required percentage" kind="number" value=number(criteria.required_percentage) error=error("completionCriteria.requiredPercentage") hint="Of the video watched or the document read" />
                    <Field name="form[completionCriteria][requiredInteractions]" id="required-interactions" label="Required interactions" kind="number" value=number(criteria.required_interactions) error=error("completionCriteria.requiredInteractions") hint="Passes needed (interaction based)" />
                </div>
            </fieldset>
            <fieldset class=GROUP>
                <legend class="px-1 font-semibold">"Settings"</legend>
                <div class="grid gap-4 sm:grid-cols-3">
                    <YesNo name="form[isFree]" id="is-free" label="Free" value=input.is_free.unwrap_or(true) />
                    <YesNo name="form[settings][allowSkip]" id="allow-skip" label="Learners may skip it" value=settings.allow_skip />
                    <YesNo name="form[settings][allowDownload]" id="allow-download" label="Downloads allowed" value=settings.allow_download />
                    <YesNo name="form[settings][allowSpeedControl]" id="allow-speed" label="Playback speed control" value=settings.allow_speed_control />
                    <Field name="form[metadata][language]" id="language" label="Language" value=input.metadata.language.clone().unwrap_or_else(|| "en".into()) error=error("metadata.language") />
                </div>
            </fieldset>
            <div class="flex flex-wrap items-center gap-3">
                <FormFooter result=save.value() pending=save.pending() label="Save content" />
                <a href=back class="text-sm underline">"Cancel"</a>
            </div>
        </ActionForm>
    }
}

#[component]
fn VideoFields(input: ContentInput, errors: Memo<FieldErrors>) -> impl IntoView {
    let error = move |field: &'static str| error_in(errors, field);
    let c = input.content;
    view! {
        <fieldset class=GROUP>
            <legend class="px-1 font-semibold">"Video"</legend>
            <Field name="form[content][videoUrl]" id="video-url" label="Video address" value=c.video_url.unwrap_or_default() error=error("content.videoUrl") hint="A video needs an address or a video id" />
            <div class="grid gap-4 sm:grid-cols-2">
                <Field name="form[content][videoId]" id="video-id" label="Video id" value=c.video_id.unwrap_or_default() error=error("content.videoId") />
                <Field name="form[content][thumbnailUrl]" id="thumbnail-url" label="Thumbnail address" value=c.thumbnail_url.unwrap_or_default() error=error("content.thumbnailUrl") />
                <Field name="form[content][captions]" id="captions" label="Captions address" value=c.captions.unwrap_or_default() error=error("content.captions") />
                <Field name="form[metadata][resolution]" id="resolution" label="Resolution" value=input.metadata.resolution.unwrap_or_default() error=error("metadata.resolution") />
                <Field name="form[metadata][fileSize]" id="file-size" label="File size (bytes)" kind="number" value=number(input.metadata.file_size) error=error("metadata.fileSize") />
            </div>
        </fieldset>
    }
}

#[component]
fn LabFields(input: ContentInput, preview: Option<String>, errors: Memo<FieldErrors>) -> impl IntoView {
    let error = move |field: &'static str| error_in(errors, field);
    let c = input.content;
    view! {
        <fieldset class=GROUP>
            <legend class="px-1 font-semibold">"Lab"</legend>
            <MarkdownArea name="form[content][labInstructions]" id="lab-instructions" label="Instructions (markdown)" required=true value=c.lab_instructions.unwrap_or_default() stored=preview error=error("content.labInstructions") />
            <TextArea name="form[content][labEnvironment]" id="lab-environment" label="Environment (markdown)" value=c.lab_environment.unwrap_or_default() error=error("content.labEnvironment") hint="What the learner works in: a shell, a file, a web page" />
            <TextArea name="form[content][labSolution]" id="lab-solution" label="Solution (markdown)" value=c.lab_solution.unwrap_or_default() error=error("content.labSolution") hint="Shown only once the learner has solved the lab" />
            <ListField name="form[content][labHints][]" id="lab-hints" label="Hints, in the order they are revealed" values=c.lab_hints error=error("content.labHints") hint="Each hint taken costs the learner points" />
            <ListField name="form[content][labFlags][]" id="lab-flags" label="Accepted answers (flags)" values=c.lab_flags error=error("content.labFlags") hint="Never sent to the browser" />
        </fieldset>
    }
}

#[component]
fn DocumentFields(input: ContentInput, preview: Option<String>, errors: Memo<FieldErrors>) -> impl IntoView {
    let error = move |field: &'static str| error_in(errors, field);
    let c = input.content;
    view! {
        <fieldset class=GROUP>
            <legend class="px-1 font-semibold">"Document"</legend>
            <div class="grid gap-4 sm:grid-cols-2">
                <Select name="form[content][documentFormat]" id="document-format" label="Format" options=options(DocumentFormat::ALL, DocumentFormat::as_str, DocumentFormat::as_str) selected=c.document_format.unwrap_or_default() error=error("content.documentFormat") />
                <Field name="form[content][documentUrl]" id="document-url" label="Document address" value=c.document_url.unwrap_or_default() error=error("content.documentUrl") hint="A document needs its text or an address" />
            </div>
            <MarkdownArea name="form[content][documentContent]" id="document-content" label="Text" value=c.document_content.unwrap_or_default() stored=preview error=error("content.documentContent") />
        </fieldset>
    }
}

#[component]
fn GameFields(
    input: ContentInput,
    game: Option<GameType>,
    quiz: Option<QuizData>,
    json: String,
    errors: Memo<FieldErrors>,
) -> impl IntoView {
    let error = move |field: &'static str| error_in(errors, field);
    let c = input.content;
    let editor = match (game, quiz) {
        (Some(GameType::Quiz), Some(quiz)) => view! { <QuizEditor quiz errors /> }.into_any(),
        (Some(game), _) => view! { <JsonEditor game json errors /> }.into_any(),
        (None, _) => view! { <p role="alert" class="text-red-400">"This game has no game type."</p> }.into_any(),
    };
    view! {
        <fieldset class=GROUP>
            <legend class="px-1 font-semibold">{format!("Game: {}", game.map_or("unknown type", game_label))}</legend>
            <input type="hidden" name="form[content][gameType]" value=c.game_type.unwrap_or_default() />
            <TextArea name="form[content][gameInstructions]" id="game-instructions" label="Instructions" value=c.game_instructions.unwrap_or_default() error=error("content.gameInstructions") />
            <ListField name="form[content][gameObjectives][]" id="game-objectives" label="Objectives" values=c.game_objectives error=error("content.gameObjectives") />
            {editor}
        </fieldset>
    }
}

/// The quiz's questions as plain inputs: each existing question and one
/// blank one to add, each with its choices and two blank ones.
#[component]
fn QuizEditor(quiz: QuizData, errors: Memo<FieldErrors>) -> impl IntoView {
    let blank = QuizQuestion {
        id: String::new(),
        prompt: String::new(),
        choices: Vec::new(),
        correct: Vec::new(),
        explanation: String::new(),
    };
    let questions: Vec<QuizQuestion> = quiz.questions.into_iter().chain(std::iter::once(blank)).collect();
    let whole = move || errors.read().get(&format!("{GAME_DATA}.questions")).map(str::to_string);
    view! {
        <section class="flex flex-col gap-4" aria-labelledby="quiz-heading" data-testid="quiz-editor">
            <h2 id="quiz-heading" class="font-semibold">"Questions"</h2>
            <p class="text-xs text-muted">
                "Tick every correct choice (more than one makes it “select all that apply”). Blank choices are dropped; "
                "clear a question's prompt, choices and explanation to remove it. The last question is blank: fill it in to add one."
            </p>
            <Field name="quiz[passPercentage]" id="pass-percentage" label="Pass mark (% of questions right)" kind="number" value=quiz.pass_percentage.to_string() error=error_in(errors, format!("{GAME_DATA}.passPercentage")) />
            <p role="alert" class="text-sm text-red-400">{whole}</p>
            {questions.into_iter().enumerate().map(|(i, q)| view! { <QuestionEditor i q errors /> }).collect_view()}
        </section>
    }
}

#[component]
fn QuestionEditor(i: usize, q: QuizQuestion, errors: Memo<FieldErrors>) -> impl IntoView {
    let base = format!("quiz[questions][{i}]");
    let number = i + 1;
    let legend = if q.id.is_empty() { format!("Question {number} (new)") } else { format!("Question {number}") };
    let message = error_in(errors, format!("{GAME_DATA}.questions.{i}"));
    let error_id = format!("question-{i}-error");
    let described = error_id.clone();
    let slots = q.choices.len() + 2;
    let choices = q.choices.into_iter().chain(std::iter::repeat_n(String::new(), 2)).enumerate().map(|(j, text)| {
        let on = q.correct.contains(&j);
        let choice_id = format!("question-{i}-choice-{j}");
        view! {
            <div class="flex items-center gap-2">
                <label class="flex items-center gap-1 text-xs">
                    <input type="checkbox" name=format!("{base}[correct][]") value=j.to_string() checked=on aria-label=format!("Choice {} of question {number} is correct", j + 1) />
                    "correct"
                </label>
                <label for=choice_id.clone() class="sr-only">{format!("Choice {} of {slots}, question {number}", j + 1)}</label>
                <input id=choice_id name=format!("{base}[choices][{j}]") value=text class=format!("{CONTROL} flex-1") />
            </div>
        }
    });
    let choices = choices.collect_view();
    view! {
        <fieldset class="flex flex-col gap-2 rounded border border-line p-3" data-testid="quiz-question" aria-describedby=described>
            <legend class="px-1 text-sm font-semibold">{legend}</legend>
            <input type="hidden" name=format!("{base}[id]") value=q.id />
            <label for=format!("question-{i}-prompt") class="text-sm font-medium">"Prompt"</label>
            <textarea id=format!("question-{i}-prompt") name=format!("{base}[prompt]") rows=2 class=CONTROL>{q.prompt}</textarea>
            <fieldset class="flex flex-col gap-1">
                <legend class="text-sm font-medium">"Choices"</legend>
                {choices}
            </fieldset>
            <label for=format!("question-{i}-explanation") class="text-sm font-medium">"Explanation (shown after answering)"</label>
            <textarea id=format!("question-{i}-explanation") name=format!("{base}[explanation]") rows=2 class=CONTROL>{q.explanation}</textarea>
            <p id=error_id class="min-h-4 text-sm text-red-400" aria-live="polite">{move || message.get()}</p>
        </fieldset>
    }
}

/// What each JSON-edited game's data looks like.
fn shape(game: GameType) -> &'static str {
    match game {
        GameType::Quiz => {
            "{ questions: [{ id, prompt, choices: [..], correct: [indexes], explanation }], passPercentage }"
        }
        GameType::Scenario => {
            "{ start: the first step's id, passPercentage, steps: [{ id, title, narrative, choices: [{ id, text, \
             next: a step id (none ends the scenario), points, consequence }] }] } — every step reachable, no loops"
        }
        GameType::Puzzle => {
            "{ kind: \"order\", prompt, items: [in the right order] } or { kind: \"match\", prompt, pairs: [{ left, right }] }"
        }
        GameType::Simulation => {
            "{ brief, artifact (e.g. \"email\"), passPercentage, parts: [{ id, label, text, suspicious: true/false, explanation }] }"
        }
    }
}

/// A textarea holding the game's `gameData`; every message about it is
/// listed with its path inside the data.
#[component]
fn JsonEditor(game: GameType, json: String, errors: Memo<FieldErrors>) -> impl IntoView {
    let problems = move || {
        errors
            .read()
            .0
            .iter()
            .filter(|(k, _)| k.as_str() == GAME_DATA || k.starts_with(&format!("{GAME_DATA}.")))
            .map(|(k, m)| {
                let path = k.strip_prefix("content.").unwrap_or(k).to_string();
                view! { <li><code class="font-mono">{path}</code>": "{m.clone()}</li> }
            })
            .collect_view()
    };
    let invalid = move || {
        errors
            .read()
            .0
            .keys()
            .any(|k| k.as_str() == GAME_DATA || k.starts_with(&format!("{GAME_DATA}.")))
            .then_some("true")
    };
    view! {
        <div class="flex flex-col gap-1" data-testid="game-json-editor">
            <label for="game-json" class="text-sm font-medium">{format!("{} data (JSON)", game_label(game))}</label>
            <textarea id="game-json" name="game_json" rows=18 spellcheck="false" aria-invalid=invalid aria-describedby="game-json-help game-json-error" class=format!("{CONTROL} font-mono text-sm")>
                {json}
            </textarea>
            <p id="game-json-help" class="text-xs text-muted">{shape(game)}</p>
            <ul id="game-json-error" class="list-disc pl-5 text-sm text-red-400" aria-live="polite">{problems}</ul>
        </div>
    }
}

/// A markdown textarea with the saved text's rendering under it and a
/// Preview button (JavaScript) that renders what is typed now, through the
/// same renderer and sanitiser the learners' pages use.
#[component]
fn MarkdownArea(
    name: &'static str,
    id: &'static str,
    label: &'static str,
    value: String,
    stored: Option<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let area = NodeRef::<leptos::html::Textarea>::new();
    let preview = ServerAction::<PreviewMarkdown>::new();
    // The button does nothing before the page is interactive; say so by disabling it.
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));
    let show = move |_| {
        if let Some(element) = area.get() {
            preview.dispatch(PreviewMarkdown { text: element.value() });
        }
    };
    let preview_id = format!("{id}-preview");
    let rendered = move || {
        match preview.value().get() {
        Some(Ok(html)) => view! { <p class="text-xs text-muted">"Preview of the text above"</p><div class="prose-foothold" inner_html=html></div> }.into_any(),
        Some(Err(err)) => view! { <p role="alert" class="text-sm text-red-400">{err.to_string()}</p> }.into_any(),
        None => match stored.clone() {
            Some(html) => view! { <p class="text-xs text-muted">"Saved version, as learners see it"</p><div class="prose-foothold" inner_html=html></div> }.into_any(),
            None => view! { <p class="text-xs text-muted">"Nothing saved yet."</p> }.into_any(),
        },
    }
    };
    view! {
        <div class="flex flex-col gap-1">
            <label for=id class="text-sm font-medium">
                {label}
                {required.then(|| view! { <span class="text-muted" aria-hidden="true">" *"</span> })}
            </label>
            <textarea id=id name=name rows=12 node_ref=area aria-invalid=move || error.get().is_some().then_some("true") aria-describedby=format!("{id}-error") class=format!("{CONTROL} font-mono text-sm")>
                {value}
            </textarea>
            <p id=format!("{id}-error") class="min-h-4 text-sm text-red-400" aria-live="polite">{move || error.get()}</p>
            <div>
                <button type="button" class=BUTTON on:click=show disabled=move || !ready.get() || preview.pending().get() aria-controls=preview_id.clone()>
                    "Preview"
                </button>
            </div>
            <section id=preview_id aria-live="polite" aria-label=format!("{label}: preview") class="rounded border border-dashed border-line p-3" data-testid="markdown-preview">
                {rendered}
            </section>
        </div>
    }
}
