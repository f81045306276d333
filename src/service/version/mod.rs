//! The content version and everything kept per version: the clock that
//! reads it, the derived values built at one version, and the bounded
//! caches of answers keyed by it. Every replica follows the version stored
//! in the database, so any of these may be lost at any time.

pub mod cache;
pub mod derived;

pub use cache::{ContentClock, ContentVersion, GenerationCache, Weigh};

/// Hits and misses of an in-process cache since the process started.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CacheStats {
    pub hits: u64,
    pub misses: u64,
    pub entries: usize,
    /// What the entries weigh, where the cache counts it.
    pub bytes: usize,
}
