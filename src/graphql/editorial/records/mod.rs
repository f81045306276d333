//! Editors' writes of the other content: fields of work, countries, units
//! (`closeOrgUnit`), chairpersonships, people with their roles, meetings.
//! Each is public once saved (`write` and `publish`); a deletion needs
//! `delete` and is refused while anything refers to the record.

mod types;

use async_graphql::{Context, Object};
use serde_json::{Map, Value};

use types::{
    ChairpersonshipInput, ChairpersonshipPayload, CountryInput, CountryPayload, DeletedRecord,
    FieldOfWorkInput, FieldOfWorkPayload, MeetingInput, MeetingPayload, OrgUnitInput,
    OrgUnitPayload, PersonInput, PersonPayload,
};

use super::{Edited, editor};
use crate::graphql::error::{NOT_FOUND, coded, internal};
use crate::graphql::scalars::Date;
use crate::graphql::types::{Chairpersonship, Country, FieldOfWork, Meeting, OrgUnit, Person};
use crate::model::RecordKind;
use crate::service::editorial::records::{self, EditorialRecord};
use crate::storage::{meetings, people, structure, taxonomy};

fn db<'a>(ctx: &Context<'a>) -> &'a sea_orm::DatabaseConnection {
    &crate::graphql::context::state(ctx).db
}

async fn save(
    ctx: &Context<'_>,
    kind: RecordKind,
    key: Option<&str>,
    expected: Option<i64>,
    fields: Map<String, Value>,
) -> async_graphql::Result<EditorialRecord> {
    let editor = editor(ctx);
    records::save(
        db(ctx),
        &editor.actor,
        kind,
        key,
        expected,
        &fields,
        false,
        editor.clock.now(),
    )
    .await
    .edited()
}

async fn delete(
    ctx: &Context<'_>,
    kind: RecordKind,
    key: String,
    expected: i64,
) -> async_graphql::Result<DeletedRecord> {
    let editor = editor(ctx);
    let deleted_version = records::delete(
        db(ctx),
        &editor.actor,
        kind,
        &key,
        expected,
        editor.clock.now(),
    )
    .await
    .edited()?;
    Ok(DeletedRecord {
        key,
        deleted_version,
    })
}

fn gone(key: &str) -> async_graphql::Error {
    coded(NOT_FOUND, format!("`{key}` is gone"))
}

/// The read type of a record just saved.
async fn read<T, M>(
    found: Result<Option<M>, sea_orm::DbErr>,
    key: &str,
    wrap: impl FnOnce(M) -> T,
) -> async_graphql::Result<T> {
    match found {
        Ok(Some(model)) => Ok(wrap(model)),
        Ok(None) => Err(gone(key)),
        Err(error) => Err(internal(&error)),
    }
}

/// Editors' writes of everything but press releases.
#[derive(Default)]
pub struct RecordMutation;

#[Object]
impl RecordMutation {
    /// Creates a field of work (scopes `write` and `publish`).
    async fn create_field_of_work(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its fields.")] input: FieldOfWorkInput,
    ) -> async_graphql::Result<FieldOfWorkPayload> {
        let saved = save(ctx, RecordKind::FieldOfWork, None, None, input.fields()).await?;
        let field_of_work = read(
            taxonomy::field_of_work_by_slug(db(ctx), &saved.key).await,
            &saved.key,
            FieldOfWork,
        )
        .await?;
        Ok(FieldOfWorkPayload {
            field_of_work,
            version: saved.version,
        })
    }
    /// Changes a field of work (scopes `write` and `publish`); only the fields given change.
    async fn update_field_of_work(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its slug.")] slug: String,
        #[graphql(desc = "The version changed.")] expected_version: i64,
        #[graphql(desc = "The fields to change.")] input: FieldOfWorkInput,
    ) -> async_graphql::Result<FieldOfWorkPayload> {
        let saved = save(
            ctx,
            RecordKind::FieldOfWork,
            Some(&slug),
            Some(expected_version),
            input.fields(),
        )
        .await?;
        let field_of_work = read(
            taxonomy::field_of_work_by_slug(db(ctx), &saved.key).await,
            &saved.key,
            FieldOfWork,
        )
        .await?;
        Ok(FieldOfWorkPayload {
            field_of_work,
            version: saved.version,
        })
    }
    /// Deletes a field of work (scope `delete`); refused while anything refers to it.
    async fn delete_field_of_work(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its slug.")] slug: String,
        #[graphql(desc = "The version deleted.")] expected_version: i64,
    ) -> async_graphql::Result<DeletedRecord> {
        delete(ctx, RecordKind::FieldOfWork, slug, expected_version).await
    }

