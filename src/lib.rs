//! osce-api: a headless content backend for the public content of the OSCE.
//!
//! Layers, each in its own module: `http` (routes, middleware), `domain`
//! (pure types and rules), `storage` (connections, migrations, every query),
//! `entity` (the tables), `cache` (in-process response caches), `io` (the interchange format: import, export,
//! generator, reference data), `config` (settings), `metrics` (Prometheus).

pub mod cache;
pub mod config;
pub mod domain;
pub mod entity;
pub mod feeds;
pub mod graphql;
pub mod http;
pub mod io;
pub mod metrics;
pub mod query;
pub mod search;
pub mod storage;

pub use http::{AppState, app};
