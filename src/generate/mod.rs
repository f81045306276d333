//! A realistic synthetic corpus for load tests and demos, in the interchange
//! format, deterministic for a given seed. It starts with the reference data
//! (so the file imports anywhere), adds the heads of units over the years and
//! the regular meetings, then streams press releases: more of them in recent
//! years, skewed across fields of work, countries and units the way a real
//! newsroom is, with multi-paragraph bodies built from each field's own
//! vocabulary so that search has something to find, and some translations.

use std::collections::HashSet;
use std::io::{self, Write};

use chrono::{Datelike, Duration, NaiveDate, TimeZone, Utc};
use rand::{Rng, SeedableRng, seq::IndexedRandom};
use rand_chacha::ChaCha8Rng;

use crate::model::reference::REFERENCE_DATA;
use crate::model::{self, Record};
use crate::domain::{CountryCode, CountryStatus, LanguageTag, MeetingKind, OrgUnitKind, Slug};

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

fn load_reference() -> Reference {
    let mut r = Reference {
        fields: vec![],
        states: vec![],
        units: vec![],
        chairs: vec![],
        roles: vec![],
    };
    for line in REFERENCE_DATA.lines().filter(|l| !l.trim().is_empty()) {
        match serde_json::from_str::<Record>(line).expect("the built-in reference data is valid") {
            Record::FieldOfWork(f) => r.fields.push(f),
            Record::Country(c) if c.status == CountryStatus::ParticipatingState => r.states.push(c),
            Record::OrgUnit(u) => r.units.push(u),
            Record::Chairpersonship(c) => r.chairs.push(c),
            Record::Role(role) => r.roles.push(role),
            _ => {}
        }
    }
    r
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

const FIRST_NAMES: &[&str] = &[
    "Anna",
    "Maria",
    "Elena",
    "Katarina",
    "Ingrid",
    "Sofia",
    "Laura",
    "Nina",
    "Olga",
    "Petra",
    "Marta",
    "Ewa",
    "Helga",
    "Zuzana",
    "Aida",
    "Lejla",
    "Nadia",
    "Claire",
    "Ilse",
    "Tamar",
    "Thomas",
    "Lamberto",
    "Andrzej",
    "Jan",
    "Marc",
    "Igor",
    "Stefan",
    "Pieter",
    "Miroslav",
    "Giorgi",
    "Aleksandr",
    "Henrik",
    "Luca",
    "Jonas",
    "Matti",
    "Erik",
    "Vladimir",
    "Dmitri",
    "Arman",
    "Murat",
    "Kairat",
    "Bakyt",
    "Ruslan",
    "Michael",
    "David",
    "Paul",
    "Tobias",
    "Jean",
    "Pedro",
    "Janez",
];
const LAST_NAMES: &[&str] = &[
    "Novak",
    "Kowalski",
    "Horvat",
    "Schmidt",
    "Müller",
    "Rossi",
    "Bianchi",
    "Dubois",
    "Martin",
    "Jensen",
    "Nielsen",
    "Virtanen",
    "Korhonen",
    "Andersson",
    "Johansson",
    "Popescu",
    "Ivanov",
    "Petrov",
    "Kovalenko",
    "Shevchenko",
    "Beridze",
    "Grigoryan",
    "Aliyev",
    "Nazarbayev",
    "Tokayev",
    "Sadykov",
    "Rahimov",
    "Karimov",
    "O'Brien",
    "Murphy",
    "Smith",
    "Johnson",
    "Brown",
    "García",
    "Fernández",
    "Silva",
    "Costa",
    "Papadopoulos",
    "Nagy",
    "Kovács",
    "Dvořák",
    "Svoboda",
    "Kuznetsov",
    "Vasiliev",
    "Jovanović",
    "Petrović",
    "Hodžić",
    "Krasniqi",
    "Berisha",
    "Demir",
];

/// Each field's vocabulary: topics (noun phrases) and the verbs of its news.
fn field_vocabulary(slug: &str) -> (&'static [&'static str], &'static [&'static str]) {
    match slug {
        "arms-control" => (
            &[
                "small arms and light weapons",
                "conventional ammunition",
                "confidence- and security-building measures",
                "the Vienna Document",
                "stockpile destruction",
                "military transparency",
            ],
            &["verifies", "destroys", "inspects", "reviews"],
        ),
        "border-management" => (
            &[
                "border security",
                "border crossing points",
                "customs co-operation",
                "cross-border trade",
                "border guards",
                "integrated border management",
            ],
            &["trains", "equips", "strengthens", "modernizes"],
        ),
        "combating-trafficking-in-human-beings" => (
            &[
                "victims of trafficking",
                "trafficking in human beings",
                "labour exploitation",
                "supply chains",
                "survivor support",
                "national referral mechanisms",
            ],
            &["protects", "identifies", "prosecutes", "prevents"],
        ),
        "conflict-prevention-and-resolution" => (
            &[
                "the ceasefire",
                "ceasefire monitoring",
                "humanitarian access",
                "confidence-building",
                "the peace process",
                "mediation",
                "early warning",
                "the negotiation process",
                "incident prevention",
            ],
            &["monitors", "mediates", "facilitates", "de-escalates"],
        ),
        "countering-terrorism" => (
            &[
                "violent extremism",
                "radicalization that leads to terrorism",
                "terrorist financing",
                "critical infrastructure",
                "travel document security",
            ],
            &["counters", "prevents", "disrupts", "assesses"],
        ),
        "cyber-ict-security" => (
            &[
                "cyber security",
                "ICT incidents",
                "critical information infrastructure",
                "cyber confidence-building measures",
                "digital resilience",
            ],
            &["protects", "secures", "coordinates", "exercises"],
        ),
        "democratization" => (
            &[
                "democratic institutions",
                "parliamentary oversight",
                "political party regulation",
                "civil society participation",
                "local self-government",
            ],
            &["supports", "strengthens", "advises", "promotes"],
        ),
        "economic-activities" => (
            &[
                "good economic governance",
                "anti-money laundering",
                "connectivity",
                "transport corridors",
                "the investment climate",
            ],
            &["fosters", "supports", "promotes", "reviews"],
        ),
        "education" => (
            &[
                "education for peace",
                "multilingual education",
                "school curricula",
                "youth education",
                "higher education reform",
            ],
            &["supports", "trains", "teaches", "develops"],
        ),
        "elections" => (
            &[
                "election observation",
                "the electoral code",
                "voter registration",
                "polling station procedures",
                "election administration",
                "campaign finance",
            ],
            &["observes", "assesses", "reports on", "recommends"],
        ),
        "environmental-activities" => (
            &[
                "water management",
                "climate change",
                "disaster risk reduction",
                "hazardous waste",
                "the Aarhus Centres",
                "wildfire prevention",
            ],
            &["protects", "assesses", "reduces", "cleans up"],
        ),
        "gender-equality" => (
            &[
                "gender equality",
                "violence against women",
                "women's participation",
                "women, peace and security",
                "gender mainstreaming",
            ],
            &["promotes", "supports", "empowers", "mainstreams"],
        ),
        "good-governance" => (
            &[
                "anti-corruption",
                "public procurement",
                "asset declarations",
                "transparency",
                "integrity in public service",
            ],
            &["fights", "strengthens", "audits", "reforms"],
        ),
        "human-rights" => (
            &[
                "human rights defenders",
                "freedom of assembly",
                "the prevention of torture",
                "fair trial rights",
                "freedom of religion or belief",
                "human rights monitoring",
            ],
            &["defends", "monitors", "protects", "documents"],
        ),
        "media-freedom-and-development" => (
            &[
                "media freedom",
                "the safety of journalists",
                "media pluralism",
                "freedom of expression",
                "access to information",
                "disinformation",
            ],
            &["defends", "trains", "protects", "condemns attacks on"],
        ),
        "migration" => (
            &[
                "migration governance",
                "labour migration",
                "displaced persons",
                "returnees",
                "refugee protection",
            ],
            &["manages", "supports", "assists", "coordinates"],
        ),
        "national-minority-issues" => (
            &[
                "national minorities",
                "minority languages",
                "inter-ethnic relations",
                "integration of diverse societies",
            ],
            &["protects", "integrates", "consults", "advises on"],
        ),
        "policing" => (
            &[
                "community policing",
                "police reform",
                "organized crime",
                "police training",
                "criminal investigations",
                "drug trafficking",
            ],
            &["trains", "reforms", "investigates", "equips"],
        ),
        "reform-and-co-operation-in-the-security-sector" => (
            &[
                "security sector governance",
                "democratic control of armed forces",
                "security sector reform",
                "parliamentary oversight of security services",
            ],
            &["reforms", "supports", "advises", "oversees"],
        ),
        "roma-and-sinti" => (
            &[
                "Roma and Sinti communities",
                "Roma inclusion",
                "anti-Gypsyism",
                "access to civil registration",
            ],
            &["includes", "supports", "empowers", "counters"],
        ),
        "rule-of-law" => (
            &[
                "judicial independence",
                "the rule of law",
                "legislative drafting",
                "war crimes proceedings",
                "access to justice",
                "trial monitoring",
            ],
            &["strengthens", "monitors", "reforms", "supports"],
        ),
        "tolerance-and-non-discrimination" => (
            &[
                "hate crime",
                "antisemitism",
                "intolerance against Muslims",
                "non-discrimination",
                "hate speech",
            ],
            &["counters", "records", "condemns", "prevents"],
        ),
        "youth" => (
            &[
                "young people",
                "youth participation",
                "youth leadership",
                "young peacebuilders",
                "youth employment",
            ],
            &["engages", "empowers", "trains", "brings together"],
        ),
        _ => (
            &["security and co-operation", "its mandate"],
            &["supports", "discusses"],
        ),
    }
}

