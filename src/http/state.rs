//! The state every handler can reach: the database pool, the schema, the
//! derived indexes and the response caches. It holds no content that a
//! second replica would need: everything in it is rebuilt from the database.

use std::sync::Arc;
use std::time::Duration;

use sea_orm::DatabaseConnection;

use super::graphql;
use super::metrics::Metrics;
use super::persisted::PersistedQueries;
use super::ratelimit::{RateLimitSettings, RateLimiter};
use crate::domain::Locales;
use crate::feeds::{FeedOptions, cache::FeedCache};
use crate::graphql::limits::Limits;
use crate::graphql::{AppSchema, GraphqlState};
use crate::service::changes::FeedWatch;
use crate::service::clock::Clock;
use crate::service::editorial::schedule::Scheduler;
use crate::service::index::catalog::CatalogCache;
use crate::service::index::release_index::{self, ReleaseIndexCache};
use crate::service::search_gate::SearchGate;
use crate::service::snapshot::Snapshot;
use crate::service::version::ContentClock;
use crate::service::webhooks::WebhookSettings;

/// How often waiting feed readers look for new changes, by default.
pub const DEFAULT_FEED_POLL: Duration = Duration::from_millis(250);

/// What every handler can reach; holds no content, so any number of
/// replicas can serve the same database. One `Arc`: axum clones the state
/// for every request (and layer), and cloning each field's own `Arc`s was
/// about a seventh of the server's CPU on a cheap request (atomic counts
/// shared by both cores).
#[derive(Clone)]
pub struct AppState(Arc<AppStateInner>);

impl std::ops::Deref for AppState {
    type Target = AppStateInner;

    fn deref(&self) -> &AppStateInner {
        &self.0
    }
}

/// The fields of `AppState`; set through its `with_*` builders.
#[derive(Clone)]
pub struct AppStateInner {
    pub db: DatabaseConnection,
    pub schema: AppSchema,
    /// How long a DataLoader batch waits for more keys.
    pub loader_delay: Duration,
    /// The derived release index; safe to lose.
    pub release_index: ReleaseIndexCache,
    /// The derived copy of the small tables; safe to lose.
    pub catalog: CatalogCache,
    /// What a GraphQL request may ask for.
    pub limits: Limits,
    /// Whether the schema answers introspection.
    pub introspection: bool,
    /// Feeds and embeds: public URL, caching.
    pub feeds: FeedOptions,
    /// Rendered feeds, keyed by content generation; safe to lose.
    pub feed_cache: FeedCache,
    /// The content generation as last read, for the response caches.
    pub content_clock: ContentClock,
    /// Complete GraphQL answers, keyed by content generation; safe to lose.
    pub graphql_cache: graphql::ResponseCache,
    /// `max-age` of complete GraphQL answers to GET.
    pub graphql_max_age: Duration,
    /// Automatic persisted queries; safe to lose.
    pub persisted_queries: PersistedQueries,
    /// What `/metrics` reports; one per process.
    pub metrics: Arc<Metrics>,
    /// Per-client budgets of requests and GraphQL cost; `None`: no limits.
    pub rate_limiter: Option<Arc<RateLimiter>>,
    /// Longest time a request may take (then 503).
    pub request_timeout: Duration,
    /// The time writes and the schedule act at (a test's own, in tests).
    pub clock: Clock,
    /// Publishes scheduled releases when a read finds them due.
    pub scheduler: Scheduler,
    /// The changes feed's head, for long-polls and event streams; safe to lose.
    pub feed_watch: FeedWatch,
    /// Where webhooks may go and how long they may take.
    pub webhooks: WebhookSettings,
    /// The languages served and their fallback chains.
    pub locales: Arc<Locales>,
}

impl AppState {
    pub fn new(db: DatabaseConnection) -> Self {
        let release_index =
            ReleaseIndexCache::with_search_cache(release_index::DEFAULT_SEARCH_CACHE_MATCHES);
        let schema = crate::graphql::schema(Some(GraphqlState { db: db.clone() }));
        Self(Arc::new(AppStateInner {
            schema,
            loader_delay: Duration::from_millis(1),
            release_index,
            catalog: CatalogCache::default(),
            limits: Limits::default(),
            introspection: true,
            feeds: FeedOptions::default(),
            feed_cache: FeedCache::new(0, 0),
            content_clock: ContentClock::new(Duration::ZERO),
            graphql_cache: graphql::ResponseCache::new(0, 0),
            graphql_max_age: Duration::ZERO,
            persisted_queries: PersistedQueries::new(0),
            metrics: Arc::new(Metrics::new()),
            rate_limiter: None,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            clock: Clock::system(),
            scheduler: Scheduler::default(),
            feed_watch: FeedWatch::new(db.clone(), DEFAULT_FEED_POLL),
            webhooks: WebhookSettings::default(),
            locales: Arc::new(Locales::standard()),
            db,
        }))
        .with_feeds(FeedOptions::default())
        .with_caching(CacheSettings::default())
    }

