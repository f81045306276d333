//! The GraphQL schema. Knows nothing of HTTP: `http::graphql` serves it.

mod connection;
mod context;
pub mod error;
mod ids;
pub mod limits;
mod loaders;
mod query;
mod search;
mod types;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextResolve, ResolveInfo,
};
use async_graphql::{EmptyMutation, EmptySubscription, Response, Schema, ServerResult, Value};

pub use context::{GraphqlState, new_loader};

pub type AppSchema = Schema<query::QueryRoot, EmptyMutation, EmptySubscription>;

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

/// Counts the object fields a request resolved (its actual cost) and adds
/// `extensions.cost = { requested, actual, limit }` to the response, as
/// Shopify's API does, so clients can see what their queries cost.
struct CostReport;

impl ExtensionFactory for CostReport {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(CostCounter(AtomicU64::new(0)))
    }
}

struct CostCounter(AtomicU64);

#[async_graphql::async_trait::async_trait]
impl Extension for CostCounter {
    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        if !info.field.selection_set.node.items.is_empty() {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
        next.run(ctx, info).await
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let response = next.run(ctx, operation_name).await;
        match ctx.data_opt::<RequestedCost>() {
            Some(cost) => {
                let mut report = async_graphql::indexmap::IndexMap::new();
                report.insert(
                    async_graphql::Name::new("requested"),
                    Value::from(cost.requested),
                );
                report.insert(
                    async_graphql::Name::new("actual"),
                    Value::from(self.0.load(Ordering::Relaxed)),
                );
                report.insert(async_graphql::Name::new("limit"), Value::from(cost.limit));
                response.extension("cost", Value::Object(report))
            }
            None => response,
        }
    }
}

pub fn schema(state: Option<GraphqlState>) -> AppSchema {
    schema_with(state, true)
}

/// The schema, with or without introspection. Without it, field suggestions
/// ("Did you mean …?") are off too: they would leak the schema piecemeal.
pub fn schema_with(state: Option<GraphqlState>, introspection: bool) -> AppSchema {
    let mut builder = Schema::build(query::QueryRoot, EmptyMutation, EmptySubscription)
        .limit_depth(MAX_DEPTH)
        .limit_complexity(MAX_COMPLEXITY)
        .limit_directives(MAX_DIRECTIVES)
        .limit_recursive_depth(MAX_PARSER_RECURSION)
        .extension(CostReport);
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
    schema(None).sdl()
}
