//! Operability: request IDs, `/metrics`, rate limits, and the real
//! binary's JSON logs and shutdown on SIGTERM.

mod metrics;
mod rate_limits;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use osce_api::AppState;

use crate::support::{Backend, TestApp, TestDb};

use metrics::metrics;
use rate_limits::rate_limits;

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
    let app = TestApp::new(AppState::new(db.conn.clone()));
    // Made when the client sent none, on every kind of response.
    let mut seen = Vec::new();
    for uri in [
        "/healthz",
        "/api/v1/countries",
        "/api/v1/nope",
        "/feeds/x.rss",
        "/nowhere",
    ] {
        let answer = app.get(uri).await;
        let id = answer
            .header_opt("x-request-id")
            .unwrap_or_else(|| panic!("{uri}: no X-Request-Id"))
            .to_string();
        assert!(is_uuid(&id), "{uri}: {id}");
        seen.push(id);
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 5, "each request gets its own ID");

    // The client's, when it sent one fit for logs.
    let answer = app
        .get_with("/api/v1/countries", &[("x-request-id", "lb-7f3a.42")])
        .await;
    assert_eq!(
        (answer.status_u16(), answer.header_opt("x-request-id")),
        (200, Some("lb-7f3a.42"))
    );
    // A fresh one instead of one too long or with spaces.
    for unfit in ["x".repeat(300), "two words".to_string()] {
        let answer = app
            .get_with("/healthz", &[("x-request-id", unfit.as_str())])
            .await;
        assert!(
            is_uuid(answer.header_opt("x-request-id").unwrap()),
            "{unfit}"
        );
    }
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

    let client = crate::support::http_client();
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

crate::backend_tests!(request_ids, metrics, rate_limits);
