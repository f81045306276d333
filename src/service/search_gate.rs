//! A bound on the full-text searches one replica runs at once. A common
//! word matches tens of thousands of releases, and ranking them holds a
//! database connection for a good part of a second: 32 such requests at
//! once took every pooled connection, and everything else (lists, feeds,
//! health checks) then failed on the pool's timeout. Searches beyond the
//! bound wait their turn for a while, then get a fast `Busy` (503 with
//! `Retry-After: 1`), and the rest of the pool stays free for other
//! requests. Per replica and in memory: nothing another replica needs.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::QueryError;

/// Searches one replica runs at once by default, against 16 pooled
/// connections.
pub const DEFAULT_CONCURRENT_SEARCHES: usize = 4;
/// How long a search waits for its turn by default.
pub const DEFAULT_SEARCH_QUEUE_WAIT: Duration = Duration::from_secs(5);

#[derive(Clone)]
pub struct SearchGate {
    permits: Arc<Semaphore>,
    wait: Duration,
}

impl Default for SearchGate {
    fn default() -> Self {
        Self::new(DEFAULT_CONCURRENT_SEARCHES, DEFAULT_SEARCH_QUEUE_WAIT)
    }
}

/// A search's turn: the next may start when it is dropped.
pub struct Turn(#[allow(dead_code, reason = "held for its drop")] OwnedSemaphorePermit);

impl SearchGate {
    /// At most `concurrent` (at least one) searches at once; the others
    /// wait up to `wait`.
    pub fn new(concurrent: usize, wait: Duration) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(concurrent.clamp(1, Semaphore::MAX_PERMITS))),
            wait,
        }
    }

    /// Waits for a turn to run a search, or `Busy` after the wait.
    pub async fn enter(&self) -> Result<Turn, QueryError> {
        let permits = Arc::clone(&self.permits);
        match tokio::time::timeout(self.wait, permits.acquire_owned()).await {
            Ok(Ok(permit)) => Ok(Turn(permit)),
            // Timed out (or closed, which this code never does).
            _ => Err(QueryError::Busy(
                "too many searches are running on this server; retry in a second".into(),
            )),
        }
    }
}
