//! The HTTP layer: routes and middleware. Handlers stay thin; the work is in
//! the storage and domain modules.

mod embed;
pub mod error;
mod feeds;
mod graphql;
mod health;
pub mod params;
pub mod persisted;
pub mod ratelimit;
pub mod rest;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use sea_orm::DatabaseConnection;

use crate::cache::ContentClock;
use crate::feeds::{FeedOptions, cache::FeedCache};
use crate::graphql::limits::Limits;
use crate::graphql::{AppSchema, GraphqlState};
use crate::metrics::{self as prom, Metrics};
use crate::query::RETRY_AFTER_SECS;
use crate::query::snapshot::Snapshot;
use crate::storage::catalog::CatalogCache;
use crate::storage::release_index::{self, ReleaseIndexCache};
use persisted::PersistedQueries;
use ratelimit::{RateLimitSettings, RateLimiter};
use tower_http::{
    catch_panic::CatchPanicLayer,
    cors::{Any, CorsLayer},
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    set_header::SetResponseHeaderLayer,
    timeout::TimeoutLayer,
    trace::{MakeSpan, OnResponse, TraceLayer},
};

/// What every handler can reach; holds no content, so any number of
/// replicas can serve the same database. One `Arc`: axum clones the state
/// for every request (and layer), and cloning each field's own `Arc`s was
/// about a seventh of the server's CPU on a cheap request (atomic counts
/// shared by both cores).
#[derive(Clone)]
pub struct AppState(Arc<AppStateInner>);

impl std::ops::Deref for AppState {
    type Target = AppStateInner;

    fn deref(&self) -> &AppStateInner {
        &self.0
    }
}

/// The fields of `AppState`; set through its `with_*` builders.
#[derive(Clone)]
pub struct AppStateInner {
    pub db: DatabaseConnection,
    pub schema: AppSchema,
    /// How long a DataLoader batch waits for more keys.
    pub loader_delay: Duration,
    /// The derived release index; safe to lose.
    pub release_index: ReleaseIndexCache,
    /// The derived copy of the small tables; safe to lose.
    pub catalog: CatalogCache,
    /// What a GraphQL request may ask for.
    pub limits: Limits,
    /// Whether the schema answers introspection.
    pub introspection: bool,
    /// Feeds and embeds: public URL, caching.
    pub feeds: FeedOptions,
    /// Rendered feeds, keyed by content generation; safe to lose.
    pub feed_cache: FeedCache,
    /// The content generation as last read, for the response caches.
    pub content_clock: ContentClock,
    /// Complete GraphQL answers, keyed by content generation; safe to lose.
    pub graphql_cache: graphql::ResponseCache,
    /// `max-age` of complete GraphQL answers to GET.
    pub graphql_max_age: Duration,
    /// Automatic persisted queries; safe to lose.
    pub persisted_queries: PersistedQueries,
    /// What `/metrics` reports; one per process.
    pub metrics: Arc<Metrics>,
    /// Per-client budgets of requests and GraphQL cost; `None`: no limits.
    pub rate_limiter: Option<Arc<RateLimiter>>,
}

impl AppState {
    pub fn new(db: DatabaseConnection) -> Self {
        let release_index =
            ReleaseIndexCache::with_search_cache(release_index::DEFAULT_SEARCH_CACHE_MATCHES);
        let schema = crate::graphql::schema(Some(GraphqlState { db: db.clone() }));
        Self(Arc::new(AppStateInner {
            db,
            schema,
            loader_delay: Duration::from_millis(1),
            release_index,
            catalog: CatalogCache::default(),
            limits: Limits::default(),
            introspection: true,
            feeds: FeedOptions::default(),
            feed_cache: FeedCache::new(0, 0),
            content_clock: ContentClock::new(Duration::ZERO),
            graphql_cache: graphql::ResponseCache::new(0, 0),
            graphql_max_age: Duration::ZERO,
            persisted_queries: PersistedQueries::new(0),
            metrics: Arc::new(Metrics::new()),
            rate_limiter: None,
        }))
        .with_feeds(FeedOptions::default())
        .with_caching(CacheSettings::default())
    }

