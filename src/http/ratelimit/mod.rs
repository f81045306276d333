//! Per-client rate limits, per replica: for each client IP a budget of
//! requests and a budget of GraphQL cost (`extensions.cost.requested`) per
//! minute, each a bucket that refills continuously. Every limited response
//! says where the client stands (`RateLimit-Limit`, `RateLimit-Remaining`,
//! `RateLimit-Reset`: seconds until the budget is whole again); over the
//! limit it is `429` with `Retry-After`.
//!
//! Budgets are per replica, with no shared counter: size them as the
//! cluster-wide budget divided by the number of replicas (a load balancer
//! spreads one client's requests over all of them).
//!
//! A client that sends a configured API key (`Authorization: Bearer KEY` or
//! `X-API-Key: KEY`) is counted by its key, on that key's budgets, wherever
//! it connects from; an unknown key is refused with 401 rather than counted
//! by IP, so that a typo does not silently fall back to the smaller budget.
//! Keys are configured by their SHA-256, so the configuration holds no secret.
//!
//! The client is the TCP peer, unless the peer is a configured proxy: then
//! it is the rightmost address of `X-Forwarded-For` that is not a proxy
//! (addresses to its left are the client's word, and can be forged). IPv6
//! clients are counted by /64, the block one subscriber usually holds.

mod bucket;
mod limiter;
mod middleware;
mod settings;

pub use bucket::{RATELIMIT_LIMIT, RATELIMIT_REMAINING, RATELIMIT_RESET, Verdict};
pub use limiter::{Client, RateLimiter, UnknownKey};
pub(crate) use middleware::graphql_error;
pub use middleware::{RATE_LIMITED, UNAUTHENTICATED, limit};
pub use settings::{ApiKey, RateLimitSettings, key_digest};
