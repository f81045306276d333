//! The `osce-api` command: the command line, logging, and one function per
//! subcommand. `main.rs` only parses and runs it.

mod admin;
mod content;
mod pages;
mod serve;
mod webhooks;

use std::{
    fs::File,
    io::{self, BufWriter, Write},
    path::PathBuf,
};

use anyhow::Context;
use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;

use crate::config::{LogFormat, Overrides, Settings};

#[derive(Parser)]
#[command(
    name = "osce-api",
    version,
    about = "Headless content backend for the public content of the OSCE"
)]
pub struct Cli {
    /// Configuration file (TOML); also `OSCE_CONFIG`.
    #[arg(long, global = true, env = "OSCE_CONFIG")]
    config: Option<PathBuf>,
    /// Database URL: `sqlite://data/osce.db?mode=rwc` (default) or `postgres://…`.
    #[arg(long, global = true)]
    database_url: Option<String>,
    /// Log format.
    #[arg(long, global = true, value_enum)]
    log_format: Option<LogFormat>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Run the HTTP service (migrates and loads the reference data first).
    Serve {
        /// Address to listen on, e.g. 0.0.0.0:8080.
        #[arg(long)]
        listen: Option<std::net::SocketAddr>,
    },
    /// Apply or revert schema migrations.
    Migrate {
        #[command(subcommand)]
        action: MigrateAction,
    },
    /// Import a JSON Lines file in the interchange format (`-` for standard input). All or nothing.
    Import {
        /// The file to read, or `-`.
        file: String,
    },
    /// Import saved osce.org press-release pages (text or HTML, gzip or
    /// not): a dry run reporting each page as created, updated, unchanged,
    /// skipped or rejected, unless `--commit`.
    ImportPages(pages::ImportPagesArgs),
    /// Delete records (a withdrawn release, a person merged away): all or
    /// none, refused while anything still refers to them. Each leaves a
    /// tombstone in the change log.
    Delete {
        /// The record type, as the interchange format names it: press_release,
        /// meeting, person, org_unit, chairpersonship, country, field_of_work.
        #[arg(value_name = "TYPE")]
        kind: String,
        /// The keys (slugs; codes for countries; years for chairpersonships).
        #[arg(value_name = "KEY", required = true)]
        keys: Vec<String>,
    },
    /// Export all content as JSON Lines, in a deterministic order.
    Export {
        /// Write here instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Print the GraphQL schema (SDL), as checked in at `schema.graphql`.
    Schema {
        /// Write here instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Print the REST API's OpenAPI 3.1 document, as checked in at `openapi.json`.
    Openapi {
        /// Write here instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Write a synthetic corpus (reference data + generated content) for load tests and demos.
    Generate {
        /// How many press releases.
        #[arg(long)]
        releases: u64,
        /// Random seed: the same seed gives the same corpus.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Write here instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Editors' API keys (stored hashed in the database) and rate-limit keys.
    ApiKey {
        #[command(subcommand)]
        action: ApiKeyAction,
    },
    /// Webhook endpoints: register, list, rotate secrets, enable, disable, delete.
    Webhook {
        #[command(subcommand)]
        action: webhooks::WebhookAction,
    },
    /// Print the audit log of editorial writes as JSON Lines.
    Audit {
        /// Only entries after this id.
        #[arg(long, default_value_t = 0)]
        after: i64,
        /// Write here instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
pub enum ApiKeyAction {
    /// Make an editor's key: prints it once (the database keeps only its
    /// SHA-256). Scopes: read:drafts, write, publish, delete, admin.
    Create {
        /// Who will hold the key (unique; shown in revisions and the audit log).
        #[arg(long)]
        name: String,
        /// What it may do, comma-separated, e.g. `read:drafts,write,publish`.
        #[arg(long)]
        scopes: String,
        /// When it stops working (RFC 3339), if ever.
        #[arg(long, conflicts_with = "expires_in_days")]
        expires_at: Option<String>,
        /// How many days it works, if not for ever.
        #[arg(long)]
        expires_in_days: Option<u32>,
    },
    /// Revoke an editor's key at once.
    Revoke {
        /// The key's name.
        name: String,
    },
    /// List editors' keys (never the keys themselves) as JSON Lines.
    List,
    /// Make a key for rate limits only: prints the key and the configuration
    /// entry, which holds only the key's SHA-256.
    RateLimit {
        /// Who will hold the key.
        #[arg(long)]
        name: String,
        /// Its budget of requests per minute, per replica (0: no limit).
        #[arg(long, default_value_t = 6000)]
        requests_per_minute: u64,
        /// Its budget of GraphQL cost per minute, per replica (0: no limit).
        #[arg(long, default_value_t = 600_000)]
        cost_per_minute: u64,
    },
}

#[derive(Subcommand)]
pub enum MigrateAction {
    /// Apply pending migrations.
    Up,
    /// Revert migrations (the last one by default).
    Down {
        #[arg(long, default_value_t = 1)]
        steps: u32,
    },
    /// List migrations and whether each is applied.
    Status,
}

/// Runs one parsed command line to its end.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let listen = match &cli.command {
        Command::Serve { listen } => *listen,
        _ => None,
    };
    let overrides = Overrides {
        database_url: cli.database_url.clone(),
        listen,
        log_format: cli.log_format,
    };
    let settings =
        Settings::load(cli.config.as_deref(), &overrides).context("reading the configuration")?;
    init_logging(settings.log_format);

    match cli.command {
        Command::Schema { output: path } => admin::schema(path.as_ref()),
        Command::Openapi { output: path } => admin::openapi(path.as_ref()),
        Command::Generate {
            releases,
            seed,
            output: path,
        } => content::generate(releases, seed, path.as_ref()).await,
        Command::ApiKey { action } => admin::api_keys(&settings, action).await,
        Command::Webhook { action } => webhooks::run(&settings, action).await,
        Command::Audit {
            after,
            output: path,
        } => admin::audit(&settings, after, path.as_ref()).await,
        Command::Migrate { action } => admin::migrate(&settings, action).await,
        Command::Import { file } => content::import(&settings, &file).await,
        Command::ImportPages(args) => pages::import_pages(&settings, args).await,
        Command::Delete { kind, keys } => content::delete(&settings, &kind, &keys).await,
        Command::Export { output: path } => content::export(&settings, path.as_ref()).await,
        Command::Serve { .. } => serve::serve(&settings).await,
    }
}

fn init_logging(format: LogFormat) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(io::stderr);
    match format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}

/// Where a command writes: the file given, or standard output.
pub(crate) fn output(path: Option<&PathBuf>) -> anyhow::Result<Box<dyn Write + Send>> {
    Ok(match path {
        Some(path) => Box::new(BufWriter::with_capacity(
            1 << 20,
            File::create(path).with_context(|| format!("cannot create {}", path.display()))?,
        )),
        None => Box::new(BufWriter::with_capacity(1 << 20, io::stdout())),
    })
}
