//! The change log: one row per record a write created, changed or deleted,
//! numbered without gaps in commit order. Its last number is the content's
//! version (it replaces the `content_generation` state entry); replicas
//! follow it to update what they derive from the content.
//!
//! Gap-free on PostgreSQL too: a writer takes its numbers by updating the
//! single row of `content_change_counter` inside its transaction, so the
//! next writer waits on that row lock until the first commits (or rolls
//! back, giving its numbers back). A reader that saw number N can never
//! later find a smaller one committing.
//!
//! `record_id` is the row id the record had (for press releases): a replica
//! removes a deleted release from its index by id, without knowing slugs.
//!
//! `press_release.content_hash` lets an import skip releases stored exactly
//! so (a re-import that changes nothing appends nothing). Rows stored before
//! this migration have none and count as changed once.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ContentChange {
    Table,
    Seq,
    Kind,
    Key,
    RecordId,
    Op,
    ChangedAt,
}

#[derive(DeriveIden)]
enum ContentChangeCounter {
    Table,
    Id,
    LastSeq,
}

#[derive(DeriveIden)]
enum PressRelease {
    Table,
    ContentHash,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ContentChange::Table)
                    .col(
                        ColumnDef::new(ContentChange::Seq)
                            .big_integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(ContentChange::Kind).string().not_null())
                    .col(ColumnDef::new(ContentChange::Key).string().not_null())
                    .col(ColumnDef::new(ContentChange::RecordId).big_integer().null())
                    .col(ColumnDef::new(ContentChange::Op).string().not_null())
                    .col(
                        ColumnDef::new(ContentChange::ChangedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ContentChangeCounter::Table)
                    .col(
                        ColumnDef::new(ContentChangeCounter::Id)
                            .integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(ContentChangeCounter::LastSeq)
                            .big_integer()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(ContentChangeCounter::Table)
                    .columns([ContentChangeCounter::Id, ContentChangeCounter::LastSeq])
                    .values_panic([1.into(), 0.into()])
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(PressRelease::Table)
                    .add_column(
                        ColumnDef::new(PressRelease::ContentHash)
                            .big_integer()
                            .null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(PressRelease::Table)
                    .drop_column(PressRelease::ContentHash)
                    .to_owned(),
            )
            .await?;
        for table in [
            ContentChangeCounter::Table.into_iden(),
            ContentChange::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
