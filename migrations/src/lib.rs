//! Schema migrations for osce-api. One file per change, named by timestamp;
//! a migration is never edited once it has been merged.

pub use sea_orm_migration::MigrationStatus;
pub use sea_orm_migration::prelude::*;

mod m20261127_000001_content_model;
mod m20261128_000001_search;
mod m20261130_000001_lz4_compression;
mod m20261201_000001_lz4_body_text;
mod m20261202_000001_clustered_release_junctions;
mod m20261203_000001_change_log;
mod m20261207_000001_editorial;
mod m20261208_000001_changes_feed;
mod m20261209_000001_translation_changes;
mod m20261210_000001_imported_pages;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261127_000001_content_model::Migration),
            Box::new(m20261128_000001_search::Migration),
            Box::new(m20261130_000001_lz4_compression::Migration),
            Box::new(m20261201_000001_lz4_body_text::Migration),
            Box::new(m20261202_000001_clustered_release_junctions::Migration),
            Box::new(m20261203_000001_change_log::Migration),
            Box::new(m20261207_000001_editorial::Migration),
            Box::new(m20261208_000001_changes_feed::Migration),
            Box::new(m20261209_000001_translation_changes::Migration),
            Box::new(m20261210_000001_imported_pages::Migration),
        ]
    }
}