const AUDIENCES: &[&str] = &[
    "judges and prosecutors",
    "police officers",
    "journalists",
    "civil society representatives",
    "parliamentarians",
    "local authorities",
    "young leaders",
    "women entrepreneurs",
    "border and customs officials",
    "teachers",
    "government officials",
    "human rights defenders",
    "election officials",
    "community leaders",
];
const EVENTS: &[&str] = &[
    "a two-day workshop",
    "a regional conference",
    "a training course",
    "a round table",
    "a study visit",
    "a public awareness campaign",
    "an expert meeting",
    "a simulation exercise",
    "a high-level dialogue",
];
const CLOSINGS: &[&str] = &[
    "The event was organized in co-operation with the host country authorities.",
    "The activity is part of an extra-budgetary project funded by several participating States.",
    "Participants agreed on a set of recommendations to be presented to the authorities.",
    "The OSCE will continue to support the implementation of these commitments.",
    "Further activities are planned for the coming months.",
    "The project is implemented in line with OSCE commitments in this field.",
];
const CITIES: &[(&str, &str)] = &[
    ("AL", "Tirana"),
    ("TM", "Ashgabat"),
    ("KZ", "Astana"),
    ("KG", "Bishkek"),
    ("BA", "Sarajevo"),
    ("TJ", "Dushanbe"),
    ("MD", "Chisinau"),
    ("ME", "Podgorica"),
    ("RS", "Belgrade"),
    ("MK", "Skopje"),
    ("UZ", "Tashkent"),
    ("UA", "Kyiv"),
    ("GE", "Tbilisi"),
    ("HR", "Zagreb"),
    ("BY", "Minsk"),
    ("AM", "Yerevan"),
    ("AZ", "Baku"),
    ("RU", "Moscow"),
    ("AT", "Vienna"),
    ("PL", "Warsaw"),
    ("NL", "The Hague"),
    ("DK", "Copenhagen"),
    ("CH", "Geneva"),
    ("FI", "Helsinki"),
    ("SE", "Stockholm"),
    ("DE", "Berlin"),
    ("FR", "Paris"),
    ("US", "Washington D.C."),
    ("IT", "Rome"),
    ("MT", "Valletta"),
    ("SK", "Bratislava"),
];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A few real sentences per language, for translations.
fn translation_bank(language: &str) -> (&'static [&'static str], &'static [&'static str]) {
    match language {
        "ru" => (
            &[
                "ОБСЕ поддерживает диалог и сотрудничество",
                "Миссия ОБСЕ провела семинар",
                "ОБСЕ призывает к соблюдению прекращения огня",
            ],
            &[
                "Мероприятие было организовано в сотрудничестве с властями.",
                "Участники обсудили вопросы безопасности и сотрудничества.",
                "ОБСЕ продолжит поддерживать выполнение обязательств.",
                "Наблюдатели отметили улучшение ситуации.",
            ],
        ),
        "fr" => (
            &[
                "L'OSCE soutient le dialogue et la coopération",
                "La mission de l'OSCE organise un atelier",
                "L'OSCE appelle au respect du cessez-le-feu",
            ],
            &[
                "L'événement a été organisé en coopération avec les autorités.",
                "Les participants ont discuté de la sécurité et de la coopération.",
                "L'OSCE continuera de soutenir la mise en œuvre des engagements.",
                "Les observateurs ont noté une amélioration de la situation.",
            ],
        ),
        _ => (
            &[
                "Die OSZE unterstützt Dialog und Zusammenarbeit",
                "Die OSZE-Mission veranstaltet einen Workshop",
                "Die OSZE ruft zur Einhaltung der Waffenruhe auf",
            ],
            &[
                "Die Veranstaltung wurde in Zusammenarbeit mit den Behörden organisiert.",
                "Die Teilnehmenden erörterten Fragen der Sicherheit und Zusammenarbeit.",
                "Die OSZE wird die Umsetzung der Verpflichtungen weiter unterstützen.",
                "Die Beobachter stellten eine Verbesserung der Lage fest.",
            ],
        ),
    }
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

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid calendar date")
}

