//! The content model: the records every layer passes around, which are
//! also the interchange format (v1): one JSON object per line, tagged by
//! `type`. See `../shared/CONTENT-FORMAT.md`. Field order here is the order
//! keys are written on export, so it is part of the format's byte-exact output.

pub mod change;
pub mod reference;
pub mod sanitize;

/// Most translations a release may have: with its own text, one search
/// document per language, numbered within the release (see
/// `storage::search_index::SLOTS_PER_RELEASE`).
pub const MAX_TRANSLATIONS: usize = 63;

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::{CountryCode, CountryStatus, LanguageTag, MeetingKind, OrgUnitKind, Slug};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Record {
    FieldOfWork(FieldOfWork),
    Country(Country),
    OrgUnit(OrgUnit),
    Chairpersonship(Chairpersonship),
    Person(Person),
    Role(Role),
    Meeting(Meeting),
    PressRelease(PressRelease),
    /// Not content but an instruction to import: remove the record of
    /// type `of` keyed `key` (see `service::delete`).
    Deletion(Deletion),
}

/// `{"type":"deletion","of":"press_release","key":"…"}`: a bulk file's way
/// to withdraw a record. Applied after the file's other records, in the
/// same transaction, with the same checks as `osce-api delete`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deletion {
    pub of: String,
    pub key: String,
}

impl Record {
    /// Appends the record as one interchange line: its JSON, then `\n`.
    pub fn write_line(&self, out: &mut (impl std::io::Write + ?Sized)) -> serde_json::Result<()> {
        serde_json::to_writer(&mut *out, self)?;
        out.write_all(b"\n").map_err(serde_json::Error::io)
    }
}

/// The kinds of record, as the interchange format's `type` tags name them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RecordKind {
    FieldOfWork,
    Country,
    OrgUnit,
    Chairpersonship,
    Person,
    Role,
    Meeting,
    PressRelease,
}

impl RecordKind {
    pub const ALL: [RecordKind; 8] = [
        RecordKind::FieldOfWork,
        RecordKind::Country,
        RecordKind::OrgUnit,
        RecordKind::Chairpersonship,
        RecordKind::Person,
        RecordKind::Role,
        RecordKind::Meeting,
        RecordKind::PressRelease,
    ];

    /// The `type` tag of records of this kind, as written in the file.
    pub fn type_name(self) -> &'static str {
        match self {
            RecordKind::FieldOfWork => "field_of_work",
            RecordKind::Country => "country",
            RecordKind::OrgUnit => "org_unit",
            RecordKind::Chairpersonship => "chairpersonship",
            RecordKind::Person => "person",
            RecordKind::Role => "role",
            RecordKind::Meeting => "meeting",
            RecordKind::PressRelease => "press_release",
        }
    }

    /// The kind a `type` tag names.
    pub fn from_type_name(name: &str) -> Option<RecordKind> {
        RecordKind::ALL.into_iter().find(|k| k.type_name() == name)
    }

    /// How messages name a record of this kind.
    pub fn noun(self) -> &'static str {
        match self {
            RecordKind::FieldOfWork => "field of work",
            RecordKind::Country => "country",
            RecordKind::OrgUnit => "org unit",
            RecordKind::Chairpersonship => "chairpersonship",
            RecordKind::Person => "person",
            RecordKind::Role => "role",
            RecordKind::Meeting => "meeting",
            RecordKind::PressRelease => "press release",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldOfWork {
    pub slug: Slug,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Country {
    pub code: CountryCode,
    pub slug: Slug,
    pub name: String,
    pub status: CountryStatus,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrgUnit {
    pub slug: Slug,
    pub name: String,
    pub kind: OrgUnitKind,
    #[serde(default)]
    pub parent: Option<Slug>,
    #[serde(default)]
    pub country: Option<CountryCode>,
    #[serde(default)]
    pub closed_on: Option<NaiveDate>,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Chairpersonship {
    pub year: i32,
    pub country: CountryCode,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub slug: Slug,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Role {
    pub person: Slug,
    pub org_unit: Slug,
    pub title: String,
    #[serde(default)]
    pub country: Option<CountryCode>,
    pub from: NaiveDate,
    #[serde(default)]
    pub to: Option<NaiveDate>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meeting {
    pub slug: Slug,
    pub title: String,
    pub kind: MeetingKind,
    pub start: NaiveDate,
    pub end: NaiveDate,
    #[serde(default)]
    pub place: Option<String>,
    #[serde(default)]
    pub country: Option<CountryCode>,
    #[serde(default)]
    pub org_unit: Option<Slug>,
    #[serde(default)]
    pub fields_of_work: Vec<Slug>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PressRelease {
    pub slug: Slug,
    pub title: String,
    pub date: NaiveDate,
    #[serde(default)]
    pub place: Option<String>,
    pub source: Slug,
    #[serde(default)]
    pub fields_of_work: Vec<Slug>,
    #[serde(default)]
    pub countries: Vec<CountryCode>,
    #[serde(default)]
    pub people: Vec<Slug>,
    #[serde(default)]
    pub meetings: Vec<Slug>,
    pub language: LanguageTag,
    #[serde(default)]
    pub summary: Option<String>,
    pub body_html: String,
    #[serde(default)]
    pub translations: Vec<Translation>,
    #[serde(with = "rfc3339")]
    pub published_at: DateTime<Utc>,
    #[serde(with = "rfc3339")]
    pub updated_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Translation {
    pub language: LanguageTag,
    pub title: String,
    #[serde(default)]
    pub summary: Option<String>,
    pub body_html: String,
}

/// Timestamps: any RFC 3339 offset on the way in, normalised to UTC with `Z`
/// (and no fractional part when there is none) on the way out, so an export
/// is byte-stable.
pub mod rfc3339 {
    use super::*;

    pub fn serialize<S: serde::Serializer>(value: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format(value))
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        DateTime::parse_from_rfc3339(&text)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| {
                serde::de::Error::custom(format!("invalid RFC 3339 timestamp {text:?}: {e}"))
            })
    }

    pub fn format(value: &DateTime<Utc>) -> String {
        value.to_rfc3339_opts(SecondsFormat::AutoSi, true)
    }
}

/// Empty optional text means "none": normalised so that `""` and `null`
/// round-trip to the same bytes.
pub fn non_empty(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.trim().is_empty())
}
