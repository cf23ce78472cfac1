//! Field validation shared by the server and the browser, with the data
//! model's own messages (`spec/data-model.md`); where the spec gives none,
//! Mongoose's default message for that validator, so every rule reads the same
//! as in the original application.
//!
//! Lengths count UTF-16 code units, as JavaScript's `String.length` (and so
//! Mongoose's `minlength`/`maxlength`) does.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::enums::Difficulty;

/// Problems with a submitted document, one message per field path
/// (`profile.website`, `tags.2`). The first problem found for a field wins.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors(pub BTreeMap<String, String>);

impl FieldErrors {
    pub fn new() -> Self {
        FieldErrors::default()
    }

    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.entry(field.into()).or_insert_with(|| message.into());
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// `Ok(value)` when nothing was added, else the errors.
    pub fn finish<T>(self, value: T) -> Result<T, FieldErrors> {
        if self.is_empty() { Ok(value) } else { Err(self) }
    }
}

impl std::fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let messages: Vec<&str> = self.0.values().map(String::as_str).collect();
        f.write_str(&messages.join(" "))
    }
}

/// JavaScript's `String.length`.
pub fn js_len(value: &str) -> usize {
    value.encode_utf16().count()
}

/// Mongoose's default `required` message.
pub fn default_required(path: &str) -> String {
    format!("Path `{path}` is required.")
}

/// Mongoose's default `min` message.
pub fn default_min(path: &str, value: f64, min: f64) -> String {
    format!("Path `{path}` ({}) is less than minimum allowed value ({}).", js_number(value), js_number(min))
}

/// Mongoose's default `max` message.
pub fn default_max(path: &str, value: f64, max: f64) -> String {
    format!("Path `{path}` ({}) is more than maximum allowed value ({}).", js_number(value), js_number(max))
}

/// Mongoose's default `enum` message.
pub fn default_enum(path: &str, value: &str) -> String {
    format!("`{value}` is not a valid enum value for path `{path}`.")
}

/// Mongoose's message when a value cannot be cast to a number.
pub fn cast_number(path: &str, value: &str) -> String {
    format!("Cast to Number failed for value \"{value}\" (type string) at path \"{path}\"")
}

/// A number as JavaScript prints it (`90`, not `90.0`).
fn js_number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 { format!("{}", value as i64) } else { format!("{value}") }
}

/// Validators that record into a [`FieldErrors`].
impl FieldErrors {
    /// Required text: missing or empty (after the trim the schema applies) fails.
    pub fn required(&mut self, field: &str, value: &str, message: &str) {
        if value.is_empty() {
            self.add(field, message);
        }
    }

    pub fn min_len(&mut self, field: &str, value: &str, min: usize, message: &str) {
        if !value.is_empty() && js_len(value) < min {
            self.add(field, message);
        }
    }

    pub fn max_len(&mut self, field: &str, value: &str, max: usize, message: &str) {
        if js_len(value) > max {
            self.add(field, message);
        }
    }

    /// Optional text with a maximum length.
    pub fn max_len_opt(&mut self, field: &str, value: Option<&str>, max: usize, message: &str) {
        if let Some(value) = value {
            self.max_len(field, value, max, message);
        }
    }

    /// Each element of a string array, reported as `field.N`.
    pub fn max_len_each(&mut self, field: &str, values: &[String], max: usize, message: &str) {
        for (i, value) in values.iter().enumerate() {
            self.max_len(&format!("{field}.{i}"), value, max, message);
        }
    }

    /// A number within `min..=max` (either bound optional), with Mongoose's default messages.
    pub fn range(&mut self, field: &str, value: f64, min: Option<f64>, max: Option<f64>) {
        if !value.is_finite() {
            self.add(field, cast_number(field, &value.to_string()));
            return;
        }
        if let Some(min) = min
            && value < min
        {
            self.add(field, default_min(field, value, min));
        }
        if let Some(max) = max
            && value > max
        {
            self.add(field, default_max(field, value, max));
        }
    }

