//! Dates as the site writes them: `25 October 2020`, `25 October, 2020`,
//! `October 25, 2020`, `03 September 2009`, `10 MAY 2002`, `Sunday, 25
//! October 2020`, `25.10.2020`, `2020-10-25`, in English and in the site's
//! other main languages (`25 октября 2020 г.`, `25 octobre 2020`).

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;
use serde::Serialize;

/// A date that may lack its year (`VIENNA, 25 October –`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct PartialDate {
    pub day: u32,
    pub month: u32,
    pub year: Option<i32>,
}

impl PartialDate {
    pub fn complete(self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year?, self.month, self.day)
    }
}

/// Month names, by number, in the languages of the site.
const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("sept", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
    // Russian (genitive, as dates use them)
    ("января", 1),
    ("февраля", 2),
    ("марта", 3),
    ("апреля", 4),
    ("мая", 5),
    ("июня", 6),
    ("июля", 7),
    ("августа", 8),
    ("сентября", 9),
    ("октября", 10),
    ("ноября", 11),
    ("декабря", 12),
    // French
    ("janvier", 1),
    ("février", 2),
    ("mars", 3),
    ("avril", 4),
    ("mai", 5),
    ("juin", 6),
    ("juillet", 7),
    ("août", 8),
    ("septembre", 9),
    ("octobre", 10),
    ("novembre", 11),
    ("décembre", 12),
    // German
    ("januar", 1),
    ("februar", 2),
    ("märz", 3),
    ("juni", 6),
    ("juli", 7),
    ("oktober", 10),
    ("dezember", 12),
    // Ukrainian (genitive)
    ("січня", 1),
    ("лютого", 2),
    ("березня", 3),
    ("квітня", 4),
    ("травня", 5),
    ("червня", 6),
    ("липня", 7),
    ("серпня", 8),
    ("вересня", 9),
    ("жовтня", 10),
    ("листопада", 11),
    ("грудня", 12),
    // Serbian, Bosnian, Croatian, Montenegrin (Latin)
    ("januara", 1),
    ("februara", 2),
    ("marta", 3),
    ("aprila", 4),
    ("maja", 5),
    ("juna", 6),
    ("jula", 7),
    ("avgusta", 8),
    ("septembra", 9),
    ("oktobra", 10),
    ("novembra", 11),
    ("decembra", 12),
];

/// The regex alternation of month names, longest first.
pub(crate) fn month_pattern() -> String {
    let mut names: Vec<&str> = MONTHS.iter().map(|(n, _)| *n).collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.chars().count()));
    names.join("|")
}

pub(crate) fn month_number(name: &str) -> Option<u32> {
    let lower = name.to_lowercase();
    let lower = lower.trim_end_matches('.');
    MONTHS.iter().find(|(n, _)| *n == lower).map(|(_, m)| *m)
}

static NAMED: LazyLock<Regex> = LazyLock::new(|| {
    let months = month_pattern();
    #[allow(clippy::expect_used, reason = "a constant pattern, checked by the tests")]
    Regex::new(&format!(
        r"(?i)^(?:\p{{L}}+,?\s+)?(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\.?\s+(?P<m1>{months})\.?,?(?:\s*(?P<y1>\d{{4}}))?|(?P<m2>{months})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?(?:\s*(?P<y2>\d{{4}}))?)(?:\s*(?:г\.|god\.|року))?\s*$"
    ))
    .expect("the date pattern")
});

static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used, reason = "a constant pattern, checked by the tests")]
    Regex::new(r"^(?:(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[T ].*)?|(?P<d2>\d{1,2})[./](?P<m2>\d{1,2})[./](?P<y2>\d{4})\.?)$")
        .expect("the numeric date pattern")
});

