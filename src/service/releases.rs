//! Release lists for every API (GraphQL, REST, feeds): public filter keys are
//! resolved to ids, the page comes from the release index, and only the
//! page's rows are read from the database.

use std::sync::Arc;

use bytes::Bytes;
use sea_orm::DatabaseConnection;

use super::QueryError;
use super::keys::ReleaseFilterKeys;
use super::snapshot::Snapshot;
use crate::domain::{Facets, PageRequest, Pinned, ReleaseCursor, ReleaseFilter, ReleaseOrder};
use crate::model::PressRelease;
use crate::search::{self, SearchQuery};
use crate::service::index::catalog::Catalog;
use crate::service::index::release_index::{DateWalk, Relation, ReleaseIndex};
use crate::storage::entity::press_release;
use crate::storage::releases::release_heads_by_ids;
use crate::storage::releases::{self as release_rows, ReleaseLinks};
use crate::storage::search_index::SearchKind;

/// One page of a filtered release list, with what is needed to count and
/// facet the whole list afterwards (only if a client asks).
pub struct ReleaseList {
    pub index: Arc<ReleaseIndex>,
    pub filter: ReleaseFilter,
    /// The page, in list order, each release with its cursor.
    pub items: Vec<(ReleaseCursor, press_release::Head)>,
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

/// A client's filter resolved to ids, against the index it will be answered from.
pub struct ResolvedFilter {
    pub index: Arc<ReleaseIndex>,
    pub filter: ReleaseFilter,
    pub search: Option<SearchQuery>,
}

/// Resolves `keys` (plus a relation's `pinned` parent), running the search
/// if there is one: what `list` and exports share, so both see the same set.
pub async fn resolve(
    snapshot: &Snapshot,
    keys: &ReleaseFilterKeys,
    pinned: Option<Pinned>,
) -> Result<ResolvedFilter, QueryError> {
    let index_cache = snapshot.indexes();
    let search = keys.search.as_deref().map(parse_search).transpose()?;
    let mut filter = super::keys::resolve_release_filter(keys, snapshot.catalog().await?)?;
    filter.pinned = pinned;
    let index = Arc::clone(snapshot.release_index().await?);
    if let Some(query) = &search {
        // The parsed query, not the text, is the key: `Ceasefire  monitoring`
        // and `ceasefire monitoring` share an entry.
        let preference = keys.locale.as_ref();
        let key = match preference {
            Some(p) => format!("{query:?} {:?} {}", p.chain, p.strict),
            None => format!("{query:?}"),
        };
        let matches = match index_cache.cached_search(&index, &key) {
            Some(matches) => matches,
            None => {
                let _turn = index_cache.search_gate().enter().await?;
                // The same search may have run while this one waited its
                // turn: identical searches at once cost one query.
                match index_cache.cached_search_again(&index, &key) {
                    Some(matches) => matches,
                    None => {
                        let stemmings = index.search_stemmings(preference);
                        let hits = snapshot
                            .run_search(query, Some(SearchKind::PressRelease), &stemmings)
                            .await?;
                        let matches = Arc::new(index.search_matches(
                            hits.into_iter().map(|h| (h.id, h.slot, h.score)),
                            preference,
                        ));
                        index_cache.cache_search(&index, key, Arc::clone(&matches));
                        matches
                    }
                }
            }
        };
        filter.search = Some(matches);
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
    snapshot: &Snapshot,
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
    } = resolve(snapshot, keys, pinned).await?;
    let db = snapshot.db();
    let page = index.page(&filter, order, request);
    let mut rows: std::collections::HashMap<i64, press_release::Head> =
        release_heads_by_ids(db, &page.ids)
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

/// Full interchange records of releases, in the order given: rows and
/// translations from the database, links from the snapshot's index and
/// catalog (two queries, not six).
pub async fn records(snapshot: &Snapshot, ids: &[i64]) -> Result<Vec<PressRelease>, QueryError> {
    let index = Arc::clone(snapshot.release_index().await?);
    let catalog = Arc::clone(snapshot.catalog().await?);
    Ok(records_with(snapshot.db(), ids, &index, &catalog).await?)
}

async fn records_with(
    db: &DatabaseConnection,
    ids: &[i64],
    index: &ReleaseIndex,
    catalog: &Catalog,
) -> Result<Vec<PressRelease>, sea_orm::DbErr> {
    release_rows::press_releases_by_ids_with_links(
        db,
        ids,
        |id| links_in(index, catalog, id),
        |id| index.may_be_translated(id),
    )
    .await
}

/// A release's links as the index holds them, named from the catalog;
/// `None` when either does not know it.
fn links_in(index: &ReleaseIndex, catalog: &Catalog, id: i64) -> Option<ReleaseLinks> {
    fn named<T>(
        index: &ReleaseIndex,
        id: i64,
        relation: Relation,
        table: &std::collections::HashMap<i64, T>,
        key: impl Fn(&T) -> &String,
    ) -> Option<Vec<String>> {
        index
            .linked(id, relation)?
            .into_iter()
            .map(|target| table.get(&target).map(|row| key(row).clone()))
            .collect()
    }
    Some(ReleaseLinks {
        fields_of_work: named(
            index,
            id,
            Relation::FieldsOfWork,
            &catalog.fields_of_work,
            |m| &m.slug,
        )?,
        countries: named(index, id, Relation::Countries, &catalog.countries, |m| {
            &m.code
        })?,
        people: named(index, id, Relation::People, &catalog.people, |m| &m.slug)?,
        meetings: named(index, id, Relation::Meetings, &catalog.meetings, |m| {
            &m.slug
        })?,
    })
}

/// Releases per export batch (rounded up to a whole day): large enough that
/// the two queries of a batch are few per row, small enough that a batch is
/// a few megabytes (on a million releases, 1,000 exported as fast as 2,000
/// with a third less memory growth).
const EXPORT_BATCH: usize = 1_000;

/// Batches fetched at once: each runs its queries on its own connections,
/// so the database works on the next batches while one is written out.
const EXPORT_BATCHES_AHEAD: usize = 3;

/// Writes an export's records, one at a time, into the bytes of one batch.
pub trait ExportWriter: Send + 'static {
    fn write(&mut self, record: PressRelease) -> Result<(), String>;
    fn finish(self) -> Result<Bytes, String>;
}

/// A new writer for a batch of about this many releases.
pub type NewWriter<W> = Arc<dyn Fn(usize) -> W + Send + Sync>;

/// Every release matching a filter as full interchange records, in date
/// order and, within a day, by slug: an export then depends only on the
/// content (not on ids, which depend on import order), so it re-imports and
/// re-exports to the same bytes. Read in batches of whole days from the
/// index snapshot taken at the start. Each batch is one task, several ahead
/// of the one being sent: it streams the batch's rows in order and writes
/// each record out as it comes, so only bytes wait, never rows or records.
/// A release deleted since the start is left out.
pub struct ReleaseExport<W> {
    db: DatabaseConnection,
    index: Arc<ReleaseIndex>,
    catalog: Arc<Catalog>,
    walk: DateWalk,
    ascending: bool,
    total: u64,
    new_writer: NewWriter<W>,
    /// The batches being read ahead, in order.
    ahead: std::collections::VecDeque<tokio::task::JoinHandle<Result<Bytes, QueryError>>>,
}

impl<W: ExportWriter> ReleaseExport<W> {
    pub async fn start(
        snapshot: &Snapshot,
        keys: &ReleaseFilterKeys,
        ascending: bool,
        new_writer: NewWriter<W>,
    ) -> Result<Self, QueryError> {
        let resolved = resolve(snapshot, keys, None).await?;
        let db = snapshot.db();
        let catalog = Arc::clone(snapshot.catalog().await?);
        let index = Arc::clone(&resolved.index);
        let walk = DateWalk::new(resolved.index, &resolved.filter, ascending);
        let mut export = Self {
            db: db.clone(),
            index,
            catalog,
            total: walk.remaining(),
            walk,
            ascending,
            new_writer,
            ahead: Default::default(),
        };
        export.read_ahead();
        Ok(export)
    }

