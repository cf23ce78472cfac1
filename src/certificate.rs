//! Certificate documents: an A4 landscape SVG drawn here, and the same
//! drawing as a PDF (svg2pdf, with the DejaVu Sans shipped in `fonts/`
//! embedded as a subset, so any name prints the same on every machine).
//!
//! Text is measured with the font's own advance widths: names and module
//! titles that are too long for a line get a smaller size, then a second
//! line, and only then are squeezed to fit.

use std::sync::{Arc, OnceLock};

const REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");
const FONT_STACK: &str = "'DejaVu Sans', Verdana, 'Segoe UI', Arial, sans-serif";

/// Page size in CSS pixels (A4 landscape at 96 dpi).
const WIDTH: f64 = 1123.0;
const HEIGHT: f64 = 794.0;
const CENTER: f64 = WIDTH / 2.0;
/// Widest a centred line may be.
const TEXT_WIDTH: f64 = 900.0;
/// Lowest baseline of the body text, clear of the footer.
const BODY_BOTTOM: f64 = 582.0;

const INK: &str = "#0a0f0b";
const MUTED: &str = "#4b5a50";
const ACCENT: &str = "#00ff41";
/// The accent darkened for text on white (contrast 5.6:1).
const ACCENT_TEXT: &str = "#00772a";

/// What a certificate says.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub id: String,
    pub holder: String,
    pub module_title: String,
    pub phase_title: String,
    pub difficulty: String,
    /// e.g. "25 November 2026".
    pub completed_on: String,
    /// e.g. "3 h 20 min".
    pub study_time: String,
    /// Absolute address of the public verification page.
    pub verify_url: String,
}

