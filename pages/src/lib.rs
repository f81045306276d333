//! Reads one saved osce.org page, as text (what a browser's "save as text"
//! gives) or as HTML, into the parts of a press release: title, date,
//! place, the `Source:` and `Fields of work:` labels, the body paragraphs,
//! and what identifies the page (canonical URL, node id, language, the
//! English original a translation links to).
//!
//! Pure: no database, no I/O, no panics, linear in the input, so that it
//! can be fuzzed (`fuzz/`) and benchmarked alone. Mapping labels to the
//! service's records is the importer's (`osce_api::service::pages`).

mod body;
mod date;
mod html;
pub mod identity;
mod language;
mod lines;
mod release;

pub use date::{PartialDate, parse_date};
pub use lines::{Block, Line};

use chrono::NaiveDate;
use serde::Serialize;

/// The largest page read; a saved page is a few hundred kilobytes at most.
pub const MAX_PAGE_BYTES: usize = 8 << 20;

/// What was found in one page.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Parsed {
    /// A press release.
    Release(Box<ReleasePage>),
    /// Not a press release: a listing, an event page, navigation only.
    Skipped { reason: String },
    /// A press release that cannot be read as one (no date, no title…).
    Rejected { reason: String },
}

/// The form a page was saved in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Text,
    Html,
}

/// What the page says about itself, outside its content.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PageHead {
    /// `<html lang>`.
    pub lang: Option<String>,
    /// `<link rel=canonical>`, or `og:url`.
    pub canonical: Option<String>,
    /// `<link rel=shortlink>` (`/node/N`), or `data-history-node-id`.
    pub shortlink: Option<String>,
    /// `<link rel=alternate hreflang>` and the language switcher's links.
    pub alternates: Vec<Alternate>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Alternate {
    pub hreflang: String,
    pub href: String,
}

/// How the page's language was told.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LanguageEvidence {
    HtmlLang,
    UrlPath,
    Text,
    /// Nothing said otherwise: the site's default, English.
    Default,
}

/// Where the release's date came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DateFrom {
    /// The `Date:` line.
    Field,
    /// The body's first words (`VIENNA, 25 October 2020 –`).
    Dateline,
}

/// One paragraph of the body: its text, and its markup (a `<p>`, `<h2>`,
/// `<ul>` … element; escaped text for a text page).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Paragraph {
    pub text: String,
    pub html: String,
}

/// Something left out of the body, and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Dropped {
    pub why: &'static str,
    pub text: String,
}

/// A press release as the page gives it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReleasePage {
    pub format: Format,
    pub head: PageHead,
    /// A BCP 47 tag: `en`, `ru`, `sr-Latn`.
    pub language: String,
    pub language_from: LanguageEvidence,
    pub title: String,
    pub date: NaiveDate,
    pub date_from: DateFrom,
    /// `Place:` (or `Location:`), else the dateline's places.
    pub place: Option<String>,
    /// The `Source:` labels, as written.
    pub sources: Vec<String>,
    /// The `Fields of work:` labels, as written.
    pub fields_of_work: Vec<String>,
    pub body: Vec<Paragraph>,
    pub dropped: Vec<Dropped>,
    /// Labels of the metadata block that mean nothing to the importer.
    pub unknown_labels: Vec<String>,
    /// For a page not in English: the link to its English original.
    pub translation_of: Option<String>,
}

impl ReleasePage {
    /// The body as HTML.
    pub fn body_html(&self) -> String {
        self.body.iter().map(|p| p.html.as_str()).collect()
    }

    /// The body as text, one paragraph a line.
    pub fn body_text(&self) -> String {
        let mut text = String::new();
        for p in &self.body {
            text.push_str(&p.text);
            text.push('\n');
        }
        text
    }
}

/// Reads one page. `name` (a file name or URL, if known) helps tell HTML
/// from text and a page's language from its path.
pub fn parse(bytes: &[u8], name: Option<&str>) -> Parsed {
    if bytes.len() > MAX_PAGE_BYTES {
        return Parsed::Rejected {
            reason: format!(
                "the page is {} bytes, more than the {} a saved page can be",
                bytes.len(),
                MAX_PAGE_BYTES
            ),
        };
    }
    let text = String::from_utf8_lossy(bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    if looks_like_html(text, name) {
        // The HTML tree builder checks scopes down the stack of open
        // elements: a page nested thousands deep would take quadratic time.
        let depth = html::nesting_depth(text);
        if depth > html::MAX_DEPTH {
            return Parsed::Rejected {
                reason: format!(
                    "the page nests elements {depth} deep, more than the {} a page can",
                    html::MAX_DEPTH
                ),
            };
        }
        let (head, lines) = html::read(text);
        release::extract(Format::Html, head, &lines, name)
    } else {
        release::extract(
            Format::Text,
            PageHead::default(),
            &lines::from_text(text),
            name,
        )
    }
}

fn looks_like_html(text: &str, name: Option<&str>) -> bool {
    let lower_name = name.map(str::to_ascii_lowercase);
    if lower_name
        .as_deref()
        .is_some_and(|n| n.ends_with(".txt") || n.ends_with(".txt.gz"))
    {
        return false;
    }
    if lower_name.as_deref().is_some_and(|n| {
        n.ends_with(".html")
            || n.ends_with(".htm")
            || n.ends_with(".html.gz")
            || n.ends_with(".htm.gz")
    }) {
        return true;
    }
    let start: String = text
        .trim_start()
        .chars()
        .take(512)
        .collect::<String>()
        .to_ascii_lowercase();
    start.starts_with("<!doctype html") || start.starts_with("<html") || start.contains("<head")
}
