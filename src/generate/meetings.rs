//! The regular meetings of each year.

use std::collections::{HashMap, HashSet};
use std::io::{self, Write};

use chrono::{Datelike, Duration};
use rand::Rng;

use super::{FIRST_YEAR, Generator, slug, slugify, write_record};
use crate::domain::{CountryCode, MeetingKind, Slug};
use crate::model::{self, Record};

impl Generator {
    fn chair_country(&self, year: i32) -> Option<CountryCode> {
        self.reference
            .chairs
            .iter()
            .find(|c| c.year == year)
            .map(|c| c.country.clone())
    }

    /// The regular meetings of each year, in their usual places.
    pub(super) fn meetings(&mut self, out: &mut impl Write) -> io::Result<u64> {
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
        let unit_slugs: HashMap<String, Slug> = self
            .reference
            .units
            .iter()
            .map(|u| (u.slug.to_string(), u.slug.clone()))
            .collect();
        let mut count = 0;
        let mut slugs = HashSet::new();
        for year in FIRST_YEAR..=self.until.year() {
            for (kind, title, per_year, country, unit, fields) in &series {
                for _ in 0..*per_year {
                    let start = self.random_date_in(year)?;
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
                    let mut text = format!("{}-{}", slugify(title), start);
                    let mut n = 2;
                    while !slugs.insert(text.clone()) {
                        text = format!("{}-{}-{n}", slugify(title), start);
                        n += 1;
                    }
                    let slug = slug(text)?;
                    let meeting = model::Meeting {
                        slug: slug.clone(),
                        title: format!("{title} {year}"),
                        kind: *kind,
                        start,
                        end,
                        place: Some(place.to_string()),
                        country,
                        org_unit: unit_slugs.get(*unit).cloned(),
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
}
