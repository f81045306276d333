//! A page as lines, whatever it was saved as: a text page is its lines; an
//! HTML page is rendered to the lines a browser's "save as text" would give
//! (`html.rs`), each keeping its markup. Extraction (`release.rs`) reads
//! lines only, so both forms are read by the same rules.

/// What kind of block a line was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Block {
    Paragraph,
    Heading(u8),
    /// A list item (`- item` in a text page, `<li>` in HTML).
    Item,
    /// A caption (`<figcaption>`, an element whose class says caption).
    Caption,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub block: Block,
    /// The text, whitespace collapsed.
    pub text: String,
    /// The inline markup (escaped text for a text page).
    pub html: String,
}

impl Line {
    pub fn new(block: Block, text: &str, html: String) -> Line {
        Line {
            block,
            text: collapse(text),
            html: html.trim().to_string(),
        }
    }

    pub fn is_item(&self) -> bool {
        self.block == Block::Item
    }
}

/// A text page's lines: `- ` starts a list item; a lone `-` is an item
/// with no text (the heading of a navigation group).
pub fn from_text(text: &str) -> Vec<Line> {
    text.lines()
        .filter_map(|raw| {
            let line = raw.trim();
            if line.is_empty() {
                return None;
            }
            let (block, text) = if line == "-" || line == "–" {
                (Block::Item, "")
            } else if let Some(rest) = line.strip_prefix("- ") {
                (Block::Item, rest)
            } else {
                (Block::Paragraph, line)
            };
            Some(Line::new(block, text, escape(&collapse(text))))
        })
        .collect()
}

/// Runs of whitespace as one space, trimmed.
pub fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Text as HTML text.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}
