//! Translations of generated releases, in real language: per language, title
//! templates and sentence templates with slots (the place, a topic), and
//! sentences written for each theme (a group of fields of work), with the
//! topic words in different grammatical forms, so that a search for one form
//! finds another only through stemming. A release's translations speak of its
//! own fields of work.
//!
//! Templates name their slots `{t0}` and `{t1}` (a topic in the two forms the
//! language's bank documents) and `{in}` (the place with the language's
//! preposition for "in", declined where the language declines it).

mod de;
mod en;
mod fr;
mod mk;
mod ro;
mod ru;
mod sq;
mod sr_latn;
mod uk;

use std::io;

use chrono::{Datelike, NaiveDate};
use rand::Rng;

use super::releases::escape;
use super::{Generator, language_tag, pick, weighted_pick};
use crate::model;

/// Themes, the groups of fields of work a bank writes sentences for (the
/// order of `Bank::themes`).
const ARMS_CONTROL: usize = 0;
const BORDERS: usize = 1;
const CONFLICT: usize = 2;
const DEMOCRACY: usize = 3;
const ECONOMY: usize = 4;
const ELECTIONS: usize = 5;
const ENVIRONMENT: usize = 6;
const GENDER: usize = 7;
const HUMAN_RIGHTS: usize = 8;
const MEDIA: usize = 9;
const MINORITIES: usize = 10;
const POLICING: usize = 11;
const THREATS: usize = 12;
const TRAFFICKING: usize = 13;
const YOUTH: usize = 14;
const THEMES: usize = 15;

/// A field of work's theme (the reference data's fields all have one; an
/// unknown field speaks of conflict prevention, the OSCE's oldest trade).
fn theme_of(field: &str) -> usize {
    match field {
        "arms-control" | "reform-and-co-operation-in-the-security-sector" => ARMS_CONTROL,
        "border-management" | "migration" => BORDERS,
        "democratization" | "rule-of-law" => DEMOCRACY,
        "economic-activities" | "good-governance" => ECONOMY,
        "elections" => ELECTIONS,
        "environmental-activities" => ENVIRONMENT,
        "gender-equality" => GENDER,
        "human-rights" => HUMAN_RIGHTS,
        "media-freedom-and-development" => MEDIA,
        "national-minority-issues" | "roma-and-sinti" | "tolerance-and-non-discrimination" => {
            MINORITIES
        }
        "policing" => POLICING,
        "countering-terrorism" | "cyber-ict-security" => THREATS,
        "combating-trafficking-in-human-beings" => TRAFFICKING,
        "education" | "youth" => YOUTH,
        _ => CONFLICT,
    }
}

/// The places the generator writes (`Generator::city_of` of the units'
/// countries, and Vienna), in the order of `Bank::places`.
const PLACES: [&str; 18] = [
    "Vienna",
    "Ashgabat",
    "Sarajevo",
    "Zagreb",
    "Tbilisi",
    "Chisinau",
    "Podgorica",
    "Belgrade",
    "Skopje",
    "Moscow",
    "Minsk",
    "Yerevan",
    "Tirana",
    "Astana",
    "Bishkek",
    "Dushanbe",
    "Kyiv",
    "Tashkent",
];

/// One theme in one language.
struct Theme {
    /// Topics, each in the bank's two forms (`{t0}`, `{t1}`).
    topics: &'static [[&'static str; 2]],
    /// Sentences about the theme, written out.
    sentences: &'static [&'static str],
}

/// What the generator writes in one language.
struct Bank {
    tag: &'static str,
    /// Title templates (`{t0}`, `{t1}`, `{in}`).
    titles: &'static [&'static str],
    /// Sentence templates about any topic (`{t0}`, `{t1}`).
    frames: &'static [&'static str],
    /// Sentences about the event itself, for any theme.
    general: &'static [&'static str],
    themes: [Theme; THEMES],
    months: [&'static str; 12],
    /// Per `PLACES`: the name for the dateline, and "in" the place.
    places: [(&'static str, &'static str); PLACES.len()],
    /// "In" before a place the bank does not know.
    preposition: &'static str,
    /// The dateline's first day of a month ("1", or "1er"), the mark after
    /// a day ("." in German) and after the year (" г." in Russian).
    first_day: &'static str,
    day_suffix: &'static str,
    year_suffix: &'static str,
}

