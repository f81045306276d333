//! HTML bodies: sanitised once on the way in (ammonia: no script, no event
//! handlers, no style), so every reader can render `body_html` as is; and
//! the plain text derived from it for search and text-only clients.

use std::sync::LazyLock;

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    // Links in press releases point anywhere; keep them but never let them
    // reach back into the embedding page.
    builder.link_rel(Some("noopener noreferrer"));
    builder
});

/// Sanitises untrusted HTML. Idempotent: sanitising the output again gives
/// the same bytes, which keeps export → import → export byte-identical.
pub fn sanitize_html(html: &str) -> String {
    if is_plain_markup(html) {
        return html.to_string();
    }
    SANITIZER.clean(html).to_string()
}

/// Tags that may stand without attributes in markup that needs no cleaning.
const PLAIN_BLOCKS: [&str; 1] = ["p"];
const PLAIN_INLINES: [&str; 4] = ["b", "strong", "i", "em"];

/// A fast path for the common case (and for re-imports of our own export):
/// a sequence of `<p>` paragraphs holding text and attribute-free `<b>`,
/// `<strong>`, `<i>`, `<em>`, properly nested, with nothing the HTML
/// serialiser would re-escape (`&`, `>`, no-break spaces, carriage returns,
/// control characters). Sanitising such markup returns it unchanged, so it
/// is returned as is; anything else goes through ammonia.
fn is_plain_markup(html: &str) -> bool {
    let mut open: Vec<&str> = Vec::new();
    let mut rest = html;
    loop {
        let text_end = rest.find('<').unwrap_or(rest.len());
        let text = &rest[..text_end];
        if text.chars().any(|c| {
            matches!(c, '&' | '>' | '\u{a0}' | '\r') || (c.is_control() && c != '\n' && c != '\t')
        }) {
            return false;
        }
        // Text must sit inside a paragraph (html5ever would not move it, but keep the rule simple).
        if !text.trim().is_empty() && open.is_empty() {
            return false;
        }
        rest = &rest[text_end..];
        if rest.is_empty() {
            return open.is_empty();
        }
        let Some(close) = rest.find('>') else {
            return false;
        };
        let tag = &rest[1..close];
        rest = &rest[close + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            if open.pop() != Some(name) {
                return false;
            }
        } else if PLAIN_BLOCKS.contains(&tag) {
            if !open.is_empty() {
                return false;
            }
            open.push(PLAIN_BLOCKS[0]);
        } else if let Some(inline) = PLAIN_INLINES.iter().find(|t| **t == tag) {
            if open.is_empty() || open.contains(inline) {
                return false;
            }
            open.push(inline);
        } else {
            return false;
        }
    }
}

/// Plain text of sanitised HTML: tags dropped, block ends as line breaks,
/// entities decoded, runs of blank space folded.
pub fn html_to_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        push_decoded(&mut text, &rest[..lt]);
        let Some(gt) = rest[lt..].find('>') else {
            rest = "";
            break;
        };
        let tag = &rest[lt + 1..lt + gt];
        let name = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        if is_block(&name) && !text.ends_with('\n') && !text.is_empty() {
            text.push('\n');
        }
        rest = &rest[lt + gt + 1..];
    }
    push_decoded(&mut text, rest);
    fold_spaces(&text)
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "br"
            | "div"
            | "li"
            | "ul"
            | "ol"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "blockquote"
            | "tr"
            | "table"
            | "pre"
            | "hr"
    )
}

fn push_decoded(out: &mut String, mut s: &str) {
    while let Some(amp) = s.find('&') {
        out.push_str(&s[..amp]);
        s = &s[amp..];
        let decoded = s.find(';').filter(|&semi| semi <= 10).and_then(|semi| {
            let entity = &s[1..semi];
            let ch = match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => entity
                    .strip_prefix("#x")
                    .or_else(|| entity.strip_prefix("#X"))
                    .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                    .or_else(|| entity.strip_prefix('#').and_then(|dec| dec.parse().ok()))
                    .and_then(char::from_u32),
            };
            ch.map(|c| (c, semi))
        });
        match decoded {
            Some((c, semi)) => {
                out.push(c);
                s = &s[semi + 1..];
            }
            None => {
                out.push('&');
                s = &s[1..];
            }
        }
    }
    out.push_str(s);
}

fn fold_spaces(text: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    for line in text.lines() {
        let folded = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if !folded.is_empty() {
            lines.push(folded);
        }
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_scripts_handlers_and_styles() {
        let dirty = r#"<p onclick="x()" style="color:red">Hi<script>alert(1)</script></p><style>p{}</style><a href="https://osce.org" target="_blank">l</a>"#;
        let clean = sanitize_html(dirty);
        assert!(!clean.contains("script"), "{clean}");
        assert!(!clean.contains("onclick"), "{clean}");
        assert!(!clean.contains("style"), "{clean}");
        assert!(clean.contains("<p>Hi</p>"), "{clean}");
        assert_eq!(sanitize_html(&clean), clean, "sanitising is idempotent");
    }

    #[test]
    fn the_fast_path_returns_what_ammonia_would() {
        let plain = [
            "<p>Washington D.C., 25 October, 2020 - The Co-Chairs \u{2019}s statement</p><p>Second <b>bold <i>it</i></b>.</p>",
            "<p>One</p>\n<p>Two \"quoted\" text</p>",
            "",
        ];
        for html in plain {
            assert!(is_plain_markup(html), "{html}");
            assert_eq!(SANITIZER.clean(html).to_string(), html);
        }
        let not_plain = [
            "<p>a &amp; b</p>",
            "<p>a > b</p>",
            "text",
            "<p><p>x</p></p>",
            "<p>x",
            "<p class=\"a\">x</p>",
            "<p><b>x</p></b>",
            "<script>x</script>",
            "<p>x\r\ny</p>",
            "<div>x</div>",
            "<p>\u{a0}</p>",
        ];
        for html in not_plain {
            assert!(!is_plain_markup(html), "{html}");
        }
        // The generator's bodies all take the fast path and are left as ammonia leaves them.
        let mut corpus = Vec::new();
        let options = crate::generate::GenerateOptions {
            releases: 300,
            seed: 4,
            until: chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
        };
        crate::generate::generate(&options, &mut corpus).unwrap();
        for line in String::from_utf8(corpus).unwrap().lines() {
            if let Ok(crate::model::Record::PressRelease(r)) = serde_json::from_str(line) {
                assert_eq!(
                    sanitize_html(&r.body_html),
                    SANITIZER.clean(&r.body_html).to_string()
                );
            }
        }
    }

    #[test]
    fn text_of_html() {
        let text = html_to_text(
            "<p>Washington D.C., 25 October &amp; more</p><p>The OSCE&#8217;s  <b>Co-Chairs</b></p>",
        );
        assert_eq!(
            text,
            "Washington D.C., 25 October & more\nThe OSCE\u{2019}s Co-Chairs"
        );
    }
}
