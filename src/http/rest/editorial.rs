//! Editors' REST: `POST`, `PUT`, `PATCH` and `DELETE` on
//! `/api/v1/press-releases`, publishing as sub-resources, revisions, an
//! editor's list and the audit log. Every write needs a key with the
//! operation's scope; `PUT`, `PATCH`, `DELETE` and the state changes need
//! `If-Match` with the version the editor saw (428 without, 412 with another
//! one), so that no edit silently overwrites another.

use axum::{
    Extension, Json,
    body::Bytes,
    extract::{Path, RawQuery, State, rejection::PathRejection},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::docs::{
    AuditPageDoc, EditorialPageDoc, EditorialPressReleaseDoc, ErrorDoc, PressReleaseInputDoc,
    RevisionListDoc, ScheduleDoc,
};
use crate::http::auth::{Caller, unauthenticated};
use crate::http::{AppState, error::ApiError, params::QueryParams};
use crate::service::editorial::releases::{self, Created, EditorialRelease, Idempotency};
use crate::service::editorial::{EditError, Status};

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
fn refused(error: EditError) -> Response {
    match error {
        EditError::Unauthenticated => unauthenticated(false, &error.to_string()),
        other => ApiError::from(other).into_response(),
    }
}

fn caller(extension: Option<Extension<Caller>>) -> Caller {
    extension.map(|Extension(c)| c).unwrap_or_default()
}

/// The version `If-Match` names (`"3"`, or `*` for whatever is stored).
fn if_match(headers: &HeaderMap, current: impl FnOnce() -> Option<i64>) -> Result<i64, ApiError> {
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
fn json_object(headers: &HeaderMap, body: &Bytes) -> Result<Map<String, Value>, ApiError> {
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
pub(super) fn editorial(status: StatusCode, release: &EditorialRelease) -> Response {
    let mut response = (status, Json(release.to_json())).into_response();
    let headers = response.headers_mut();
    if let Ok(etag) = HeaderValue::from_str(&format!("\"{}\"", release.version)) {
        headers.insert(header::ETAG, etag);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn slug_of(path: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    super::path_key(path)
}

/// Create a press release
///
/// Creates a draft (scope `write`). With `Idempotency-Key`, a retry of the
/// same request within 24 hours gets the first answer and creates nothing.
#[utoipa::path(
    post,
    path = "/api/v1/press-releases",
    tag = "editing",
    request_body(content = PressReleaseInputDoc, content_type = "application/json"),
    params(("Idempotency-Key" = Option<String>, Header, description = "A key of the client's making (at most 255 characters): the same key and body again is answered as the first time.")),
    responses(
        (status = 201, description = "Created, as a draft.", body = EditorialPressReleaseDoc,
            headers(("ETag" = String, description = "The version."), ("Location" = String, description = "The release's URL."))),
        (status = 400, description = "The body is not a JSON object.", body = ErrorDoc),
        (status = 401, description = "No valid API key.", body = ErrorDoc),
        (status = 403, description = "The key lacks the `write` scope.", body = ErrorDoc),
        (status = 409, description = "The slug is taken.", body = ErrorDoc),
        (status = 415, description = "Not JSON.", body = ErrorDoc),
        (status = 422, description = "Fields that are not valid (`details.fields`), or a reused Idempotency-Key.", body = ErrorDoc),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    caller_ext: Option<Extension<Caller>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let actor = caller(caller_ext).actor();
    if let Err(error) = actor.require(crate::service::auth::Scope::Write) {
        return refused(error);
    }
    let fields = match json_object(&headers, &body) {
        Ok(fields) => fields,
        Err(error) => return error.into_response(),
    };
    let idempotency = match headers.get("idempotency-key").map(|v| v.to_str()) {
        None => None,
        Some(Ok(key)) if !key.trim().is_empty() && key.len() <= 255 => Some(Idempotency {
            key: key.trim().to_string(),
            request_hash: Sha256::digest([b"POST press-releases\n".as_slice(), &body].concat())
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect(),
        }),
        Some(_) => {
            return ApiError::bad_parameter(
                "Idempotency-Key",
                "Idempotency-Key must be 1 to 255 visible characters",
            )
            .into_response();
        }
    };
    match releases::create(&state.db, &actor, &fields, idempotency, state.clock.now()).await {
        Ok(Created::New(release)) => {
            let mut response = editorial(StatusCode::CREATED, &release);
            if let Ok(location) =
                HeaderValue::from_str(&format!("/api/v1/press-releases/{}", release.record.slug))
            {
                response.headers_mut().insert(header::LOCATION, location);
            }
            response
        }
        Ok(Created::Replayed(stored)) => {
            let status = StatusCode::from_u16(stored.status as u16).unwrap_or(StatusCode::OK);
            let mut response = (
                status,
                [(header::CONTENT_TYPE, "application/json")],
                stored.response.clone(),
            )
                .into_response();
            let stored_json: Value = serde_json::from_str(&stored.response).unwrap_or(Value::Null);
            let out = response.headers_mut();
            out.insert("idempotent-replayed", HeaderValue::from_static("true"));
            out.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            if let Some(version) = stored_json.get("version").and_then(Value::as_i64)
                && let Ok(etag) = HeaderValue::from_str(&format!("\"{version}\""))
            {
                out.insert(header::ETAG, etag);
            }
            if let Some(slug) = stored_json.get("slug").and_then(Value::as_str)
                && let Ok(location) =
                    HeaderValue::from_str(&format!("/api/v1/press-releases/{slug}"))
            {
                out.insert(header::LOCATION, location);
            }
            response
        }
        Err(error) => refused(error),
    }
}

/// Replace a press release
///
/// The whole release as it should read (scope `write`; `publish` too if it
/// is public or scheduled). Its status stays.
#[utoipa::path(
    put,
    path = "/api/v1/press-releases/{slug}",
    tag = "editing",
    request_body(content = PressReleaseInputDoc, content_type = "application/json"),
    params(("slug" = String, Path, description = "The release's slug."),
        ("If-Match" = String, Header, description = "The ETag of the version edited.")),
    responses(
        (status = 200, description = "Saved.", body = EditorialPressReleaseDoc, headers(("ETag" = String, description = "The new version."))),
        (status = 400, description = "The body or If-Match cannot be read.", body = ErrorDoc),
        (status = 401, description = "No valid API key.", body = ErrorDoc),
        (status = 403, description = "The key lacks a scope this needs.", body = ErrorDoc),
        (status = 404, description = "No release has this slug.", body = ErrorDoc),
        (status = 412, description = "The release changed since (`details.current_version`).", body = ErrorDoc),
        (status = 415, description = "Not JSON.", body = ErrorDoc),
        (status = 422, description = "Fields that are not valid (`details.fields`).", body = ErrorDoc),
        (status = 428, description = "If-Match is missing.", body = ErrorDoc),
    )
)]
pub async fn replace(
    state: State<AppState>,
    caller_ext: Option<Extension<Caller>>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    edit(state, caller_ext, path, headers, body, true).await
}

/// Change fields of a press release
///
/// A JSON Merge Patch (RFC 7396) of the release's fields (scope `write`;
/// `publish` too if it is public or scheduled).
#[utoipa::path(
    patch,
    path = "/api/v1/press-releases/{slug}",
    tag = "editing",
    request_body(content = PressReleaseInputDoc, content_type = "application/merge-patch+json"),
    params(("slug" = String, Path, description = "The release's slug."),
        ("If-Match" = String, Header, description = "The ETag of the version edited.")),
    responses(
        (status = 200, description = "Saved.", body = EditorialPressReleaseDoc, headers(("ETag" = String, description = "The new version."))),
        (status = 400, description = "The body or If-Match cannot be read.", body = ErrorDoc),
        (status = 401, description = "No valid API key.", body = ErrorDoc),
        (status = 403, description = "The key lacks a scope this needs.", body = ErrorDoc),
        (status = 404, description = "No release has this slug.", body = ErrorDoc),
        (status = 412, description = "The release changed since (`details.current_version`).", body = ErrorDoc),
        (status = 415, description = "Not JSON.", body = ErrorDoc),
        (status = 422, description = "Fields that are not valid (`details.fields`).", body = ErrorDoc),
        (status = 428, description = "If-Match is missing.", body = ErrorDoc),
    )
)]
pub async fn patch(
    state: State<AppState>,
    caller_ext: Option<Extension<Caller>>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    edit(state, caller_ext, path, headers, body, false).await
}

async fn edit(
    State(state): State<AppState>,
    caller_ext: Option<Extension<Caller>>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Bytes,
    replace: bool,
) -> Response {
    let actor = caller(caller_ext).actor();
    if let Err(error) = actor.require(crate::service::auth::Scope::Write) {
        return refused(error);
    }
    let run = async {
        let slug = slug_of(path)?;
        let fields = json_object(&headers, &body)?;
        let now = state.clock.now();
        let expected = expected_version(&state, &headers, &slug).await?;
        releases::update(&state.db, &actor, &slug, expected, &fields, replace, now)
            .await
            .map_err(ApiError::from)
    };
    match run.await {
        Ok(release) => editorial(StatusCode::OK, &release),
        Err(error) => with_current_etag(error),
    }
}

/// The version `If-Match` names; `*` reads the stored one.
async fn expected_version(
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
fn with_current_etag(error: ApiError) -> Response {
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

/// Delete a press release
///
/// For good (scope `delete`); a public release leaves a tombstone in the
/// change log. To take a release down but keep it, unpublish it.
#[utoipa::path(
    delete,
    path = "/api/v1/press-releases/{slug}",
    tag = "editing",
    params(("slug" = String, Path, description = "The release's slug."),
        ("If-Match" = String, Header, description = "The ETag of the version deleted.")),
    responses(
        (status = 204, description = "Deleted."),
        (status = 400, description = "If-Match cannot be read.", body = ErrorDoc),
        (status = 401, description = "No valid API key.", body = ErrorDoc),
        (status = 403, description = "The key lacks the `delete` scope.", body = ErrorDoc),
        (status = 404, description = "No release has this slug.", body = ErrorDoc),
        (status = 412, description = "The release changed since (`details.current_version`).", body = ErrorDoc),
        (status = 428, description = "If-Match is missing.", body = ErrorDoc),
    )
)]
pub async fn delete(
    State(state): State<AppState>,
    caller_ext: Option<Extension<Caller>>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Response {
    let actor = caller(caller_ext).actor();
    if let Err(error) = actor.require(crate::service::auth::Scope::Delete) {
        return refused(error);
    }
    let run = async {
        let slug = slug_of(path)?;
        let expected = expected_version(&state, &headers, &slug).await?;
        releases::delete(&state.db, &actor, &slug, expected, state.clock.now())
            .await
            .map_err(ApiError::from)
    };
    match run.await {
        Ok(_) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => with_current_etag(error),
    }
}

/// A state change's path: `/api/v1/press-releases/{slug}/{action}`.
async fn change_state(
    state: AppState,
    caller_ext: Option<Extension<Caller>>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    action: Action,
) -> Response {
    let actor = caller(caller_ext).actor();
    if let Err(error) = actor.require(crate::service::auth::Scope::Publish) {
        return refused(error);
    }
    let run = async {
        let slug = slug_of(path)?;
        let expected = expected_version(&state, &headers, &slug).await?;
        let now = state.clock.now();
        match action {
            Action::Publish => releases::publish(&state.db, &actor, &slug, expected, now).await,
            Action::Unpublish => releases::unpublish(&state.db, &actor, &slug, expected, now).await,
            Action::Schedule(at) => {
                releases::schedule(&state.db, &actor, &slug, expected, at, now).await
            }
        }
        .map_err(ApiError::from)
    };
    match run.await {
        Ok(release) => editorial(StatusCode::OK, &release),
        Err(error) => with_current_etag(error),
    }
}

enum Action {
    Publish,
    Unpublish,
    Schedule(DateTime<Utc>),
}

/// Publish a press release
///
/// Public at once (scope `publish`), in every list, search, feed and export.
#[utoipa::path(
    post,
    path = "/api/v1/press-releases/{slug}/publish",
    tag = "editing",
    params(("slug" = String, Path, description = "The release's slug."),
        ("If-Match" = String, Header, description = "The ETag of the version published.")),
    responses(
        (status = 200, description = "Published.", body = EditorialPressReleaseDoc, headers(("ETag" = String, description = "The new version."))),
        (status = 400, description = "If-Match cannot be read.", body = ErrorDoc),
        (status = 401, description = "No valid API key.", body = ErrorDoc),
        (status = 403, description = "The key lacks the `publish` scope.", body = ErrorDoc),
        (status = 404, description = "No release has this slug.", body = ErrorDoc),
        (status = 409, description = "It is published already.", body = ErrorDoc),
        (status = 412, description = "The release changed since.", body = ErrorDoc),
        (status = 428, description = "If-Match is missing.", body = ErrorDoc),
    )
)]
pub async fn publish(
    State(state): State<AppState>,
    caller_ext: Option<Extension<Caller>>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Response {
    change_state(state, caller_ext, path, headers, Action::Publish).await
}

/// Withdraw a press release
///
/// No longer public (scope `publish`); kept, with its revisions, and can be
/// published again. Leaves a tombstone in the change log.
#[utoipa::path(
    post,
    path = "/api/v1/press-releases/{slug}/unpublish",
    tag = "editing",
    params(("slug" = String, Path, description = "The release's slug."),
        ("If-Match" = String, Header, description = "The ETag of the version withdrawn.")),
    responses(
        (status = 200, description = "Withdrawn.", body = EditorialPressReleaseDoc, headers(("ETag" = String, description = "The new version."))),
        (status = 400, description = "If-Match cannot be read.", body = ErrorDoc),
        (status = 401, description = "No valid API key.", body = ErrorDoc),
        (status = 403, description = "The key lacks the `publish` scope.", body = ErrorDoc),
        (status = 404, description = "No release has this slug.", body = ErrorDoc),
        (status = 409, description = "It is not public.", body = ErrorDoc),
        (status = 412, description = "The release changed since.", body = ErrorDoc),
        (status = 428, description = "If-Match is missing.", body = ErrorDoc),
    )
)]
pub async fn unpublish(
    State(state): State<AppState>,
    caller_ext: Option<Extension<Caller>>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Response {
    change_state(state, caller_ext, path, headers, Action::Unpublish).await
}

/// Schedule a press release
///
/// Public from `publish_at`, a time to come (scope `publish`): on every
/// replica from that moment, with no job to run.
#[utoipa::path(
    post,
    path = "/api/v1/press-releases/{slug}/schedule",
    tag = "editing",
    request_body(content = ScheduleDoc, content_type = "application/json"),
    params(("slug" = String, Path, description = "The release's slug."),
        ("If-Match" = String, Header, description = "The ETag of the version scheduled.")),
    responses(
        (status = 200, description = "Scheduled.", body = EditorialPressReleaseDoc, headers(("ETag" = String, description = "The new version."))),
        (status = 400, description = "The body or If-Match cannot be read.", body = ErrorDoc),
        (status = 401, description = "No valid API key.", body = ErrorDoc),
        (status = 403, description = "The key lacks the `publish` scope.", body = ErrorDoc),
        (status = 404, description = "No release has this slug.", body = ErrorDoc),
        (status = 409, description = "It is published (unpublish it first).", body = ErrorDoc),
        (status = 412, description = "The release changed since.", body = ErrorDoc),
        (status = 415, description = "Not JSON.", body = ErrorDoc),
        (status = 422, description = "`publish_at` is missing or not to come.", body = ErrorDoc),
        (status = 428, description = "If-Match is missing.", body = ErrorDoc),
    )
)]
pub async fn schedule(
    State(state): State<AppState>,
    caller_ext: Option<Extension<Caller>>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let at = match json_object(&headers, &body).and_then(|fields| publish_at(&fields)) {
        Ok(at) => at,
        Err(error) => return error.into_response(),
    };
    change_state(state, caller_ext, path, headers, Action::Schedule(at)).await
}

