//! What the OpenAPI document says about the REST API: the response schemas
//! and the query parameters. Responses are built from the interchange
//! records (`model`), so these types exist only to describe them; a
//! test checks that their properties are exactly the fields the API writes.
//! Every property is optional in the schema because `fields=` may leave it out.

#![allow(dead_code)] // Read by the OpenAPI derive only, never constructed.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{Object, ObjectBuilder, Schema, Type};
use utoipa::{PartialSchema, ToSchema};

use super::repr::Resource;
use crate::domain::{CountryStatus, MeetingKind, OrgUnitKind};
use crate::model;

mod changes;
mod editorial;
mod params;

pub use changes::*;
pub use editorial::*;
pub use params::*;

/// A closed vocabulary (schemas given with `schema_with` carry their own
/// description, the doc comment of the field being ignored).
fn one_of(description: &str, values: impl IntoIterator<Item = &'static str>) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
        .enum_values(Some(values))
        .build()
}

fn meeting_kind() -> Object {
    <MeetingKinds as Names>::object()
}
fn org_unit_kind() -> Object {
    <OrgUnitKinds as Names>::object()
}
fn country_status() -> Object {
    <CountryStatuses as Names>::object()
}

/// A closed vocabulary, for parameters whose values are one of a list: its
/// schema is made from the list in code, so the document cannot drift.
pub trait Names {
    const DESCRIPTION: &'static str;
    fn names() -> Vec<&'static str>;
    fn object() -> Object {
        one_of(Self::DESCRIPTION, Self::names())
    }
}

macro_rules! names {
    ($name:ident, $description:literal, $values:expr) => {
        pub struct $name;
        impl Names for $name {
            const DESCRIPTION: &'static str = $description;
            fn names() -> Vec<&'static str> {
                $values
            }
        }
        impl PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                RefOr::T(Schema::Object(<$name as Names>::object()))
            }
        }
        impl ToSchema for $name {}
    };
}

names!(
    MeetingKinds,
    "The series a meeting belongs to.",
    MeetingKind::ALL.iter().map(|k| k.as_str()).collect()
);
names!(
    OrgUnitKinds,
    "What a unit is.",
    OrgUnitKind::ALL.iter().map(|k| k.as_str()).collect()
);
names!(
    CountryStatuses,
    "Participating State or Partner for Co-operation.",
    CountryStatus::ALL.iter().map(|k| k.as_str()).collect()
);
names!(
    ReleaseOrders,
    "An order.",
    vec![
        "date_desc",
        "date_asc",
        "title_asc",
        "title_desc",
        "relevance"
    ]
);
names!(ExportOrders, "An order.", vec!["date_desc", "date_asc"]);
names!(MeetingOrders, "An order.", vec!["start_desc", "start_asc"]);
names!(
    ReleaseFieldNames,
    "A field name.",
    super::releases::LOCALIZED_FIELDS.to_vec()
);
names!(
    MeetingFieldNames,
    "A field name.",
    model::Meeting::FIELDS.to_vec()
);
names!(
    PersonFieldNames,
    "A field name.",
    super::resources::PersonOut::FIELDS.to_vec()
);
names!(
    OrgUnitFieldNames,
    "A field name.",
    model::OrgUnit::FIELDS.to_vec()
);
names!(
    CountryFieldNames,
    "A field name.",
    model::Country::FIELDS.to_vec()
);
names!(
    FieldOfWorkFieldNames,
    "A field name.",
    model::FieldOfWork::FIELDS.to_vec()
);