    /// How many releases the export holds (as `total_count` counts them).
    pub fn total(&self) -> u64 {
        self.total
    }

    fn read_ahead(&mut self) {
        while self.ahead.len() < EXPORT_BATCHES_AHEAD {
            let Some(batch) = self.walk.next_days(EXPORT_BATCH) else {
                break;
            };
            let on_days = batch.is_dense().then_some(batch.days);
            let ids = batch.ids;
            let (db, index, catalog) = (
                self.db.clone(),
                Arc::clone(&self.index),
                Arc::clone(&self.catalog),
            );
            let mut writer = (self.new_writer)(ids.len());
            let ascending = self.ascending;
            self.ahead.push_back(tokio::spawn(async move {
                release_rows::for_each_press_release_by_ids(
                    &db,
                    &ids,
                    on_days,
                    ascending,
                    |id| links_in(&index, &catalog, id),
                    |id| index.may_be_translated(id),
                    |record| writer.write(record).map_err(sea_orm::DbErr::Custom),
                )
                .await?;
                writer
                    .finish()
                    .map_err(|e| QueryError::Database(sea_orm::DbErr::Custom(e)))
            }));
        }
    }

    /// The next batch's bytes (whole days), or `None` at the end.
    pub async fn next_batch(&mut self) -> Result<Option<Bytes>, QueryError> {
        let Some(fetch) = self.ahead.pop_front() else {
            return Ok(None);
        };
        let rendered = fetch
            .await
            .map_err(|e| QueryError::Database(sea_orm::DbErr::Custom(e.to_string())))??;
        self.read_ahead();
        Ok(Some(rendered))
    }
}

impl<W> Drop for ReleaseExport<W> {
    /// A download given up stops its read-ahead too.
    fn drop(&mut self) {
        for fetch in &self.ahead {
            fetch.abort();
        }
    }
}
