//! An HTML page rendered to lines, as a browser's "save as text" would
//! give them (navigation, scripts and hidden text left out), each line
//! keeping its inline markup; and what the `<head>` says about the page.
//!
//! One pass over the tree with an explicit stack (`traverse`), so that a
//! page nested ten thousand deep costs no more stack than a flat one.

use ego_tree::iter::Edge;
use scraper::{Html, Node};

use crate::lines::{Block, Line, escape};
use crate::{Alternate, PageHead};

/// Elements whose content is never part of the page's text.
const SKIPPED: [&str; 15] = [
    "head", "script", "style", "noscript", "template", "svg", "nav", "form", "button", "select",
    "iframe", "object", "input", "textarea", "math",
];

/// Elements that start and end a line.
const BLOCKS: [&str; 33] = [
    "html",
    "body",
    "main",
    "article",
    "section",
    "aside",
    "div",
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "table",
    "thead",
    "tbody",
    "tr",
    "td",
    "th",
    "figure",
    "figcaption",
    "address",
    "header",
    "footer",
];

/// Inline elements whose markup a body paragraph keeps (the service
/// sanitises it again on the way in).
const KEPT_INLINE: [&str; 13] = [
    "a", "em", "strong", "b", "i", "u", "sub", "sup", "abbr", "q", "code", "cite", "br",
];

/// How deep a page may nest its elements (real pages: a few dozen).
pub const MAX_DEPTH: usize = 1_000;

/// Elements that have no end tag, or whose end tag may be left out (the
/// next one closes them): not counted as nesting.
const VOID: [&str; 22] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option",
];

/// The deepest nesting of elements, roughly (a scan of tags, not a
/// parse): enough to refuse a page before building its tree.
pub fn nesting_depth(text: &str) -> usize {
    let bytes = text.as_bytes();
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        let closing = bytes.get(i + 1) == Some(&b'/');
        let start = i + 1 + usize::from(closing);
        let mut end = start;
        while end < bytes.len() && bytes[end].is_ascii_alphanumeric() {
            end += 1;
        }
        if end == start {
            i += 1;
            continue;
        }
        let name = text[start..end].to_ascii_lowercase();
        let tag_end = bytes[end..]
            .iter()
            .position(|&b| b == b'>')
            .map(|p| end + p);
        let self_closing = tag_end.is_some_and(|t| t > 0 && bytes[t - 1] == b'/');
        if VOID.contains(&name.as_str()) {
            // neither opens nor closes a level
        } else if closing {
            depth = depth.saturating_sub(1);
        } else if !self_closing {
            depth += 1;
            deepest = deepest.max(depth);
        }
        i = tag_end.map_or(bytes.len(), |t| t + 1);
    }
    deepest
}

struct Open {
    block: Option<Block>,
    caption: bool,
}