    pub fn range_opt(&mut self, field: &str, value: Option<f64>, min: Option<f64>, max: Option<f64>) {
        if let Some(value) = value {
            self.range(field, value, min, max);
        }
    }

    pub fn check(&mut self, field: &str, ok: bool, message: &str) {
        if !ok {
            self.add(field, message);
        }
    }
}

/// A whole number at least `min`, or the Mongoose message for `field`.
pub fn whole_at_least(errors: &mut FieldErrors, field: &str, value: f64, min: f64) -> Option<i32> {
    errors.range(field, value, Some(min), Some(i32::MAX as f64));
    if value.is_finite() && value.fract() != 0.0 {
        errors.add(field, format!("Path `{field}` must be a whole number."));
    }
    (value.is_finite() && value >= min && value.fract() == 0.0 && value <= i32::MAX as f64).then_some(value as i32)
}

/// Trims each tag and drops empty ones, as Mongoose's `trim` plus our forms expect.
pub fn clean_list(values: &[String]) -> Vec<String> {
    values.iter().map(|v| v.trim().to_string()).filter(|v| !v.is_empty()).collect()
}

pub fn check_ids(errors: &mut FieldErrors, field: &str, ids: &[String]) {
    for (i, id) in ids.iter().enumerate() {
        if !is_object_id(id) {
            errors
                .add(format!("{field}.{i}"), format!("Cast to ObjectId failed for value \"{id}\" at path \"{field}\""));
        }
    }
}

/// `order` (required, whole, ≥ 1) and `difficulty` (required enum): shared by modules and content.
pub fn order_and_difficulty(
    e: &mut FieldErrors,
    order: Option<f64>,
    difficulty: &str,
) -> (Option<i32>, Option<Difficulty>) {
    let order = match order {
        None => {
            e.add("order", default_required("order"));
            None
        }
        Some(order) => whole_at_least(e, "order", order, 1.0),
    };
    let difficulty = if difficulty.is_empty() {
        e.add("difficulty", default_required("difficulty"));
        None
    } else {
        Difficulty::parse_field(e, "difficulty", difficulty)
    };
    (order, difficulty)
}

/// Mongoose's `trim: true`.
pub fn trim(value: &str) -> String {
    value.trim().to_string()
}

/// Mongoose's `lowercase: true` then `trim: true`.
pub fn lower_trim(value: &str) -> String {
    value.trim().to_lowercase()
}

/// Trims, and turns an empty optional text into `None`.
pub fn trim_opt(value: Option<&str>) -> Option<String> {
    value.map(str::trim).filter(|v| !v.is_empty()).map(str::to_string)
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// `^[a-zA-Z0-9_]+$`
pub fn is_valid_username_chars(value: &str) -> bool {
    !value.is_empty() && value.chars().all(is_word)
}

/// Runs of `\w` joined by single separators from `separators`:
/// `\w+([.-]?\w+)*` anchored at both ends. Returns the runs and the separator before each (after the first).
fn word_runs<'a>(value: &'a str, separators: &[char]) -> Option<Vec<(Option<char>, &'a str)>> {
    let mut runs = Vec::new();
    let mut start = 0;
    let mut separator = None;
    for (i, c) in value.char_indices() {
        if is_word(c) {
            continue;
        }
        if !separators.contains(&c) || i == start {
            return None; // foreign character, or an empty run (leading/double separator)
        }
        runs.push((separator, &value[start..i]));
        separator = Some(c);
        start = i + c.len_utf8();
    }
    if start == value.len() {
        return None; // empty (or trailing separator)
    }
    runs.push((separator, &value[start..]));
    Some(runs)
}

