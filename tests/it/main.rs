//! The one integration-test binary: every test drives the real code (the
//! router, the CLI, the storage layer) against a real database. Tests marked
//! with `backend_tests!` run twice: on SQLite, and on PostgreSQL when
//! `TEST_DATABASE_URL` is set (each test in a database of its own).

// Tests may unwrap (`clippy.toml`): a panic here is a failed test with its
// message. `allow-unwrap-in-tests` covers `#[test]` functions and `#[cfg(test)]`
// modules only, not the helpers and per-backend bodies here: hence this allow.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

mod browser;
mod changes;
mod cli;
mod editorial;
mod faults;
mod feeds;
mod graphql;
mod health;
mod hostile;
mod http_caching;
mod import_export;
mod locales;
mod migrations;
mod ops;
mod pages;
mod rebuilds;
mod reference_data;
mod rest;
mod search;
mod sync;
