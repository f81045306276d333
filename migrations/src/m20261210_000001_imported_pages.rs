//! Pages imported from the website (`osce-api import-pages`): each
//! identity of a page (its node id, `node:467415`, and its canonical
//! address) names the release it was imported into, and the language of the
//! page (a translation's page names its release and its language). A page
//! imported again finds its release here, whatever its title has become.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ImportedPage {
    Table,
    Identity,
    Slug,
    Language,
    ImportedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ImportedPage::Table)
                    .col(
                        ColumnDef::new(ImportedPage::Identity)
                            .string()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(ImportedPage::Slug).string().not_null())
                    .col(ColumnDef::new(ImportedPage::Language).string().not_null())
                    .col(
                        ColumnDef::new(ImportedPage::ImportedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        // Whether a slug came from another page (two pages, one title).
        manager
            .create_index(
                Index::create()
                    .name("imported_page_slug")
                    .table(ImportedPage::Table)
                    .col(ImportedPage::Slug)
                    .col(ImportedPage::Language)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ImportedPage::Table).to_owned())
            .await
    }
}
