//! A realistic synthetic corpus for load tests and demos, in the interchange
//! format, deterministic for a given seed. It starts with the reference data
//! (so the file imports anywhere), adds the heads of units over the years and
//! the regular meetings, then streams press releases: more of them in recent
//! years, skewed across fields of work, countries and units the way a real
//! newsroom is, with multi-paragraph bodies built from each field's own
//! vocabulary so that search has something to find, and translations in
//! eight other languages (`translations`).

mod meetings;
mod people;
mod releases;
mod translations;
mod vocabulary;

use std::io::{self, Write};

use chrono::{Datelike, Duration, NaiveDate};
use rand::{Rng, SeedableRng, seq::IndexedRandom};
use rand_chacha::ChaCha8Rng;

use crate::domain::{CountryCode, CountryStatus, LanguageTag, OrgUnitKind, Slug};
use crate::model::reference::REFERENCE_DATA;
use crate::model::{self, Record};
use vocabulary::CITIES;

#[derive(Clone, Debug)]
pub struct GenerateOptions {
    pub releases: u64,
    pub seed: u64,
    /// The last date releases may carry (the corpus grows up to it).
    pub until: NaiveDate,
}

#[derive(Clone, Debug, Default)]
pub struct GenerateSummary {
    pub people: u64,
    pub meetings: u64,
    pub press_releases: u64,
}

const FIRST_YEAR: i32 = 1995;

struct Reference {
    fields: Vec<model::FieldOfWork>,
    states: Vec<model::Country>,
    units: Vec<model::OrgUnit>,
    chairs: Vec<model::Chairpersonship>,
    roles: Vec<model::Role>,
}

fn load_reference() -> io::Result<Reference> {
    let mut r = Reference {
        fields: vec![],
        states: vec![],
        units: vec![],
        chairs: vec![],
        roles: vec![],
    };
    for line in REFERENCE_DATA.lines().filter(|l| !l.trim().is_empty()) {
        match serde_json::from_str::<Record>(line)? {
            Record::FieldOfWork(f) => r.fields.push(f),
            Record::Country(c) if c.status == CountryStatus::ParticipatingState => r.states.push(c),
            Record::OrgUnit(u) => r.units.push(u),
            Record::Chairpersonship(c) => r.chairs.push(c),
            Record::Role(role) => r.roles.push(role),
            _ => {}
        }
    }
    Ok(r)
}

/// One of `items`, uniformly; `items` is one of the constant word lists of
/// `vocabulary`, none of which is empty (the `word_lists_are_non_empty`
/// test holds them to it). Draws as `choose` does, so that a seed's corpus
/// stays the same.
#[allow(
    clippy::expect_used,
    reason = "only called with the constant word lists, all non-empty (checked by a test)"
)]
fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    items.choose(rng).expect("the word lists are non-empty")
}

