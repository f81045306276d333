//! In-process caches of rendered responses (feeds, embeds, GraphQL
//! results), keyed by the content generation: every write transaction stores
//! a new generation, so a write by any process makes every entry
//! unreachable. Bounded in entries and bytes, and safe to lose: a miss only
//! costs a render, so replicas need not share them.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use sea_orm::{DatabaseConnection, DbErr};

use crate::storage::state;

/// The content generation and when it was stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContentVersion {
    pub generation: String,
    pub changed_at: DateTime<Utc>,
}

/// The content version as this process last read it, re-read at most once
/// per `check_interval`: the lag it allows is bounded by the responses'
/// own `max-age`, and it spares a database read per cached answer.
#[derive(Clone)]
pub struct ContentClock {
    check_interval: Duration,
    last: Arc<Mutex<Option<(Instant, ContentVersion)>>>,
}

impl ContentClock {
    /// `check_interval` zero: read on every call.
    pub fn new(check_interval: Duration) -> Self {
        Self {
            check_interval,
            last: Arc::new(Mutex::new(None)),
        }
    }

    /// The current content version: one primary-key read, at most once per
    /// `check_interval`.
    pub async fn version(&self, db: &DatabaseConnection) -> Result<ContentVersion, DbErr> {
        if let Some((read_at, version)) = lock(&self.last).as_ref()
            && read_at.elapsed() < self.check_interval
        {
            return Ok(version.clone());
        }
        let (generation, changed_at) = state::content_generation_with_time(db).await?;
        let version = ContentVersion {
            generation,
            changed_at,
        };
        *lock(&self.last) = Some((Instant::now(), version.clone()));
        Ok(version)
    }

    /// A render that started at `version` saw `generation`, a newer one:
    /// adopt it, so that lookups use it at once instead of missing until
    /// the next check; unless the clock moved on meanwhile (never back).
    pub fn saw_generation(&self, version: &ContentVersion, generation: &str) {
        if version.generation == generation {
            return;
        }
        let mut last = lock(&self.last);
        if last.as_ref().is_some_and(|(_, v)| v == version) {
            *last = Some((
                Instant::now(),
                ContentVersion {
                    generation: generation.to_string(),
                    changed_at: version.changed_at,
                },
            ));
        }
    }

    /// Whether `generation` is the one last read: an answer made at another
    /// (older, or one the clock has not seen yet) is not worth caching, and
    /// storing it would drop the entries of the current one.
    pub fn is_current(&self, generation: &str) -> bool {
        lock(&self.last)
            .as_ref()
            .is_some_and(|(_, v)| v.generation == generation)
    }
}

/// What an entry costs the cache's byte budget.
pub trait Weigh {
    fn weight(&self) -> usize;
}

impl<T: Weigh> Weigh for Arc<T> {
    fn weight(&self) -> usize {
        T::weight(self)
    }
}

struct Entries<K, V> {
    generation: String,
    map: HashMap<K, V>,
    /// Insertion order, for evicting the oldest entries when full.
    order: VecDeque<K>,
    bytes: usize,
}

struct Inner<K, V> {
    max_entries: usize,
    max_bytes: usize,
    entries: Mutex<Entries<K, V>>,
    hits: AtomicU64,
    misses: AtomicU64,
}

/// Responses of one content generation, the oldest evicted first.
pub struct GenerationCache<K, V> {
    inner: Arc<Inner<K, V>>,
}