    /// Creates a country (scopes `write` and `publish`).
    async fn create_country(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its fields.")] input: CountryInput,
    ) -> async_graphql::Result<CountryPayload> {
        let saved = save(ctx, RecordKind::Country, None, None, input.fields()).await?;
        let country = read(
            taxonomy::country_by_code(db(ctx), &saved.key).await,
            &saved.key,
            Country,
        )
        .await?;
        Ok(CountryPayload {
            country,
            version: saved.version,
        })
    }
    /// Changes a country (scopes `write` and `publish`); only the fields given change.
    async fn update_country(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its code.")] code: String,
        #[graphql(desc = "The version changed.")] expected_version: i64,
        #[graphql(desc = "The fields to change.")] input: CountryInput,
    ) -> async_graphql::Result<CountryPayload> {
        let saved = save(
            ctx,
            RecordKind::Country,
            Some(&code),
            Some(expected_version),
            input.fields(),
        )
        .await?;
        let country = read(
            taxonomy::country_by_code(db(ctx), &saved.key).await,
            &saved.key,
            Country,
        )
        .await?;
        Ok(CountryPayload {
            country,
            version: saved.version,
        })
    }
    /// Deletes a country (scope `delete`); refused while anything refers to it.
    async fn delete_country(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its code.")] code: String,
        #[graphql(desc = "The version deleted.")] expected_version: i64,
    ) -> async_graphql::Result<DeletedRecord> {
        delete(ctx, RecordKind::Country, code, expected_version).await
    }

    /// Creates a unit (scopes `write` and `publish`).
    async fn create_org_unit(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its fields.")] input: OrgUnitInput,
    ) -> async_graphql::Result<OrgUnitPayload> {
        let saved = save(ctx, RecordKind::OrgUnit, None, None, input.fields()).await?;
        let org_unit = read(
            structure::org_unit_by_slug(db(ctx), &saved.key).await,
            &saved.key,
            OrgUnit,
        )
        .await?;
        Ok(OrgUnitPayload {
            org_unit,
            version: saved.version,
        })
    }
    /// Changes a unit (scopes `write` and `publish`); only the fields given change.
    async fn update_org_unit(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its slug.")] slug: String,
        #[graphql(desc = "The version changed.")] expected_version: i64,
        #[graphql(desc = "The fields to change.")] input: OrgUnitInput,
    ) -> async_graphql::Result<OrgUnitPayload> {
        let saved = save(
            ctx,
            RecordKind::OrgUnit,
            Some(&slug),
            Some(expected_version),
            input.fields(),
        )
        .await?;
        let org_unit = read(
            structure::org_unit_by_slug(db(ctx), &saved.key).await,
            &saved.key,
            OrgUnit,
        )
        .await?;
        Ok(OrgUnitPayload {
            org_unit,
            version: saved.version,
        })
    }
    /// Closes a unit on a day (scopes `write` and `publish`): it stays, with
    /// its history, and is no longer open from the next day.
    async fn close_org_unit(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its slug.")] slug: String,
        #[graphql(desc = "The version closed.")] expected_version: i64,
        #[graphql(desc = "Its last day.")] on: Date,
    ) -> async_graphql::Result<OrgUnitPayload> {
        let input = OrgUnitInput::closing(on);
        let saved = save(
            ctx,
            RecordKind::OrgUnit,
            Some(&slug),
            Some(expected_version),
            input.fields(),
        )
        .await?;
        let org_unit = read(
            structure::org_unit_by_slug(db(ctx), &saved.key).await,
            &saved.key,
            OrgUnit,
        )
        .await?;
        Ok(OrgUnitPayload {
            org_unit,
            version: saved.version,
        })
    }
    /// Deletes a unit (scope `delete`); refused while anything refers to it
    /// (close it instead to keep its history).
    async fn delete_org_unit(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its slug.")] slug: String,
        #[graphql(desc = "The version deleted.")] expected_version: i64,
    ) -> async_graphql::Result<DeletedRecord> {
        delete(ctx, RecordKind::OrgUnit, slug, expected_version).await
    }

