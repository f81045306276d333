//! `/metrics`: the exposition parsed strictly, the counters counted.

use std::collections::BTreeMap;

use osce_api::AppState;

use crate::support::{Backend, TestApp, TestDb};

/// One sample of the text exposition format.
#[derive(Debug)]
struct Sample {
    name: String,
    labels: BTreeMap<String, String>,
    value: f64,
}

/// Parses the Prometheus text format strictly enough to catch a malformed
/// line: comments are HELP or TYPE, samples are `name{k="v",…} value`.
fn parse_exposition(text: &str) -> Vec<Sample> {
    let valid_name = |name: &str| {
        !name.is_empty()
            && name.chars().enumerate().all(|(i, c)| {
                c == '_' || c == ':' || c.is_ascii_alphabetic() || (i > 0 && c.is_ascii_digit())
            })
    };
    let mut samples = Vec::new();
    let mut typed = BTreeMap::new();
    for line in text.lines() {
        if let Some(comment) = line.strip_prefix("# ") {
            let mut words = comment.splitn(3, ' ');
            let kind = words.next().unwrap();
            let name = words.next().expect("a metric name");
            assert!(valid_name(name), "{line}");
            match kind {
                "HELP" => {}
                "TYPE" => {
                    let ty = words.next().expect("a type");
                    assert!(
                        ["counter", "gauge", "histogram", "summary", "untyped"].contains(&ty),
                        "{line}"
                    );
                    typed.insert(name.to_string(), ty.to_string());
                }
                _ => panic!("unknown comment: {line}"),
            }
            continue;
        }
        assert!(!line.trim().is_empty(), "blank line in the exposition");
        let (series, value) = line.rsplit_once(' ').unwrap_or_else(|| panic!("{line}"));
        let value: f64 = match value {
            "+Inf" => f64::INFINITY,
            "-Inf" => f64::NEG_INFINITY,
            v => v.parse().unwrap_or_else(|_| panic!("bad value: {line}")),
        };
        let (name, labels) = match series.split_once('{') {
            None => (series, BTreeMap::new()),
            Some((name, rest)) => {
                let rest = rest.strip_suffix('}').unwrap_or_else(|| panic!("{line}"));
                let mut labels = BTreeMap::new();
                for pair in rest.split("\",").filter(|p| !p.is_empty()) {
                    let (key, value) = pair.split_once("=\"").unwrap_or_else(|| panic!("{line}"));
                    assert!(valid_name(key), "{line}");
                    labels.insert(key.to_string(), value.trim_end_matches('"').to_string());
                }
                (name, labels)
            }
        };
        assert!(valid_name(name), "{line}");
        let family = ["_bucket", "_sum", "_count"]
            .iter()
            .find_map(|suffix| name.strip_suffix(suffix).filter(|f| typed.contains_key(*f)))
            .unwrap_or(name);
        assert!(typed.contains_key(family), "sample before its TYPE: {line}");
        samples.push(Sample {
            name: name.to_string(),
            labels,
            value,
        });
    }
    samples
}

fn value(samples: &[Sample], name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    samples
        .iter()
        .find(|s| {
            s.name == name
                && labels
                    .iter()
                    .all(|(k, v)| s.labels.get(*k).map(String::as_str) == Some(*v))
        })
        .map(|s| s.value)
}

async fn scrape(app: &TestApp) -> Vec<Sample> {
    let answer = app.get("/metrics").await;
    assert_eq!(answer.status, 200, "{}", answer.text_lossy());
    parse_exposition(&answer.text_lossy())
}

