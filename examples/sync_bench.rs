//! The benchmarks of the changes feed and webhooks (`bench/sync.sh`).
//!
//! `feed`: reads the whole changes feed from no cursor to the head at
//! `--limit` items a page, as a new mirror does; prints changes per second.
//!
//! `webhooks`: a local receiver registered for `press_release.updated`
//! (the service needs `OSCE_WEBHOOK_ALLOW_LOOPBACK=true`), then `--rate`
//! corrections a second (PATCH with If-Match) of releases it published
//! first; for each, the time from the write to the webhook's arrival:
//! from the write's answer (the writer knows it committed) and from its
//! request (an upper bound). Prints p50 and p99 and what never arrived.
//!
//! cargo run --release --example sync_bench -- feed --base http://127.0.0.1:8080
//! OSCE_API_KEY=… OSCE_ADMIN_KEY=… cargo run --release --example sync_bench -- \
//!     webhooks --base http://127.0.0.1:8080 --rate 10 --seconds 60

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

struct Args {
    mode: String,
    base: String,
    limit: u32,
    rate: u32,
    seconds: u64,
    releases: usize,
}

fn args() -> anyhow::Result<Args> {
    let mut given = std::env::args().skip(1);
    let mode = given
        .next()
        .ok_or_else(|| anyhow::anyhow!("usage: sync_bench feed|webhooks [options]"))?;
    let mut parsed = Args {
        mode,
        base: "http://127.0.0.1:8080".into(),
        limit: 1000,
        rate: 10,
        seconds: 60,
        releases: 50,
    };
    while let Some(flag) = given.next() {
        let value = given
            .next()
            .ok_or_else(|| anyhow::anyhow!("{flag} needs a value"))?;
        match flag.as_str() {
            "--base" => parsed.base = value,
            "--limit" => parsed.limit = value.parse()?,
            "--rate" => parsed.rate = value.parse()?,
            "--seconds" => parsed.seconds = value.parse()?,
            "--releases" => parsed.releases = value.parse()?,
            other => anyhow::bail!("unknown option {other}"),
        }
    }
    Ok(parsed)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

async fn feed(client: &reqwest::Client, args: &Args) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut cursor: Option<String> = None;
    let (mut items, mut pages) = (0u64, 0u64);
    loop {
        let mut url = format!("{}/api/v1/changes?limit={}", args.base, args.limit);
        if let Some(c) = &cursor {
            url.push_str(&format!("&after={c}"));
        }
        let page: Value = client
            .get(&url)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        items += page["items"].as_array().map_or(0, Vec::len) as u64;
        pages += 1;
        cursor = page["next"].as_str().map(String::from);
        if page["has_more"] != true {
            break;
        }
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "feed: {items} changes in {pages} pages of {} in {secs:.1} s: {:.0} changes/s, {:.1} ms a page",
        args.limit,
        items as f64 / secs,
        secs * 1000.0 / pages as f64
    );
    Ok(())
}

/// When each (slug, version) arrived at the receiver.
type Arrivals = Arc<Mutex<HashMap<(String, i64), Instant>>>;