/// The certificate as a standalone SVG document.
pub fn svg(doc: &Document) -> String {
    let mut out = String::with_capacity(16 * 1024);
    let title = format!("Certificate of completion: {} — {}", doc.holder, doc.module_title);
    out.push_str(&format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="297mm" height="210mm" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" font-family="{FONT_STACK}"><title>{}</title>"#,
        escape(&title)
    ));
    // Paper, frame and header band.
    out.push_str(&format!(
        r##"<rect width="{WIDTH}" height="{HEIGHT}" fill="#f4f7f4"/><rect x="24" y="24" width="1075" height="746" fill="#ffffff" stroke="{INK}" stroke-width="2"/><rect x="34" y="34" width="1055" height="726" fill="none" stroke="{ACCENT}" stroke-width="1.5"/><rect x="34" y="34" width="1055" height="96" fill="{INK}"/>"##
    ));
    out.push_str(&text(72.0, 95.0, "start", 34.0, true, ACCENT, "&gt;_ FOOTHOLD", Some(6.0)));
    out.push_str(&text(1051.0, 90.0, "end", 15.0, false, "#c8d5cb", "CYBERSECURITY TRAINING", Some(3.0)));
    out.push_str(&text(CENTER, 208.0, "middle", 30.0, true, INK, "CERTIFICATE OF COMPLETION", Some(8.0)));
    out.push_str(&format!(r#"<rect x="{}" y="228" width="120" height="4" fill="{ACCENT}"/>"#, CENTER - 60.0));
    // The body: drawn from y = 290 down, then lifted (by up to 28 px) when
    // wrapped lines would run into the footer.
    let mut body = text(CENTER, 290.0, "middle", 20.0, false, MUTED, "This certifies that", None);
    let mut y = centred_block(&mut body, &doc.holder, 362.0, 54.0, 28.0, INK);
    body.push_str(&text(CENTER, y + 48.0, "middle", 20.0, false, MUTED, "has successfully completed the module", None));
    y = centred_block(&mut body, &doc.module_title, y + 112.0, 38.0, 24.0, ACCENT_TEXT);
    let meta = format!("{} · {} · {} of study", doc.phase_title, doc.difficulty, doc.study_time);
    let meta_size = fitted_size(&meta, false, 18.0, 12.0);
    y += 44.0;
    body.push_str(&text_fitted(CENTER, y, meta_size, false, MUTED, &meta));
    let lift = (y - BODY_BOTTOM).clamp(0.0, 28.0);
    if lift > 0.0 {
        out.push_str(&format!(r#"<g transform="translate(0 -{lift})">{body}</g>"#));
    } else {
        out.push_str(&body);
    }
    // Footer: date and id on the left, the verification code on the right.
    out.push_str(&text(90.0, 624.0, "start", 12.0, false, MUTED, "COMPLETED ON", Some(2.0)));
    out.push_str(&text(90.0, 650.0, "start", 20.0, true, INK, &escape(&doc.completed_on), None));
    out.push_str(&text(90.0, 688.0, "start", 12.0, false, MUTED, "CERTIFICATE ID", Some(2.0)));
    out.push_str(&text(90.0, 712.0, "start", 18.0, true, INK, &escape(&doc.id), Some(1.0)));
    let verify = format!("Verify this certificate at {}", doc.verify_url);
    let verify_size = fitted_size(&verify, false, 13.0, 8.0).min(13.0);
    out.push_str(&text(CENTER, 748.0, "middle", verify_size, false, MUTED, &escape(&verify), None));
    out.push_str(&qr(&doc.verify_url, 931.0, 596.0, 120.0));
    out.push_str(&text(991.0, 734.0, "middle", 11.0, false, MUTED, "Scan to verify", None));
    out.push_str("</svg>");
    out
}

/// The certificate as a PDF (one A4 landscape page).
pub fn pdf(doc: &Document) -> Result<Vec<u8>, String> {
    let mut options = svg2pdf::usvg::Options { fontdb: fonts(), ..Default::default() };
    options.font_family = "DejaVu Sans".into();
    let tree = svg2pdf::usvg::Tree::from_str(&svg(doc), &options).map_err(|e| e.to_string())?;
    svg2pdf::to_pdf(&tree, svg2pdf::ConversionOptions::default(), svg2pdf::PageOptions::default())
        .map_err(|e| e.to_string())
}

fn fonts() -> Arc<svg2pdf::usvg::fontdb::Database> {
    static FONTS: OnceLock<Arc<svg2pdf::usvg::fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = svg2pdf::usvg::fontdb::Database::new();
            db.load_font_data(REGULAR.to_vec());
            db.load_font_data(BOLD.to_vec());
            db.set_sans_serif_family("DejaVu Sans");
            Arc::new(db)
        })
        .clone()
}

/// Width of `s` at `size` pixels in DejaVu Sans (bold or regular).
fn measure(s: &str, bold: bool, size: f64) -> f64 {
    static FACES: OnceLock<Option<(ttf_parser::Face<'static>, ttf_parser::Face<'static>)>> = OnceLock::new();
    let faces =
        FACES.get_or_init(|| Some((ttf_parser::Face::parse(REGULAR, 0).ok()?, ttf_parser::Face::parse(BOLD, 0).ok()?)));
    let Some((regular, bold_face)) = faces else {
        return s.chars().count() as f64 * size * 0.62;
    };
    let face = if bold { bold_face } else { regular };
    let em = f64::from(face.units_per_em());
    let units: f64 = s
        .chars()
        .map(|c| {
            face.glyph_index(c)
                .and_then(|g| face.glyph_hor_advance(g))
                .map_or(f64::from(face.units_per_em()) * 0.6, f64::from)
        })
        .sum();
    units / em * size
}

/// The largest size ≤ `base` (and ≥ `min`) at which `s` fits the text width.
fn fitted_size(s: &str, bold: bool, base: f64, min: f64) -> f64 {
    let at_base = measure(s, bold, base);
    if at_base <= TEXT_WIDTH { base } else { (base * TEXT_WIDTH / at_base).floor().max(min) }
}

/// Draws `s` centred at `y` on one line, or two when one would be too small;
/// returns the baseline of the last line.
fn centred_block(out: &mut String, s: &str, y: f64, base: f64, min: f64, fill: &str) -> f64 {
    let one_line = fitted_size(s, true, base, min);
    if measure(s, true, one_line) <= TEXT_WIDTH || !s.contains(' ') {
        out.push_str(&text_fitted(CENTER, y, one_line, true, fill, s));
        return y;
    }
    let (first, second) = split_near_middle(s);
    let size = fitted_size(first, true, base, min).min(fitted_size(second, true, base, min)).min((base * 0.82).floor());
    let second_y = y + size * 1.2;
    out.push_str(&text_fitted(CENTER, y, size, true, fill, first));
    out.push_str(&text_fitted(CENTER, second_y, size, true, fill, second));
    second_y
}

/// Splits at the space closest to the middle.
fn split_near_middle(s: &str) -> (&str, &str) {
    let middle = s.len() / 2;
    let at = s.match_indices(' ').map(|(i, _)| i).min_by_key(|i| i.abs_diff(middle)).unwrap_or(s.len());
    (s[..at].trim_end(), s[at..].trim_start())
}

/// A centred line of `s` (unescaped) at `size`, squeezed to the text width if it still overflows.
fn text_fitted(x: f64, y: f64, size: f64, bold: bool, fill: &str, s: &str) -> String {
    let squeeze = if measure(s, bold, size) > TEXT_WIDTH {
        format!(r#" textLength="{TEXT_WIDTH}" lengthAdjust="spacingAndGlyphs""#)
    } else {
        String::new()
    };
    format!(
        r#"<text x="{x}" y="{y}" text-anchor="middle" font-size="{size}"{weight} fill="{fill}"{squeeze}>{}</text>"#,
        escape(s),
        weight = if bold { r#" font-weight="bold""# } else { "" },
    )
}

/// A line of already-escaped `markup`.
#[allow(clippy::too_many_arguments)]
fn text(x: f64, y: f64, anchor: &str, size: f64, bold: bool, fill: &str, markup: &str, spacing: Option<f64>) -> String {
    format!(
        r#"<text x="{x}" y="{y}" text-anchor="{anchor}" font-size="{size}"{weight}{spacing} fill="{fill}">{markup}</text>"#,
        weight = if bold { r#" font-weight="bold""# } else { "" },
        spacing = spacing.map(|s| format!(r#" letter-spacing="{s}""#)).unwrap_or_default(),
    )
}

/// A QR code of `data` as one vector path, `size` pixels square with its quiet zone.
fn qr(data: &str, x: f64, y: f64, size: f64) -> String {
    let Ok(code) = qrcode::QrCode::new(data.as_bytes()) else {
        return String::new();
    };
    let width = code.width();
    let colors = code.to_colors();
    let mut path = String::new();
    for (i, color) in colors.iter().enumerate() {
        if *color == qrcode::Color::Dark {
            path.push_str(&format!("M{} {}h1v1h-1z", i % width + 4, i / width + 4));
        }
    }
    let scale = size / (width + 8) as f64;
    format!(
        r##"<g transform="translate({x} {y}) scale({scale:.4})"><rect width="{q}" height="{q}" fill="#ffffff"/><path d="{path}" fill="{INK}"/></g>"##,
        q = width + 8
    )
}

/// Escapes text for XML content and attribute values.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters are not allowed in XML 1.0.
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Document {
        Document {
            id: "FH-7KQ2M-A0B1C-DEFGH-JKMNP-QRSTV".into(),
            holder: "Ada Lovelace".into(),
            module_title: "Linux Fundamentals".into(),
            phase_title: "Foundations".into(),
            difficulty: "Beginner".into(),
            completed_on: "25 November 2026".into(),
            study_time: "3 h 20 min".into(),
            verify_url: "https://foothold.example/certificates/FH-7KQ2M-A0B1C-DEFGH-JKMNP-QRSTV".into(),
        }
    }

    #[test]
    fn the_svg_says_who_completed_what_and_how_to_verify_it() {
        let svg = svg(&sample());
        for expected in [
            "Ada Lovelace",
            "Linux Fundamentals",
            "Foundations · Beginner · 3 h 20 min of study",
            "25 November 2026",
            "FH-7KQ2M-A0B1C-DEFGH-JKMNP-QRSTV",
            "Verify this certificate at https://foothold.example/certificates/",
        ] {
            assert!(svg.contains(expected), "{expected}");
        }
        assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>"));
        assert!(svg.contains("<path d=\"M"), "the QR code is drawn");
    }

    #[test]
    fn names_are_escaped_not_markup() {
        let mut doc = sample();
        doc.holder = "<script>alert(1)</script> & \"friends\"\u{7}".into();
        let svg = svg(&doc);
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;friends&quot;"));
        assert!(!svg.contains('\u{7}'));
    }

    #[test]
    fn long_titles_shrink_then_wrap_then_squeeze() {
        let short = fitted_size("Linux Fundamentals", true, 38.0, 24.0);
        assert_eq!(short, 38.0);
        let long = "Advanced Persistent Threat Hunting with Memory Forensics and Network Telemetry in Hybrid Clouds";
        let mut out = String::new();
        let last = centred_block(&mut out, long, 400.0, 38.0, 24.0, INK);
        assert!(last > 400.0, "wrapped onto a second line");
        assert_eq!(out.matches("<text").count(), 2);
        for line in out.split("</text>").filter(|l| l.contains("<text")) {
            let size: f64 =
                line.split("font-size=\"").nth(1).and_then(|r| r.split('"').next()).unwrap().parse().unwrap();
            let content = line.rsplit('>').next().unwrap();
            assert!(measure(content, true, size) <= TEXT_WIDTH || line.contains("textLength"), "{line}");
        }
        let unbroken = "A".repeat(120);
        let mut out = String::new();
        centred_block(&mut out, &unbroken, 400.0, 54.0, 28.0, INK);
        assert!(out.contains("textLength=\"900\""), "no space to wrap at: squeezed");
    }

    #[test]
    fn the_longest_names_and_titles_stay_clear_of_the_footer() {
        let mut doc = sample();
        doc.holder = "Maximilian Alexander Konstantin von Hohenzollern-Sigmaringen".into();
        doc.module_title = "Advanced Persistent Threat Hunting with Memory Forensics and Network Telemetry".into();
        let svg = svg(&doc);
        let lift: f64 = svg.split("translate(0 -").nth(1).and_then(|r| r.split(')').next()).unwrap().parse().unwrap();
        let body = svg.split("translate(0 -").nth(1).unwrap().split("</g>").next().unwrap();
        let lowest =
            body.split("y=\"").skip(1).filter_map(|r| r.split('"').next()?.parse::<f64>().ok()).fold(0.0, f64::max);
        assert!(lowest - lift <= BODY_BOTTOM, "lowest body line at {}", lowest - lift);
    }

    #[test]
    fn measured_widths_follow_the_font() {
        assert!(measure("WWWW", true, 20.0) > measure("iiii", true, 20.0));
        assert!(measure("abc", true, 20.0) > measure("abc", false, 20.0));
        let w = measure("Ada", false, 10.0);
        assert!((measure("Ada", false, 20.0) - 2.0 * w).abs() < 1e-9);
    }

    #[test]
    fn the_pdf_is_one_page_with_the_font_embedded() {
        let mut doc = sample();
        doc.holder = "Zoë Ångström-Øvergård".into();
        let pdf = pdf(&doc).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&pdf);
        assert_eq!(text.matches("/Type /Page").count() - text.matches("/Type /Pages").count(), 1, "one page");
        assert!(text.contains("DejaVu"), "the font is embedded");
        assert!(pdf.len() < 200_000, "{} bytes", pdf.len());
    }
}