fn publish_at(fields: &Map<String, Value>) -> Result<DateTime<Utc>, ApiError> {
    let invalid = |message: &str| {
        ApiError::from(EditError::Invalid(vec![
            crate::service::editorial::FieldError {
                field: "publish_at".into(),
                message: message.into(),
            },
        ]))
    };
    match fields.get("publish_at") {
        Some(Value::String(text)) => DateTime::parse_from_rfc3339(text)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|_| invalid("must be an RFC 3339 time, e.g. 2026-12-08T09:00:00+01:00")),
        Some(_) => Err(invalid("must be an RFC 3339 time string")),
        None => Err(invalid("is required")),
    }
}

/// Revisions of a press release
///
/// Every save, newest first (scope `read:drafts`).
#[utoipa::path(
    get,
    path = "/api/v1/press-releases/{slug}/revisions",
    tag = "editing",
    params(("slug" = String, Path, description = "The release's slug.")),
    responses(
        (status = 200, description = "The revisions.", body = RevisionListDoc),
        (status = 400, description = "The slug is malformed.", body = ErrorDoc),
        (status = 401, description = "No valid API key.", body = ErrorDoc),
        (status = 403, description = "The key lacks the `read:drafts` scope.", body = ErrorDoc),
        (status = 404, description = "No release has this slug.", body = ErrorDoc),
    )
)]
pub async fn revisions(
    State(state): State<AppState>,
    caller_ext: Option<Extension<Caller>>,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    let actor = caller(caller_ext).actor();
    if let Err(error) = actor.require(crate::service::auth::Scope::ReadDrafts) {
        return refused(error);
    }
    let run = async {
        let slug = slug_of(path)?;
        releases::revisions(&state.db, &actor, &slug)
            .await
            .map_err(ApiError::from)
    };
    match run.await {
        Ok(revisions) => {
            let items: Vec<Value> = revisions
                .into_iter()
                .map(|r| {
                    json!({
                        "version": r.version,
                        "action": r.action,
                        "actor": r.actor,
                        "changed": r.changed,
                        "created_at": crate::model::rfc3339::format(&r.created_at),
                        "record": r.record,
                    })
                })
                .collect();
            private(Json(json!({ "items": items })).into_response())
        }
        Err(error) => error.into_response(),
    }
}

