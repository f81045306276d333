//! Full-text search. SQLite: a contentless FTS5 table (the text lives in
//! `press_release` etc.; only the index is stored), rowid = id * 4 + kind.
//! PostgreSQL: one `tsvector` per document with a GIN index. Both are filled
//! by the service (`storage::search_index`), which folds and stems the text
//! itself so that both backends index the same tokens; hence no stemming or
//! stop words in the database (`unicode61`, `simple`).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared(
                    "CREATE TABLE search_document (\
                       kind SMALLINT NOT NULL, \
                       id BIGINT NOT NULL, \
                       document TSVECTOR NOT NULL, \
                       PRIMARY KEY (kind, id))",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE INDEX search_document_document ON search_document USING GIN (document)",
                )
                .await?;
            }
            _ => {
                db.execute_unprepared(
                    "CREATE VIRTUAL TABLE search_fts USING fts5(title, summary, body, \
                     content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0')",
                )
                .await?;
            }
        }
        // The service rebuilds the index on its next start.
        db.execute_unprepared("DELETE FROM app_state WHERE key = 'search_index_version'")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DbBackend::Postgres => db.execute_unprepared("DROP TABLE search_document").await?,
            _ => db.execute_unprepared("DROP TABLE search_fts").await?,
        };
        db.execute_unprepared("DELETE FROM app_state WHERE key = 'search_index_version'")
            .await?;
        Ok(())
    }
}
