//! Lists other than releases (meetings, people): the filter's keys
//! resolved to ids (and a search to its matches), then one keyset page from
//! the repository.

use chrono::NaiveDate;
use sea_orm::ConnectionTrait;

use super::{QueryError, keys};
pub use crate::domain::{KeysetPage, KeysetRequest};
use crate::domain::{CountryCode, DateRange, MeetingKind, Slug};
use crate::model::RecordKind;
use crate::storage::entity::{meeting, person};
use crate::storage::meetings::MeetingQuery;
use crate::storage::people::PersonQuery;
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

pub async fn meetings(
    conn: &impl ConnectionTrait,
    filter: &MeetingFilterKeys,
    ascending: bool,
    request: &KeysetRequest,
) -> Result<KeysetPage<meeting::Model>, QueryError> {
    let among = match &filter.search {
        Some(text) => Some(super::search::matching_ids(conn, text, SearchKind::Meeting).await?),
        None => None,
    };
    let mut units = keys::resolve(conn, RecordKind::OrgUnit, &filter.units).await?;
    if filter.include_descendants {
        units = keys::with_descendants(conn, &units).await?;
    }
    let query = MeetingQuery {
        among,
        fields_of_work: keys::resolve(conn, RecordKind::FieldOfWork, &filter.fields_of_work)
            .await?,
        countries: keys::resolve(conn, RecordKind::Country, &filter.countries).await?,
        kinds: filter.kinds.clone(),
        units,
        date_from: filter.dates.from,
        date_to: filter.dates.to,
    };
    Ok(crate::storage::meetings::page(conn, &query, ascending, request).await?)
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

pub async fn people(
    conn: &impl ConnectionTrait,
    filter: &PersonFilterKeys,
    request: &KeysetRequest,
) -> Result<KeysetPage<person::Model>, QueryError> {
    let mut units = keys::resolve(conn, RecordKind::OrgUnit, &filter.units).await?;
    if filter.include_descendants {
        units = keys::with_descendants(conn, &units).await?;
    }
    let representing = keys::resolve(conn, RecordKind::Country, &filter.representing).await?;
    let among = match &filter.search {
        Some(text) => Some(super::search::matching_ids(conn, text, SearchKind::Person).await?),
        None => None,
    };
    let query = PersonQuery {
        among,
        role_titles: filter.role_titles.clone(),
        units,
        representing,
        active_on: filter.active_on,
    };
    Ok(crate::storage::people::page(conn, &query, request).await?)
}
