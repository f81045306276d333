//! `/api/v1/meetings`: pages, the item, and the CSV / JSON Lines exports.

use axum::{
    extract::{Path, RawQuery, State, rejection::PathRejection},
    http::{HeaderMap, Uri},
    response::Response,
};
use sea_orm::DatabaseConnection;

use super::docs::{
    ErrorDoc, MeetingDoc, MeetingFieldsParam, MeetingFilterParams, MeetingPageDoc, PageParams,
};
use super::repr::{self, Batches, Fields, Format, Resource, next_link};
use crate::domain::{DateRange, FilterField, MeetingKind, cursor};
use crate::http::{AppState, error::ApiError, params::QueryParams};
use crate::model::Meeting;
use crate::model::RecordKind;
use crate::service::QueryError;
use crate::service::lists::{self, KeysetRequest, MeetingFilterKeys, MeetingQuery};
use crate::storage;

/// Meetings per export batch.
const BATCH: usize = 500;

/// The filter and order (ascending?) of a meeting list.
fn filter(params: &mut QueryParams) -> Result<(MeetingFilterKeys, bool), ApiError> {
    let keys = MeetingFilterKeys {
        fields_of_work: params.slugs("field_of_work", FilterField::FieldsOfWork)?,
        countries: params.countries("country")?,
        kinds: params.enumerated("kind", "meeting kind", MeetingKind::parse, MeetingKind::ALL)?,
        units: params.slugs("org_unit", FilterField::OrgUnits)?,
        include_descendants: params.boolean("include_descendants")?,
        dates: DateRange::new(params.date("date_from")?, params.date("date_to")?),
        search: params.one("q")?,
    };
    let ascending = match params.one("order")?.as_deref() {
        None | Some("start_desc") => false,
        Some("start_asc") => true,
        Some(other) => {
            return Err(ApiError::bad_parameter(
                "order",
                format!("unknown order {other:?}; known: start_desc, start_asc"),
            ));
        }
    };
    Ok((keys, ascending))
}

/// List meetings
///
/// Latest first, `limit` at a time; with `Accept: text/csv` or
/// `Accept: application/x-ndjson`, the whole filtered list instead.
#[utoipa::path(
    get,
    path = "/api/v1/meetings",
    tag = "meetings",
    params(MeetingFilterParams, PageParams, MeetingFieldsParam),
    responses(
        (status = 200, description = "A page of meetings.",
            headers(("Link" = String, description = "`<URL of the next page>; rel=\"next\"`, when there is one.")),
            content(
                (MeetingPageDoc = "application/json"),
                (String = "text/csv"),
                (String = "application/x-ndjson"),
            )),
        (status = 400, description = "A parameter the API cannot use.", body = ErrorDoc),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    uri: Uri,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    match Format::from_accept(&headers) {
        Format::Json => {}
        format => return export(state, query, format).await,
    }
    let mut params = QueryParams::parse(query.as_deref());
    let (keys, ascending) = filter(&mut params)?;
    let limit = super::limit(&mut params)?;
    let after = super::cursor(&mut params, |c| cursor::decode_id("m", c))?;
    let fields = Fields::parse(&mut params, Meeting::FIELDS)?;
    params.finish()?;
    let request = KeysetRequest {
        first: Some(limit),
        after,
        ..KeysetRequest::default()
    };
    let resolved = lists::resolve_meetings(&state.snapshot(), &keys).await?;
    let page = lists::meetings(&state.db, &resolved, ascending, &request).await?;
    let ids: Vec<i64> = page.items.iter().map(|m| m.id).collect();
    let items = storage::meetings::meetings_by_ids(&state.db, &ids)
        .await?
        .iter()
        .map(|m| fields.project(m))
        .collect::<Result<Vec<_>, _>>()?;
    let next = page
        .items
        .last()
        .filter(|_| page.has_next_page)
        .map(|m| next_link(uri.path(), query.as_deref(), &cursor::encode_id("m", m.id)));
    Ok(repr::page(items, next, None))
}

