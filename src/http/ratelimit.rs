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

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::{
    extract::{ConnectInfo, Request, State},
    http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use ipnet::IpNet;
use sha2::{Digest, Sha256};

use super::error::ApiError;

/// Settings of the limiter; a budget of 0 is no limit.
#[derive(Clone, Debug, Default)]
pub struct RateLimitSettings {
    /// Per client IP.
    pub requests_per_minute: u64,
    pub cost_per_minute: u64,
    /// Proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<IpNet>,
    /// Clients known by key, each with its own budgets.
    pub api_keys: Vec<ApiKey>,
}

impl RateLimitSettings {
    pub fn enabled(&self) -> bool {
        self.requests_per_minute > 0 || self.cost_per_minute > 0 || !self.api_keys.is_empty()
    }
}

/// A client known by its key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiKey {
    /// Who holds it, for people reading the configuration and logs.
    pub name: String,
    pub sha256: [u8; 32],
    pub requests_per_minute: u64,
    pub cost_per_minute: u64,
}

/// The SHA-256 of a key, as the configuration names it.
pub fn key_digest(key: &str) -> [u8; 32] {
    Sha256::digest(key.as_bytes()).into()
}

/// The client a request is counted against: its IP (IPv6 by /64), or the
/// API key it sent (an index into the configured keys).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Client {
    Ip(IpAddr),
    Key(usize),
}

/// A request's API key is not one this service knows.
#[derive(Debug)]
pub struct UnknownKey;

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

/// Clients tracked per shard; past it, clients whose budgets are whole
/// again are forgotten, and if none are, the new client is not tracked
/// (counted in a shared overflow bucket), so memory stays bounded.
const CLIENTS_PER_SHARD: usize = 8192;
const SHARDS: usize = 16;

/// How much of a budget is in use, draining at budget/60 per second.
#[derive(Clone, Copy, Debug)]
struct Bucket {
    used: f64,
    at: Instant,
}

impl Bucket {
    fn new(now: Instant) -> Self {
        Self { used: 0.0, at: now }
    }

    fn take(&mut self, budget: u64, amount: u64, now: Instant) -> Verdict {
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

    fn idle(&self, budget: u64, now: Instant) -> bool {
        let drained = now.saturating_duration_since(self.at).as_secs_f64() * budget as f64 / 60.0;
        drained >= self.used
    }
}

#[derive(Clone, Copy, Debug)]
struct Buckets {
    requests: Bucket,
    cost: Bucket,
}

pub struct RateLimiter {
    settings: RateLimitSettings,
    hasher: RandomState,
    shards: Vec<Mutex<HashMap<Client, Buckets>>>,
    /// Clients that found their shard full share this one.
    overflow: Mutex<Buckets>,
}

enum Budget {
    Requests,
    Cost,
}

impl RateLimiter {
    pub fn new(settings: RateLimitSettings) -> Self {
        let now = Instant::now();
        Self {
            settings,
            hasher: RandomState::new(),
            shards: (0..SHARDS).map(|_| Mutex::new(HashMap::new())).collect(),
            overflow: Mutex::new(Buckets {
                requests: Bucket::new(now),
                cost: Bucket::new(now),
            }),
        }
    }

