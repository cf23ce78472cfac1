//! Two-factor authentication: time-based one-time codes (RFC 6238 over
//! HMAC-SHA1, 6 digits, 30-second steps — what every authenticator app
//! reads from an `otpauth://` QR code) and single-use recovery codes.
//!
//! The secret is 160 random bits (RFC 4226's recommendation). A code is
//! accepted for the current step and one step either side (clock drift);
//! the caller records the step it matched so the same code cannot be used
//! twice. Recovery codes are stored only as SHA-256 hashes.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use data_encoding::{BASE32_NOPAD, BASE64};
use hmac::{Hmac, Mac};
use sha1::Sha1;

/// Seconds per code.
pub const STEP_SECONDS: i64 = 30;
/// Digits per code.
pub const DIGITS: u32 = 6;
/// Steps either side of now that are still accepted.
pub const DRIFT_STEPS: i64 = 1;
/// Recovery codes handed out at a time.
pub const RECOVERY_CODES: usize = 10;
/// The issuer shown in authenticator apps.
pub const ISSUER: &str = "Foothold";

/// A new random secret, base32 without padding (32 characters).
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    OsRng.fill_bytes(&mut bytes);
    BASE32_NOPAD.encode(&bytes)
}

/// The time step of a Unix time in seconds.
pub fn step_at(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(STEP_SECONDS)
}

/// The code of `step` for a base32 `secret` (RFC 4226 dynamic truncation);
/// `None` when the secret is not valid base32.
pub fn code_at(secret: &str, step: i64) -> Option<String> {
    let key = BASE32_NOPAD.decode(secret.as_bytes()).ok()?;
    let mut mac = Hmac::<Sha1>::new_from_slice(&key).ok()?;
    mac.update(&step.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest[digest.len() - 1] & 0x0f);
    let word = u32::from_be_bytes([digest[offset], digest[offset + 1], digest[offset + 2], digest[offset + 3]]);
    let code = (word & 0x7fff_ffff) % 10u32.pow(DIGITS);
    Some(format!("{code:0width$}", width = DIGITS as usize))
}

