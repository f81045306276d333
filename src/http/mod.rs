//! The HTTP layer: routes and middleware. Handlers stay thin; the work is in
//! the storage and domain modules.

mod health;

use std::time::Duration;

use axum::Router;
use sea_orm::DatabaseConnection;
use tower_http::{catch_panic::CatchPanicLayer, timeout::TimeoutLayer, trace::TraceLayer};

/// What every handler can reach. Cheap to clone; holds no content, so any
/// number of replicas can serve the same database.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
}

/// The whole service as one router, for `serve` and for tests (`oneshot`).
pub fn app(state: AppState) -> Router {
    Router::new()
        .merge(health::router())
        .with_state(state)
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(30),
        ))
        .layer(CatchPanicLayer::new())
        .layer(TraceLayer::new_for_http())
}
