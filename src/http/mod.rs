//! The HTTP layer: routes and middleware. Handlers stay thin; the work is in
//! the storage and domain modules.

mod embed;
pub mod error;
mod feeds;
mod graphql;
mod health;
pub mod params;
pub mod rest;

use std::time::Duration;

use axum::Router;
use axum::http::{Method, header};
use sea_orm::DatabaseConnection;

use crate::feeds::{FeedOptions, cache::FeedCache};
use crate::graphql::limits::Limits;
use crate::graphql::{AppSchema, GraphqlState};
use crate::storage::release_index::{self, ReleaseIndexCache};
use tower_http::{
    catch_panic::CatchPanicLayer,
    cors::{Any, CorsLayer},
    timeout::TimeoutLayer,
    trace::TraceLayer,
};

/// What every handler can reach. Cheap to clone; holds no content, so any
/// number of replicas can serve the same database.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub schema: AppSchema,
    /// How long a DataLoader batch waits for more keys.
    pub loader_delay: Duration,
    /// The derived release index (shared with the schema); safe to lose.
    pub release_index: ReleaseIndexCache,
    /// What a GraphQL request may ask for.
    pub limits: Limits,
    /// Whether the schema answers introspection.
    pub introspection: bool,
    /// Feeds and embeds: public URL, caching.
    pub feeds: FeedOptions,
    /// Rendered feeds, keyed by content generation; safe to lose.
    pub feed_cache: FeedCache,
}

impl AppState {
    pub fn new(db: DatabaseConnection) -> Self {
        let release_index =
            ReleaseIndexCache::with_search_cache(release_index::DEFAULT_SEARCH_CACHE_MATCHES);
        let schema = crate::graphql::schema(Some(GraphqlState {
            db: db.clone(),
            index: release_index.clone(),
        }));
        Self {
            db,
            schema,
            loader_delay: Duration::from_millis(1),
            release_index,
            limits: Limits::default(),
            introspection: true,
            feeds: FeedOptions::default(),
            feed_cache: FeedCache::new(0, Duration::ZERO),
        }
        .with_feeds(FeedOptions::default())
    }

    /// Sets how many search matches the cache may hold (0: no cache).
    pub fn with_search_cache(mut self, matches: u64) -> Self {
        self.release_index = ReleaseIndexCache::with_search_cache(matches);
        let (limits, introspection) = (self.limits.clone(), self.introspection);
        // The schema holds the index cache too: rebuild it around the new one.
        self.with_graphql(limits, introspection)
    }

    /// Replaces the GraphQL limits, and turns introspection (with field
    /// suggestions) on or off.
    pub fn with_graphql(mut self, limits: Limits, introspection: bool) -> Self {
        self.schema = crate::graphql::schema_with(
            Some(GraphqlState {
                db: self.db.clone(),
                index: self.release_index.clone(),
            }),
            introspection,
        );
        self.limits = limits;
        self.introspection = introspection;
        self
    }

    /// Replaces the feed settings (and so starts an empty feed cache).
    pub fn with_feeds(mut self, options: FeedOptions) -> Self {
        self.feed_cache = FeedCache::new(options.cache_entries, options.check_interval);
        self.feeds = options;
        self
    }
}

/// Partner sites call these from their own pages: any origin may read.
/// Only simple reads for feeds and embeds; GraphQL also takes JSON POSTs.
fn cors(methods: &[Method]) -> CorsLayer {
    CorsLayer::new()
        .allow_origin(Any)
        .allow_methods(methods.to_vec())
        .allow_headers([header::CONTENT_TYPE, header::ACCEPT])
        .expose_headers([header::ETAG, header::LAST_MODIFIED])
        .max_age(Duration::from_secs(86_400))
}

/// The whole service as one router, for `serve` and for tests (`oneshot`).
pub fn app(state: AppState) -> Router {
    Router::new()
        .merge(health::router())
        .merge(graphql::router().layer(cors(&[Method::GET, Method::POST])))
        .merge(
            feeds::router()
                .merge(embed::router())
                .layer(cors(&[Method::GET, Method::HEAD])),
        )
        // Scripts and notebooks (in a browser too) read the REST API and
        // its paging and download headers from anywhere.
        .merge(
            rest::router().layer(cors(&[Method::GET, Method::HEAD]).expose_headers([
                header::LINK,
                header::CONTENT_DISPOSITION,
                header::HeaderName::from_static("x-total-count"),
            ])),
        )
        .with_state(state)
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(30),
        ))
        .layer(CatchPanicLayer::new())
        .layer(TraceLayer::new_for_http())
}
