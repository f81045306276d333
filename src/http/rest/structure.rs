//! The short lists: `/api/v1/org-units`, `/fields-of-work` and
//! `/countries` (a few dozen rows each, read whole and ordered by key), with
//! their items and exports. One generic implementation; the handlers below
//! only carry their documentation.

use std::future::Future;

use axum::{
    extract::{Path, RawQuery, State, rejection::PathRejection},
    http::{HeaderMap, Uri},
    response::Response,
};
use chrono::NaiveDate;
use sea_orm::{DatabaseConnection, DbErr};

use super::docs::{
    CountryDoc, CountryFieldsParam, CountryFilterParams, CountryPageDoc, ErrorDoc, FieldOfWorkDoc,
    FieldOfWorkFieldsParam, FieldOfWorkPageDoc, OrgUnitDoc, OrgUnitFieldsParam,
    OrgUnitFilterParams, OrgUnitPageDoc, PageParams,
};
use super::repr::{self, Fields, Format, Resource, Whole};
use crate::domain::{CountryStatus, OrgUnitKind, cursor};
use crate::http::{AppState, error::ApiError, params::QueryParams};
use crate::model::RecordKind;
use crate::model::{Country, FieldOfWork, OrgUnit};
use crate::storage;

/// A list read whole and ordered by its key.
trait ShortList: Resource + Sized {
    /// What an item is called in messages.
    const WHAT: &'static str;
    /// Its kind of record (for its version).
    const KIND: RecordKind;
    /// Cursor prefix.
    const CURSOR: &'static str;
    type Filter: Send;
    fn key(&self) -> &str;
    /// A key as a client may write it, as stored.
    fn normalise(key: String) -> String {
        key
    }
    fn filter(params: &mut QueryParams) -> Result<Self::Filter, ApiError>;
    fn keep(&self, filter: &Self::Filter) -> bool;
    fn load(db: &DatabaseConnection) -> impl Future<Output = Result<Vec<Self>, DbErr>> + Send;
}

impl ShortList for OrgUnit {
    const WHAT: &'static str = "org unit";
    const KIND: RecordKind = RecordKind::OrgUnit;
    const CURSOR: &'static str = "u";
    /// Kinds, open on a day, top level only.
    type Filter = (Vec<OrgUnitKind>, Option<NaiveDate>, bool);
    fn key(&self) -> &str {
        self.slug.as_str()
    }
    fn filter(params: &mut QueryParams) -> Result<Self::Filter, ApiError> {
        Ok((
            params.enumerated("kind", "unit kind", OrgUnitKind::parse, OrgUnitKind::ALL)?,
            params.date("as_of")?,
            params.boolean("top_level")?,
        ))
    }
    fn keep(&self, (kinds, as_of, top_level): &Self::Filter) -> bool {
        (kinds.is_empty() || kinds.contains(&self.kind))
            && as_of.is_none_or(|day| self.closed_on.is_none_or(|closed| closed > day))
            && (!top_level || self.parent.is_none())
    }
    async fn load(db: &DatabaseConnection) -> Result<Vec<Self>, DbErr> {
        storage::structure::org_units(db).await
    }
}

impl ShortList for FieldOfWork {
    const WHAT: &'static str = "field of work";
    const KIND: RecordKind = RecordKind::FieldOfWork;
    const CURSOR: &'static str = "f";
    type Filter = ();
    fn key(&self) -> &str {
        self.slug.as_str()
    }
    fn filter(_: &mut QueryParams) -> Result<(), ApiError> {
        Ok(())
    }
    fn keep(&self, _: &()) -> bool {
        true
    }
    async fn load(db: &DatabaseConnection) -> Result<Vec<Self>, DbErr> {
        storage::taxonomy::fields_of_work(db).await
    }
}

impl ShortList for Country {
    const WHAT: &'static str = "country";
    const KIND: RecordKind = RecordKind::Country;
    const CURSOR: &'static str = "c";
    type Filter = Vec<CountryStatus>;
    fn key(&self) -> &str {
        self.code.as_str()
    }
    fn normalise(key: String) -> String {
        key.to_ascii_uppercase()
    }
    fn filter(params: &mut QueryParams) -> Result<Self::Filter, ApiError> {
        params.enumerated(
            "status",
            "country status",
            CountryStatus::parse,
            CountryStatus::ALL,
        )
    }
    fn keep(&self, statuses: &Self::Filter) -> bool {
        statuses.is_empty() || statuses.contains(&self.status)
    }
    async fn load(db: &DatabaseConnection) -> Result<Vec<Self>, DbErr> {
        storage::taxonomy::countries(db).await
    }
}

