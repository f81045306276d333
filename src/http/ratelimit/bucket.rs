//! One budget of one client: a bucket that drains continuously, and the
//! verdict (and headers) of taking from it.

use std::time::Instant;

use axum::http::{HeaderMap, HeaderName, HeaderValue, header};

/// Where a client stands after asking for some of a budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub allowed: bool,
    pub limit: u64,
    pub remaining: u64,
    /// Seconds until the budget is whole again.
    pub reset: u64,
    /// Seconds until the refused amount would fit (0 when allowed).
    pub retry_after: u64,
}

impl Verdict {
    /// `RateLimit-*` (and, when refused, `Retry-After`) on a response,
    /// unless it already has them (a GraphQL response carries its cost's).
    pub fn write_headers(&self, headers: &mut HeaderMap) {
        if headers.contains_key(RATELIMIT_LIMIT) {
            return;
        }
        headers.insert(RATELIMIT_LIMIT, HeaderValue::from(self.limit));
        headers.insert(RATELIMIT_REMAINING, HeaderValue::from(self.remaining));
        headers.insert(RATELIMIT_RESET, HeaderValue::from(self.reset));
        if !self.allowed {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(self.retry_after));
        }
    }
}

pub const RATELIMIT_LIMIT: HeaderName = HeaderName::from_static("ratelimit-limit");
pub const RATELIMIT_REMAINING: HeaderName = HeaderName::from_static("ratelimit-remaining");
pub const RATELIMIT_RESET: HeaderName = HeaderName::from_static("ratelimit-reset");

/// How much of a budget is in use, draining at budget/60 per second.
#[derive(Clone, Copy, Debug)]
pub(super) struct Bucket {
    used: f64,
    at: Instant,
}

impl Bucket {
    pub(super) fn new(now: Instant) -> Self {
        Self { used: 0.0, at: now }
    }

    pub(super) fn take(&mut self, budget: u64, amount: u64, now: Instant) -> Verdict {
        let capacity = budget as f64;
        let per_second = capacity / 60.0;
        let elapsed = now.saturating_duration_since(self.at).as_secs_f64();
        self.used = (self.used - elapsed * per_second).max(0.0);
        self.at = now;
        // One request larger than the whole budget may still run, alone.
        let amount = amount.min(budget) as f64;
        let allowed = self.used + amount <= capacity;
        if allowed {
            self.used += amount;
        }
        let retry_after = if allowed {
            0
        } else {
            ((self.used + amount - capacity) / per_second)
                .ceil()
                .max(1.0) as u64
        };
        Verdict {
            allowed,
            limit: budget,
            remaining: (capacity - self.used).max(0.0).floor() as u64,
            reset: (self.used / per_second).ceil() as u64,
            retry_after,
        }
    }

    /// Charges work already done (a search's matches, known only once it
    /// ran): never refused, it fills the bucket up to the whole budget, so
    /// the client's next requests wait while it drains.
    pub(super) fn charge(&mut self, budget: u64, amount: u64, now: Instant) -> Verdict {
        let capacity = budget as f64;
        let per_second = capacity / 60.0;
        let elapsed = now.saturating_duration_since(self.at).as_secs_f64();
        self.used = ((self.used - elapsed * per_second).max(0.0) + amount as f64).min(capacity);
        self.at = now;
        Verdict {
            allowed: true,
            limit: budget,
            remaining: (capacity - self.used).max(0.0).floor() as u64,
            reset: (self.used / per_second).ceil() as u64,
            retry_after: 0,
        }
    }

    pub(super) fn idle(&self, budget: u64, now: Instant) -> bool {
        let drained = now.saturating_duration_since(self.at).as_secs_f64() * budget as f64 / 60.0;
        drained >= self.used
    }
}

#[derive(Clone, Copy, Debug)]
pub(super) struct Buckets {
    pub(super) requests: Bucket,
    pub(super) cost: Bucket,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;
    #[test]
    fn buckets_refill_over_a_minute() {
        let start = Instant::now();
        let mut bucket = Bucket::new(start);
        for i in 0..60 {
            let verdict = bucket.take(60, 1, start);
            assert!(verdict.allowed, "{i}");
            assert_eq!(verdict.remaining, 59 - i);
        }
        let refused = bucket.take(60, 1, start);
        assert!(!refused.allowed);
        assert_eq!((refused.retry_after, refused.reset), (1, 60));
        // One a second comes back.
        assert!(bucket.take(60, 1, start + Duration::from_secs(1)).allowed);
        assert!(!bucket.take(60, 1, start + Duration::from_secs(1)).allowed);
        assert!(bucket.idle(60, start + Duration::from_secs(61)));
        // Work charged after the fact fills the bucket, never past it.
        let mut charged = Bucket::new(start);
        assert_eq!(charged.charge(60, 20, start).remaining, 40);
        assert_eq!(charged.charge(60, 500, start).remaining, 0);
        assert!(!charged.take(60, 1, start).allowed);
        assert!(charged.take(60, 1, start + Duration::from_secs(1)).allowed);
        // More than the whole budget at once: takes it all, alone.
        let mut fresh = Bucket::new(start);
        assert!(fresh.take(100, 5000, start).allowed);
        assert!(!fresh.take(100, 1, start).allowed);
    }
}
