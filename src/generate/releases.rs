//! One press release: its unit, fields, countries, people and meetings, a
//! title and a multi-paragraph body from the field's vocabulary, and its
//! translations (`translations`).

use std::io;

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use rand::Rng;

use super::vocabulary::{AUDIENCES, CLOSINGS, EVENTS, MONTHS, field_vocabulary};
use super::{Generator, language_tag, pick, slug, slugify, weighted_pick};
use crate::domain::{CountryCode, OrgUnitKind};
use crate::model;

impl Generator {
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

    fn sentence(&mut self, field: usize) -> String {
        let (topics, verbs) = field_vocabulary(self.reference.fields[field].slug.as_str());
        let topic = *pick(&mut self.rng, topics);
        let mut other = *pick(&mut self.rng, topics);
        if other == topic {
            other = topics
                .iter()
                .find(|t| **t != topic)
                .copied()
                .unwrap_or(topic);
        }
        let verb = *pick(&mut self.rng, verbs);
        let audience = *pick(&mut self.rng, AUDIENCES);
        let event = *pick(&mut self.rng, EVENTS);
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

    pub(super) fn release(
        &mut self,
        index: u64,
        day: NaiveDate,
    ) -> io::Result<model::PressRelease> {
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
        let topic = *pick(&mut self.rng, topics);
        let audience = *pick(&mut self.rng, AUDIENCES);
        let event = *pick(&mut self.rng, EVENTS);
        let actor = match unit.kind {
            OrgUnitKind::FieldOperation | OrgUnitKind::Institution | OrgUnitKind::Department => {
                format!("OSCE {}", unit.name)
            }
            _ => "OSCE".to_string(),
        };
        let title = match self.rng.random_range(0..4) {
            0 => format!("{actor} {} {topic}", pick(&mut self.rng, verbs)),
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
            escape(pick::<&str>(&mut self.rng, CLOSINGS))
        ));
        let summary = Some(self.sentence(main));

        let language = match self.rng.random_range(0..100) {
            0..93 => "en",
            93..97 => "ru",
            97..99 => "fr",
            _ => "de",
        };
        let translations = self.translations(language, &fields, &place, day)?;

        let mut text = slugify(&title);
        text.truncate(90);
        let text = format!("{}-{day}-{index:x}", text.trim_end_matches('-'));
        let (hour, minute) = (self.rng.random_range(7..20), self.rng.random_range(0..60));
        let published = day.and_hms_opt(hour, minute, 0).ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("no time {hour:02}:{minute:02}"),
            )
        })?;
        let updated_after = self
            .rng
            .random_bool(0.1)
            .then(|| Duration::hours(self.rng.random_range(1..2000)));
        // No time after `until` began: a corpus made today holds no future
        // timestamps (feeds' Last-Modified is derived from them).
        let latest = Utc.from_utc_datetime(&self.until.and_time(NaiveTime::MIN));
        let published = Utc.from_utc_datetime(&published).min(latest);
        let updated = updated_after.map_or(published, |after| {
            (published + after).min(latest).max(published)
        });
        Ok(model::PressRelease {
            slug: slug(text)?,
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
            language: language_tag(language)?,
            summary,
            body_html: body,
            translations,
            published_at: published,
            updated_at: updated,
        })
    }
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

pub(super) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
