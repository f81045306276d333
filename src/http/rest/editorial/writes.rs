//! Editors' writes: create, replace, patch, delete, publish, withdraw,
//! schedule, restore.

use axum::{
    Extension,
    body::Bytes,
    extract::{Path, State, rejection::PathRejection},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::super::docs::{EditorialPressReleaseDoc, ErrorDoc, PressReleaseInputDoc, ScheduleDoc};
use super::{
    caller, editorial, expected_version, idempotency_of, json_object, refused, replayed, slug_of,
    with_current_etag,
};
use crate::http::auth::Caller;
use crate::http::{AppState, error::ApiError};
use crate::service::editorial::EditError;
use crate::service::editorial::releases::{self, Created};

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
    let idempotency = match idempotency_of(&headers, "press-releases", &body) {
        Ok(idempotency) => idempotency,
        Err(error) => return error.into_response(),
    };
    match releases::create(&state.db, &actor, &fields, idempotency, state.clock.now()).await {
        Ok(Created::New(release)) => {
            let mut response = editorial(StatusCode::CREATED, &release, &actor);
            if let Ok(location) =
                HeaderValue::from_str(&format!("/api/v1/press-releases/{}", release.record.slug))
            {
                response.headers_mut().insert(header::LOCATION, location);
            }
            response
        }
        Ok(Created::Replayed(stored)) => replayed(&stored),
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
        Ok(release) => editorial(StatusCode::OK, &release, &actor),
        Err(error) => with_current_etag(error),
    }
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
        Ok(release) => editorial(StatusCode::OK, &release, &actor),
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
    // The key first, as every write: a bad body from no one is a 401.
    if let Err(error) = caller(caller_ext.clone())
        .actor()
        .require(crate::service::auth::Scope::Publish)
    {
        return refused(error);
    }
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
        Ok(release) => editorial(StatusCode::OK, &release, &actor),
        Err(error) => with_current_etag(error),
    }
}
