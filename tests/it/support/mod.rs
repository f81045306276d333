//! Test support: a fresh database per test on either backend, and
//! [`TestApp`], the one way tests talk HTTP to the service.

use std::{
    io::Write,
    net::SocketAddr,
    sync::{
        Once,
        atomic::{AtomicU32, Ordering},
    },
    time::{Duration, Instant},
};

use axum::{
    body::Body,
    extract::ConnectInfo,
    http::{HeaderMap, Method, Request, StatusCode},
};
use http_body_util::BodyExt;
use osce_api::storage::{self, DbSettings};
use osce_api::{AppState, app};

mod profile;
pub use profile::{PROFILE, Profile};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde_json::{Value, json};
use tower::ServiceExt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A database of its own for one test. Dropped (PostgreSQL) or deleted
/// with its folder (SQLite) when the test ends.
pub struct TestDb {
    pub url: String,
    pub conn: DatabaseConnection,
    admin: Option<(String, String)>,
    _dir: Option<tempfile::TempDir>,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn settings(url: &str) -> DbSettings {
    DbSettings::new(url, 4)
}

impl TestDb {
    /// An empty database (no schema) on the given backend; `None` when
    /// PostgreSQL is asked for but not configured.
    pub async fn empty(backend: Backend) -> Option<TestDb> {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}/test.db?mode=rwc", dir.path().display());
                let conn = storage::connect(&settings(&url))
                    .await
                    .expect("connect to SQLite");
                Some(TestDb {
                    url,
                    conn,
                    admin: None,
                    _dir: Some(dir),
                })
            }
            Backend::Postgres => {
                let Ok(admin_url) = std::env::var("TEST_DATABASE_URL") else {
                    announce_skip();
                    return None;
                };
                let name = format!(
                    "osce_test_{}_{}_{}",
                    std::process::id(),
                    COUNTER.fetch_add(1, Ordering::SeqCst),
                    chrono::Utc::now().timestamp_micros() % 1_000_000
                );
                let admin = storage::connect(&settings(&admin_url))
                    .await
                    .expect("connect to TEST_DATABASE_URL");
                drop_stale_databases(&admin).await;
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("create the test database");
                admin.close().await.ok();
                let url = replace_database(&admin_url, &name);
                let conn = storage::connect(&settings(&url))
                    .await
                    .expect("connect to the test database");
                Some(TestDb {
                    url,
                    conn,
                    admin: Some((admin_url, name)),
                    _dir: None,
                })
            }
        }
    }

    /// A migrated database with the reference data, as after a first start.
    pub async fn prepared(backend: Backend) -> Option<TestDb> {
        let db = Self::empty(backend).await?;
        osce_api::boot::prepare(&db.conn)
            .await
            .expect("prepare the database");
        Some(db)
    }

    pub async fn cleanup(self) {
        self.conn.close().await.ok();
        if let Some((admin_url, name)) = self.admin {
            let admin = storage::connect(&settings(&admin_url))
                .await
                .expect("connect to TEST_DATABASE_URL");
            admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await
                .expect("drop the test database");
            admin.close().await.ok();
        }
    }
}

/// Databases left by test runs that died before cleaning up (their process,
/// named in the database name, is gone) are dropped once per run.
async fn drop_stale_databases(admin: &DatabaseConnection) {
    static SWEPT: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if SWEPT.swap(true, Ordering::SeqCst) {
        return;
    }
    let Ok(rows) = admin
        .query_all_raw(sea_orm::Statement::from_string(
            admin.get_database_backend(),
            "SELECT datname FROM pg_database WHERE datname LIKE 'osce_test_%'",
        ))
        .await
    else {
        return;
    };
    for row in rows {
        let Ok(name) = row.try_get::<String>("", "datname") else {
            continue;
        };
        let pid = name
            .trim_start_matches("osce_test_")
            .split('_')
            .next()
            .unwrap_or("");
        let alive = pid
            .parse::<u32>()
            .is_ok_and(|pid| std::path::Path::new(&format!("/proc/{pid}")).exists());
        if !alive {
            let _ = admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await;
        }
    }
}

fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let after_scheme = base.find("://").map(|i| i + 3).unwrap_or(0);
    let base = match base[after_scheme..].find('/') {
        Some(slash) => &base[..after_scheme + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

/// Said once per run, past the test harness's output capture, so that a
/// run without PostgreSQL says so instead of passing quietly.
fn announce_skip() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let _ = writeln!(
            std::io::stderr(),
            "\nnote: TEST_DATABASE_URL is not set: the PostgreSQL variants of the storage tests are SKIPPED \
             (they pass without running). Set TEST_DATABASE_URL=postgres://… to run them.\n"
        );
    });
}

/// Declares `sqlite` and `postgres` variants of async test functions that
/// take a [`Backend`].
#[macro_export]
macro_rules! backend_tests {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::support::Backend::Sqlite).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::support::Backend::Postgres).await;
                }
            )*
        }
    };
}

/// Exports everything to a string.
pub async fn export_string(conn: &DatabaseConnection) -> String {
    let mut out = Vec::new();
    osce_api::service::export::export(conn, &mut out)
        .await
        .expect("export");
    String::from_utf8(out).expect("export is UTF-8")
}

/// Writes `text` to a temporary file and returns it (kept alive by the caller).
pub fn temp_file(text: impl AsRef<[u8]>) -> tempfile::NamedTempFile {
    let mut file = tempfile::NamedTempFile::new().expect("temp file");
    file.write_all(text.as_ref()).expect("write temp file");
    file
}

/// Imports interchange-format text (all or nothing), failing the test if
/// it does not import.
pub async fn import_text(conn: &DatabaseConnection, text: impl AsRef<[u8]>) {
    let file = temp_file(text);
    osce_api::service::import::import(
        conn,
        osce_api::service::import::Source::File(file.path().into()),
        Default::default(),
    )
    .await
    .expect("import");
}

/// A small generated corpus (reference data included).
pub fn generated_corpus(releases: u64, seed: u64) -> String {
    use osce_api::generate::{GenerateOptions, generate};
    let mut out = Vec::new();
    let until = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
    generate(
        &GenerateOptions {
            releases,
            seed,
            until,
        },
        &mut out,
    )
    .expect("generate");
    String::from_utf8(out).unwrap()
}

/// The service over one [`AppState`], driven in-process: every request goes
/// through the real router (`osce_api::app(state.clone()).oneshot(…)`),
/// middleware and all. Cheap to clone (the state is shared).
#[derive(Clone)]
pub struct TestApp {
    pub state: AppState,
    peer: Option<SocketAddr>,
}

impl From<AppState> for TestApp {
    fn from(state: AppState) -> TestApp {
        TestApp::new(state)
    }
}

impl TestApp {
    pub fn new(state: AppState) -> TestApp {
        TestApp { state, peer: None }
    }

    /// The same service, with every request arriving from `peer`
    /// (`ConnectInfo`, as `serve` inserts it): the client address that the
    /// rate limiter sees. Without it requests have no peer address.
    pub fn with_peer(&self, peer: &str) -> TestApp {
        TestApp {
            state: self.state.clone(),
            peer: Some(peer.parse().expect("a socket address")),
        }
    }

