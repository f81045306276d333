//! An endpoint's deliveries, each with its attempts, and replays.

use axum::{
    Extension,
    extract::{Path, RawQuery, State, rejection::PathRejection},
    http::{HeaderMap, StatusCode},
    response::Response,
};
use bytes::Bytes;
use serde_json::{Value, json};

use super::super::docs::{ErrorDoc, WebhookDeliveryDoc, WebhookDeliveryPageDoc};
use super::super::editorial::{json_object, refused};
use super::{actor_of, answer, delivery_json, id_of, ids_of, invalid, private};
use crate::http::auth::Caller;
use crate::http::{AppState, error::ApiError, params::QueryParams};
use crate::service::webhooks;

/// A webhook endpoint's deliveries
///
/// Newest first; page with `before` (from `next`).
#[utoipa::path(get, path = "/api/v1/webhooks/{id}/deliveries", tag = "webhooks",
    params(
        ("id" = i64, Path, description = "The endpoint's id."),
        ("before" = Option<i64>, Query, description = "Only deliveries with a smaller id."),
        ("limit" = Option<u32>, Query, description = "1 to 1000 (default 100)."),
    ),
    responses(
        (status = 200, description = "One page.", body = WebhookDeliveryPageDoc),
        (status = 400, description = "A parameter the API cannot use.", body = ErrorDoc),
        (status = 401, description = "No valid API key.", body = ErrorDoc),
        (status = 403, description = "The key lacks the `admin` scope.", body = ErrorDoc),
        (status = 404, description = "No such endpoint.", body = ErrorDoc),
    ))]
pub async fn deliveries(
    State(state): State<AppState>,
    ext: Option<Extension<Caller>>,
    path: Result<Path<i64>, PathRejection>,
    RawQuery(query): RawQuery,
) -> Response {
    let actor = actor_of(ext);
    if let Err(error) = actor.require(crate::service::auth::Scope::Admin) {
        return refused(error);
    }
    answer(
        async {
            let id = id_of(path)?;
            let mut params = QueryParams::parse(query.as_deref());
            let before = params
                .one("before")?
                .map(|b| {
                    b.parse::<i64>()
                        .map_err(|_| ApiError::bad_parameter("before", "`before` is a delivery id"))
                })
                .transpose()?;
            let limit = u64::from(params.integer("limit", 1, 1000, 100)?);
            params.finish()?;
            let rows = webhooks::deliveries(&state.db, &actor, id, before, limit).await?;
            let next = (rows.len() as u64 == limit)
                .then(|| rows.last())
                .flatten()
                .map(|last| {
                    format!(
                        "/api/v1/webhooks/{id}/deliveries?before={}&limit={limit}",
                        last.id
                    )
                });
            let items: Vec<Value> = rows.iter().map(|r| delivery_json(r, None)).collect();
            Ok(private(
                StatusCode::OK,
                json!({ "items": items, "next": next }),
            ))
        }
        .await,
    )
}

/// A webhook delivery with its attempts
#[utoipa::path(get, path = "/api/v1/webhooks/{id}/deliveries/{delivery}", tag = "webhooks",
    params(
        ("id" = i64, Path, description = "The endpoint's id."),
        ("delivery" = i64, Path, description = "The delivery's id."),
    ),
    responses(
        (status = 200, description = "The delivery and each attempt.", body = WebhookDeliveryDoc),
        (status = 400, description = "An id is not a number.", body = ErrorDoc),
        (status = 401, description = "No valid API key.", body = ErrorDoc),
        (status = 403, description = "The key lacks the `admin` scope.", body = ErrorDoc),
        (status = 404, description = "No such delivery.", body = ErrorDoc),
    ))]
pub async fn delivery(
    State(state): State<AppState>,
    ext: Option<Extension<Caller>>,
    path: Result<Path<(i64, i64)>, PathRejection>,
) -> Response {
    let actor = actor_of(ext);
    if let Err(error) = actor.require(crate::service::auth::Scope::Admin) {
        return refused(error);
    }
    answer(
        async {
            let (id, delivery_id) = ids_of(path)?;
            let (row, attempts) = webhooks::delivery(&state.db, &actor, id, delivery_id).await?;
            Ok(private(
                StatusCode::OK,
                delivery_json(&row, Some(&attempts)),
            ))
        }
        .await,
    )
}

/// Send a delivery again
///
/// Now, with the same `webhook-id` (receivers drop what they already have).
#[utoipa::path(post, path = "/api/v1/webhooks/{id}/deliveries/{delivery}/replay", tag = "webhooks",
    params(
        ("id" = i64, Path, description = "The endpoint's id."),
        ("delivery" = i64, Path, description = "The delivery's id."),
    ),
    responses(
        (status = 202, description = "Queued to be sent now.", body = WebhookDeliveryDoc),
        (status = 400, description = "An id is not a number.", body = ErrorDoc),
        (status = 401, description = "No valid API key.", body = ErrorDoc),
        (status = 403, description = "The key lacks the `admin` scope.", body = ErrorDoc),
        (status = 404, description = "No such delivery.", body = ErrorDoc),
    ))]
pub async fn replay_delivery(
    State(state): State<AppState>,
    ext: Option<Extension<Caller>>,
    path: Result<Path<(i64, i64)>, PathRejection>,
) -> Response {
    let actor = actor_of(ext);
    if let Err(error) = actor.require(crate::service::auth::Scope::Admin) {
        return refused(error);
    }
    answer(
        async {
            let (id, delivery_id) = ids_of(path)?;
            let row =
                webhooks::replay_delivery(&state.db, &actor, id, delivery_id, state.clock.now())
                    .await?;
            Ok(private(StatusCode::ACCEPTED, delivery_json(&row, None)))
        }
        .await,
    )
}

/// Send a range of changes again
///
/// Every delivery of this endpoint for the changes numbered `from_seq` to
/// `to_seq` (inclusive) goes out again now.
#[utoipa::path(post, path = "/api/v1/webhooks/{id}/replay", tag = "webhooks",
    params(("id" = i64, Path, description = "The endpoint's id.")),
    request_body(content = Object, description = "`{\"from_seq\": 100, \"to_seq\": 200}`."),
    responses(
        (status = 202, description = "How many deliveries were queued: `{\"queued\": n}`.", body = Object),
        (status = 400, description = "The id is not a number, or the body not a JSON object.", body = ErrorDoc),
        (status = 401, description = "No valid API key.", body = ErrorDoc),
        (status = 403, description = "The key lacks the `admin` scope.", body = ErrorDoc),
        (status = 404, description = "No such endpoint.", body = ErrorDoc),
        (status = 415, description = "Not JSON.", body = ErrorDoc),
        (status = 422, description = "`from_seq` or `to_seq` is missing or not valid.", body = ErrorDoc),
    ))]
pub async fn replay_range(
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
            let body = json_object(&headers, &body)?;
            let number = |name: &str| {
                body.get(name)
                    .and_then(Value::as_i64)
                    .ok_or_else(|| invalid(name, "is required: a change number (seq)"))
            };
            let (from, to) = (number("from_seq")?, number("to_seq")?);
            let n =
                webhooks::replay_range(&state.db, &actor, id, from, to, state.clock.now()).await?;
            Ok(private(StatusCode::ACCEPTED, json!({ "queued": n })))
        }
        .await,
    )
}
