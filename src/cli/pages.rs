//! `osce-api import-pages`: the website's saved pages into releases.

use std::io::Read;
use std::path::PathBuf;

use crate::config::Settings;
use crate::service::pages::{Aliases, Importer, Outcome, ReportFormat, ReportWriter, input};
use crate::storage;

#[derive(clap::Args)]
pub struct ImportPagesArgs {
    /// Write the releases (one transaction for the run). Without it, a dry
    /// run: the same report, nothing written.
    #[arg(long)]
    commit: bool,
    /// The report's format: one line per page.
    #[arg(long, value_enum, default_value = "jsonl")]
    format: ReportFormat,
    /// Write the report here instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// More aliases for `Source:`/`Fields of work:` labels and country
    /// names, on top of `data/page-aliases.toml` (same form).
    #[arg(long)]
    aliases: Option<PathBuf>,
    /// Saved pages (`.txt`, `.html`, `.htm`, optionally `.gz`), folders of
    /// them, or `-` for one page on standard input.
    #[arg(value_name = "FILE|DIR|-", required = true)]
    paths: Vec<String>,
}

pub async fn import_pages(settings: &Settings, args: ImportPagesArgs) -> anyhow::Result<()> {
    let aliases = Aliases::load(args.aliases.as_deref())?;
    let mut files: Vec<Option<PathBuf>> = Vec::new();
    for path in &args.paths {
        if path == "-" {
            files.push(None);
        } else {
            files.extend(input::list(&PathBuf::from(path))?.into_iter().map(Some));
        }
    }
    let db = storage::connect(&settings.db()).await?;
    crate::boot::prepare(&db).await?;
    let mut report = ReportWriter::new(args.format, super::output(args.output.as_ref())?)?;
    let started = std::time::Instant::now();
    let mut importer = Importer::start(&db, &aliases, chrono::Utc::now()).await?;
    for file in &files {
        let (name, bytes) = match file {
            Some(path) => (path.display().to_string(), input::read_file(path)),
            None => {
                let mut stdin = Vec::new();
                std::io::stdin().read_to_end(&mut stdin)?;
                ("-".to_string(), input::read(stdin.as_slice()))
            }
        };
        let line = match bytes {
            Ok(bytes) => importer.page(&name, &bytes).await?,
            Err(error) => Some(crate::service::pages::ReportLine::with_reason(
                &name,
                Outcome::Rejected,
                format!("{error:#}"),
            )),
        };
        if let Some(line) = line {
            report.write(&line)?;
        }
    }
    for line in importer.waiting().await? {
        report.write(&line)?;
    }
    let summary = importer.finish(args.commit).await?;
    report.finish()?;
    let secs = started.elapsed().as_secs_f64();
    let counts: Vec<String> = Outcome::ALL
        .iter()
        .map(|o| {
            format!(
                "{} {}",
                summary.outcomes.get(o).copied().unwrap_or(0),
                o.as_str()
            )
        })
        .collect();
    eprintln!(
        "{} {} pages in {secs:.1} s ({:.0} pages/s): {}{}",
        if summary.committed {
            "imported"
        } else {
            "read"
        },
        summary.pages,
        summary.pages as f64 / secs.max(1e-9),
        counts.join(", "),
        if summary.committed {
            ""
        } else {
            "; a dry run: nothing was written (--commit writes)"
        }
    );
    Ok(())
}
