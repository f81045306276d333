//! What one request reads: the content generation, read once per request,
//! and the derived catalog and release index of that generation, each
//! fetched (or rebuilt) at most once and only if the request needs it.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use sea_orm::{DatabaseConnection, DbErr};
use tokio::sync::OnceCell;

use crate::search::SearchQuery;
use crate::search::text::Stemming;
use crate::service::QueryError;
use crate::service::editorial::schedule::Scheduler;
use crate::service::index::catalog::{Catalog, CatalogCache};
use crate::service::index::release_index::{ReleaseIndex, ReleaseIndexCache};
use crate::storage::search_index::{self, Hit, SearchKind};
use crate::storage::state;

pub struct Snapshot {
    /// Set when the catalog or index served is older than the generation
    /// read (a rebuild was still running): an answer made from it must not
    /// be cached under that generation.
    stale: Arc<AtomicBool>,
    /// Matches the database found and ranked for this request's searches:
    /// the work a search costs, charged to the client after it ran.
    searched: Arc<AtomicU64>,
    db: DatabaseConnection,
    catalogs: CatalogCache,
    indexes: ReleaseIndexCache,
    generation: OnceCell<String>,
    /// Publishes scheduled releases when the generation read finds them due.
    scheduler: Scheduler,
    catalog: OnceCell<Arc<Catalog>>,
    index: OnceCell<Arc<ReleaseIndex>>,
}

impl Snapshot {
    pub fn new(db: DatabaseConnection, catalogs: CatalogCache, indexes: ReleaseIndexCache) -> Self {
        Self {
            stale: Arc::new(AtomicBool::new(false)),
            searched: Arc::new(AtomicU64::new(0)),
            db,
            catalogs,
            indexes,
            generation: OnceCell::new(),
            scheduler: Scheduler::default(),
            catalog: OnceCell::new(),
            index: OnceCell::new(),
        }
    }

    /// A snapshot at a generation the caller already read (the content
    /// clock's), sparing the request a database read.
    pub fn at_generation(mut self, generation: String) -> Self {
        self.generation = OnceCell::new_with(Some(generation));
        self
    }

    /// The snapshot, publishing scheduled releases through `scheduler`.
    pub fn with_scheduler(mut self, scheduler: Scheduler) -> Self {
        self.scheduler = scheduler;
        self
    }

    fn note_stale(&self, stale: bool) {
        if stale {
            self.stale.store(true, Ordering::Relaxed);
        }
    }

    /// A handle that tells, after the request ran, whether it answered from
    /// derived state older than its generation.
    pub fn stale_flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.stale)
    }

    /// Whether what was read so far came from derived state older than
    /// this snapshot's generation.
    pub fn served_stale(&self) -> bool {
        self.stale.load(Ordering::Relaxed)
    }

    /// A handle that tells, after the request ran, how many matches its
    /// searches had the database find and rank (cached searches: none).
    pub fn search_work(&self) -> Arc<AtomicU64> {
        Arc::clone(&self.searched)
    }

    /// Runs a full-text search in the database, counting its matches as
    /// this request's work. The caller holds a turn of the search gate.
    pub async fn run_search(
        &self,
        query: &SearchQuery,
        kind: Option<SearchKind>,
        stemmings: &[Stemming],
    ) -> Result<Vec<Hit>, QueryError> {
        let hits = search_index::matches(&self.db, query, kind, stemmings).await?;
        self.searched
            .fetch_add(hits.len() as u64, Ordering::Relaxed);
        Ok(hits)
    }

    /// Waits for a turn of the search gate, then runs the search.
    pub async fn search(
        &self,
        query: &SearchQuery,
        kind: Option<SearchKind>,
        stemmings: &[Stemming],
    ) -> Result<Vec<Hit>, QueryError> {
        let _turn = self.indexes.search_gate().enter().await?;
        self.run_search(query, kind, stemmings).await
    }

    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// The shared index cache (it also keeps recent search matches).
    pub fn indexes(&self) -> &ReleaseIndexCache {
        &self.indexes
    }

    /// The content generation this request answers from (a primary-key read).
    pub async fn generation(&self) -> Result<&str, DbErr> {
        self.generation
            .get_or_try_init(|| async {
                let generation = state::content_generation(&self.db).await?;
                if self.scheduler.catch_up(&self.db, &generation).await {
                    return state::content_generation(&self.db).await;
                }
                Ok(generation)
            })
            .await
            .map(String::as_str)
    }

    pub async fn catalog(&self) -> Result<&Arc<Catalog>, DbErr> {
        self.catalog
            .get_or_try_init(|| async {
                let generation = self.generation().await?;
                let derived = self.catalogs.get_at(&self.db, generation).await?;
                self.note_stale(derived.stale);
                Ok::<_, DbErr>(derived.value)
            })
            .await
    }

    pub async fn release_index(&self) -> Result<&Arc<ReleaseIndex>, DbErr> {
        self.index
            .get_or_try_init(|| async {
                let generation = self.generation().await?;
                let derived = self.indexes.get_at(&self.db, generation).await?;
                self.note_stale(derived.stale);
                Ok::<_, DbErr>(derived.value)
            })
            .await
    }
}
