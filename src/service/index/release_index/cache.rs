//! The shared index of the current content, and recent search matches.

use super::*;
use crate::domain::SearchMatches;
use crate::model::RecordKind;
use crate::service::index::facet_cube::FacetCube;
use crate::service::search_gate::SearchGate;
use crate::service::version::derived::{DEFAULT_REBUILD_PATIENCE, Derived, PerGeneration};
use crate::service::version::{CacheStats, VersionedCache, Weigh};
use crate::storage::{releases, state};
use sea_orm::{DatabaseConnection, DbErr};
use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::Duration;

/// The shared, lazily (re)built index. One per process; cloning shares it.
#[derive(Clone)]
pub struct ReleaseIndexCache {
    current: PerGeneration<ReleaseIndex>,
    searches: SearchCache,
    /// How long a request waits for a rebuild before it answers from the
    /// index held (see `PerGeneration::get_at`).
    patience: Duration,
    /// Slept at the start of every build: for tests and drills of a slow
    /// build, zero otherwise.
    build_delay: Duration,
    /// Set while a background compaction runs (one at a time).
    compacting: Arc<AtomicBool>,
    /// How far the running full build is, in percent (for `/readyz`).
    progress: Arc<AtomicU32>,
    /// The bound on full-text searches running at once.
    gate: SearchGate,
}

impl Default for ReleaseIndexCache {
    fn default() -> Self {
        Self::with_search_cache(DEFAULT_SEARCH_CACHE_MATCHES)
    }
}

/// Releases matched by recent searches, resolved to positions of the index
/// of one content generation: the next page of a search, or the same search
/// from another visitor, skips the full-text query. Bounded by the number
/// of matches held (0 turns it off). Like the index, a cache: dropped when
/// the content changes, safe to lose.
type SearchCache = VersionedCache<String, Arc<SearchMatches>>;

/// What a search's matches cost the cache's budget: one per match, plus one.
impl Weigh for SearchMatches {
    fn weight(&self) -> usize {
        self.scores.len() + 1
    }
}

/// Matches the search cache holds by default (about 12 bytes each).
pub const DEFAULT_SEARCH_CACHE_MATCHES: u64 = 1_000_000;

impl ReleaseIndexCache {
    /// A cache keeping up to `matches` search matches (0: none).
    pub fn with_search_cache(matches: u64) -> Self {
        Self {
            current: PerGeneration::default(),
            searches: SearchCache::new(0, 0),
            patience: DEFAULT_REBUILD_PATIENCE,
            build_delay: Duration::ZERO,
            compacting: Arc::new(AtomicBool::new(false)),
            progress: Arc::new(AtomicU32::new(0)),
            gate: SearchGate::default(),
        }
        .with_searches(matches)
    }

    /// The same index, with a search cache of `matches` (0: none).
    pub fn with_searches(mut self, matches: u64) -> Self {
        let budget = usize::try_from(matches).unwrap_or(usize::MAX);
        self.searches = SearchCache::new(usize::MAX, budget);
        self
    }

    /// Sets how long a request waits for a rebuild before it answers from
    /// the index held.
    pub fn with_patience(mut self, patience: Duration) -> Self {
        self.patience = patience;
        self
    }

    /// Bounds the full-text searches run at once by `gate`.
    pub fn with_search_gate(mut self, gate: SearchGate) -> Self {
        self.gate = gate;
        self
    }

    /// The bound every full-text search passes (releases, the root search,
    /// and the searches of the small lists).
    pub fn search_gate(&self) -> &SearchGate {
        &self.gate
    }

    /// Makes every build sleep `delay` first (tests and drills only).
    pub fn with_build_delay(mut self, delay: Duration) -> Self {
        self.build_delay = delay;
        self
    }

    /// How far the running full build is, in percent.
    pub fn build_progress(&self) -> u32 {
        self.progress.load(Ordering::Relaxed)
    }

    /// Whether the first index is built: until then the replica is not ready.
    pub fn is_ready(&self) -> bool {
        self.current.is_ready()
    }

    /// The matches of a search `key` against `index`, if still cached.
    pub fn cached_search(&self, index: &ReleaseIndex, key: &str) -> Option<Arc<SearchMatches>> {
        self.searches.get(&index.layout_key(), &key.to_owned())
    }

    /// A second look for a search after waiting for a turn, not counted.
    pub fn cached_search_again(
        &self,
        index: &ReleaseIndex,
        key: &str,
    ) -> Option<Arc<SearchMatches>> {
        self.searches
            .look_again(&index.layout_key(), &key.to_owned())
    }