impl<K, V> Clone for GenerationCache<K, V> {
    fn clone(&self) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<K: Hash + Eq + Clone, V: Clone + Weigh> GenerationCache<K, V> {
    /// `max_entries` or `max_bytes` 0 turns the cache off.
    pub fn new(max_entries: usize, max_bytes: usize) -> Self {
        Self {
            inner: Arc::new(Inner {
                max_entries,
                max_bytes,
                entries: Mutex::new(Entries {
                    generation: String::new(),
                    map: HashMap::new(),
                    order: VecDeque::new(),
                    bytes: 0,
                }),
                hits: AtomicU64::new(0),
                misses: AtomicU64::new(0),
            }),
        }
    }

    pub fn enabled(&self) -> bool {
        self.inner.max_entries > 0 && self.inner.max_bytes > 0
    }

    pub fn get(&self, generation: &str, key: &K) -> Option<V> {
        let found = {
            let entries = lock(&self.inner.entries);
            if entries.generation == generation {
                entries.map.get(key).cloned()
            } else {
                None
            }
        };
        let counter = if found.is_some() {
            &self.inner.hits
        } else {
            &self.inner.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// Stores a response made at `generation`. Entries of any other
    /// generation are dropped: they can never be asked for again, or they
    /// belong to a render that lost a race with a write. An entry larger
    /// than the whole budget is not kept.
    pub fn insert(&self, generation: &str, key: K, value: V) {
        let weight = value.weight();
        if !self.enabled() || weight > self.inner.max_bytes {
            return;
        }
        let mut entries = lock(&self.inner.entries);
        if entries.generation != generation {
            entries.generation = generation.to_string();
            entries.map.clear();
            entries.order.clear();
            entries.bytes = 0;
        }
        match entries.map.insert(key.clone(), value) {
            Some(replaced) => entries.bytes -= replaced.weight(),
            None => entries.order.push_back(key),
        }
        entries.bytes += weight;
        while entries.map.len() > self.inner.max_entries || entries.bytes > self.inner.max_bytes {
            let Some(oldest) = entries.order.pop_front() else {
                break;
            };
            if let Some(evicted) = entries.map.remove(&oldest) {
                entries.bytes -= evicted.weight();
            }
        }
    }

    /// Lookups that hit and missed since the cache was made, for `/metrics`.
    pub fn stats(&self) -> crate::service::version::CacheStats {
        let entries = lock(&self.inner.entries);
        crate::service::version::CacheStats {
            hits: self.inner.hits.load(Ordering::Relaxed),
            misses: self.inner.misses.load(Ordering::Relaxed),
            entries: entries.map.len(),
            bytes: entries.bytes,
        }
    }

    pub fn len(&self) -> usize {
        lock(&self.inner.entries).map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

// A poisoned lock only means a panic elsewhere while holding it; the data
// (a cache) is still usable.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    impl Weigh for &'static str {
        fn weight(&self) -> usize {
            self.len()
        }
    }

    #[test]
    fn bounded_and_keyed_by_generation() {
        let cache = GenerationCache::<String, &'static str>::new(2, usize::MAX);
        cache.insert("g1", "a".into(), "a");
        cache.insert("g1", "b".into(), "b");
        cache.insert("g1", "c".into(), "c");
        assert_eq!(cache.len(), 2);
        assert!(
            cache.get("g1", &"a".into()).is_none(),
            "the oldest entry is evicted"
        );
        assert!(cache.get("g1", &"c".into()).is_some());
        assert!(
            cache.get("g2", &"c".into()).is_none(),
            "another generation misses"
        );
        assert_eq!((cache.stats().hits, cache.stats().misses), (1, 2));
        cache.insert("g2", "a".into(), "a2");
        assert_eq!(cache.len(), 1, "a new generation drops the old entries");
    }

    #[test]
    fn bounded_in_bytes() {
        let cache = GenerationCache::<u32, &'static str>::new(100, 10);
        cache.insert("g", 1, "aaaa");
        cache.insert("g", 2, "bbbb");
        cache.insert("g", 1, "aaa");
        assert_eq!(
            cache.stats().bytes,
            7,
            "a replaced entry gives its bytes back"
        );
        cache.insert("g", 3, "cccc");
        assert_eq!(cache.get("g", &1), None, "the oldest goes to make room");
        assert_eq!(cache.stats().bytes, 8);
        cache.insert("g", 4, "far more than ten bytes");
        assert_eq!(cache.get("g", &4), None, "too large to keep");
        assert_eq!(cache.len(), 2);
        assert!(!GenerationCache::<u32, &'static str>::new(0, 10).enabled());
    }
}
