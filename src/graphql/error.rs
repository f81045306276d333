//! GraphQL errors with stable `extensions.code`s. Internal causes are logged,
//! never shown: a client sees "internal error", not database text.

use async_graphql::{Error, ErrorExtensions};

use crate::service::QueryError;

pub const BAD_USER_INPUT: &str = "BAD_USER_INPUT";
pub const NOT_FOUND: &str = "NOT_FOUND";
pub const INTERNAL: &str = "INTERNAL_SERVER_ERROR";
/// The database is out of reach for now; the HTTP layer answers 503 with
/// `Retry-After` when any error of a response carries this code.
pub const SERVICE_UNAVAILABLE: &str = "SERVICE_UNAVAILABLE";
/// Too many searches run at once on this replica; the HTTP layer answers
/// 503 with `Retry-After: 1`.
pub const SEARCH_BUSY: &str = "SEARCH_BUSY";

pub fn coded(code: &'static str, message: impl Into<String>) -> Error {
    Error::new(message.into()).extend_with(|_, e| e.set("code", code))
}

pub fn bad_input(message: impl Into<String>) -> Error {
    coded(BAD_USER_INPUT, message)
}

pub fn internal(cause: &dyn std::fmt::Display) -> Error {
    tracing::error!(error = %cause, "internal error while resolving a GraphQL field");
    coded(INTERNAL, "internal error")
}

pub fn unavailable(cause: &dyn std::fmt::Display) -> Error {
    tracing::warn!(error = %cause, "database unavailable while resolving a GraphQL field");
    coded(
        SERVICE_UNAVAILABLE,
        "the service is temporarily unavailable; retry later",
    )
}

impl From<QueryError> for Error {
    fn from(error: QueryError) -> Self {
        match error {
            QueryError::BadInput(message) => bad_input(message),
            QueryError::NotFound(message) => coded(NOT_FOUND, message),
            QueryError::Unavailable(cause) => unavailable(&cause),
            QueryError::Database(cause) => internal(&cause),
            QueryError::Busy(message) => coded(SEARCH_BUSY, message),
        }
    }
}

/// `?` on database errors inside resolvers: `SERVICE_UNAVAILABLE` when the
/// database is out of reach, `INTERNAL_SERVER_ERROR` otherwise.
pub trait OrInternal<T> {
    fn or_internal(self) -> Result<T, Error>;
}

impl<T, E: Into<QueryError>> OrInternal<T> for Result<T, E> {
    fn or_internal(self) -> Result<T, Error> {
        self.map_err(|e| Error::from(e.into()))
    }
}
