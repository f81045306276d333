//! What resolvers can reach: the database, the release index, and the
//! request's DataLoader.

use async_graphql::{Context, dataloader::DataLoader};
use sea_orm::DatabaseConnection;

use super::loaders::ContentLoader;
use crate::storage::release_index::ReleaseIndexCache;

/// Shared by all requests; holds nothing a second replica would need.
#[derive(Clone)]
pub struct GraphqlState {
    pub db: DatabaseConnection,
    pub index: ReleaseIndexCache,
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

/// A DataLoader for one request: batches within the request, caches nothing
/// across requests. `delay` is how long a batch waits for more keys: the
/// resolvers of one list level all ask within it.
pub fn new_loader(db: DatabaseConnection, delay: std::time::Duration) -> DataLoader<ContentLoader> {
    DataLoader::new(ContentLoader { db }, tokio::spawn).delay(delay)
}
