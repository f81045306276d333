//! The heads of units over the years, and who headed what on a given day.

use std::collections::HashSet;
use std::io::{self, Write};

use chrono::{Duration, NaiveDate};
use rand::Rng;

use super::vocabulary::{FIRST_NAMES, LAST_NAMES};
use super::{Generator, Head, date, pick, slug, slugify, write_record};
use crate::domain::OrgUnitKind;
use crate::model::{self, Record};

impl Generator {
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
    pub(super) fn people_and_roles(&mut self, out: &mut impl Write) -> io::Result<u64> {
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
            let mut from = date(1994, 1, 1)? + Duration::days(self.rng.random_range(0..700));
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
                    pick(&mut self.rng, FIRST_NAMES),
                    pick(&mut self.rng, LAST_NAMES)
                );
                let mut text = slugify(&name);
                let mut n = 2;
                while taken.contains(&text) {
                    text = format!("{}-{n}", slugify(&name));
                    n += 1;
                }
                taken.insert(text.clone());
                let person = slug(text)?;
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

    pub(super) fn head_on(&self, unit: usize, day: NaiveDate) -> Option<&Head> {
        self.heads
            .get(unit)?
            .iter()
            .find(|h| h.from <= day && h.to.is_none_or(|to| to >= day))
    }
}
