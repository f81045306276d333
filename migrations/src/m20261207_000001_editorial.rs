//! Editorial writes: press releases get a publication status and a version,
//! and the write side gets its own tables: API keys (stored hashed), the
//! revisions of every save, an append-only audit log, and the answers kept
//! for idempotent retries.
//!
//! `status`: `draft`, `scheduled` (public from `publish_at`), `published`
//! or `unpublished`. Only `published` rows are public; a scheduled row
//! becomes published, by whichever replica first reads the content version
//! after its time (see `service::editorial::schedule`), which the partial
//! index on `publish_at` makes one cheap lookup. Rows stored before this
//! migration were public: they are `published`, at version 1.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PressRelease {
    Table,
    Status,
    PublishAt,
    Version,
}

#[derive(DeriveIden)]
enum ApiKey {
    Table,
    Name,
    Prefix,
    SecretHash,
    Scopes,
    CreatedAt,
    ExpiresAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum Revision {
    Table,
    Kind,
    Key,
    Version,
    Action,
    Actor,
    Changed,
    Record,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    At,
    Actor,
    Origin,
    Action,
    Kind,
    Key,
    VersionFrom,
    VersionTo,
    RequestId,
}

#[derive(DeriveIden)]
enum IdempotencyKey {
    Table,
    Actor,
    Key,
    RequestHash,
    Status,
    Response,
    CreatedAt,
}

fn id() -> ColumnDef {
    ColumnDef::new(Alias::new("id"))
        .big_integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite takes one added column per statement.
        for column in [
            ColumnDef::new(PressRelease::Status)
                .string()
                .not_null()
                .default("published")
                .take(),
            ColumnDef::new(PressRelease::PublishAt)
                .timestamp_with_time_zone()
                .null()
                .take(),
            ColumnDef::new(PressRelease::Version)
                .big_integer()
                .not_null()
                .default(1)
                .take(),
        ] {
            let mut column = column;
            manager
                .alter_table(
                    Table::alter()
                        .table(PressRelease::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE INDEX press_release_scheduled ON press_release (publish_at) \
                 WHERE status = 'scheduled'",
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ApiKey::Table)
                    .col(id())
                    .col(
                        ColumnDef::new(ApiKey::Name)
                            .string()
                            .not_null()
                            .unique_key(),
                    )
                    .col(
                        ColumnDef::new(ApiKey::Prefix)
                            .string()
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(ApiKey::SecretHash).string().not_null())
                    .col(ColumnDef::new(ApiKey::Scopes).string().not_null())
                    .col(
                        ColumnDef::new(ApiKey::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ApiKey::ExpiresAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(ApiKey::RevokedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Revision::Table)
                    .col(id())
                    .col(ColumnDef::new(Revision::Kind).string().not_null())
                    .col(ColumnDef::new(Revision::Key).string().not_null())
                    .col(ColumnDef::new(Revision::Version).big_integer().not_null())
                    .col(ColumnDef::new(Revision::Action).string().not_null())
                    .col(ColumnDef::new(Revision::Actor).string().not_null())
                    .col(ColumnDef::new(Revision::Changed).text().not_null())
                    .col(ColumnDef::new(Revision::Record).text().not_null())
                    .col(
                        ColumnDef::new(Revision::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("revision_of_record")
                    .table(Revision::Table)
                    .col(Revision::Kind)
                    .col(Revision::Key)
                    .col(Revision::Version)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(id())
                    .col(
                        ColumnDef::new(AuditLog::At)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(AuditLog::Actor).string().not_null())
                    .col(ColumnDef::new(AuditLog::Origin).string().not_null())
                    .col(ColumnDef::new(AuditLog::Action).string().not_null())
                    .col(ColumnDef::new(AuditLog::Kind).string().not_null())
                    .col(ColumnDef::new(AuditLog::Key).string().not_null())
                    .col(ColumnDef::new(AuditLog::VersionFrom).big_integer().null())
                    .col(ColumnDef::new(AuditLog::VersionTo).big_integer().null())
                    .col(ColumnDef::new(AuditLog::RequestId).string().null())
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(IdempotencyKey::Table)
                    .col(ColumnDef::new(IdempotencyKey::Actor).string().not_null())
                    .col(ColumnDef::new(IdempotencyKey::Key).string().not_null())
                    .col(
                        ColumnDef::new(IdempotencyKey::RequestHash)
                            .string()
                            .not_null(),
                    )
                    .col(ColumnDef::new(IdempotencyKey::Status).integer().not_null())
                    .col(ColumnDef::new(IdempotencyKey::Response).text().not_null())
                    .col(
                        ColumnDef::new(IdempotencyKey::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(IdempotencyKey::Actor)
                            .col(IdempotencyKey::Key),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            IdempotencyKey::Table.into_iden(),
            AuditLog::Table.into_iden(),
            Revision::Table.into_iden(),
            ApiKey::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        manager
            .get_connection()
            .execute_unprepared("DROP INDEX press_release_scheduled")
            .await?;
        for column in [
            PressRelease::Version.into_iden(),
            PressRelease::PublishAt.into_iden(),
            PressRelease::Status.into_iden(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(PressRelease::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
