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
        } else if c == 'й' || c == 'Й' {
            // Not и with a breve: Russian and Ukrainian spell different
            // words with й and и, and their stemmers know the endings with
            // й (-ый, -ий, -ой).
            out.push('й');
            last_space = false;
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

/// How words of a language are reduced to a stem: Snowball's stemmer
/// where it has one for the language (as PostgreSQL's dictionaries of the
/// same names), else not at all (as PostgreSQL's `simple`). The same in
/// indexing and in queries, on both backends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stemming {
    Plain,
    English,
    Russian,
    French,
    German,
    Romanian,
    Italian,
    Spanish,
    Portuguese,
    Dutch,
    Swedish,
    Norwegian,
    Danish,
    Finnish,
    Hungarian,
    Greek,
    Turkish,
    Arabic,
}

const STEMMINGS: usize = Stemming::Arabic as usize + 1;

impl Stemming {
    /// The stemming of a BCP 47 language tag, by its primary subtag.
    pub fn of_language(tag: &str) -> Stemming {
        let primary = tag.split('-').next().unwrap_or("");
        match primary.to_ascii_lowercase().as_str() {
            "en" => Stemming::English,
            "ru" => Stemming::Russian,
            "fr" => Stemming::French,
            "de" => Stemming::German,
            "ro" => Stemming::Romanian,
            "it" => Stemming::Italian,
            "es" => Stemming::Spanish,
            "pt" => Stemming::Portuguese,
            "nl" => Stemming::Dutch,
            "sv" => Stemming::Swedish,
            "no" | "nb" | "nn" => Stemming::Norwegian,
            "da" => Stemming::Danish,
            "fi" => Stemming::Finnish,
            "hu" => Stemming::Hungarian,
            "el" => Stemming::Greek,
            "tr" => Stemming::Turkish,
            "ar" => Stemming::Arabic,
            _ => Stemming::Plain,
        }
    }

    fn algorithm(self) -> Option<Algorithm> {
        Some(match self {
            Stemming::Plain => return None,
            Stemming::English => Algorithm::English,
            Stemming::Russian => Algorithm::Russian,
            Stemming::French => Algorithm::French,
            Stemming::German => Algorithm::German,
            Stemming::Romanian => Algorithm::Romanian,
            Stemming::Italian => Algorithm::Italian,
            Stemming::Spanish => Algorithm::Spanish,
            Stemming::Portuguese => Algorithm::Portuguese,
            Stemming::Dutch => Algorithm::Dutch,
            Stemming::Swedish => Algorithm::Swedish,
            Stemming::Norwegian => Algorithm::Norwegian,
            Stemming::Danish => Algorithm::Danish,
            Stemming::Finnish => Algorithm::Finnish,
            Stemming::Hungarian => Algorithm::Hungarian,
            Stemming::Greek => Algorithm::Greek,
            Stemming::Turkish => Algorithm::Turkish,
            Stemming::Arabic => Algorithm::Arabic,
        })
    }

    /// The stem of a folded token.
    pub fn stem(self, token: &str) -> String {
        let mut out = String::with_capacity(token.len());
        push_stem(self, token, &mut out);
        out
    }

    /// What a prefix query looks for among stems: the stem of the prefix
    /// when stemming only shortened it (`ceasefire*` → `ceasefir`), else
    /// the prefix.
    pub fn stem_prefix(self, prefix: &str) -> String {
        let stemmed = self.stem(prefix);
        if prefix.starts_with(stemmed.as_str()) {
            stemmed
        } else {
            prefix.to_owned()
        }
    }

    /// The text a database indexes: folded tokens, each replaced by its
    /// stem, separated by spaces. Stemming here rather than in the database
    /// keeps SQLite and PostgreSQL identical (FTS5's `porter` and
    /// PostgreSQL's `english` are different stemmers).
    pub fn index_text(self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let normalized = normalize(text);
        for token in normalized.split(' ').filter(|t| !t.is_empty()) {
            if !out.is_empty() {
                out.push(' ');
            }
            push_stem(self, token, &mut out);
        }
        out
    }
}

/// English stem of a folded token (Snowball, as PostgreSQL's `english`).
pub fn stem(token: &str) -> String {
    Stemming::English.stem(token)
}

/// Distinct words whose stems a thread remembers, per language: a text's
/// vocabulary is small next to its length, and stemming was most of an
/// import's client work. At most about 5 MB per thread and language;
/// emptied when full.
const STEMS_REMEMBERED: usize = 65_536;

/// Appends the stem of `token` in `stemming` to `out`.
fn push_stem(stemming: Stemming, token: &str, out: &mut String) {
    thread_local! {
        static STEMMERS: RefCell<Vec<Option<Stemmer>>> = const { RefCell::new(Vec::new()) };
        static STEMS: RefCell<Vec<HashMap<Box<str>, Box<str>>>> =
            RefCell::new((0..STEMMINGS).map(|_| HashMap::new()).collect());
    }
    let Some(algorithm) = stemming.algorithm() else {
        out.push_str(token);
        return;
    };
    STEMS.with_borrow_mut(|stems| {
        let stems = &mut stems[stemming as usize];
        if let Some(stemmed) = stems.get(token) {
            out.push_str(stemmed);
            return;
        }
        let stemmed: Box<str> = STEMMERS.with_borrow_mut(|stemmers| {
            if stemmers.is_empty() {
                stemmers.resize_with(STEMMINGS, || None);
            }
            stemmers[stemming as usize]
                .get_or_insert_with(|| Stemmer::create(algorithm))
                .stem(token)
                .into()
        });
        out.push_str(&stemmed);
        if stems.len() >= STEMS_REMEMBERED {
            stems.clear();
        }
        stems.insert(token.into(), stemmed);
    });
}

/// English `Stemming::index_text`: the other records (meetings, people,
/// units) are written in English.
pub fn index_text(text: &str) -> String {
    Stemming::English.index_text(text)
}

/// English `Stemming::stem_prefix`.
pub fn stem_prefix(prefix: &str) -> String {
    Stemming::English.stem_prefix(prefix)
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

    #[test]
    fn stems_each_language_with_its_own_snowball_stemmer() {
        let russian = Stemming::of_language("ru");
        assert_eq!(russian.stem("выборы"), russian.stem("выборах"));
        assert_eq!(
            russian.index_text("Выборный процесс"),
            russian.index_text("выборного процесса")
        );
        let french = Stemming::of_language("fr-CH");
        assert_eq!(
            french.index_text("Élections"),
            french.index_text("election")
        );
        assert_eq!(Stemming::of_language("sr-Latn"), Stemming::Plain);
        assert_eq!(
            Stemming::Plain.index_text("Izbori, izborima"),
            "izbori izborima"
        );
    }
}
