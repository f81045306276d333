//! The search syntax journalists expect, parsed once and rendered for each
//! backend: words (all must match), `"exact phrase"`, `OR` between two
//! items, `-excluded`, and `prefix*`. `OR` binds tighter than the implicit
//! AND: `ceasefire monitoring OR observers` is ceasefire AND (monitoring OR
//! observers). Anything else is read as words, so no input is a syntax error:
//! stray operators and characters that mean something to FTS5 or tsquery
//! (`NEAR`, `:`, `^`, unbalanced quotes, NUL) are only separators here, and
//! every token reaching a database is letters and digits.

use super::text::{Stemming, is_stop_word, tokens};

/// The longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 1_000;
/// The fewest letters of a prefix (`cea*`).
pub const MIN_PREFIX_CHARS: usize = 3;

/// The most terms (words, phrases, prefixes) in one query.
pub const MAX_TERMS: usize = 32;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Term {
    /// A folded token, matched by its stem.
    Word(String),
    /// A folded token that matching tokens start with.
    Prefix(String),
    /// Folded tokens that must appear in this order, next to each other.
    Phrase(Vec<String>),
}

impl Term {
    /// The words of the term, for highlighting.
    pub fn tokens(&self) -> &[String] {
        match self {
            Term::Word(t) | Term::Prefix(t) => std::slice::from_ref(t),
            Term::Phrase(ts) => ts,
        }
    }
}

/// A parsed query: every group must match (AND), a group matches when any of
/// its terms does (OR), and no excluded term may match.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SearchQuery {
    pub groups: Vec<Vec<Term>>,
    pub excluded: Vec<Term>,
}

impl SearchQuery {
    /// For a query of two or more plain words, the same words as one exact
    /// phrase: results containing it are ranked first (`humanitarian
    /// ceasefire` finds "a humanitarian ceasefire" before a text that
    /// mentions humanitarian access and, elsewhere, the ceasefire).
    pub fn as_phrase(&self) -> Option<SearchQuery> {
        let words: Vec<String> = self
            .groups
            .iter()
            .map(|group| match group.as_slice() {
                [Term::Word(w)] => Some(w.clone()),
                _ => None,
            })
            .collect::<Option<_>>()?;
        (words.len() >= 2).then(|| SearchQuery {
            groups: vec![vec![Term::Phrase(words)]],
            excluded: self.excluded.clone(),
        })
    }
}

/// Why a query cannot be searched for; the message is for the client.
#[derive(Debug, PartialEq, Eq)]
pub struct SyntaxError(pub String);

enum Item {
    Or,
    Term { negated: bool, term: Term },
}

/// One whitespace-separated item (or a quoted phrase) into a term; `None`
/// when nothing searchable is left (only punctuation or stop words).
fn term_of(text: &str, quoted: bool) -> Option<Term> {
    let prefix = !quoted && text.ends_with('*');
    let mut words = tokens(text);
    if words.is_empty() {
        return None;
    }
    if words.len() > 1 || quoted {
        if words.iter().all(|w| is_stop_word(w)) {
            return None;
        }
        if words.len() == 1 {
            return Some(Term::Word(words.pop()?));
        }
        return Some(Term::Phrase(words));
    }
    let word = words.pop()?;
    if prefix {
        return Some(Term::Prefix(word));
    }
    if is_stop_word(&word) {
        return None;
    }
    Some(Term::Word(word))
}

fn lex(query: &str) -> Vec<Item> {
    let mut items = Vec::new();
    let mut chars = query.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut negated = false;
        if c == '-' {
            negated = true;
            chars.next();
        }
        if chars.peek() == Some(&'"') {
            chars.next();
            // An unbalanced quote runs to the end of the query.
            let phrase: String = chars.by_ref().take_while(|&c| c != '"').collect();
            if let Some(term) = term_of(&phrase, true) {
                items.push(Item::Term { negated, term });
            }
            continue;
        }
        let mut word = String::new();
        while let Some(&c) = chars.peek() {
            if c.is_whitespace() || c == '"' {
                break;
            }
            word.push(c);
            chars.next();
        }
        if word == "OR" && !negated {
            items.push(Item::Or);
        } else if let Some(term) = term_of(&word, false) {
            items.push(Item::Term { negated, term });
        }
    }
    items
}

