//! One operation's answer as JSON: a request error without `data`, and an
//! answer over the size cap replaced by an error while it is written.

use super::coded_error;
use async_graphql::{CacheControl, ServerError, Value};
use axum::body::Bytes;

/// One operation's answer, serialised.
pub(super) struct Answer {
    pub(super) body: Bytes,
    /// Whether it ran (or came from the cache); `false` for a request error.
    pub(super) ran: bool,
    /// The `extensions.code` of each error.
    pub(super) codes: Vec<Option<String>>,
    /// The schema's cache hint, for an answer that ran without errors.
    pub(super) hint: Option<CacheControl>,
    /// A strong validator, when the answer came from the cache.
    pub(super) etag: Option<String>,
    /// Whether a field was answered in the language `Accept-Language`
    /// chose (or its absence did): then the answer varies by that header.
    pub(super) varies_by_language: bool,
}

impl Answer {
    pub(super) fn refused(code: &str, message: String) -> Self {
        Self::from_response(
            async_graphql::Response::from_errors(vec![coded_error(code, message)]),
            false,
        )
    }

    pub(super) fn from_response(response: async_graphql::Response, ran: bool) -> Self {
        Self::from_response_within(response, ran, usize::MAX)
    }

    /// The answer, unless its JSON would pass `max_bytes`: then a
    /// `RESPONSE_TOO_LARGE` error instead, found while writing (the
    /// oversized text is never held whole).
    pub(super) fn from_response_within(
        mut response: async_graphql::Response,
        ran: bool,
        max_bytes: usize,
    ) -> Self {
        code_input_errors(&mut response.errors);
        let codes = response
            .errors
            .iter()
            .map(|e| error_code(e).map(str::to_string))
            .collect::<Vec<_>>();
        let hint = (ran && codes.is_empty()).then_some(response.cache_control);
        // A request error has no `data` at all, not `"data": null` (which
        // GraphQL over HTTP reserves for an execution that nulled the root).
        let mut out = Bounded {
            bytes: Vec::new(),
            max: max_bytes,
        };
        let written = if ran {
            serde_json::to_writer(&mut out, &response)
        } else {
            serde_json::to_writer(
                &mut out,
                &RequestErrors {
                    errors: &response.errors,
                    extensions: &response.extensions,
                },
            )
        };
        if written.as_ref().is_err_and(|e| e.is_io()) {
            return Self::refused(
                RESPONSE_TOO_LARGE,
                format!(
                    "the answer is over {max_bytes} bytes; ask for fewer items or fields, \
                     or use the bulk export (/api/v1/export) for whole collections"
                ),
            );
        }
        let body = match written.map(|()| out.bytes) {
            Ok(body) => Bytes::from(body),
            Err(error) => {
                // Values come from the schema, whose types all serialise.
                tracing::error!(%error, "cannot serialise a GraphQL response");
                Bytes::from_static(
                    br#"{"errors":[{"message":"the response could not be written","extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}"#,
                )
            }
        };
        Self {
            body,
            ran,
            codes,
            hint,
            etag: None,
            varies_by_language: false,
        }
    }

    pub(super) fn has_code(&self, code: &str) -> bool {
        self.codes.iter().any(|c| c.as_deref() == Some(code))
    }
}

/// An answer too large to send.
pub const RESPONSE_TOO_LARGE: &str = "RESPONSE_TOO_LARGE";

/// A buffer that refuses to grow past `max`.
struct Bounded {
    bytes: Vec<u8>,
    max: usize,
}

impl std::io::Write for Bounded {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len().saturating_add(data.len()) > self.max {
            return Err(std::io::Error::other("response over its limit"));
        }
        self.bytes.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The body of an answer that could not run.
#[derive(serde::Serialize)]
struct RequestErrors<'a> {
    errors: &'a [ServerError],
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    extensions: &'a std::collections::BTreeMap<String, Value>,
}

/// The `extensions.code` of an error, if it has one.
pub(super) fn error_code(error: &ServerError) -> Option<&str> {
    match error.extensions.as_ref()?.get("code")? {
        Value::String(code) => Some(code),
        _ => None,
    }
}

/// async-graphql reports an argument that does not parse (`"2020-1-5"` for
/// a `Date`) as a plain error; it is the client's input, so it gets the
/// code every other bad input has. The library marks these errors only by
/// their message, which its `InputValueError` always starts this way.
fn code_input_errors(errors: &mut [ServerError]) {
    for error in errors {
        if error_code(error).is_none() && error.message.starts_with("Failed to parse \"") {
            error
                .extensions
                .get_or_insert_with(Default::default)
                .set("code", crate::graphql::error::BAD_USER_INPUT);
        }
    }
}
