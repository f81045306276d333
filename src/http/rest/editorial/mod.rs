//! Editors' REST: `POST`, `PUT`, `PATCH` and `DELETE` on
//! `/api/v1/press-releases`, publishing as sub-resources, revisions, an
//! editor's list and the audit log. Every write needs a key with the
//! operation's scope; `PUT`, `PATCH`, `DELETE` and the state changes need
//! `If-Match` with the version the editor saw (428 without, 412 with another
//! one), so that no edit silently overwrites another.

mod reads;
pub mod records;
mod translations;
mod writes;

pub use reads::*;
pub use records::*;
pub use translations::*;
pub use writes::*;

use axum::{
    Extension, Json,
    extract::{Path, rejection::PathRejection},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use bytes::Bytes;
use serde_json::{Map, Value, json};

use crate::http::auth::{Caller, unauthenticated};
use crate::http::{AppState, error::ApiError, params::QueryParams};
use crate::service::editorial::idempotency::Idempotency;
use crate::service::editorial::releases::EditorialRelease;
use crate::service::editorial::{Actor, EditError};
use crate::storage::editorial::StoredAnswer;

impl From<EditError> for ApiError {
    fn from(error: EditError) -> Self {
        let message = error.to_string();
        match error {
            EditError::Unauthenticated => {
                ApiError::new(StatusCode::UNAUTHORIZED, "unauthenticated", message)
            }
            EditError::Forbidden(scope) => {
                ApiError::new(StatusCode::FORBIDDEN, "forbidden", message)
                    .with_details(json!({ "scope": scope.as_str() }))
            }
            EditError::NotFound(_) => ApiError::not_found(message),
            EditError::Invalid(fields) => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message)
                    .with_details(json!({ "fields": fields }))
            }
            EditError::VersionConflict { current, .. } => {
                ApiError::new(StatusCode::PRECONDITION_FAILED, "version_mismatch", message)
                    .with_details(json!({ "current_version": current }))
            }
            EditError::SlugTaken(_) => ApiError::new(StatusCode::CONFLICT, "slug_taken", message),
            EditError::WrongState(_) => ApiError::new(StatusCode::CONFLICT, "wrong_state", message),
            EditError::IdempotencyKeyReused => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "idempotency_key_reused",
                message,
            ),
            EditError::Database(cause) => cause.into(),
        }
    }
}

/// An `EditError` as a response: 401 carries `WWW-Authenticate`.
pub(in crate::http::rest) fn refused(error: EditError) -> Response {
    match error {
        EditError::Unauthenticated => unauthenticated(false, &error.to_string()),
        other => ApiError::from(other).into_response(),
    }
}

pub(in crate::http::rest) fn caller(extension: Option<Extension<Caller>>) -> Caller {
    extension.map(|Extension(c)| c).unwrap_or_default()
}

/// The version `If-Match` names (`"3"`, or `*` for whatever is stored).
pub(super) fn if_match(
    headers: &HeaderMap,
    current: impl FnOnce() -> Option<i64>,
) -> Result<i64, ApiError> {
    let Some(value) = headers.get(header::IF_MATCH) else {
        return Err(ApiError::new(
            StatusCode::PRECONDITION_REQUIRED,
            "precondition_required",
            "send If-Match with the ETag of the version you edited (GET the release for it)",
        ));
    };
    let text = value.to_str().unwrap_or("").trim();
    if text == "*" {
        return current().ok_or_else(|| ApiError::not_found("there is no such release"));
    }
    text.strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .and_then(|t| t.parse::<i64>().ok())
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "bad_parameter",
                format!("If-Match {text:?} is not an ETag of this API (a quoted version: \"3\")"),
            )
            .with_details(json!({ "parameter": "If-Match" }))
        })
}

