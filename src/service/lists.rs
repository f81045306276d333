//! Lists other than releases (meetings, people): the filter's keys
//! resolved to ids (and a search to its matches), then one keyset page from
//! the repository.

use chrono::NaiveDate;
use sea_orm::ConnectionTrait;

use super::snapshot::Snapshot;
use super::{QueryError, keys};
use crate::domain::{CountryCode, DateRange, MeetingKind, Slug};
pub use crate::domain::{KeysetPage, KeysetRequest};
use crate::storage::entity::{meeting, person};
pub use crate::storage::meetings::MeetingQuery;
pub use crate::storage::people::PersonQuery;
use crate::storage::search_index::SearchKind;

#[derive(Clone, Debug, Default)]
pub struct MeetingFilterKeys {
    pub fields_of_work: Vec<Slug>,
    pub countries: Vec<CountryCode>,
    pub kinds: Vec<MeetingKind>,
    pub units: Vec<Slug>,
    pub include_descendants: bool,
    /// Meetings overlapping these days.
    pub dates: DateRange,
    /// Full-text search; filters, the order stays by date.
    pub search: Option<String>,
}

/// A meeting filter in ids: its keys looked up in the request's catalog
/// (as release filters are) and its search run once.
pub async fn resolve_meetings(
    snapshot: &Snapshot,
    filter: &MeetingFilterKeys,
) -> Result<MeetingQuery, QueryError> {
    let catalog = snapshot.catalog().await?;
    let mut units = keys::lookup("org unit", &catalog.org_unit_ids, &filter.units)?;
    if filter.include_descendants {
        units = catalog.with_descendants(&units);
    }
    let among = match &filter.search {
        Some(text) => Some(super::search::matching_ids(snapshot, text, SearchKind::Meeting).await?),
        None => None,
    };
    Ok(MeetingQuery {
        among,
        fields_of_work: keys::lookup(
            "field of work",
            &catalog.field_of_work_ids,
            &filter.fields_of_work,
        )?,
        countries: keys::lookup("country", &catalog.country_ids, &filter.countries)?,
        kinds: filter.kinds.clone(),
        units,
        date_from: filter.dates.from,
        date_to: filter.dates.to,
    })
}

/// One keyset page of the meetings `query` selects.
pub async fn meetings(
    conn: &impl ConnectionTrait,
    query: &MeetingQuery,
    ascending: bool,
    request: &KeysetRequest,
) -> Result<KeysetPage<meeting::Model>, QueryError> {
    Ok(crate::storage::meetings::page(conn, query, ascending, request).await?)
}

#[derive(Clone, Debug, Default)]
pub struct PersonFilterKeys {
    pub role_titles: Vec<String>,
    pub units: Vec<Slug>,
    pub include_descendants: bool,
    pub representing: Vec<CountryCode>,
    pub active_on: Option<NaiveDate>,
    /// Full-text search (names, role titles and units); the order stays by name.
    pub search: Option<String>,
}

/// A people filter in ids, looked up in the request's catalog, its search
/// run once.
pub async fn resolve_people(
    snapshot: &Snapshot,
    filter: &PersonFilterKeys,
) -> Result<PersonQuery, QueryError> {
    let catalog = snapshot.catalog().await?;
    let mut units = keys::lookup("org unit", &catalog.org_unit_ids, &filter.units)?;
    if filter.include_descendants {
        units = catalog.with_descendants(&units);
    }
    let representing = keys::lookup("country", &catalog.country_ids, &filter.representing)?;
    let among = match &filter.search {
        Some(text) => Some(super::search::matching_ids(snapshot, text, SearchKind::Person).await?),
        None => None,
    };
    Ok(PersonQuery {
        among,
        role_titles: filter.role_titles.clone(),
        units,
        representing,
        active_on: filter.active_on,
    })
}

/// One keyset page of the people `query` selects.
pub async fn people(
    conn: &impl ConnectionTrait,
    query: &PersonQuery,
    request: &KeysetRequest,
) -> Result<KeysetPage<person::Model>, QueryError> {
    Ok(crate::storage::people::page(conn, query, request).await?)
}