/// A date written alone (a `Date:` value), with or without its year.
pub fn parse_date(text: &str) -> Option<PartialDate> {
    let text = text.trim();
    if text.len() > 64 {
        return None;
    }
    if let Some(c) = NUMERIC.captures(text) {
        let (y, m, d) = match (c.name("y"), c.name("y2")) {
            (Some(y), _) => (y, c.name("m")?, c.name("d")?),
            (None, Some(y)) => (y, c.name("m2")?, c.name("d2")?),
            _ => return None,
        };
        return valid(
            d.as_str().parse().ok()?,
            m.as_str().parse().ok()?,
            y.as_str().parse().ok(),
        );
    }
    let c = NAMED.captures(text)?;
    from_named(&c)
}

/// The date of named captures `d1`/`m1`/`y1` or `m2`/`d2`/`y2`.
pub(crate) fn from_named(c: &regex::Captures<'_>) -> Option<PartialDate> {
    let (day, month, year) = match (c.name("d1"), c.name("m1")) {
        (Some(d), Some(m)) => (d, m, c.name("y1")),
        _ => (c.name("d2")?, c.name("m2")?, c.name("y2")),
    };
    valid(
        day.as_str().parse().ok()?,
        month_number(month.as_str())?,
        year.and_then(|y| y.as_str().parse().ok()),
    )
}

fn valid(day: u32, month: u32, year: Option<i32>) -> Option<PartialDate> {
    // A day that no month has (or, with a year, that this month lacks) is
    // not a date.
    let check_year = year.unwrap_or(2000);
    NaiveDate::from_ymd_opt(check_year, month, day)?;
    if year.is_some_and(|y| !(1900..=2999).contains(&y)) {
        return None;
    }
    Some(PartialDate { day, month, year })
}

/// The first words of a release's body: `VIENNA, 25 October 2020 – `.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dateline {
    /// As written, one entry per place (`WARSAW/MINSK` gives two).
    pub places: Vec<String>,
    pub date: Option<PartialDate>,
}

static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    let months = month_pattern();
    let date = format!(
        r"(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\.?\s+(?i:(?P<m1>{months}))\b\.?,?(?:\s*(?P<y1>\d{{4}}))?|(?i:(?P<m2>{months}))\b\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?(?:\s*(?P<y2>\d{{4}}))?)(?:\s*(?:г\.|god\.))?"
    );
    #[allow(clippy::expect_used, reason = "a constant pattern, checked by the tests")]
    Regex::new(&format!(
        r"^(?P<places>\p{{Lu}}[^,–—\d:;()]{{0,100}}?)(?P<comma>\s*,\s*|\s+[-–—]\s*)(?P<date>{date})?\s*(?:[-–—:]|\.(?:\s|$))?"
    ))
    .expect("the dateline pattern")
});

/// The dateline a paragraph starts with, if it starts with one: places
/// and a date, or upper-case places and a dash (`VIENNA – `).
pub fn dateline(text: &str) -> Option<Dateline> {
    let head: String = text.chars().take(200).collect();
    let c = DATELINE.captures(&head)?;
    let places_text = c.name("places")?.as_str().trim();
    let date = match c.name("date") {
        Some(_) => Some(from_named(&c)?),
        None => None,
    };
    if date.is_none()
        && (places_text.chars().any(char::is_lowercase) || c.name("comma")?.as_str().contains(','))
    {
        return None;
    }
    let places: Vec<String> = places_text
        .split('/')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect();
    if places.is_empty()
        || places.len() > 6
        || places.iter().any(|p| p.split_whitespace().count() > 6)
    {
        return None;
    }
    Some(Dateline { places, date })
}

