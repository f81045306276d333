//! `/feeds/…`: press releases as RSS, Atom and JSON Feed, filtered with the
//! shared query parameters, with shortcuts per field of work, country and
//! unit, in the language asked for (`?locale=`, else `Accept-Language`;
//! only releases that exist in it unless `?fallback=` names more).
//! Rendered feeds come from the in-process cache when the content has not
//! changed; every response carries validators, so readers mostly get a 304.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use axum::{
    Router,
    extract::{Path, RawQuery, State},
    http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};

use super::AppState;
use super::error::ApiError;
use super::locale::language_headers;
use super::params::QueryParams;
use crate::domain::{FallbackOverride, LocalePreference, ReleaseFilterKeys};
use crate::feeds::{self, FeedRequest, Format, Scope, cache::Rendered};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/feeds/{file}", get(all_releases))
        .route("/feeds/fields-of-work/{file}", get(field_of_work))
        .route("/feeds/countries/{file}", get(country))
        .route("/feeds/org-units/{file}", get(org_unit))
}

/// `name.ext` → (name, feed format); anything else is a 404 saying what exists.
fn split_file(file: &str) -> Result<(&str, Format), ApiError> {
    file.rsplit_once('.')
        .and_then(|(stem, ext)| Some((stem, Format::from_extension(ext)?)))
        .filter(|(stem, _)| !stem.is_empty())
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "no feed {file:?}: feeds end in .rss (RSS 2.0), .atom (Atom 1.0) or .json (JSON Feed 1.1)"
            ))
        })
}

async fn all_releases(
    State(state): State<AppState>,
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (stem, format) = split_file(&file)?;
    if stem != "press-releases" {
        return Err(ApiError::not_found(format!(
            "no feed {file:?}: try /feeds/press-releases.atom, or /feeds/fields-of-work/{{slug}}.atom, \
             /feeds/countries/{{code}}.atom, /feeds/org-units/{{slug}}.atom"
        )));
    }
    feed(state, Scope::All, format, query, headers).await
}

async fn field_of_work(
    State(state): State<AppState>,
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (slug, format) = split_file(&file)?;
    let scope = Scope::FieldOfWork(slug.to_string());
    feed(state, scope, format, query, headers).await
}

async fn country(
    State(state): State<AppState>,
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (code, format) = split_file(&file)?;
    let scope = Scope::Country(code.to_string());
    feed(state, scope, format, query, headers).await
}

async fn org_unit(
    State(state): State<AppState>,
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (slug, format) = split_file(&file)?;
    let scope = Scope::OrgUnit(slug.to_string());
    feed(state, scope, format, query, headers).await
}

async fn feed(
    state: AppState,
    scope: Scope,
    format: Format,
    query: Option<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let mut params = QueryParams::parse(query.as_deref());
    let (keys, preference) = localized_filter(&mut params, &state, &headers)?;
    let limit = params.integer("limit", 1, feeds::MAX_LIMIT, feeds::DEFAULT_LIMIT)?;
    params.finish()?;
    let request = FeedRequest::new(scope, keys, limit);
    let rendered = rendered(&state, &request, format).await?;
    let mut response = respond(&rendered, &headers, state.feeds.max_age, &[]);
    language_headers(
        response.headers_mut(),
        preference.locale.as_str(),
        &preference,
    );
    Ok(response)
}

/// The release filter and the language of a feed or embed: `locale` and
/// `fallback`, else `Accept-Language`. A language asked for (by either)
/// lists only the releases that exist in it unless `fallback` names more;
/// nothing asked is the default language with its configured chain, every
/// release listed.
pub(super) fn localized_filter(
    params: &mut QueryParams,
    state: &AppState,
    headers: &HeaderMap,
) -> Result<(ReleaseFilterKeys, LocalePreference), ApiError> {
    let mut keys = params.release_filter()?;
    let preference = params.locale(headers, &state.locales, Some(FallbackOverride::None))?;
    keys.locale = Some(preference.clone());
    Ok((keys, preference))
}