fn private(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Restore a revision
///
/// Saves revision `version`'s content as a new revision (scope `write`;
/// `publish` too if the release is public or scheduled). Its status stays.
#[utoipa::path(
    post,
    path = "/api/v1/press-releases/{slug}/revisions/{version}/restore",
    tag = "editing",
    params(("slug" = String, Path, description = "The release's slug."),
        ("version" = i64, Path, description = "The revision to restore."),
        ("If-Match" = String, Header, description = "The ETag of the current version.")),
    responses(
        (status = 200, description = "Restored.", body = EditorialPressReleaseDoc, headers(("ETag" = String, description = "The new version."))),
        (status = 400, description = "The path or If-Match cannot be read.", body = ErrorDoc),
        (status = 401, description = "No valid API key.", body = ErrorDoc),
        (status = 403, description = "The key lacks a scope this needs.", body = ErrorDoc),
        (status = 404, description = "No such release or revision.", body = ErrorDoc),
        (status = 412, description = "The release changed since.", body = ErrorDoc),
        (status = 422, description = "The revision refers to records that are gone.", body = ErrorDoc),
        (status = 428, description = "If-Match is missing.", body = ErrorDoc),
    )
)]
pub async fn restore(
    State(state): State<AppState>,
    caller_ext: Option<Extension<Caller>>,
    path: Result<Path<(String, i64)>, PathRejection>,
    headers: HeaderMap,
) -> Response {
    let actor = caller(caller_ext).actor();
    if let Err(error) = actor.require(crate::service::auth::Scope::Write) {
        return refused(error);
    }
    let run = async {
        let Path((slug, version)) = path
            .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "bad_parameter", e.body_text()))?;
        let expected = expected_version(&state, &headers, &slug).await?;
        releases::restore(
            &state.db,
            &actor,
            &slug,
            version,
            expected,
            state.clock.now(),
        )
        .await
        .map_err(ApiError::from)
    };
    match run.await {
        Ok(release) => editorial(StatusCode::OK, &release),
        Err(error) => with_current_etag(error),
    }
}

