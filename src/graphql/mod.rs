//! The GraphQL schema. Knows nothing of HTTP: `http::graphql` serves it.

mod changes;
mod connection;
mod context;
pub mod cost;
pub mod editorial;
pub mod error;
mod ids;
pub mod limits;
mod loaders;
pub mod locale;
mod query;
mod release_list;
mod scalars;
mod search;
mod types;

use async_graphql::{EmptySubscription, Name, Response, Schema, Value};

pub use context::{GraphqlState, new_loader};

pub type AppSchema = Schema<query::Query, editorial::Mutation, EmptySubscription>;

/// Backstops behind `limits::check` (which runs first, on the HTTP path),
/// for documents executed some other way.
const MAX_DEPTH: usize = 32;
const MAX_COMPLEXITY: usize = 50_000;
const MAX_DIRECTIVES: usize = 50;
const MAX_PARSER_RECURSION: usize = 64;

/// The cost `limits::check` computed for this request, reported back to the
/// client in `extensions.cost` with what was actually resolved.
#[derive(Clone, Copy, Debug)]
pub struct RequestedCost {
    pub requested: u64,
    pub limit: u64,
}

impl RequestedCost {
    /// `extensions.cost = { requested, actual, search, limit }` for a
    /// response, as Shopify's API reports it, so clients can see what their
    /// queries cost: `search` is what its searches' matches cost beyond
    /// that (charged after the run; 0 for a search answered from the
    /// cache). `actual` is counted from the response rather than by a
    /// schema extension: any extension takes async-graphql off its fast
    /// path for every field.
    pub fn report(&self, response: Response, search: u64) -> Response {
        let actual = object_fields(&response.data);
        let mut report = async_graphql::indexmap::IndexMap::new();
        report.insert(Name::new("requested"), Value::from(self.requested));
        report.insert(Name::new("actual"), Value::from(actual));
        report.insert(Name::new("search"), Value::from(search));
        report.insert(Name::new("limit"), Value::from(self.limit));
        response.extension("cost", Value::Object(report))
    }
}

/// The object fields resolved in `value`: keys whose value is an object or
/// a list of objects (a list field counts once, as one resolution).
fn object_fields(value: &Value) -> u64 {
    fn composite(value: &Value) -> bool {
        match value {
            Value::Object(_) => true,
            Value::List(items) => items.iter().any(composite),
            _ => false,
        }
    }
    match value {
        Value::Object(fields) => fields
            .values()
            .map(|v| u64::from(composite(v)) + object_fields(v))
            .sum(),
        Value::List(items) => items.iter().map(object_fields).sum(),
        _ => 0,
    }
}

pub fn schema(state: Option<GraphqlState>) -> AppSchema {
    schema_with(state, true)
}

/// The schema, with or without introspection. Without it, field suggestions
/// ("Did you mean …?") are off too: they would leak the schema piecemeal.
pub fn schema_with(state: Option<GraphqlState>, introspection: bool) -> AppSchema {
    let mut builder = Schema::build(
        query::Query,
        editorial::Mutation::default(),
        EmptySubscription,
    )
    .limit_depth(MAX_DEPTH)
    .limit_complexity(MAX_COMPLEXITY)
    .limit_directives(MAX_DIRECTIVES)
    .limit_recursive_depth(MAX_PARSER_RECURSION);
    if !introspection {
        builder = builder.disable_introspection().disable_suggestions();
    }
    if let Some(state) = state {
        builder = builder.data(state);
    }
    builder.finish()
}

/// The schema in SDL, as checked in at `schema.graphql`.
pub fn sdl() -> String {
    schema(None).sdl_with_options(async_graphql::SDLExportOptions::new().include_specified_by())
}
