//! SQLite: the four release junctions become `WITHOUT ROWID` tables, stored
//! in the order of their key (release, target). A release's links are then
//! one range of one B-tree: before, a lookup by release went through the
//! key's index and then fetched each entry's row for its `position` from the
//! rowid table, at random in a full export in slug order. Each link is also
//! one B-tree entry fewer to write. PostgreSQL: nothing to do (its tables are
//! heaps either way).
//!
//! SQLite cannot change a table's storage in place: each table is rebuilt
//! (new table, copy, drop, rename, index), all in one transaction. Nothing
//! references a junction, so dropping the old one cascades nowhere.

use sea_orm_migration::prelude::*;

use crate::m20261127_000001_content_model::RELEASE_JUNCTIONS;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        rebuild(manager, " WITHOUT ROWID").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        rebuild(manager, "").await
    }

    // All four rebuilt, or none.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}

/// Rebuilds each junction with the same columns, keys, foreign keys and
/// index, and `table_options` after the definition.
async fn rebuild(manager: &SchemaManager<'_>, table_options: &str) -> Result<(), DbErr> {
    if manager.get_database_backend() != sea_orm::DbBackend::Sqlite {
        return Ok(());
    }
    let db = manager.get_connection();
    for (table, target, target_table) in RELEASE_JUNCTIONS {
        let rebuilt = format!("{table}_rebuilt");
        db.execute_unprepared(&format!(
            r#"CREATE TABLE "{rebuilt}" (
                "press_release_id" integer NOT NULL,
                "{target}" integer NOT NULL,
                "release_date" date_text NOT NULL,
                "position" smallint NOT NULL,
                PRIMARY KEY ("press_release_id", "{target}"),
                FOREIGN KEY ("press_release_id") REFERENCES "press_release" ("id")
                    ON DELETE CASCADE ON UPDATE CASCADE,
                FOREIGN KEY ("{target}") REFERENCES "{target_table}" ("id")
                    ON DELETE RESTRICT ON UPDATE CASCADE
            ){table_options}"#
        ))
        .await?;
        db.execute_unprepared(&format!(
            r#"INSERT INTO "{rebuilt}" ("press_release_id", "{target}", "release_date", "position")
               SELECT "press_release_id", "{target}", "release_date", "position" FROM "{table}"
               ORDER BY "press_release_id", "{target}""#
        ))
        .await?;
        db.execute_unprepared(&format!(r#"DROP TABLE "{table}""#))
            .await?;
        db.execute_unprepared(&format!(r#"ALTER TABLE "{rebuilt}" RENAME TO "{table}""#))
            .await?;
        db.execute_unprepared(&format!(
            r#"CREATE INDEX "ix_{table}_by_target_date"
               ON "{table}" ("{target}", "release_date", "press_release_id")"#
        ))
        .await?;
    }
    Ok(())
}