/// An editor's list of press releases
///
/// Releases of any status, in slug order (scope `read:drafts`):
/// `status=draft,scheduled` lists what is not public yet.
#[utoipa::path(
    get,
    path = "/api/v1/editorial/press-releases",
    tag = "editing",
    params(
        ("status" = Option<String>, Query, description = "Comma-separated: draft, scheduled, published, unpublished (all when left out)."),
        ("limit" = Option<u32>, Query, description = "Items per page, 1 to 500 (default 50)."),
        ("after" = Option<String>, Query, description = "The slug after which the page starts (from `next`)."),
    ),
    responses(
        (status = 200, description = "One page.", body = EditorialPageDoc),
        (status = 400, description = "A parameter the API cannot use.", body = ErrorDoc),
        (status = 401, description = "No valid API key.", body = ErrorDoc),
        (status = 403, description = "The key lacks the `read:drafts` scope.", body = ErrorDoc),
    )
)]
pub async fn editorial_list(
    State(state): State<AppState>,
    caller_ext: Option<Extension<Caller>>,
    RawQuery(query): RawQuery,
) -> Response {
    let actor = caller(caller_ext).actor();
    if let Err(error) = actor.require(crate::service::auth::Scope::ReadDrafts) {
        return refused(error);
    }
    let run = async {
        let mut params = QueryParams::parse(query.as_deref());
        let statuses = match params.one("status")? {
            None => Vec::new(),
            Some(text) => text
                .split(',')
                .map(|s| {
                    Status::parse(s.trim()).ok_or_else(|| {
                        ApiError::bad_parameter(
                            "status",
                            format!("unknown status {s:?}; known: draft, scheduled, published, unpublished"),
                        )
                    })
                })
                .collect::<Result<Vec<_>, _>>()?,
        };
        let limit = limit_param(&mut params, 50, 500)?;
        let after = params.one("after")?;
        params.finish()?;
        let rows =
            releases::list(&state.db, &actor, &statuses, after.as_deref(), limit + 1).await?;
        let more = rows.len() as u64 > limit;
        let items: Vec<Value> = rows
            .iter()
            .take(limit as usize)
            .map(|r| {
                json!({
                    "slug": r.slug, "title": r.title, "status": r.status,
                    "publish_at": r.publish_at.map(|t| crate::model::rfc3339::format(&t)),
                    "version": r.version,
                    "updated_at": crate::model::rfc3339::format(&r.updated_at),
                })
            })
            .collect();
        let next = more
            .then(|| rows.get(limit as usize - 1))
            .flatten()
            .map(|last| {
                let mut url = form_urlencoded::Serializer::new(String::new());
                if !statuses.is_empty() {
                    let list: Vec<&str> = statuses.iter().map(|s| s.as_str()).collect();
                    url.append_pair("status", &list.join(","));
                }
                url.append_pair("limit", &limit.to_string());
                url.append_pair("after", &last.slug);
                format!("/api/v1/editorial/press-releases?{}", url.finish())
            });
        Ok::<_, ApiError>(json!({ "items": items, "next": next }))
    };
    match run.await {
        Ok(page) => private(Json(page).into_response()),
        Err(error) => error.into_response(),
    }
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

/// The audit log
///
/// Every write, oldest first (scope `admin`); page with `after`.
#[utoipa::path(
    get,
    path = "/api/v1/audit-log",
    tag = "editing",
    params(
        ("after" = Option<i64>, Query, description = "The id after which the page starts (from `next`)."),
        ("limit" = Option<u32>, Query, description = "Entries per page, 1 to 1000 (default 100)."),
    ),
    responses(
        (status = 200, description = "One page.", body = AuditPageDoc),
        (status = 400, description = "A parameter the API cannot use.", body = ErrorDoc),
        (status = 401, description = "No valid API key.", body = ErrorDoc),
        (status = 403, description = "The key lacks the `admin` scope.", body = ErrorDoc),
    )
)]
pub async fn audit_log(
    State(state): State<AppState>,
    caller_ext: Option<Extension<Caller>>,
    RawQuery(query): RawQuery,
) -> Response {
    audit(state, caller_ext, query, false).await
}

