//! The one bounded cache type: least recently used entries go first when
//! it is over its count or its byte budget, and every entry belongs to one
//! content version. Storing an entry of a newer version drops the others
//! (they can never be asked for again), and a lookup at another version
//! misses. Used for GraphQL answers, rendered feeds, search matches and,
//! with the fixed `UNVERSIONED`, for persisted query texts.

use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use lru::LruCache;

use super::{CacheStats, lock};

/// The version of entries that do not depend on the content.
pub const UNVERSIONED: &str = "";

/// What an entry costs the cache's byte budget.
pub trait Weigh {
    fn weight(&self) -> usize;
}

impl<T: Weigh> Weigh for Arc<T> {
    fn weight(&self) -> usize {
        T::weight(self)
    }
}

struct Entries<K: Hash + Eq, V> {
    version: String,
    map: LruCache<K, V>,
    bytes: usize,
}

struct Inner<K: Hash + Eq, V> {
    max_entries: usize,
    max_bytes: usize,
    entries: Mutex<Entries<K, V>>,
    hits: AtomicU64,
    misses: AtomicU64,
}

/// Values of one content version, bounded in entries and bytes. Cloning
/// shares the cache.
pub struct VersionedCache<K: Hash + Eq, V> {
    inner: Arc<Inner<K, V>>,
}

impl<K: Hash + Eq, V> Clone for VersionedCache<K, V> {
    fn clone(&self) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<K: Hash + Eq, V: Clone + Weigh> VersionedCache<K, V> {
    /// `max_entries` or `max_bytes` 0 turns the cache off.
    pub fn new(max_entries: usize, max_bytes: usize) -> Self {
        Self {
            inner: Arc::new(Inner {
                max_entries,
                max_bytes,
                entries: Mutex::new(Entries {
                    version: String::new(),
                    map: LruCache::unbounded(),
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

    /// The value of `key` at `version`, which becomes the most recently used.
    pub fn get(&self, version: &str, key: &K) -> Option<V> {
        let found = self.look_again(version, key);
        let counter = if found.is_some() {
            &self.inner.hits
        } else {
            &self.inner.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// `get` without counting: for a second look after waiting (a value
    /// another request made meanwhile), whose miss was counted already.
    pub fn look_again(&self, version: &str, key: &K) -> Option<V> {
        let mut entries = lock(&self.inner.entries);
        if entries.version == version {
            entries.map.get(key).cloned()
        } else {
            None
        }
    }

    /// Stores a value made at `version`. Entries of any other version are
    /// dropped: they can never be asked for again, or they belong to a
    /// render that lost a race with a write. A value larger than the whole
    /// budget is not kept; one replacing another keeps its place in the
    /// eviction order.
    pub fn insert(&self, version: &str, key: K, value: V) {
        let weight = value.weight();
        if !self.enabled() || weight > self.inner.max_bytes {
            return;
        }
        let mut entries = lock(&self.inner.entries);
        if entries.version != version {
            entries.version = version.to_string();
            entries.map.clear();
            entries.bytes = 0;
        }
        let replaced = match entries.map.peek_mut(&key) {
            Some(held) => Some(std::mem::replace(held, value)),
            None => {
                entries.map.put(key, value);
                None
            }
        };
        if let Some(replaced) = replaced {
            entries.bytes -= replaced.weight();
        }
        entries.bytes += weight;
        while entries.map.len() > self.inner.max_entries || entries.bytes > self.inner.max_bytes {
            let Some((_, evicted)) = entries.map.pop_lru() else {
                break;
            };
            entries.bytes -= evicted.weight();
        }
    }

    /// Lookups that hit and missed since the cache was made, and what it
    /// holds now, for `/metrics`.
    pub fn stats(&self) -> CacheStats {
        let entries = lock(&self.inner.entries);
        CacheStats {
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
        let cache = VersionedCache::<String, &'static str>::new(2, usize::MAX);
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
    fn evicts_the_least_recently_used() {
        let cache = VersionedCache::<u32, &'static str>::new(2, usize::MAX);
        cache.insert("g", 1, "a");
        cache.insert("g", 2, "b");
        assert!(cache.get("g", &1).is_some(), "1 is now the most recent");
        cache.insert("g", 3, "c");
        assert!(
            cache.get("g", &2).is_none(),
            "2 was the least recently used"
        );
        assert!(cache.get("g", &1).is_some());
    }

    #[test]
    fn bounded_in_bytes() {
        let cache = VersionedCache::<u32, &'static str>::new(100, 10);
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
        assert!(!VersionedCache::<u32, &'static str>::new(0, 10).enabled());
    }
}
