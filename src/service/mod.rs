//! The service layer shared by GraphQL, REST, feeds and the CLI: the use
//! cases. It resolves public keys (slugs, codes) in filters to ids, answers
//! release lists from the release index, runs searches, imports and exports,
//! and keeps the state derived from the content (`index`) per content
//! version (`version`). Writes and their transactions live here, so that
//! resolvers and handlers stay thin and SQL stays in `storage`.

pub mod auth;
pub mod changes;
pub mod clock;
pub mod delete;
pub mod editorial;
pub mod export;
pub mod import;
pub mod index;
pub mod keys;
pub mod lists;
pub mod locale;
pub mod pages;
pub mod releases;
pub mod search;
pub mod search_gate;
pub mod snapshot;
pub mod version;
pub mod webhooks;

/// What can go wrong answering a query, in terms a client can act on.
/// Deliberately not `Display`: each API layer maps it to its own error
/// shape, and a database cause is logged, never shown.
#[derive(Debug)]
pub enum QueryError {
    /// The request names something that does not exist or is malformed.
    BadInput(String),
    NotFound(String),
    /// The database is out of reach or overloaded for now: retry later (503).
    Unavailable(sea_orm::DbErr),
    /// Anything else the database said: a bug or broken data (500).
    Database(sea_orm::DbErr),
    /// Too many expensive queries (full-text searches) are running on this
    /// replica: retry in a moment (503, `Retry-After: 1`).
    Busy(String),
}

/// How long a client should wait before retrying a `Busy` request.
pub const BUSY_RETRY_AFTER_SECS: u32 = 1;

/// How long a client should wait before retrying after a 503, in seconds:
/// about what a database restart or failover takes.
pub const RETRY_AFTER_SECS: u32 = 5;

impl From<sea_orm::DbErr> for QueryError {
    fn from(error: sea_orm::DbErr) -> Self {
        if crate::storage::is_unavailable(&error) {
            QueryError::Unavailable(error)
        } else {
            QueryError::Database(error)
        }
    }
}

/// DataLoaders share one error between the fields that waited on a batch.
impl From<std::sync::Arc<sea_orm::DbErr>> for QueryError {
    fn from(error: std::sync::Arc<sea_orm::DbErr>) -> Self {
        std::sync::Arc::unwrap_or_clone(error).into()
    }
}