    /// Creates a year's Chairpersonship (scopes `write` and `publish`).
    async fn create_chairpersonship(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its fields.")] input: ChairpersonshipInput,
    ) -> async_graphql::Result<ChairpersonshipPayload> {
        let saved = save(ctx, RecordKind::Chairpersonship, None, None, input.fields()).await?;
        chairpersonship_payload(ctx, saved).await
    }
    /// Changes a Chairpersonship (scopes `write` and `publish`).
    async fn update_chairpersonship(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its year.")] year: i32,
        #[graphql(desc = "The version changed.")] expected_version: i64,
        #[graphql(desc = "The fields to change.")] input: ChairpersonshipInput,
    ) -> async_graphql::Result<ChairpersonshipPayload> {
        let saved = save(
            ctx,
            RecordKind::Chairpersonship,
            Some(&year.to_string()),
            Some(expected_version),
            input.fields(),
        )
        .await?;
        chairpersonship_payload(ctx, saved).await
    }
    /// Deletes a Chairpersonship (scope `delete`).
    async fn delete_chairpersonship(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its year.")] year: i32,
        #[graphql(desc = "The version deleted.")] expected_version: i64,
    ) -> async_graphql::Result<DeletedRecord> {
        delete(
            ctx,
            RecordKind::Chairpersonship,
            year.to_string(),
            expected_version,
        )
        .await
    }

    /// Creates a person with their roles (scopes `write` and `publish`).
    async fn create_person(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Their fields.")] input: PersonInput,
    ) -> async_graphql::Result<PersonPayload> {
        let saved = save(ctx, RecordKind::Person, None, None, input.fields()).await?;
        let person = read(
            people::model_by_slug(db(ctx), &saved.key).await,
            &saved.key,
            Person,
        )
        .await?;
        Ok(PersonPayload {
            person,
            version: saved.version,
        })
    }
    /// Changes a person (scopes `write` and `publish`); `roles`, if given,
    /// replaces their whole list.
    async fn update_person(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Their slug.")] slug: String,
        #[graphql(desc = "The version changed.")] expected_version: i64,
        #[graphql(desc = "The fields to change.")] input: PersonInput,
    ) -> async_graphql::Result<PersonPayload> {
        let saved = save(
            ctx,
            RecordKind::Person,
            Some(&slug),
            Some(expected_version),
            input.fields(),
        )
        .await?;
        let person = read(
            people::model_by_slug(db(ctx), &saved.key).await,
            &saved.key,
            Person,
        )
        .await?;
        Ok(PersonPayload {
            person,
            version: saved.version,
        })
    }
    /// Deletes a person and their roles (scope `delete`); refused while a
    /// release names them.
    async fn delete_person(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Their slug.")] slug: String,
        #[graphql(desc = "The version deleted.")] expected_version: i64,
    ) -> async_graphql::Result<DeletedRecord> {
        delete(ctx, RecordKind::Person, slug, expected_version).await
    }

    /// Creates a meeting (scopes `write` and `publish`).
    async fn create_meeting(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its fields.")] input: MeetingInput,
    ) -> async_graphql::Result<MeetingPayload> {
        let saved = save(ctx, RecordKind::Meeting, None, None, input.fields()).await?;
        let meeting = read(
            meetings::model_by_slug(db(ctx), &saved.key).await,
            &saved.key,
            Meeting,
        )
        .await?;
        Ok(MeetingPayload {
            meeting,
            version: saved.version,
        })
    }
    /// Changes a meeting (scopes `write` and `publish`); only the fields given change.
    async fn update_meeting(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its slug.")] slug: String,
        #[graphql(desc = "The version changed.")] expected_version: i64,
        #[graphql(desc = "The fields to change.")] input: MeetingInput,
    ) -> async_graphql::Result<MeetingPayload> {
        let saved = save(
            ctx,
            RecordKind::Meeting,
            Some(&slug),
            Some(expected_version),
            input.fields(),
        )
        .await?;
        let meeting = read(
            meetings::model_by_slug(db(ctx), &saved.key).await,
            &saved.key,
            Meeting,
        )
        .await?;
        Ok(MeetingPayload {
            meeting,
            version: saved.version,
        })
    }
    /// Deletes a meeting (scope `delete`); refused while a release names it.
    async fn delete_meeting(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its slug.")] slug: String,
        #[graphql(desc = "The version deleted.")] expected_version: i64,
    ) -> async_graphql::Result<DeletedRecord> {
        delete(ctx, RecordKind::Meeting, slug, expected_version).await
    }
}

async fn chairpersonship_payload(
    ctx: &Context<'_>,
    saved: EditorialRecord,
) -> async_graphql::Result<ChairpersonshipPayload> {
    let year: i32 = saved.key.parse().map_err(|_| gone(&saved.key))?;
    let chairpersonship = read(
        structure::chairpersonship_of_year(db(ctx), year).await,
        &saved.key,
        Chairpersonship,
    )
    .await?;
    Ok(ChairpersonshipPayload {
        chairpersonship,
        version: saved.version,
    })
}