/// Export the audit log as JSON Lines
///
/// Every entry after `after`, oldest first, one JSON object a line (scope `admin`).
#[utoipa::path(
    get,
    path = "/api/v1/audit-log.jsonl",
    tag = "editing",
    params(("after" = Option<i64>, Query, description = "Only entries after this id.")),
    responses(
        (status = 200, description = "JSON Lines.", content_type = "application/x-ndjson", body = String),
        (status = 400, description = "A parameter the API cannot use.", body = ErrorDoc),
        (status = 401, description = "No valid API key.", body = ErrorDoc),
        (status = 403, description = "The key lacks the `admin` scope.", body = ErrorDoc),
    )
)]
pub async fn audit_log_jsonl(
    State(state): State<AppState>,
    caller_ext: Option<Extension<Caller>>,
    RawQuery(query): RawQuery,
) -> Response {
    audit(state, caller_ext, query, true).await
}

async fn audit(
    state: AppState,
    caller_ext: Option<Extension<Caller>>,
    query: Option<String>,
    jsonl: bool,
) -> Response {
    let actor = caller(caller_ext).actor();
    if let Err(error) = actor.require(crate::service::auth::Scope::Admin) {
        return refused(error);
    }
    let run = async {
        let mut params = QueryParams::parse(query.as_deref());
        let after = match params.one("after")? {
            None => 0,
            Some(text) => text
                .parse::<i64>()
                .map_err(|_| ApiError::bad_parameter("after", "after is an entry's id"))?,
        };
        if jsonl {
            params.finish()?;
            let mut out = Vec::new();
            let mut after = after;
            loop {
                let page = releases::audit_log(&state.db, &actor, after, 1_000).await?;
                let Some(last) = page.last() else { break };
                after = last.id;
                for entry in &page {
                    serde_json::to_writer(&mut out, entry).map_err(|e| ApiError::internal(&e))?;
                    out.push(b'\n');
                }
            }
            let response = (
                [
                    (header::CONTENT_TYPE, "application/x-ndjson"),
                    (
                        header::CONTENT_DISPOSITION,
                        "attachment; filename=\"audit-log.jsonl\"",
                    ),
                ],
                out,
            )
                .into_response();
            return Ok(private(response));
        }
        let limit = limit_param(&mut params, 100, 1_000)?;
        params.finish()?;
        let page = releases::audit_log(&state.db, &actor, after, limit).await?;
        let next = (page.len() as u64 == limit)
            .then(|| page.last())
            .flatten()
            .map(|last| format!("/api/v1/audit-log?after={}&limit={limit}", last.id));
        Ok::<_, ApiError>(private(
            Json(json!({ "items": page, "next": next })).into_response(),
        ))
    };
    match run.await {
        Ok(response) => response,
        Err(error) => error.into_response(),
    }
}
