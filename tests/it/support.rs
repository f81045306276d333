//! Test support: a fresh database per test on either backend.

use std::{
    io::Write,
    sync::{
        Once,
        atomic::{AtomicU32, Ordering},
    },
};

use osce_api::storage::{self, DbSettings};
use sea_orm::{ConnectionTrait, DatabaseConnection};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A database of its own for one test. Dropped (PostgreSQL) or deleted
/// with its folder (SQLite) when the test ends.
pub struct TestDb {
    pub url: String,
    pub conn: DatabaseConnection,
    admin: Option<(String, String)>,
    _dir: Option<tempfile::TempDir>,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn settings(url: &str) -> DbSettings {
    DbSettings::new(url, 4)
}

impl TestDb {
    /// An empty database (no schema) on the given backend; `None` when
    /// PostgreSQL is asked for but not configured.
    pub async fn empty(backend: Backend) -> Option<TestDb> {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}/test.db?mode=rwc", dir.path().display());
                let conn = storage::connect(&settings(&url))
                    .await
                    .expect("connect to SQLite");
                Some(TestDb {
                    url,
                    conn,
                    admin: None,
                    _dir: Some(dir),
                })
            }
            Backend::Postgres => {
                let Ok(admin_url) = std::env::var("TEST_DATABASE_URL") else {
                    announce_skip();
                    return None;
                };
                let name = format!(
                    "osce_test_{}_{}_{}",
                    std::process::id(),
                    COUNTER.fetch_add(1, Ordering::SeqCst),
                    chrono::Utc::now().timestamp_micros() % 1_000_000
                );
                let admin = storage::connect(&settings(&admin_url))
                    .await
                    .expect("connect to TEST_DATABASE_URL");
                drop_stale_databases(&admin).await;
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("create the test database");
                admin.close().await.ok();
                let url = replace_database(&admin_url, &name);
                let conn = storage::connect(&settings(&url))
                    .await
                    .expect("connect to the test database");
                Some(TestDb {
                    url,
                    conn,
                    admin: Some((admin_url, name)),
                    _dir: None,
                })
            }
        }
    }

    /// A migrated database with the reference data, as after a first start.
    pub async fn prepared(backend: Backend) -> Option<TestDb> {
        let db = Self::empty(backend).await?;
        osce_api::boot::prepare(&db.conn)
            .await
            .expect("prepare the database");
        Some(db)
    }

    pub async fn cleanup(self) {
        self.conn.close().await.ok();
        if let Some((admin_url, name)) = self.admin {
            let admin = storage::connect(&settings(&admin_url))
                .await
                .expect("connect to TEST_DATABASE_URL");
            admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await
                .expect("drop the test database");
            admin.close().await.ok();
        }
    }
}

/// Databases left by test runs that died before cleaning up (their process,
/// named in the database name, is gone) are dropped once per run.
async fn drop_stale_databases(admin: &DatabaseConnection) {
    static SWEPT: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if SWEPT.swap(true, Ordering::SeqCst) {
        return;
    }
    let Ok(rows) = admin
        .query_all_raw(sea_orm::Statement::from_string(
            admin.get_database_backend(),
            "SELECT datname FROM pg_database WHERE datname LIKE 'osce_test_%'",
        ))
        .await
    else {
        return;
    };
    for row in rows {
        let Ok(name) = row.try_get::<String>("", "datname") else {
            continue;
        };
        let pid = name
            .trim_start_matches("osce_test_")
            .split('_')
            .next()
            .unwrap_or("");
        let alive = pid
            .parse::<u32>()
            .is_ok_and(|pid| std::path::Path::new(&format!("/proc/{pid}")).exists());
        if !alive {
            let _ = admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await;
        }
    }
}

fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let after_scheme = base.find("://").map(|i| i + 3).unwrap_or(0);
    let base = match base[after_scheme..].find('/') {
        Some(slash) => &base[..after_scheme + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

/// Said once per run, past the test harness's output capture, so that a
/// run without PostgreSQL says so instead of passing quietly.
fn announce_skip() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let _ = writeln!(
            std::io::stderr(),
            "\nnote: TEST_DATABASE_URL is not set: the PostgreSQL variants of the storage tests are SKIPPED \
             (they pass without running). Set TEST_DATABASE_URL=postgres://… to run them.\n"
        );
    });
}

/// Declares `sqlite` and `postgres` variants of async test functions that
/// take a [`Backend`].
#[macro_export]
macro_rules! backend_tests {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::support::Backend::Sqlite).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::support::Backend::Postgres).await;
                }
            )*
        }
    };
}

/// Exports everything to a string.
pub async fn export_string(conn: &DatabaseConnection) -> String {
    let mut out = Vec::new();
    osce_api::service::export::export(conn, &mut out)
        .await
        .expect("export");
    String::from_utf8(out).expect("export is UTF-8")
}

/// Writes `text` to a temporary file and returns it (kept alive by the caller).
pub fn temp_file(text: impl AsRef<[u8]>) -> tempfile::NamedTempFile {
    let mut file = tempfile::NamedTempFile::new().expect("temp file");
    file.write_all(text.as_ref()).expect("write temp file");
    file
}

/// Imports interchange-format text (all or nothing), failing the test if
/// it does not import.
pub async fn import_text(conn: &DatabaseConnection, text: impl AsRef<[u8]>) {
    let file = temp_file(text);
    osce_api::service::import::import(
        conn,
        osce_api::service::import::Source::File(file.path().into()),
        Default::default(),
    )
    .await
    .expect("import");
}

/// A small generated corpus (reference data included).
pub fn generated_corpus(releases: u64, seed: u64) -> String {
    use osce_api::generate::{GenerateOptions, generate};
    let mut out = Vec::new();
    let until = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
    generate(
        &GenerateOptions {
            releases,
            seed,
            until,
        },
        &mut out,
    )
    .expect("generate");
    String::from_utf8(out).unwrap()
}
