//! What the limiter is configured with: the budgets, the trusted proxies
//! and the API keys.

use ipnet::IpNet;
use sha2::{Digest, Sha256};

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
