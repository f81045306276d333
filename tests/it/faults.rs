//! The database going away and coming back. While it is out of reach every
//! API answers 503 with `Retry-After`, fast, in its own error shape, and
//! `/readyz` says not ready; when it returns the same service (same state:
//! same pool, same caches) answers 200 again within seconds, with no restart.
//!
//! On PostgreSQL the outage is real at the network level: the service
//! talks to the test database through a TCP proxy that the test closes (the
//! port refuses connections, open connections are cut) and reopens on the
//! same port. On SQLite, whose file cannot go away, a closed pool stands in
//! for the outage and only the shape of the answers is checked.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use osce_api::AppState;
use osce_api::storage::{self, DbSettings};
use tokio::net::{TcpListener, TcpStream};

use crate::support::{Backend, Reply, TestApp, TestDb};

const GRAPHQL: &str = r#"{"query":"{ pressReleases(first: 3) { totalCount edges { node { slug source { name } } } } }"}"#;

/// Every kind of endpoint that reads the database.
const PATHS: &[&str] = &[
    "/graphql",
    "/api/v1/press-releases?limit=2",
    "/api/v1/countries",
    "/feeds/press-releases.rss",
    "/feeds/countries/AM.json",
    "/embed/press-releases",
    "/press-releases/press-statement-by-the-co-chairs-of-the-osce-minsk-group-2020-10-25",
];

/// The request that exercises `path`: the GraphQL query for `/graphql`, a
/// GET for the others.
async fn call(app: &TestApp, path: &str) -> Reply {
    if path == "/graphql" {
        app.post_json(path, GRAPHQL).await
    } else {
        app.get(path).await
    }
}

/// The service answers each endpoint with 503, `Retry-After`, its error
/// shape, within `bound`.
async fn assert_unavailable(app: &TestApp, bound: Duration) {
    for path in PATHS {
        let reply = call(app, path).await;
        assert_eq!(
            reply.status,
            StatusCode::SERVICE_UNAVAILABLE,
            "{path}: {}",
            String::from_utf8_lossy(&reply.body)
        );
        let retry: u32 = reply
            .header_opt("retry-after")
            .unwrap_or_else(|| panic!("{path}: no Retry-After"))
            .parse()
            .expect("Retry-After in seconds");
        assert!(retry > 0, "{path}");
        assert!(
            reply.elapsed < bound,
            "{path} took {:?} to fail",
            reply.elapsed
        );
        let body = reply.json();
        if *path == "/graphql" {
            let codes: Vec<&str> = body["errors"]
                .as_array()
                .expect("errors")
                .iter()
                .filter_map(|e| e["extensions"]["code"].as_str())
                .collect();
            assert!(codes.contains(&"SERVICE_UNAVAILABLE"), "{path}: {body}");
            let text = body.to_string();
            assert!(
                !text.contains("pool") && !text.contains("onnection"),
                "no database text is shown: {text}"
            );
        } else {
            assert_eq!(body["error"]["code"], "service_unavailable", "{path}");
        }
    }
    let ready = call(app, "/readyz").await;
    assert_eq!(ready.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(ready.json()["status"], "unavailable");
    assert!(
        ready.elapsed < Duration::from_millis(1500),
        "{:?}",
        ready.elapsed
    );
    assert_eq!(call(app, "/healthz").await.status, StatusCode::OK);
}

async fn assert_available(app: &TestApp) {
    for path in PATHS {
        let reply = call(app, path).await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "{path}: {}",
            String::from_utf8_lossy(&reply.body)
        );
    }
    let body = call(app, "/graphql").await.json();
    assert!(body["errors"].is_null(), "{body}");
    assert_eq!(body["data"]["pressReleases"]["totalCount"], 1);
    assert_eq!(call(app, "/readyz").await.status, StatusCode::OK);
}

fn app_for(conn: sea_orm::DatabaseConnection) -> TestApp {
    // Feeds re-read the content generation on every request (the default
    // of `AppState::new`), so that the test does not depend on how long
    // the last read is trusted.
    TestApp::new(AppState::new(conn))
}

