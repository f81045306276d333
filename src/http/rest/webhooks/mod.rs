//! `/api/v1/webhooks`: endpoints, their deliveries and replays
//! (`deliveries.rs`), for keys with the `admin` scope.

mod deliveries;

pub use deliveries::*;

use axum::{
    Extension, Json,
    extract::{Path, RawQuery, State, rejection::PathRejection},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use bytes::Bytes;
use serde_json::{Map, Value, json};

use super::docs::{ErrorDoc, WebhookDoc, WebhookInputDoc, WebhookListDoc};
use super::editorial::{caller, json_object, refused};
use crate::http::auth::Caller;
use crate::http::{AppState, error::ApiError, params::QueryParams};
use crate::model::rfc3339::format as time;
use crate::service::editorial::{Actor, EditError, FieldError};
use crate::service::webhooks::{self, EndpointInput};
use crate::storage::webhooks::{AttemptRow, DeliveryRow, EndpointRow};

/// An endpoint as the API shows it (the secret only when just made).
pub fn endpoint_json(row: &EndpointRow, secret: Option<&str>) -> Value {
    json!({
        "id": row.id,
        "url": row.url,
        "description": row.description,
        "event_types": row.event_types,
        "active": row.active,
        "disabled_reason": row.disabled_reason,
        "failing_since": row.failing_since.as_ref().map(time),
        "previous_secret_expires_at": row.previous_secret_until.as_ref().map(time),
        "created_at": time(&row.created_at),
        "updated_at": time(&row.updated_at),
        "secret": secret,
    })
}

pub fn delivery_json(row: &DeliveryRow, attempts: Option<&[AttemptRow]>) -> Value {
    let mut value = json!({
        "id": row.id,
        "message_id": row.message_id,
        "event_type": row.event_type,
        "seq": row.seq,
        "status": row.status,
        "attempts": row.attempts,
        "next_attempt_at": (row.status == "pending").then(|| time(&row.next_attempt_at)),
        "created_at": time(&row.created_at),
        "last_status_code": row.last_status_code,
        "payload": serde_json::from_str::<Value>(&row.payload).unwrap_or(Value::Null),
    });
    if let (Some(attempts), Some(map)) = (attempts, value.as_object_mut()) {
        let log: Vec<Value> = attempts
            .iter()
            .map(|a| {
                json!({
                    "attempted_at": time(&a.attempted_at),
                    "status_code": a.status_code,
                    "latency_ms": a.latency_ms,
                    "error": a.error,
                    "response": a.response,
                })
            })
            .collect();
        map.insert("attempt_log".into(), log.into());
    }
    value
}

fn private(status: StatusCode, body: Value) -> Response {
    let mut response = (status, Json(body)).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn id_of(path: Result<Path<i64>, PathRejection>) -> Result<i64, ApiError> {
    path.map(|Path(id)| id)
        .map_err(|_| ApiError::bad_parameter("id", "a webhook id is a number"))
}

fn ids_of(path: Result<Path<(i64, i64)>, PathRejection>) -> Result<(i64, i64), ApiError> {
    path.map(|Path(ids)| ids)
        .map_err(|_| ApiError::bad_parameter("id", "webhook and delivery ids are numbers"))
}

fn invalid(field: &str, message: &str) -> EditError {
    EditError::Invalid(vec![FieldError {
        field: field.into(),
        message: message.into(),
    }])
}

/// The endpoint fields of a JSON body; unknown fields are errors.
fn input_of(body: &Map<String, Value>) -> Result<EndpointInput, EditError> {
    let mut input = EndpointInput::default();
    let mut errors = Vec::new();
    for (name, value) in body {
        let bad = |message: &str| FieldError {
            field: name.clone(),
            message: message.into(),
        };
        match (name.as_str(), value) {
            ("url", Value::String(url)) => input.url = Some(url.clone()),
            ("description", Value::String(text)) => input.description = Some(text.clone()),
            ("description", Value::Null) => input.description = Some(String::new()),
            ("active", Value::Bool(active)) => input.active = Some(*active),
            ("event_types", Value::Array(items)) => {
                let types: Option<Vec<String>> =
                    items.iter().map(|v| v.as_str().map(String::from)).collect();
                match types {
                    Some(types) => input.event_types = Some(types),
                    None => errors.push(bad("is a list of strings")),
                }
            }
            ("url" | "description", _) => errors.push(bad("is a string")),
            ("active", _) => errors.push(bad("is true or false")),
            ("event_types", _) => errors.push(bad("is a list of strings")),
            _ => errors.push(bad("is not a field of a webhook")),
        }
    }
    if errors.is_empty() {
        Ok(input)
    } else {
        Err(EditError::Invalid(errors))
    }
}

fn actor_of(extension: Option<Extension<Caller>>) -> Actor {
    caller(extension).actor()
}

fn answer(result: Result<Response, ApiError>) -> Response {
    result.unwrap_or_else(IntoResponse::into_response)
}

/// List webhook endpoints
#[utoipa::path(get, path = "/api/v1/webhooks", tag = "webhooks",
    responses(
        (status = 200, description = "Every endpoint.", body = WebhookListDoc),
        (status = 400, description = "A query parameter this endpoint does not take.", body = ErrorDoc),
        (status = 401, description = "No valid API key.", body = ErrorDoc),
        (status = 403, description = "The key lacks the `admin` scope.", body = ErrorDoc),
    ))]
