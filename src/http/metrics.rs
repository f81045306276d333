//! Prometheus metrics, served as text at `GET /metrics`: requests by route
//! and status, latency per route and per GraphQL operation, errors by code,
//! and, read when scraped, the database pool and the in-process caches.
//!
//! Per request this costs a few label lookups (hash + read lock) and atomic
//! increments. Labels come from fixed sets (route templates, status codes,
//! error codes); GraphQL operation names, which clients choose, are capped
//! (`MAX_OPERATION_NAMES`), so a client cannot grow the registry.

use std::collections::HashSet;
use std::sync::RwLock;
use std::time::Duration;

use axum::{
    extract::{MatchedPath, Request, State},
    http::{HeaderValue, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use prometheus::{
    HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, Opts, Registry, TextEncoder,
};
use sea_orm::{DatabaseConnection, DbBackend};

use crate::http::AppState;

/// Distinct GraphQL operation names given their own series; later ones
/// are counted as `other`.
pub const MAX_OPERATION_NAMES: usize = 200;

/// Seconds; from a cached feed (well under a millisecond) to the request
/// timeout.
const LATENCY_BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// The stable error code of a response (REST, feeds, GraphQL refusals),
/// left in its extensions for the request middleware to count.
#[derive(Clone, Copy, Debug)]
pub struct ErrorCode(pub &'static str);

pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    operations: HistogramVec,
    errors: IntCounterVec,
    operation_names: RwLock<HashSet<String>>,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    #[allow(
        clippy::expect_used,
        reason = "fixed, valid metric names and labels, each registered once in a fresh registry"
    )]
    pub fn new() -> Self {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new(
                "osce_http_requests_total",
                "HTTP requests answered, by route template and status.",
            ),
            &["route", "status"],
        )
        .expect("valid metric");
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "osce_http_request_duration_seconds",
                "Time to the response's head, by route template (a streamed export's body is not included).",
            )
            .buckets(LATENCY_BUCKETS.to_vec()),
            &["route"],
        )
        .expect("valid metric");
        let operations = HistogramVec::new(
            HistogramOpts::new(
                "osce_graphql_operation_duration_seconds",
                "Time to execute a GraphQL operation, by operation name (`anonymous`, or `other` past the cap).",
            )
            .buckets(LATENCY_BUCKETS.to_vec()),
            &["operation"],
        )
        .expect("valid metric");
        let errors = IntCounterVec::new(
            Opts::new(
                "osce_api_errors_total",
                "Errors returned, by stable code (REST and feeds: `error.code`; GraphQL: `extensions.code`).",
            ),
            &["code"],
        )
        .expect("valid metric");
        for metric in [&requests, &errors] {
            registry
                .register(Box::new(metric.clone()))
                .expect("metric registered once");
        }
        for metric in [&latency, &operations] {
            registry
                .register(Box::new(metric.clone()))
                .expect("metric registered once");
        }
        Self {
            registry,
            requests,
            latency,
            operations,
            errors,
            operation_names: RwLock::new(HashSet::new()),
        }
    }

    pub fn request(&self, route: &str, status: StatusCode, elapsed: Duration) {
        self.requests
            .with_label_values(&[route, status.as_str()])
            .inc();
        self.latency
            .with_label_values(&[route])
            .observe(elapsed.as_secs_f64());
    }

    pub fn error(&self, code: &str) {
        self.errors.with_label_values(&[code]).inc();
    }

    pub fn operation(&self, name: Option<&str>, elapsed: Duration) {
        self.operations
            .with_label_values(&[self.operation_label(name)])
            .observe(elapsed.as_secs_f64());
    }

    fn operation_label<'a>(&self, name: Option<&'a str>) -> &'a str {
        let Some(name) = name else {
            return "anonymous";
        };
        // A poisoned lock only means a panic elsewhere; the set is still fine.
        let known = self
            .operation_names
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if known.contains(name) {
            return name;
        }
        let full = known.len() >= MAX_OPERATION_NAMES;
        drop(known);
        if full {
            return "other";
        }
        let mut known = self
            .operation_names
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if known.len() >= MAX_OPERATION_NAMES && !known.contains(name) {
            return "other";
        }
        known.insert(name.to_string());
        name
    }

    /// The text exposition: the request metrics, then the pool and caches
    /// as they are now.
    pub fn render(&self, state: &AppState) -> Result<String, prometheus::Error> {
        let mut families = self.registry.gather();
        families.extend(snapshot(state)?.gather());
        let mut text = String::new();
        TextEncoder::new().encode_utf8(&families, &mut text)?;
        Ok(text)
    }
}