    /// Who sent a request: the API key it sent, when keys are configured,
    /// or else the address it came from.
    pub fn identify(
        &self,
        peer: Option<IpAddr>,
        headers: &HeaderMap,
    ) -> Result<Client, UnknownKey> {
        if self.settings.api_keys.is_empty() {
            return Ok(self.client(peer, headers));
        }
        let bearer = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, key)| key.trim());
        let key = bearer.or_else(|| {
            headers
                .get("x-api-key")
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
        });
        let Some(key) = key else {
            return Ok(self.client(peer, headers));
        };
        let digest = key_digest(key);
        self.settings
            .api_keys
            .iter()
            .position(|known| known.sha256 == digest)
            .map(Client::Key)
            .ok_or(UnknownKey)
    }

    /// The budgets of a client (requests, cost per minute).
    fn budgets(&self, client: Client) -> (u64, u64) {
        match client {
            Client::Key(i) => self
                .settings
                .api_keys
                .get(i)
                .map_or((0, 0), |key| (key.requests_per_minute, key.cost_per_minute)),
            Client::Ip(_) => (
                self.settings.requests_per_minute,
                self.settings.cost_per_minute,
            ),
        }
    }

    /// The address-based client of a request that came from `peer` with
    /// these headers.
    pub fn client(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> Client {
        let peer = peer.unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        let trusted = |ip: &IpAddr| self.settings.trusted_proxies.iter().any(|n| n.contains(ip));
        let mut client = peer;
        if trusted(&peer) {
            let hops: Vec<&str> = headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .collect();
            // From the nearest hop outwards; garbage ends the walk.
            for hop in hops.iter().rev() {
                let Ok(ip) = hop.trim().parse::<IpAddr>() else {
                    break;
                };
                client = ip;
                if !trusted(&ip) {
                    break;
                }
            }
        }
        Client::Ip(match client {
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => IpAddr::V4(v4),
                None => {
                    let prefix = u128::from(v6) & !((1u128 << 64) - 1);
                    IpAddr::V6(Ipv6Addr::from(prefix))
                }
            },
            v4 => v4,
        })
    }

    /// One request; `None` when requests are not limited.
    pub fn take_request(&self, client: Client) -> Option<Verdict> {
        let budget = self.budgets(client).0;
        (budget > 0).then(|| self.take(client, Budget::Requests, budget, 1))
    }

    /// A GraphQL operation's requested cost; `None` when cost is not limited.
    pub fn take_cost(&self, client: Client, cost: u64) -> Option<Verdict> {
        let budget = self.budgets(client).1;
        (budget > 0).then(|| self.take(client, Budget::Cost, budget, cost))
    }

    fn take(&self, client: Client, which: Budget, budget: u64, amount: u64) -> Verdict {
        let now = Instant::now();
        let pick = |buckets: &mut Buckets| -> Verdict {
            match which {
                Budget::Requests => buckets.requests.take(budget, amount, now),
                Budget::Cost => buckets.cost.take(budget, amount, now),
            }
        };
        let shard = &self.shards[self.hasher.hash_one(client) as usize % SHARDS];
        // A poisoned lock only means a panic elsewhere; counters stay usable.
        let mut clients = shard.lock().unwrap_or_else(|p| p.into_inner());
        // Keyed clients are few (configured) and always tracked: a flood of
        // addresses must not push them into the shared overflow budget.
        if matches!(client, Client::Ip(_))
            && !clients.contains_key(&client)
            && clients.len() >= CLIENTS_PER_SHARD
        {
            clients.retain(|known, b| {
                let (requests, cost) = self.budgets(*known);
                !(b.requests.idle(requests, now) && b.cost.idle(cost, now))
            });
            if clients.len() >= CLIENTS_PER_SHARD {
                drop(clients);
                let mut shared = self.overflow.lock().unwrap_or_else(|p| p.into_inner());
                return pick(&mut shared);
            }
        }
        let buckets = clients.entry(client).or_insert(Buckets {
            requests: Bucket::new(now),
            cost: Bucket::new(now),
        });
        pick(buckets)
    }
}

/// Counts a request against its client's request budget; refuses it with
/// 429 when the budget is spent. Leaves the client in the request's
/// extensions for the GraphQL handler, which charges the cost.
pub async fn limit(
    State(limiter): State<Arc<RateLimiter>>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip());
    let client = match limiter.identify(peer, request.headers()) {
        Ok(client) => client,
        Err(UnknownKey) => return unknown_key(request.uri().path() == "/graphql"),
    };
    request.extensions_mut().insert(client);
    let verdict = limiter.take_request(client);
    let mut response = match verdict {
        Some(verdict) if !verdict.allowed => {
            let message = format!(
                "too many requests: at most {} a minute; retry in {} s",
                verdict.limit, verdict.retry_after
            );
            if request.uri().path() == "/graphql" {
                graphql_refusal(&message)
            } else {
                ApiError::new(StatusCode::TOO_MANY_REQUESTS, "rate_limited", message)
                    .into_response()
            }
        }
        _ => next.run(request).await,
    };
    if let Some(verdict) = verdict {
        verdict.write_headers(response.headers_mut());
    }
    response
}

/// 401 for a key this service does not know.
fn unknown_key(graphql: bool) -> Response {
    let message = "this API key is not known here; send a configured key, or none";
    let mut response = if graphql {
        graphql_error(StatusCode::UNAUTHORIZED, UNAUTHENTICATED, message)
    } else {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthenticated", message).into_response()
    };
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"osce-api\""),
    );
    response
}

/// 429 as a GraphQL response (the client may not accept anything else).
fn graphql_refusal(message: &str) -> Response {
    graphql_error(StatusCode::TOO_MANY_REQUESTS, RATE_LIMITED, message)
}

fn graphql_error(status: StatusCode, code: &'static str, message: &str) -> Response {
    let body = serde_json::json!({
        "errors": [{ "message": message, "extensions": { "code": code } }]
    });
    let mut response = (status, axum::Json(body)).into_response();
    response
        .extensions_mut()
        .insert(crate::http::metrics::ErrorCode(code));
    response
}

/// The GraphQL error code of a request with an unknown API key.
pub const UNAUTHENTICATED: &str = "UNAUTHENTICATED";