    /// Search cache lookups since the cache was made, for `/metrics`.
    pub fn search_cache_stats(&self) -> CacheStats {
        self.searches.stats()
    }

    pub fn cache_search(&self, index: &ReleaseIndex, key: String, matches: Arc<SearchMatches>) {
        self.searches.insert(&index.layout_key(), key, matches);
    }

    /// The index for the database's current content, waiting for its
    /// build (start-up uses it to build the first index).
    pub async fn get(&self, db: &DatabaseConnection) -> Result<Arc<ReleaseIndex>, DbErr> {
        let generation = state::content_generation(db).await?;
        Ok(self.get_at(db, &generation).await?.value)
    }

    /// The index at `generation`, just read from the database; an older one
    /// (marked stale) while an update takes longer than the patience. An
    /// update applies the change log to the index held when it can (a few
    /// milliseconds), and builds afresh only when there is none or the
    /// changes are too many.
    pub async fn get_at(
        &self,
        db: &DatabaseConnection,
        generation: &str,
    ) -> Result<Derived<ReleaseIndex>, DbErr> {
        let (conn, delay, cache) = (db.clone(), self.build_delay, self.clone());
        let progress = Arc::clone(&self.progress);
        self.current
            .get_at(db, generation, self.patience, move |held| async move {
                if let Some(held) = held
                    && let Some(next) = catch_up(&conn, &held).await?
                {
                    if next.wants_compaction() {
                        cache.compact_in_background(&conn);
                    }
                    return Ok(next);
                }
                full_build(&conn, delay, &progress).await
            })
            .await
    }

    /// Folds the overlay into a new base on a task of its own: a full build,
    /// caught up with the changes that landed meanwhile, then offered (an
    /// update that moved further meanwhile wins, and the build catches up again).
    fn compact_in_background(&self, db: &DatabaseConnection) {
        if self.compacting.swap(true, Ordering::AcqRel) {
            return;
        }
        let (db, cache) = (db.clone(), self.clone());
        tokio::spawn(async move {
            let outcome = async {
                let mut index =
                    Arc::new(full_build(&db, cache.build_delay, &cache.progress).await?);
                for _ in 0..COMPACTION_CATCH_UPS {
                    if let Some(next) = catch_up(&db, &index).await? {
                        index = Arc::new(next);
                    }
                    if cache.current.offer(Arc::clone(&index)) {
                        return Ok::<_, DbErr>(());
                    }
                }
                Ok(())
            }
            .await;
            if let Err(error) = outcome {
                tracing::warn!(%error, "compacting the release index failed; the next update tries again");
            }
            cache.compacting.store(false, Ordering::Release);
        });
    }
}

/// Where each of `entries` goes in the base's title order: the first live
/// base rank whose (title, date, id) is greater. The sampled titles (every
/// `TITLE_SAMPLE`th rank, as built) narrow it to one stretch of ranks; the
/// titles of that stretch's live releases come from the update's snapshot
/// (a live base release's title is the one it was built with), in one query
/// for all the entries.
async fn base_title_ranks(
    rows: &releases::IndexRows,
    index: &ReleaseIndex,
    dead: &roaring::RoaringBitmap,
    entries: &[releases::ReleaseEntry],
) -> Result<Vec<u32>, DbErr> {
    let base_len = index.base_len();
    // Each entry's stretch [lo, hi): its answer is in [lo, hi].
    let stretches: Vec<(u32, u32)> = entries
        .iter()
        .map(|e| {
            let key = (
                e.release.title.as_str(),
                day_number(e.release.date),
                e.release.id,
            );
            // How many samples have a key below the entry's (they are in order).
            let sample_key = |k: usize| {
                let position = index.title_order[k * TITLE_SAMPLE as usize] as usize;
                (
                    index.title_samples[k].as_ref(),
                    index.days[position],
                    index.ids[position],
                )
            };
            let (mut below, mut above) = (0, index.title_samples.len());
            while below < above {
                let mid = (below + above) / 2;
                if sample_key(mid) < key {
                    below = mid + 1;
                } else {
                    above = mid;
                }
            }
            match below {
                0 => (0, 0),
                n => {
                    let lo = (n as u32 - 1) * TITLE_SAMPLE + 1;
                    (lo, (lo - 1 + TITLE_SAMPLE).min(base_len))
                }
            }
        })
        .collect();
    let live = |rank: u32| !dead.contains(index.title_order[rank as usize]);
    let ids: Vec<i64> = stretches
        .iter()
        .flat_map(|&(lo, hi)| (lo..hi).filter(|&r| live(r)))
        .map(|r| index.ids[index.title_order[r as usize] as usize])
        .collect();
    let titles = rows.titles(&ids).await?;
    Ok(entries
        .iter()
        .zip(stretches)
        .map(|(e, (lo, hi))| {
            let key = (
                e.release.title.as_str(),
                day_number(e.release.date),
                e.release.id,
            );
            (lo..hi)
                .filter(|&r| live(r))
                .find(|&r| {
                    let position = index.title_order[r as usize] as usize;
                    let id = index.ids[position];
                    let title = titles.get(&id).map_or("", String::as_str);
                    (title, index.days[position], id) > key
                })
                .unwrap_or(hi)
        })
        .collect())
}

