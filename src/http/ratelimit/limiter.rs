//! Who a request is counted against, and the budgets of every client,
//! sharded and bounded in memory.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::Mutex;
use std::time::Instant;

use axum::http::HeaderMap;

use super::bucket::{Bucket, Buckets, Verdict};
use super::settings::{RateLimitSettings, key_digest};

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

/// Clients tracked per shard; past it, clients whose budgets are whole
/// again are forgotten, and if none are, the new client is not tracked
/// (counted in a shared overflow bucket), so memory stays bounded.
const CLIENTS_PER_SHARD: usize = 8192;
const SHARDS: usize = 16;

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
        let key = crate::http::auth::api_key_of(headers);
        let Some(key) = key else {
            return Ok(self.client(peer, headers));
        };
        // An editor's key is checked by the authentication layer; unless it
        // is also configured here, it is counted by address.
        let editor_key = key.starts_with(crate::service::auth::KEY_PREFIX);
        let digest = key_digest(key);
        self.settings
            .api_keys
            .iter()
            .position(|known| known.sha256 == digest)
            .map(Client::Key)
            .or_else(|| editor_key.then(|| self.client(peer, headers)))
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

    /// Cost of work already done (a search's matches); `None` when cost is
    /// not limited. Never refused: it makes the next requests wait.
    pub fn charge_cost(&self, client: Client, cost: u64) -> Option<Verdict> {
        let budget = self.budgets(client).1;
        (budget > 0).then(|| self.apply(client, &|b, now| b.cost.charge(budget, cost, now)))
    }

    fn take(&self, client: Client, which: Budget, budget: u64, amount: u64) -> Verdict {
        self.apply(client, &|buckets, now| match which {
            Budget::Requests => buckets.requests.take(budget, amount, now),
            Budget::Cost => buckets.cost.take(budget, amount, now),
        })
    }

    /// Applies `pick` to the client's buckets (or the shared overflow's).
    fn apply(&self, client: Client, pick: &dyn Fn(&mut Buckets, Instant) -> Verdict) -> Verdict {
        let now = Instant::now();
        let pick = |buckets: &mut Buckets| pick(buckets, now);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::ratelimit::ApiKey;
    use axum::http::HeaderName;

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