async fn list<T: ShortList>(
    state: AppState,
    uri: Uri,
    query: Option<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    match Format::from_accept(&headers) {
        Format::Json => {}
        format => return export::<T>(state, query, format).await,
    }
    let mut params = QueryParams::parse(query.as_deref());
    let filter = T::filter(&mut params)?;
    let limit = super::limit(&mut params)?;
    let after = super::cursor(&mut params, |c| cursor::decode_key(T::CURSOR, c))?;
    let fields = Fields::parse(&mut params, T::FIELDS)?;
    params.finish()?;
    let items: Vec<T> = T::load(&state.db)
        .await?
        .into_iter()
        .filter(|item| item.keep(&filter))
        .collect();
    super::page_by_key(items, T::key, after, limit, &fields, |last| {
        repr::next_link(
            uri.path(),
            query.as_deref(),
            &cursor::encode_key(T::CURSOR, last),
        )
    })
}

async fn export<T: ShortList>(
    state: AppState,
    query: Option<String>,
    format: Format,
) -> Result<Response, ApiError> {
    let mut params = QueryParams::parse(query.as_deref());
    let filter = T::filter(&mut params)?;
    let fields = match format {
        Format::Csv => Fields::parse(&mut params, T::FIELDS)?,
        _ => Fields::all(T::FIELDS),
    };
    params.finish()?;
    let items: Vec<T> = T::load(&state.db)
        .await?
        .into_iter()
        .filter(|item| item.keep(&filter))
        .collect();
    let total = items.len() as u64;
    let chunks = repr::Rendered::new(state.db.clone(), Whole(Some(items)), format, &fields);
    repr::export(chunks, format, &fields, Some(total)).await
}

async fn item<T: ShortList>(
    state: AppState,
    path: Result<Path<String>, PathRejection>,
    query: Option<String>,
) -> Result<Response, ApiError> {
    let key = T::normalise(super::path_key(path)?);
    let mut params = QueryParams::parse(query.as_deref());
    let fields = Fields::parse(&mut params, T::FIELDS)?;
    params.finish()?;
    let found = T::load(&state.db)
        .await?
        .into_iter()
        .find(|item| item.key() == key)
        .ok_or_else(|| ApiError::not_found(format!("no {} {key:?}", T::WHAT)))?;
    let mut response = repr::item(fields.project(&found)?);
    super::editorial::with_version(&state, T::KIND, &key, &mut response).await;
    Ok(response)
}

/// List the organisational units
///
/// By slug, `limit` at a time; with `Accept: text/csv` or
/// `Accept: application/x-ndjson`, the whole filtered list instead.
#[utoipa::path(
    get,
    path = "/api/v1/org-units",
    tag = "structure",
    params(OrgUnitFilterParams, PageParams, OrgUnitFieldsParam),
    responses(
        (status = 200, description = "A page of units.",
            headers(("Link" = String, description = "`<URL of the next page>; rel=\"next\"`, when there is one.")),
            content((OrgUnitPageDoc = "application/json"), (String = "text/csv"), (String = "application/x-ndjson"))),
        (status = 400, description = "A parameter the API cannot use.", body = ErrorDoc),
    )
)]
pub async fn org_units(
    State(state): State<AppState>,
    uri: Uri,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    list::<OrgUnit>(state, uri, query, headers).await
}

/// Export the organisational units as CSV
#[utoipa::path(
    get,
    path = "/api/v1/org-units.csv",
    tag = "structure",
    params(OrgUnitFilterParams, OrgUnitFieldsParam),
    responses(
        (status = 200, description = "CSV (RFC 4180) with a header row.", content_type = "text/csv", body = String,
            headers(("Content-Disposition" = String, description = "`attachment; filename=\"org-units.csv\"`"))),
        (status = 400, description = "A parameter the API cannot use.", body = ErrorDoc),
    )
)]
pub async fn org_units_csv(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    export::<OrgUnit>(state, query, Format::Csv).await
}

/// Export the organisational units as JSON Lines (`org_unit` lines)
#[utoipa::path(
    get,
    path = "/api/v1/org-units.jsonl",
    tag = "structure",
    params(OrgUnitFilterParams),
    responses(
        (status = 200, description = "One JSON object per line.", content_type = "application/x-ndjson", body = String,
            headers(("Content-Disposition" = String, description = "`attachment; filename=\"org-units.jsonl\"`"))),
        (status = 400, description = "A parameter the API cannot use.", body = ErrorDoc),
    )
)]
pub async fn org_units_jsonl(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    export::<OrgUnit>(state, query, Format::Jsonl).await
}

/// One organisational unit
#[utoipa::path(
    get,
    path = "/api/v1/org-units/{slug}",
    tag = "structure",
    params(("slug" = String, Path, description = "The unit's slug."), OrgUnitFieldsParam),
    responses(
        (status = 200, description = "The unit.", body = OrgUnitDoc),
        (status = 400, description = "A parameter the API cannot use.", body = ErrorDoc),
        (status = 404, description = "No unit has this slug.", body = ErrorDoc),
    )
)]
pub async fn org_unit(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    item::<OrgUnit>(state, path, query).await
}