/// Times a compaction catches up with updates that keep landing before it
/// gives up (the next large overlay starts another).
const COMPACTION_CATCH_UPS: usize = 5;

async fn full_build(
    db: &DatabaseConnection,
    delay: Duration,
    progress: &AtomicU32,
) -> Result<ReleaseIndex, DbErr> {
    progress.store(0, Ordering::Relaxed);
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let started = std::time::Instant::now();
    let index = build(db, progress).await?;
    tracing::info!(
        releases = index.len(),
        facet_cube_kb = index.cube.as_ref().map_or(0, FacetCube::bytes) / 1024,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "release index built"
    );
    Ok(index)
}

/// `index` with the change log's entries after its version applied, read
/// in one snapshot; `None` when they are too many to apply one by one.
pub async fn catch_up(
    db: &DatabaseConnection,
    index: &ReleaseIndex,
) -> Result<Option<ReleaseIndex>, DbErr> {
    let started = std::time::Instant::now();
    let rows = releases::index_rows(db).await?;
    // A log behind the index (a database restored from an older backup):
    // nothing to apply can bring it back; build afresh.
    if rows.head().await?.seq < index.seq() {
        rows.finish().await?;
        return Ok(None);
    }
    let changes = rows.changes_after(index.seq(), APPLY_AT_MOST + 1).await?;
    let Some(last) = changes.last().map(|c| c.seq) else {
        rows.finish().await?;
        return Ok(Some(index.at_generation(index.generation().to_owned())));
    };
    let touched: Option<HashSet<i64>> = changes
        .iter()
        .filter(|c| c.change.kind == RecordKind::PressRelease)
        .map(|c| c.change.id)
        .collect();
    let Some(touched) = touched.filter(|_| changes.len() as u64 <= APPLY_AT_MOST) else {
        rows.finish().await?;
        return Ok(None);
    };
    let ids: Vec<i64> = touched.iter().copied().collect();
    let entries = rows.entries(&ids).await?;
    let dead = index.dead_after(&touched);
    let ranks = base_title_ranks(&rows, index, &dead, &entries).await?;
    rows.finish().await?;
    let entries = entries.into_iter().zip(ranks).collect();
    let next = index.apply(last.to_string(), &touched, dead, entries);
    tracing::debug!(
        changes = changes.len(),
        releases = touched.len(),
        overlay = next.overlay.size(),
        elapsed_us = started.elapsed().as_micros() as u64,
        "release index updated from the change log"
    );
    Ok(Some(next))
}
#[cfg(test)]
mod search_cache_tests {
    use super::*;

    fn matches(n: u32) -> Arc<SearchMatches> {
        Arc::new(SearchMatches {
            positions: (0..n).collect(),
            scores: (0..n).map(|p| (p, 1.0)).collect(),
        })
    }

    #[test]
    fn evicts_the_least_recently_used_and_forgets_old_generations() {
        let cache = SearchCache::new(usize::MAX, 25);
        cache.insert("g1", "a".into(), matches(10));
        cache.insert("g1", "b".into(), matches(10));
        assert!(cache.get("g1", &"a".into()).is_some()); // a is now the most recent
        cache.insert("g1", "c".into(), matches(10)); // evicts b
        assert!(cache.get("g1", &"b".into()).is_none());
        assert!(cache.get("g1", &"a".into()).is_some());
        assert!(cache.stats().bytes <= 25);
        cache.insert("g1", "huge".into(), matches(100)); // larger than the budget: not kept
        assert!(cache.get("g1", &"huge".into()).is_none());
        assert!(cache.get("g2", &"a".into()).is_none()); // another generation: stale
        cache.insert("g2", "d".into(), matches(1));
        assert!(cache.get("g2", &"c".into()).is_none());
        assert_eq!(cache.stats().bytes, 2);
        assert_eq!((cache.stats().hits, cache.stats().misses), (2, 4));
    }
}