/// A press release, with the interchange format's field names.
#[derive(ToSchema)]
#[schema(as = PressRelease)]
pub struct PressReleaseDoc {
    /// Stable key.
    #[schema(required = false, pattern = "^[a-z0-9]+(-[a-z0-9]+)*$")]
    slug: String,
    /// Headline, in `served_locale` (in `language` in writes and exports).
    #[schema(required = false)]
    title: String,
    /// The release's own date (its dateline).
    #[schema(required = false)]
    date: NaiveDate,
    /// Where it was issued, if said.
    place: Option<String>,
    /// Slug of the issuing unit.
    #[schema(required = false, pattern = "^[a-z0-9]+(-[a-z0-9]+)*$")]
    source: String,
    /// Slugs of its fields of work, in the release's order.
    #[schema(required = false)]
    fields_of_work: Vec<String>,
    /// ISO 3166-1 alpha-2 codes of the countries it concerns.
    #[schema(required = false)]
    countries: Vec<String>,
    /// Slugs of the people it names.
    #[schema(required = false)]
    people: Vec<String>,
    /// Slugs of the meetings it is about.
    #[schema(required = false)]
    meetings: Vec<String>,
    /// Language tag of the original (`en`, `ru`, …).
    #[schema(required = false)]
    language: String,
    /// Standfirst, if any.
    summary: Option<String>,
    /// Sanitised HTML body.
    #[schema(required = false)]
    body_html: String,
    /// Versions in other languages.
    #[schema(required = false)]
    translations: Vec<TranslationDoc>,
    /// When it was first published (RFC 3339, UTC).
    #[schema(required = false)]
    published_at: DateTime<Utc>,
    /// When it last changed (RFC 3339, UTC).
    #[schema(required = false)]
    updated_at: DateTime<Utc>,
    /// The language title, summary and body are in: the first of the requested `locale`'s fallback chain the release exists in, else its own (reads only).
    #[schema(required = false, read_only)]
    served_locale: String,
    /// Whether any field is in another language than the one asked for (reads only).
    #[schema(required = false, read_only)]
    is_fallback: bool,
    /// Every language it exists in: its own, then its translations' by tag (reads only).
    #[schema(required = false, read_only)]
    available_locales: Vec<String>,
}

/// A press release in another language.
#[derive(ToSchema)]
#[schema(as = Translation)]
pub struct TranslationDoc {
    /// Language tag.
    language: String,
    /// Headline in that language.
    title: String,
    /// Standfirst, if any.
    summary: Option<String>,
    /// Sanitised HTML body.
    body_html: String,
}

/// A meeting or conference.
#[derive(ToSchema)]
#[schema(as = Meeting)]
pub struct MeetingDoc {
    /// Stable key.
    #[schema(required = false, pattern = "^[a-z0-9]+(-[a-z0-9]+)*$")]
    slug: String,
    /// Title.
    #[schema(required = false)]
    title: String,
    /// The series it belongs to.
    #[schema(required = false, schema_with = meeting_kind)]
    kind: String,
    /// First day.
    #[schema(required = false)]
    start: NaiveDate,
    /// Last day.
    #[schema(required = false)]
    end: NaiveDate,
    /// Where, if known.
    place: Option<String>,
    /// Host country (ISO code), if any.
    country: Option<String>,
    /// Slug of the convening unit, if any.
    org_unit: Option<String>,
    /// Slugs of its fields of work.
    #[schema(required = false)]
    fields_of_work: Vec<String>,
}

/// A person who speaks or is named in releases, with the roles held.
#[derive(ToSchema)]
#[schema(as = Person)]
pub struct PersonDoc {
    /// Stable key.
    #[schema(required = false, pattern = "^[a-z0-9]+(-[a-z0-9]+)*$")]
    slug: String,
    /// Full name.
    #[schema(required = false)]
    name: String,
    /// Roles held over time, by start date.
    #[schema(required = false)]
    roles: Vec<PersonRoleDoc>,
}

/// A role held by a person for a time (the interchange `role` record without `person`).
#[derive(ToSchema)]
#[schema(as = Role)]
pub struct PersonRoleDoc {
    /// Slug of the unit the role is in.
    #[schema(pattern = "^[a-z0-9]+(-[a-z0-9]+)*$")]
    org_unit: String,
    /// Title, e.g. `Co-Chair`.
    title: String,
    /// The State represented in the role (ISO code), if any.
    country: Option<String>,
    /// First day.
    from: NaiveDate,
    /// Last day; `null` while current.
    to: Option<NaiveDate>,
}