pub(super) async fn metrics(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let app = TestApp::new(AppState::new(db.conn.clone()));
    let before = scrape(&app).await;
    assert_eq!(
        value(
            &before,
            "osce_http_requests_total",
            &[("route", "/api/v1/countries")]
        ),
        None
    );
    assert!(value(&before, "osce_db_pool_connections", &[]).unwrap() >= 1.0);
    assert!(value(&before, "osce_db_pool_idle_connections", &[]).is_some());
    assert_eq!(
        value(&before, "osce_db_pool_max_connections", &[]),
        Some(4.0)
    );

    assert_eq!(app.get("/api/v1/countries").await.status, 200);
    assert_eq!(app.get("/api/v1/countries").await.status, 200);
    assert_eq!(app.get("/api/v1/countries/XX").await.status, 404);
    assert_eq!(app.get("/no/such/path").await.status, 404);
    let named = app
        .post_json(
            "/graphql",
            r#"{"query":"query NewsroomList { pressReleases(first: 2) { totalCount } }"}"#,
        )
        .await;
    assert_eq!(named.status, 200, "{}", named.text_lossy());
    let anonymous = app
        .post_json("/graphql", r#"{"query":"{ countries { code } }"}"#)
        .await;
    assert_eq!(anonymous.status, 200);
    let refused = app.post_json("/graphql", r#"{"query":"{ nope }"}"#).await;
    assert_eq!(refused.status, 400);
    // The feed cache: a miss, then a hit; the search cache: likewise.
    for _ in 0..2 {
        assert_eq!(app.get("/feeds/press-releases.rss").await.status, 200);
        let search = app
            .post_json(
                "/graphql",
                r#"{"query":"{ pressReleases(search: \"minsk\", first: 1) { totalCount } }"}"#,
            )
            .await;
        assert_eq!(search.status, 200, "{}", search.text_lossy());
    }

    let after = scrape(&app).await;
    let count = |labels: &[(&str, &str)]| value(&after, "osce_http_requests_total", labels);
    assert_eq!(
        count(&[("route", "/api/v1/countries"), ("status", "200")]),
        Some(2.0)
    );
    assert_eq!(
        count(&[("route", "/api/v1/countries/{code}"), ("status", "404")]),
        Some(1.0)
    );
    assert_eq!(
        count(&[("route", "/graphql"), ("status", "200")]),
        Some(4.0)
    );
    assert_eq!(
        count(&[("route", "/graphql"), ("status", "400")]),
        Some(1.0)
    );
    assert_eq!(
        count(&[("route", "unmatched"), ("status", "404")]),
        Some(1.0)
    );
    assert_eq!(
        value(
            &after,
            "osce_http_request_duration_seconds_count",
            &[("route", "/api/v1/countries")]
        ),
        Some(2.0)
    );
    assert_eq!(
        value(
            &after,
            "osce_http_request_duration_seconds_bucket",
            &[("route", "/api/v1/countries"), ("le", "+Inf")]
        ),
        Some(2.0)
    );
    assert_eq!(
        value(
            &after,
            "osce_graphql_operation_duration_seconds_count",
            &[("operation", "NewsroomList")]
        ),
        Some(1.0)
    );
    // The two searches, the list of countries and the refused `{ nope }`.
    assert_eq!(
        value(
            &after,
            "osce_graphql_operation_duration_seconds_count",
            &[("operation", "anonymous")]
        ),
        Some(4.0)
    );
    assert_eq!(
        value(&after, "osce_api_errors_total", &[("code", "not_found")]),
        Some(1.0)
    );
    assert_eq!(
        value(
            &after,
            "osce_api_errors_total",
            &[("code", "GRAPHQL_VALIDATION_FAILED")]
        ),
        Some(1.0)
    );
    assert_eq!(
        value(&after, "osce_feed_cache_misses_total", &[]),
        Some(1.0)
    );
    assert_eq!(value(&after, "osce_feed_cache_hits_total", &[]), Some(1.0));
    assert_eq!(
        value(&after, "osce_search_cache_misses_total", &[]),
        Some(1.0)
    );
    assert_eq!(
        value(&after, "osce_search_cache_hits_total", &[]),
        Some(1.0)
    );
    db.cleanup().await;
}