/// A TCP proxy in front of the database that can be taken down (its port
/// closed, every open connection cut) and brought back on the same port.
struct Proxy {
    listen: SocketAddr,
    upstream: SocketAddr,
    tasks: Arc<Mutex<Vec<tokio::task::JoinHandle<()>>>>,
}

impl Proxy {
    async fn start(upstream: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let proxy = Proxy {
            listen: listener.local_addr().unwrap(),
            upstream,
            tasks: Arc::default(),
        };
        proxy.serve(listener);
        proxy
    }

    fn serve(&self, listener: TcpListener) {
        let (tasks, upstream) = (Arc::clone(&self.tasks), self.upstream);
        let accept = tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                let relay = tokio::spawn(async move {
                    if let Ok(mut server) = TcpStream::connect(upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
                tasks.lock().unwrap().push(relay);
            }
        });
        self.tasks.lock().unwrap().push(accept);
    }

    async fn down(&self) {
        for task in self.tasks.lock().unwrap().drain(..) {
            task.abort();
        }
        // Aborted tasks are dropped (closing their sockets) when the
        // runtime next gets to them.
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    async fn up(&self) {
        let listener = TcpListener::bind(self.listen)
            .await
            .expect("reopen the proxy's port");
        self.serve(listener);
    }
}

/// `scheme://user@host:port/db?…` → (its `host:port`, the URL with `to` there).
async fn through(url: &str, to: SocketAddr) -> (SocketAddr, String) {
    let start = url
        .find('@')
        .map(|i| i + 1)
        .unwrap_or(url.find("://").unwrap() + 3);
    let end = start + url[start..].find('/').unwrap();
    let authority = &url[start..end];
    let authority = if authority.contains(':') {
        authority.to_string()
    } else {
        format!("{authority}:5432")
    };
    let upstream = tokio::net::lookup_host(&authority)
        .await
        .unwrap()
        .next()
        .unwrap();
    (upstream, format!("{}{to}{}", &url[..start], &url[end..]))
}

async fn outage_and_recovery(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    match backend {
        Backend::Sqlite => {
            let conn = storage::connect(&DbSettings::new(db.url.clone(), 2))
                .await
                .unwrap();
            let app = app_for(conn.clone());
            assert_available(&app).await;
            conn.close_by_ref().await.unwrap();
            assert_unavailable(&app, Duration::from_secs(2)).await;
        }
        Backend::Postgres => {
            let (upstream, _) = through(&db.url, "127.0.0.1:1".parse().unwrap()).await;
            let proxy = Proxy::start(upstream).await;
            let (_, url) = through(&db.url, proxy.listen).await;
            let mut settings = DbSettings::new(url, 4);
            settings.acquire_timeout = Duration::from_millis(500);
            let conn = storage::connect(&settings).await.unwrap();
            let app = app_for(conn.clone());
            assert_available(&app).await;

            proxy.down().await;
            // Fails within the acquire timeout (plus the request's own work).
            assert_unavailable(&app, Duration::from_millis(2500)).await;
            // Still failing, and still fast, a while later: nothing piles up.
            tokio::time::sleep(Duration::from_secs(1)).await;
            assert_unavailable(&app, Duration::from_millis(2500)).await;

            proxy.up().await;
            let back = Instant::now();
            loop {
                let reply = call(&app, "/graphql").await;
                if reply.status == StatusCode::OK {
                    break;
                }
                assert!(
                    back.elapsed() < Duration::from_secs(5),
                    "still {} {:?} after the database returned",
                    reply.status,
                    back.elapsed()
                );
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            assert_available(&app).await;

            // A second outage, to show that nothing was left stuck.
            proxy.down().await;
            assert_unavailable(&app, Duration::from_millis(2500)).await;
            proxy.up().await;
            tokio::time::sleep(Duration::from_millis(200)).await;
            assert_available(&app).await;
            conn.close().await.ok();
            proxy.down().await;
        }
    }
    db.cleanup().await;
}

crate::backend_tests!(outage_and_recovery);
