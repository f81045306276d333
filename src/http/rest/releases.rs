//! `/api/v1/press-releases`: pages, the item, and the CSV / JSON Lines exports.

use std::sync::Arc;

use axum::{
    Extension,
    body::Bytes,
    extract::{Path, RawQuery, State, rejection::PathRejection},
    http::{HeaderMap, HeaderValue, Uri, header},
    response::Response,
};

use super::docs::{
    ErrorDoc, ExportOrderParam, LocaleParams, PageParams, PressReleaseDoc, PressReleasePageDoc,
    ReleaseFieldsParam, ReleaseFilterParams, ReleaseOrderParam,
};
use super::repr::{self, ChunkWriter, Chunks, Fields, Format, Resource, next_link};
use crate::domain::LocalePreference;
use crate::domain::{PageRequest, ReleaseOrder, cursor};
use crate::http::auth::Caller;
use crate::http::locale::language_headers;
use crate::http::{AppState, error::ApiError, params::QueryParams};
use crate::model::PressRelease;
use crate::model::RecordKind;
use crate::service::auth::Scope;
use crate::service::{QueryError, editorial, locale, releases};
use crate::storage;

/// The fields of a release as the JSON reads give it: the interchange
/// record's, then which language was served.
pub const LOCALIZED_FIELDS: &[&str] = &[
    "slug",
    "title",
    "date",
    "place",
    "source",
    "fields_of_work",
    "countries",
    "people",
    "meetings",
    "language",
    "summary",
    "body_html",
    "translations",
    "published_at",
    "updated_at",
    "served_locale",
    "is_fallback",
    "available_locales",
];

/// A release in the language served, as the JSON reads give it.
#[derive(serde::Serialize)]
struct Localized {
    #[serde(flatten)]
    record: PressRelease,
    #[serde(flatten)]
    served: locale::ServedLanguage,
}

fn localize(mut record: PressRelease, preference: &LocalePreference) -> Localized {
    let served = locale::serve(&mut record, preference);
    Localized { record, served }
}

fn order(params: &mut QueryParams) -> Result<Option<ReleaseOrder>, ApiError> {
    Ok(match params.one("order")?.as_deref() {
        None => None,
        Some("date_desc") => Some(ReleaseOrder::DateDesc),
        Some("date_asc") => Some(ReleaseOrder::DateAsc),
        Some("title_asc") => Some(ReleaseOrder::TitleAsc),
        Some("title_desc") => Some(ReleaseOrder::TitleDesc),
        Some("relevance") => Some(ReleaseOrder::Relevance),
        Some(other) => {
            return Err(ApiError::bad_parameter(
                "order",
                format!(
                    "unknown order {other:?}; known: date_desc, date_asc, title_asc, title_desc, relevance"
                ),
            ));
        }
    })
}

/// List press releases
///
/// Newest first (or by relevance with `q`), `limit` at a time. With
/// `Accept: text/csv` or `Accept: application/x-ndjson`, the whole filtered
/// list instead, as from the `.csv` and `.jsonl` endpoints.
#[utoipa::path(
    get,
    path = "/api/v1/press-releases",
    tag = "press releases",
    params(ReleaseFilterParams, LocaleParams, ReleaseOrderParam, PageParams, ReleaseFieldsParam),
    responses(
        (status = 200, description = "A page of releases, with the number matching over all pages.",
            headers(("Link" = String, description = "`<URL of the next page>; rel=\"next\"`, when there is one.")),
            content(
                (PressReleasePageDoc = "application/json"),
                (String = "text/csv"),
                (String = "application/x-ndjson"),
            )),
        (status = 400, description = "A parameter the API cannot use: unknown name, unknown slug or code, bad date, bad cursor, `limit` out of range.", body = ErrorDoc),
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
    let mut keys = params.release_filter()?;
    let preference = params.locale(&headers, &state.locales, None)?;
    keys.locale = Some(preference.clone());
    let order = order(&mut params)?;
    let limit = super::limit(&mut params)?;
    let after = super::cursor(&mut params, cursor::decode_release)?;
    let fields = Fields::parse(&mut params, LOCALIZED_FIELDS)?;
    params.finish()?;
    let request = PageRequest {
        first: Some(limit),
        after,
        ..PageRequest::default()
    };
    let snapshot = state.snapshot();
    let list = releases::list(&snapshot, &keys, None, order, request).await?;
    let ids: Vec<i64> = list.items.iter().map(|(_, row)| row.id).collect();
    let items = releases::records(&snapshot, &ids)
        .await?
        .into_iter()
        .map(|record| fields.project(&localize(record, &preference)))
        .collect::<Result<Vec<_>, _>>()?;
    let next = list
        .items
        .last()
        .filter(|_| list.has_next_page)
        .map(|(c, _)| next_link(uri.path(), query.as_deref(), &cursor::encode_release(*c)));
    let mut response = repr::page(items, next, Some(list.total_count()));
    language_headers(
        response.headers_mut(),
        preference.locale.as_str(),
        &preference,
    );
    Ok(response)
}

