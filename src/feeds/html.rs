//! HTML for partner sites: the embeddable list (`/embed/press-releases`,
//! meant for an `<iframe>`) and a release's own page (the link of every
//! feed item). Self-contained: inline CSS, no scripts, fonts or images, so
//! a strict `Content-Security-Policy` holds.

use std::fmt::Write as _;

use super::{FeedContent, FeedItem, Format, Theme};

/// Releases an embed shows unless `count` says otherwise.
pub const DEFAULT_COUNT: u32 = 5;

/// What the pages may load: nothing but their own inline styles.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data: https:; base-uri 'none'; form-action 'none'";

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn long_date(date: chrono::NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

const STYLE: &str = "
:root{--bg:#fff;--fg:#1d2733;--muted:#5b6876;--link:#00508a;--rule:#d8dee4}
.dark{--bg:#14191f;--fg:#e6ebf0;--muted:#9aa7b4;--link:#7cc0ff;--rule:#2c3640}
@media (prefers-color-scheme:dark){.auto{--bg:#14191f;--fg:#e6ebf0;--muted:#9aa7b4;--link:#7cc0ff;--rule:#2c3640}}
html,body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}
main{padding:12px 16px}
h1{font-size:16px;margin:0 0 8px}
ol{list-style:none;margin:0;padding:0}
li{padding:8px 0;border-top:1px solid var(--rule)}
a{color:var(--link)}
.title{font-weight:600;text-decoration:none}
.title:hover{text-decoration:underline}
.meta{color:var(--muted);font-size:13px;margin-top:2px}
.summary{margin:4px 0 0;font-size:14px}
footer{color:var(--muted);font-size:12px;padding-top:8px;border-top:1px solid var(--rule)}
footer a{color:var(--muted)}
article{max-width:46em}
article .body{margin-top:12px}
.tags{color:var(--muted);font-size:13px}
";

/// ` lang="…"` when the summary is in another language than the item (a
/// translation without a summary falls back to another's).
fn summary_lang(item: &FeedItem) -> String {
    match &item.summary_language {
        Some(language) if *language != item.language => format!(" lang=\"{}\"", escape(language)),
        _ => String::new(),
    }
}

fn meta_line(item: &FeedItem) -> String {
    let mut parts = vec![long_date(item.date)];
    if let Some(place) = &item.place {
        parts.push(place.clone());
    }
    parts.push(item.source.clone());
    escape(&parts.join(" · "))
}

/// The embeddable list: titles linking to each release (in a new tab, out
/// of the partner's frame), date, place, source and summary. The page's
/// `lang` is the language asked for; an item in another says so.
pub fn embed_page(feed: &FeedContent, theme: Theme) -> String {
    let mut html = String::with_capacity(4096 + feed.items.len() * 600);
    let lang = feed.language.as_deref().unwrap_or("en");
    let _ = write!(
        html,
        "<!doctype html>\n<html lang=\"{}\" class=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n\
         <title>{}</title>\n",
        escape(lang),
        theme.as_str(),
        escape(&feed.title)
    );
    for format in Format::FEEDS {
        let _ = writeln!(
            html,
            "<link rel=\"alternate\" type=\"{}\" title=\"{} ({})\" href=\"{}\">",
            format.media_type(),
            escape(&feed.title),
            format.label(),
            escape(feed.url(format))
        );
    }
    let _ = write!(
        html,
        "<style>{STYLE}</style>\n</head>\n<body>\n<main>\n<h1>{}</h1>\n",
        escape(&feed.title)
    );
    if feed.items.is_empty() {
        html.push_str("<p class=\"meta\">No press releases match.</p>\n");
    } else {
        html.push_str("<ol class=\"releases\">\n");
        for item in &feed.items {
            let _ = write!(
                html,
                "<li lang=\"{}\"><a class=\"title\" href=\"{}\" target=\"_blank\" rel=\"noopener\">{}</a>\
                 <div class=\"meta\">{}</div>",
                escape(&item.language),
                escape(&item.url),
                escape(&item.title),
                meta_line(item)
            );
            if let Some(summary) = &item.summary {
                let _ = write!(
                    html,
                    "<p class=\"summary\"{}>{}</p>",
                    summary_lang(item),
                    escape(summary)
                );
            }
            html.push_str("</li>\n");
        }
        html.push_str("</ol>\n");
    }
    let _ = write!(
        html,
        "<footer>Subscribe: <a href=\"{}\" target=\"_blank\" rel=\"noopener\">RSS</a> · \
         <a href=\"{}\" target=\"_blank\" rel=\"noopener\">Atom</a> · \
         <a href=\"{}\" target=\"_blank\" rel=\"noopener\">JSON Feed</a></footer>\n</main>\n</body>\n</html>\n",
        escape(&feed.rss_url),
        escape(&feed.atom_url),
        escape(&feed.json_url)
    );
    html
}

/// A release's own page, the `link` of its feed items. The body was
/// sanitised on import, so it is inserted as it is.
pub fn release_page(item: &FeedItem) -> String {
    let mut html = String::with_capacity(4096 + item.body_html.len());
    let _ = write!(
        html,
        "<!doctype html>\n<html lang=\"{lang}\" class=\"auto\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n\
         <title>{title}</title>\n<link rel=\"canonical\" href=\"{url}\">\n\
         <style>{STYLE}</style>\n</head>\n<body>\n<main>\n<article>\n\
         <h1>{title}</h1>\n<div class=\"meta\">{meta}</div>\n",
        lang = escape(&item.language),
        title = escape(&item.title),
        url = escape(&item.url),
        meta = meta_line(item),
    );
    if let Some(summary) = &item.summary {
        let _ = writeln!(
            html,
            "<p class=\"summary\"{}><strong>{}</strong></p>",
            summary_lang(item),
            escape(summary)
        );
    }
    let _ = writeln!(html, "<div class=\"body\">{}</div>", item.body_html);
    if !item.categories.is_empty() {
        let labels: Vec<&str> = item.categories.iter().map(|t| t.label.as_str()).collect();
        let _ = writeln!(
            html,
            "<p class=\"tags\">{}</p>",
            escape(&labels.join(" · "))
        );
    }
    html.push_str("</article>\n</main>\n</body>\n</html>\n");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }
}
