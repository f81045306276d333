//! Typed settings, layered: built-in defaults < config file < environment <
//! command-line flags.

use std::{
    collections::BTreeMap,
    net::{IpAddr, SocketAddr},
    path::Path,
    time::Duration,
};

use figment::{
    Figment,
    providers::{Env, Format, Serialized, Toml},
};
use serde::{Deserialize, Serialize};

use crate::domain::{DEFAULT_FALLBACKS, DEFAULT_LOCALES, Locales};
use crate::feeds::{FeedOptions, PublicUrl};
use crate::graphql::limits::Limits;
use crate::http::ratelimit::{ApiKey, RateLimitSettings};
use crate::http::{AppState, CacheSettings};
use crate::service::search_gate::SearchGate;
use crate::service::webhooks::WebhookSettings;
use crate::storage::DbSettings;
use ipnet::IpNet;
use sea_orm::DatabaseConnection;

/// Where the embedded default database lives.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/osce.db?mode=rwc";

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// `sqlite://…` (default, a file under `./data/`) or `postgres://…`.
    pub database_url: String,
    /// Address the HTTP server listens on.
    pub listen: SocketAddr,
    /// Database connections per process.
    pub max_connections: u32,
    /// Longest any one SQL statement may run (PostgreSQL), in milliseconds.
    pub statement_timeout_ms: u64,
    /// Longest a request waits for a database connection (connecting
    /// included) before it fails with 503, in milliseconds.
    pub db_acquire_timeout_ms: u64,
    /// `text` for people, `json` for log collectors.
    pub log_format: LogFormat,
    /// After SIGTERM (or Ctrl-C), how long in-flight requests may take to
    /// finish before they are abandoned and the process exits, in seconds.
    pub shutdown_grace_secs: u64,
    /// Longest time a request may take, in seconds; past it, a 503 with
    /// `Retry-After` (work it started on its own task, such as a rebuild of
    /// the release index, goes on).
    pub request_timeout_secs: u64,
    /// How long after a rebuild of the release index starts (the content
    /// changed) requests wait for it, in milliseconds; then they answer from
    /// the index held (complete, older by the changes not yet built in).
    pub rebuild_patience_ms: u64,
    /// The service's address as partners see it: the base of every absolute
    /// link in feeds and embeds (behind a proxy, the public `https://` URL).
    pub public_url: String,
    /// `Cache-Control: max-age` of feeds and embeds, in seconds.
    pub feed_max_age_secs: u32,
    /// Rendered feeds kept in memory (each a few to a few hundred kB).
    pub feed_cache_entries: usize,
    /// How often the response caches (feeds, GraphQL) re-read the content
    /// generation to notice writes by other processes, in milliseconds (0:
    /// on every request). Cached answers may lag a write by that much.
    pub content_check_interval_ms: u64,
    /// `Cache-Control: max-age` of complete GraphQL answers to GET, in
    /// seconds (the schema's cache hints may lower it; 0: `no-cache`).
    pub graphql_max_age_secs: u32,
    /// Bytes of complete GraphQL answers kept in process, per replica,
    /// keyed by query, variables and content generation (0: off).
    pub graphql_cache_bytes: usize,
    /// Bytes of automatic persisted queries kept, per replica (0: off).
    pub persisted_query_bytes: usize,
    /// Schema introspection (and "did you mean" suggestions). On by default:
    /// this is a public, documented API.
    pub graphql_introspection: bool,
    /// Largest GraphQL POST body, in bytes.
    pub graphql_max_body_bytes: usize,
    /// Largest GraphQL query text, in bytes.
    pub graphql_max_document_bytes: usize,
    /// Deepest field nesting, fragments expanded.
    pub graphql_max_depth: usize,
    /// Most field selections once fragments are expanded.
    pub graphql_max_fields: u64,
    /// Most aliases in a query.
    pub graphql_max_aliases: u64,
    /// Most directives in a query.
    pub graphql_max_directives: u64,
    /// Highest requested cost (a connection costs 2 plus its page size times
    /// what each item selects; an object field 1).
    pub graphql_max_cost: u64,
    /// Most operations in one batched POST (a JSON array).
    pub graphql_max_batch: usize,
    /// Most bytes of one operation's answer; over it, an error.
    pub graphql_max_response_bytes: usize,
    /// Full-text searches one replica runs at once; more wait their turn.
    pub search_concurrency: usize,
    /// How long a search waits for its turn before a 503 (`SEARCH_BUSY`).
    pub search_queue_wait_ms: u64,
    /// Search matches kept in memory so that the next page of a search, or
    /// a repeated search, skips the full-text query (0 turns it off).
    pub search_cache_matches: u64,
    /// Requests per minute per client IP, per replica (0: no limit).
    pub rate_limit_requests_per_minute: u64,
    /// GraphQL requested cost per minute per client IP, per replica (0: no limit).
    pub rate_limit_cost_per_minute: u64,
    /// Proxies (CIDRs, e.g. `10.0.0.0/8`) whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Vec<String>,
    /// Clients known by API key, each with its own budgets (see
    /// `osce-api api-key`). When any is configured, a request with an
    /// unknown key is refused with 401.
    pub api_keys: Vec<ApiKeySetting>,
    /// How long the changes feed keeps tombstones, in days; a cursor older
    /// than the oldest purged one gets 410 and must start again.
    pub tombstone_retention_days: u32,
    /// How often a long-poll or event stream looks for new changes, per
    /// replica (one query however many wait), in milliseconds.
    pub feed_poll_ms: u64,
    /// Whether this replica sends webhook deliveries (any number may).
    pub webhook_dispatch: bool,
    /// How often an idle dispatcher looks for due deliveries, in
    /// milliseconds (a read of one index entry): about the delay a webhook
    /// adds to a change.
    pub webhook_poll_ms: u64,
    /// Admit http:// and loopback addresses as webhook endpoints: for tests
    /// and local use only (public addresses over https otherwise).
    pub webhook_allow_loopback: bool,
    /// Longest a webhook receiver may take to answer, in seconds.
    pub webhook_timeout_secs: u64,
    /// How long finished deliveries and their attempts are kept, in days.
    pub webhook_log_retention_days: u32,
    /// The language served when a request asks for none (and the last of
    /// every fallback chain).
    pub default_locale: String,
    /// The languages a request may ask for (BCP 47 tags); `Accept-Language`
    /// is negotiated against these.
    pub locales: Vec<String>,
    /// Where a language falls back to when a release is missing in it,
    /// one step each (`{ "sr-Latn" = "sr" }`); the chain then ends in the
    /// default. An unknown language or a cycle stops the start.
    pub locale_fallbacks: BTreeMap<String, String>,
}

