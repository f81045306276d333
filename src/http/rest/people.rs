//! `/api/v1/people`: pages, the item, and the CSV / JSON Lines exports.

use axum::{
    extract::{Path, RawQuery, State, rejection::PathRejection},
    http::{HeaderMap, Uri},
    response::Response,
};
use sea_orm::DatabaseConnection;

use super::docs::{
    ErrorDoc, PageParams, PersonDoc, PersonFieldsParam, PersonFilterParams, PersonPageDoc,
};
use super::repr::{self, Batches, Fields, Format, Resource, next_link};
use super::resources::PersonOut;
use crate::domain::{FilterField, cursor};
use crate::http::{AppState, error::ApiError, params::QueryParams};
use crate::model::RecordKind;
use crate::service::QueryError;
use crate::service::lists::{self, KeysetRequest, PersonFilterKeys, PersonQuery};
use crate::storage;

/// People per export batch.
const BATCH: usize = 500;

fn filter(params: &mut QueryParams) -> Result<PersonFilterKeys, ApiError> {
    Ok(PersonFilterKeys {
        role_titles: params.list("role_title"),
        units: params.slugs("org_unit", FilterField::OrgUnits)?,
        include_descendants: params.boolean("include_descendants")?,
        representing: params.countries("representing")?,
        active_on: params.date("active_on")?,
        search: params.one("q")?,
    })
}

async fn people_by_ids(db: &DatabaseConnection, ids: &[i64]) -> Result<Vec<PersonOut>, QueryError> {
    Ok(storage::people::people_by_ids(db, ids)
        .await?
        .into_iter()
        .map(|(person, roles)| PersonOut::new(person, roles))
        .collect())
}

/// List people
///
/// By name, `limit` at a time, each with the roles held; with
/// `Accept: text/csv` or `Accept: application/x-ndjson`, the whole filtered
/// list instead.
#[utoipa::path(
    get,
    path = "/api/v1/people",
    tag = "people",
    params(PersonFilterParams, PageParams, PersonFieldsParam),
    responses(
        (status = 200, description = "A page of people.",
            headers(("Link" = String, description = "`<URL of the next page>; rel=\"next\"`, when there is one.")),
            content(
                (PersonPageDoc = "application/json"),
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
    let keys = filter(&mut params)?;
    let limit = super::limit(&mut params)?;
    let after = super::cursor(&mut params, |c| cursor::decode_id("p", c))?;
    let fields = Fields::parse(&mut params, PersonOut::FIELDS)?;
    params.finish()?;
    let request = KeysetRequest {
        first: Some(limit),
        after,
        ..KeysetRequest::default()
    };
    let resolved = lists::resolve_people(&state.snapshot(), &keys).await?;
    let page = lists::people(&state.db, &resolved, &request).await?;
    let ids: Vec<i64> = page.items.iter().map(|p| p.id).collect();
    let items = people_by_ids(&state.db, &ids)
        .await?
        .iter()
        .map(|p| fields.project(p))
        .collect::<Result<Vec<_>, _>>()?;
    let next = page
        .items
        .last()
        .filter(|_| page.has_next_page)
        .map(|p| next_link(uri.path(), query.as_deref(), &cursor::encode_id("p", p.id)));
    Ok(repr::page(items, next, None))
}

/// One person
#[utoipa::path(
    get,
    path = "/api/v1/people/{slug}",
    tag = "people",
    params(("slug" = String, Path, description = "The person's slug."), PersonFieldsParam),
    responses(
        (status = 200, description = "The person, with the roles held.", body = PersonDoc),
        (status = 400, description = "A parameter the API cannot use.", body = ErrorDoc),
        (status = 404, description = "No person has this slug.", body = ErrorDoc),
    )
)]
pub async fn item(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let slug = super::path_key(path)?;
    let mut params = QueryParams::parse(query.as_deref());
    let fields = Fields::parse(&mut params, PersonOut::FIELDS)?;
    params.finish()?;
    let not_found = || ApiError::not_found(format!("no person {slug:?}"));
    let id = storage::keys::id_of(&state.db, RecordKind::Person, &slug)
        .await?
        .ok_or_else(not_found)?;
    let person = people_by_ids(&state.db, &[id])
        .await?
        .pop()
        .ok_or_else(not_found)?;
    let mut response = repr::item(fields.project(&person)?);
    super::editorial::with_version(&state, RecordKind::Person, &slug, &mut response).await;
    Ok(response)
}

/// Export people as CSV
///
/// Every person matching the filter, streamed; `roles` is a JSON array in its cell.
#[utoipa::path(
    get,
    path = "/api/v1/people.csv",
    tag = "people",
    params(PersonFilterParams, PersonFieldsParam),
    responses(
        (status = 200, description = "CSV (RFC 4180) with a header row.", content_type = "text/csv", body = String,
            headers(("Content-Disposition" = String, description = "`attachment; filename=\"people.csv\"`"))),
        (status = 400, description = "A parameter the API cannot use.", body = ErrorDoc),
    )
)]
pub async fn csv(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    export(state, query, Format::Csv).await
}

/// Export people as JSON Lines
///
/// Every person matching the filter as the interchange format's `person`
/// line followed by that person's `role` lines; streamed.
#[utoipa::path(
    get,
    path = "/api/v1/people.jsonl",
    tag = "people",
    params(PersonFilterParams),
    responses(
        (status = 200, description = "One JSON object per line.", content_type = "application/x-ndjson", body = String,
            headers(("Content-Disposition" = String, description = "`attachment; filename=\"people.jsonl\"`"))),
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
    let keys = filter(&mut params)?;
    let fields = match format {
        Format::Csv => Fields::parse(&mut params, PersonOut::FIELDS)?,
        _ => Fields::all(PersonOut::FIELDS),
    };
    params.finish()?;
    let batches = Export {
        query: lists::resolve_people(&state.snapshot(), &keys).await?,
        after: None,
        done: false,
    };
    let chunks = repr::Rendered::new(state.db.clone(), batches, format, &fields);
    repr::export(chunks, format, &fields, None).await
}

/// Keyset pages of the people list, one after the other.
struct Export {
    query: PersonQuery,
    after: Option<i64>,
    done: bool,
}

impl Batches for Export {
    type Item = PersonOut;
    async fn next(
        &mut self,
        db: &DatabaseConnection,
    ) -> Result<Option<Vec<PersonOut>>, QueryError> {
        if self.done {
            return Ok(None);
        }
        let request = KeysetRequest {
            first: Some(BATCH),
            after: self.after,
            ..KeysetRequest::default()
        };
        let page = lists::people(db, &self.query, &request).await?;
        self.done = !page.has_next_page;
        self.after = page.items.last().map(|p| p.id);
        let ids: Vec<i64> = page.items.iter().map(|p| p.id).collect();
        Ok(Some(people_by_ids(db, &ids).await?))
    }
}
