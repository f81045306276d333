//! The HTTP layer: routes and middleware. Handlers stay thin; the work is in
//! the storage and domain modules.

pub mod auth;
mod embed;
pub mod error;
mod feeds;
mod graphiql;
mod graphql;
mod health;
pub mod locale;
pub mod metrics;
pub mod params;
pub mod persisted;
pub mod ratelimit;
pub mod rest;
mod state;

pub use state::{AppState, AppStateInner, CacheSettings, DEFAULT_FEED_POLL};

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;

use crate::service::RETRY_AFTER_SECS;
use metrics as prom;
use tower_http::{
    catch_panic::CatchPanicLayer,
    cors::{Any, CorsLayer},
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    set_header::SetResponseHeaderLayer,
    timeout::TimeoutLayer,
    trace::{MakeSpan, OnResponse, TraceLayer},
};

/// Partner sites call these from their own pages: any origin may read.
/// Only simple reads for feeds and embeds; GraphQL also takes JSON POSTs.
fn cors(methods: &[Method]) -> CorsLayer {
    CorsLayer::new()
        .allow_origin(Any)
        .allow_methods(methods.to_vec())
        // What partner pages and standard clients send: the key, a request
        // ID of their own (documented, and echoed back), Apollo's client
        // identification, and revalidation of a cached copy.
        .allow_headers([
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::AUTHORIZATION,
            HeaderName::from_static("x-api-key"),
            X_REQUEST_ID,
            HeaderName::from_static("apollographql-client-name"),
            HeaderName::from_static("apollographql-client-version"),
            header::IF_NONE_MATCH,
            header::IF_MODIFIED_SINCE,
            // Editors' writes.
            header::IF_MATCH,
            HeaderName::from_static("idempotency-key"),
        ])
        .expose_headers([
            header::ETAG,
            header::LAST_MODIFIED,
            X_REQUEST_ID,
            header::RETRY_AFTER,
            ratelimit::RATELIMIT_LIMIT,
            ratelimit::RATELIMIT_REMAINING,
            ratelimit::RATELIMIT_RESET,
        ])
        .max_age(Duration::from_secs(86_400))
}

const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Longest request ID taken from a client; a longer one, or one with other
/// than visible ASCII, is replaced, so that logs stay readable and small.
const MAX_REQUEST_ID: usize = 128;

/// Drops a client's request ID that is not fit for logs, so that a fresh
/// one is made for the request instead.
async fn screen_request_id(mut request: Request, next: Next) -> Response {
    let unfit = request.headers().get(&X_REQUEST_ID).is_some_and(|id| {
        id.is_empty()
            || id.len() > MAX_REQUEST_ID
            || !id.as_bytes().iter().all(|b| b.is_ascii_graphic())
    });
    if unfit {
        request.headers_mut().remove(&X_REQUEST_ID);
    }
    next.run(request).await
}

/// Each request's span: its ID, method and path (not the query string,
/// which may be long), so that every log line of the request carries them.
#[derive(Clone, Copy)]
struct RequestSpan;

impl<B> MakeSpan<B> for RequestSpan {
    fn make_span(&mut self, request: &axum::http::Request<B>) -> tracing::Span {
        let id = request
            .headers()
            .get(&X_REQUEST_ID)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        tracing::info_span!(
            "request",
            request_id = id,
            method = %request.method(),
            path = request.uri().path(),
        )
    }
}

/// One line per request, with numbers that log collectors can aggregate.
#[derive(Clone, Copy)]
struct LogResponse;

impl<B> OnResponse<B> for LogResponse {
    fn on_response(
        self,
        response: &axum::http::Response<B>,
        latency: Duration,
        _span: &tracing::Span,
    ) {
        tracing::info!(
            status = response.status().as_u16(),
            latency_ms = latency.as_secs_f64() * 1e3,
            "answered"
        );
    }
}

fn retry_after_on_503(response: &Response) -> Option<HeaderValue> {
    (response.status() == StatusCode::SERVICE_UNAVAILABLE)
        .then(|| HeaderValue::from(RETRY_AFTER_SECS))
}

/// The whole service as one router, for `serve` and for tests (`oneshot`).
pub fn app(state: AppState) -> Router {
    // The APIs are rate limited (health and metrics are not), inside CORS so
    // that a browser can read a 429 and preflights are not counted.
    // Middleware get only what they use: cloning the whole state for each
    // request would cost more than their work.
    let limited = |router: Router<AppState>| match state.rate_limiter.clone() {
        Some(limiter) => router.layer(middleware::from_fn_with_state(limiter, ratelimit::limit)),
        None => router,
    };
    let metrics = Arc::clone(&state.metrics);
    let request_timeout = state.request_timeout;
    Router::new()
        .merge(health::router())
        .route("/metrics", get(prom::serve))
        .merge(
            limited(graphql::router().merge(graphiql::router()).layer(
                middleware::from_fn_with_state(state.clone(), auth::authenticate),
            ))
            .layer(cors(&[Method::GET, Method::POST])),
        )
        .merge(
            limited(feeds::router().merge(embed::router()))
                .layer(cors(&[Method::GET, Method::HEAD])),
        )
        // Scripts and notebooks (in a browser too) read the REST API and
        // its paging and download headers from anywhere.
        .merge(
            limited(rest::router().layer(middleware::from_fn_with_state(
                state.clone(),
                auth::authenticate,
            )))
            .layer(
                cors(&[
                    Method::GET,
                    Method::HEAD,
                    Method::POST,
                    Method::PUT,
                    Method::PATCH,
                    Method::DELETE,
                ])
                .expose_headers([
                    header::LINK,
                    header::ETAG,
                    header::LOCATION,
                    header::CONTENT_DISPOSITION,
                    header::HeaderName::from_static("x-total-count"),
                    X_REQUEST_ID,
                    header::RETRY_AFTER,
                    ratelimit::RATELIMIT_LIMIT,
                    ratelimit::RATELIMIT_REMAINING,
                    ratelimit::RATELIMIT_RESET,
                ]),
            ),
        )
        .with_state(state)
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            request_timeout,
        ))
        // Every 503 (the timeout's too) tells clients when to come back.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::RETRY_AFTER,
            retry_after_on_503,
        ))
        .layer(CatchPanicLayer::new())
        // Outside the timeout and the panic catcher, so that their 503 and
        // 500 are counted too. (Router layers wrap each route, after
        // routing, so the route template is known.)
        .layer(middleware::from_fn_with_state(metrics, prom::track))
        // Outermost last: screen the client's ID, set one if missing, open
        // the request's span with it, and send it back on the response.
        .layer(PropagateRequestIdLayer::new(X_REQUEST_ID))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(RequestSpan)
                .on_request(())
                .on_response(LogResponse)
                // A 5xx is logged where it arises, with its cause.
                .on_failure(()),
        )
        .layer(SetRequestIdLayer::new(X_REQUEST_ID, MakeRequestUuid))
        .layer(middleware::from_fn(screen_request_id))
}
