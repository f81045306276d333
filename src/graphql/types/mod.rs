//! The public GraphQL types. They wrap storage rows but choose their own
//! names and shapes, documented here (the docs become the SDL's descriptions).

mod meeting;
mod people;
mod release;
mod structure;
mod taxonomy;

pub use meeting::Meeting;
pub use people::{Person, Role};
pub use release::PressRelease;
pub use structure::{Chairpersonship, OrgUnit, is_open as structure_is_open};
pub use taxonomy::{Country, FieldOfWork};

use async_graphql::{Context, ID, Interface};

use super::context::loader;
use super::error::OrInternal;
use super::loaders;

/// Anything with a global ID, fetchable with `node(id:)`.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID", desc = "Opaque, stable global ID."))]
pub enum Node {
    PressRelease(PressRelease),
    Meeting(Meeting),
    Person(Person),
    OrgUnit(OrgUnit),
    FieldOfWork(FieldOfWork),
    Country(Country),
    Chairpersonship(Chairpersonship),
}

pub async fn load_unit(ctx: &Context<'_>, id: i64) -> async_graphql::Result<Option<OrgUnit>> {
    Ok(loader(ctx)
        .load_one(loaders::OrgUnitId(id))
        .await
        .or_internal()?
        .map(OrgUnit))
}

pub async fn load_country(
    ctx: &Context<'_>,
    id: Option<i64>,
) -> async_graphql::Result<Option<Country>> {
    match id {
        Some(id) => Ok(loader(ctx)
            .load_one(loaders::CountryId(id))
            .await
            .or_internal()?
            .map(Country)),
        None => Ok(None),
    }
}

pub async fn load_fields(
    ctx: &Context<'_>,
    ids: &[i64],
) -> async_graphql::Result<Vec<FieldOfWork>> {
    let found = loader(ctx)
        .load_many(ids.iter().map(|&id| loaders::FieldOfWorkId(id)))
        .await
        .or_internal()?;
    Ok(ids
        .iter()
        .filter_map(|&id| {
            found
                .get(&loaders::FieldOfWorkId(id))
                .cloned()
                .map(FieldOfWork)
        })
        .collect())
}
