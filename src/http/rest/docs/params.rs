//! The query parameters of the REST API, as the OpenAPI document lists them.

#![allow(dead_code)] // Read by the OpenAPI derive only, never constructed.

use chrono::NaiveDate;
use utoipa::IntoParams;

use super::*;

/// The release filter, shared with GraphQL and the feeds. Lists may be
/// repeated (`country=AM&country=AZ`) or comma-separated (`country=AM,AZ`)
/// and mean "any of"; filters combine with AND; unknown keys are a 400.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReleaseFilterParams {
    /// Field-of-work slugs.
    field_of_work: Option<Vec<String>>,
    /// Country codes (ISO 3166-1 alpha-2, any case).
    country: Option<Vec<String>>,
    /// Slugs of issuing units.
    source: Option<Vec<String>>,
    /// With `source`: also releases of the units below them.
    include_descendants: Option<bool>,
    /// Slugs of people named.
    person: Option<Vec<String>>,
    /// Slugs of meetings.
    meeting: Option<Vec<String>>,
    /// Releases about any meeting of these series.
    #[param(inline)]
    meeting_kind: Option<Vec<MeetingKinds>>,
    /// Language tags of the original.
    language: Option<Vec<String>>,
    /// Releases dated on or after this day.
    date_from: Option<NaiveDate>,
    /// Releases dated on or before this day.
    date_to: Option<NaiveDate>,
    /// Full-text search: words (all must match), `"exact phrase"`, `a OR b`, `-excluded`, `prefix*`.
    q: Option<String>,
}

/// The language to answer in.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LocaleParams {
    /// The language to answer in (BCP 47, e.g. `ru`; `fr-CH` is served `fr`). Each release comes once, in the first language of the fallback chain it exists in (else its own); `q` searches that text. Without it, `Accept-Language` is negotiated, else the default language.
    locale: Option<String>,
    /// The languages to fall back to, comma-separated, replacing the configured chain; or `none`. With either, releases in none of `locale` and these are left out.
    fallback: Option<String>,
}

/// Paging: pass the `next` link (or its `cursor`) to get the next page.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Items per page.
    #[param(minimum = 1, maximum = 100, default = 20)]
    limit: Option<u32>,
    /// Opaque position from a previous page's `next` link.
    cursor: Option<String>,
}

macro_rules! fields_param {
    ($name:ident, $names:ty) => {
        /// Which fields to return, in this order (CSV columns too); all when absent.
        #[derive(IntoParams)]
        #[into_params(parameter_in = Query)]
        pub struct $name {
            /// Field names, repeated or comma-separated.
            #[param(inline)]
            fields: Option<Vec<$names>>,
        }
    };
}

fields_param!(ReleaseFieldsParam, ReleaseFieldNames);
fields_param!(MeetingFieldsParam, MeetingFieldNames);
fields_param!(PersonFieldsParam, PersonFieldNames);
fields_param!(OrgUnitFieldsParam, OrgUnitFieldNames);
fields_param!(CountryFieldsParam, CountryFieldNames);
fields_param!(FieldOfWorkFieldsParam, FieldOfWorkFieldNames);

/// Order of a release list.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReleaseOrderParam {
    /// `date_desc` (newest first; the default without `q`), `date_asc`, `title_asc`, `title_desc`, or `relevance` (the default with `q`).
    #[param(inline)]
    order: Option<ReleaseOrders>,
}

/// Order of an export.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportOrderParam {
    /// `date_desc` (newest first, the default) or `date_asc`; releases of one day by slug.
    #[param(inline)]
    order: Option<ExportOrders>,
}

/// Meeting filters: lists mean "any of", filters combine with AND.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MeetingFilterParams {
    /// Field-of-work slugs.
    field_of_work: Option<Vec<String>>,
    /// Host countries (ISO codes).
    country: Option<Vec<String>>,
    /// Meeting series.
    #[param(inline)]
    kind: Option<Vec<MeetingKinds>>,
    /// Slugs of convening units.
    org_unit: Option<Vec<String>>,
    /// With `org_unit`: also meetings of the units below them.
    include_descendants: Option<bool>,
    /// Meetings that end on or after this day.
    date_from: Option<NaiveDate>,
    /// Meetings that start on or before this day.
    date_to: Option<NaiveDate>,
    /// Full-text search (the syntax of press releases' `q`); filters the list, which keeps its order.
    q: Option<String>,
    /// `start_desc` (latest first, the default) or `start_asc`.
    #[param(inline)]
    order: Option<MeetingOrders>,
}

/// People filters, by the roles they hold or held.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PersonFilterParams {
    /// Role titles, e.g. `Co-Chair`.
    role_title: Option<Vec<String>>,
    /// Slugs of the units the role is in.
    org_unit: Option<Vec<String>>,
    /// With `org_unit`: also roles in the units below them.
    include_descendants: Option<bool>,
    /// States represented in the role (ISO codes).
    representing: Option<Vec<String>>,
    /// Only roles held on this day.
    active_on: Option<NaiveDate>,
    /// Full-text search over names, role titles and units; filters the list, which keeps its order.
    q: Option<String>,
}

/// Structure filters.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrgUnitFilterParams {
    /// Kinds of unit.
    #[param(inline)]
    kind: Option<Vec<OrgUnitKinds>>,
    /// Only units open on this day (not closed by then).
    as_of: Option<NaiveDate>,
    /// Only top-level units (no parent).
    top_level: Option<bool>,
}

/// Country filters.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CountryFilterParams {
    /// Participating States or Partners.
    #[param(inline)]
    status: Option<Vec<CountryStatuses>>,
}
