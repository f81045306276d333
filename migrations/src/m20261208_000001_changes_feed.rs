//! The public changes feed and webhooks.
//!
//! `change_feed` holds one row per public record (or tombstone), keyed by
//! kind and key, carrying the number of the change log entry that last
//! touched it: the feed is that table in `seq` order, so a reader starting
//! from nothing sees every public record once, and a record changed while
//! it reads moves past the reader's position and is seen again. Drafts never
//! have a row; a release that stops being public becomes a tombstone.
//! Tombstones older than the retention period are purged, and the highest
//! purged number is kept in `app_state` (`change_feed_purged_through`): a
//! cursor behind it is refused rather than silently missing deletions.
//!
//! `webhook_endpoint` (secrets kept as given: they sign), `webhook_delivery`
//! (one row per endpoint and event, written in the change's transaction;
//! `next_attempt_at` doubles as the claim's lease), `webhook_attempt` (the
//! log of every try).
//!
//! Existing content is carried into the feed from the change log: the last
//! entry of each public record.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ChangeFeed {
    Table,
    Kind,
    Key,
    Seq,
    Op,
    Reason,
    Version,
    ChangedAt,
}

#[derive(DeriveIden)]
enum WebhookEndpoint {
    Table,
    Id,
    Url,
    Description,
    EventTypes,
    Secret,
    PreviousSecret,
    PreviousSecretUntil,
    Active,
    DisabledReason,
    FailingSince,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum WebhookDelivery {
    Table,
    Id,
    EndpointId,
    MessageId,
    EventType,
    Seq,
    Payload,
    Status,
    Attempts,
    NextAttemptAt,
    CreatedAt,
    LastAttemptAt,
    LastStatusCode,
}

#[derive(DeriveIden)]
enum WebhookAttempt {
    Table,
    Id,
    DeliveryId,
    AttemptedAt,
    StatusCode,
    LatencyMs,
    Error,
    Response,
}

fn id<T: IntoIden>(name: T) -> ColumnDef {
    ColumnDef::new(name)
        .big_integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .to_owned()
}

fn at<T: IntoIden>(name: T) -> ColumnDef {
    ColumnDef::new(name)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ChangeFeed::Table)
                    .col(ColumnDef::new(ChangeFeed::Kind).string().not_null())
                    .col(ColumnDef::new(ChangeFeed::Key).string().not_null())
                    .col(ColumnDef::new(ChangeFeed::Seq).big_integer().not_null())
                    .col(ColumnDef::new(ChangeFeed::Op).string().not_null())
                    .col(ColumnDef::new(ChangeFeed::Reason).string().null())
                    .col(ColumnDef::new(ChangeFeed::Version).big_integer().null())
                    .col(at(ChangeFeed::ChangedAt))
                    .primary_key(Index::create().col(ChangeFeed::Kind).col(ChangeFeed::Key))
                    .to_owned(),
            )
            .await?;
        // A page is a range of this index; a type filter a range per kind.
        manager
            .create_index(
                Index::create()
                    .name("change_feed_seq")
                    .table(ChangeFeed::Table)
                    .col(ChangeFeed::Seq)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("change_feed_kind_seq")
                    .table(ChangeFeed::Table)
                    .col(ChangeFeed::Kind)
                    .col(ChangeFeed::Seq)
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE INDEX change_feed_tombstones ON change_feed (changed_at) \
                 WHERE op = 'delete'",
            )
            .await?;
        // Public records already in the change log keep their last number;
        // no tombstones (no mirror can have seen a record before the feed
        // existed). Records older than the log are listed at start-up
        // (`service::changes::complete_feed`).
        let latest = "SELECT kind, key, MAX(seq) AS seq FROM content_change GROUP BY kind, key";
        let revisions =
            "SELECT kind, key, MAX(version) AS version FROM revision GROUP BY kind, key";
        manager
            .get_connection()
            .execute_unprepared(&format!(
                "INSERT INTO change_feed (kind, key, seq, op, reason, version, changed_at) \
                 SELECT c.kind, c.key, c.seq, 'upsert', NULL, \
                        CASE WHEN c.kind <> 'role' THEN COALESCE(r.version, 1) END, c.changed_at \
                 FROM content_change c JOIN ({latest}) l ON l.seq = c.seq \
                 LEFT JOIN ({revisions}) r ON r.kind = c.kind AND r.key = c.key \
                 WHERE c.kind <> 'press_release' AND c.op = 'upsert'"
            ))
            .await?;
        manager
            .get_connection()
            .execute_unprepared(&format!(
                "INSERT INTO change_feed (kind, key, seq, op, reason, version, changed_at) \
                 SELECT c.kind, c.key, c.seq, 'upsert', NULL, p.version, c.changed_at \
                 FROM content_change c JOIN ({latest}) l ON l.seq = c.seq \
                 JOIN press_release p ON p.slug = c.key \
                 WHERE c.kind = 'press_release' AND p.status = 'published'"
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(WebhookEndpoint::Table)
                    .col(id(WebhookEndpoint::Id))
                    .col(ColumnDef::new(WebhookEndpoint::Url).text().not_null())
                    .col(
                        ColumnDef::new(WebhookEndpoint::Description)
                            .text()
                            .not_null()
                            .default(""),
                    )
                    .col(
                        ColumnDef::new(WebhookEndpoint::EventTypes)
                            .text()
                            .not_null(),
                    )
                    .col(ColumnDef::new(WebhookEndpoint::Secret).string().not_null())
                    .col(
                        ColumnDef::new(WebhookEndpoint::PreviousSecret)
                            .string()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(WebhookEndpoint::PreviousSecretUntil)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(ColumnDef::new(WebhookEndpoint::Active).boolean().not_null())
                    .col(
                        ColumnDef::new(WebhookEndpoint::DisabledReason)
                            .text()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(WebhookEndpoint::FailingSince)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(at(WebhookEndpoint::CreatedAt))
                    .col(at(WebhookEndpoint::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WebhookDelivery::Table)
                    .col(id(WebhookDelivery::Id))
                    .col(
                        ColumnDef::new(WebhookDelivery::EndpointId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(WebhookDelivery::MessageId)
                            .string()
                            .not_null()
                            .unique_key(),
                    )
                    .col(
                        ColumnDef::new(WebhookDelivery::EventType)
                            .string()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(WebhookDelivery::Seq)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(WebhookDelivery::Payload).text().not_null())
                    .col(ColumnDef::new(WebhookDelivery::Status).string().not_null())
                    .col(
                        ColumnDef::new(WebhookDelivery::Attempts)
                            .integer()
                            .not_null()
                            .default(0),
                    )
                    .col(at(WebhookDelivery::NextAttemptAt))
                    .col(at(WebhookDelivery::CreatedAt))
                    .col(
                        ColumnDef::new(WebhookDelivery::LastAttemptAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(WebhookDelivery::LastStatusCode)
                            .integer()
                            .null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(WebhookDelivery::Table, WebhookDelivery::EndpointId)
                            .to(WebhookEndpoint::Table, WebhookEndpoint::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // The dispatcher's one query: what is due, oldest first.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE INDEX webhook_delivery_due ON webhook_delivery (next_attempt_at) \
                 WHERE status = 'pending'",
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("webhook_delivery_endpoint_seq")
                    .table(WebhookDelivery::Table)
                    .col(WebhookDelivery::EndpointId)
                    .col(WebhookDelivery::Seq)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("webhook_delivery_created")
                    .table(WebhookDelivery::Table)
                    .col(WebhookDelivery::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WebhookAttempt::Table)
                    .col(id(WebhookAttempt::Id))
                    .col(
                        ColumnDef::new(WebhookAttempt::DeliveryId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(at(WebhookAttempt::AttemptedAt))
                    .col(ColumnDef::new(WebhookAttempt::StatusCode).integer().null())
                    .col(
                        ColumnDef::new(WebhookAttempt::LatencyMs)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(WebhookAttempt::Error).text().null())
                    .col(ColumnDef::new(WebhookAttempt::Response).text().null())
                    .foreign_key(
                        ForeignKey::create()
                            .from(WebhookAttempt::Table, WebhookAttempt::DeliveryId)
                            .to(WebhookDelivery::Table, WebhookDelivery::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("webhook_attempt_delivery")
                    .table(WebhookAttempt::Table)
                    .col(WebhookAttempt::DeliveryId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            WebhookAttempt::Table.into_iden(),
            WebhookDelivery::Table.into_iden(),
            WebhookEndpoint::Table.into_iden(),
            ChangeFeed::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        manager
            .get_connection()
            .execute_unprepared("DELETE FROM app_state WHERE key = 'change_feed_purged_through'")
            .await?;
        Ok(())
    }
}