/// The step whose code is `typed` (spaces and dashes ignored), looking
/// [`DRIFT_STEPS`] either side of `now_step`; `None` when none matches.
/// Every candidate is computed and compared in constant time, so timing
/// does not tell which step (if any) matched.
pub fn matching_step(secret: &str, typed: &str, now_step: i64) -> Option<i64> {
    let typed: String = typed.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    if typed.len() != DIGITS as usize || !typed.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut found = None;
    for step in (now_step - DRIFT_STEPS)..=(now_step + DRIFT_STEPS) {
        let expected = code_at(secret, step)?;
        if constant_time_eq(expected.as_bytes(), typed.as_bytes()) && found.is_none() {
            found = Some(step);
        }
    }
    found
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The `otpauth://` address an authenticator app reads from the QR code.
pub fn otpauth_uri(secret: &str, account: &str) -> String {
    let label = percent_encode(&format!("{ISSUER}:{account}"));
    format!(
        "otpauth://totp/{label}?secret={secret}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
        percent_encode(ISSUER)
    )
}

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => char::from(b).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The QR code of `uri` as an SVG image in a `data:` address (the page's
/// policy allows `data:` images, and an `<img>` can carry alt text).
pub fn qr_data_uri(uri: &str) -> Option<String> {
    let code = qrcode::QrCode::new(uri.as_bytes()).ok()?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(220, 220)
        .dark_color(qrcode::render::svg::Color("#000000"))
        .light_color(qrcode::render::svg::Color("#ffffff"))
        .build();
    Some(format!("data:image/svg+xml;base64,{}", BASE64.encode(svg.as_bytes())))
}

/// The secret in groups of four, easier to type into an app by hand.
pub fn grouped(secret: &str) -> String {
    secret.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ")
}

/// Fresh recovery codes as shown to the learner (`xxxxx-xxxxx`, 50 random bits each).
pub fn new_recovery_codes() -> Vec<String> {
    (0..RECOVERY_CODES)
        .map(|_| {
            let mut bytes = [0u8; 7];
            OsRng.fill_bytes(&mut bytes);
            let text = BASE32_NOPAD.encode(&bytes).to_lowercase();
            format!("{}-{}", &text[..5], &text[5..10])
        })
        .collect()
}

/// What is stored for a recovery code: the SHA-256 of its letters and
/// digits, lowercased (so dashes, spaces and case do not matter when typed).
pub fn recovery_hash(code: &str) -> String {
    let normal: String = code.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect();
    super::reset::token_hash(&normal)
}

/// Whether `typed` looks like a one-time code (digits) rather than a recovery code.
pub fn looks_like_code(typed: &str) -> bool {
    let digits: String = typed.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B's SHA-1 key, "12345678901234567890", in base32.
    const RFC_SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    #[test]
    fn codes_match_the_rfc_6238_test_vectors() {
        // The RFC lists 8-digit codes; 6-digit codes are their last six digits.
        for (time, code) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (1_111_111_111, "050471"),
            (1_234_567_890, "005924"),
            (2_000_000_000, "279037"),
            (20_000_000_000, "353130"),
        ] {
            assert_eq!(code_at(RFC_SECRET, step_at(time)).as_deref(), Some(code), "time {time}");
        }
    }

    #[test]
    fn a_code_is_accepted_one_step_either_side_and_no_further() {
        let now = step_at(1_234_567_890);
        let code = code_at(RFC_SECRET, now).unwrap();
        assert_eq!(matching_step(RFC_SECRET, &code, now), Some(now));
        assert_eq!(matching_step(RFC_SECRET, &code, now + 1), Some(now));
        assert_eq!(matching_step(RFC_SECRET, &code, now - 1), Some(now));
        assert_eq!(matching_step(RFC_SECRET, &code, now + 2), None);
        assert_eq!(matching_step(RFC_SECRET, &format!("{} {}", &code[..3], &code[3..]), now), Some(now));
        for bad in ["", "12345", "1234567", "abcdef", "00592４"] {
            assert_eq!(matching_step(RFC_SECRET, bad, now), None, "{bad:?}");
        }
        assert_eq!(matching_step("not base32!", "123456", now), None);
    }

    #[test]
    fn secrets_and_addresses_are_what_apps_expect() {
        let secret = new_secret();
        assert_eq!(secret.len(), 32);
        assert_eq!(BASE32_NOPAD.decode(secret.as_bytes()).unwrap().len(), 20);
        assert_ne!(secret, new_secret());
        assert_eq!(
            otpauth_uri("ABC", "ada lovelace"),
            "otpauth://totp/Foothold%3Aada%20lovelace?secret=ABC&issuer=Foothold&algorithm=SHA1&digits=6&period=30"
        );
        assert_eq!(grouped("ABCDEFGHIJ"), "ABCD EFGH IJ");
        let qr = qr_data_uri(&otpauth_uri(&secret, "ada")).unwrap();
        let svg = BASE64.decode(qr.trim_start_matches("data:image/svg+xml;base64,").as_bytes()).unwrap();
        assert!(String::from_utf8(svg).unwrap().contains("<svg"));
    }

    #[test]
    fn recovery_codes_are_distinct_and_typed_loosely() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        let unique: std::collections::HashSet<_> = codes.iter().collect();
        assert_eq!(unique.len(), RECOVERY_CODES);
        assert!(codes.iter().all(|c| c.len() == 11 && c.as_bytes()[5] == b'-'));
        assert_eq!(recovery_hash("abcde-fghij"), recovery_hash(" ABCDE FGHIJ "));
        assert_ne!(recovery_hash("abcde-fghij"), recovery_hash("abcde-fghik"));
        assert!(looks_like_code("123 456") && !looks_like_code("abcde-fghij") && !looks_like_code(""));
    }
}