/// One API key, by its SHA-256 (the configuration holds no secret).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiKeySetting {
    /// Who holds the key.
    pub name: String,
    /// The SHA-256 of the key, 64 hexadecimal digits.
    pub sha256: String,
    /// Requests per minute, per replica (0: no limit). Required, so that
    /// a forgotten line does not silently mean "unlimited".
    pub requests_per_minute: u64,
    /// GraphQL requested cost per minute, per replica (0: no limit). Required.
    pub cost_per_minute: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

impl Default for Settings {
    fn default() -> Self {
        let limits = Limits::default();
        Self {
            database_url: DEFAULT_DATABASE_URL.to_string(),
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            max_connections: 16,
            statement_timeout_ms: 10_000,
            db_acquire_timeout_ms: crate::storage::DEFAULT_ACQUIRE_TIMEOUT.as_millis() as u64,
            log_format: LogFormat::Text,
            shutdown_grace_secs: 20,
            request_timeout_secs: 30,
            rebuild_patience_ms: 250,
            public_url: "http://127.0.0.1:8080".to_string(),
            feed_max_age_secs: 300,
            feed_cache_entries: 1024,
            content_check_interval_ms: 250,
            graphql_max_age_secs: 60,
            graphql_cache_bytes: 32 << 20,
            persisted_query_bytes: 4 << 20,
            graphql_introspection: true,
            graphql_max_body_bytes: limits.max_body_bytes,
            graphql_max_document_bytes: limits.max_document_bytes,
            graphql_max_depth: limits.max_depth,
            graphql_max_fields: limits.max_fields,
            graphql_max_aliases: limits.max_aliases,
            graphql_max_directives: limits.max_directives,
            graphql_max_cost: limits.max_cost,
            graphql_max_batch: limits.max_batch,
            graphql_max_response_bytes: limits.max_response_bytes,
            search_concurrency: crate::service::search_gate::DEFAULT_CONCURRENT_SEARCHES,
            search_queue_wait_ms: crate::service::search_gate::DEFAULT_SEARCH_QUEUE_WAIT.as_millis()
                as u64,
            search_cache_matches:
                crate::service::index::release_index::DEFAULT_SEARCH_CACHE_MATCHES,
            rate_limit_requests_per_minute: 0,
            rate_limit_cost_per_minute: 0,
            trusted_proxies: Vec::new(),
            api_keys: Vec::new(),
            tombstone_retention_days: crate::service::changes::DEFAULT_TOMBSTONE_RETENTION_DAYS,
            feed_poll_ms: crate::http::DEFAULT_FEED_POLL.as_millis() as u64,
            webhook_dispatch: true,
            webhook_poll_ms: 250,
            webhook_allow_loopback: false,
            webhook_timeout_secs: 15,
            webhook_log_retention_days: 30,
            default_locale: "en".to_owned(),
            locales: DEFAULT_LOCALES.iter().map(|t| (*t).to_owned()).collect(),
            locale_fallbacks: DEFAULT_FALLBACKS
                .iter()
                .map(|(from, to)| ((*from).to_owned(), (*to).to_owned()))
                .collect(),
        }
    }
}

