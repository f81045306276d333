//! The items the REST API lists, as `Resource`s: the interchange records
//! themselves, so JSON, CSV and JSON Lines share their field names with
//! import and export; and a person with their roles.

use std::borrow::Cow;

use chrono::NaiveDate;
use serde::Serialize;

use super::repr::Resource;
use crate::domain::{CountryCode, Slug};
use crate::model::{self, Record};

impl Resource for model::PressRelease {
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
        Record::PressRelease(self).write_line(out)
    }
    /// Written directly: a full export is a million rows, and going through
    /// a JSON value per row tripled its cost. A test checks these cells
    /// against the generic ones.
    fn csv_cell(&self, field: &str) -> Option<Cow<'_, str>> {
        fn joined<T: AsRef<str>>(items: &[T]) -> Cow<'_, str> {
            match items {
                [one] => Cow::Borrowed(one.as_ref()),
                _ => Cow::Owned(
                    items
                        .iter()
                        .map(AsRef::as_ref)
                        .collect::<Vec<_>>()
                        .join(";"),
                ),
            }
        }
        fn text(value: &Option<String>) -> Cow<'_, str> {
            Cow::Borrowed(value.as_deref().unwrap_or(""))
        }
        Some(match field {
            "slug" => Cow::Borrowed(self.slug.as_str()),
            "title" => Cow::Borrowed(self.title.as_str()),
            "date" => Cow::Owned(self.date.to_string()),
            "place" => text(&self.place),
            "source" => Cow::Borrowed(self.source.as_str()),
            "fields_of_work" => joined(&self.fields_of_work),
            "countries" => joined(&self.countries),
            "people" => joined(&self.people),
            "meetings" => joined(&self.meetings),
            "language" => Cow::Borrowed(self.language.as_str()),
            "summary" => text(&self.summary),
            "body_html" => Cow::Borrowed(self.body_html.as_str()),
            "translations" if self.translations.is_empty() => Cow::Borrowed(""),
            "translations" => Cow::Owned(serde_json::to_string(&self.translations).ok()?),
            "published_at" => Cow::Owned(model::rfc3339::format(&self.published_at)),
            "updated_at" => Cow::Owned(model::rfc3339::format(&self.updated_at)),
            _ => return None,
        })
    }
}

impl Resource for model::Meeting {
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
        Record::Meeting(self).write_line(out)
    }
}

impl Resource for model::OrgUnit {
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
        Record::OrgUnit(self).write_line(out)
    }
}

impl Resource for model::Country {
    const NAME: &'static str = "countries";
    const FIELDS: &'static [&'static str] = &["code", "slug", "name", "status"];
    fn write_jsonl(self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        Record::Country(self).write_line(out)
    }
}

impl Resource for model::FieldOfWork {
    const NAME: &'static str = "fields-of-work";
    const FIELDS: &'static [&'static str] = &["slug", "name"];
    fn write_jsonl(self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        Record::FieldOfWork(self).write_line(out)
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
    pub fn new(person: model::Person, roles: Vec<model::Role>) -> Self {
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
        Record::Person(model::Person {
            slug: self.slug.clone(),
            name: self.name,
        })
        .write_line(out)?;
        for role in self.roles {
            Record::Role(model::Role {
                person: self.slug.clone(),
                org_unit: role.org_unit,
                title: role.title,
                country: role.country,
                from: role.from,
                to: role.to,
            })
            .write_line(out)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::repr::{csv_cell, object_of};
    use super::*;
    use crate::model::reference::REFERENCE_DATA;
    use crate::service::import::parse_line;

    #[test]
    fn press_release_csv_cells_equal_the_generic_ones() {
        let mut release = REFERENCE_DATA
            .lines()
            .enumerate()
            .find_map(
                |(n, line)| match parse_line(n as u64 + 1, line.as_bytes()) {
                    Ok(Some(Record::PressRelease(r))) => Some(r),
                    _ => None,
                },
            )
            .expect("the seed release");
        let mut variants = vec![release.clone()];
        // One of each list, none, a translation, no summary or place.
        release.fields_of_work.truncate(1);
        release.countries.clear();
        release.translations.push(model::Translation {
            language: crate::domain::LanguageTag::parse("ru").expect("a language tag"),
            title: "Заявление \"сопредседателей\"".into(),
            summary: None,
            body_html: "<p>a;b</p>".into(),
        });
        release.summary = None;
        release.place = None;
        variants.push(release);
        for item in variants {
            let mut object = object_of(&item).expect("an object");
            for field in <model::PressRelease as Resource>::FIELDS {
                let generic = csv_cell(object.remove(*field).unwrap_or_default());
                let direct = item.csv_cell(field).expect("a cell").into_owned();
                if *field == "translations" && !direct.is_empty() {
                    // The same JSON, its keys in the interchange format's order.
                    let parse = |s: &str| serde_json::from_str::<serde_json::Value>(s).unwrap();
                    assert_eq!(parse(&direct), parse(&generic));
                    assert!(direct.starts_with(r#"[{"language":"#), "{direct}");
                } else {
                    assert_eq!(direct, generic, "{field}");
                }
            }
        }
    }
}
