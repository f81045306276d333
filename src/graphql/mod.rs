//! The GraphQL schema. Knows nothing of HTTP: `http::graphql` serves it.

mod connection;
mod context;
mod error;
mod ids;
mod loaders;
mod query;
mod search;
mod types;

use async_graphql::{EmptyMutation, EmptySubscription, Schema};

pub use context::{GraphqlState, new_loader};

pub type AppSchema = Schema<query::QueryRoot, EmptyMutation, EmptySubscription>;

/// Nesting deeper than any real query needs; stops abusive documents early.
pub const MAX_DEPTH: usize = 16;
/// Upper bound on a query's size, in fields (connections count as their page size later).
pub const MAX_COMPLEXITY: usize = 20_000;

pub fn schema(state: Option<GraphqlState>) -> AppSchema {
    let mut builder = Schema::build(query::QueryRoot, EmptyMutation, EmptySubscription)
        .limit_depth(MAX_DEPTH)
        .limit_complexity(MAX_COMPLEXITY);
    if let Some(state) = state {
        builder = builder.data(state);
    }
    builder.finish()
}

/// The schema in SDL, as checked in at `schema.graphql`.
pub fn sdl() -> String {
    schema(None).sdl()
}