/// Gauges and counters read from the pool and the caches at scrape time.
fn snapshot(state: &AppState) -> Result<Registry, prometheus::Error> {
    let registry = Registry::new();
    let gauge = |name: &str, help: &str, value: i64| -> Result<(), prometheus::Error> {
        let gauge = IntGauge::new(name, help)?;
        gauge.set(value);
        registry.register(Box::new(gauge))
    };
    let counter = |name: &str, help: &str, value: u64| -> Result<(), prometheus::Error> {
        let counter = IntCounter::new(name, help)?;
        counter.inc_by(value);
        registry.register(Box::new(counter))
    };
    if let Some(pool) = pool_stats(&state.db) {
        gauge(
            "osce_db_pool_connections",
            "Open database connections (in use and idle).",
            pool.size.into(),
        )?;
        gauge(
            "osce_db_pool_idle_connections",
            "Idle database connections.",
            pool.idle as i64,
        )?;
        gauge(
            "osce_db_pool_max_connections",
            "The pool's size limit (`max_connections`).",
            pool.max.into(),
        )?;
    }
    let feeds = state.feed_cache.stats();
    counter(
        "osce_feed_cache_hits_total",
        "Feeds and embed pages served from the in-process cache.",
        feeds.hits,
    )?;
    counter(
        "osce_feed_cache_misses_total",
        "Feeds and embed pages rendered (not in the cache).",
        feeds.misses,
    )?;
    gauge(
        "osce_feed_cache_entries",
        "Rendered feeds held in the cache.",
        feeds.entries as i64,
    )?;
    let answers = state.graphql_cache.stats();
    counter(
        "osce_graphql_cache_hits_total",
        "GraphQL operations answered from the in-process response cache.",
        answers.hits,
    )?;
    counter(
        "osce_graphql_cache_misses_total",
        "GraphQL operations looked up in the response cache and run.",
        answers.misses,
    )?;
    gauge(
        "osce_graphql_cache_bytes",
        "Bytes of GraphQL answers held in the response cache.",
        answers.bytes as i64,
    )?;
    let searches = state.release_index.search_cache_stats();
    counter(
        "osce_search_cache_hits_total",
        "Release searches answered from the cache of recent matches.",
        searches.hits,
    )?;
    counter(
        "osce_search_cache_misses_total",
        "Release searches that ran the full-text query.",
        searches.misses,
    )?;
    Ok(registry)
}

struct PoolStats {
    size: u32,
    idle: usize,
    max: u32,
}

fn pool_stats(db: &DatabaseConnection) -> Option<PoolStats> {
    // `storage::connect` only makes sqlx pools, so the backend says which.
    match db.get_database_backend() {
        DbBackend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            Some(PoolStats {
                size: pool.size(),
                idle: pool.num_idle(),
                max: pool.options().get_max_connections(),
            })
        }
        DbBackend::Sqlite => {
            let pool = db.get_sqlite_connection_pool();
            Some(PoolStats {
                size: pool.size(),
                idle: pool.num_idle(),
                max: pool.options().get_max_connections(),
            })
        }
        _ => None,
    }
}

/// Counts and times every request, under its route template (`unmatched`
/// for paths no route takes), and counts the error code it carries.
pub async fn track(
    State(metrics): State<std::sync::Arc<Metrics>>,
    matched: Option<MatchedPath>,
    request: Request,
    next: Next,
) -> Response {
    let started = std::time::Instant::now();
    let response = next.run(request).await;
    let route = matched.as_ref().map_or("unmatched", |m| m.as_str());
    metrics.request(route, response.status(), started.elapsed());
    if let Some(ErrorCode(code)) = response.extensions().get::<ErrorCode>() {
        metrics.error(code);
    }
    response
}

/// `GET /metrics`.
pub async fn serve(State(state): State<AppState>) -> Response {
    match state.metrics.render(&state) {
        Ok(text) => {
            let mut response = text.into_response();
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
            );
            response
        }
        Err(error) => {
            tracing::error!(%error, "cannot render the metrics");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_names_are_capped() {
        let metrics = Metrics::new();
        assert_eq!(metrics.operation_label(None), "anonymous");
        for i in 0..MAX_OPERATION_NAMES {
            let name = format!("Op{i}");
            assert_eq!(metrics.operation_label(Some(&name)), name);
        }
        assert_eq!(metrics.operation_label(Some("Op0")), "Op0");
        assert_eq!(metrics.operation_label(Some("Late")), "other");
    }
}
