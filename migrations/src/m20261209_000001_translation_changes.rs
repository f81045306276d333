//! Translation writes: the change log and the changes feed name the
//! language a change touched (`language`) and whether the translation was
//! saved or removed (`language_op`, `upsert` or `delete`). Both are null for
//! a change of the record itself. A translation's own version is its
//! revisions' numbering (kind `press_release_translation`, key `slug/lang`),
//! so no other table changes.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ContentChange {
    Table,
    Language,
    LanguageOp,
}

#[derive(DeriveIden)]
enum ChangeFeed {
    Table,
    Language,
    LanguageOp,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        for column in [ContentChange::Language, ContentChange::LanguageOp] {
            manager
                .alter_table(
                    Table::alter()
                        .table(ContentChange::Table)
                        .add_column(ColumnDef::new(column).string().null())
                        .to_owned(),
                )
                .await?;
        }
        for column in [ChangeFeed::Language, ChangeFeed::LanguageOp] {
            manager
                .alter_table(
                    Table::alter()
                        .table(ChangeFeed::Table)
                        .add_column(ColumnDef::new(column).string().null())
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [ContentChange::Language, ContentChange::LanguageOp] {
            manager
                .alter_table(
                    Table::alter()
                        .table(ContentChange::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        for column in [ChangeFeed::Language, ChangeFeed::LanguageOp] {
            manager
                .alter_table(
                    Table::alter()
                        .table(ChangeFeed::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
