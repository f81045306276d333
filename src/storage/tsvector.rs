//! A search document as a PostgreSQL `tsvector` literal, built here rather
//! than by the server: the text is already folded and stemmed into
//! space-separated tokens of letters and digits, so re-parsing it with
//! `to_tsvector` (about a fifth of the server's work in an import) only
//! repeats work. The literal is exactly what
//! `setweight(to_tsvector('simple', title), 'A') ||
//! setweight(to_tsvector('simple', summary), 'B') ||
//! setweight(to_tsvector('simple', body), 'C')` gives for such text,
//! including PostgreSQL's limits; a test on PostgreSQL compares the two.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::search_index::SearchDocument;

/// The largest position PostgreSQL stores; later words all get it
/// (`MAXENTRYPOS - 1`).
const LAST_POSITION: u16 = 16_383;
/// Positions `to_tsvector` keeps per lexeme (`MAXNUMPOS - 1`), and what
/// concatenation keeps (`MAXNUMPOS`).
const POSITIONS_PARSED: usize = 255;
const POSITIONS_CONCATENATED: usize = 256;
/// Words this long (in bytes) or longer are skipped, without taking a
/// position (`MAXSTRLEN`).
const TOO_LONG: usize = 2_047;

/// One lexeme's positions, each with its weight letter.
type Positions = Vec<(u16, u8)>;

/// `to_tsvector('simple', text)` with every position weighted `weight`.
fn parsed(text: &str, weight: u8) -> BTreeMap<&str, Positions> {
    let mut lexemes: BTreeMap<&str, Positions> = BTreeMap::new();
    let mut position: u32 = 0;
    for word in text
        .split(' ')
        .filter(|w| !w.is_empty() && w.len() < TOO_LONG)
    {
        position += 1;
        let at = position.min(u32::from(LAST_POSITION)) as u16;
        let positions = lexemes.entry(word).or_default();
        match positions.last() {
            None => positions.push((at, weight)),
            Some(&(last, _)) => {
                if positions.len() < POSITIONS_PARSED && last != LAST_POSITION && last != at {
                    positions.push((at, weight));
                }
            }
        }
    }
    lexemes
}

fn max_position(lexemes: &BTreeMap<&str, Positions>) -> u16 {
    lexemes
        .values()
        .filter_map(|p| p.iter().map(|&(at, _)| at).max())
        .max()
        .unwrap_or(0)
}

/// `left || right`: the right side's positions shifted past the left's
/// largest, appended to a shared lexeme's within the limits.
fn concatenate<'a>(left: &mut BTreeMap<&'a str, Positions>, right: BTreeMap<&'a str, Positions>) {
    let shift = max_position(left);
    for (lexeme, positions) in right {
        let out = left.entry(lexeme).or_default();
        for (at, weight) in positions {
            if out.len() >= POSITIONS_CONCATENATED
                || out.last().is_some_and(|&(last, _)| last == LAST_POSITION)
            {
                break;
            }
            let at = (u32::from(at) + u32::from(shift)).min(u32::from(LAST_POSITION)) as u16;
            out.push((at, weight));
        }
    }
}

/// The document as a `tsvector` literal (title weighted A, summary B,
/// body C), lexemes in PostgreSQL's order so that the server need not sort.
pub fn tsvector_literal(document: &SearchDocument) -> String {
    let mut lexemes = parsed(&document.title, b'A');
    concatenate(&mut lexemes, parsed(&document.summary, b'B'));
    concatenate(&mut lexemes, parsed(&document.body, b'C'));
    let mut out = String::with_capacity(document.body.len() + document.title.len() * 2);
    for (lexeme, positions) in lexemes {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push('\'');
        for c in lexeme.chars() {
            if matches!(c, '\'' | '\\') {
                out.push(c);
            }
            out.push(c);
        }
        out.push_str("':");
        for (n, (at, weight)) in positions.into_iter().enumerate() {
            if n > 0 {
                out.push(',');
            }
            let _ = write!(out, "{at}{}", weight as char);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(title: &str, summary: &str, body: &str) -> SearchDocument {
        SearchDocument {
            title: title.into(),
            summary: summary.into(),
            body: body.into(),
        }
    }

    #[test]
    fn weights_and_shifts_positions_across_parts() {
        assert_eq!(
            tsvector_literal(&document("minsk group", "group", "ceasefir minsk")),
            "'ceasefir':4C 'group':2A,3B 'minsk':1A,5C"
        );
        assert_eq!(tsvector_literal(&document("", "", "")), "");
        assert_eq!(tsvector_literal(&document("", "", "a")), "'a':1C");
    }

    #[test]
    fn keeps_postgresql_limits() {
        let many = vec!["w"; 400].join(" ");
        let literal = tsvector_literal(&document(&many, "", "w"));
        assert_eq!(literal.matches(',').count() + 1, 256, "{literal}");
        let long_word = "x".repeat(TOO_LONG);
        assert_eq!(
            tsvector_literal(&document(&format!("a {long_word} b"), "", "")),
            "'a':1A 'b':2A"
        );
        let long_body = (0..20_000)
            .map(|n| format!("t{n}"))
            .collect::<Vec<_>>()
            .join(" ");
        let literal = tsvector_literal(&document("", "", &long_body));
        // Words past the last position all share it.
        assert!(literal.contains("'t16382':16383C") && literal.contains("'t19999':16383C"));
    }
}
