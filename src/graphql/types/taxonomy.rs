use async_graphql::{Context, ID, Object};

use crate::domain::{CountryStatus, Pinned};
use crate::storage::entity::{country, field_of_work};
use crate::graphql::connection::{
    PressReleaseConnection, PressReleaseFilterInput, PressReleaseOrder, press_releases,
};
use crate::graphql::ids::global_id;

/// A field of work: one of the OSCE's thematic areas (e.g. "Conflict prevention and resolution").
#[derive(Clone)]
pub struct FieldOfWork(pub field_of_work::Model);

/// A field of work: one of the OSCE's thematic areas (e.g. "Conflict prevention and resolution").
#[Object]
impl FieldOfWork {
    /// Opaque, stable global ID.
    pub async fn id(&self) -> ID {
        global_id("FieldOfWork", &self.0.slug)
    }
    /// Stable identifier, e.g. `conflict-prevention-and-resolution`.
    async fn slug(&self) -> &str {
        &self.0.slug
    }
    /// English name, as on osce.org.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Press releases in this field of work, with any further filter.
    #[allow(clippy::too_many_arguments)]
    async fn press_releases(
        &self,
        ctx: &Context<'_>,
        filter: Option<PressReleaseFilterInput>,
        #[graphql(
            desc = "Full-text search over title, summary and body (and their translations): words must all match; `\"exact phrase\"`, `a OR b`, `-excluded` and `prefix*` work as on a search engine. Combines with `filter`; the list is then ordered by relevance unless `orderBy` says otherwise."
        )]
        search: Option<String>,
        #[graphql(desc = "Defaults to `RELEVANCE` with a `search`, `DATE_DESC` without.")] order_by: Option<PressReleaseOrder>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<PressReleaseConnection> {
        let id = self.0.id;
        press_releases(
            ctx,
            filter,
            search,
            Some(Pinned::FieldOfWork(id)),
            order_by,
            first,
            after,
            last,
            before,
        )
        .await
    }
}

/// A participating State or a Partner for Co-operation.
#[derive(Clone)]
pub struct Country(pub country::Model);

/// A participating State or a Partner for Co-operation.
#[Object]
impl Country {
    /// Opaque, stable global ID.
    pub async fn id(&self) -> ID {
        global_id("Country", &self.0.code)
    }
    /// ISO 3166-1 alpha-2 code, e.g. `AM`; `VA` is the Holy See.
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// Stable identifier, e.g. `armenia`.
    async fn slug(&self) -> &str {
        &self.0.slug
    }
    /// English name, as on osce.org.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Participating State, or Asian or Mediterranean Partner for Co-operation.
    async fn status(&self) -> Option<CountryStatus> {
        CountryStatus::parse(&self.0.status)
    }
    /// Press releases about this country, with any further filter.
    #[allow(clippy::too_many_arguments)]
    async fn press_releases(
        &self,
        ctx: &Context<'_>,
        filter: Option<PressReleaseFilterInput>,
        #[graphql(
            desc = "Full-text search over title, summary and body (and their translations): words must all match; `\"exact phrase\"`, `a OR b`, `-excluded` and `prefix*` work as on a search engine. Combines with `filter`; the list is then ordered by relevance unless `orderBy` says otherwise."
        )]
        search: Option<String>,
        #[graphql(desc = "Defaults to `RELEVANCE` with a `search`, `DATE_DESC` without.")] order_by: Option<PressReleaseOrder>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<PressReleaseConnection> {
        let id = self.0.id;
        press_releases(
            ctx,
            filter,
            search,
            Some(Pinned::Country(id)),
            order_by,
            first,
            after,
            last,
            before,
        )
        .await
    }
}
