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

use std::collections::HashMap;

use async_graphql::{Context, ID, Interface, dataloader::Loader};

use super::context::{catalog, loader, snapshot};
use super::error::OrInternal;
use super::loaders;
use crate::service::index::catalog::Catalog;
use crate::service::index::release_index::Relation;

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
    Ok(catalog(ctx).await?.org_units.get(&id).cloned().map(OrgUnit))
}

pub async fn load_country(
    ctx: &Context<'_>,
    id: Option<i64>,
) -> async_graphql::Result<Option<Country>> {
    match id {
        Some(id) => Ok(catalog(ctx).await?.countries.get(&id).cloned().map(Country)),
        None => Ok(None),
    }
}

/// The catalog rows behind `ids`, in the order of `ids` (missing ones
/// skipped): how every to-many relation keeps its stored order.
pub async fn catalog_in_order<M: Clone, T>(
    ctx: &Context<'_>,
    ids: &[i64],
    table: fn(&Catalog) -> &HashMap<i64, M>,
    wrap: fn(M) -> T,
) -> async_graphql::Result<Vec<T>> {
    let catalog = catalog(ctx).await?;
    let rows = table(catalog);
    Ok(ids
        .iter()
        .filter_map(|id| rows.get(id).cloned().map(wrap))
        .collect())
}

/// The ids a to-many relation of `owner` points at, in stored order.
pub async fn linked_ids<K>(ctx: &Context<'_>, owner: K) -> async_graphql::Result<Vec<i64>>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    loaders::ContentLoader: Loader<K, Value = Vec<i64>, Error = std::sync::Arc<sea_orm::DbErr>>,
{
    Ok(loader(ctx)
        .load_one(owner)
        .await
        .or_internal()?
        .unwrap_or_default())
}

/// The ids a release's `relation` points at, in stored order: from the
/// request's release index, or, for a release written after the index was
/// built, from the batched query `fallback`.
pub async fn release_links<K>(
    ctx: &Context<'_>,
    release: i64,
    relation: Relation,
    fallback: K,
) -> async_graphql::Result<Vec<i64>>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    loaders::ContentLoader: Loader<K, Value = Vec<i64>, Error = std::sync::Arc<sea_orm::DbErr>>,
{
    let index = snapshot(ctx).release_index().await.or_internal()?;
    match index.linked(release, relation) {
        Some(ids) => Ok(ids),
        None => linked_ids(ctx, fallback).await,
    }
}
