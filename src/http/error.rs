//! The JSON error shape of every non-GraphQL endpoint (REST, feeds, embeds):
//! `{"error": {"code", "message", "details"}}` with a 4xx for anything the
//! client can fix. Internal causes are logged, never shown.

use axum::{
    Json,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde_json::{Value, json};

use crate::service::{BUSY_RETRY_AFTER_SECS, QueryError, RETRY_AFTER_SECS};

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    /// Stable, machine-readable: `bad_parameter`, `unknown_parameter`, `not_found`, …
    pub code: &'static str,
    pub message: String,
    pub details: Value,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            details: Value::Null,
        }
    }

    /// A query parameter with a value the API cannot use.
    pub fn bad_parameter(parameter: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_parameter", message)
            .with_details(json!({ "parameter": parameter }))
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    pub fn internal(cause: &dyn std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error while answering a request");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "internal error",
        )
    }

    /// The database is out of reach for now: 503 with `Retry-After`.
    pub fn unavailable(cause: &dyn std::fmt::Display) -> Self {
        tracing::warn!(error = %cause, "database unavailable while answering a request");
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "service_unavailable",
            "the service is temporarily unavailable; retry later",
        )
    }

    pub fn with_details(mut self, details: Value) -> Self {
        self.details = details;
        self
    }
}

impl From<QueryError> for ApiError {
    fn from(error: QueryError) -> Self {
        match error {
            QueryError::BadInput(message) => {
                Self::new(StatusCode::BAD_REQUEST, "bad_parameter", message)
            }
            QueryError::NotFound(message) => Self::not_found(message),
            QueryError::Unavailable(cause) => Self::unavailable(&cause),
            QueryError::Database(cause) => Self::internal(&cause),
            QueryError::Busy(message) => {
                Self::new(StatusCode::SERVICE_UNAVAILABLE, "search_busy", message)
            }
        }
    }
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(error: sea_orm::DbErr) -> Self {
        QueryError::from(error).into()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({
            "error": { "code": self.code, "message": self.message, "details": self.details }
        });
        let mut response = (self.status, Json(body)).into_response();
        response
            .extensions_mut()
            .insert(crate::http::metrics::ErrorCode(self.code));
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            let wait = if self.code == "search_busy" {
                BUSY_RETRY_AFTER_SECS
            } else {
                RETRY_AFTER_SECS
            };
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(wait));
        }
        response
    }
}
