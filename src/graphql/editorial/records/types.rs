//! The input types of editors' writes of the other content, the fields
//! each gives (a JSON Merge Patch in the interchange format's names), and
//! the payloads: the record as saved, with its version.

use async_graphql::{InputObject, MaybeUndefined, SimpleObject};
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::domain::{CountryStatus, MeetingKind, OrgUnitKind};
use crate::graphql::scalars::Date;
use crate::graphql::types::{Chairpersonship, Country, FieldOfWork, Meeting, OrgUnit, Person};

/// Puts a field given (or `null`, to clear it) into the patch.
fn put<T: Serialize>(fields: &mut Map<String, Value>, name: &str, value: MaybeUndefined<T>) {
    match value {
        MaybeUndefined::Undefined => {}
        MaybeUndefined::Null => {
            fields.insert(name.into(), Value::Null);
        }
        MaybeUndefined::Value(v) => {
            fields.insert(name.into(), serde_json::to_value(v).unwrap_or(Value::Null));
        }
    }
}

fn date(value: MaybeUndefined<Date>) -> MaybeUndefined<String> {
    value.map_value(|d| d.0.format("%Y-%m-%d").to_string())
}

/// A field of work.
#[derive(InputObject, Default)]
pub struct FieldOfWorkInput {
    /// Stable key; cannot change once created.
    slug: MaybeUndefined<String>,
    /// Its name.
    name: MaybeUndefined<String>,
}

/// A participating State or Partner for Co-operation.
#[derive(InputObject, Default)]
pub struct CountryInput {
    /// ISO 3166-1 alpha-2 code (the key); cannot change once created.
    code: MaybeUndefined<String>,
    /// Its slug.
    slug: MaybeUndefined<String>,
    /// Its name.
    name: MaybeUndefined<String>,
    /// Participating State or Partner.
    status: MaybeUndefined<CountryStatus>,
}

/// A unit of the organisation.
#[derive(InputObject, Default)]
pub struct OrgUnitInput {
    /// Stable key; cannot change once created.
    slug: MaybeUndefined<String>,
    /// Its name.
    name: MaybeUndefined<String>,
    /// What it is.
    kind: MaybeUndefined<OrgUnitKind>,
    /// The slug of the unit it belongs to.
    parent: MaybeUndefined<String>,
    /// The code of the country it is in (field operations).
    country: MaybeUndefined<String>,
    /// The day it closed.
    closed_on: MaybeUndefined<Date>,
    /// What it does.
    description: MaybeUndefined<String>,
}

/// A year's Chairpersonship.
#[derive(InputObject, Default)]
pub struct ChairpersonshipInput {
    /// The year (the key); cannot change once created.
    year: MaybeUndefined<i32>,
    /// The code of the country that holds it.
    country: MaybeUndefined<String>,
}

/// A role a person held.
#[derive(InputObject)]
pub struct RoleInput {
    /// The slug of the unit.
    org_unit: String,
    /// The title (`Co-Chair`, `Head of Mission`, …).
    title: String,
    /// The code of the country the person represented in it, if any.
    country: Option<String>,
    /// The first day.
    from: Date,
    /// The last day; none while it lasts.
    to: Option<Date>,
}

/// A person, with the roles they held.
#[derive(InputObject, Default)]
pub struct PersonInput {
    /// Stable key; cannot change once created.
    slug: MaybeUndefined<String>,
    /// Their name.
    name: MaybeUndefined<String>,
    /// Every role they held (the whole list: it replaces the stored one).
    roles: MaybeUndefined<Vec<RoleInput>>,
}

/// A meeting or conference.
#[derive(InputObject, Default)]
pub struct MeetingInput {
    /// Stable key; cannot change once created.
    slug: MaybeUndefined<String>,
    /// Its title.
    title: MaybeUndefined<String>,
    /// The series it belongs to.
    kind: MaybeUndefined<MeetingKind>,
    /// The first day.
    start: MaybeUndefined<Date>,
    /// The last day.
    end: MaybeUndefined<Date>,
    /// Where.
    place: MaybeUndefined<String>,
    /// The code of the country it was held in.
    country: MaybeUndefined<String>,
    /// The slug of the unit that held it.
    org_unit: MaybeUndefined<String>,
    /// Slugs of its fields of work.
    fields_of_work: MaybeUndefined<Vec<String>>,
}