/// Values given on the command line; `None` leaves the lower layers' value.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listen: Option<SocketAddr>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_format: Option<LogFormat>,
}

impl Settings {
    /// Reads the layers. `DATABASE_URL` is honoured as well as `OSCE_DATABASE_URL`.
    pub fn load(
        config_file: Option<&Path>,
        overrides: &Overrides,
    ) -> Result<Self, Box<figment::Error>> {
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        if let Some(path) = config_file {
            figment = figment.merge(Toml::file_exact(path));
        }
        figment
            .merge(Env::raw().only(&["DATABASE_URL"]))
            .merge(Env::prefixed("OSCE_").ignore(&["CONFIG"]))
            .merge(Serialized::defaults(overrides))
            .extract()
            .map_err(Box::new)
    }

    /// Settings of the feeds and embeds; fails on a public URL that is not
    /// an absolute http(s) URL, since every link would be broken.
    pub fn feeds(&self) -> Result<FeedOptions, String> {
        Ok(FeedOptions {
            public_url: PublicUrl::parse(&self.public_url)?,
            max_age: Duration::from_secs(self.feed_max_age_secs.into()),
            cache_entries: self.feed_cache_entries,
        })
    }

    /// The state `serve` runs with: every setting applied (the production
    /// defaults for `Settings::default()`). Fails on a
    /// setting that cannot work (a public URL that is not absolute, a
    /// trusted proxy that is not an address).
    pub fn app_state(&self, db: DatabaseConnection) -> Result<AppState, String> {
        let settings = self;
        let feeds = settings.feeds().map_err(|e| format!("public_url: {e}"))?;
        let rate_limits = settings.rate_limits()?;
        let locales = settings.locales()?;
        Ok(AppState::new(db)
            .with_search_cache(settings.search_cache_matches)
            .with_search_gate(SearchGate::new(
                settings.search_concurrency,
                Duration::from_millis(settings.search_queue_wait_ms),
            ))
            .with_feeds(feeds)
            .with_caching(settings.caching())
            .with_graphql(settings.graphql_limits(), settings.graphql_introspection)
            .with_rate_limits(rate_limits)
            .with_rebuild_patience(Duration::from_millis(settings.rebuild_patience_ms))
            .with_request_timeout(Duration::from_secs(settings.request_timeout_secs.max(1)))
            .with_webhooks(settings.webhooks())
            .with_feed_poll(Duration::from_millis(settings.feed_poll_ms))
            .with_locales(locales))
    }

