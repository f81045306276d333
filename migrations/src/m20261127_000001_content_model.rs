//! The content model: taxonomy, organisational structure, people and roles,
//! meetings, press releases with their relations and translations.
//!
//! Every table has `updated_at` so that a changes feed and HTTP validators can
//! be built on it. Junction tables carry the release date (`release_date`)
//! so that "releases in field X, newest first" is served by one index range
//! scan instead of a join over the whole corpus, and a `position` so that the
//! order an editor gave (e.g. the people in order of mention) survives a
//! round trip.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum FieldOfWork {
    Table,
    Id,
    Slug,
    Name,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Country {
    Table,
    Id,
    Code,
    Slug,
    Name,
    Status,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum OrgUnit {
    Table,
    Id,
    Slug,
    Name,
    Kind,
    ParentId,
    CountryId,
    ClosedOn,
    Description,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Chairpersonship {
    Table,
    Year,
    CountryId,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Person {
    Table,
    Id,
    Slug,
    Name,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Role {
    Table,
    PersonId,
    OrgUnitId,
    Title,
    CountryId,
    FromDate,
    ToDate,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Meeting {
    Table,
    Id,
    Slug,
    Title,
    Kind,
    StartDate,
    EndDate,
    Place,
    CountryId,
    OrgUnitId,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum MeetingFieldOfWork {
    Table,
    MeetingId,
    FieldOfWorkId,
    Position,
}

#[derive(DeriveIden)]
enum PressRelease {
    Table,
    Id,
    Slug,
    Title,
    Date,
    Place,
    SourceId,
    Language,
    Summary,
    BodyHtml,
    BodyText,
    PublishedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PressReleaseTranslation {
    Table,
    PressReleaseId,
    Language,
    Title,
    Summary,
    BodyHtml,
    BodyText,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AppState {
    Table,
    Key,
    Value,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Junction {
    PressReleaseId,
    ReleaseDate,
    Position,
}

fn id() -> ColumnDef {
    ColumnDef::new(Alias::new("id"))
        .big_integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .take()
}

/// A unique, human-readable key (slug or code). On PostgreSQL it gets the
/// "C" collation: byte order, as on SQLite, so keyset paging and export
/// order are the same on both backends (and hyphens are not ignored).
fn key<T: IntoIden>(manager: &SchemaManager<'_>, name: T) -> ColumnDef {
    let mut col = ColumnDef::new(name).string().not_null().unique_key().take();
    if manager.get_database_backend() == sea_orm::DbBackend::Postgres {
        col.extra("COLLATE \"C\"");
    }
    col
}

fn updated_at<T: IntoIden>(name: T) -> ColumnDef {
    ColumnDef::new(name)
        .timestamp_with_time_zone()
        .not_null()
        .take()
}

fn fk(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(on_delete)
        .on_update(ForeignKeyAction::Cascade)
        .take()
}

fn index(name: &str, table: impl IntoIden, columns: &[&str]) -> IndexCreateStatement {
    let mut stmt = Index::create().name(name).table(table).take();
    for c in columns {
        stmt.col(Alias::new(*c));
    }
    stmt
}

/// A press release's many-to-many relation: (release, target) is the key; the
/// reverse index (target, release_date, release) serves "releases of X, by date".
async fn create_release_junction(
    manager: &SchemaManager<'_>,
    table: &str,
    target_col: &str,
    target_table: &str,
) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Alias::new(table))
                .col(
                    ColumnDef::new(Junction::PressReleaseId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Alias::new(target_col))
                        .big_integer()
                        .not_null(),
                )
                .col(ColumnDef::new(Junction::ReleaseDate).date().not_null())
                .col(
                    ColumnDef::new(Junction::Position)
                        .small_integer()
                        .not_null(),
                )
                .primary_key(
                    Index::create()
                        .col(Junction::PressReleaseId)
                        .col(Alias::new(target_col)),
                )
                .foreign_key(&mut fk(
                    &format!("fk_{table}_press_release"),
                    (Alias::new(table), Junction::PressReleaseId),
                    (PressRelease::Table, PressRelease::Id),
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    &format!("fk_{table}_target"),
                    (Alias::new(table), Alias::new(target_col)),
                    (Alias::new(target_table), Alias::new("id")),
                    ForeignKeyAction::Restrict,
                ))
                .to_owned(),
        )
        .await?;
    manager
        .create_index(index(
            &format!("ix_{table}_by_target_date"),
            Alias::new(table),
            &[target_col, "release_date", "press_release_id"],
        ))
        .await
}

/// Release junctions: (table, target column, target table).
pub(crate) const RELEASE_JUNCTIONS: [(&str, &str, &str); 4] = [
    (
        "press_release_field_of_work",
        "field_of_work_id",
        "field_of_work",
    ),
    ("press_release_country", "country_id", "country"),
    ("press_release_person", "person_id", "person"),
    ("press_release_meeting", "meeting_id", "meeting"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(FieldOfWork::Table)
                    .col(id())
                    .col(key(manager, FieldOfWork::Slug))
                    .col(ColumnDef::new(FieldOfWork::Name).string().not_null())
                    .col(updated_at(FieldOfWork::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Country::Table)
                    .col(id())
                    .col(key(manager, Country::Code))
                    .col(key(manager, Country::Slug))
                    .col(ColumnDef::new(Country::Name).string().not_null())
                    .col(ColumnDef::new(Country::Status).string().not_null())
                    .col(updated_at(Country::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(OrgUnit::Table)
                    .col(id())
                    .col(key(manager, OrgUnit::Slug))
                    .col(ColumnDef::new(OrgUnit::Name).string().not_null())
                    .col(ColumnDef::new(OrgUnit::Kind).string().not_null())
                    .col(ColumnDef::new(OrgUnit::ParentId).big_integer().null())
                    .col(ColumnDef::new(OrgUnit::CountryId).big_integer().null())
                    .col(ColumnDef::new(OrgUnit::ClosedOn).date().null())
                    .col(ColumnDef::new(OrgUnit::Description).text().null())
                    .col(updated_at(OrgUnit::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_org_unit_parent",
                        (OrgUnit::Table, OrgUnit::ParentId),
                        (OrgUnit::Table, OrgUnit::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_org_unit_country",
                        (OrgUnit::Table, OrgUnit::CountryId),
                        (Country::Table, Country::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("ix_org_unit_parent", OrgUnit::Table, &["parent_id"]))
            .await?;
        manager
            .create_index(index(
                "ix_org_unit_country",
                OrgUnit::Table,
                &["country_id"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Chairpersonship::Table)
                    .col(id())
                    .col(
                        ColumnDef::new(Chairpersonship::Year)
                            .integer()
                            .not_null()
                            .unique_key(),
                    )
                    .col(
                        ColumnDef::new(Chairpersonship::CountryId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(updated_at(Chairpersonship::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_chairpersonship_country",
                        (Chairpersonship::Table, Chairpersonship::CountryId),
                        (Country::Table, Country::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_chairpersonship_country",
                Chairpersonship::Table,
                &["country_id"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Person::Table)
                    .col(id())
                    .col(key(manager, Person::Slug))
                    .col(ColumnDef::new(Person::Name).string().not_null())
                    .col(updated_at(Person::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("ix_person_name", Person::Table, &["name", "id"]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Role::Table)
                    .col(id())
                    .col(ColumnDef::new(Role::PersonId).big_integer().not_null())
                    .col(ColumnDef::new(Role::OrgUnitId).big_integer().not_null())
                    .col(ColumnDef::new(Role::Title).string().not_null())
                    .col(ColumnDef::new(Role::CountryId).big_integer().null())
                    .col(ColumnDef::new(Role::FromDate).date().not_null())
                    .col(ColumnDef::new(Role::ToDate).date().null())
                    .col(updated_at(Role::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_role_person",
                        (Role::Table, Role::PersonId),
                        (Person::Table, Person::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_role_org_unit",
                        (Role::Table, Role::OrgUnitId),
                        (OrgUnit::Table, OrgUnit::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_role_country",
                        (Role::Table, Role::CountryId),
                        (Country::Table, Country::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        // A role is identified by who held which title where, from when.
        manager
            .create_index(
                index(
                    "ux_role_key",
                    Role::Table,
                    &["person_id", "org_unit_id", "title", "from_date"],
                )
                .unique()
                .take(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_role_org_unit",
                Role::Table,
                &["org_unit_id", "from_date"],
            ))
            .await?;
        manager
            .create_index(index("ix_role_country", Role::Table, &["country_id"]))
            .await?;
        manager
            .create_index(index("ix_role_title", Role::Table, &["title"]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Meeting::Table)
                    .col(id())
                    .col(key(manager, Meeting::Slug))
                    .col(ColumnDef::new(Meeting::Title).string().not_null())
                    .col(ColumnDef::new(Meeting::Kind).string().not_null())
                    .col(ColumnDef::new(Meeting::StartDate).date().not_null())
                    .col(ColumnDef::new(Meeting::EndDate).date().not_null())
                    .col(ColumnDef::new(Meeting::Place).string().null())
                    .col(ColumnDef::new(Meeting::CountryId).big_integer().null())
                    .col(ColumnDef::new(Meeting::OrgUnitId).big_integer().null())
                    .col(updated_at(Meeting::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_meeting_country",
                        (Meeting::Table, Meeting::CountryId),
                        (Country::Table, Country::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_meeting_org_unit",
                        (Meeting::Table, Meeting::OrgUnitId),
                        (OrgUnit::Table, OrgUnit::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_meeting_start",
                Meeting::Table,
                &["start_date", "id"],
            ))
            .await?;
        manager
            .create_index(index(
                "ix_meeting_kind",
                Meeting::Table,
                &["kind", "start_date", "id"],
            ))
            .await?;
        manager
            .create_index(index(
                "ix_meeting_country",
                Meeting::Table,
                &["country_id", "start_date"],
            ))
            .await?;
        manager
            .create_index(index(
                "ix_meeting_org_unit",
                Meeting::Table,
                &["org_unit_id", "start_date"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(MeetingFieldOfWork::Table)
                    .col(
                        ColumnDef::new(MeetingFieldOfWork::MeetingId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(MeetingFieldOfWork::FieldOfWorkId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(MeetingFieldOfWork::Position)
                            .small_integer()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(MeetingFieldOfWork::MeetingId)
                            .col(MeetingFieldOfWork::FieldOfWorkId),
                    )
                    .foreign_key(&mut fk(
                        "fk_meeting_field_of_work_meeting",
                        (MeetingFieldOfWork::Table, MeetingFieldOfWork::MeetingId),
                        (Meeting::Table, Meeting::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_meeting_field_of_work_target",
                        (MeetingFieldOfWork::Table, MeetingFieldOfWork::FieldOfWorkId),
                        (FieldOfWork::Table, FieldOfWork::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_meeting_field_of_work_by_target",
                MeetingFieldOfWork::Table,
                &["field_of_work_id", "meeting_id"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(PressRelease::Table)
                    .col(id())
                    .col(key(manager, PressRelease::Slug))
                    .col(ColumnDef::new(PressRelease::Title).text().not_null())
                    .col(ColumnDef::new(PressRelease::Date).date().not_null())
                    .col(ColumnDef::new(PressRelease::Place).string().null())
                    .col(
                        ColumnDef::new(PressRelease::SourceId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(PressRelease::Language).string().not_null())
                    .col(ColumnDef::new(PressRelease::Summary).text().null())
                    .col(ColumnDef::new(PressRelease::BodyHtml).text().not_null())
                    .col(ColumnDef::new(PressRelease::BodyText).text().not_null())
                    .col(
                        ColumnDef::new(PressRelease::PublishedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(updated_at(PressRelease::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_press_release_source",
                        (PressRelease::Table, PressRelease::SourceId),
                        (OrgUnit::Table, OrgUnit::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_press_release_date",
                PressRelease::Table,
                &["date", "id"],
            ))
            .await?;
        manager
            .create_index(index(
                "ix_press_release_source_date",
                PressRelease::Table,
                &["source_id", "date", "id"],
            ))
            .await?;
        manager
            .create_index(index(
                "ix_press_release_language_date",
                PressRelease::Table,
                &["language", "date", "id"],
            ))
            .await?;
        manager
            .create_index(index(
                "ix_press_release_title",
                PressRelease::Table,
                &["title", "id"],
            ))
            .await?;
        manager
            .create_index(index(
                "ix_press_release_updated",
                PressRelease::Table,
                &["updated_at", "id"],
            ))
            .await?;

        for (table, target_col, target_table) in RELEASE_JUNCTIONS {
            create_release_junction(manager, table, target_col, target_table).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(PressReleaseTranslation::Table)
                    .col(
                        ColumnDef::new(PressReleaseTranslation::PressReleaseId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(PressReleaseTranslation::Language)
                            .string()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(PressReleaseTranslation::Title)
                            .text()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(PressReleaseTranslation::Summary)
                            .text()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(PressReleaseTranslation::BodyHtml)
                            .text()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(PressReleaseTranslation::BodyText)
                            .text()
                            .not_null(),
                    )
                    .col(updated_at(PressReleaseTranslation::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(PressReleaseTranslation::PressReleaseId)
                            .col(PressReleaseTranslation::Language),
                    )
                    .foreign_key(&mut fk(
                        "fk_press_release_translation_release",
                        (
                            PressReleaseTranslation::Table,
                            PressReleaseTranslation::PressReleaseId,
                        ),
                        (PressRelease::Table, PressRelease::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AppState::Table)
                    .col(
                        ColumnDef::new(AppState::Key)
                            .string()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(AppState::Value).text().not_null())
                    .col(updated_at(AppState::UpdatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Children before parents, so foreign keys never block a drop.
        let mut tables: Vec<DynIden> = vec![
            AppState::Table.into_iden(),
            PressReleaseTranslation::Table.into_iden(),
        ];
        tables.extend(
            RELEASE_JUNCTIONS
                .iter()
                .map(|(t, _, _)| Alias::new(*t).into_iden()),
        );
        tables.extend([
            PressRelease::Table.into_iden(),
            MeetingFieldOfWork::Table.into_iden(),
            Meeting::Table.into_iden(),
            Role::Table.into_iden(),
            Person::Table.into_iden(),
            Chairpersonship::Table.into_iden(),
            OrgUnit::Table.into_iden(),
            Country::Table.into_iden(),
            FieldOfWork::Table.into_iden(),
        ]);
        for table in tables {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
