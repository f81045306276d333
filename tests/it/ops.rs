//! Operability: request IDs, `/metrics`, and the real binary's JSON logs
//! and shutdown on SIGTERM.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use axum::{
    body::Body,
    http::{Request, header},
};
use http_body_util::BodyExt;
use osce_api::http::ratelimit::RateLimitSettings;
use osce_api::{AppState, app};
use tower::ServiceExt;

use crate::support::{Backend, TestDb};

struct Answer {
    status: u16,
    request_id: Option<String>,
    body: String,
}

async fn send(state: &AppState, request: Request<Body>) -> Answer {
    let response = app(state.clone()).oneshot(request).await.unwrap();
    let status = response.status().as_u16();
    let request_id = response
        .headers()
        .get("x-request-id")
        .map(|v| v.to_str().unwrap().to_string());
    let body = response.into_body().collect().await.unwrap().to_bytes();
    Answer {
        status,
        request_id,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

async fn get(state: &AppState, uri: &str) -> Answer {
    send(state, Request::get(uri).body(Body::empty()).unwrap()).await
}

async fn graphql(state: &AppState, body: &str) -> Answer {
    send(
        state,
        Request::post("/graphql")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap(),
    )
    .await
}

fn is_uuid(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    parts.iter().map(|p| p.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && parts
            .iter()
            .all(|p| p.chars().all(|c| c.is_ascii_hexdigit()))
}

async fn request_ids(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let state = AppState::new(db.conn.clone());
    // Made when the client sent none, on every kind of response.
    let mut seen = Vec::new();
    for uri in [
        "/healthz",
        "/api/v1/countries",
        "/api/v1/nope",
        "/feeds/x.rss",
        "/nowhere",
    ] {
        let answer = get(&state, uri).await;
        let id = answer
            .request_id
            .unwrap_or_else(|| panic!("{uri}: no X-Request-Id"));
        assert!(is_uuid(&id), "{uri}: {id}");
        seen.push(id);
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 5, "each request gets its own ID");

    // The client's, when it sent one fit for logs.
    let answer = send(
        &state,
        Request::get("/api/v1/countries")
            .header("x-request-id", "lb-7f3a.42")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(
        (answer.status, answer.request_id.as_deref()),
        (200, Some("lb-7f3a.42"))
    );
    // A fresh one instead of one too long or with spaces.
    for unfit in ["x".repeat(300), "two words".to_string()] {
        let answer = send(
            &state,
            Request::get("/healthz")
                .header("x-request-id", unfit.as_str())
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert!(is_uuid(answer.request_id.as_deref().unwrap()), "{unfit}");
    }
    db.cleanup().await;
}

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

async fn scrape(state: &AppState) -> Vec<Sample> {
    let answer = get(state, "/metrics").await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    parse_exposition(&answer.body)
}

async fn metrics(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let state = AppState::new(db.conn.clone());
    let before = scrape(&state).await;
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

    assert_eq!(get(&state, "/api/v1/countries").await.status, 200);
    assert_eq!(get(&state, "/api/v1/countries").await.status, 200);
    assert_eq!(get(&state, "/api/v1/countries/XX").await.status, 404);
    assert_eq!(get(&state, "/no/such/path").await.status, 404);
    let named = graphql(
        &state,
        r#"{"query":"query NewsroomList { pressReleases(first: 2) { totalCount } }"}"#,
    )
    .await;
    assert_eq!(named.status, 200, "{}", named.body);
    let anonymous = graphql(&state, r#"{"query":"{ countries { code } }"}"#).await;
    assert_eq!(anonymous.status, 200);
    let refused = graphql(&state, r#"{"query":"{ nope }"}"#).await;
    assert_eq!(refused.status, 400);
    // The feed cache: a miss, then a hit; the search cache: likewise.
    for _ in 0..2 {
        assert_eq!(get(&state, "/feeds/press-releases.rss").await.status, 200);
        let search = graphql(
            &state,
            r#"{"query":"{ pressReleases(search: \"minsk\", first: 1) { totalCount } }"}"#,
        )
        .await;
        assert_eq!(search.status, 200, "{}", search.body);
    }

    let after = scrape(&state).await;
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

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The real binary: JSON logs carry each request's ID, method, path,
/// status and latency; SIGTERM stops it cleanly, waiting for a request in
/// flight no longer than the grace period.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_logs_and_sigterm() {
    let Some(db) = TestDb::prepared(Backend::Sqlite).await else {
        return;
    };
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_osce-api"))
        .args([
            "--log-format",
            "json",
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
        ])
        .env("DATABASE_URL", &db.url)
        .env("RUST_LOG", "info")
        .env("OSCE_SHUTDOWN_GRACE_SECS", "2")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run osce-api serve");
    let stderr = child.stderr.take().unwrap();
    let lines = std::thread::spawn(move || {
        BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
            .collect::<Vec<String>>()
    });

    let client = reqwest::Client::new();
    let base = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    loop {
        if let Ok(response) = client.get(format!("{base}/readyz")).send().await
            && response.status() == 200
        {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the service did not start"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let response = client
        .get(format!("{base}/api/v1/countries?limit=1"))
        .header("x-request-id", "trace-me-1234")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-request-id"], "trace-me-1234");

    // A request still in flight (its head half sent) holds the shutdown
    // until the grace period (2 s here) is over, not longer.
    let mut in_flight = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    std::io::Write::write_all(&mut in_flight, b"GET /healthz HTTP/1.1\r\nHost: x\r\n").unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let signalled = Instant::now();
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            signalled.elapsed() < Duration::from_secs(10),
            "no exit after SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let took = signalled.elapsed();
    assert!(status.success(), "{status:?}");
    assert!(
        took >= Duration::from_millis(1900) && took < Duration::from_secs(6),
        "stopped {took:?} after SIGTERM, with a 2 s grace period"
    );
    drop(in_flight);
    let lines = lines.join().unwrap();
    let logged: Vec<serde_json::Value> = lines
        .iter()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    let answered = logged
        .iter()
        .find(|l| {
            l["span"]["request_id"] == "trace-me-1234" && l["fields"]["message"] == "answered"
        })
        .unwrap_or_else(|| panic!("no log line of the request: {lines:#?}"));
    assert_eq!(answered["span"]["method"], "GET");
    assert_eq!(answered["span"]["path"], "/api/v1/countries");
    assert_eq!(answered["fields"]["status"], 200);
    assert!(answered["fields"]["latency_ms"].as_f64().unwrap() >= 0.0);
    for said in [
        "requests still in flight after the grace period: abandoned",
        "stopped",
    ] {
        assert!(
            logged.iter().any(|l| l["fields"]["message"] == said),
            "{said}: {lines:#?}"
        );
    }
    db.cleanup().await;
}

fn from_peer(uri: &str, peer: &str, forwarded_for: Option<&str>) -> Request<Body> {
    let mut request = Request::get(uri);
    if let Some(value) = forwarded_for {
        request = request.header("x-forwarded-for", value);
    }
    let mut request = request.body(Body::empty()).unwrap();
    request.extensions_mut().insert(axum::extract::ConnectInfo(
        peer.parse::<std::net::SocketAddr>().unwrap(),
    ));
    request
}

async fn rate_limits(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let query = r#"{"query":"{ pressReleases(first: 10) { nodes { slug source { name } } } }"}"#;
    let unlimited = AppState::new(db.conn.clone());
    let measured = graphql(&unlimited, query).await;
    let cost = serde_json::from_str::<serde_json::Value>(&measured.body).unwrap()["extensions"]["cost"]
        ["requested"]
        .as_u64()
        .expect("the requested cost");
    assert!(cost > 0);

    let state = AppState::new(db.conn.clone()).with_rate_limits(RateLimitSettings {
        requests_per_minute: 3,
        cost_per_minute: 2 * cost + 1,
        trusted_proxies: vec!["10.0.0.0/8".parse().unwrap()],
        api_keys: Vec::new(),
    });
    // Requests: three a minute for one client, with where it stands.
    for remaining in ["2", "1", "0"] {
        let response = app(state.clone())
            .oneshot(from_peer("/api/v1/countries", "192.0.2.1:1000", None))
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["ratelimit-limit"], "3");
        assert_eq!(response.headers()["ratelimit-remaining"], remaining);
    }
    let refused = app(state.clone())
        .oneshot(from_peer("/api/v1/countries", "192.0.2.1:1001", None))
        .await
        .unwrap();
    assert_eq!(refused.status(), 429);
    let retry: u64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=20).contains(&retry), "{retry}");
    assert_eq!(refused.headers()["ratelimit-remaining"], "0");
    let body = refused.into_body().collect().await.unwrap().to_bytes();
    let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(body["error"]["code"], "rate_limited");
    // Another client is not held back, nor is health.
    let other = app(state.clone())
        .oneshot(from_peer("/api/v1/countries", "192.0.2.2:1000", None))
        .await
        .unwrap();
    assert_eq!(other.status(), 200);
    let health = app(state.clone())
        .oneshot(from_peer("/healthz", "192.0.2.1:1000", None))
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    // Behind a trusted proxy, clients are told apart by X-Forwarded-For;
    // from anyone else the header is ignored.
    for client in ["198.51.100.1", "198.51.100.2"] {
        let response = app(state.clone())
            .oneshot(from_peer(
                "/feeds/press-releases.rss",
                "10.1.2.3:5000",
                Some(client),
            ))
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["ratelimit-remaining"], "2", "{client}");
    }
    let spoofed = app(state.clone())
        .oneshot(from_peer(
            "/feeds/press-releases.rss",
            "192.0.2.1:1000",
            Some("198.51.100.9"),
        ))
        .await
        .unwrap();
    assert_eq!(spoofed.status(), 429);

    // GraphQL cost: two such queries a minute, the third is refused.
    let post = |peer: &str| {
        let mut request = Request::post("/graphql")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(query))
            .unwrap();
        request.extensions_mut().insert(axum::extract::ConnectInfo(
            peer.parse::<std::net::SocketAddr>().unwrap(),
        ));
        request
    };
    for _ in 0..2 {
        let response = app(state.clone())
            .oneshot(post("192.0.2.50:1"))
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.headers()["ratelimit-limit"].to_str().unwrap(),
            (2 * cost + 1).to_string(),
            "GraphQL responses report the cost budget"
        );
    }
    let refused = app(state.clone())
        .oneshot(post("192.0.2.50:1"))
        .await
        .unwrap();
    assert_eq!(refused.status(), 429);
    assert!(refused.headers().contains_key("retry-after"));
    let body = refused.into_body().collect().await.unwrap().to_bytes();
    let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "RATE_LIMITED",
        "{body}"
    );
    db.cleanup().await;
}

crate::backend_tests!(request_ids, metrics, rate_limits);
