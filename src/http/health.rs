//! Liveness and readiness, for load balancers and orchestrators.

use std::time::{Duration, Instant};

use axum::{Json, Router, extract::State, http::StatusCode, routing::get};
use serde_json::{Value, json};

use super::AppState;
use crate::storage;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

/// The process is up; says nothing of the database.
async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

/// How long readiness waits for the database: under the one-second probe
/// timeout that orchestrators use by default, whatever the pool's acquire
/// timeout, so that a probe gets "not ready" rather than no answer.
const READY_TIMEOUT: Duration = Duration::from_millis(900);

/// The database answers and the first release index is built: this replica
/// can take traffic. A probe before then starts the first build (on a task
/// of its own, which the probe only waits for within its time) and says
/// "starting" until it is done.
async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let started = Instant::now();
    let backend = storage::backend_name(state.db.get_database_backend());
    if !storage::ping(&state.db, READY_TIMEOUT).await {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(
                json!({ "status": "unavailable", "database": backend, "reason": "the database does not answer" }),
            ),
        );
    }
    if !state.release_index.is_ready() {
        let (index, db) = (state.release_index.clone(), state.db.clone());
        let build = tokio::spawn(async move { index.get(&db).await.map(|_| ()) });
        let left = READY_TIMEOUT.saturating_sub(started.elapsed());
        let _ = tokio::time::timeout(left, build).await;
    }
    if state.release_index.is_ready() {
        (
            StatusCode::OK,
            Json(json!({ "status": "ready", "database": backend })),
        )
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({
                "status": "starting",
                "database": backend,
                "reason": format!("building the release index: {}%", state.release_index.build_progress()),
            })),
        )
    }
}
