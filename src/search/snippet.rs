//! Snippets: a short excerpt of a result's text around the words that
//! matched, each marked with `<mark>`. Computed here rather than by the
//! database (FTS5's `snippet()`, PostgreSQL's `ts_headline`) so that both
//! backends give the same excerpt, and so the output is HTML-safe by
//! construction: the text is escaped, only the marks are markup.

use std::collections::HashSet;

use unicode_normalization::char::is_combining_mark;

use super::syntax::{SearchQuery, Term};
use super::text::{Stemming, escape_html, tokens};

/// Words in a snippet.
pub const SNIPPET_WORDS: usize = 30;

/// What counts as a match when highlighting: the stems of the query's words
/// and phrases, and its prefixes (excluded terms are never highlighted).
pub struct Highlighter {
    query: SearchQuery,
    stemming: Stemming,
    stems: HashSet<String>,
    prefixes: Vec<String>,
}

impl Highlighter {
    /// For English text.
    pub fn new(query: &SearchQuery) -> Self {
        Self::in_language(query, Stemming::English)
    }

    /// For text in a language stemmed as `stemming`.
    pub fn in_language(query: &SearchQuery, stemming: Stemming) -> Self {
        let mut stems = HashSet::new();
        let mut prefixes = Vec::new();
        for term in query.groups.iter().flatten() {
            match term {
                Term::Prefix(p) => prefixes.push(stemming.stem_prefix(p)),
                _ => stems.extend(term.tokens().iter().map(|t| stemming.stem(t))),
            }
        }
        Self {
            query: query.clone(),
            stemming,
            stems,
            prefixes,
        }
    }

    /// The same query's highlighter for text in another language.
    pub fn for_language(&self, stemming: Stemming) -> Self {
        Self::in_language(&self.query, stemming)
    }

    pub fn stemming(&self) -> Stemming {
        self.stemming
    }

    fn matches(&self, word: &str) -> bool {
        tokens(word).iter().any(|token| {
            let stemmed = self.stemming.stem(token);
            self.stems.contains(&stemmed)
                || self
                    .prefixes
                    .iter()
                    .any(|p| stemmed.starts_with(p.as_str()) || token.starts_with(p.as_str()))
        })
    }

    /// The best excerpt of `text` (the window of `SNIPPET_WORDS` words with
    /// the most matches), as HTML, and how many matched words it shows. With
    /// no match, the start of the text.
    pub fn snippet(&self, text: &str) -> (String, usize) {
        let words = word_spans(text);
        let matched: Vec<bool> = words
            .iter()
            .map(|&(start, end)| self.matches(&text[start..end]))
            .collect();
        let window = SNIPPET_WORDS.min(words.len());
        let (mut best_start, mut best_count) = (0, 0);
        let mut count = matched[..window].iter().filter(|&&m| m).count();
        if count > best_count {
            best_count = count;
        }
        for start in 1..=words.len() - window {
            count += usize::from(matched[start + window - 1]);
            count -= usize::from(matched[start - 1]);
            if count > best_count {
                (best_start, best_count) = (start, count);
            }
        }
        if best_count > 0 {
            // Start a little before the first match, for context.
            let first = (best_start..best_start + window)
                .find(|&i| matched[i])
                .unwrap_or(best_start);
            best_start = first.saturating_sub(3).min(words.len() - window);
        }
        let mut html = String::new();
        if window == 0 {
            return (html, 0);
        }
        if best_start > 0 {
            html.push('…');
        }
        let end = best_start + window;
        for i in best_start..end {
            let (from, to) = words[i];
            if matched[i] {
                html.push_str("<mark>");
                escape_html(&text[from..to], &mut html);
                html.push_str("</mark>");
            } else {
                escape_html(&text[from..to], &mut html);
            }
            if i + 1 < end {
                escape_html(&text[to..words[i + 1].0], &mut html);
            }
        }
        let (_, last_end) = words[end - 1];
        if end < words.len() {
            html.push('…');
        } else {
            escape_html(text[last_end..].trim_end(), &mut html);
        }
        (html, best_count)
    }
}

impl Highlighter {
    /// The snippet of whichever text shows the most matches (e.g. a body and
    /// a summary); with no match anywhere, the start of the first non-empty one.
    pub fn best_snippet<'a>(&self, texts: impl IntoIterator<Item = &'a str>) -> String {
        let mut best: Option<(String, usize)> = None;
        for text in texts.into_iter().filter(|t| !t.trim().is_empty()) {
            let candidate = self.snippet(text);
            if best.as_ref().is_none_or(|b| candidate.1 > b.1) {
                best = Some(candidate);
            }
        }
        best.map(|b| b.0).unwrap_or_default()
    }
}

/// Byte ranges of the words of `text`: runs of letters, digits and marks.
fn word_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let in_word = c.is_alphanumeric() || is_combining_mark(c);
        match (in_word, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                spans.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push((s, text.len()));
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::parse;

    #[test]
    fn marks_stemmed_and_folded_matches_and_escapes_the_rest() {
        let highlighter = Highlighter::new(&parse("ceasefire Turkiye monitor*").unwrap());
        let (html, count) = highlighter
            .snippet("A <b>humanitarian</b> ceasefire & the Ceasefires in Türkiye, monitoring.");
        assert_eq!(
            html,
            "A &lt;b&gt;humanitarian&lt;/b&gt; <mark>ceasefire</mark> &amp; the \
             <mark>Ceasefires</mark> in <mark>Türkiye</mark>, <mark>monitoring</mark>."
        );
        assert_eq!(count, 4);
    }

    #[test]
    fn picks_the_window_with_most_matches() {
        let text = format!(
            "{}Geneva talks {}",
            "filler ".repeat(100),
            "padding ".repeat(100)
        );
        let (html, count) = Highlighter::new(&parse("geneva").unwrap()).snippet(&text);
        assert_eq!(count, 1);
        assert!(
            html.starts_with("…filler filler filler <mark>Geneva</mark> talks"),
            "{html}"
        );
        assert!(html.ends_with('…'));
        assert_eq!(Highlighter::new(&parse("x").unwrap()).snippet("").0, "");
    }
}
