//! Release lists for every API (GraphQL, REST, feeds): public filter keys are
//! resolved to ids, the page comes from the release index, and only the
//! page's rows are read from the database.

use std::sync::Arc;

use sea_orm::{ConnectionTrait, DatabaseConnection};

use super::QueryError;
use super::keys::ReleaseFilterKeys;
use super::lists::releases_by_ids;
use crate::domain::{Facets, PageRequest, Pinned, ReleaseCursor, ReleaseFilter, ReleaseOrder};
use crate::entity::press_release;
use crate::io::format::PressRelease;
use crate::search::{self, SearchQuery};
use crate::storage::reader;
use crate::storage::release_index::{DateWalk, ReleaseIndex, ReleaseIndexCache};
use crate::storage::search_index::{self, SearchKind};

/// One page of a filtered release list, with what is needed to count and
/// facet the whole list afterwards (only if a client asks).
pub struct ReleaseList {
    pub index: Arc<ReleaseIndex>,
    pub filter: ReleaseFilter,
    /// The page, in list order, each release with its cursor.
    pub items: Vec<(ReleaseCursor, press_release::Model)>,
    pub has_next_page: bool,
    pub has_previous_page: bool,
    /// The parsed search, if the list is a search (for snippets).
    pub search: Option<SearchQuery>,
}

impl ReleaseList {
    /// How many releases match the filter, over all pages.
    pub fn total_count(&self) -> u64 {
        self.index.count(&self.filter)
    }

    pub fn facets(&self) -> Facets {
        self.index.facets(&self.filter)
    }
}

/// Parses a client's search text; its mistakes are the client's to fix.
pub fn parse_search(text: &str) -> Result<SearchQuery, QueryError> {
    search::parse(text).map_err(|e| QueryError::BadInput(format!("search: {}", e.0)))
}

/// A client's filter resolved to ids, against the index it will be answered from.
pub struct ResolvedFilter {
    pub index: Arc<ReleaseIndex>,
    pub filter: ReleaseFilter,
    pub search: Option<SearchQuery>,
}

/// Resolves `keys` (plus a relation's `pinned` parent), running the search
/// if there is one: what `list` and exports share, so both see the same set.
pub async fn resolve(
    db: &DatabaseConnection,
    index: &ReleaseIndexCache,
    keys: &ReleaseFilterKeys,
    pinned: Option<Pinned>,
) -> Result<ResolvedFilter, QueryError> {
    let search = keys.search.as_deref().map(parse_search).transpose()?;
    let mut filter = keys.resolve(db).await?;
    filter.pinned = pinned;
    let index = index.get(db).await?;
    if let Some(query) = &search {
        let hits = search_index::matches(db, query, Some(SearchKind::PressRelease)).await?;
        filter.search = Some(Arc::new(
            index.search_matches(hits.into_iter().map(|h| (h.id, h.score))),
        ));
    }
    Ok(ResolvedFilter {
        index,
        filter,
        search,
    })
}

/// Resolves `keys` (plus a relation's `pinned` parent) and reads one page.
/// Without an `order`, a search is listed by relevance, anything else newest first.
pub async fn list(
    db: &DatabaseConnection,
    index: &ReleaseIndexCache,
    keys: &ReleaseFilterKeys,
    pinned: Option<Pinned>,
    order: Option<ReleaseOrder>,
    request: PageRequest,
) -> Result<ReleaseList, QueryError> {
    let order = match (order, keys.search.is_some()) {
        (Some(ReleaseOrder::Relevance), false) => {
            return Err(QueryError::BadInput(
                "ordering by relevance needs a search".into(),
            ));
        }
        (Some(order), _) => order,
        (None, true) => ReleaseOrder::Relevance,
        (None, false) => ReleaseOrder::DateDesc,
    };
    let ResolvedFilter {
        index,
        filter,
        search,
    } = resolve(db, index, keys, pinned).await?;
    let page = index.page(&filter, order, request);
    let mut rows: std::collections::HashMap<i64, press_release::Model> =
        releases_by_ids(db, &page.ids)
            .await?
            .into_iter()
            .map(|row| (row.id, row))
            .collect();
    // A release deleted since the index was read is left out, not an error.
    let items = page
        .ids
        .iter()
        .zip(page.cursors.iter())
        .filter_map(|(id, cursor)| rows.remove(id).map(|row| (*cursor, row)))
        .collect();
    Ok(ReleaseList {
        index,
        filter,
        items,
        has_next_page: page.has_next_page,
        has_previous_page: page.has_previous_page,
        search,
    })
}

/// Releases per export batch: large enough that the six queries of a batch
/// are few per row, small enough that a batch is a few megabytes.
const EXPORT_BATCH: usize = 500;

/// Every release matching a filter as full interchange records, in date
/// order and, within a day, by slug: an export then depends only on the
/// content (not on ids, which depend on import order), so it re-imports and
/// re-exports to the same bytes. Read in batches from the index snapshot
/// taken at the start; a release deleted since is left out.
pub struct ReleaseExport {
    walk: DateWalk,
    ascending: bool,
    total: u64,
}

impl ReleaseExport {
    pub async fn start(
        db: &DatabaseConnection,
        index: &ReleaseIndexCache,
        keys: &ReleaseFilterKeys,
        ascending: bool,
    ) -> Result<Self, QueryError> {
        let resolved = resolve(db, index, keys, None).await?;
        let walk = DateWalk::new(resolved.index, &resolved.filter, ascending);
        Ok(Self {
            total: walk.remaining(),
            walk,
            ascending,
        })
    }

    /// How many releases the export holds (as `total_count` counts them).
    pub fn total(&self) -> u64 {
        self.total
    }

    /// The next batch, or `None` at the end.
    pub async fn next_batch(
        &mut self,
        db: &impl ConnectionTrait,
    ) -> Result<Option<Vec<PressRelease>>, sea_orm::DbErr> {
        let ids = self.walk.next_batch(EXPORT_BATCH);
        if ids.is_empty() {
            return Ok(None);
        }
        let mut records = reader::press_releases_by_ids(db, &ids).await?;
        let ascending = self.ascending;
        records.sort_by(|a, b| {
            let by_date = if ascending {
                a.date.cmp(&b.date)
            } else {
                b.date.cmp(&a.date)
            };
            by_date.then_with(|| a.slug.as_str().cmp(b.slug.as_str()))
        });
        Ok(Some(records))
    }
}