/// A place written in capitals as a name: `WASHINGTON D.C.` → `Washington
/// D.C.`; a place with small letters stays as written.
pub fn place_name(place: &str) -> String {
    if place.chars().any(char::is_lowercase) {
        return place.to_string();
    }
    place
        .split(' ')
        .map(|word| {
            if word.contains('.') {
                return word.to_string();
            }
            let mut out = String::new();
            let mut first = true;
            for c in word.chars() {
                if first {
                    out.push(c);
                } else {
                    out.extend(c.to_lowercase());
                }
                // `NUR-SULTAN` → `Nur-Sultan`
                first = c == '-';
            }
            out
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(text: &str) -> Option<(i32, u32, u32)> {
        let d = parse_date(text)?;
        Some((d.year?, d.month, d.day))
    }

    #[test]
    fn the_sites_forms() {
        assert_eq!(ymd("25 October 2020"), Some((2020, 10, 25)));
        assert_eq!(ymd("25 October, 2020"), Some((2020, 10, 25)));
        assert_eq!(ymd("October 25, 2020"), Some((2020, 10, 25)));
        assert_eq!(ymd("03 September 2009"), Some((2009, 9, 3)));
        assert_eq!(ymd("10 MAY 2002"), Some((2002, 5, 10)));
        assert_eq!(ymd("Sunday, 25 October 2020"), Some((2020, 10, 25)));
        assert_eq!(ymd("25.10.2020"), Some((2020, 10, 25)));
        assert_eq!(ymd("2020-10-25"), Some((2020, 10, 25)));
        assert_eq!(ymd("25 октября 2020 г."), Some((2020, 10, 25)));
        assert_eq!(ymd("3 Sept. 2019"), Some((2019, 9, 3)));
        assert_eq!(
            parse_date("25 October"),
            Some(PartialDate {
                day: 25,
                month: 10,
                year: None
            })
        );
        assert_eq!(parse_date("31 February 2020"), None);
        assert_eq!(parse_date("Vienna"), None);
        assert_eq!(parse_date(""), None);
    }

    type Read = (Vec<String>, Option<(Option<i32>, u32, u32)>);

    fn line(text: &str) -> Option<Read> {
        let d = dateline(text)?;
        Some((d.places, d.date.map(|d| (d.year, d.month, d.day))))
    }

    #[test]
    fn datelines_in_every_form() {
        let wash = (
            vec!["Washington D.C.".to_string()],
            Some((Some(2020), 10, 25)),
        );
        assert_eq!(
            line("Washington D.C., 25 October, 2020 - The Co-Chairs"),
            Some(wash)
        );
        assert_eq!(
            line("VIENNA, 25 October 2020 – The OSCE").map(|l| l.1),
            Some(Some((Some(2020), 10, 25)))
        );
        assert_eq!(
            line("VIENNA, 25 October 2020 — The OSCE").map(|l| l.1),
            Some(Some((Some(2020), 10, 25)))
        );
        assert_eq!(
            line("PRISTINA, 12 March 2018-The OSCE").map(|l| l.1),
            Some(Some((Some(2018), 3, 12)))
        );
        assert_eq!(
            line("SKOPJE, 03 September 2009 - The").map(|l| l.1),
            Some(Some((Some(2009), 9, 3)))
        );
        assert_eq!(
            line("VIENNA, 10 MAY 2002 - The").map(|l| l.1),
            Some(Some((Some(2002), 5, 10)))
        );
        assert_eq!(
            line("WARSAW/MINSK, 5 May 2015 - The").map(|l| l.0),
            Some(vec!["WARSAW".to_string(), "MINSK".to_string()])
        );
        assert_eq!(
            line("TIRANA / BRUSSELS / GENEVA – 6 October 2020. The three"),
            Some((
                vec!["TIRANA".into(), "BRUSSELS".into(), "GENEVA".into()],
                Some((Some(2020), 10, 6))
            ))
        );
        assert_eq!(
            line("VIENNA, 25 October - The").map(|l| l.1),
            Some(Some((None, 10, 25)))
        );
        assert_eq!(
            line("VIENNA – The OSCE"),
            Some((vec!["VIENNA".into()], None))
        );
        assert_eq!(line("The OSCE – said today"), None);
        assert_eq!(line("The Co-Chairs, on 25 October, met"), None);
        assert_eq!(place_name("WASHINGTON D.C."), "Washington D.C.");
        assert_eq!(place_name("NUR-SULTAN"), "Nur-Sultan");
    }
}
