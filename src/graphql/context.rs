//! What resolvers can reach: the database, the release index, and the
//! request's DataLoader.

use std::sync::Arc;

use async_graphql::{Context, dataloader::DataLoader};
use sea_orm::DatabaseConnection;

use super::error::OrInternal;
use super::loaders::ContentLoader;
use crate::service::index::catalog::Catalog;
use crate::service::snapshot::Snapshot;

/// Shared by all requests; holds nothing a second replica would need.
#[derive(Clone)]
pub struct GraphqlState {
    pub db: DatabaseConnection,
}

pub fn state<'a>(ctx: &Context<'a>) -> &'a GraphqlState {
    ctx.data_unchecked::<GraphqlState>()
}

pub fn db<'a>(ctx: &Context<'a>) -> &'a DatabaseConnection {
    &state(ctx).db
}

pub fn loader<'a>(ctx: &Context<'a>) -> &'a DataLoader<ContentLoader> {
    ctx.data_unchecked::<DataLoader<ContentLoader>>()
}

/// The catalog of the small tables for this request, fetched at most once
/// per request (a generation check, and a rebuild only after a write).
pub async fn catalog<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a Arc<Catalog>> {
    loader(ctx).loader().snapshot.catalog().await.or_internal()
}

/// What this request reads (see `Snapshot`).
pub fn snapshot<'a>(ctx: &Context<'a>) -> &'a Snapshot {
    &loader(ctx).loader().snapshot
}

/// A DataLoader for one request: batches within the request, caches nothing
/// across requests. `delay` is how long a batch waits for more keys: the
/// resolvers of one list level all ask within it.
pub fn new_loader(snapshot: Snapshot, delay: std::time::Duration) -> DataLoader<ContentLoader> {
    DataLoader::new(ContentLoader { snapshot }, tokio::spawn).delay(delay)
}
