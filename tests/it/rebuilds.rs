//! A rebuild of the release index never holds requests: it runs on a task
//! of its own, a request that times out does not cancel it, a replica is
//! not ready until its first index is built, and a write is applied to the
//! index held from the change log, without a build. (Before, a rebuild
//! ran inside the request that noticed the write: on a large corpus every
//! request then timed out, and each timeout cancelled the rebuild.)

use std::time::{Duration, Instant};

use osce_api::AppState;
use serde_json::json;

use crate::support::{Backend, TestApp, TestDb, import_text};

const COUNT: &str = "{ pressReleases(first: 5) { totalCount } }";

/// A build slower than the request timeout, as on a large corpus.
const BUILD: Duration = Duration::from_secs(2);

async fn total(app: &TestApp) -> (u16, Option<u64>) {
    let reply = app.graphql(COUNT, json!({})).await;
    let status = reply.status_u16();
    let count = reply.json_or_null()["data"]["pressReleases"]["totalCount"].as_u64();
    (status, count)
}

/// Polls `done` every 100 ms for at most `within`.
async fn eventually(within: Duration, mut done: impl AsyncFnMut() -> bool) -> bool {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if done().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

async fn a_slow_rebuild_holds_no_request(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let app = TestApp::new(
        AppState::new(db.conn.clone())
            .with_index_build_delay(BUILD)
            .with_rebuild_patience(Duration::from_millis(100))
            .with_request_timeout(Duration::from_secs(1)),
    );

    // Not ready before the first index is built.
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status_u16(), 503, "{}", ready.text());
    assert_eq!(ready.json()["status"], "starting");
    let reason = ready.json()["reason"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        reason.starts_with("building the release index: ") && reason.ends_with('%'),
        "{reason}"
    );

    // A request before then waits for it and times out; the build goes on.
    let (status, _) = total(&app).await;
    assert_eq!(status, 503, "the request timed out");
    assert!(
        eventually(Duration::from_secs(10), async || app
            .get("/readyz")
            .await
            .status_u16()
            == 200)
        .await,
        "the first build finished although the requests that waited for it timed out"
    );
    assert_eq!(total(&app).await, (200, Some(1)));

    // A write: applied from the change log to the index held, with no
    // build (which would take `BUILD`): the next request sees it at once.
    let added = json!({
        "type": "press_release", "slug": "a-new-release-2026-11-02", "title": "A new release",
        "date": "2026-11-02", "source": "minsk-group", "language": "en",
        "body_html": "<p>News.</p>", "published_at": "2026-11-02T10:00:00Z",
        "updated_at": "2026-11-02T10:00:00Z"
    });
    import_text(&db.conn, format!("{added}\n")).await;
    let started = Instant::now();
    assert_eq!(total(&app).await, (200, Some(2)), "the write is visible");
    assert!(
        started.elapsed() < BUILD / 2,
        "waited {:?}: a full build ran",
        started.elapsed()
    );
    db.cleanup().await;
}

crate::backend_tests!(a_slow_rebuild_holds_no_request);