impl FieldOfWorkInput {
    pub(super) fn fields(self) -> Map<String, Value> {
        let mut f = Map::new();
        put(&mut f, "slug", self.slug);
        put(&mut f, "name", self.name);
        f
    }
}

impl CountryInput {
    pub(super) fn fields(self) -> Map<String, Value> {
        let mut f = Map::new();
        put(&mut f, "code", self.code);
        put(&mut f, "slug", self.slug);
        put(&mut f, "name", self.name);
        put(&mut f, "status", self.status);
        f
    }
}

impl OrgUnitInput {
    /// Only `closed_on`: closing a unit.
    pub(super) fn closing(on: Date) -> Self {
        Self {
            closed_on: MaybeUndefined::Value(on),
            ..Default::default()
        }
    }

    pub(super) fn fields(self) -> Map<String, Value> {
        let mut f = Map::new();
        put(&mut f, "slug", self.slug);
        put(&mut f, "name", self.name);
        put(&mut f, "kind", self.kind);
        put(&mut f, "parent", self.parent);
        put(&mut f, "country", self.country);
        put(&mut f, "closed_on", date(self.closed_on));
        put(&mut f, "description", self.description);
        f
    }
}

impl ChairpersonshipInput {
    pub(super) fn fields(self) -> Map<String, Value> {
        let mut f = Map::new();
        put(&mut f, "year", self.year);
        put(&mut f, "country", self.country);
        f
    }
}

impl PersonInput {
    pub(super) fn fields(self) -> Map<String, Value> {
        let mut f = Map::new();
        put(&mut f, "slug", self.slug);
        put(&mut f, "name", self.name);
        put(
            &mut f,
            "roles",
            self.roles.map_value(|roles| {
                roles
                    .into_iter()
                    .map(|r| {
                        json!({
                            "org_unit": r.org_unit, "title": r.title, "country": r.country,
                            "from": r.from.0.format("%Y-%m-%d").to_string(),
                            "to": r.to.map(|d| d.0.format("%Y-%m-%d").to_string()),
                        })
                    })
                    .collect::<Vec<_>>()
            }),
        );
        f
    }
}

impl MeetingInput {
    pub(super) fn fields(self) -> Map<String, Value> {
        let mut f = Map::new();
        put(&mut f, "slug", self.slug);
        put(&mut f, "title", self.title);
        put(&mut f, "kind", self.kind);
        put(&mut f, "start", date(self.start));
        put(&mut f, "end", date(self.end));
        put(&mut f, "place", self.place);
        put(&mut f, "country", self.country);
        put(&mut f, "org_unit", self.org_unit);
        put(&mut f, "fields_of_work", self.fields_of_work);
        f
    }
}

/// A field of work as saved, with its version.
#[derive(SimpleObject)]
pub struct FieldOfWorkPayload {
    /// The field of work.
    pub(super) field_of_work: FieldOfWork,
    /// Its version: send it as `expectedVersion` to change it.
    pub(super) version: i64,
}

/// A country as saved, with its version.
#[derive(SimpleObject)]
pub struct CountryPayload {
    /// The country.
    pub(super) country: Country,
    /// Its version: send it as `expectedVersion` to change it.
    pub(super) version: i64,
}

/// A unit as saved, with its version.
#[derive(SimpleObject)]
pub struct OrgUnitPayload {
    /// The unit.
    pub(super) org_unit: OrgUnit,
    /// Its version: send it as `expectedVersion` to change it.
    pub(super) version: i64,
}

/// A Chairpersonship as saved, with its version.
#[derive(SimpleObject)]
pub struct ChairpersonshipPayload {
    /// The Chairpersonship.
    pub(super) chairpersonship: Chairpersonship,
    /// Its version: send it as `expectedVersion` to change it.
    pub(super) version: i64,
}

/// A person as saved (with their roles), with their version.
#[derive(SimpleObject)]
pub struct PersonPayload {
    /// The person.
    pub(super) person: Person,
    /// Their version: send it as `expectedVersion` to change them.
    pub(super) version: i64,
}

/// A meeting as saved, with its version.
#[derive(SimpleObject)]
pub struct MeetingPayload {
    /// The meeting.
    pub(super) meeting: Meeting,
    /// Its version: send it as `expectedVersion` to change it.
    pub(super) version: i64,
}

/// What a deletion leaves.
#[derive(SimpleObject)]
pub struct DeletedRecord {
    /// The deleted record's key.
    pub(super) key: String,
    /// The version it had.
    pub(super) deleted_version: i64,
}
