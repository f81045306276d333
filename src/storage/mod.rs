//! Storage: connecting to SQLite or PostgreSQL, migrating, and every query
//! that reads or writes content. Nothing above this module builds SQL.

pub mod reader;
pub mod release_index;
pub mod search_index;
pub mod sql;
pub mod writer;

use std::{path::Path, str::FromStr, time::Duration};

use anyhow::Context;
use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend,
    sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous},
};

/// How to open the database.
#[derive(Clone, Debug)]
pub struct DbSettings {
    pub url: String,
    pub max_connections: u32,
    /// Bound on any one statement (PostgreSQL), so a runaway query cannot hold a connection.
    pub statement_timeout: Option<Duration>,
}

/// Opens a pool. For SQLite files the parent folder is created, and the
/// database runs in WAL mode so readers never wait for the writer.
pub async fn connect(settings: &DbSettings) -> anyhow::Result<DatabaseConnection> {
    let url = settings.url.as_str();
    let mut options = ConnectOptions::new(url);
    options
        .max_connections(settings.max_connections)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false);
    if url.starts_with("sqlite:") {
        // Validate the URL up front for a clear error; sea-orm re-parses it.
        let parsed = SqliteConnectOptions::from_str(url)
            .with_context(|| format!("invalid SQLite URL {url:?}"))?;
        if let Some(parent) = parsed.get_filename().parent()
            && !parent.as_os_str().is_empty()
            && parsed.get_filename() != Path::new(":memory:")
        {
            std::fs::create_dir_all(parent).with_context(|| {
                format!("cannot create the database folder {}", parent.display())
            })?;
        }
        options.map_sqlx_sqlite_opts(|opts| {
            opts.create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                // Bulk statements are large when prepared; keep few of them.
                .statement_cache_capacity(24)
                .pragma("cache_size", "-65536")
                .pragma("temp_store", "memory")
        });
    } else if let Some(timeout) = settings.statement_timeout {
        options.statement_timeout(timeout);
    }
    Database::connect(options)
        .await
        .with_context(|| format!("cannot connect to the database at {}", redact_url(url)))
}

/// Brings the schema up to date and loads the built-in reference data if
/// this version of it has not been loaded yet. Run on every start: it is
/// cheap when there is nothing to do.
pub async fn prepare(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None)
        .await
        .context("migrating the database")?;
    search_index::ensure_current(db)
        .await
        .context("building the search index")?;
    crate::io::reference::ensure_loaded(db).await?;
    Ok(())
}

/// Is the database reachable and answering?
pub async fn ping(db: &DatabaseConnection) -> bool {
    db.execute_unprepared("SELECT 1").await.is_ok()
}

pub fn backend_name(backend: DbBackend) -> &'static str {
    match backend {
        DbBackend::Postgres => "postgres",
        DbBackend::Sqlite => "sqlite",
        _ => "other",
    }
}

/// The URL with any password replaced, for logs and error messages.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..scheme_end + 3], user, &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn redacts_passwords() {
        assert_eq!(
            super::redact_url("postgres://u:secret@h/db"),
            "postgres://u:***@h/db"
        );
        assert_eq!(super::redact_url("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(
            super::redact_url("sqlite://data/osce.db"),
            "sqlite://data/osce.db"
        );
    }
}