    /// The served languages and their fallback chains; fails on an
    /// unknown language or a cycle.
    pub fn locales(&self) -> Result<Locales, String> {
        Locales::new(&self.default_locale, &self.locales, &self.locale_fallbacks)
    }

    pub fn webhooks(&self) -> WebhookSettings {
        WebhookSettings {
            allow_loopback: self.webhook_allow_loopback,
            timeout: Duration::from_secs(self.webhook_timeout_secs.clamp(1, 60)),
            log_retention: Duration::from_secs(u64::from(self.webhook_log_retention_days) * 86_400),
            ..WebhookSettings::default()
        }
    }

    /// How long tombstones stay in the changes feed.
    pub fn tombstone_retention(&self) -> Duration {
        Duration::from_secs(u64::from(self.tombstone_retention_days.max(1)) * 86_400)
    }

    pub fn caching(&self) -> CacheSettings {
        CacheSettings {
            check_interval: Duration::from_millis(self.content_check_interval_ms),
            graphql_max_age: Duration::from_secs(self.graphql_max_age_secs.into()),
            graphql_cache_bytes: self.graphql_cache_bytes,
            persisted_query_bytes: self.persisted_query_bytes,
        }
    }

    /// The rate limits; fails on a proxy that is not an IP address or CIDR.
    pub fn rate_limits(&self) -> Result<RateLimitSettings, String> {
        let trusted_proxies = self
            .trusted_proxies
            .iter()
            .map(|proxy| {
                proxy
                    .parse::<IpNet>()
                    .or_else(|_| proxy.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| format!("trusted_proxies: {proxy:?} is not an IP address or CIDR"))
            })
            .collect::<Result<_, _>>()?;
        let api_keys = self
            .api_keys
            .iter()
            .map(|key| {
                Ok(ApiKey {
                    name: key.name.clone(),
                    sha256: crate::http::persisted::parse_sha256_hex(&key.sha256).ok_or_else(
                        || {
                            format!(
                                "api_keys: {:?}: `sha256` is not 64 hexadecimal digits",
                                key.name
                            )
                        },
                    )?,
                    requests_per_minute: key.requests_per_minute,
                    cost_per_minute: key.cost_per_minute,
                })
            })
            .collect::<Result<_, String>>()?;
        Ok(RateLimitSettings {
            requests_per_minute: self.rate_limit_requests_per_minute,
            cost_per_minute: self.rate_limit_cost_per_minute,
            trusted_proxies,
            api_keys,
        })
    }

    pub fn graphql_limits(&self) -> Limits {
        Limits {
            max_body_bytes: self.graphql_max_body_bytes,
            max_document_bytes: self.graphql_max_document_bytes,
            max_depth: self.graphql_max_depth,
            max_fields: self.graphql_max_fields,
            max_aliases: self.graphql_max_aliases,
            max_directives: self.graphql_max_directives,
            max_cost: self.graphql_max_cost,
            max_batch: self.graphql_max_batch,
            max_response_bytes: self.graphql_max_response_bytes,
        }
    }

    pub fn db(&self) -> DbSettings {
        DbSettings {
            url: self.database_url.clone(),
            max_connections: self.max_connections,
            statement_timeout: Some(Duration::from_millis(self.statement_timeout_ms)),
            // Zero would make every acquire fail at once.
            acquire_timeout: Duration::from_millis(self.db_acquire_timeout_ms.max(1)),
        }
    }
}
