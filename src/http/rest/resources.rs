//! The items the REST API lists, as `Resource`s: the interchange records
//! themselves, so JSON, CSV and JSON Lines share their field names with
//! import and export; and a person with their roles.

use chrono::NaiveDate;
use serde::Serialize;

use super::repr::Resource;
use crate::domain::{CountryCode, Slug};
use crate::io::format::{self, Record};

fn line(record: &Record, out: &mut Vec<u8>) -> serde_json::Result<()> {
    serde_json::to_writer(&mut *out, record)?;
    out.push(b'\n');
    Ok(())
}

impl Resource for format::PressRelease {
    const NAME: &'static str = "press-releases";
    const FIELDS: &'static [&'static str] = &[
        "slug",
        "title",
        "date",
        "place",
        "source",
        "fields_of_work",
        "countries",
        "people",
        "meetings",
        "language",
        "summary",
        "body_html",
        "translations",
        "published_at",
        "updated_at",
    ];
    fn write_jsonl(self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        line(&Record::PressRelease(self), out)
    }
}

impl Resource for format::Meeting {
    const NAME: &'static str = "meetings";
    const FIELDS: &'static [&'static str] = &[
        "slug",
        "title",
        "kind",
        "start",
        "end",
        "place",
        "country",
        "org_unit",
        "fields_of_work",
    ];
    fn write_jsonl(self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        line(&Record::Meeting(self), out)
    }
}

impl Resource for format::OrgUnit {
    const NAME: &'static str = "org-units";
    const FIELDS: &'static [&'static str] = &[
        "slug",
        "name",
        "kind",
        "parent",
        "country",
        "closed_on",
        "description",
    ];
    fn write_jsonl(self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        line(&Record::OrgUnit(self), out)
    }
}

impl Resource for format::Country {
    const NAME: &'static str = "countries";
    const FIELDS: &'static [&'static str] = &["code", "slug", "name", "status"];
    fn write_jsonl(self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        line(&Record::Country(self), out)
    }
}

impl Resource for format::FieldOfWork {
    const NAME: &'static str = "fields-of-work";
    const FIELDS: &'static [&'static str] = &["slug", "name"];
    fn write_jsonl(self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        line(&Record::FieldOfWork(self), out)
    }
}

/// A person with the roles they held: the interchange `person` record
/// plus its `role` records (without the `person` key they share).
#[derive(Clone, Debug, Serialize)]
pub struct PersonOut {
    pub slug: Slug,
    pub name: String,
    pub roles: Vec<RoleOut>,
}

#[derive(Clone, Debug, Serialize)]
pub struct RoleOut {
    pub org_unit: Slug,
    pub title: String,
    pub country: Option<CountryCode>,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
}

impl PersonOut {
    pub fn new(person: format::Person, roles: Vec<format::Role>) -> Self {
        PersonOut {
            slug: person.slug,
            name: person.name,
            roles: roles
                .into_iter()
                .map(|r| RoleOut {
                    org_unit: r.org_unit,
                    title: r.title,
                    country: r.country,
                    from: r.from,
                    to: r.to,
                })
                .collect(),
        }
    }
}

impl Resource for PersonOut {
    const NAME: &'static str = "people";
    const FIELDS: &'static [&'static str] = &["slug", "name", "roles"];
    /// The `person` line, then its `role` lines: a people export imports
    /// whole (once the units and countries it refers to are there).
    fn write_jsonl(self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        line(
            &Record::Person(format::Person {
                slug: self.slug.clone(),
                name: self.name,
            }),
            out,
        )?;
        for role in self.roles {
            line(
                &Record::Role(format::Role {
                    person: self.slug.clone(),
                    org_unit: role.org_unit,
                    title: role.title,
                    country: role.country,
                    from: role.from,
                    to: role.to,
                }),
                out,
            )?;
        }
        Ok(())
    }
}
