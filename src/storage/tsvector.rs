//! A search document as a PostgreSQL `tsvector` literal, built here rather
//! than by the server: the text is already folded and stemmed into
//! space-separated tokens of letters and digits, so re-parsing it with
//! `to_tsvector` (about a fifth of the server's work in an import) only
//! repeats work. The literal is exactly what
//! `setweight(to_tsvector('simple', title), 'A') ||
//! setweight(to_tsvector('simple', summary), 'B') ||
//! setweight(to_tsvector('simple', body), 'C')` gives for such text,
//! including PostgreSQL's limits; a test on PostgreSQL compares the two.

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

/// Lexemes in PostgreSQL's order (byte order), each with its positions.
type Lexemes<'a> = Vec<(&'a str, Positions)>;

/// `to_tsvector('simple', text)` with every position weighted `weight`.
fn parsed(text: &str, weight: u8) -> Lexemes<'_> {
    let mut words: Vec<(&str, u16)> = Vec::new();
    let mut position: u32 = 0;
    for word in text
        .split(' ')
        .filter(|w| !w.is_empty() && w.len() < TOO_LONG)
    {
        position += 1;
        words.push((word, position.min(u32::from(LAST_POSITION)) as u16));
    }
    // Stable: each word's positions stay in ascending order.
    words.sort_by(|a, b| a.0.cmp(b.0));
    let mut lexemes: Lexemes = Vec::new();
    for (word, at) in words {
        match lexemes.last_mut() {
            Some((lexeme, positions)) if *lexeme == word => {
                let last = positions.last().map_or(0, |&(last, _)| last);
                if positions.len() < POSITIONS_PARSED && last != LAST_POSITION && last != at {
                    positions.push((at, weight));
                }
            }
            _ => lexemes.push((word, vec![(at, weight)])),
        }
    }
    lexemes
}

fn max_position(lexemes: &Lexemes) -> u16 {
    lexemes
        .iter()
        .filter_map(|(_, p)| p.last().map(|&(at, _)| at))
        .max()
        .unwrap_or(0)
}

/// Appends `right`'s positions, shifted by `shift`, within the limits.
fn append_shifted(out: &mut Positions, right: Positions, shift: u16) {
    for (at, weight) in right {
        if out.len() >= POSITIONS_CONCATENATED
            || out.last().is_some_and(|&(last, _)| last == LAST_POSITION)
        {
            break;
        }
        let at = (u32::from(at) + u32::from(shift)).min(u32::from(LAST_POSITION)) as u16;
        out.push((at, weight));
    }
}

/// `left || right`: the right side's positions shifted past the left's
/// largest, appended to a shared lexeme's within the limits.
fn concatenate<'a>(left: Lexemes<'a>, right: Lexemes<'a>) -> Lexemes<'a> {
    let shift = max_position(&left);
    let mut out = Vec::with_capacity(left.len() + right.len());
    let mut left = left.into_iter().peekable();
    let mut right = right.into_iter().peekable();
    loop {
        let order = match (left.peek(), right.peek()) {
            (Some(l), Some(r)) => l.0.cmp(r.0),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => return out,
        };
        // Each arm takes what was just peeked, so every `next` is `Some`.
        match order {
            std::cmp::Ordering::Less => out.extend(left.next()),
            std::cmp::Ordering::Greater => {
                if let Some((lexeme, positions)) = right.next() {
                    let mut shifted = Vec::with_capacity(positions.len());
                    append_shifted(&mut shifted, positions, shift);
                    out.push((lexeme, shifted));
                }
            }
            std::cmp::Ordering::Equal => {
                if let (Some((lexeme, mut positions)), Some((_, more))) =
                    (left.next(), right.next())
                {
                    append_shifted(&mut positions, more, shift);
                    out.push((lexeme, positions));
                }
            }
        }
    }
}

/// The document as a `tsvector` literal (title weighted A, summary B,
/// body C), lexemes in PostgreSQL's order so that the server need not sort.
pub fn tsvector_literal(document: &SearchDocument) -> String {
    let lexemes = concatenate(
        concatenate(
            parsed(&document.title, b'A'),
            parsed(&document.summary, b'B'),
        ),
        parsed(&document.body, b'C'),
    );
    let mut out = String::with_capacity(document.body.len() * 2 + document.title.len() * 2);
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
            push_number(&mut out, at);
            out.push(weight as char);
        }
    }
    out
}

/// Appends `n` in decimal (`write!` costs more, a million times over).
fn push_number(out: &mut String, mut n: u16) {
    let mut digits = [0u8; 5];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend(digits[start..].iter().map(|&d| d as char));
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
