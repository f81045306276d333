//! PostgreSQL: lz4 for the plain-text copies of release and translation
//! bodies too (kept for search snippets and feeds), which the first lz4
//! migration left on pglz: pglz compression was still a few percent of an
//! import's server time. Values already stored keep their compression until
//! rewritten. SQLite: nothing to do.

use sea_orm_migration::prelude::*;

use crate::m20261130_000001_lz4_compression::set_compression;

#[derive(DeriveMigrationName)]
pub struct Migration;

const COLUMNS: &[(&str, &str)] = &[
    ("press_release", "body_text"),
    ("press_release_translation", "body_text"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        set_compression(manager, COLUMNS, "lz4").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        set_compression(manager, COLUMNS, "DEFAULT").await
    }
}
