//! What a release's text names: known people (by their names, accents
//! aside), countries (by name or alias), and meetings (`met in Geneva on
//! 29 October`: a place and a date in a sentence about meeting).

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};
use chrono::{Datelike, NaiveDate};
use osce_pages::PartialDate;
use regex::Regex;
use serde::Serialize;

use super::catalog::{Catalog, fold};

/// Finds names in text, all at once (one pass, whatever the catalog holds).
pub struct Matchers {
    people: Option<AhoCorasick>,
    countries: Option<AhoCorasick>,
}

impl Matchers {
    pub fn new(catalog: &Catalog) -> Matchers {
        let build = |patterns: Vec<&str>| {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(patterns)
                .ok()
        };
        Matchers {
            people: build(catalog.people.iter().map(|p| p.folded.as_str()).collect()),
            countries: build(
                catalog
                    .country_names
                    .iter()
                    .map(|(n, _)| n.as_str())
                    .collect(),
            ),
        }
    }

    /// Indexes into `catalog.people`, in the order the text first names them.
    pub fn people(&self, text: &str) -> Vec<usize> {
        let folded = fold(text);
        let mut found = Vec::new();
        if let Some(matcher) = &self.people {
            for m in matcher.find_iter(&folded) {
                let i = m.pattern().as_usize();
                if whole_word(&folded, m.start(), m.end()) && !found.contains(&i) {
                    found.push(i);
                }
            }
        }
        found
    }

    /// Country codes the text names, each once.
    pub fn countries(&self, catalog: &Catalog, text: &str) -> Vec<String> {
        let mut found: Vec<String> = Vec::new();
        if let Some(matcher) = &self.countries {
            for m in matcher.find_iter(text) {
                let code = &catalog.country_names[m.pattern().as_usize()].1;
                if whole_word(text, m.start(), m.end()) && !found.contains(code) {
                    found.push(code.clone());
                }
            }
        }
        found
    }
}

fn whole_word(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

/// A meeting a release's text mentions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MeetingMention {
    pub place: String,
    pub date: NaiveDate,
    /// The sentence that mentions it.
    pub sentence: String,
}

static MEETING_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used, reason = "a constant pattern, checked by the tests")]
    Regex::new(r"(?i)\b(?:meet|meets|met|meeting|meetings|conference|talks|session|summit|forum|gathered|convened|held)\b")
        .expect("the meeting words")
});

static PLACE_AND_DATE: LazyLock<Regex> = LazyLock::new(|| {
    let place = r"\p{Lu}[\p{L}.'’\-]*(?:\s+\p{Lu}[\p{L}.'’\-]*){0,3}";
    let months = r"(?i:January|February|March|April|May|June|July|August|September|October|November|December)";
    let date = |n: u8| {
        format!(
            r"(?:(?P<d1{n}>\d{{1,2}})\s+(?P<m1{n}>{months})|(?P<m2{n}>{months})\s+(?P<d2{n}>\d{{1,2}}))\b(?:,?\s+(?P<y{n}>\d{{4}}))?"
        )
    };
    let (date_a, date_b) = (date(0), date(1));
    #[allow(
        clippy::expect_used,
        reason = "a constant pattern, checked by the tests"
    )]
    Regex::new(&format!(
        r"\bin\s+(?P<place>{place}),?\s+on\s+{date_a}|\bon\s+{date_b},?\s+in\s+(?P<place2>{place})"
    ))
    .expect("the place-and-date pattern")
});

/// Meetings the text mentions, dated in `date`'s year unless it says.
pub fn meetings(text: &str, date: NaiveDate) -> Vec<MeetingMention> {
    let mut found = Vec::new();
    for sentence in sentences(text) {
        if !MEETING_WORDS.is_match(sentence) {
            continue;
        }
        for c in PLACE_AND_DATE.captures_iter(sentence) {
            let Some(place) = c.name("place").or(c.name("place2")) else {
                continue;
            };
            let group = |name: &str| c.name(&format!("{name}0")).or(c.name(&format!("{name}1")));
            let (day, month) = match (group("d1"), group("m1"), group("m2"), group("d2")) {
                (Some(d), Some(m), _, _) | (_, _, Some(m), Some(d)) => (d.as_str(), m.as_str()),
                _ => continue,
            };
            let year = group("y")
                .and_then(|y| y.as_str().parse().ok())
                .unwrap_or(date.year());
            let Some(when) = osce_pages::parse_date(&format!("{day} {month} {year}"))
                .and_then(PartialDate::complete)
            else {
                continue;
            };
            let mention = MeetingMention {
                place: place.as_str().to_string(),
                date: when,
                sentence: sentence.trim().chars().take(300).collect(),
            };
            if !found.contains(&mention) {
                found.push(mention);
            }
        }
    }
    found
}

/// Sentences, roughly: split after `.`, `!` or `?` and a space, unless
/// the word before is an initial or abbreviation (`D.C.`, `Mr.`).
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        if !matches!(c, '.' | '!' | '?' | '\n') {
            continue;
        }
        let next = bytes.get(i + 1).copied();
        if c != '\n' && !matches!(next, Some(b' ') | None) {
            continue;
        }
        let word = text[start..i].rsplit(' ').next().unwrap_or("");
        if c == '.' && (word.len() <= 2 || word.contains('.')) {
            continue;
        }
        out.push(&text[start..=i]);
        start = i + 1;
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_place_and_a_date_in_a_sentence_about_meeting() {
        let date = NaiveDate::from_ymd_opt(2020, 10, 25).unwrap_or_default();
        let text = "The Co-Chairs met in Washington D.C. on October 24 with the Ministers. \
            They reaffirmed these commitments with Paris on October 18. \
            They agreed to meet again in Geneva on October 29 to discuss.";
        let found: Vec<(String, String)> = meetings(text, date)
            .into_iter()
            .map(|m| (m.place, m.date.to_string()))
            .collect();
        assert_eq!(
            found,
            vec![
                ("Washington D.C.".to_string(), "2020-10-24".to_string()),
                ("Geneva".to_string(), "2020-10-29".to_string())
            ]
        );
    }
}
