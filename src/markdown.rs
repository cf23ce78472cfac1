//! Learning text to safe HTML: markdown (CommonMark with tables) or HTML from
//! content authors, always passed through `ammonia`'s allow-list, so no
//! script, event handler, `javascript:` URL or style can reach a page.

use pulldown_cmark::{Options, Parser, html};

use crate::model::DocumentFormat;
use crate::model::learn::DocSection;

/// Markdown → sanitised HTML.
pub fn to_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut out = String::new();
    html::push_html(&mut out, Parser::new_ext(markdown, options));
    sanitise(&out)
}

/// Author HTML → sanitised HTML.
pub fn sanitise(html: &str) -> String {
    ammonia::Builder::default().link_rel(Some("noopener noreferrer nofollow")).clean(html).to_string()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// A document split at its second-level headings (`## `, outside code
/// blocks); text before the first heading becomes a section called `intro`.
/// HTML and plain text are one section each.
pub fn sections(source: &str, format: DocumentFormat, intro: &str) -> Vec<DocSection> {
    match format {
        DocumentFormat::Markdown => split_markdown(source)
            .into_iter()
            .map(|(title, body)| DocSection { title: title.unwrap_or_else(|| intro.to_string()), html: to_html(&body) })
            .collect(),
        DocumentFormat::Html => vec![DocSection { title: intro.to_string(), html: sanitise(source) }],
        DocumentFormat::Text => vec![DocSection {
            title: intro.to_string(),
            html: source.split("\n\n").map(|p| format!("<p>{}</p>", escape(p.trim()))).collect(),
        }],
        DocumentFormat::Pdf => Vec::new(),
    }
}

fn split_markdown(source: &str) -> Vec<(Option<String>, String)> {
    let mut parts: Vec<(Option<String>, String)> = vec![(None, String::new())];
    let mut fence: Option<&str> = None;
    for line in source.lines() {
        let trimmed = line.trim_start();
        match fence {
            Some(marker) if trimmed.starts_with(marker) => fence = None,
            Some(_) => {}
            None if trimmed.starts_with("```") => fence = Some("```"),
            None if trimmed.starts_with("~~~") => fence = Some("~~~"),
            None => {
                if let Some(title) = line.strip_prefix("## ") {
                    parts.push((Some(title.trim().trim_end_matches('#').trim().to_string()), String::new()));
                    continue;
                }
            }
        }
        if let Some((_, body)) = parts.last_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    if parts.first().is_some_and(|(_, body)| body.trim().is_empty()) {
        parts.remove(0);
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_handlers_and_javascript_urls_never_survive() {
        let nasty = [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[click](javascript:alert(1))",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<iframe src=\"https://evil.example\"></iframe>",
            "<svg onload=alert(1)>",
            "<p style=\"background:url(javascript:alert(1))\">x</p>",
        ];
        for input in nasty {
            let out = to_html(input).to_lowercase();
            for bad in ["<script", "onerror", "onload", "javascript:", "<iframe", "style="] {
                assert!(!out.contains(bad), "{input:?} gave {out:?}");
            }
        }
    }

    #[test]
    fn markdown_keeps_tables_code_and_safe_links() {
        let out = to_html("| a | b |\n|---|---|\n| 1 | 2 |\n\n`code` [site](https://example.com)");
        assert!(out.contains("<table>"));
        assert!(out.contains("<code>code</code>"));
        assert!(out.contains("href=\"https://example.com\""));
        assert!(out.contains("rel=\"noopener noreferrer nofollow\""));
    }

    #[test]
    fn documents_split_at_second_level_headings_outside_code() {
        let doc = "Intro text\n\n## First\nA\n```\n## not a heading\n```\n## Second ##\nB\n";
        let sections = sections(doc, DocumentFormat::Markdown, "Overview");
        let titles: Vec<&str> = sections.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, ["Overview", "First", "Second"]);
        assert!(sections[1].html.contains("## not a heading"));
        let no_intro = super::sections("## Only\ntext", DocumentFormat::Markdown, "Overview");
        assert_eq!(no_intro.len(), 1);
        assert_eq!(no_intro[0].title, "Only");
    }

    #[test]
    fn html_and_text_are_one_sanitised_section() {
        let html = sections("<h2>T</h2><script>x</script><p>ok</p>", DocumentFormat::Html, "Doc");
        assert_eq!(html.len(), 1);
        assert!(!html[0].html.contains("script"));
        let text = sections("a < b\n\nsecond", DocumentFormat::Text, "Doc");
        assert_eq!(text[0].html, "<p>a &lt; b</p><p>second</p>");
        assert!(sections("", DocumentFormat::Pdf, "Doc").is_empty());
    }

    mod generated {
        use proptest::prelude::*;

        /// Pieces attackers use, mixed with markdown syntax and noise.
        const PIECES: &[&str] = &[
            "<script>alert(1)</script>",
            "<SCRIPT SRC=//evil.example/x.js>",
            "<scr<script>ipt>",
            "<img src=x onerror=alert(1)>",
            "<img src=\"javascript:alert(1)\">",
            "<a href=\"jav&#x09;ascript:alert(1)\">",
            "<a href=\"&#106;avascript:alert(1)\">x</a>",
            "<a href=\" javascript:alert(1)\">",
            "<a href=\"vbscript:x\">",
            "<a href=\"data:text/html;base64,PHNjcmlwdD4=\">",
            "[x](javascript:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "[x]( javascript:alert(1) )",
            "![i](javascript:alert(1))",
            "<javascript:alert(1)>",
            "<svg/onload=alert(1)>",
            "<svg><script>alert(1)</script></svg>",
            "<math><mi xlink:href=\"javascript:alert(1)\">",
            "<iframe src=x>",
            "<object data=x>",
            "<embed src=x>",
            "<style>*{}</style>",
            "<link rel=stylesheet href=x>",
            "<meta http-equiv=refresh content=0;url=x>",
            "<form action=x><input name=a>",
            "<base href=//evil.example/>",
            "<p style=\"x:expression(alert(1))\">",
            "<div onclick=\"alert(1)\">",
            "<body onload=alert(1)>",
            "<details open ontoggle=alert(1)>",
            "<!-- <script>x</script> -->",
            "<![CDATA[<script>x</script>]]>",
            "\"><script>x</script>",
            "' onmouseover='alert(1)",
            "```\n<script>x</script>\n```",
            "`<script>`",
            "## heading\n",
            "\n\n",
            "| a | b |\n|---|---|\n| <script> | x |\n",
            "> quote <img onerror=x src=y>\n",
            "* item\n",
            "[ref]: javascript:alert(1)\n[ref]\n",
            "&lt;script&gt;",
            "\u{0}",
            "<",
            ">",
            "\"",
            "=",
        ];

        fn piece() -> impl Strategy<Value = String> {
            prop_oneof![
                3 => prop::sample::select(PIECES).prop_map(str::to_string),
                1 => "[a-zA-Z0-9 <>=\"'/:;&#()\\[\\]*_`!\n-]{0,24}",
            ]
        }

        fn document() -> impl Strategy<Value = String> {
            prop::collection::vec(piece(), 1..14).prop_map(|pieces| pieces.concat())
        }

        /// Every tag in sanitised output, as (name, [(attribute, value)]).
        /// The output comes from html5ever's serialiser: attributes are
        /// double-quoted and a quote inside a value is `&quot;`.
        fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
            let tag = regex::Regex::new(r#"<([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s=>/]+(?:="[^"]*")?)*)\s*/?>"#).unwrap();
            let attribute = regex::Regex::new(r#"([^\s=>/]+)(?:="([^"]*)")?"#).unwrap();
            tag.captures_iter(html)
                .map(|c| {
                    let attributes = attribute
                        .captures_iter(&c[2])
                        .map(|a| (a[1].to_lowercase(), a.get(2).map_or(String::new(), |v| v.as_str().to_string())))
                        .collect();
                    (c[1].to_lowercase(), attributes)
                })
                .collect()
        }

        fn check(input: &str, html: &str) -> Result<(), TestCaseError> {
            for forbidden in [
                "<script", "<iframe", "<object", "<embed", "<style", "<link", "<meta", "<form", "<base", "<svg",
                "<math",
            ] {
                prop_assert!(!html.to_lowercase().contains(forbidden), "{input:?} gave {html:?}");
            }
            for (name, attributes) in tags(html) {
                for (attribute, value) in attributes {
                    prop_assert!(!attribute.starts_with("on"), "<{name} {attribute}> from {input:?}: {html:?}");
                    prop_assert!(attribute != "style", "<{name} style> from {input:?}: {html:?}");
                    if matches!(attribute.as_str(), "href" | "src" | "action" | "formaction" | "xlink:href") {
                        // What a browser would see: entities decoded, whitespace and controls dropped.
                        let seen: String = value
                            .replace("&amp;", "&")
                            .chars()
                            .filter(|c| !c.is_whitespace() && !c.is_control())
                            .collect::<String>()
                            .to_lowercase();
                        let scheme = seen.split_once(':').map(|(s, _)| s).filter(|s| !s.contains(['/', '?', '#']));
                        prop_assert!(
                            !scheme.is_some_and(|s| matches!(
                                s,
                                "javascript" | "vbscript" | "data" | "livescript" | "file"
                            )),
                            "<{name} {attribute}={value:?}> from {input:?}"
                        );
                    }
                }
            }
            Ok(())
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

            #[test]
            fn markdown_never_yields_scripts_handlers_or_script_urls(doc in document()) {
                check(&doc, &super::to_html(&doc))?;
            }

            #[test]
            fn html_documents_never_yield_scripts_handlers_or_script_urls(doc in document()) {
                check(&doc, &super::sanitise(&doc))?;
                for section in super::sections(&doc, crate::model::DocumentFormat::Html, "Doc") {
                    check(&doc, &section.html)?;
                }
            }
        }
    }
}