/// The spec's email pattern, `^\w+([\.-]?\w+)*@\w+([\.-]?\w+)*(\.\w{2,3})+$`,
/// without a regex engine in the browser bundle. A test checks it against the
/// regex itself on thousands of strings.
pub fn is_valid_email(value: &str) -> bool {
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    if word_runs(local, &['.', '-']).is_none() {
        return false;
    }
    let Some(runs) = word_runs(domain, &['.', '-']) else {
        return false;
    };
    // `(\.\w{2,3})+$` needs the domain to end in ".xx" or ".xxx" after at least one other run.
    match runs.as_slice() {
        [.., (Some('.'), last)] if runs.len() >= 2 => (2..=3).contains(&last.len()),
        _ => false,
    }
}

/// The spec's website pattern, `^https?:\/\/.+` (`.` does not match a line break).
pub fn is_valid_website(value: &str) -> bool {
    let rest = value.strip_prefix("https://").or_else(|| value.strip_prefix("http://"));
    match rest {
        Some(rest) => rest.chars().next().is_some_and(|c| !matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}')),
        None => false,
    }
}

/// `#rrggbb` or `#rgb`, for the spec's colour fields.
pub fn is_hex_color(value: &str) -> bool {
    value.strip_prefix('#').is_some_and(|hex| matches!(hex.len(), 3 | 6) && hex.chars().all(|c| c.is_ascii_hexdigit()))
}

/// A 24-character hex MongoDB ObjectId, as ids travel to and from the browser.
pub fn is_object_id(value: &str) -> bool {
    value.len() == 24 && value.chars().all(|c| c.is_ascii_hexdigit())
}

/// One case of a table-driven rule test: field, how to break a valid input, expected message.
#[cfg(test)]
pub(crate) type RuleCase<I> = (&'static str, fn(&mut I), &'static str);

