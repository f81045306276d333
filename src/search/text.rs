//! Text normalisation shared by indexing, querying and snippets. Documents
//! and queries are folded here, in Rust, before either database sees them,
//! so SQLite FTS5 and PostgreSQL's tsvector index the very same tokens:
//! lowercase, diacritics folded (`Türkiye` → `turkiye`), and anything that is
//! not a letter or digit a separator.

use rust_stemmers::{Algorithm, Stemmer};
use std::cell::RefCell;
use std::collections::HashMap;

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// PostgreSQL's English stop words (`english.stop`). Queries drop them on
/// both backends (outside phrases), so both answer alike; PostgreSQL does not
/// index them at all.
pub const STOP_WORDS: &[&str] = &[
    "i",
    "me",
    "my",
    "myself",
    "we",
    "our",
    "ours",
    "ourselves",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
    "he",
    "him",
    "his",
    "himself",
    "she",
    "her",
    "hers",
    "herself",
    "it",
    "its",
    "itself",
    "they",
    "them",
    "their",
    "theirs",
    "themselves",
    "what",
    "which",
    "who",
    "whom",
    "this",
    "that",
    "these",
    "those",
    "am",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "being",
    "have",
    "has",
    "had",
    "having",
    "do",
    "does",
    "did",
    "doing",
    "a",
    "an",
    "the",
    "and",
    "but",
    "if",
    "or",
    "because",
    "as",
    "until",
    "while",
    "of",
    "at",
    "by",
    "for",
    "with",
    "about",
    "against",
    "between",
    "into",
    "through",
    "during",
    "before",
    "after",
    "above",
    "below",
    "to",
    "from",
    "up",
    "down",
    "in",
    "out",
    "on",
    "off",
    "over",
    "under",
    "again",
    "further",
    "then",
    "once",
    "here",
    "there",
    "when",
    "where",
    "why",
    "how",
    "all",
    "any",
    "both",
    "each",
    "few",
    "more",
    "most",
    "other",
    "some",
    "such",
    "no",
    "nor",
    "not",
    "only",
    "own",
    "same",
    "so",
    "than",
    "too",
    "very",
    "s",
    "t",
    "can",
    "will",
    "just",
    "don",
    "should",
    "now",
];

pub fn is_stop_word(token: &str) -> bool {
    STOP_WORDS.contains(&token)
}

/// Letters that do not decompose into a base letter and a mark.
fn fold_special(c: char, out: &mut String) -> bool {
    let folded = match c {
        'ß' => "ss",
        'æ' | 'Æ' => "ae",
        'œ' | 'Œ' => "oe",
        'ø' | 'Ø' => "o",
        'ł' | 'Ł' => "l",
        'đ' | 'Đ' | 'ð' | 'Ð' => "d",
        'þ' | 'Þ' => "th",
        'ı' => "i",
        _ => return false,
    };
    out.push_str(folded);
    true
}

/// Appends the folded form of `text` to `out`: lowercase letters and digits
/// without diacritics, every other character a single space. ASCII, most
/// of any text here, skips the Unicode decomposition.
pub fn normalize_into(text: &str, out: &mut String) {
    let mut last_space = out.is_empty() || out.ends_with(' ');
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
            last_space = false;
        } else if c.is_ascii() {
            separate(out, &mut last_space);
        } else {
            decompose_compatible(c, |d| fold_decomposed(d, out, &mut last_space));
        }
    }
}

fn separate(out: &mut String, last_space: &mut bool) {
    if !*last_space {
        out.push(' ');
        *last_space = true;
    }
}

/// One character of a non-ASCII character's decomposition.
fn fold_decomposed(c: char, out: &mut String, last_space: &mut bool) {
    if is_combining_mark(c) {
        return;
    }
    if fold_special(c, out) {
        *last_space = false;
    } else if c.is_alphanumeric() {
        out.extend(c.to_lowercase());
        *last_space = false;
    } else {
        separate(out, last_space);
    }
}

pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    normalize_into(text, &mut out);
    out.trim_end().to_owned()
}

/// The folded tokens of `text`.
pub fn tokens(text: &str) -> Vec<String> {
    normalize(text)
        .split(' ')
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// English stem of a folded token (Snowball, as PostgreSQL's `english`).
pub fn stem(token: &str) -> String {
    let mut out = String::with_capacity(token.len());
    push_stem(token, &mut out);
    out
}

/// Distinct words whose stems a thread remembers: a text's vocabulary is
/// small next to its length, and stemming was most of an import's client
/// work. At most about 5 MB per thread; emptied when full.
const STEMS_REMEMBERED: usize = 65_536;

/// Appends the stem of `token` to `out`.
fn push_stem(token: &str, out: &mut String) {
    thread_local! {
        static ENGLISH: Stemmer = Stemmer::create(Algorithm::English);
        static STEMS: RefCell<HashMap<Box<str>, Box<str>>> = RefCell::new(HashMap::new());
    }
    STEMS.with_borrow_mut(|stems| {
        if let Some(stemmed) = stems.get(token) {
            out.push_str(stemmed);
            return;
        }
        let stemmed: Box<str> = ENGLISH.with(|stemmer| stemmer.stem(token).into());
        out.push_str(&stemmed);
        if stems.len() >= STEMS_REMEMBERED {
            stems.clear();
        }
        stems.insert(token.into(), stemmed);
    });
}

/// The text a database indexes: folded tokens, each replaced by its stem,
/// separated by spaces. Stemming here rather than in the database keeps
/// SQLite and PostgreSQL identical (FTS5's `porter` and PostgreSQL's
/// `english` are different stemmers).
pub fn index_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let normalized = normalize(text);
    for token in normalized.split(' ').filter(|t| !t.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        push_stem(token, &mut out);
    }
    out
}

/// What a prefix query looks for among stems: the stem of the prefix when
/// stemming only shortened it (`ceasefire*` → `ceasefir`), else the prefix.
pub fn stem_prefix(prefix: &str) -> String {
    let stemmed = stem(prefix);
    if prefix.starts_with(stemmed.as_str()) {
        stemmed
    } else {
        prefix.to_owned()
    }
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_diacritics_and_punctuation() {
        assert_eq!(normalize("Türkiye"), "turkiye");
        assert_eq!(normalize("Co-Chairs' «statement»!"), "co chairs statement");
        assert_eq!(normalize("Łódź Straße Ærø"), "lodz strasse aero");
        assert_eq!(normalize("Москва\0NEAR:^*"), "москва near");
        assert_eq!(tokens("  a  b "), ["a", "b"]);
    }

    #[test]
    fn stems_like_english_snowball() {
        assert_eq!(stem("monitoring"), "monitor");
        assert_eq!(stem("ceasefires"), "ceasefir");
        assert_eq!(stem("ceasefire"), "ceasefir");
        assert_eq!(
            index_text("Ceasefire-monitoring, Türkiye's"),
            "ceasefir monitor turkiy s"
        );
        assert_eq!(stem_prefix("ceasefi"), "ceasefi");
        assert_eq!(stem_prefix("monitoring"), "monitor");
    }
}