pub fn parse(query: &str) -> Result<SearchQuery, SyntaxError> {
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(SyntaxError(format!(
            "a search may be at most {MAX_QUERY_CHARS} characters long"
        )));
    }
    let mut parsed = SearchQuery {
        groups: Vec::new(),
        excluded: Vec::new(),
    };
    let mut join_next = false;
    for item in lex(query) {
        match item {
            Item::Or => join_next = !parsed.groups.is_empty(),
            Item::Term {
                negated: true,
                term,
            } => {
                parsed.excluded.push(term);
                join_next = false;
            }
            Item::Term {
                negated: false,
                term,
            } => {
                match parsed.groups.last_mut() {
                    Some(group) if join_next => group.push(term),
                    _ => parsed.groups.push(vec![term]),
                }
                join_next = false;
            }
        }
    }
    let terms = parsed.groups.iter().map(Vec::len).sum::<usize>() + parsed.excluded.len();
    if terms > MAX_TERMS {
        return Err(SyntaxError(format!(
            "a search may have at most {MAX_TERMS} terms, this one has {terms}"
        )));
    }
    // `a*` would match most of the corpus: every word that starts with it,
    // in every document (and a short prefix excluded would too).
    let short = parsed
        .groups
        .iter()
        .flatten()
        .chain(&parsed.excluded)
        .find_map(|term| match term {
            Term::Prefix(word) if word.chars().count() < MIN_PREFIX_CHARS => Some(word),
            _ => None,
        });
    if let Some(word) = short {
        return Err(SyntaxError(format!(
            "the prefix `{word}*` is too short: a prefix needs at least {MIN_PREFIX_CHARS} \
             letters (`{word}…*`), or search for the whole word"
        )));
    }
    if parsed.groups.is_empty() {
        return Err(SyntaxError(
            "the search has no word to look for (only operators, punctuation, \
             excluded or very common words)"
                .into(),
        ));
    }
    Ok(parsed)
}