/// Table-driven rule tests: each case changes a valid input and expects `message` on `field`.
#[cfg(test)]
pub(crate) fn assert_rules<I, V: std::fmt::Debug>(
    valid: fn() -> I,
    validate: fn(&I) -> Result<V, FieldErrors>,
    cases: &[RuleCase<I>],
) {
    for (field, change, message) in cases {
        let mut input = valid();
        change(&mut input);
        let errors = validate(&input).expect_err(&format!("{field}: broken input was accepted"));
        assert_eq!(errors.get(field), Some(*message), "{field}: {errors:?}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_count_like_javascript() {
        assert_eq!(js_len("abc"), 3);
        assert_eq!(js_len("é"), 1);
        assert_eq!(js_len("🔐"), 2, "astral characters are two UTF-16 units");
    }

    #[test]
    fn default_messages_match_mongoose() {
        assert_eq!(default_required("rewards.badge"), "Path `rewards.badge` is required.");
        assert_eq!(default_min("order", 0.0, 1.0), "Path `order` (0) is less than minimum allowed value (1).");
        assert_eq!(
            default_max("progress.percentage", 100.5, 100.0),
            "Path `progress.percentage` (100.5) is more than maximum allowed value (100)."
        );
        assert_eq!(default_enum("role", "root"), "`root` is not a valid enum value for path `role`.");
    }

    #[test]
    fn first_error_per_field_wins() {
        let mut errors = FieldErrors::new();
        errors.required("username", "", "Username is required");
        errors.add("username", "second");
        assert_eq!(errors.get("username"), Some("Username is required"));
        assert_eq!(errors.len(), 1);
        assert_eq!(errors.clone().finish(()), Err(errors));
        assert_eq!(FieldErrors::new().finish(5), Ok(5));
    }

    #[test]
    fn ranges_and_lengths() {
        let mut e = FieldErrors::new();
        e.range("a", 0.0, Some(1.0), None);
        e.range("b", 101.0, Some(0.0), Some(100.0));
        e.range("c", 50.0, Some(0.0), Some(100.0));
        e.range("d", f64::NAN, Some(0.0), None);
        e.max_len("e", &"x".repeat(31), 30, "too long");
        e.max_len("f", &"x".repeat(30), 30, "too long");
        e.min_len("g", "ab", 3, "too short");
        e.min_len("h", "", 3, "too short"); // empty is `required`'s business
        e.max_len_each("tags", &["ok".into(), "x".repeat(31)], 30, "Tag cannot exceed 30 characters");
        let fields: Vec<&str> = e.0.keys().map(String::as_str).collect();
        assert_eq!(fields, ["a", "b", "d", "e", "g", "tags.1"]);
    }

    #[test]
    fn usernames() {
        for ok in ["abc", "a_b_9", "ABC", "___"] {
            assert!(is_valid_username_chars(ok), "{ok}");
        }
        for bad in ["", "a b", "a-b", "a.b", "é", "a$", "a\n"] {
            assert!(!is_valid_username_chars(bad), "{bad:?}");
        }
    }

    #[test]
    fn emails_table() {
        for ok in [
            "ada@example.com",
            "a.b-c@mail.example.org",
            "x_y@a.co",
            "ada@example.co.uk",
            "a@b.cde",
            "1@2.34",
            "ada@my-host.net",
        ] {
            assert!(is_valid_email(ok), "{ok}");
        }
        for bad in [
            "",
            "ada",
            "@example.com",
            "ada@",
            "ada@example",
            "ada@example.c",
            "ada@example.info",
            "ada@example.museum",
            ".ada@example.com",
            "ada.@example.com",
            "a..b@example.com",
            "ada@-example.com",
            "ada@example.com.",
            "ada@example-.com",
            "ada@example-com",
            "a+b@example.com",
            "ada@exa mple.com",
            "ada@@example.com",
            "ada@b@example.com",
            "ädä@example.com",
        ] {
            assert!(!is_valid_email(bad), "{bad:?}");
        }
    }

    #[test]
    fn websites_colors_ids() {
        assert!(is_valid_website("https://example.com"));
        assert!(is_valid_website("http://x"));
        assert!(!is_valid_website("https://"));
        assert!(!is_valid_website("ftp://example.com"));
        assert!(!is_valid_website("example.com"));
        assert!(!is_valid_website("javascript:alert(1)"));
        assert!(is_hex_color("#00ff41") && is_hex_color("#FFF"));
        assert!(!is_hex_color("00ff41") && !is_hex_color("#00ff4") && !is_hex_color("#gggggg"));
        assert!(is_object_id("5f1d7f3a9b1e8a3c4d5e6f70"));
        assert!(!is_object_id("5f1d7f3a9b1e8a3c4d5e6f7") && !is_object_id("zz1d7f3a9b1e8a3c4d5e6f70"));
    }

    /// The hand-written email matcher agrees with the spec's regex on every
    /// string over a small alphabet up to length 7, plus random longer ones.
    #[test]
    fn email_matcher_agrees_with_the_spec_regex() {
        let spec = regex::Regex::new(r"^\w+([\.-]?\w+)*@\w+([\.-]?\w+)*(\.\w{2,3})+$").unwrap();
        let check = |s: &str| {
            // The regex crate's \w is Unicode; JavaScript's is ASCII. Restrict to ASCII input.
            assert_eq!(is_valid_email(s), spec.is_match(s), "{s:?}");
        };
        let alphabet = ['a', '1', '_', '.', '-', '@', '+'];
        let mut current = vec![String::new()];
        for _ in 0..7 {
            let mut next = Vec::with_capacity(current.len() * alphabet.len());
            for s in &current {
                for c in alphabet {
                    let t = format!("{s}{c}");
                    check(&t);
                    next.push(t);
                }
            }
            current = next;
        }
        // Longer strings from a fixed-seed generator.
        let mut seed: u64 = 0x5eed;
        let wide = ['a', 'b', 'z', '0', '9', '_', '.', '-', '@', '.', 'c', 'o', 'm'];
        for _ in 0..50_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = 5 + (seed % 20) as usize;
            let s: String = (0..len).map(|i| wide[((seed >> (i % 60)) as usize + i * 7) % wide.len()]).collect();
            check(&s);
        }
    }
}