/// The GraphQL error code of a request over its budget.
pub const RATE_LIMITED: &str = "RATE_LIMITED";

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
        // More than the whole budget at once: takes it all, alone.
        let mut fresh = Bucket::new(start);
        assert!(fresh.take(100, 5000, start).allowed);
        assert!(!fresh.take(100, 1, start).allowed);
    }

    fn limiter(trusted: &[&str]) -> RateLimiter {
        RateLimiter::new(RateLimitSettings {
            requests_per_minute: 2,
            cost_per_minute: 100,
            trusted_proxies: trusted.iter().map(|n| n.parse().unwrap()).collect(),
            api_keys: Vec::new(),
        })
    }

    fn forwarded(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", value.parse().unwrap());
        headers
    }

    #[test]
    fn forwarded_for_is_believed_only_from_proxies() {
        let limiter = limiter(&["10.0.0.0/8"]);
        let ip = |s: &str| Some(s.parse::<IpAddr>().unwrap());
        let client = |s: &str| Client::Ip(s.parse().unwrap());
        // Not from a proxy: the header is ignored.
        assert_eq!(
            limiter.client(ip("203.0.113.9"), &forwarded("1.2.3.4")),
            client("203.0.113.9")
        );
        // From a proxy: the rightmost address that is not a proxy.
        assert_eq!(
            limiter.client(
                ip("10.0.0.2"),
                &forwarded("6.6.6.6, 198.51.100.7, 10.1.1.1")
            ),
            client("198.51.100.7")
        );
        // Garbage ends the walk; nothing usable leaves the proxy itself.
        assert_eq!(
            limiter.client(ip("10.0.0.2"), &forwarded("nonsense")),
            client("10.0.0.2")
        );
        assert_eq!(
            limiter.client(ip("10.0.0.2"), &HeaderMap::new()),
            client("10.0.0.2")
        );
        // IPv6 by /64; IPv4-mapped addresses as IPv4.
        assert_eq!(
            limiter.client(ip("2001:db8:1:2:aaaa::1"), &HeaderMap::new()),
            client("2001:db8:1:2::")
        );
        assert_eq!(
            limiter.client(ip("::ffff:192.0.2.1"), &HeaderMap::new()),
            client("192.0.2.1")
        );
    }

    #[test]
    fn budgets_are_per_client() {
        let limiter = limiter(&[]);
        let a = Client::Ip("192.0.2.1".parse().unwrap());
        let b = Client::Ip("192.0.2.2".parse().unwrap());
        assert!(limiter.take_request(a).unwrap().allowed);
        assert!(limiter.take_request(a).unwrap().allowed);
        assert!(!limiter.take_request(a).unwrap().allowed);
        assert!(limiter.take_request(b).unwrap().allowed);
        assert!(limiter.take_cost(b, 80).unwrap().allowed);
        let refused = limiter.take_cost(b, 30).unwrap();
        assert!(!refused.allowed);
        assert_eq!(refused.remaining, 20);
    }

    #[test]
    fn api_keys_have_their_own_budgets() {
        let limiter = RateLimiter::new(RateLimitSettings {
            requests_per_minute: 1,
            cost_per_minute: 0,
            trusted_proxies: Vec::new(),
            api_keys: vec![ApiKey {
                name: "newsroom".into(),
                sha256: key_digest("s3cret"),
                requests_per_minute: 3,
                cost_per_minute: 0,
            }],
        });
        let peer = Some("192.0.2.1".parse().unwrap());
        let with = |name: &str, value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(HeaderName::try_from(name).unwrap(), value.parse().unwrap());
            headers
        };
        let keyed = limiter
            .identify(peer, &with("authorization", "Bearer s3cret"))
            .unwrap();
        assert_eq!(keyed, Client::Key(0));
        assert_eq!(
            limiter
                .identify(peer, &with("x-api-key", "s3cret"))
                .unwrap(),
            keyed
        );
        assert!(limiter.identify(peer, &with("x-api-key", "guess")).is_err());
        assert_eq!(
            limiter.identify(peer, &HeaderMap::new()).unwrap(),
            Client::Ip("192.0.2.1".parse().unwrap())
        );
        for _ in 0..3 {
            assert!(limiter.take_request(keyed).unwrap().allowed);
        }
        assert!(!limiter.take_request(keyed).unwrap().allowed);
        let by_ip = limiter.identify(peer, &HeaderMap::new()).unwrap();
        assert!(limiter.take_request(by_ip).unwrap().allowed);
        assert!(!limiter.take_request(by_ip).unwrap().allowed);
        assert_eq!(
            limiter.take_cost(keyed, 10),
            None,
            "no cost budget: unlimited"
        );
    }
}