/// List the fields of work
///
/// By slug, `limit` at a time; with `Accept: text/csv` or
/// `Accept: application/x-ndjson`, the whole list instead.
#[utoipa::path(
    get,
    path = "/api/v1/fields-of-work",
    tag = "taxonomy",
    params(PageParams, FieldOfWorkFieldsParam),
    responses(
        (status = 200, description = "A page of fields of work.",
            headers(("Link" = String, description = "`<URL of the next page>; rel=\"next\"`, when there is one.")),
            content((FieldOfWorkPageDoc = "application/json"), (String = "text/csv"), (String = "application/x-ndjson"))),
        (status = 400, description = "A parameter the API cannot use.", body = ErrorDoc),
    )
)]
pub async fn fields_of_work(
    State(state): State<AppState>,
    uri: Uri,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    list::<FieldOfWork>(state, uri, query, headers).await
}

/// Export the fields of work as CSV
#[utoipa::path(
    get,
    path = "/api/v1/fields-of-work.csv",
    tag = "taxonomy",
    params(FieldOfWorkFieldsParam),
    responses(
        (status = 200, description = "CSV (RFC 4180) with a header row.", content_type = "text/csv", body = String,
            headers(("Content-Disposition" = String, description = "`attachment; filename=\"fields-of-work.csv\"`"))),
        (status = 400, description = "A parameter the API cannot use.", body = ErrorDoc),
    )
)]
pub async fn fields_of_work_csv(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    export::<FieldOfWork>(state, query, Format::Csv).await
}

/// Export the fields of work as JSON Lines (`field_of_work` lines)
#[utoipa::path(
    get,
    path = "/api/v1/fields-of-work.jsonl",
    tag = "taxonomy",
    responses(
        (status = 200, description = "One JSON object per line.", content_type = "application/x-ndjson", body = String,
            headers(("Content-Disposition" = String, description = "`attachment; filename=\"fields-of-work.jsonl\"`"))),
        (status = 400, description = "A parameter the API cannot use.", body = ErrorDoc),
    )
)]
pub async fn fields_of_work_jsonl(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    export::<FieldOfWork>(state, query, Format::Jsonl).await
}

/// One field of work
#[utoipa::path(
    get,
    path = "/api/v1/fields-of-work/{slug}",
    tag = "taxonomy",
    params(("slug" = String, Path, description = "The field's slug."), FieldOfWorkFieldsParam),
    responses(
        (status = 200, description = "The field of work.", body = FieldOfWorkDoc),
        (status = 400, description = "A parameter the API cannot use.", body = ErrorDoc),
        (status = 404, description = "No field of work has this slug.", body = ErrorDoc),
    )
)]
pub async fn field_of_work(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    item::<FieldOfWork>(state, path, query).await
}

/// List the countries
///
/// Participating States and Partners for Co-operation by ISO code, `limit`
/// at a time; with `Accept: text/csv` or `Accept: application/x-ndjson`,
/// the whole filtered list instead.
#[utoipa::path(
    get,
    path = "/api/v1/countries",
    tag = "taxonomy",
    params(CountryFilterParams, PageParams, CountryFieldsParam),
    responses(
        (status = 200, description = "A page of countries.",
            headers(("Link" = String, description = "`<URL of the next page>; rel=\"next\"`, when there is one.")),
            content((CountryPageDoc = "application/json"), (String = "text/csv"), (String = "application/x-ndjson"))),
        (status = 400, description = "A parameter the API cannot use.", body = ErrorDoc),
    )
)]
pub async fn countries(
    State(state): State<AppState>,
    uri: Uri,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    list::<Country>(state, uri, query, headers).await
}

/// Export the countries as CSV
#[utoipa::path(
    get,
    path = "/api/v1/countries.csv",
    tag = "taxonomy",
    params(CountryFilterParams, CountryFieldsParam),
    responses(
        (status = 200, description = "CSV (RFC 4180) with a header row.", content_type = "text/csv", body = String,
            headers(("Content-Disposition" = String, description = "`attachment; filename=\"countries.csv\"`"))),
        (status = 400, description = "A parameter the API cannot use.", body = ErrorDoc),
    )
)]
pub async fn countries_csv(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    export::<Country>(state, query, Format::Csv).await
}

/// Export the countries as JSON Lines (`country` lines)
#[utoipa::path(
    get,
    path = "/api/v1/countries.jsonl",
    tag = "taxonomy",
    params(CountryFilterParams),
    responses(
        (status = 200, description = "One JSON object per line.", content_type = "application/x-ndjson", body = String,
            headers(("Content-Disposition" = String, description = "`attachment; filename=\"countries.jsonl\"`"))),
        (status = 400, description = "A parameter the API cannot use.", body = ErrorDoc),
    )
)]
pub async fn countries_jsonl(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    export::<Country>(state, query, Format::Jsonl).await
}

/// One country
#[utoipa::path(
    get,
    path = "/api/v1/countries/{code}",
    tag = "taxonomy",
    params(("code" = String, Path, description = "ISO 3166-1 alpha-2 code, any case."), CountryFieldsParam),
    responses(
        (status = 200, description = "The country.", body = CountryDoc),
        (status = 400, description = "A parameter the API cannot use.", body = ErrorDoc),
        (status = 404, description = "No country has this code.", body = ErrorDoc),
    )
)]
pub async fn country(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    item::<Country>(state, path, query).await
}
