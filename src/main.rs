//! The `osce-api` command: parse the command line, set up logging, dispatch.

use std::{
    fs::File,
    future::IntoFuture,
    io::{self, BufWriter, Write},
    net::SocketAddr,
    path::PathBuf,
    process::ExitCode,
    sync::Arc,
    time::Duration,
};

use anyhow::Context;
use clap::{Parser, Subcommand};
use migration::{Migrator, MigratorTrait};
use osce_api::{
    AppState, app,
    config::{LogFormat, Overrides, Settings},
    io::{
        export::export,
        generate::{GenerateOptions, generate},
        import::{ImportOptions, Source, import},
    },
    storage,
};
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(
    name = "osce-api",
    version,
    about = "Headless content backend for the public content of the OSCE"
)]
struct Cli {
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
enum Command {
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
    /// Make a new API key: prints the key (give it to its holder) and the
    /// configuration entry, which holds only the key's SHA-256.
    ApiKey {
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
enum MigrateAction {
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

fn output(path: Option<&PathBuf>) -> anyhow::Result<Box<dyn Write + Send>> {
    Ok(match path {
        Some(path) => Box::new(BufWriter::with_capacity(
            1 << 20,
            File::create(path).with_context(|| format!("cannot create {}", path.display()))?,
        )),
        None => Box::new(BufWriter::with_capacity(1 << 20, io::stdout())),
    })
}

/// glibc's malloc took about a quarter of a request's CPU in profiles, and
/// gave each thread an arena it rarely handed back (doubling the import's
/// resident size); mimalloc does better on both.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let code = runtime.block_on(async_main(cli));
    // Everything the command does is done; what is left are requests that
    // `serve` abandoned after its grace period: do not wait for them.
    runtime.shutdown_background();
    code
}

async fn async_main(cli: Cli) -> ExitCode {
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
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
        Command::Schema { output: path } => {
            let mut out = output(path.as_ref())?;
            out.write_all(osce_api::graphql::sdl().as_bytes())?;
            out.flush()?;
        }
        Command::Openapi { output: path } => {
            let mut out = output(path.as_ref())?;
            out.write_all(osce_api::http::rest::openapi_json().as_bytes())?;
            out.flush()?;
        }
        Command::Generate {
            releases,
            seed,
            output: path,
        } => {
            let mut out = output(path.as_ref())?;
            let until = chrono::Utc::now().date_naive();
            let summary = tokio::task::spawn_blocking(move || {
                generate(
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
        }
        Command::ApiKey {
            name,
            requests_per_minute,
            cost_per_minute,
        } => {
            use base64::Engine;
            use rand::RngCore;
            let mut secret = [0u8; 32];
            rand::rng().fill_bytes(&mut secret);
            let key = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret);
            let digest: String = osce_api::http::ratelimit::key_digest(&key)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            eprintln!("API key for {name} (shown once; the service keeps only its SHA-256):");
            println!("{key}");
            eprintln!("\nAdd to the configuration file:\n");
            eprintln!(
                "[[api_keys]]\nname = {}\nsha256 = \"{digest}\"\nrequests_per_minute = {requests_per_minute}\ncost_per_minute = {cost_per_minute}",
                serde_json::to_string(&name)?
            );
        }
        Command::Migrate { action } => {
            let db = storage::connect(&settings.db()).await?;
            match action {
                MigrateAction::Up => Migrator::up(&db, None).await?,
                MigrateAction::Down { steps } => Migrator::down(&db, Some(steps)).await?,
                MigrateAction::Status => {
                    for migration in Migrator::get_migration_with_status(&db).await? {
                        println!("{}\t{}", migration.status(), migration.name());
                    }
                }
            }
        }
        Command::Import { file } => {
            let db = storage::connect(&settings.db()).await?;
            storage::prepare(&db).await?;
            let source = if file == "-" {
                Source::Stdin
            } else {
                Source::File(PathBuf::from(&file))
            };
            let summary = import(
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
                "imported {} lines in {secs:.1} s: {}; {} records changed, {} unchanged; {:.0} press releases/s",
                summary.lines,
                read.join(", "),
                summary.changed + summary.press_releases,
                summary.unchanged,
                summary.press_releases as f64 / secs.max(1e-9),
            );
        }
        Command::Export { output: path } => {
            // One query streams every release: no per-statement timeout.
            let db = storage::connect(&storage::DbSettings {
                statement_timeout: None,
                ..settings.db()
            })
            .await?;
            storage::prepare(&db).await?;
            let mut out = output(path.as_ref())?;
            let started = std::time::Instant::now();
            let written = export(&db, &mut out).await?;
            let secs = started.elapsed().as_secs_f64();
            eprintln!(
                "exported {written} records in {secs:.1} s ({:.0} records/s)",
                written as f64 / secs.max(1e-9)
            );
        }
        Command::Serve { .. } => {
            let feeds = settings
                .feeds()
                .map_err(|e| anyhow::anyhow!("public_url: {e}"))?;
            let rate_limits = settings.rate_limits().map_err(anyhow::Error::msg)?;
            let db = storage::connect(&settings.db()).await?;
            storage::prepare(&db).await?;
            let listener = tokio::net::TcpListener::bind(settings.listen)
                .await
                .with_context(|| format!("cannot listen on {}", settings.listen))?;
            tracing::info!(
                address = %listener.local_addr()?,
                database = %storage::redact_url(&settings.database_url),
                "serving"
            );
            let state = AppState::new(db.clone())
                .with_search_cache(settings.search_cache_matches)
                .with_feeds(feeds)
                .with_caching(settings.caching())
                .with_graphql(settings.graphql_limits(), settings.graphql_introspection)
                .with_rate_limits(rate_limits);
            // Build the release index before taking traffic, not on the first request.
            state.release_index.get(&db).await?;
            let grace = Duration::from_secs(settings.shutdown_grace_secs);
            let stopping = Arc::new(tokio::sync::Notify::new());
            let signalled = Arc::clone(&stopping);
            // The peer's address, for rate limits per client.
            let service = app(state).into_make_service_with_connect_info::<SocketAddr>();
            let server = axum::serve(listener, service)
                .with_graceful_shutdown(async move {
                    shutdown_signal().await;
                    tracing::info!(
                        grace_secs = grace.as_secs(),
                        "stopping: no new connections, finishing the requests in flight"
                    );
                    // A permit is stored if nobody waits yet.
                    signalled.notify_one();
                })
                .into_future();
            // In-flight requests get `grace` from the signal; past it they are
            // abandoned (dropped with the runtime when `run` returns).
            tokio::select! {
                served = server => served?,
                () = async {
                    stopping.notified().await;
                    tokio::time::sleep(grace).await;
                } => tracing::warn!("requests still in flight after the grace period: abandoned"),
            }
            // Closing waits for connections in use; do not let one hang the exit.
            match tokio::time::timeout(POOL_CLOSE_TIMEOUT, db.close()).await {
                Ok(Ok(())) => {}
                Ok(Err(error)) => tracing::warn!(%error, "closing the database pool"),
                Err(_) => tracing::warn!("the database pool did not close in time"),
            }
            tracing::info!("stopped");
        }
    }
    Ok(())
}

/// How long closing the database pool may take at exit.
const POOL_CLOSE_TIMEOUT: Duration = Duration::from_secs(5);

/// Resolves on Ctrl-C or SIGTERM: stop accepting, let in-flight requests finish.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