/// The languages English releases are translated into, with how often.
const TARGETS: [(&Bank, f64); 8] = [
    (&ru::BANK, 30.0),
    (&fr::BANK, 17.0),
    (&de::BANK, 15.0),
    (&uk::BANK, 12.0),
    (&ro::BANK, 8.0),
    (&sr_latn::BANK, 7.0),
    (&mk::BANK, 6.0),
    (&sq::BANK, 5.0),
];

/// Share of English releases with translations, and of others with an
/// English one; share of translations without a summary.
const TRANSLATED_EN: f64 = 0.30;
const TRANSLATED_OTHER: f64 = 0.20;
const WITHOUT_SUMMARY: f64 = 0.10;

/// Walks a list from a random start without repeating itself.
struct Cursor {
    start: usize,
    used: usize,
}

impl Cursor {
    fn new(rng: &mut impl Rng, len: usize) -> Self {
        Self {
            start: rng.random_range(0..len.max(1)),
            used: 0,
        }
    }

    fn next<'a>(&mut self, items: &'a [&'static str]) -> Option<&'a str> {
        if self.used >= items.len() {
            return None;
        }
        self.used += 1;
        Some(items[(self.start + self.used - 1) % items.len()])
    }
}

/// Appends `template` to `out` with its slots filled, its first letter
/// upper-case.
fn fill(out: &mut String, template: &str, topic: &[&str; 2], place: &str) {
    let start = out.len();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        match &rest[open + 1..open + close] {
            "t0" => out.push_str(topic[0]),
            "t1" => out.push_str(topic[1]),
            "in" => out.push_str(place),
            other => out.push_str(other),
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    if let Some(first) = out[start..].chars().next().filter(|c| c.is_lowercase()) {
        let upper: String = first.to_uppercase().collect();
        out.replace_range(start..start + first.len_utf8(), &upper);
    }
}

/// Appends a number in decimal digits.
fn push_number(out: &mut String, n: u32) {
    use std::fmt::Write;
    // Writing to a `String` cannot fail.
    let _ = write!(out, "{n}");
}

impl Generator {
    /// The translations of a release first written in `original`, about the
    /// fields of work `fields` (indexes, main first), from `place` on `day`:
    /// for most English releases none, else mostly one and now and then two
    /// or three languages; for a release in another language now and then
    /// an English one. Never the original's language, never one twice.
    pub(super) fn translations(
        &mut self,
        original: &str,
        fields: &[usize],
        place: &str,
        day: NaiveDate,
    ) -> io::Result<Vec<model::Translation>> {
        // The fields' themes, each once (two fields may share one).
        let mut themes = [CONFLICT; 3];
        let mut distinct = 0;
        for &field in fields.iter().take(themes.len()) {
            let theme = theme_of(self.reference.fields[field].slug.as_str());
            if !themes[..distinct].contains(&theme) {
                themes[distinct] = theme;
                distinct += 1;
            }
        }
        let themes = &themes[..distinct.max(1)];
        let place = PLACES.iter().position(|p| *p == place).ok_or(place);
        if original != "en" {
            if !self.rng.random_bool(TRANSLATED_OTHER) {
                return Ok(Vec::new());
            }
            return Ok(vec![self.translation(&en::BANK, themes, place, day)?]);
        }
        if !self.rng.random_bool(TRANSLATED_EN) {
            return Ok(Vec::new());
        }
        let count = match self.rng.random_range(0..100) {
            0..72 => 1,
            72..92 => 2,
            _ => 3,
        };
        let mut weights = TARGETS.map(|(_, w)| w);
        let mut translations = Vec::with_capacity(count);
        for _ in 0..count {
            let mut i = weighted_pick(&mut self.rng, &weights);
            if weights[i] <= 0.0 {
                // Only by rounding at the end of the list: take any left.
                i = weights.iter().position(|w| *w > 0.0).unwrap_or(i);
            }
            weights[i] = 0.0;
            translations.push(self.translation(TARGETS[i].0, themes, place, day)?);
        }
        Ok(translations)
    }

    fn translation(
        &mut self,
        bank: &'static Bank,
        themes: &[usize],
        place: Result<usize, &str>,
        day: NaiveDate,
    ) -> io::Result<model::Translation> {
        let unknown_in;
        let (place_name, place_in) = match place {
            Ok(i) => bank.places[i],
            Err(name) => {
                unknown_in = format!("{} {name}", bank.preposition);
                (name, unknown_in.as_str())
            }
        };
        let main = &bank.themes[themes[0]];
        let mut title = String::new();
        let topic = pick(&mut self.rng, main.topics);
        let template = *pick(&mut self.rng, bank.titles);
        fill(&mut title, template, topic, place_in);
        // The summary: a lead written for the main theme, or a template
        // about one of its topics.
        let summary = if !self.rng.random_bool(WITHOUT_SUMMARY) {
            if self.rng.random_bool(0.6) {
                Some(pick(&mut self.rng, main.sentences).to_string())
            } else {
                let mut summary = String::new();
                let topic = pick(&mut self.rng, main.topics);
                let template = *pick(&mut self.rng, bank.frames);
                fill(&mut summary, template, topic, place_in);
                Some(summary)
            }
        } else {
            None
        };

        let body_html = self.body(bank, themes, place_name, place_in, day);
        Ok(model::Translation {
            language: language_tag(bank.tag)?,
            title,
            summary,
            body_html,
        })
    }

    /// Two to four paragraphs, the first after a dateline, each about one of
    /// the release's themes in turn: a sentence written for the theme first,
    /// then more of them or (once a paragraph) a template about one of its
    /// topics; the last paragraph more often than not ends with a word on the
    /// event. No sentence twice.
    fn body(
        &mut self,
        bank: &Bank,
        themes: &[usize],
        place_name: &str,
        place_in: &str,
        day: NaiveDate,
    ) -> String {
        let mut written = [0, 1, 2].map(|i| {
            let len = themes.get(i).map_or(0, |&t| bank.themes[t].sentences.len());
            Cursor::new(&mut self.rng, len)
        });
        let mut frames = Cursor::new(&mut self.rng, bank.frames.len());
        let mut general = Cursor::new(&mut self.rng, bank.general.len());
        let paragraphs = self.rng.random_range(2..=4);
        let mut body = String::new();
        let mut paragraph = String::new();
        for p in 0..paragraphs {
            paragraph.clear();
            if p == 0 {
                paragraph.push_str(place_name);
                paragraph.push_str(", ");
                match day.day() {
                    1 => paragraph.push_str(bank.first_day),
                    d => push_number(&mut paragraph, d),
                }
                paragraph.push_str(bank.day_suffix);
                paragraph.push(' ');
                paragraph.push_str(bank.months[day.month0() as usize]);
                paragraph.push(' ');
                push_number(&mut paragraph, day.year().unsigned_abs());
                paragraph.push_str(bank.year_suffix);
                paragraph.push_str(" –");
            }
            let which = p % themes.len();
            let theme = &bank.themes[themes[which]];
            let mut framed = false;
            for s in 0..self.rng.random_range(2..=3) {
                let want_frame = s > 0 && self.rng.random_bool(0.3);
                let start = paragraph.len();
                if !paragraph.is_empty() {
                    paragraph.push(' ');
                }
                let mut sentence = None;
                if !want_frame {
                    sentence = written[which].next(theme.sentences);
                }
                if sentence.is_none()
                    && !framed
                    && let Some(frame) = frames.next(bank.frames)
                {
                    framed = true;
                    fill(
                        &mut paragraph,
                        frame,
                        pick(&mut self.rng, theme.topics),
                        place_in,
                    );
                    continue;
                }
                match sentence
                    .or_else(|| written[which].next(theme.sentences))
                    .or_else(|| general.next(bank.general))
                {
                    Some(sentence) => paragraph.push_str(sentence),
                    None => paragraph.truncate(start),
                }
            }
            if p + 1 == paragraphs
                && self.rng.random_bool(0.6)
                && let Some(sentence) = general.next(bank.general)
            {
                paragraph.push(' ');
                paragraph.push_str(sentence);
            }
            body.push_str("<p>");
            body.push_str(&escape(&paragraph));
            body.push_str("</p>");
        }
        body
    }
}

#[cfg(test)]
mod tests;
