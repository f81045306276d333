//! The query layer shared by GraphQL, REST and feeds: resolves
//! public keys (slugs, codes) in filters to ids, answers release lists from
//! the release index, and loads rows by id. Resolvers and handlers stay thin.

pub mod keys;
pub mod lists;
pub mod releases;
pub mod search;

/// What can go wrong answering a query, in terms a client can act on.
/// Deliberately not `Display`: each API layer maps it to its own error
/// shape, and a database cause is logged, never shown.
#[derive(Debug)]
pub enum QueryError {
    /// The request names something that does not exist or is malformed.
    BadInput(String),
    NotFound(String),
    Database(sea_orm::DbErr),
}

impl From<sea_orm::DbErr> for QueryError {
    fn from(error: sea_orm::DbErr) -> Self {
        QueryError::Database(error)
    }
}