async fn receiver(arrivals: Arrivals) -> anyhow::Result<std::net::SocketAddr> {
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |body: String| {
            let arrivals = arrivals.clone();
            async move {
                let at = Instant::now();
                if let Ok(body) = serde_json::from_str::<Value>(&body)
                    && let (Some(key), Some(version)) = (
                        body["data"]["key"].as_str(),
                        body["data"]["version"].as_i64(),
                    )
                    && let Ok(mut map) = arrivals.lock()
                {
                    map.entry((key.to_string(), version)).or_insert(at);
                }
                axum::http::StatusCode::NO_CONTENT
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok(address)
}

async fn webhooks(client: &reqwest::Client, args: &Args) -> anyhow::Result<()> {
    let editor = std::env::var("OSCE_API_KEY")?;
    let admin = std::env::var("OSCE_ADMIN_KEY")?;
    let arrivals: Arrivals = Arc::default();
    let address = receiver(arrivals.clone()).await?;
    let hook: Value = client
        .post(format!("{}/api/v1/webhooks", args.base))
        .bearer_auth(&admin)
        .json(&json!({ "url": format!("http://{address}/hook"), "event_types": ["press_release.updated"] }))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    // Releases to correct, published first.
    let run = std::process::id();
    let mut versions = Vec::new();
    for i in 0..args.releases {
        let slug = format!("webhook-latency-{run}-{i}");
        let created: Value = client
            .post(format!("{}/api/v1/press-releases", args.base))
            .bearer_auth(&editor)
            .json(&json!({
                "slug": slug, "title": format!("Latency {i}"), "date": "2026-12-07",
                "place": "Vienna", "source": "chairpersonship",
                "fields_of_work": ["arms-control"], "countries": ["AT"], "language": "en",
                "summary": "A release corrected for the webhook benchmark.",
                "body_html": "<p>A release corrected for the webhook benchmark.</p>",
            }))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        let version = created["version"].as_i64().unwrap_or(1);
        let published: Value = client
            .post(format!(
                "{}/api/v1/press-releases/{slug}/publish",
                args.base
            ))
            .bearer_auth(&editor)
            .header("if-match", format!("\"{version}\""))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        versions.push((slug, published["version"].as_i64().unwrap_or(version + 1)));
    }
    let mut writes: Vec<(String, i64, Instant, Instant)> = Vec::new();
    let mut errors = 0;
    let mut tick =
        tokio::time::interval(Duration::from_secs_f64(1.0 / f64::from(args.rate.max(1))));
    let end = Instant::now() + Duration::from_secs(args.seconds);
    let mut n = 0usize;
    while Instant::now() < end {
        tick.tick().await;
        let slot = n % versions.len();
        let (slug, version) = versions[slot].clone();
        n += 1;
        let sent = Instant::now();
        let reply = client
            .patch(format!("{}/api/v1/press-releases/{slug}", args.base))
            .bearer_auth(&editor)
            .header("if-match", format!("\"{version}\""))
            .json(&json!({ "title": format!("Corrected {n}") }))
            .send()
            .await;
        let answered = Instant::now();
        match reply {
            Ok(reply) if reply.status().is_success() => {
                let body: Value = reply.json().await.unwrap_or_default();
                let new = body["version"].as_i64().unwrap_or(version + 1);
                versions[slot].1 = new;
                writes.push((slug, new, sent, answered));
            }
            _ => errors += 1,
        }
    }
    tokio::time::sleep(Duration::from_secs(5)).await;
    let arrived = arrivals.lock().map(|m| m.clone()).unwrap_or_default();
    let (mut from_answer, mut from_request, mut missing) = (Vec::new(), Vec::new(), 0);
    for (slug, version, sent, answered) in &writes {
        match arrived.get(&(slug.clone(), *version)) {
            Some(at) => {
                from_answer.push(at.saturating_duration_since(*answered).as_secs_f64() * 1000.0);
                from_request.push(at.saturating_duration_since(*sent).as_secs_f64() * 1000.0);
            }
            None => missing += 1,
        }
    }
    for list in [&mut from_answer, &mut from_request] {
        list.sort_by(f64::total_cmp);
    }
    println!(
        "webhooks: {} writes at {}/s, {} errors, {} never arrived",
        writes.len(),
        args.rate,
        errors,
        missing
    );
    println!(
        "  commit (write answered) -> webhook received: p50 {:.1} ms, p99 {:.1} ms",
        percentile(&from_answer, 0.5),
        percentile(&from_answer, 0.99)
    );
    println!(
        "  write sent -> webhook received:              p50 {:.1} ms, p99 {:.1} ms",
        percentile(&from_request, 0.5),
        percentile(&from_request, 0.99)
    );
    if let Some(id) = hook["id"].as_i64() {
        let _ = client
            .delete(format!("{}/api/v1/webhooks/{id}", args.base))
            .bearer_auth(&admin)
            .send()
            .await;
    }
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = args()?;
    // The crate's rustls has no built-in crypto provider: ring, installed here.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::new();
    match args.mode.as_str() {
        "feed" => feed(&client, &args).await,
        "webhooks" => webhooks(&client, &args).await,
        other => anyhow::bail!("unknown mode {other} (feed or webhooks)"),
    }
}
