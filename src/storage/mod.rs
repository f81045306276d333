//! Storage: connecting to SQLite or PostgreSQL and every SQL statement,
//! behind typed functions, one file per resource (the repository). Nothing
//! above this module names a table or a column.

pub mod api_keys;
pub mod changes;
pub mod delete;
pub mod editorial;
pub mod entity;
pub mod feed;
pub mod imported_pages;
pub mod keys;
pub mod keyset;
pub mod meetings;
pub mod people;
pub mod releases;
mod rows;
pub mod search_index;
pub mod small_tables;
pub mod sql;
pub mod state;
pub mod structure;
pub mod taxonomy;
pub mod tsvector;
pub mod webhooks;
mod write;

use std::{path::Path, str::FromStr, time::Duration};

use anyhow::Context;
use sea_orm::{
    AccessMode, ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction,
    DbBackend, DbErr, IsolationLevel, RuntimeErr, TransactionTrait,
    sqlx::postgres::PgSslMode,
    sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous},
};

/// How to open the database.
#[derive(Clone, Debug)]
pub struct DbSettings {
    pub url: String,
    pub max_connections: u32,
    /// Bound on any one statement (PostgreSQL), so a runaway query cannot hold a connection.
    pub statement_timeout: Option<Duration>,
    /// Longest wait for a pooled connection, connecting included. Short, so
    /// that a request fails fast (503) while the database is out of reach
    /// instead of hanging; the pool retries connecting on the next request,
    /// so it recovers by itself when the database returns.
    pub acquire_timeout: Duration,
}

/// What tests and tools that do not read the configuration use.
pub const DEFAULT_ACQUIRE_TIMEOUT: Duration = Duration::from_secs(2);

impl DbSettings {
    /// A pool of `max_connections` for `url`, other settings at their defaults.
    pub fn new(url: impl Into<String>, max_connections: u32) -> Self {
        Self {
            url: url.into(),
            max_connections,
            statement_timeout: None,
            acquire_timeout: DEFAULT_ACQUIRE_TIMEOUT,
        }
    }
}

/// Opens a pool. For SQLite files the parent folder is created, and the
/// database runs in WAL mode so readers never wait for the writer.
pub async fn connect(settings: &DbSettings) -> anyhow::Result<DatabaseConnection> {
    let url = settings.url.as_str();
    let mut options = ConnectOptions::new(url);
    options
        .max_connections(settings.max_connections)
        .min_connections(1)
        // sea-orm maps both to sqlx's acquire timeout, which bounds the
        // connect retries too (sqlx retries a refused connection until then).
        .connect_timeout(settings.acquire_timeout)
        .acquire_timeout(settings.acquire_timeout)
        // A ping before every checkout is a round trip per query; one only
        // after a second idle still catches connections dropped while idle.
        .test_before_acquire_if_idle_for(Duration::from_secs(1))
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
    } else {
        if let Some(timeout) = settings.statement_timeout {
            options.statement_timeout(timeout);
        }
        if !sslmode_given(url) {
            options.map_sqlx_postgres_opts(|opts| {
                if is_loopback(opts.get_host()) {
                    opts.ssl_mode(PgSslMode::Disable)
                } else {
                    opts
                }
            });
        }
    }
    Database::connect(options)
        .await
        .with_context(|| format!("cannot connect to the database at {}", redact_url(url)))
}

/// Does the URL or the environment (`PGSSLMODE`, which sqlx reads) choose
/// the TLS mode? Then it is the operator's choice and is left alone.
fn sslmode_given(url: &str) -> bool {
    let query = url.split_once('?').map_or("", |(_, query)| query);
    std::env::var_os("PGSSLMODE").is_some()
        || form_urlencoded::parse(query.as_bytes())
            .any(|(key, _)| key == "sslmode" || key == "ssl-mode")
}

/// Without an explicit `sslmode`, a PostgreSQL on this host is reached
/// without TLS: it protects nothing on loopback, and sqlx 0.9.0 leaves
/// Nagle's algorithm on, so each statement larger than a TLS record waits
/// ~40 ms for a delayed ACK (an import of 100,000 releases took 48.7 s
/// instead of 15.3 s; transact-rs/sqlx#4335).
fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host == "localhost"
        || host.starts_with('/')
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// A read-only transaction that sees one consistent snapshot of the
/// content, to build a derived value from (REPEATABLE READ on PostgreSQL;
/// a SQLite transaction is a snapshot already).
pub async fn begin_snapshot(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    match db.get_database_backend() {
        DbBackend::Postgres => {
            db.begin_with_config(
                Some(IsolationLevel::RepeatableRead),
                Some(AccessMode::ReadOnly),
            )
            .await
        }
        _ => db.begin().await,
    }
}

/// Held while one process prepares the database (migrations, search index,
/// reference data): on PostgreSQL a transaction-scoped advisory lock, held
/// by an open transaction on one pooled connection until `release`; on
/// SQLite nothing (one file: writers queue on its lock anyway).
pub struct StartupLock {
    txn: Option<DatabaseTransaction>,
}

/// The advisory lock's key ("osce-api start-up", as a number).
const STARTUP_LOCK_KEY: i64 = 0x05CE_A915_0000_0001;

impl StartupLock {
    pub async fn acquire(db: &DatabaseConnection) -> Result<StartupLock, DbErr> {
        if db.get_database_backend() != DbBackend::Postgres {
            return Ok(StartupLock { txn: None });
        }
        let txn = db.begin().await?;
        // Waits as long as another replica prepares (a migration of a large
        // table may take minutes): no statement timeout on this one.
        txn.execute_unprepared("SET LOCAL statement_timeout = 0")
            .await?;
        sql::execute(
            &txn,
            "SELECT pg_advisory_xact_lock(?)",
            vec![STARTUP_LOCK_KEY.into()],
        )
        .await?;
        Ok(StartupLock { txn: Some(txn) })
    }

