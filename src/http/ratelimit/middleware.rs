//! The axum middleware that counts every request, and its refusals.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::{
    extract::{ConnectInfo, Request, State},
    http::StatusCode,
    middleware::Next,
    response::{IntoResponse, Response},
};

use super::limiter::{RateLimiter, UnknownKey};
use crate::http::error::ApiError;

/// Counts a request against its client's request budget; refuses it with
/// 429 when the budget is spent. Leaves the client in the request's
/// extensions for the GraphQL handler, which charges the cost.
pub async fn limit(
    State(limiter): State<Arc<RateLimiter>>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip());
    let client = match limiter.identify(peer, request.headers()) {
        Ok(client) => client,
        Err(UnknownKey) => return unknown_key(request.uri().path() == "/graphql"),
    };
    request.extensions_mut().insert(client);
    let verdict = limiter.take_request(client);
    let mut response = match verdict {
        Some(verdict) if !verdict.allowed => {
            let message = format!(
                "too many requests: at most {} a minute; retry in {} s",
                verdict.limit, verdict.retry_after
            );
            if request.uri().path() == "/graphql" {
                graphql_refusal(&message)
            } else {
                ApiError::new(StatusCode::TOO_MANY_REQUESTS, "rate_limited", message)
                    .into_response()
            }
        }
        _ => next.run(request).await,
    };
    if let Some(verdict) = verdict {
        verdict.write_headers(response.headers_mut());
    }
    response
}

/// 401 for a key this service does not know.
fn unknown_key(graphql: bool) -> Response {
    crate::http::auth::unauthenticated(
        graphql,
        "this API key is not known here; send a configured key, or none",
    )
}

/// 429 as a GraphQL response (the client may not accept anything else).
fn graphql_refusal(message: &str) -> Response {
    graphql_error(StatusCode::TOO_MANY_REQUESTS, RATE_LIMITED, message)
}

pub(crate) fn graphql_error(status: StatusCode, code: &'static str, message: &str) -> Response {
    let body = serde_json::json!({
        "errors": [{ "message": message, "extensions": { "code": code } }]
    });
    let mut response = (status, axum::Json(body)).into_response();
    response
        .extensions_mut()
        .insert(crate::http::metrics::ErrorCode(code));
    response
}

/// The GraphQL error code of a request with an unknown API key.
pub const UNAUTHENTICATED: &str = "UNAUTHENTICATED";

/// The GraphQL error code of a request over its budget.
pub const RATE_LIMITED: &str = "RATE_LIMITED";