    /// What one request reads: its own snapshot over the shared caches.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot::new(
            self.db.clone(),
            self.catalog.clone(),
            self.release_index.clone(),
        )
    }

    /// A snapshot at a generation already read, if any.
    pub fn snapshot_at(&self, generation: Option<String>) -> Snapshot {
        match generation {
            Some(generation) => self.snapshot().at_generation(generation),
            None => self.snapshot(),
        }
    }

    /// The fields, for the builders: no copy while the state is not yet
    /// shared (a shared one is copied first, its caches still shared).
    fn fields_mut(&mut self) -> &mut AppStateInner {
        Arc::make_mut(&mut self.0)
    }

    /// Sets how many search matches the cache may hold (0: no cache).
    pub fn with_search_cache(mut self, matches: u64) -> Self {
        let state = self.fields_mut();
        state.release_index = ReleaseIndexCache::with_search_cache(matches);
        self
    }

    /// Replaces the GraphQL limits, and turns introspection (with field
    /// suggestions) on or off.
    pub fn with_graphql(mut self, limits: Limits, introspection: bool) -> Self {
        let state = self.fields_mut();
        state.schema = crate::graphql::schema_with(
            Some(GraphqlState {
                db: state.db.clone(),
            }),
            introspection,
        );
        state.limits = limits;
        state.introspection = introspection;
        self
    }

    /// Sets how long a DataLoader batch waits for more keys.
    pub fn with_loader_delay(mut self, delay: Duration) -> Self {
        self.fields_mut().loader_delay = delay;
        self
    }

    /// Sets the per-client rate limits (none when both budgets are 0).
    pub fn with_rate_limits(mut self, settings: RateLimitSettings) -> Self {
        let state = self.fields_mut();
        state.rate_limiter = settings
            .enabled()
            .then(|| Arc::new(RateLimiter::new(settings)));
        self
    }

    /// Replaces the feed settings (and so starts an empty feed cache).
    pub fn with_feeds(mut self, options: FeedOptions) -> Self {
        let state = self.fields_mut();
        state.feed_cache = FeedCache::new(options.cache_entries, usize::MAX);
        state.feeds = options;
        self
    }

    /// Replaces the caching settings (and so starts empty caches).
    pub fn with_caching(mut self, settings: CacheSettings) -> Self {
        let state = self.fields_mut();
        state.content_clock = ContentClock::new(settings.check_interval);
        state.graphql_cache = graphql::ResponseCache::new(usize::MAX, settings.graphql_cache_bytes);
        state.graphql_max_age = settings.graphql_max_age;
        state.persisted_queries = PersistedQueries::new(settings.persisted_query_bytes);
        self
    }
}

/// HTTP caching and the in-process response caches.
#[derive(Clone, Debug)]
pub struct CacheSettings {
    /// How long a read of the content generation is trusted before it is
    /// read again (zero: on every request). Cached answers may lag a write
    /// by that much.
    pub check_interval: Duration,
    /// `Cache-Control: max-age` of complete GraphQL answers to GET.
    pub graphql_max_age: Duration,
    /// Bytes of GraphQL answers kept in process (0: no response cache).
    pub graphql_cache_bytes: usize,
    /// Bytes of persisted query texts kept (0: no persisted queries).
    pub persisted_query_bytes: usize,
}

impl Default for CacheSettings {
    /// What a library user (and the tests) get: persisted queries and HTTP
    /// caching, but no response cache, and the generation read on every
    /// request, so that every answer follows every write at once.
    fn default() -> Self {
        Self {
            check_interval: Duration::ZERO,
            graphql_max_age: Duration::from_secs(60),
            graphql_cache_bytes: 0,
            persisted_query_bytes: 4 << 20,
        }
    }
}

/// Partner sites call these from their own pages: any origin may read.
/// Only simple reads for feeds and embeds; GraphQL also takes JSON POSTs.
fn cors(methods: &[Method]) -> CorsLayer {
    CorsLayer::new()
        .allow_origin(Any)
        .allow_methods(methods.to_vec())
        .allow_headers([
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::AUTHORIZATION,
            HeaderName::from_static("x-api-key"),
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
    Router::new()
        .merge(health::router())
        .route("/metrics", get(prom::serve))
        .merge(limited(graphql::router()).layer(cors(&[Method::GET, Method::POST])))
        .merge(
            limited(feeds::router().merge(embed::router()))
                .layer(cors(&[Method::GET, Method::HEAD])),
        )
        // Scripts and notebooks (in a browser too) read the REST API and
        // its paging and download headers from anywhere.
        .merge(
            limited(rest::router()).layer(cors(&[Method::GET, Method::HEAD]).expose_headers([
                header::LINK,
                header::CONTENT_DISPOSITION,
                header::HeaderName::from_static("x-total-count"),
                X_REQUEST_ID,
                header::RETRY_AFTER,
                ratelimit::RATELIMIT_LIMIT,
                ratelimit::RATELIMIT_REMAINING,
                ratelimit::RATELIMIT_RESET,
            ])),
        )
        .with_state(state)
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(30),
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
