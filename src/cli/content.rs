//! Commands that move content: import, export, and the corpus generator.

use std::path::PathBuf;

use super::output;
use crate::config::Settings;
use crate::generate::GenerateOptions;
use crate::service::import::{ImportOptions, Source};
use crate::storage;

/// `osce-api generate`: a synthetic corpus in the interchange format.
pub async fn generate(releases: u64, seed: u64, path: Option<&PathBuf>) -> anyhow::Result<()> {
    let mut out = output(path)?;
    let until = chrono::Utc::now().date_naive();
    let summary = tokio::task::spawn_blocking(move || {
        crate::generate::generate(
            &GenerateOptions {
                releases,
                seed,
                until,
            },
            &mut out,
        )
    })
    .await??;
    eprintln!(
        "generated {} press releases, {} people with roles, {} meetings (seed {seed})",
        summary.press_releases, summary.people, summary.meetings
    );
    Ok(())
}

/// `osce-api import FILE|-`: all or nothing.
pub async fn import(settings: &Settings, file: &str) -> anyhow::Result<()> {
    let db = storage::connect(&settings.db()).await?;
    crate::boot::prepare(&db).await?;
    let source = if file == "-" {
        Source::Stdin
    } else {
        Source::File(PathBuf::from(file))
    };
    let summary = crate::service::import::import(
        &db,
        source,
        ImportOptions {
            progress: true,
            state: None,
        },
    )
    .await?;
    let secs = summary.elapsed.as_secs_f64();
    let read: Vec<String> = summary
        .read
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(t, n)| format!("{n} {t}"))
        .collect();
    eprintln!(
        "imported {} lines in {secs:.1} s: {}; {} records new or changed, {} unchanged; {:.0} press releases/s",
        summary.lines,
        read.join(", "),
        summary.changes,
        summary.lines.saturating_sub(summary.changes),
        summary.press_releases as f64 / secs.max(1e-9),
    );
    Ok(())
}

/// `osce-api delete TYPE KEY…`: all or nothing.
pub async fn delete(settings: &Settings, kind: &str, keys: &[String]) -> anyhow::Result<()> {
    let kind = crate::model::RecordKind::from_type_name(kind)
        .ok_or_else(|| anyhow::anyhow!("unknown record type `{kind}`"))?;
    let db = storage::connect(&settings.db()).await?;
    crate::boot::prepare(&db).await?;
    let records: Vec<_> = keys.iter().map(|key| (kind, key.clone())).collect();
    let summary = crate::service::delete::delete_records(&db, &records).await?;
    eprintln!(
        "deleted {} record(s); the change log is at {}",
        summary.deleted, summary.seq
    );
    Ok(())
}

/// `osce-api export`: every record as JSON Lines, in a deterministic order.
pub async fn export(settings: &Settings, path: Option<&PathBuf>) -> anyhow::Result<()> {
    // One query streams every release: no per-statement timeout.
    let db = storage::connect(&storage::DbSettings {
        statement_timeout: None,
        ..settings.db()
    })
    .await?;
    crate::boot::prepare(&db).await?;
    let mut out = output(path)?;
    let started = std::time::Instant::now();
    let written = crate::service::export::export(&db, &mut out).await?;
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "exported {written} records in {secs:.1} s ({:.0} records/s)",
        written as f64 / secs.max(1e-9)
    );
    Ok(())
}
