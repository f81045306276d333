//! A steady stream of writes for the benchmark of reads under writes
//! (`bench/writes.sh`): `--rate` writes per second, one release each,
//! alternately new (dated anywhere in the last 16 years, so in the middle of
//! the date order) and edited, every fifth a deletion; each through the
//! service's own write path (import, delete), so each appends to the change
//! log. After each commit it polls a second replica (`--replica`, another
//! `osce-api serve` over the same database) until the write shows there,
//! and prints the distribution of those delays at the end.
//!
//! cargo run --release --example write_load -- --database-url URL \
//!     --replica http://127.0.0.1:8082 --rate 10 --seconds 60

use std::time::{Duration, Instant};

use osce_api::model::RecordKind;
use osce_api::service::delete::delete_records;
use osce_api::service::import::{ImportOptions, Source, import};
use osce_api::storage::{self, DbSettings};

struct Args {
    database_url: String,
    replica: String,
    rate: u32,
    seconds: u64,
}

fn args() -> anyhow::Result<Args> {
    let mut parsed = Args {
        database_url: "sqlite://data/osce.db?mode=rwc".into(),
        replica: "http://127.0.0.1:8082".into(),
        rate: 10,
        seconds: 60,
    };
    let mut given = std::env::args().skip(1);
    while let Some(flag) = given.next() {
        let value = given
            .next()
            .ok_or_else(|| anyhow::anyhow!("{flag} needs a value"))?;
        match flag.as_str() {
            "--database-url" => parsed.database_url = value,
            "--replica" => parsed.replica = value,
            "--rate" => parsed.rate = value.parse()?,
            "--seconds" => parsed.seconds = value.parse()?,
            other => anyhow::bail!("unknown option {other}"),
        }
    }
    Ok(parsed)
}

/// What the replica's list of the release's day must show once the write
/// is visible there (the list is answered from its release index).
enum Expect {
    Title(String),
    Gone(String),
}

fn release_line(slug: &str, title: &str, date: &str) -> String {
    let release = serde_json::json!({
        "type": "press_release", "slug": slug, "title": title, "date": date,
        "source": "minsk-group", "language": "en",
        "fields_of_work": ["human-rights"], "countries": ["AM"],
        "body_html": format!("<p>{title}.</p>"),
        "published_at": format!("{date}T10:00:00Z"), "updated_at": format!("{date}T10:00:00Z")
    });
    format!("{release}\n")
}

async fn write_release(db: &sea_orm::DatabaseConnection, line: String) -> anyhow::Result<()> {
    let file = tempfile::NamedTempFile::new()?;
    std::fs::write(file.path(), line)?;
    import(
        db,
        Source::File(file.path().into()),
        ImportOptions::default(),
    )
    .await?;
    Ok(())
}

/// Polls the replica until it shows `expect` for `slug`; the delay since `committed`.
async fn seen_after(
    client: reqwest::Client,
    url: String,
    expect: Expect,
    committed: Instant,
) -> Option<Duration> {
    let deadline = committed + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Ok(reply) = client.get(&url).send().await {
            let status = reply.status().as_u16();
            let body = reply.text().await.unwrap_or_default();
            let shown = status == 200
                && match &expect {
                    Expect::Gone(slug) => !body.contains(slug.as_str()),
                    Expect::Title(title) => body.contains(title.as_str()),
                };
            if shown {
                return Some(committed.elapsed());
            }
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    None
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = args()?;
    let db = storage::connect(&DbSettings::new(args.database_url.clone(), 4)).await?;
    // The crate's rustls has no built-in crypto provider: ring, installed here.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::new();
    let period = Duration::from_secs_f64(1.0 / f64::from(args.rate.max(1)));
    let total = args.seconds * u64::from(args.rate);
    // Releases this run wrote and still has: slug, date, and the write
    // that last touched it. Only releases last written a while ago (`SETTLE`
    // writes) are edited or deleted again, so that every write's own
    // check can see it before the next write to the same release.
    let mut live: Vec<(String, String, u64)> = Vec::new();
    const SETTLE: u64 = 20;
    let mut checks = Vec::new();
    let mut commit_ms = Vec::new();
    let run = std::process::id();
    let mut tick = tokio::time::interval(period);
    for i in 0..total {
        tick.tick().await;
        let year = 2010 + (i * 7919 % 16);
        let date = format!("{year}-{:02}-{:02}", 1 + i * 31 % 12, 1 + i * 17 % 28);
        let started = Instant::now();
        let settled: Vec<usize> = (0..live.len())
            .filter(|&at| live[at].2 + SETTLE <= i)
            .collect();
        let (day, expect) = if i % 5 == 4 && !settled.is_empty() {
            let (slug, day, _) = live.remove(settled[(i as usize * 13) % settled.len()]);
            delete_records(&db, &[(RecordKind::PressRelease, slug.clone())]).await?;
            (day, Expect::Gone(slug))
        } else if i % 2 == 1 && !settled.is_empty() {
            let at = settled[(i as usize * 7) % settled.len()];
            let slug = live[at].0.clone();
            let title = format!("Edited load write {run} {i}");
            write_release(&db, release_line(&slug, &title, &date)).await?;
            live[at].1 = date.clone();
            live[at].2 = i;
            (date, Expect::Title(title))
        } else {
            let slug = format!("load-write-{run}-{i}-{date}");
            let title = format!("New load write {run} {i}");
            write_release(&db, release_line(&slug, &title, &date)).await?;
            live.push((slug, date.clone(), i));
            (date, Expect::Title(title))
        };
        commit_ms.push(started.elapsed().as_secs_f64() * 1000.0);
        let url = format!(
            "{}/api/v1/press-releases?date_from={day}&date_to={day}&limit=100",
            args.replica
        );
        checks.push(tokio::spawn(seen_after(
            client.clone(),
            url,
            expect,
            Instant::now(),
        )));
    }
    let mut delays = Vec::new();
    let mut never = 0;
    for check in checks {
        match check.await? {
            Some(delay) => delays.push(delay.as_secs_f64() * 1000.0),
            None => never += 1,
        }
    }
    let quantile = |values: &mut Vec<f64>, q: f64| {
        values.sort_by(f64::total_cmp);
        values
            .get(((values.len() as f64 - 1.0) * q).round() as usize)
            .copied()
            .unwrap_or(f64::NAN)
    };
    println!(
        "writes: {total} ({} per s); commit ms p50 {:.1} p99 {:.1}",
        args.rate,
        quantile(&mut commit_ms, 0.5),
        quantile(&mut commit_ms, 0.99)
    );
    println!(
        "visible on the replica after (ms): p50 {:.0} p90 {:.0} p99 {:.0} max {:.0}; within 1 s: {} of {}; never (30 s): {never}",
        quantile(&mut delays, 0.5),
        quantile(&mut delays, 0.9),
        quantile(&mut delays, 0.99),
        quantile(&mut delays, 1.0),
        delays.iter().filter(|d| **d <= 1000.0).count(),
        delays.len() + never,
    );
    Ok(())
}