pub async fn list(
    State(state): State<AppState>,
    ext: Option<Extension<Caller>>,
    RawQuery(query): RawQuery,
) -> Response {
    let actor = actor_of(ext);
    if let Err(error) = actor.require(crate::service::auth::Scope::Admin) {
        return refused(error);
    }
    if let Err(error) = QueryParams::parse(query.as_deref()).finish() {
        return error.into_response();
    }
    match webhooks::list(&state.db, &actor).await {
        Ok(rows) => {
            let items: Vec<Value> = rows.iter().map(|r| endpoint_json(r, None)).collect();
            private(StatusCode::OK, json!({ "items": items }))
        }
        Err(error) => refused(error),
    }
}

/// Register a webhook endpoint
///
/// The answer carries the endpoint's signing secret (`whsec_…`), shown this once.
#[utoipa::path(post, path = "/api/v1/webhooks", tag = "webhooks", request_body = WebhookInputDoc,
    responses(
        (status = 201, description = "Registered, with its secret.", body = WebhookDoc),
        (status = 400, description = "The body is not a JSON object.", body = ErrorDoc),
        (status = 401, description = "No valid API key.", body = ErrorDoc),
        (status = 403, description = "The key lacks the `admin` scope.", body = ErrorDoc),
        (status = 415, description = "Not JSON.", body = ErrorDoc),
        (status = 422, description = "A field is not valid (`invalid`, each named in `details.fields`): e.g. not https, or not a public address.", body = ErrorDoc),
    ))]
pub async fn create(
    State(state): State<AppState>,
    ext: Option<Extension<Caller>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let actor = actor_of(ext);
    if let Err(error) = actor.require(crate::service::auth::Scope::Admin) {
        return refused(error);
    }
    answer(
        async {
            let input = input_of(&json_object(&headers, &body)?)?;
            let (row, secret) = webhooks::create(
                &state.db,
                &actor,
                &input,
                &state.webhooks,
                state.clock.now(),
            )
            .await?;
            let mut response = private(StatusCode::CREATED, endpoint_json(&row, Some(&secret)));
            if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/webhooks/{}", row.id)) {
                response.headers_mut().insert(header::LOCATION, location);
            }
            Ok(response)
        }
        .await,
    )
}

/// A webhook endpoint
#[utoipa::path(get, path = "/api/v1/webhooks/{id}", tag = "webhooks",
    params(("id" = i64, Path, description = "The endpoint's id.")),
    responses(
        (status = 200, description = "The endpoint.", body = WebhookDoc),
        (status = 400, description = "The id is not a number.", body = ErrorDoc),
        (status = 401, description = "No valid API key.", body = ErrorDoc),
        (status = 403, description = "The key lacks the `admin` scope.", body = ErrorDoc),
        (status = 404, description = "No such endpoint.", body = ErrorDoc),
    ))]
pub async fn item(
    State(state): State<AppState>,
    ext: Option<Extension<Caller>>,
    path: Result<Path<i64>, PathRejection>,
) -> Response {
    let actor = actor_of(ext);
    if let Err(error) = actor.require(crate::service::auth::Scope::Admin) {
        return refused(error);
    }
    answer(
        async {
            let row = webhooks::get(&state.db, &actor, id_of(path)?).await?;
            Ok(private(StatusCode::OK, endpoint_json(&row, None)))
        }
        .await,
    )
}