impl Generator {
    fn new(options: &GenerateOptions) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
        let reference = load_reference();
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
        Self {
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
        }
    }

    fn random_date_in(&mut self, year: i32) -> NaiveDate {
        let start = date(year, 1, 1);
        let end = date(year, 12, 31).min(self.until);
        let days = (end - start).num_days().max(0);
        start + Duration::days(self.rng.random_range(0..=days))
    }

    fn head_title(unit: &model::OrgUnit) -> &'static str {
        match unit.kind {
            OrgUnitKind::FieldOperation => "Head of Mission",
            OrgUnitKind::Institution if unit.slug.as_str().starts_with("high-commissioner") => {
                "High Commissioner"
            }
            OrgUnitKind::Institution if unit.slug.as_str().starts_with("representative") => {
                "Representative"
            }
            OrgUnitKind::ParliamentaryAssembly => "President",
            OrgUnitKind::Secretariat => "Spokesperson",
            _ => "Director",
        }
    }

    /// Heads of units over the years: successive terms of two to five years.
    fn people_and_roles(&mut self, out: &mut impl Write) -> io::Result<u64> {
        let mut taken: HashSet<String> = self
            .reference
            .roles
            .iter()
            .map(|r| r.person.to_string())
            .collect();
        let mut count = 0;
        let units = self.reference.units.clone();
        for unit in &units {
            let mut heads = Vec::new();
            let eligible = matches!(
                unit.kind,
                OrgUnitKind::FieldOperation
                    | OrgUnitKind::Department
                    | OrgUnitKind::Institution
                    | OrgUnitKind::ParliamentaryAssembly
                    | OrgUnitKind::Secretariat
            );
            let mut from = date(1994, 1, 1) + Duration::days(self.rng.random_range(0..700));
            let closed = unit.closed_on.unwrap_or(self.until);
            while eligible && from < closed && from <= self.until {
                let term = Duration::days(self.rng.random_range(730..1826));
                let end = from + term;
                let to = (end < closed.min(self.until)).then_some(end);
                let to = if unit.closed_on.is_some() && to.is_none() {
                    unit.closed_on
                } else {
                    to
                };
                let name = format!(
                    "{} {}",
                    FIRST_NAMES.choose(&mut self.rng).expect("non-empty"),
                    LAST_NAMES.choose(&mut self.rng).expect("non-empty")
                );
                let mut slug = slugify(&name);
                let mut n = 2;
                while taken.contains(&slug) {
                    slug = format!("{}-{n}", slugify(&name));
                    n += 1;
                }
                taken.insert(slug.clone());
                let person = Slug::parse(slug).expect("slugify makes slugs");
                let country =
                    (unit.kind == OrgUnitKind::ParliamentaryAssembly).then(|| self.pick_state());
                write_record(
                    out,
                    &Record::Person(model::Person {
                        slug: person.clone(),
                        name,
                    }),
                )?;
                write_record(
                    out,
                    &Record::Role(model::Role {
                        person: person.clone(),
                        org_unit: unit.slug.clone(),
                        title: Self::head_title(unit).to_string(),
                        country,
                        from,
                        to,
                    }),
                )?;
                heads.push(Head {
                    person,
                    unit: unit.slug.clone(),
                    from,
                    to,
                });
                count += 1;
                match to {
                    Some(to) => from = to + Duration::days(1),
                    None => break,
                }
            }
            self.heads.push(heads);
        }
        Ok(count)
    }

    fn pick_state(&mut self) -> CountryCode {
        let i = weighted_pick(&mut self.rng, &self.state_weights);
        self.reference.states[self.state_order[i]].code.clone()
    }

    fn chair_country(&self, year: i32) -> Option<CountryCode> {
        self.reference
            .chairs
            .iter()
            .find(|c| c.year == year)
            .map(|c| c.country.clone())
    }

    fn city_of(code: &str) -> Option<&'static str> {
        CITIES
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, city)| *city)
    }

    /// The regular meetings of each year, in their usual places.
    fn meetings(&mut self, out: &mut impl Write) -> io::Result<u64> {
        let fields: Vec<Slug> = self
            .reference
            .fields
            .iter()
            .map(|f| f.slug.clone())
            .collect();
        let field = |slug: &str| {
            fields
                .iter()
                .find(|f| f.as_str() == slug)
                .cloned()
                .into_iter()
                .collect::<Vec<_>>()
        };
        // (kind, title, meetings a year, host country or "" for the Chair's, convening unit, fields)
        type Series<'a> = (MeetingKind, &'a str, u32, &'a str, &'a str, Vec<Slug>);
        let series: Vec<Series> = vec![
            (
                MeetingKind::MinisterialCouncil,
                "Ministerial Council",
                1,
                "",
                "chairpersonship",
                vec![],
            ),
            (
                MeetingKind::PermanentCouncil,
                "Plenary Meeting of the Permanent Council",
                40,
                "AT",
                "chairpersonship",
                vec![],
            ),
            (
                MeetingKind::ForumForSecurityCoOperation,
                "Plenary Meeting of the Forum for Security Co-operation",
                25,
                "AT",
                "chairpersonship",
                field("arms-control"),
            ),
            (
                MeetingKind::AnnualImplementationAssessmentMeeting,
                "Annual Implementation Assessment Meeting",
                1,
                "AT",
                "conflict-prevention-centre",
                field("arms-control"),
            ),
            (
                MeetingKind::SecurityReviewConference,
                "Annual Security Review Conference",
                1,
                "AT",
                "chairpersonship",
                field("conflict-prevention-and-resolution"),
            ),
            (
                MeetingKind::EconomicAndEnvironmentalForum,
                "Economic and Environmental Forum",
                2,
                "CZ",
                "office-of-the-co-ordinator-of-osce-economic-and-environmental-activities",
                field("economic-activities"),
            ),
            (
                MeetingKind::HumanRightsMeeting,
                "Human Dimension Implementation Meeting",
                1,
                "PL",
                "odihr",
                field("human-rights"),
            ),
            (
                MeetingKind::MediaConference,
                "Media Conference",
                1,
                "",
                "representative-on-freedom-of-the-media",
                field("media-freedom-and-development"),
            ),
            (
                MeetingKind::AllianceAgainstTraffickingConference,
                "Conference of the Alliance against Trafficking in Persons",
                1,
                "AT",
                "office-of-the-special-representative-and-co-ordinator-for-combating-trafficking-in-human-beings",
                field("combating-trafficking-in-human-beings"),
            ),
            (
                MeetingKind::MediterraneanConference,
                "OSCE Mediterranean Conference",
                1,
                "",
                "chairpersonship",
                vec![],
            ),
            (
                MeetingKind::AsianConference,
                "OSCE Asian Conference",
                1,
                "",
                "chairpersonship",
                vec![],
            ),
            (
                MeetingKind::CyberIctSecurityConference,
                "Cyber/ICT Security Conference",
                1,
                "AT",
                "transnational-threats-department",
                field("cyber-ict-security"),
            ),
            (
                MeetingKind::GenderEqualityReviewConference,
                "Gender Equality Review Conference",
                1,
                "AT",
                "gender-issues-programme",
                field("gender-equality"),
            ),
        ];
        let unit_slugs: HashSet<String> = self
            .reference
            .units
            .iter()
            .map(|u| u.slug.to_string())
            .collect();
        let mut count = 0;
        let mut slugs = HashSet::new();
        for year in FIRST_YEAR..=self.until.year() {
            for (kind, title, per_year, country, unit, fields) in &series {
                for _ in 0..*per_year {
                    let start = self.random_date_in(year);
                    let country = if country.is_empty() {
                        self.chair_country(year)
                    } else {
                        CountryCode::parse(*country).ok()
                    };
                    let place = country
                        .as_ref()
                        .and_then(|c| Self::city_of(c.as_str()))
                        .unwrap_or("Vienna");
                    let days = if *per_year > 2 {
                        0
                    } else {
                        self.rng.random_range(0..3)
                    };
                    let end = (start + Duration::days(days)).min(self.until.max(start));
                    let mut slug = format!("{}-{}", slugify(title), start);
                    let mut n = 2;
                    while !slugs.insert(slug.clone()) {
                        slug = format!("{}-{}-{n}", slugify(title), start);
                        n += 1;
                    }
                    let slug = Slug::parse(slug).expect("slugify makes slugs");
                    let meeting = model::Meeting {
                        slug: slug.clone(),
                        title: format!("{title} {year}"),
                        kind: *kind,
                        start,
                        end,
                        place: Some(place.to_string()),
                        country,
                        org_unit: unit_slugs
                            .contains(*unit)
                            .then(|| Slug::parse(*unit).expect("static slug")),
                        fields_of_work: fields.clone(),
                    };
                    write_record(out, &Record::Meeting(meeting))?;
                    self.meetings.push((start, slug));
                    count += 1;
                }
            }
        }
        self.meetings.sort();
        Ok(count)
    }

    fn open_units_on(&self, day: NaiveDate) -> Vec<(usize, f64)> {
        self.reference
            .units
            .iter()
            .enumerate()
            .filter(|(_, u)| u.closed_on.is_none_or(|c| c > day))
            .map(|(i, _)| (i, self.unit_weights[i]))
            .filter(|(_, w)| *w > 0.0)
            .collect()
    }

    fn head_on(&self, unit: usize, day: NaiveDate) -> Option<&Head> {
        self.heads
            .get(unit)?
            .iter()
            .find(|h| h.from <= day && h.to.is_none_or(|to| to >= day))
    }

    fn sentence(&mut self, field: usize) -> String {
        let (topics, verbs) = field_vocabulary(self.reference.fields[field].slug.as_str());
        let topic = *topics.choose(&mut self.rng).expect("non-empty");
        let mut other = *topics.choose(&mut self.rng).expect("non-empty");
        if other == topic {
            other = topics
                .iter()
                .find(|t| **t != topic)
                .copied()
                .unwrap_or(topic);
        }
        let verb = *verbs.choose(&mut self.rng).expect("non-empty");
        let audience = *AUDIENCES.choose(&mut self.rng).expect("non-empty");
        let event = *EVENTS.choose(&mut self.rng).expect("non-empty");
        match self.rng.random_range(0..7) {
            0 => format!("The OSCE {verb} efforts on {topic} together with {audience}."),
            1 => format!(
                "Some {} {audience} took part in {event} on {topic}.",
                self.rng.random_range(12..90)
            ),
            2 => format!("Speakers underlined that {topic} and {other} remain closely linked."),
            3 => format!(
                "The discussion focused on {topic}, and on practical steps to improve {other}."
            ),
            4 => format!(
                "{} said that sustained attention to {topic} is essential for comprehensive security.",
                capitalize(audience)
            ),
            5 => format!(
                "The OSCE has worked on {topic} in the region for many years and continues to support {other}."
            ),
            _ => format!(
                "Participants exchanged good practices on {topic} and agreed to follow up on {other}."
            ),
        }
    }

    fn paragraph(&mut self, field: usize) -> String {
        let n = self.rng.random_range(2..5);
        (0..n)
            .map(|_| self.sentence(field))
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn release(&mut self, index: u64, day: NaiveDate) -> model::PressRelease {
        let units = self.open_units_on(day);
        let weights: Vec<f64> = units.iter().map(|(_, w)| *w).collect();
        let unit_index = units[weighted_pick(&mut self.rng, &weights)].0;
        let unit = self.reference.units[unit_index].clone();

        let field_count = 1 + (self.rng.random::<f64>().powi(2) * 3.0) as usize;
        let mut fields: Vec<usize> = Vec::new();
        while fields.len() < field_count.min(3) {
            let f = self.field_order[weighted_pick(&mut self.rng, &self.field_weights)];
            if !fields.contains(&f) {
                fields.push(f);
            }
        }
        let mut countries: Vec<CountryCode> = unit.country.iter().cloned().collect();
        let extra = if self.rng.random_bool(0.25) {
            0
        } else {
            self.rng.random_range(0..3)
        };
        for _ in 0..extra {
            let c = self.pick_state();
            if !countries.contains(&c) {
                countries.push(c);
            }
        }
        let mut people = Vec::new();
        if self.rng.random_bool(0.6)
            && let Some(head) = self.head_on(unit_index, day)
        {
            debug_assert_eq!(head.unit, unit.slug);
            people.push(head.person.clone());
        }
        let mut meetings = Vec::new();
        if self.rng.random_bool(0.12) {
            let lo = self
                .meetings
                .partition_point(|(d, _)| *d < day - Duration::days(3));
            let hi = self.meetings.partition_point(|(d, _)| *d <= day);
            if lo < hi {
                meetings.push(self.meetings[self.rng.random_range(lo..hi)].1.clone());
            }
        }

        let place = unit
            .country
            .as_ref()
            .and_then(|c| Self::city_of(c.as_str()))
            .unwrap_or("Vienna")
            .to_string();
        let main = fields[0];
        let (topics, verbs) = field_vocabulary(self.reference.fields[main].slug.as_str());
        let topic = *topics.choose(&mut self.rng).expect("non-empty");
        let audience = *AUDIENCES.choose(&mut self.rng).expect("non-empty");
        let event = *EVENTS.choose(&mut self.rng).expect("non-empty");
        let actor = match unit.kind {
            OrgUnitKind::FieldOperation | OrgUnitKind::Institution | OrgUnitKind::Department => {
                format!("OSCE {}", unit.name)
            }
            _ => "OSCE".to_string(),
        };
        let title = match self.rng.random_range(0..4) {
            0 => format!(
                "{actor} {} {topic}",
                verbs.choose(&mut self.rng).expect("non-empty")
            ),
            1 => format!("{actor} holds {event} on {topic} for {audience}"),
            2 => format!(
                "{} on {topic} discussed at OSCE-supported {}",
                capitalize(audience),
                event.trim_start_matches("a ").trim_start_matches("an ")
            ),
            _ => format!("{actor} and partners focus on {topic} in {place}"),
        };
        let dateline = format!(
            "{place}, {} {} {}",
            day.day(),
            MONTHS[day.month0() as usize],
            day.year()
        );
        let mut body = format!("<p>{} – {}</p>", dateline, escape(&self.paragraph(main)));
        for i in 0..self.rng.random_range(2..6) {
            let field = fields[i % fields.len()];
            body.push_str(&format!("<p>{}</p>", escape(&self.paragraph(field))));
        }
        body.push_str(&format!(
            "<p>{}</p>",
            escape(CLOSINGS.choose(&mut self.rng).expect("non-empty"))
        ));
        let summary = Some(self.sentence(main));

        let language = match self.rng.random_range(0..100) {
            0..93 => "en",
            93..97 => "ru",
            97..99 => "fr",
            _ => "de",
        };
        let mut translations = Vec::new();
        if language == "en" && self.rng.random_bool(0.08) {
            let lang = ["ru", "fr", "de"][self.rng.random_range(0..3)];
            let (titles, sentences) = translation_bank(lang);
            let body_sentences: Vec<&str> = (0..3)
                .map(|_| *sentences.choose(&mut self.rng).expect("non-empty"))
                .collect();
            translations.push(model::Translation {
                language: LanguageTag::parse(lang).expect("static tag"),
                title: format!(
                    "{}: {place}",
                    titles.choose(&mut self.rng).expect("non-empty")
                ),
                summary: Some(body_sentences[0].to_string()),
                body_html: format!("<p>{}</p>", escape(&body_sentences.join(" "))),
            });
        }

        let mut slug = slugify(&title);
        slug.truncate(90);
        let slug = format!("{}-{day}-{index:x}", slug.trim_end_matches('-'));
        let published = Utc.from_utc_datetime(
            &day.and_hms_opt(
                self.rng.random_range(7..20),
                self.rng.random_range(0..60),
                0,
            )
            .expect("valid time"),
        );
        let updated = if self.rng.random_bool(0.1) {
            published + Duration::hours(self.rng.random_range(1..2000))
        } else {
            published
        };
        model::PressRelease {
            slug: Slug::parse(slug).expect("slugify makes slugs"),
            title,
            date: day,
            place: Some(place),
            source: unit.slug.clone(),
            fields_of_work: fields
                .iter()
                .map(|&f| self.reference.fields[f].slug.clone())
                .collect(),
            countries,
            people,
            meetings,
            language: LanguageTag::parse(language).expect("static tag"),
            summary,
            body_html: body,
            translations,
            published_at: published,
            updated_at: updated,
        }
    }
}

fn shuffle(rng: &mut ChaCha8Rng, items: &mut [usize]) {
    for i in (1..items.len()).rev() {
        let j = rng.random_range(0..=i);
        items.swap(i, j);
    }
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn write_record(out: &mut impl Write, record: &Record) -> io::Result<()> {
    serde_json::to_writer(&mut *out, record)?;
    out.write_all(b"\n")
}

/// Writes the corpus to `out`.
pub fn generate(options: &GenerateOptions, out: &mut impl Write) -> io::Result<GenerateSummary> {
    let mut generator = Generator::new(options);
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
        let mut days: Vec<NaiveDate> = (0..count).map(|_| generator.random_date_in(year)).collect();
        days.sort_unstable();
        for day in days {
            let release = generator.release(index, day);
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

    #[test]
    fn same_seed_same_corpus() {
        let options = GenerateOptions {
            releases: 50,
            seed: 7,
            until: date(2026, 11, 27),
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