/// One press release
#[utoipa::path(
    get,
    path = "/api/v1/press-releases/{slug}",
    tag = "press releases",
    params(("slug" = String, Path, description = "The release's slug."), LocaleParams, ReleaseFieldsParam),
    responses(
        (status = 200, description = "The release, with its version as `ETag`. With a key that has `read:drafts`, any release (drafts too) in its editorial form (`EditorialPressRelease`: with `status`, `publish_at` and `version`).", body = PressReleaseDoc,
            headers(("ETag" = String, description = "The release's version, for `If-Match`."))),
        (status = 400, description = "A parameter the API cannot use.", body = ErrorDoc),
        (status = 404, description = "No release has this slug.", body = ErrorDoc),
    )
)]
pub async fn item(
    State(state): State<AppState>,
    caller: Option<Extension<Caller>>,
    path: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let slug = super::path_key(path)?;
    let mut params = QueryParams::parse(query.as_deref());
    let preference = params.locale(&headers, &state.locales, None)?;
    let fields = Fields::parse(&mut params, LOCALIZED_FIELDS)?;
    params.finish()?;
    // An editor sees drafts too, with their status and version.
    if let Some(Extension(caller)) = caller
        && caller
            .principal
            .as_ref()
            .is_some_and(|p| p.can(Scope::ReadDrafts))
    {
        let actor = caller.actor();
        let release = editorial::releases::get(&state.db, &actor, &slug, state.clock.now()).await?;
        return Ok(super::editorial::editorial(
            axum::http::StatusCode::OK,
            &release,
            &actor,
        ));
    }
    let not_found = || ApiError::not_found(format!("no press release {slug:?}"));
    state.settle_schedule().await;
    let id = storage::keys::id_of(&state.db, RecordKind::PressRelease, &slug)
        .await?
        .ok_or_else(not_found)?;
    let ids = [id];
    let (record, state_row) = futures::try_join!(
        storage::releases::press_releases_by_ids(&state.db, &ids),
        storage::editorial::release_state(&state.db, &slug),
    )?;
    let record = record.into_iter().next().ok_or_else(not_found)?;
    if preference.strict && locale::served_language(&record, &preference).is_none() {
        return Err(ApiError::new(
            axum::http::StatusCode::NOT_FOUND,
            "not_in_locale",
            format!(
                "press release {slug:?} exists in none of {}; ask without `fallback` for its best language",
                preference
                    .chain
                    .iter()
                    .map(|l| l.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    let localized = localize(record, &preference);
    let served = localized.served.served_locale.clone();
    let mut response = repr::item(fields.project(&localized)?);
    language_headers(response.headers_mut(), &served, &preference);
    // The version, for `If-Match` on an edit.
    if let Some(row) = state_row
        && let Ok(etag) = HeaderValue::from_str(&format!("\"{}\"", row.version))
    {
        response.headers_mut().insert(header::ETAG, etag);
    }
    Ok(response)
}

/// Export press releases as CSV
///
/// Every release matching the filter (no paging), newest first, releases of
/// one day by slug; streamed. Lists are joined with `;`; translations are a
/// JSON array in their cell.
#[utoipa::path(
    get,
    path = "/api/v1/press-releases.csv",
    tag = "press releases",
    params(ReleaseFilterParams, ExportOrderParam, ReleaseFieldsParam),
    responses(
        (status = 200, description = "CSV (RFC 4180) with a header row.", content_type = "text/csv", body = String,
            headers(
                ("Content-Disposition" = String, description = "`attachment; filename=\"press-releases.csv\"`"),
                ("X-Total-Count" = u64, description = "The number of rows that follow."),
            )),
        (status = 400, description = "A parameter the API cannot use.", body = ErrorDoc),
    )
)]
pub async fn csv(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    export(state, query, Format::Csv).await
}

/// Export press releases as JSON Lines
///
/// Every release matching the filter, as the interchange format's
/// `press_release` lines (the bytes `osce-api export` writes for them); streamed.
#[utoipa::path(
    get,
    path = "/api/v1/press-releases.jsonl",
    tag = "press releases",
    params(ReleaseFilterParams, ExportOrderParam),
    responses(
        (status = 200, description = "One JSON object per line.", content_type = "application/x-ndjson", body = String,
            headers(
                ("Content-Disposition" = String, description = "`attachment; filename=\"press-releases.jsonl\"`"),
                ("X-Total-Count" = u64, description = "The number of lines that follow."),
            )),
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
    let keys = params.release_filter()?;
    let ascending = match params.one("order")?.as_deref() {
        None | Some("date_desc") => false,
        Some("date_asc") => true,
        Some(other) => {
            return Err(ApiError::bad_parameter(
                "order",
                format!("exports are in date order: date_desc or date_asc, not {other:?}"),
            ));
        }
    };
    let fields = match format {
        Format::Csv => Fields::parse(&mut params, PressRelease::FIELDS)?,
        _ => Fields::all(PressRelease::FIELDS),
    };
    params.finish()?;
    let new_writer: releases::NewWriter<ReleaseChunk> = {
        let fields = fields.clone();
        // About what a release takes in either format.
        Arc::new(move |releases| ReleaseChunk(ChunkWriter::new(format, &fields, releases * 2_560)))
    };
    let export =
        releases::ReleaseExport::start(&state.snapshot(), &keys, ascending, new_writer).await?;
    let total = export.total();
    repr::export(Export(export), format, &fields, Some(total)).await
}

struct ReleaseChunk(ChunkWriter);

impl releases::ExportWriter for ReleaseChunk {
    fn write(&mut self, record: PressRelease) -> Result<(), String> {
        self.0.push(record)
    }
    fn finish(self) -> Result<Bytes, String> {
        self.0.finish()
    }
}

struct Export(releases::ReleaseExport<ReleaseChunk>);

impl Chunks for Export {
    const NAME: &'static str = PressRelease::NAME;
    async fn next(&mut self) -> Result<Option<Bytes>, QueryError> {
        self.0.next_batch().await
    }
}