/// The distinct forms of a term under each stemming (English alone when
/// none is given): a term matches a document if any of them does.
fn forms(term: &Term, stemmings: &[Stemming]) -> Vec<(TermKind, String)> {
    let stemmings = if stemmings.is_empty() {
        &[Stemming::English][..]
    } else {
        stemmings
    };
    let mut forms: Vec<(TermKind, String)> = Vec::new();
    for &stemming in stemmings {
        let form = match term {
            Term::Word(w) => (TermKind::Word, stemming.stem(w)),
            Term::Prefix(w) => (TermKind::Prefix, stemming.stem_prefix(w)),
            Term::Phrase(ws) => (
                TermKind::Phrase,
                ws.iter()
                    .map(|w| stemming.stem(w))
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
        };
        if !forms.contains(&form) {
            forms.push(form);
        }
    }
    forms
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum TermKind {
    Word,
    Prefix,
    Phrase,
}

/// The query in FTS5's syntax, every token quoted, each term in its forms
/// under `stemmings` (the languages of the documents it is to match).
pub fn to_fts5(query: &SearchQuery, stemmings: &[Stemming]) -> String {
    let term = |t: &Term| -> String {
        let forms: Vec<String> = forms(t, stemmings)
            .into_iter()
            .map(|(kind, form)| match kind {
                TermKind::Prefix => format!("\"{form}\"*"),
                _ => format!("\"{form}\""),
            })
            .collect();
        match forms.as_slice() {
            [one] => one.clone(),
            _ => format!("({})", forms.join(" OR ")),
        }
    };
    let mut text = query
        .groups
        .iter()
        .map(|group| {
            let alternatives: Vec<String> = group.iter().map(term).collect();
            format!("({})", alternatives.join(" OR "))
        })
        .collect::<Vec<_>>()
        .join(" AND ");
    for t in &query.excluded {
        text.push_str(" NOT ");
        text.push_str(&term(t));
    }
    text
}

/// The query as a PostgreSQL `tsquery` expression over the `simple`
/// configuration (the tokens are stemmed already), with its parameters in
/// order; each term in its forms under `stemmings`.
pub fn to_tsquery(query: &SearchQuery, stemmings: &[Stemming]) -> (String, Vec<String>) {
    let mut values = Vec::new();
    let mut term = |t: &Term| {
        let alternatives: Vec<String> = forms(t, stemmings)
            .into_iter()
            .map(|(kind, form)| {
                let (function, value) = match kind {
                    TermKind::Word => ("to_tsquery", form),
                    TermKind::Prefix => ("to_tsquery", format!("{form}:*")),
                    TermKind::Phrase => ("phraseto_tsquery", form),
                };
                values.push(value);
                format!("{function}('simple', ?)")
            })
            .collect();
        match alternatives.as_slice() {
            [one] => one.clone(),
            _ => format!("({})", alternatives.join(" || ")),
        }
    };
    let mut parts: Vec<String> = Vec::new();
    for group in &query.groups {
        let alternatives: Vec<String> = group.iter().map(&mut term).collect();
        parts.push(format!("({})", alternatives.join(" || ")));
    }
    for t in &query.excluded {
        parts.push(format!("!!{}", term(t)));
    }
    (format!("({})", parts.join(" && ")), values)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Term {
        Term::Word(s.into())
    }

    #[test]
    fn parses_the_documented_syntax() {
        let q =
            parse(r#"ceasefire "Minsk Group" monitoring OR observers -Geneva ceasefi*"#).unwrap();
        assert_eq!(
            q.groups,
            vec![
                vec![w("ceasefire")],
                vec![Term::Phrase(vec!["minsk".into(), "group".into()])],
                vec![w("monitoring"), w("observers")],
                vec![Term::Prefix("ceasefi".into())],
            ]
        );
        assert_eq!(q.excluded, vec![w("geneva")]);
        assert_eq!(
            to_fts5(&q, &[]),
            r#"("ceasefir") AND ("minsk group") AND ("monitor" OR "observ") AND ("ceasefi"*) NOT "geneva""#
        );
    }

    #[test]
    fn hostile_input_is_words_or_a_clear_error() {
        assert_eq!(parse("NEAR(a b) : ^x").unwrap().groups.len(), 3);
        assert_eq!(parse("\"unbalanced phrase").unwrap().groups.len(), 1);
        assert!(parse("OR - \" * : ^").is_err());
        assert!(parse("the of and").is_err());
        assert!(parse("-excluded").is_err());
        assert!(parse(&"a".repeat(10_000)).is_err());
        assert!(parse(&"word ".repeat(40)).is_err());
        assert_eq!(
            parse("a\0b").unwrap().groups,
            vec![vec![Term::Phrase(vec!["a".into(), "b".into()])]]
        );
        assert_eq!(parse("Türkiye").unwrap().groups, vec![vec![w("turkiye")]]);
        // Prefixes of one or two letters would match most of the corpus.
        for short in ["a*", "co*", "ceasefire -x*", "é*"] {
            let error = parse(short).unwrap_err();
            assert!(error.0.contains("too short"), "{short}: {error:?}");
        }
        assert!(parse("cea*").is_ok());
    }

    #[test]
    fn renders_tsquery_with_parameters() {
        let q = parse("a1 OR b2 -c3 d45*").unwrap();
        let (sql, values) = to_tsquery(&q, &[]);
        assert_eq!(
            sql,
            "((to_tsquery('simple', ?) || to_tsquery('simple', ?)) && (to_tsquery('simple', ?)) && !!to_tsquery('simple', ?))"
        );
        assert_eq!(values, ["a1", "b2", "d45:*", "c3"]);
    }

    #[test]
    fn each_term_is_looked_for_in_its_forms_in_every_language() {
        let q = parse("выборах monitoring").unwrap();
        let both = [Stemming::English, Stemming::Russian];
        assert_eq!(
            to_fts5(&q, &both),
            r#"(("выборах" OR "выбор")) AND (("monitor" OR "monitoring"))"#
        );
        let (sql, values) = to_tsquery(&q, &both);
        assert_eq!(
            sql,
            "(((to_tsquery('simple', ?) || to_tsquery('simple', ?))) && ((to_tsquery('simple', ?) || to_tsquery('simple', ?))))"
        );
        assert_eq!(values, ["выборах", "выбор", "monitor", "monitoring"]);
    }
}
