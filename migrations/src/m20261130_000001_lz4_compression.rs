//! PostgreSQL: compress the large text columns (release bodies and
//! summaries, their translations, the search documents) with lz4 instead of
//! the default pglz, where the server was built with lz4 (PostgreSQL 14+,
//! as Debian's and the official images are). pglz decompression was the
//! largest single cost of a full export on the server side, and pglz
//! compression one of an import's; lz4 does both several times faster at
//! about the same size. Values already stored keep their compression until
//! they are rewritten (`osce-api import` of the same file does not rewrite
//! unchanged releases; a dump and restore does). SQLite: nothing to do.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

const COLUMNS: &[(&str, &str)] = &[
    ("press_release", "summary"),
    ("press_release", "body_html"),
    ("press_release_translation", "summary"),
    ("press_release_translation", "body_html"),
    ("search_document", "document"),
];

/// Sets the compression of `columns` (PostgreSQL with lz4 only; also used
/// by later migrations that compress more columns).
pub(crate) async fn set_compression(
    manager: &SchemaManager<'_>,
    columns: &[(&str, &str)],
    method: &str,
) -> Result<(), DbErr> {
    if manager.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    let db = manager.get_connection();
    let lz4_available = db
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT 1 AS available FROM pg_settings \
             WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)",
        ))
        .await?
        .is_some();
    if !lz4_available {
        return Ok(());
    }
    for (table, column) in columns {
        db.execute_unprepared(&format!(
            "ALTER TABLE {table} ALTER COLUMN {column} SET COMPRESSION {method}"
        ))
        .await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        set_compression(manager, COLUMNS, "lz4").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        set_compression(manager, COLUMNS, "DEFAULT").await
    }
}
