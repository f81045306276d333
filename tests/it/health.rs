use osce_api::AppState;

use crate::support::{Backend, TestApp, TestDb};

async fn health_and_readiness(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let app = TestApp::new(AppState::new(db.conn.clone()));
    let (status, body) = app.get("/healthz").await.status_and_json();
    assert_eq!((status, body["status"].as_str()), (200, Some("ok")));
    let (status, body) = app.get("/readyz").await.status_and_json();
    assert_eq!((status, body["status"].as_str()), (200, Some("ready")));

    // With the pool closed the database is unreachable: not ready, but the process is alive.
    let conn = db.conn.clone();
    conn.close_by_ref().await.unwrap();
    let (status, body) = app.get("/readyz").await.status_and_json();
    assert_eq!(
        (status, body["status"].as_str()),
        (503, Some("unavailable"))
    );
    let (status, _) = app.get("/healthz").await.status_and_json();
    assert_eq!(status, 200);
    db.cleanup().await;
}

crate::backend_tests!(health_and_readiness);