/// A unit of the organisational structure.
#[derive(ToSchema)]
#[schema(as = OrgUnit)]
pub struct OrgUnitDoc {
    /// Stable key.
    #[schema(required = false, pattern = "^[a-z0-9]+(-[a-z0-9]+)*$")]
    slug: String,
    /// Name.
    #[schema(required = false)]
    name: String,
    /// What it is.
    #[schema(required = false, schema_with = org_unit_kind)]
    kind: String,
    /// Slug of the parent unit; `null` at the top.
    parent: Option<String>,
    /// Host country of a field operation (ISO code).
    country: Option<String>,
    /// The day it closed, if it has.
    closed_on: Option<NaiveDate>,
    /// A short description.
    description: Option<String>,
}

/// A participating State or Partner for Co-operation.
#[derive(ToSchema)]
#[schema(as = Country)]
pub struct CountryDoc {
    /// ISO 3166-1 alpha-2 code (the key).
    #[schema(required = false, pattern = "^[A-Z]{2}$")]
    code: String,
    /// Slug.
    #[schema(required = false, pattern = "^[a-z0-9]+(-[a-z0-9]+)*$")]
    slug: String,
    /// Name.
    #[schema(required = false)]
    name: String,
    /// Participating State or Partner.
    #[schema(required = false, schema_with = country_status)]
    status: String,
}

/// A field of work (thematic area).
#[derive(ToSchema)]
#[schema(as = FieldOfWork)]
pub struct FieldOfWorkDoc {
    /// Stable key.
    #[schema(required = false, pattern = "^[a-z0-9]+(-[a-z0-9]+)*$")]
    slug: String,
    /// Name.
    #[schema(required = false)]
    name: String,
}

macro_rules! page_doc {
    ($doc:ident, $name:ident, $item:ty, $what:literal) => {
        #[doc = concat!("One page of ", $what, ".")]
        #[derive(ToSchema)]
        #[schema(as = $name)]
        pub struct $doc {
            #[doc = concat!("The ", $what, " of this page, in list order.")]
            items: Vec<$item>,
            /// The URL of the next page (relative to this one), `null` on the last page; also in the `Link` header.
            next: Option<String>,
        }
    };
}

page_doc!(MeetingPageDoc, MeetingPage, MeetingDoc, "meetings");
page_doc!(PersonPageDoc, PersonPage, PersonDoc, "people");
page_doc!(OrgUnitPageDoc, OrgUnitPage, OrgUnitDoc, "units");
page_doc!(CountryPageDoc, CountryPage, CountryDoc, "countries");
page_doc!(
    FieldOfWorkPageDoc,
    FieldOfWorkPage,
    FieldOfWorkDoc,
    "fields of work"
);

/// One page of press releases.
#[derive(ToSchema)]
#[schema(as = PressReleasePage)]
pub struct PressReleasePageDoc {
    /// The releases of this page, in list order.
    items: Vec<PressReleaseDoc>,
    /// The URL of the next page (relative to this one), `null` on the last page; also in the `Link` header.
    next: Option<String>,
    /// How many releases match the filter, over all pages.
    total_count: u64,
}

/// Every error: a stable code, a message for people, and details for programs.
#[derive(ToSchema)]
#[schema(as = Error)]
pub struct ErrorDoc {
    error: ErrorBodyDoc,
}

/// What went wrong.
#[derive(ToSchema)]
#[schema(as = ErrorBody)]
pub struct ErrorBodyDoc {
    /// `bad_parameter`, `unknown_parameter`, `not_found`, `rate_limited`, `internal_error`, `service_unavailable`; for writes also `unauthenticated`, `forbidden`, `invalid`, `version_mismatch`, `precondition_required`, `slug_taken`, `wrong_state`, `idempotency_key_reused`, `unsupported_media_type`.
    code: String,
    /// What went wrong, in English.
    message: String,
    /// For `bad_parameter`: `{"parameter": name}`; for `unknown_parameter`: `{"parameters": [names]}`; for `invalid`: `{"fields": [{"field", "message"}]}`; for `version_mismatch`: `{"current_version": n}`; for `forbidden`: `{"scope": name}`; else `null`.
    details: Value,
}
