//! osce-api: a headless content backend for the public content of the OSCE.
//!
//! Layers, top to bottom (each may import only those below it; a test,
//! `tests/architecture.rs`, checks it). See `docs/architecture.md`.
//! - `cli`: the `osce-api` command, one function per subcommand;
//! - `boot`, `config`: start-up (migrate, reference data) and settings;
//! - `http`: routes, middleware, the shared state, metrics, REST handlers;
//! - `graphql`, `feeds`: the GraphQL schema and the feed renderers;
//! - `service`: use cases (lists, search, import, export), the derived
//!   indexes and the caches kept per content version;
//! - `storage`: connections and every SQL statement (the repository);
//! - `model`, `domain`, `search`, `generate`: records, pure types and rules.

pub mod boot;
pub mod cli;
pub mod config;
pub mod domain;
pub mod feeds;
pub mod generate;
pub mod graphql;
pub mod http;
pub mod model;
pub mod search;
pub mod service;
pub mod storage;

pub use http::{AppState, app};
