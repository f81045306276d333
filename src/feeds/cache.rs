//! Rendered feeds kept in process, keyed by the normalised request and the
//! content generation, so a write (by any process: every write transaction
//! stores a new generation) makes every entry unreachable. Bounded, and
//! safe to lose: a miss only costs a render.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use axum::body::Bytes;
use chrono::{DateTime, Utc};
use sea_orm::{DatabaseConnection, DbErr};

use crate::storage::{release_index::GENERATION_KEY, writer};

/// One rendered response with its validators.
#[derive(Clone, Debug)]
pub struct Rendered {
    pub body: Bytes,
    pub content_type: &'static str,
    /// A strong validator: a hash of the bytes.
    pub etag: String,
    /// Whole seconds, as HTTP dates carry them; `None` for static assets,
    /// which have only the ETag.
    pub last_modified: Option<SystemTime>,
}

impl Rendered {
    pub fn new(body: Vec<u8>, content_type: &'static str, modified: Option<DateTime<Utc>>) -> Self {
        let etag = format!("\"{:016x}\"", xxhash_rust::xxh3::xxh3_64(&body));
        Self {
            body: Bytes::from(body),
            content_type,
            etag,
            last_modified: modified.map(|time| {
                SystemTime::UNIX_EPOCH + Duration::from_secs(time.timestamp().max(0) as u64)
            }),
        }
    }
}

/// The content generation and when it was stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContentVersion {
    pub generation: String,
    pub changed_at: DateTime<Utc>,
}

struct Entries {
    generation: String,
    map: HashMap<String, Arc<Rendered>>,
    /// Insertion order, for evicting the oldest entry when full.
    order: VecDeque<String>,
}

struct Inner {
    capacity: usize,
    check_interval: Duration,
    version: Mutex<Option<(Instant, ContentVersion)>>,
    entries: Mutex<Entries>,
    hits: AtomicU64,
    misses: AtomicU64,
}

#[derive(Clone)]
pub struct FeedCache {
    inner: Arc<Inner>,
}

impl FeedCache {
    /// `capacity` 0 turns the cache off; `check_interval` is how long a
    /// read of the generation is trusted before it is read again.
    pub fn new(capacity: usize, check_interval: Duration) -> Self {
        Self {
            inner: Arc::new(Inner {
                capacity,
                check_interval,
                version: Mutex::new(None),
                entries: Mutex::new(Entries {
                    generation: String::new(),
                    map: HashMap::new(),
                    order: VecDeque::new(),
                }),
                hits: AtomicU64::new(0),
                misses: AtomicU64::new(0),
            }),
        }
    }

    /// The current content version: one primary-key read, at most once per
    /// `check_interval` (the feeds' max-age already allows that much lag).
    pub async fn version(&self, db: &DatabaseConnection) -> Result<ContentVersion, DbErr> {
        if let Some((read_at, version)) = self.lock_version().as_ref()
            && read_at.elapsed() < self.inner.check_interval
        {
            return Ok(version.clone());
        }
        let (generation, changed_at) = writer::get_state_with_time(db, GENERATION_KEY)
            .await?
            .unwrap_or_else(|| (String::new(), DateTime::<Utc>::UNIX_EPOCH));
        let version = ContentVersion {
            generation,
            changed_at,
        };
        *self.lock_version() = Some((Instant::now(), version.clone()));
        Ok(version)
    }

    pub fn get(&self, generation: &str, key: &str) -> Option<Arc<Rendered>> {
        let found = {
            let entries = self.lock_entries();
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

    /// Lookups that hit and missed since the cache was made, for `/metrics`.
    pub fn stats(&self) -> crate::metrics::CacheStats {
        crate::metrics::CacheStats {
            hits: self.inner.hits.load(Ordering::Relaxed),
            misses: self.inner.misses.load(Ordering::Relaxed),
            entries: self.len(),
        }
    }

    /// Stores a rendering made at `generation`. Entries of any other
    /// generation are dropped: they can never be asked for again, or they
    /// belong to a render that lost a race with a write.
    pub fn insert(&self, generation: &str, key: String, rendered: Arc<Rendered>) {
        if self.inner.capacity == 0 {
            return;
        }
        let mut entries = self.lock_entries();
        if entries.generation != generation {
            entries.generation = generation.to_string();
            entries.map.clear();
            entries.order.clear();
        }
        if entries.map.insert(key.clone(), rendered).is_none() {
            entries.order.push_back(key);
        }
        while entries.map.len() > self.inner.capacity {
            let Some(oldest) = entries.order.pop_front() else {
                break;
            };
            entries.map.remove(&oldest);
        }
    }

    /// A render saw a newer generation than the one last read: adopt it, so
    /// that lookups use it at once instead of missing until the next check.
    pub fn saw_generation(&self, version: &ContentVersion, generation: &str) {
        if version.generation != generation {
            *self.lock_version() = Some((
                Instant::now(),
                ContentVersion {
                    generation: generation.to_string(),
                    changed_at: version.changed_at,
                },
            ));
        }
    }

    pub fn len(&self) -> usize {
        self.lock_entries().map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    // A poisoned lock only means a panic elsewhere while holding it; the
    // data (a cache) is still usable.
    fn lock_version(&self) -> std::sync::MutexGuard<'_, Option<(Instant, ContentVersion)>> {
        self.inner
            .version
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn lock_entries(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.inner
            .entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(text: &str) -> Arc<Rendered> {
        Arc::new(Rendered::new(text.into(), "text/plain", Some(Utc::now())))
    }

    #[test]
    fn bounded_and_keyed_by_generation() {
        let cache = FeedCache::new(2, Duration::ZERO);
        cache.insert("g1", "a".into(), rendered("a"));
        cache.insert("g1", "b".into(), rendered("b"));
        cache.insert("g1", "c".into(), rendered("c"));
        assert_eq!(cache.len(), 2);
        assert!(
            cache.get("g1", "a").is_none(),
            "the oldest entry is evicted"
        );
        assert!(cache.get("g1", "c").is_some());
        assert!(cache.get("g2", "c").is_none(), "another generation misses");
        assert_eq!((cache.stats().hits, cache.stats().misses), (1, 2));
        cache.insert("g2", "a".into(), rendered("a2"));
        assert_eq!(cache.len(), 1, "a new generation drops the old entries");
    }

    #[test]
    fn etags_follow_the_bytes() {
        assert_eq!(rendered("x").etag, rendered("x").etag);
        assert_ne!(rendered("x").etag, rendered("y").etag);
    }
}