/// A generated slug as a `Slug`: `slugify` output joined by hyphens to
/// dates and numbers is well formed, but an error says so if not.
fn slug(text: String) -> io::Result<Slug> {
    Slug::parse(text).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

/// A language tag of the generator's own (`en`, `ru`, `fr`, `de`, and the
/// languages of translations, such as `sr-Latn`).
fn language_tag(tag: &str) -> io::Result<LanguageTag> {
    LanguageTag::parse(tag).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

/// Picks an index with probability proportional to its weight.
fn weighted_pick(rng: &mut ChaCha8Rng, weights: &[f64]) -> usize {
    let total: f64 = weights.iter().sum();
    let mut x = rng.random::<f64>() * total;
    for (i, w) in weights.iter().enumerate() {
        if x < *w {
            return i;
        }
        x -= w;
    }
    weights.len() - 1
}

/// Weights ∝ 1/(i+1)^s: a few items get most of the traffic, as in a real newsroom.
fn zipf_weights(n: usize, s: f64) -> Vec<f64> {
    (0..n).map(|i| 1.0 / ((i + 1) as f64).powf(s)).collect()
}

pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for ch in text.chars() {
        let folded = match ch {
            'a'..='z' | '0'..='9' => Some(ch),
            'A'..='Z' => Some(ch.to_ascii_lowercase()),
            'ä' | 'á' | 'à' | 'â' | 'ã' | 'å' | 'Ä' => Some('a'),
            'é' | 'è' | 'ê' | 'ë' | 'É' => Some('e'),
            'í' | 'ì' | 'î' | 'ï' | 'ı' => Some('i'),
            'ö' | 'ó' | 'ò' | 'ô' | 'õ' | 'Ö' => Some('o'),
            'ü' | 'ú' | 'ù' | 'û' | 'Ü' => Some('u'),
            'ç' | 'č' | 'ć' => Some('c'),
            'š' | 'ş' | 'Š' => Some('s'),
            'ž' | 'Ž' => Some('z'),
            'ğ' => Some('g'),
            'ñ' | 'ń' => Some('n'),
            'ł' => Some('l'),
            'ý' => Some('y'),
            _ => None,
        };
        match folded {
            Some(c) => slug.push(c),
            None if !slug.is_empty() && !slug.ends_with('-') => slug.push('-'),
            None => {}
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

struct Head {
    person: Slug,
    unit: Slug,
    from: NaiveDate,
    to: Option<NaiveDate>,
}

struct Generator {
    rng: ChaCha8Rng,
    reference: Reference,
    until: NaiveDate,
    field_weights: Vec<f64>,
    field_order: Vec<usize>,
    state_weights: Vec<f64>,
    state_order: Vec<usize>,
    year_weights: Vec<f64>,
    /// Unit index → its heads, in time order.
    heads: Vec<Vec<Head>>,
    unit_weights: Vec<f64>,
    /// Meetings sorted by start date: (start, slug).
    meetings: Vec<(NaiveDate, Slug)>,
}

fn date(y: i32, m: u32, d: u32) -> io::Result<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("no date {y:04}-{m:02}-{d:02}"),
        )
    })
}

impl Generator {
    fn new(options: &GenerateOptions) -> io::Result<Self> {
        let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
        let reference = load_reference()?;
        let mut field_order: Vec<usize> = (0..reference.fields.len()).collect();
        shuffle(&mut rng, &mut field_order);
        let mut state_order: Vec<usize> = (0..reference.states.len()).collect();
        shuffle(&mut rng, &mut state_order);
        let last_year = options.until.year().max(FIRST_YEAR);
        // More news every year: weight ∝ (years since the start)^1.6.
        let year_weights = (FIRST_YEAR..=last_year)
            .map(|y| ((y - FIRST_YEAR + 2) as f64).powf(1.6))
            .collect();
        let unit_weights = reference
            .units
            .iter()
            .map(|u| match u.kind {
                OrgUnitKind::FieldOperation => 6.0,
                OrgUnitKind::Department | OrgUnitKind::Institution => 4.0,
                OrgUnitKind::Chairpersonship | OrgUnitKind::ParliamentaryAssembly => 3.0,
                OrgUnitKind::Secretariat => 2.0,
                OrgUnitKind::Group => 1.0,
                _ => 0.0,
            })
            .collect();
        Ok(Self {
            field_weights: zipf_weights(reference.fields.len(), 1.1),
            state_weights: zipf_weights(reference.states.len(), 0.9),
            heads: Vec::new(),
            meetings: Vec::new(),
            rng,
            field_order,
            state_order,
            year_weights,
            unit_weights,
            until: options.until,
            reference,
        })
    }

    fn random_date_in(&mut self, year: i32) -> io::Result<NaiveDate> {
        let start = date(year, 1, 1)?;
        let end = date(year, 12, 31)?.min(self.until);
        let days = (end - start).num_days().max(0);
        Ok(start + Duration::days(self.rng.random_range(0..=days)))
    }

    fn pick_state(&mut self) -> CountryCode {
        let i = weighted_pick(&mut self.rng, &self.state_weights);
        self.reference.states[self.state_order[i]].code.clone()
    }

    fn city_of(code: &str) -> Option<&'static str> {
        CITIES
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, city)| *city)
    }
}

