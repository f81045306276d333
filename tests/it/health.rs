use axum::{body::Body, http::Request};
use http_body_util::BodyExt;
use osce_api::{AppState, app};
use tower::ServiceExt;

use crate::support::{Backend, TestDb};

async fn get_json(db: &TestDb, path: &str) -> (u16, serde_json::Value) {
    let response = app(AppState::new(db.conn.clone()))
        .oneshot(Request::get(path).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status().as_u16();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).expect("a JSON body"))
}

async fn health_and_readiness(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let (status, body) = get_json(&db, "/healthz").await;
    assert_eq!((status, body["status"].as_str()), (200, Some("ok")));
    let (status, body) = get_json(&db, "/readyz").await;
    assert_eq!((status, body["status"].as_str()), (200, Some("ready")));

    // With the pool closed the database is unreachable: not ready, but the process is alive.
    let conn = db.conn.clone();
    conn.close_by_ref().await.unwrap();
    let (status, body) = get_json(&db, "/readyz").await;
    assert_eq!(
        (status, body["status"].as_str()),
        (503, Some("unavailable"))
    );
    let (status, _) = get_json(&db, "/healthz").await;
    assert_eq!(status, 200);
    db.cleanup().await;
}

crate::backend_tests!(health_and_readiness);