/// The request's JSON object (`application/json` or `application/merge-patch+json`).
pub(in crate::http::rest) fn json_object(
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<Map<String, Value>, ApiError> {
    let essence = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    if essence != "application/json" && essence != "application/merge-patch+json" {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the body as Content-Type: application/json",
        ));
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad_body",
            "the body must be a JSON object",
        )),
        Err(e) => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad_body",
            format!(
                "the body is not JSON: line {} column {}",
                e.line(),
                e.column()
            ),
        )),
    }
}

/// The editorial form of a release, with its version as `ETag`; never cached.
pub(super) fn editorial(status: StatusCode, release: &EditorialRelease, actor: &Actor) -> Response {
    let mut response = (status, Json(release.view_for(actor))).into_response();
    let headers = response.headers_mut();
    if let Ok(etag) = HeaderValue::from_str(&format!("\"{}\"", release.version)) {
        headers.insert(header::ETAG, etag);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

pub(super) fn slug_of(path: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    super::path_key(path)
}

/// The version `If-Match` names; `*` reads the stored one.
pub(super) async fn expected_version(
    state: &AppState,
    headers: &HeaderMap,
    slug: &str,
) -> Result<i64, ApiError> {
    let stored = crate::storage::editorial::release_state(&state.db, slug)
        .await?
        .map(|s| s.version);
    if_match(headers, || stored)
}

/// A 412 carries the current version's ETag too.
pub(super) fn with_current_etag(error: ApiError) -> Response {
    let current = (error.code == "version_mismatch")
        .then(|| error.details.get("current_version").and_then(Value::as_i64))
        .flatten();
    let mut response = error.into_response();
    if let Some(version) = current
        && let Ok(etag) = HeaderValue::from_str(&format!("\"{version}\""))
    {
        response.headers_mut().insert(header::ETAG, etag);
    }
    response
}

fn private(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn limit_param(params: &mut QueryParams, default: u64, max: u64) -> Result<u64, ApiError> {
    match params.one("limit")? {
        None => Ok(default),
        Some(text) => text
            .parse::<u64>()
            .ok()
            .filter(|n| (1..=max).contains(n))
            .ok_or_else(|| ApiError::bad_parameter("limit", format!("limit is 1 to {max}"))),
    }
}

/// The request's `Idempotency-Key`, with a hash of what it asks (`route`
/// and body): the same key with another request is refused.
pub(super) fn idempotency_of(
    headers: &HeaderMap,
    route: &str,
    body: &Bytes,
) -> Result<Option<Idempotency>, ApiError> {
    use sha2::{Digest, Sha256};
    match headers.get("idempotency-key").map(|v| v.to_str()) {
        None => Ok(None),
        Some(Ok(key)) if !key.trim().is_empty() && key.len() <= 255 => {
            let mut hash = Sha256::new();
            hash.update(format!("POST {route}\n").as_bytes());
            hash.update(body);
            Ok(Some(Idempotency {
                key: key.trim().to_string(),
                request_hash: hash.finalize().iter().map(|b| format!("{b:02x}")).collect(),
            }))
        }
        Some(_) => Err(ApiError::bad_parameter(
            "Idempotency-Key",
            "Idempotency-Key must be 1 to 255 visible characters",
        )),
    }
}

/// The answer kept for a retried create, as it was given, marked
/// `Idempotent-Replayed`.
pub(super) fn replayed(stored: &StoredAnswer) -> Response {
    let status = StatusCode::from_u16(stored.status as u16).unwrap_or(StatusCode::OK);
    let mut response = (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        stored.response.clone(),
    )
        .into_response();
    let body: Value = serde_json::from_str(&stored.response).unwrap_or(Value::Null);
    let out = response.headers_mut();
    out.insert("idempotent-replayed", HeaderValue::from_static("true"));
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Some(version) = body.get("version").and_then(Value::as_i64)
        && let Ok(etag) = HeaderValue::from_str(&format!("\"{version}\""))
    {
        out.insert(header::ETAG, etag);
    }
    response
}
