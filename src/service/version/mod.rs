//! The content version and everything kept per version: the clock that
//! reads it, the derived values built at one version (`derived`), and the
//! bounded caches of answers keyed by it (`cache`). Every write moves the
//! version stored in the database and every replica follows it, so any of
//! these may be lost at any time: a miss only costs a render or a rebuild.

pub mod cache;
pub mod derived;

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use sea_orm::{DatabaseConnection, DbErr};

pub use cache::{UNVERSIONED, VersionedCache, Weigh};

use crate::service::editorial::schedule::Scheduler;
use crate::storage::state;

/// Hits and misses of an in-process cache since the process started.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CacheStats {
    pub hits: u64,
    pub misses: u64,
    pub entries: usize,
    /// What the entries weigh, where the cache counts it.
    pub bytes: usize,
}

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
    /// Publishes scheduled releases when a read finds them due.
    scheduler: Scheduler,
}

impl ContentClock {
    /// `check_interval` zero: read on every call.
    pub fn new(check_interval: Duration) -> Self {
        Self {
            check_interval,
            last: Arc::new(Mutex::new(None)),
            scheduler: Scheduler::default(),
        }
    }

    /// The same clock, publishing scheduled releases through `scheduler`.
    pub fn with_scheduler(mut self, scheduler: Scheduler) -> Self {
        self.scheduler = scheduler;
        self
    }

    /// The current content version: one primary-key read, at most once per
    /// `check_interval`.
    pub async fn version(&self, db: &DatabaseConnection) -> Result<ContentVersion, DbErr> {
        if let Some((read_at, version)) = lock(&self.last).as_ref()
            && read_at.elapsed() < self.check_interval
        {
            return Ok(version.clone());
        }
        let (mut generation, mut changed_at) = state::content_generation_with_time(db).await?;
        if self.scheduler.catch_up(db, &generation).await {
            (generation, changed_at) = state::content_generation_with_time(db).await?;
        }
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

// A poisoned lock only means a panic elsewhere while holding it; the data
// (a cache) is still usable.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