fn shuffle(rng: &mut ChaCha8Rng, items: &mut [usize]) {
    for i in (1..items.len()).rev() {
        let j = rng.random_range(0..=i);
        items.swap(i, j);
    }
}

fn write_record(out: &mut impl Write, record: &Record) -> io::Result<()> {
    serde_json::to_writer(&mut *out, record)?;
    out.write_all(b"\n")
}

/// Writes the corpus to `out`.
pub fn generate(options: &GenerateOptions, out: &mut impl Write) -> io::Result<GenerateSummary> {
    let mut generator = Generator::new(options)?;
    out.write_all(REFERENCE_DATA.as_bytes())?;
    if !REFERENCE_DATA.ends_with('\n') {
        out.write_all(b"\n")?;
    }
    let people = generator.people_and_roles(out)?;
    let meetings = generator.meetings(out)?;
    // In date order, as a newsroom publishes them (so that, imported, ids
    // grow with dates as in a real archive): how many releases each year
    // gets is drawn first, then each year's days, sorted.
    let mut per_year = vec![0u64; generator.year_weights.len()];
    for _ in 0..options.releases {
        per_year[weighted_pick(&mut generator.rng, &generator.year_weights)] += 1;
    }
    let mut index = 0;
    for (offset, &count) in per_year.iter().enumerate() {
        let year = FIRST_YEAR + offset as i32;
        let mut days: Vec<NaiveDate> = (0..count)
            .map(|_| generator.random_date_in(year))
            .collect::<io::Result<_>>()?;
        days.sort_unstable();
        for day in days {
            let release = generator.release(index, day)?;
            write_record(out, &Record::PressRelease(release))?;
            index += 1;
        }
    }
    out.flush()?;
    Ok(GenerateSummary {
        people,
        meetings,
        press_releases: options.releases,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugify_folds_and_joins() {
        assert_eq!(slugify("Müller & Söhne: O'Brien"), "muller-sohne-o-brien");
        assert_eq!(slugify("  --Cyber/ICT Security-- "), "cyber-ict-security");
    }

    /// `pick` relies on it.
    #[test]
    fn word_lists_are_non_empty() {
        use vocabulary::*;
        let reference = load_reference().unwrap();
        let fields = reference.fields.iter().map(|f| f.slug.as_str());
        for (topics, verbs) in fields.chain(["not-a-field"]).map(field_vocabulary) {
            assert!(!topics.is_empty() && !verbs.is_empty());
        }
        for list in [FIRST_NAMES, LAST_NAMES, AUDIENCES, EVENTS, CLOSINGS] {
            assert!(!list.is_empty());
        }
    }

    /// Feeds derive `Last-Modified` from these: none may be in the future.
    #[test]
    fn no_timestamp_after_until() {
        let until = date(2026, 11, 27).unwrap();
        let options = GenerateOptions {
            releases: 2_000,
            seed: 3,
            until,
        };
        let mut out = Vec::new();
        generate(&options, &mut out).unwrap();
        use chrono::TimeZone;
        let latest = chrono::Utc.from_utc_datetime(&until.and_time(chrono::NaiveTime::MIN));
        let mut releases = 0;
        for line in String::from_utf8(out).unwrap().lines() {
            if let Ok(Record::PressRelease(r)) = serde_json::from_str(line) {
                releases += 1;
                assert!(
                    r.published_at <= latest && r.updated_at <= latest,
                    "{}",
                    r.slug
                );
                assert!(r.published_at <= r.updated_at, "{}", r.slug);
            }
        }
        assert_eq!(
            releases, 2_001,
            "the generated ones and the reference release"
        );
    }

    #[test]
    fn same_seed_same_corpus() {
        let options = GenerateOptions {
            releases: 50,
            seed: 7,
            until: date(2026, 11, 27).unwrap(),
        };
        let mut a = Vec::new();
        let mut b = Vec::new();
        generate(&options, &mut a).unwrap();
        generate(&options, &mut b).unwrap();
        assert_eq!(a, b);
        let other = GenerateOptions { seed: 8, ..options };
        let mut c = Vec::new();
        generate(&other, &mut c).unwrap();
        assert_ne!(a, c);
    }
}
