//! The filters and connections of the meeting and people lists.

use super::super::connection::{PageInfo, page_size};
use super::super::ids::parse_id_cursor;
use super::super::types::{Meeting, Person};
use crate::domain::{MeetingKind, OrgUnitKind};
use crate::graphql::scalars::Date;
use crate::service::lists::KeysetRequest;
use async_graphql::{Enum, InputObject, SimpleObject};

/// Filters for meetings; lists mean "any of", filters combine with AND.
#[derive(InputObject, Default)]
pub struct MeetingFilterInput {
    /// Field-of-work slugs.
    pub fields_of_work: Option<Vec<String>>,
    /// Host countries (ISO codes).
    pub countries: Option<Vec<String>>,
    /// Meeting series.
    pub kinds: Option<Vec<MeetingKind>>,
    /// Convening units (slugs).
    pub org_units: Option<Vec<String>>,
    /// With `orgUnits`: also meetings of the units below them.
    #[graphql(default)]
    pub include_descendants: bool,
    /// Meetings that end on or after this day.
    pub date_from: Option<Date>,
    /// Meetings that start on or before this day.
    pub date_to: Option<Date>,
}

/// How meetings are ordered (meetings starting the same day by slug).
#[derive(Enum, Copy, Clone, Default, PartialEq, Eq)]
pub enum MeetingOrder {
    /// Latest first (by start date).
    #[default]
    StartDesc,
    /// Earliest first.
    StartAsc,
}

/// Filters for people, by the roles they hold or held.
#[derive(InputObject, Default)]
pub struct PersonFilterInput {
    /// Role titles, e.g. `["Co-Chair"]`.
    pub role_titles: Option<Vec<String>>,
    /// Units the role is in (slugs).
    pub org_units: Option<Vec<String>>,
    /// With `orgUnits`: also roles in the units below them.
    #[graphql(default)]
    pub include_descendants: bool,
    /// States represented in the role (ISO codes).
    pub representing: Option<Vec<String>>,
    /// Only roles held on this day.
    pub active_on: Option<Date>,
}

/// Filters for the structure.
#[derive(InputObject, Default)]
pub struct OrgUnitFilterInput {
    /// Kinds of unit.
    pub kinds: Option<Vec<OrgUnitKind>>,
    /// Only units open on this day (not closed by then).
    pub as_of: Option<Date>,
    /// Only top-level units (no parent): the roots of the org chart.
    #[graphql(default)]
    pub top_level: bool,
}

/// A meeting and its cursor.
#[derive(SimpleObject)]
pub struct MeetingEdge {
    /// Opaque position in the list: pass it as `after` or `before`.
    pub cursor: String,
    /// The meeting.
    pub node: Meeting,
}

/// A page of meetings.
#[derive(SimpleObject)]
pub struct MeetingConnection {
    /// The meetings of the page, each with its cursor.
    pub edges: Vec<MeetingEdge>,
    /// The meetings of the page.
    pub nodes: Vec<Meeting>,
    /// Where the page sits.
    pub page_info: PageInfo,
}

/// A person and its cursor.
#[derive(SimpleObject)]
pub struct PersonEdge {
    /// Opaque position in the list: pass it as `after` or `before`.
    pub cursor: String,
    /// The person.
    pub node: Person,
}

/// A page of people, by name.
#[derive(SimpleObject)]
pub struct PersonConnection {
    /// The people of the page, each with its cursor.
    pub edges: Vec<PersonEdge>,
    /// The people of the page.
    pub nodes: Vec<Person>,
    /// Where the page sits.
    pub page_info: PageInfo,
}

pub(super) fn keyset_request(
    prefix: &str,
    first: Option<i32>,
    after: Option<String>,
    last: Option<i32>,
    before: Option<String>,
) -> async_graphql::Result<KeysetRequest> {
    let (first, last) = page_size(first, last)?;
    Ok(KeysetRequest {
        first,
        last,
        after: after.map(|c| parse_id_cursor(prefix, &c)).transpose()?,
        before: before.map(|c| parse_id_cursor(prefix, &c)).transpose()?,
    })
}