/// The rendering of `request` in `format`: from the cache, or rendered and
/// cached under the generation it was read at.
pub async fn rendered(
    state: &AppState,
    request: &FeedRequest,
    format: Format,
) -> Result<Arc<Rendered>, ApiError> {
    let cache = &state.feed_cache;
    let key = request.cache_key(format);
    let version = state.content_clock.version(&state.db).await?;
    if let Some(hit) = cache.get(&version.generation, &key) {
        return Ok(hit);
    }
    let snapshot = state.snapshot();
    let content = feeds::load(&snapshot, request, &state.feeds, version.changed_at).await?;
    // Read from an index older than the database's (a rebuild is running):
    // right for now, but neither a newer generation nor worth caching.
    let stale = snapshot.served_stale();
    let body = match format {
        Format::Rss => {
            feeds::rss::render(&content, state.feeds.max_age).map_err(|e| ApiError::internal(&e))?
        }
        Format::Atom => feeds::atom::render(&content).map_err(|e| ApiError::internal(&e))?,
        Format::Json => feeds::json::render(&content).map_err(|e| ApiError::internal(&e))?,
        Format::Embed(theme) => feeds::html::embed_page(&content, theme).into_bytes(),
    };
    let rendered = Arc::new(Rendered::new(
        body,
        format.content_type(),
        Some(content.updated),
    ));
    if stale {
        return Ok(rendered);
    }
    state
        .content_clock
        .saw_generation(&version, &content.generation);
    if state.content_clock.is_current(&content.generation) {
        cache.insert(&content.generation, key, Arc::clone(&rendered));
    }
    Ok(rendered)
}

/// Does an `If-None-Match` list name this ETag? Weak comparison, as RFC
/// 9110 asks for `If-None-Match`.
fn etag_matches(header: &HeaderValue, etag: &str) -> bool {
    let Ok(list) = header.to_str() else {
        return false;
    };
    list.split(',')
        .map(|tag| tag.trim())
        .any(|tag| tag == "*" || tag.trim_start_matches("W/") == etag)
}

/// Does the request's `If-None-Match` name this ETag?
pub(super) fn if_none_match(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|value| etag_matches(value, etag))
}

fn not_modified(rendered: &Rendered, headers: &HeaderMap) -> bool {
    // If-None-Match, when present, decides alone (RFC 9110, 13.2.2).
    if let Some(value) = headers.get(header::IF_NONE_MATCH) {
        return etag_matches(value, &rendered.etag);
    }
    headers
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| httpdate::parse_http_date(v).ok())
        .is_some_and(|since: SystemTime| last_modified(rendered).is_some_and(|m| m <= since))
}

/// The content's last change, but never later than now (RFC 9110, 8.8.2.1):
/// imported content may carry future times, and a validator in the future
/// would answer 304 to a client after the content changed.
fn last_modified(rendered: &Rendered) -> Option<SystemTime> {
    rendered
        .last_modified
        .map(|modified| modified.min(SystemTime::now()))
}

/// A cacheable response: `200` with the body, or `304` when the client's
/// copy is current; validators and `Cache-Control` on both (callers add
/// `Vary` and `Content-Language` to either).
pub fn respond(
    rendered: &Rendered,
    headers: &HeaderMap,
    max_age: Duration,
    extra: &[(HeaderName, &'static str)],
) -> Response {
    let mut response = if not_modified(rendered, headers) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut ok = rendered.body.clone().into_response();
        ok.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(rendered.content_type),
        );
        for (name, value) in extra {
            ok.headers_mut()
                .insert(name.clone(), HeaderValue::from_static(value));
        }
        ok
    };
    let out = response.headers_mut();
    if let Ok(etag) = HeaderValue::from_str(&rendered.etag) {
        out.insert(header::ETAG, etag);
    }
    if let Some(modified) = last_modified(rendered)
        && let Ok(date) = HeaderValue::from_str(&httpdate::fmt_http_date(modified))
    {
        out.insert(header::LAST_MODIFIED, date);
    }
    if let Ok(cache_control) =
        HeaderValue::from_str(&format!("public, max-age={}", max_age.as_secs()))
    {
        out.insert(header::CACHE_CONTROL, cache_control);
    }
    response
}
