//! The HTTP layer: routes and middleware. Handlers stay thin; the work is in
//! the storage and domain modules.

pub mod error;
mod graphql;
mod health;
pub mod params;
pub mod rest;

use std::time::Duration;

use axum::Router;
use sea_orm::DatabaseConnection;

use crate::graphql::{AppSchema, GraphqlState};
use crate::storage::release_index::ReleaseIndexCache;
use tower_http::{catch_panic::CatchPanicLayer, timeout::TimeoutLayer, trace::TraceLayer};

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
}

impl AppState {
    pub fn new(db: DatabaseConnection) -> Self {
        let release_index = ReleaseIndexCache::default();
        let schema = crate::graphql::schema(Some(GraphqlState {
            db: db.clone(),
            index: release_index.clone(),
        }));
        Self {
            db,
            schema,
            loader_delay: Duration::from_millis(1),
            release_index,
        }
    }
}

/// The whole service as one router, for `serve` and for tests (`oneshot`).
pub fn app(state: AppState) -> Router {
    Router::new()
        .merge(health::router())
        .merge(graphql::router())
        .merge(rest::router())
        .with_state(state)
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(30),
        ))
        .layer(CatchPanicLayer::new())
        .layer(TraceLayer::new_for_http())
}
