//! A steady stream of editors' writes over HTTP for the benchmark of reads
//! under editorial writes (`bench/editorial.sh`): `--rate` writes per
//! second, in turn a new draft (POST), the publication of an earlier draft
//! (POST …/publish with If-Match) and a correction of a published release
//! (PATCH with If-Match), each through the real API with an editor's key.
//! Prints the latency of each kind of write (p50, p99) and every error.
//!
//! OSCE_API_KEY=osce_… cargo run --release --example editorial_load -- \
//!     --base http://127.0.0.1:8082 --rate 20 --seconds 60

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use serde_json::json;

struct Args {
    base: String,
    rate: u32,
    seconds: u64,
}

fn args() -> anyhow::Result<Args> {
    let mut parsed = Args {
        base: "http://127.0.0.1:8080".into(),
        rate: 20,
        seconds: 60,
    };
    let mut given = std::env::args().skip(1);
    while let Some(flag) = given.next() {
        let value = given
            .next()
            .ok_or_else(|| anyhow::anyhow!("{flag} needs a value"))?;
        match flag.as_str() {
            "--base" => parsed.base = value,
            "--rate" => parsed.rate = value.parse()?,
            "--seconds" => parsed.seconds = value.parse()?,
            other => anyhow::bail!("unknown option {other}"),
        }
    }
    Ok(parsed)
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Create,
    Publish,
    Edit,
}

/// One write's outcome: its kind, latency, and the slug and version it left
/// (for the writes that follow), or the error.
type Outcome = (Kind, f64, Result<(String, i64), String>);

async fn send(request: reqwest::RequestBuilder, kind: Kind, slug: String) -> Outcome {
    let started = Instant::now();
    let reply = request.send().await;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    match reply {
        Ok(reply) if reply.status().is_success() => {
            let body: serde_json::Value = reply.json().await.unwrap_or_default();
            let version = body["version"].as_i64().unwrap_or(0);
            (kind, ms, Ok((slug, version)))
        }
        Ok(reply) => {
            let status = reply.status();
            let text = reply.text().await.unwrap_or_default();
            (
                kind,
                ms,
                Err(format!(
                    "{status}: {}",
                    text.chars().take(200).collect::<String>()
                )),
            )
        }
        Err(error) => (kind, ms, Err(error.to_string())),
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = args()?;
    let key = std::env::var("OSCE_API_KEY").map_err(|_| anyhow::anyhow!("set OSCE_API_KEY"))?;
    let auth = format!("Bearer {key}");
    // The crate's rustls has no built-in crypto provider: ring, installed here.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::new();
    let base = args.base.trim_end_matches('/').to_string();
    let period = Duration::from_secs_f64(1.0 / f64::from(args.rate.max(1)));
    let total = args.seconds * u64::from(args.rate);
    let run = std::process::id();
    // Drafts waiting to be published, published releases to correct.
    let mut drafts: VecDeque<(String, i64)> = VecDeque::new();
    let mut published: VecDeque<(String, i64)> = VecDeque::new();
    let (done_tx, mut done_rx) = tokio::sync::mpsc::unbounded_channel::<Outcome>();
    let mut outcomes: Vec<Outcome> = Vec::new();
    let mut tick = tokio::time::interval(period);
    let mut in_flight = 0u64;
    for i in 0..total {
        tick.tick().await;
        // Take what finished: its slug and version feed the next writes.
        while let Ok(outcome) = done_rx.try_recv() {
            in_flight -= 1;
            if let (kind, _, Ok((slug, version))) = &outcome {
                match kind {
                    Kind::Create => drafts.push_back((slug.clone(), *version)),
                    Kind::Publish | Kind::Edit => published.push_back((slug.clone(), *version)),
                }
            }
            outcomes.push(outcome);
        }
        let (kind, request, slug) = match (i % 3, drafts.pop_front(), published.pop_front()) {
            (1, Some((slug, version)), other) => {
                if let Some(other) = other {
                    published.push_front(other);
                }
                let request = client
                    .post(format!("{base}/api/v1/press-releases/{slug}/publish"))
                    .header("authorization", &auth)
                    .header("if-match", format!("\"{version}\""));
                (Kind::Publish, request, slug)
            }
            (2, draft, Some((slug, version))) => {
                if let Some(draft) = draft {
                    drafts.push_front(draft);
                }
                let request = client
                    .patch(format!("{base}/api/v1/press-releases/{slug}"))
                    .header("authorization", &auth)
                    .header("if-match", format!("\"{version}\""))
                    .json(&json!({ "title": format!("Corrected load write {run} {i}") }));
                (Kind::Edit, request, slug)
            }
            (_, draft, other) => {
                if let Some(draft) = draft {
                    drafts.push_front(draft);
                }
                if let Some(other) = other {
                    published.push_front(other);
                }
                let year = 2010 + (i * 7919 % 16);
                let date = format!("{year}-{:02}-{:02}", 1 + i * 31 % 12, 1 + i * 17 % 28);
                let slug = format!("editorial-load-{run}-{i}-{date}");
                let request = client
                    .post(format!("{base}/api/v1/press-releases"))
                    .header("authorization", &auth)
                    .json(&json!({
                        "slug": slug, "title": format!("Load write {run} {i}"), "date": date,
                        "source": "minsk-group", "fields_of_work": ["human-rights"],
                        "countries": ["AM"], "body_html": format!("<p>Load write {i}.</p>"),
                    }));
                (Kind::Create, request, slug)
            }
        };
        in_flight += 1;
        let done = done_tx.clone();
        tokio::spawn(async move {
            let _ = done.send(send(request, kind, slug).await);
        });
    }
    while in_flight > 0 {
        if let Some(outcome) = done_rx.recv().await {
            outcomes.push(outcome);
        }
        in_flight -= 1;
    }
    let quantile = |values: &mut Vec<f64>, q: f64| {
        values.sort_by(f64::total_cmp);
        values
            .get(((values.len() as f64 - 1.0) * q).round() as usize)
            .copied()
            .unwrap_or(f64::NAN)
    };
    let mut all: Vec<f64> = outcomes.iter().map(|o| o.1).collect();
    let errors: Vec<&String> = outcomes.iter().filter_map(|o| o.2.as_ref().err()).collect();
    println!(
        "writes: {} at {} per s; latency ms p50 {:.1} p99 {:.1} max {:.1}; errors {}",
        outcomes.len(),
        args.rate,
        quantile(&mut all, 0.5),
        quantile(&mut all, 0.99),
        quantile(&mut all, 1.0),
        errors.len()
    );
    for kind in [Kind::Create, Kind::Publish, Kind::Edit] {
        let mut ms: Vec<f64> = outcomes
            .iter()
            .filter(|o| o.0 == kind)
            .map(|o| o.1)
            .collect();
        println!(
            "  {kind:?}: {} writes, p50 {:.1} ms, p99 {:.1} ms",
            ms.len(),
            quantile(&mut ms, 0.5),
            quantile(&mut ms, 0.99)
        );
    }
    for error in errors.iter().take(5) {
        println!("  error: {error}");
    }
    Ok(())
}