    /// Sends a request as it is (plus the peer address, if set) and reads
    /// the whole answer.
    pub async fn send(&self, mut request: Request<Body>) -> Reply {
        if let Some(peer) = self.peer {
            request.extensions_mut().insert(ConnectInfo(peer));
        }
        let router = app(self.state.clone());
        let started = Instant::now();
        let response = router.oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            headers,
            body: body.to_vec(),
            elapsed: started.elapsed(),
        }
    }

    /// Any method, with headers (in this order) and a body.
    pub async fn request(
        &self,
        method: Method,
        uri: &str,
        headers: &[(&str, &str)],
        body: impl Into<Body>,
    ) -> Reply {
        self.send(request(method, uri, headers, body)).await
    }

    pub async fn get(&self, uri: &str) -> Reply {
        self.get_with(uri, &[]).await
    }

    pub async fn get_with(&self, uri: &str, headers: &[(&str, &str)]) -> Reply {
        self.request(Method::GET, uri, headers, Body::empty()).await
    }

    /// A GET that must not end in a 500, whatever else it is answered.
    pub async fn get_no_500(&self, uri: &str) -> Reply {
        let reply = self.get(uri).await;
        assert!(
            reply.status != StatusCode::INTERNAL_SERVER_ERROR,
            "{uri}: 500 {}",
            reply.text()
        );
        reply
    }

    /// A POST of `body` as `application/json`.
    pub async fn post_json(&self, uri: &str, body: impl Into<Body>) -> Reply {
        self.post_json_with(uri, &[], body).await
    }

    /// A POST of `body` as `application/json`, with more headers after the
    /// `Content-Type`.
    pub async fn post_json_with(
        &self,
        uri: &str,
        headers: &[(&str, &str)],
        body: impl Into<Body>,
    ) -> Reply {
        let mut all = vec![("content-type", "application/json")];
        all.extend_from_slice(headers);
        self.request(Method::POST, uri, &all, body).await
    }

    /// A GraphQL query (with its variables) POSTed to `/graphql`.
    pub async fn graphql(&self, query: &str, variables: Value) -> Reply {
        let body = json!({ "query": query, "variables": variables }).to_string();
        self.post_json("/graphql", body).await
    }

    /// A GraphQL query that must succeed (200, JSON, no `errors`): its `data`.
    pub async fn graphql_data(&self, query: &str, variables: Value) -> Value {
        let reply = self.graphql(query, variables).await;
        let body = reply.json();
        assert_eq!(reply.status, 200, "{body}");
        assert!(body.get("errors").is_none(), "unexpected errors: {body}");
        body["data"].clone()
    }
}

/// A request of `method` to `uri`, with headers (in this order) and a body.
pub fn request(
    method: Method,
    uri: &str,
    headers: &[(&str, &str)],
    body: impl Into<Body>,
) -> Request<Body> {
    let mut request = Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.body(body.into()).unwrap()
}

/// A POST of `body` as `application/json`, built to be sent later.
pub fn json_request(uri: &str, body: impl Into<Body>) -> Request<Body> {
    request(
        Method::POST,
        uri,
        &[("content-type", "application/json")],
        body,
    )
}

/// A GraphQL request body with only a `query`.
pub fn query_body(query: &str) -> String {
    json!({ "query": query }).to_string()
}

/// An answer of the service, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    /// From sending the request to the last byte of the body.
    pub elapsed: Duration,
}

impl Reply {
    pub fn status_u16(&self) -> u16 {
        self.status.as_u16()
    }

    /// The status as a number, and the body as JSON (it must be JSON).
    pub fn status_and_json(&self) -> (u16, Value) {
        (self.status_u16(), self.json())
    }

    /// The body as text; it must be UTF-8.
    pub fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("a UTF-8 body")
    }

    /// The body as text, any invalid UTF-8 replaced.
    pub fn text_lossy(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as JSON; it must be JSON.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "status {}: body is not JSON ({e}): {}",
                self.status_u16(),
                self.text_lossy()
            )
        })
    }

    /// The body as JSON, `null` when it is empty (a 304, a preflight).
    pub fn json_or_null(&self) -> Value {
        if self.body.is_empty() {
            Value::Null
        } else {
            self.json()
        }
    }

    /// A header that must be there (and be visible ASCII).
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap())
            .unwrap_or_else(|| panic!("no {name} header"))
    }

    /// A header, if there (and visible ASCII).
    pub fn header_opt(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// The `code` of a GraphQL answer's first error, if any.
pub fn error_code(body: &Value) -> Option<&str> {
    body["errors"][0]["extensions"]["code"].as_str()
}

/// An HTTP client for tests that talk to a real socket. The service's
/// rustls has no built-in crypto provider (it uses ring, installed once
/// per process), so clients are made here rather than with `Client::new()`.
pub fn http_client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}