    pub async fn release(self) -> Result<(), DbErr> {
        match self.txn {
            Some(txn) => txn.commit().await,
            None => Ok(()),
        }
    }
}

/// Brings the database's own bookkeeping up to date after a bulk load.
/// After one, PostgreSQL's planner still has the statistics of the empty
/// tables (autovacuum gets there later) and picks poor plans, e.g. for
/// full-text matches: refresh them. SQLite keeps the load in its
/// write-ahead log (as large as the data) until a checkpoint copies it into
/// the database, and every read until then looks pages up in the log (a
/// full export of a million releases took 70 s instead of 41): copy it now;
/// with readers still on an older snapshot it copies what it can.
pub async fn after_bulk_load(db: &DatabaseConnection) -> Result<(), DbErr> {
    let sql = match db.get_database_backend() {
        DbBackend::Postgres => "ANALYZE",
        _ => "PRAGMA wal_checkpoint(TRUNCATE)",
    };
    db.execute_unprepared(sql).await.map(|_| ())
}

/// Is the database reachable and answering within `timeout`?
pub async fn ping(db: &DatabaseConnection, timeout: Duration) -> bool {
    matches!(
        tokio::time::timeout(timeout, db.execute_unprepared("SELECT 1")).await,
        Ok(Ok(_))
    )
}

/// Does this error mean that the database is out of reach or overloaded
/// for now (down, restarting, unreachable, pool exhausted, statement
/// timeout), rather than that the query or the data is wrong? Those are
/// answered with 503 and `Retry-After`; everything else is a 500. The one
/// place that decides it, for every API.
pub fn is_unavailable(error: &DbErr) -> bool {
    match error {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Exec(RuntimeErr::SqlxError(cause)) | DbErr::Query(RuntimeErr::SqlxError(cause)) => {
            sqlx_unavailable(cause)
        }
        _ => false,
    }
}

fn sqlx_unavailable(error: &sea_orm::SqlxError) -> bool {
    use sea_orm::SqlxError as E;
    match error {
        E::Io(_) | E::Tls(_) | E::PoolTimedOut | E::PoolClosed | E::WorkerCrashed => true,
        E::Database(db) => {
            let Some(code) = db.code() else {
                return false;
            };
            if db.try_downcast_ref::<sea_orm::SqlxSqliteError>().is_some() {
                sqlite_busy(&code)
            } else {
                postgres_unavailable(&code)
            }
        }
        _ => false,
    }
}

/// PostgreSQL SQLSTATEs that say "not now" rather than "never": class 08
/// connection exception, class 53 insufficient resources (too many
/// connections, out of memory), 57014 statement timeout, 57P01-57P03
/// shutting down, crashed, starting up.
fn postgres_unavailable(code: &str) -> bool {
    code.starts_with("08")
        || code.starts_with("53")
        || matches!(code, "57014" | "57P01" | "57P02" | "57P03")
}

/// SQLite's SQLITE_BUSY (5) and SQLITE_LOCKED (6), extended codes
/// included (their low byte), after the busy timeout ran out.
fn sqlite_busy(code: &str) -> bool {
    code.parse::<u32>().is_ok_and(|n| matches!(n & 0xff, 5 | 6))
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
    use super::*;

    #[test]
    fn classifies_unavailable_errors() {
        use sea_orm::{ConnAcquireErr, SqlxError};
        use std::sync::Arc;
        let query = |e: SqlxError| DbErr::Query(RuntimeErr::SqlxError(Arc::new(e)));
        assert!(is_unavailable(&DbErr::ConnectionAcquire(
            ConnAcquireErr::Timeout
        )));
        assert!(is_unavailable(&query(SqlxError::PoolTimedOut)));
        assert!(is_unavailable(&query(SqlxError::Io(
            std::io::ErrorKind::ConnectionReset.into()
        ))));
        assert!(!is_unavailable(&query(SqlxError::RowNotFound)));
        assert!(!is_unavailable(&DbErr::Custom("bad".into())));
        assert!(!is_unavailable(&DbErr::RecordNotFound("x".into())));
        for code in ["08006", "53300", "57014", "57P01", "57P03"] {
            assert!(postgres_unavailable(code), "{code}");
        }
        for code in ["23505", "42P01", "57000", "22021"] {
            assert!(!postgres_unavailable(code), "{code}");
        }
        for code in ["5", "517", "6", "262"] {
            assert!(sqlite_busy(code), "{code}");
        }
        for code in ["1", "19", "2067", "11"] {
            assert!(!sqlite_busy(code), "{code}");
        }
    }

    #[test]
    fn reaches_a_local_postgresql_without_tls_unless_told() {
        for host in [
            "localhost",
            "127.0.0.1",
            "::1",
            "[::1]",
            "/var/run/postgresql",
        ] {
            assert!(super::is_loopback(host), "{host}");
        }
        for host in ["db.example.org", "10.0.0.5", "2001:db8::1"] {
            assert!(!super::is_loopback(host), "{host}");
        }
        if std::env::var_os("PGSSLMODE").is_none() {
            assert!(!super::sslmode_given("postgres://u@127.0.0.1/db"));
            assert!(!super::sslmode_given(
                "postgres://u@h/db?application_name=x"
            ));
        }
        assert!(super::sslmode_given(
            "postgres://u@127.0.0.1/db?sslmode=require"
        ));
        assert!(super::sslmode_given(
            "postgres://u@h/db?x=1&ssl-mode=prefer"
        ));
    }

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
