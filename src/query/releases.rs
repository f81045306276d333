//! Release lists for every API (GraphQL, REST, feeds): public filter keys are
//! resolved to ids, the page comes from the release index, and only the
//! page's rows are read from the database.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use super::QueryError;
use super::keys::ReleaseFilterKeys;
use super::lists::releases_by_ids;
use crate::domain::{Facets, PageRequest, Pinned, ReleaseCursor, ReleaseFilter, ReleaseOrder};
use crate::entity::press_release;
use crate::search::{self, SearchQuery};
use crate::storage::release_index::{ReleaseIndex, ReleaseIndexCache};
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

    /// A release's relevance to the search (higher is better), if searching.
    pub fn relevance(&self, id: i64) -> Option<f64> {
        let search = self.filter.search.as_ref()?;
        let position = self.index.position_of_id(id)?;
        let i = search
            .scores
            .binary_search_by_key(&position, |(p, _)| *p)
            .ok()?;
        Some(search.scores[i].1)
    }
}

/// Parses a client's search text; its mistakes are the client's to fix.
pub fn parse_search(text: &str) -> Result<SearchQuery, QueryError> {
    search::parse(text).map_err(|e| QueryError::BadInput(format!("search: {}", e.0)))
}

/// Resolves `keys` (plus a relation's `pinned` parent) and reads one page.
/// Without an `order`, a search is listed by relevance, anything else newest first.
pub async fn list(
    db: &DatabaseConnection,
    index_cache: &ReleaseIndexCache,
    keys: &ReleaseFilterKeys,
    pinned: Option<Pinned>,
    order: Option<ReleaseOrder>,
    request: PageRequest,
) -> Result<ReleaseList, QueryError> {
    let search = keys.search.as_deref().map(parse_search).transpose()?;
    let order = match (order, &search) {
        (Some(ReleaseOrder::Relevance), None) => {
            return Err(QueryError::BadInput(
                "ordering by relevance needs a search".into(),
            ));
        }
        (Some(order), _) => order,
        (None, Some(_)) => ReleaseOrder::Relevance,
        (None, None) => ReleaseOrder::DateDesc,
    };
    let mut filter = keys.resolve(db).await?;
    filter.pinned = pinned;
    let index = index_cache.get(db).await?;
    if let Some(query) = &search {
        // The parsed query, not the text, is the key: `Ceasefire  monitoring`
        // and `ceasefire monitoring` share an entry.
        let key = format!("{query:?}");
        let matches = match index_cache.cached_search(&index, &key) {
            Some(matches) => matches,
            None => {
                let hits = search_index::matches(db, query, Some(SearchKind::PressRelease)).await?;
                let matches =
                    Arc::new(index.search_matches(hits.into_iter().map(|h| (h.id, h.score))));
                index_cache.cache_search(&index, key, Arc::clone(&matches));
                matches
            }
        };
        filter.search = Some(matches);
    }
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