/// One meeting
#[utoipa::path(
    get,
    path = "/api/v1/meetings/{slug}",
    tag = "meetings",
    params(("slug" = String, Path, description = "The meeting's slug."), MeetingFieldsParam),
    responses(
        (status = 200, description = "The meeting.", body = MeetingDoc),
        (status = 400, description = "A parameter the API cannot use.", body = ErrorDoc),
        (status = 404, description = "No meeting has this slug.", body = ErrorDoc),
    )
)]
pub async fn item(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let slug = super::path_key(path)?;
    let mut params = QueryParams::parse(query.as_deref());
    let fields = Fields::parse(&mut params, Meeting::FIELDS)?;
    params.finish()?;
    let not_found = || ApiError::not_found(format!("no meeting {slug:?}"));
    let id = storage::keys::id_of(&state.db, RecordKind::Meeting, &slug)
        .await?
        .ok_or_else(not_found)?;
    let meeting = storage::meetings::meetings_by_ids(&state.db, &[id])
        .await?
        .pop()
        .ok_or_else(not_found)?;
    let mut response = repr::item(fields.project(&meeting)?);
    super::editorial::with_version(&state, RecordKind::Meeting, &slug, &mut response).await;
    Ok(response)
}

/// Export meetings as CSV
///
/// Every meeting matching the filter, streamed; lists joined with `;`.
#[utoipa::path(
    get,
    path = "/api/v1/meetings.csv",
    tag = "meetings",
    params(MeetingFilterParams, MeetingFieldsParam),
    responses(
        (status = 200, description = "CSV (RFC 4180) with a header row.", content_type = "text/csv", body = String,
            headers(("Content-Disposition" = String, description = "`attachment; filename=\"meetings.csv\"`"))),
        (status = 400, description = "A parameter the API cannot use.", body = ErrorDoc),
    )
)]
pub async fn csv(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    export(state, query, Format::Csv).await
}

/// Export meetings as JSON Lines
///
/// Every meeting matching the filter, as the interchange format's `meeting` lines; streamed.
#[utoipa::path(
    get,
    path = "/api/v1/meetings.jsonl",
    tag = "meetings",
    params(MeetingFilterParams),
    responses(
        (status = 200, description = "One JSON object per line.", content_type = "application/x-ndjson", body = String,
            headers(("Content-Disposition" = String, description = "`attachment; filename=\"meetings.jsonl\"`"))),
        (status = 400, description = "A parameter the API cannot use.", body = ErrorDoc),
    )
)]
pub async fn jsonl(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    export(state, query, Format::Jsonl).await
}

async fn export(
    state: AppState,
    query: Option<String>,
    format: Format,
) -> Result<Response, ApiError> {
    let mut params = QueryParams::parse(query.as_deref());
    let (keys, ascending) = filter(&mut params)?;
    let fields = match format {
        Format::Csv => Fields::parse(&mut params, Meeting::FIELDS)?,
        _ => Fields::all(Meeting::FIELDS),
    };
    params.finish()?;
    let batches = Export {
        query: lists::resolve_meetings(&state.snapshot(), &keys).await?,
        ascending,
        after: None,
        done: false,
    };
    let chunks = repr::Rendered::new(state.db.clone(), batches, format, &fields);
    repr::export(chunks, format, &fields, None).await
}

/// Keyset pages of the meeting list, one after the other.
struct Export {
    query: MeetingQuery,
    ascending: bool,
    after: Option<i64>,
    done: bool,
}

impl Batches for Export {
    type Item = Meeting;
    async fn next(&mut self, db: &DatabaseConnection) -> Result<Option<Vec<Meeting>>, QueryError> {
        if self.done {
            return Ok(None);
        }
        let request = KeysetRequest {
            first: Some(BATCH),
            after: self.after,
            ..KeysetRequest::default()
        };
        let page = lists::meetings(db, &self.query, self.ascending, &request).await?;
        self.done = !page.has_next_page;
        self.after = page.items.last().map(|m| m.id);
        let ids: Vec<i64> = page.items.iter().map(|m| m.id).collect();
        Ok(Some(storage::meetings::meetings_by_ids(db, &ids).await?))
    }
}