    /// What one request reads: its own snapshot over the shared caches.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot::new(
            self.db.clone(),
            self.catalog.clone(),
            self.release_index.clone(),
        )
        .with_scheduler(self.scheduler.clone())
    }

    /// Before a read straight from the database (an item by its key):
    /// publishes what the schedule has made due, as every read of the
    /// content version does. A failure only leaves the schedule to the
    /// next read.
    pub async fn settle_schedule(&self) {
        if let Err(error) = self.content_clock.version(&self.db).await {
            tracing::debug!(%error, "reading the content version before a read");
        }
    }

    /// Acts at the times `clock` tells (tests move a manual clock past a
    /// scheduled time).
    pub fn with_clock(mut self, clock: Clock) -> Self {
        let state = self.fields_mut();
        state.scheduler = Scheduler::new(clock.clone());
        state.clock = clock;
        state.content_clock = state
            .content_clock
            .clone()
            .with_scheduler(state.scheduler.clone());
        self
    }

    /// Sets where webhooks may go (tests admit loopback receivers).
    pub fn with_locales(mut self, locales: Locales) -> Self {
        self.fields_mut().locales = Arc::new(locales);
        self
    }

    pub fn with_webhooks(mut self, settings: WebhookSettings) -> Self {
        self.fields_mut().webhooks = settings;
        self
    }

    /// Sets how often waiting feed readers look for new changes.
    pub fn with_feed_poll(mut self, interval: Duration) -> Self {
        let state = self.fields_mut();
        state.feed_watch = FeedWatch::new(state.db.clone(), interval);
        self
    }

    /// A snapshot at a generation already read, if any.
    pub fn snapshot_at(&self, generation: Option<String>) -> Snapshot {
        match generation {
            Some(generation) => self.snapshot().at_generation(generation),
            None => self.snapshot(),
        }
    }

    /// The fields, for the builders: no copy while the state is not yet
    /// shared (a shared one is copied first, its caches still shared).
    fn fields_mut(&mut self) -> &mut AppStateInner {
        Arc::make_mut(&mut self.0)
    }

    /// Sets how many search matches the cache may hold (0: no cache).
    pub fn with_search_cache(mut self, matches: u64) -> Self {
        let state = self.fields_mut();
        state.release_index = state.release_index.clone().with_searches(matches);
        self
    }

    /// Bounds the full-text searches run at once (see `SearchGate`).
    pub fn with_search_gate(mut self, gate: SearchGate) -> Self {
        let state = self.fields_mut();
        state.release_index = state.release_index.clone().with_search_gate(gate);
        self
    }

    /// Sets how long a request waits for a rebuild of the release index
    /// before it answers from the index held.
    pub fn with_rebuild_patience(mut self, patience: Duration) -> Self {
        let state = self.fields_mut();
        state.release_index = state.release_index.clone().with_patience(patience);
        self
    }

    /// Makes every build of the release index sleep `delay` first: for tests
    /// and drills of a slow build on a small database.
    pub fn with_index_build_delay(mut self, delay: Duration) -> Self {
        let state = self.fields_mut();
        state.release_index = state.release_index.clone().with_build_delay(delay);
        self
    }

    /// Sets the longest time a request may take.
    pub fn with_request_timeout(mut self, timeout: Duration) -> Self {
        self.fields_mut().request_timeout = timeout;
        self
    }

    /// Replaces the GraphQL limits, and turns introspection (with field
    /// suggestions) on or off.
    pub fn with_graphql(mut self, limits: Limits, introspection: bool) -> Self {
        let state = self.fields_mut();
        state.schema = crate::graphql::schema_with(
            Some(GraphqlState {
                db: state.db.clone(),
            }),
            introspection,
        );
        state.limits = limits;
        state.introspection = introspection;
        self
    }

    /// Sets how long a DataLoader batch waits for more keys.
    pub fn with_loader_delay(mut self, delay: Duration) -> Self {
        self.fields_mut().loader_delay = delay;
        self
    }

    /// Sets the per-client rate limits (none when both budgets are 0).
    pub fn with_rate_limits(mut self, settings: RateLimitSettings) -> Self {
        let state = self.fields_mut();
        state.rate_limiter = settings
            .enabled()
            .then(|| Arc::new(RateLimiter::new(settings)));
        self
    }

    /// Replaces the feed settings (and so starts an empty feed cache).
    pub fn with_feeds(mut self, options: FeedOptions) -> Self {
        let state = self.fields_mut();
        state.feed_cache = FeedCache::new(options.cache_entries, usize::MAX);
        state.feeds = options;
        self
    }

    /// Replaces the caching settings (and so starts empty caches).
    pub fn with_caching(mut self, settings: CacheSettings) -> Self {
        let state = self.fields_mut();
        state.content_clock =
            ContentClock::new(settings.check_interval).with_scheduler(state.scheduler.clone());
        state.graphql_cache = graphql::ResponseCache::new(usize::MAX, settings.graphql_cache_bytes);
        state.graphql_max_age = settings.graphql_max_age;
        state.persisted_queries = PersistedQueries::new(settings.persisted_query_bytes);
        self
    }
}

/// The longest time a request may take unless configured otherwise.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// HTTP caching and the in-process response caches.
#[derive(Clone, Debug)]
pub struct CacheSettings {
    /// How long a read of the content generation is trusted before it is
    /// read again (zero: on every request). Cached answers may lag a write
    /// by that much.
    pub check_interval: Duration,
    /// `Cache-Control: max-age` of complete GraphQL answers to GET.
    pub graphql_max_age: Duration,
    /// Bytes of GraphQL answers kept in process (0: no response cache).
    pub graphql_cache_bytes: usize,
    /// Bytes of persisted query texts kept (0: no persisted queries).
    pub persisted_query_bytes: usize,
}

impl Default for CacheSettings {
    /// What a library user (and the tests) get: persisted queries and HTTP
    /// caching, but no response cache, and the generation read on every
    /// request, so that every answer follows every write at once.
    fn default() -> Self {
        Self {
            check_interval: Duration::ZERO,
            graphql_max_age: Duration::from_secs(60),
            graphql_cache_bytes: 0,
            persisted_query_bytes: 4 << 20,
        }
    }
}