pub fn read(text: &str) -> (PageHead, Vec<Line>) {
    let document = Html::parse_document(text);
    let mut head = PageHead::default();
    let mut lines = Vec::new();
    let mut stack: Vec<Open> = Vec::new();
    let mut skipping: Option<ego_tree::NodeId> = None;
    // Inside `<article>` or `<main>`, a `<header>` is the article's own.
    let mut in_content = 0usize;
    let mut text_buf = String::new();
    let mut html_buf = String::new();

    for edge in document.tree.root().traverse() {
        match edge {
            Edge::Open(node) => {
                if skipping.is_some() {
                    if let Node::Element(e) = node.value() {
                        note_head(&mut head, e);
                    }
                    continue;
                }
                match node.value() {
                    Node::Element(e) => {
                        note_head(&mut head, e);
                        let name = e.name();
                        let page_chrome = matches!(name, "header" | "footer") && in_content == 0;
                        if SKIPPED.contains(&name) || page_chrome || hidden(e) {
                            skipping = Some(node.id());
                            continue;
                        }
                        if matches!(name, "article" | "main") {
                            in_content += 1;
                        }
                        if BLOCKS.contains(&name) {
                            flush(&stack, &mut text_buf, &mut html_buf, &mut lines);
                            let caption = name == "figcaption"
                                || e.classes()
                                    .any(|c| c.to_ascii_lowercase().contains("caption"));
                            stack.push(Open {
                                block: block_of(name),
                                caption,
                            });
                        } else if name == "br" {
                            text_buf.push(' ');
                            html_buf.push_str("<br>");
                        } else if KEPT_INLINE.contains(&name) {
                            html_buf.push('<');
                            html_buf.push_str(name);
                            if name == "a"
                                && let Some(href) = e.attr("href")
                            {
                                html_buf.push_str(" href=\"");
                                html_buf.push_str(&escape(href));
                                html_buf.push('"');
                            }
                            html_buf.push('>');
                        }
                    }
                    Node::Text(t) => {
                        let piece: &str = t;
                        text_buf.push_str(piece);
                        html_buf.push_str(&escape(&spaced(piece)));
                    }
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if let Some(id) = skipping {
                    if id == node.id() {
                        skipping = None;
                    }
                    continue;
                }
                let Node::Element(e) = node.value() else {
                    continue;
                };
                let name = e.name();
                if matches!(name, "article" | "main") {
                    in_content = in_content.saturating_sub(1);
                }
                if BLOCKS.contains(&name) {
                    flush(&stack, &mut text_buf, &mut html_buf, &mut lines);
                    stack.pop();
                } else if KEPT_INLINE.contains(&name) && name != "br" {
                    html_buf.push_str("</");
                    html_buf.push_str(name);
                    html_buf.push('>');
                }
            }
        }
    }
    flush(&stack, &mut text_buf, &mut html_buf, &mut lines);
    (head, lines)
}

fn block_of(name: &str) -> Option<Block> {
    Some(match name {
        "li" | "dt" | "dd" => Block::Item,
        "h1" => Block::Heading(1),
        "h2" => Block::Heading(2),
        "h3" => Block::Heading(3),
        "h4" => Block::Heading(4),
        "h5" => Block::Heading(5),
        "h6" => Block::Heading(6),
        "p" | "blockquote" | "pre" | "address" | "td" | "th" => Block::Paragraph,
        _ => return None,
    })
}

fn hidden(e: &scraper::node::Element) -> bool {
    e.attr("hidden").is_some()
        || e.attr("aria-hidden") == Some("true")
        || e.classes().any(|c| {
            matches!(
                c,
                "visually-hidden" | "sr-only" | "element-invisible" | "hidden" | "skip-link"
            )
        })
}

/// Whitespace runs as one space, keeping a space at either end (text
/// nodes meet inline elements there).
fn spaced(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
    out
}

fn flush(stack: &[Open], text: &mut String, html: &mut String, lines: &mut Vec<Line>) {
    if !text.trim().is_empty() {
        let caption = stack.iter().any(|o| o.caption);
        let block = if caption {
            Block::Caption
        } else {
            stack
                .iter()
                .rev()
                .find_map(|o| o.block)
                .unwrap_or(Block::Paragraph)
        };
        lines.push(Line::new(block, text, std::mem::take(html)));
    }
    text.clear();
    html.clear();
}

fn note_head(head: &mut PageHead, e: &scraper::node::Element) {
    let attr = |name: &str| e.attr(name).map(str::trim).filter(|v| !v.is_empty());
    match e.name() {
        "html" if head.lang.is_none() => {
            head.lang = attr("lang").map(str::to_string);
        }
        "link" => {
            let rel = attr("rel").unwrap_or("").to_ascii_lowercase();
            let Some(href) = attr("href") else { return };
            if rel.split_whitespace().any(|r| r == "canonical") {
                head.canonical = Some(href.to_string());
            } else if rel.split_whitespace().any(|r| r == "shortlink") {
                head.shortlink = Some(href.to_string());
            } else if rel.split_whitespace().any(|r| r == "alternate")
                && let Some(lang) = attr("hreflang")
            {
                push_alternate(head, lang, href);
            }
        }
        "meta" => {
            if attr("property") == Some("og:url")
                && head.canonical.is_none()
                && let Some(url) = attr("content")
            {
                head.canonical = Some(url.to_string());
            }
        }
        "a" => {
            if let (Some(lang), Some(href)) = (attr("hreflang"), attr("href")) {
                push_alternate(head, lang, href);
            }
        }
        _ => {}
    }
    if head.shortlink.is_none()
        && let Some(node) = attr("data-history-node-id")
        && node.bytes().all(|b| b.is_ascii_digit())
    {
        head.shortlink = Some(format!("/node/{node}"));
    }
}

fn push_alternate(head: &mut PageHead, lang: &str, href: &str) {
    if head.alternates.len() < 100 && !head.alternates.iter().any(|a| a.hreflang == lang) {
        head.alternates.push(Alternate {
            hreflang: lang.to_string(),
            href: href.to_string(),
        });
    }
}
