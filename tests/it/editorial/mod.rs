//! Editorial writes over HTTP: keys and scopes, the publication lifecycle
//! with a clock the test moves, optimistic concurrency, validation that
//! leaves the database as it was, idempotent creates, revisions and audit.

mod graphql;
mod lifecycle;
mod records;
mod rules;
mod scopes;
mod translation_events;
mod translations;

use axum::http::Method;
use chrono::{DateTime, TimeZone, Utc};
use osce_api::AppState;
use osce_api::service::auth::{create_key, parse_scopes};
use osce_api::service::clock::Clock;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::support::{Backend, Reply, TestApp, TestDb};

/// The time the tests' clock starts at.
pub fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap()
}

/// A prepared database, a service over it at a manual clock, and a key per
/// name with the scopes given.
pub struct Newsroom {
    pub db: TestDb,
    pub clock: Clock,
    pub app: TestApp,
}

impl Newsroom {
    pub async fn open(backend: Backend) -> Option<Newsroom> {
        let db = TestDb::prepared(backend).await?;
        let clock = Clock::manual(start());
        let app = TestApp::new(db.state_at(clock.clone()));
        Some(Newsroom { db, clock, app })
    }

    /// Another replica over the same database, at the same clock.
    pub fn replica(&self) -> TestApp {
        TestApp::new(AppState::new(self.db.conn.clone()).with_clock(self.clock.clone()))
    }

    /// A new key with these scopes (`"write,publish"`).
    pub async fn key(&self, name: &str, scopes: &str) -> String {
        create_key(
            &self.db.conn,
            name,
            parse_scopes(scopes).unwrap(),
            None,
            start() - chrono::Duration::days(1),
        )
        .await
        .unwrap()
        .key
    }

    pub async fn cleanup(self) {
        self.db.cleanup().await;
    }

    /// How many rows `table` holds.
    pub async fn count(&self, table: &str) -> i64 {
        let row = self
            .db
            .conn
            .query_one_raw(sea_orm::Statement::from_string(
                self.db.conn.get_database_backend(),
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await
            .unwrap()
            .unwrap();
        row.try_get::<i64>("", "n").unwrap()
    }
}

/// A release's fields that the reference data accepts.
pub fn release(slug: &str, title: &str) -> Value {
    json!({
        "slug": slug,
        "title": title,
        "date": "2026-12-07",
        "place": "Vienna",
        "source": "chairpersonship",
        "fields_of_work": ["arms-control"],
        "countries": ["AT"],
        "language": "en",
        "summary": "A summary.",
        "body_html": "<p>VIENNA, 7 December 2026 – The zanzibarian envoys met.</p>",
    })
}

fn bearer(key: &str) -> String {
    format!("Bearer {key}")
}

/// An editor's REST call: `method` on `uri` with the key, `If-Match` (when
/// given) and a JSON body (when not null).
pub async fn call(
    app: &TestApp,
    method: Method,
    uri: &str,
    key: Option<&str>,
    if_match: Option<i64>,
    body: Value,
) -> Reply {
    let auth = key.map(bearer);
    let etag = if_match.map(|v| format!("\"{v}\""));
    let mut headers: Vec<(&str, &str)> = Vec::new();
    if let Some(auth) = &auth {
        headers.push(("authorization", auth));
    }
    if let Some(etag) = &etag {
        headers.push(("if-match", etag));
    }
    let body = if body.is_null() {
        String::new()
    } else {
        headers.push(("content-type", "application/json"));
        body.to_string()
    };
    app.request(method, uri, &headers, body).await
}

/// A GraphQL call with a key.
pub async fn graphql_as(app: &TestApp, key: Option<&str>, query: &str, variables: Value) -> Value {
    let auth = key.map(bearer);
    let mut headers = vec![("content-type", "application/json")];
    if let Some(auth) = &auth {
        headers.push(("authorization", auth));
    }
    let body = json!({ "query": query, "variables": variables }).to_string();
    app.request(Method::POST, "/graphql", &headers, body)
        .await
        .json()
}

/// Creates `slug` as a draft with `key`; its version.
pub async fn create(app: &TestApp, key: &str, slug: &str, title: &str) -> i64 {
    let reply = call(
        app,
        Method::POST,
        "/api/v1/press-releases",
        Some(key),
        None,
        release(slug, title),
    )
    .await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    reply.json()["version"].as_i64().unwrap()
}

/// Runs `action` (`publish`, `unpublish`) on `slug`; the new version.
pub async fn act(app: &TestApp, key: &str, slug: &str, action: &str, version: i64) -> i64 {
    let reply = call(
        app,
        Method::POST,
        &format!("/api/v1/press-releases/{slug}/{action}"),
        Some(key),
        Some(version),
        Value::Null,
    )
    .await;
    assert_eq!(reply.status, 200, "{action}: {}", reply.text());
    reply.json()["version"].as_i64().unwrap()
}