/// Change a webhook endpoint
///
/// Only the fields sent change; `"active": true` re-enables a disabled endpoint.
#[utoipa::path(patch, path = "/api/v1/webhooks/{id}", tag = "webhooks", request_body = WebhookInputDoc,
    params(("id" = i64, Path, description = "The endpoint's id.")),
    responses(
        (status = 200, description = "The endpoint as changed.", body = WebhookDoc),
        (status = 400, description = "The id is not a number, or the body not a JSON object.", body = ErrorDoc),
        (status = 401, description = "No valid API key.", body = ErrorDoc),
        (status = 403, description = "The key lacks the `admin` scope.", body = ErrorDoc),
        (status = 404, description = "No such endpoint.", body = ErrorDoc),
        (status = 415, description = "Not JSON.", body = ErrorDoc),
        (status = 422, description = "A field is not valid.", body = ErrorDoc),
    ))]
pub async fn patch(
    State(state): State<AppState>,
    ext: Option<Extension<Caller>>,
    path: Result<Path<i64>, PathRejection>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let actor = actor_of(ext);
    if let Err(error) = actor.require(crate::service::auth::Scope::Admin) {
        return refused(error);
    }
    answer(
        async {
            let id = id_of(path)?;
            let input = input_of(&json_object(&headers, &body)?)?;
            let row = webhooks::update(
                &state.db,
                &actor,
                id,
                &input,
                &state.webhooks,
                state.clock.now(),
            )
            .await?;
            Ok(private(StatusCode::OK, endpoint_json(&row, None)))
        }
        .await,
    )
}

/// Remove a webhook endpoint
///
/// With its deliveries and their log.
#[utoipa::path(delete, path = "/api/v1/webhooks/{id}", tag = "webhooks",
    params(("id" = i64, Path, description = "The endpoint's id.")),
    responses(
        (status = 204, description = "Removed."),
        (status = 400, description = "The id is not a number.", body = ErrorDoc),
        (status = 401, description = "No valid API key.", body = ErrorDoc),
        (status = 403, description = "The key lacks the `admin` scope.", body = ErrorDoc),
        (status = 404, description = "No such endpoint.", body = ErrorDoc),
    ))]
pub async fn delete(
    State(state): State<AppState>,
    ext: Option<Extension<Caller>>,
    path: Result<Path<i64>, PathRejection>,
) -> Response {
    let actor = actor_of(ext);
    if let Err(error) = actor.require(crate::service::auth::Scope::Admin) {
        return refused(error);
    }
    answer(
        async {
            webhooks::delete(&state.db, &actor, id_of(path)?, state.clock.now()).await?;
            Ok(StatusCode::NO_CONTENT.into_response())
        }
        .await,
    )
}

/// Rotate a webhook endpoint's secret
///
/// A new secret signs from now on; the old one signs beside it for
/// `grace_hours` (default 24, at most 168), so receivers can switch without
/// dropping a delivery.
#[utoipa::path(post, path = "/api/v1/webhooks/{id}/rotate-secret", tag = "webhooks",
    params(("id" = i64, Path, description = "The endpoint's id.")),
    request_body(content = Option<Object>, description = "`{\"grace_hours\": 24}` (optional)."),
    responses(
        (status = 200, description = "The endpoint with its new secret.", body = WebhookDoc),
        (status = 400, description = "The id is not a number, or the body not a JSON object.", body = ErrorDoc),
        (status = 401, description = "No valid API key.", body = ErrorDoc),
        (status = 403, description = "The key lacks the `admin` scope.", body = ErrorDoc),
        (status = 404, description = "No such endpoint.", body = ErrorDoc),
        (status = 415, description = "A body that is not JSON.", body = ErrorDoc),
        (status = 422, description = "`grace_hours` is not valid.", body = ErrorDoc),
    ))]
pub async fn rotate_secret(
    State(state): State<AppState>,
    ext: Option<Extension<Caller>>,
    path: Result<Path<i64>, PathRejection>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let actor = actor_of(ext);
    if let Err(error) = actor.require(crate::service::auth::Scope::Admin) {
        return refused(error);
    }
    answer(
        async {
            let id = id_of(path)?;
            let hours = if body.is_empty() {
                24
            } else {
                let body = json_object(&headers, &body)?;
                match body.get("grace_hours") {
                    None => 24,
                    Some(v) => v
                        .as_u64()
                        .ok_or_else(|| invalid("grace_hours", "is a whole number of hours"))?,
                }
            };
            let grace = std::time::Duration::from_secs(hours.saturating_mul(3600));
            let (row, secret) =
                webhooks::rotate_secret(&state.db, &actor, id, grace, state.clock.now()).await?;
            Ok(private(StatusCode::OK, endpoint_json(&row, Some(&secret))))
        }
        .await,
    )
}
