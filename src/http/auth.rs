//! Who is calling: an editor's API key (`Authorization: Bearer osce_…` or
//! `X-API-Key: osce_…`), checked once per request and handed to the
//! handlers as a `Caller`. No key is fine for public reads; a key that is
//! unknown, revoked or expired is refused with 401 whatever the request
//! (a typo must not silently read as anonymous). Keys travel only in
//! headers, never in cookies: a browser cannot send one cross-site, so
//! there is no CSRF to guard against.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::error::ApiError;
use super::ratelimit::{UNAUTHENTICATED, graphql_error};
use crate::service::auth::{self, AuthError, KEY_PREFIX, Principal};
use crate::service::editorial::Actor;

/// The caller of a request: its key's principal (if it sent one) and the
/// request's ID, for revisions and the audit log.
#[derive(Clone, Debug, Default)]
pub struct Caller {
    pub principal: Option<Principal>,
    pub request_id: Option<String>,
}

impl Caller {
    pub fn actor(&self) -> Actor {
        Actor::api(self.principal.clone(), self.request_id.clone())
    }
}

/// The API key a request presents (`Authorization: Bearer KEY` or
/// `X-API-Key: KEY`), whatever kind it is.
pub fn api_key_of(headers: &HeaderMap) -> Option<&str> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, key)| key.trim());
    bearer.or_else(|| {
        headers
            .get("x-api-key")
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    })
}

/// The editor's key a request presents, if any.
fn presented_key(headers: &HeaderMap) -> Option<&str> {
    api_key_of(headers).filter(|key| key.starts_with(KEY_PREFIX))
}

/// Resolves the caller and leaves it in the request's extensions.
pub async fn authenticate(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let principal = match presented_key(request.headers()) {
        None => None,
        Some(key) => match auth::authenticate(&state.db, key, state.clock.now()).await {
            Ok(principal) => Some(principal),
            Err(AuthError::Database(error)) => return ApiError::from(error).into_response(),
            Err(refused) => {
                return unauthenticated(request.uri().path() == "/graphql", &refused.to_string());
            }
        },
    };
    let request_id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    request.extensions_mut().insert(Caller {
        principal,
        request_id,
    });
    next.run(request).await
}

/// 401 with `WWW-Authenticate`, as GraphQL or REST expects it.
pub fn unauthenticated(graphql: bool, message: &str) -> Response {
    let mut response = if graphql {
        graphql_error(StatusCode::UNAUTHORIZED, UNAUTHENTICATED, message)
    } else {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthenticated", message).into_response()
    };
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"osce-api\""),
    );
    response
}
