//! Typed settings, layered: built-in defaults < config file < environment <
//! command-line flags.

use std::{net::SocketAddr, path::Path, time::Duration};

use figment::{
    Figment,
    providers::{Env, Format, Serialized, Toml},
};
use serde::{Deserialize, Serialize};

use crate::feeds::{FeedOptions, PublicUrl};
use crate::storage::DbSettings;

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
    /// `text` for people, `json` for log collectors.
    pub log_format: LogFormat,
    /// The service's address as partners see it: the base of every absolute
    /// link in feeds and embeds (behind a proxy, the public `https://` URL).
    pub public_url: String,
    /// `Cache-Control: max-age` of feeds and embeds, in seconds.
    pub feed_max_age_secs: u32,
    /// Rendered feeds kept in memory (each a few to a few hundred kB).
    pub feed_cache_entries: usize,
    /// How often feeds re-read the content generation to notice writes by
    /// other processes, in milliseconds (0: on every request).
    pub content_check_interval_ms: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            database_url: DEFAULT_DATABASE_URL.to_string(),
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            max_connections: 16,
            statement_timeout_ms: 10_000,
            log_format: LogFormat::Text,
            public_url: "http://127.0.0.1:8080".to_string(),
            feed_max_age_secs: 300,
            feed_cache_entries: 1024,
            content_check_interval_ms: 1000,
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
            check_interval: Duration::from_millis(self.content_check_interval_ms),
        })
    }

    pub fn db(&self) -> DbSettings {
        DbSettings {
            url: self.database_url.clone(),
            max_connections: self.max_connections,
            statement_timeout: Some(Duration::from_millis(self.statement_timeout_ms)),
        }
    }
}
