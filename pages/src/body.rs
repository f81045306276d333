//! A release's body from the lines after its metadata block: cut where the
//! page's footer starts, with the photo captions and credits, the contact
//! boilerplate and repeated paragraphs left out (and said so), as
//! paragraphs of markup.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use crate::date::{Dateline, dateline};
use crate::lines::{Block, Line};
use crate::{Dropped, Paragraph};

/// Lines that end the content: the page's own furniture after a release.
const FOOTER: [&str; 16] = [
    "related content",
    "related news",
    "related stories",
    "related",
    "share",
    "share this",
    "share this page",
    "follow us",
    "follow osce",
    "subscribe",
    "print",
    "back to top",
    "newsroom",
    "terms of use",
    "see also",
    "tags",
];

/// How a contact paragraph starts; from there on, the body is boilerplate.
const CONTACT: [&str; 10] = [
    "for further information",
    "for more information, please contact",
    "for more information contact",
    "for more information, contact",
    "contact:",
    "contacts:",
    "media contact",
    "press contact",
    "for media enquiries",
    "for media inquiries",
];

static CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used, reason = "a constant pattern, checked by the tests")]
    Regex::new(r"(?i)^(?:\(\s*(?:photo\s*:?\s*)?OSCE\s*/[^)]*\)|(?:photo|photos|credit|credits|foto|фото)\s*(?::|by)\s*\S.*|©.*)$")
        .expect("the credit pattern")
});

pub struct Body {
    pub paragraphs: Vec<Paragraph>,
    pub dropped: Vec<Dropped>,
    pub dateline: Option<Dateline>,
}

pub fn read(lines: &[Line]) -> Body {
    let mut dropped = Vec::new();
    let end = end_of(lines);
    let mut lines: Vec<&Line> = lines[..end].iter().collect();

    if let Some(at) = lines.iter().position(|l| is_contact(&l.text)) {
        for line in lines.drain(at..) {
            dropped.push(drop("contact boilerplate", line));
        }
    }

    // The body starts at its dateline: short lines before it are a photo's
    // caption and credit.
    let mut found = None;
    for (i, line) in lines.iter().enumerate().take(5) {
        if line.block != Block::Caption
            && let Some(d) = dateline(&line.text)
        {
            found = Some((i, d));
            break;
        }
    }
    let dateline = found.map(|(at, d)| {
        for line in lines.drain(..at) {
            dropped.push(drop("photo caption (before the dateline)", line));
        }
        d
    });

    let mut kept: Vec<&Line> = Vec::new();
    let mut seen = HashSet::new();
    let mut after_photo_details = false;
    for line in lines {
        let lower = line.text.to_lowercase();
        if lower == "photo details" || lower == "photo details:" {
            dropped.push(drop("photo details", line));
            after_photo_details = true;
            continue;
        }
        if after_photo_details && line.text.chars().count() <= 300 {
            after_photo_details = false;
            dropped.push(drop("photo caption (photo details)", line));
            continue;
        }
        after_photo_details = false;
        if line.block == Block::Caption {
            dropped.push(drop("photo caption", line));
        } else if line.text.chars().count() <= 120 && CREDIT.is_match(&line.text) {
            dropped.push(drop("photo credit", line));
        } else if !seen.insert(line.text.to_lowercase()) {
            dropped.push(drop("duplicated paragraph", line));
        } else {
            kept.push(line);
        }
    }
    Body {
        paragraphs: paragraphs(&kept),
        dropped,
        dateline,
    }
}

/// Where the page's footer starts: the end of a release's own content.
pub fn end_of(lines: &[Line]) -> usize {
    lines.iter().position(is_footer).unwrap_or(lines.len())
}

fn drop(why: &'static str, line: &Line) -> Dropped {
    Dropped {
        why,
        text: line.text.clone(),
    }
}

fn is_footer(line: &Line) -> bool {
    let lower = line.text.to_lowercase();
    let lower = lower.trim_end_matches(':');
    // A text page's navigation groups start with a lone `-`.
    (line.is_item() && line.text.is_empty())
        || FOOTER.contains(&lower)
        || lower.starts_with("copyright")
        || (lower.starts_with('©') && lower.contains("osce"))
}

fn is_contact(text: &str) -> bool {
    let lower = text.to_lowercase();
    CONTACT.iter().any(|c| lower.starts_with(c))
}

/// Lines as markup: list items grouped into one `<ul>`.
fn paragraphs(lines: &[&Line]) -> Vec<Paragraph> {
    let mut out: Vec<Paragraph> = Vec::new();
    let mut items: Vec<&Line> = Vec::new();
    let flush_items = |items: &mut Vec<&Line>, out: &mut Vec<Paragraph>| {
        if items.is_empty() {
            return;
        }
        let text = items
            .iter()
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        let html = format!(
            "<ul>{}</ul>",
            items
                .iter()
                .map(|l| format!("<li>{}</li>", l.html))
                .collect::<String>()
        );
        out.push(Paragraph { text, html });
        items.clear();
    };
    for line in lines {
        if line.block == Block::Item {
            items.push(line);
            continue;
        }
        flush_items(&mut items, &mut out);
        let html = match line.block {
            Block::Heading(n) => {
                let n = n.clamp(2, 6);
                format!("<h{n}>{}</h{n}>", line.html)
            }
            _ => format!("<p>{}</p>", line.html),
        };
        out.push(Paragraph {
            text: line.text.clone(),
            html,
        });
    }
    flush_items(&mut items, &mut out);
    out
}
