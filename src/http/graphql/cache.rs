//! Complete GraphQL answers kept per content version, with their validators.

use crate::service::version::{VersionedCache, Weigh};
use async_graphql::CacheControl;
use axum::body::Bytes;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::time::Duration;

/// A complete answer kept in the response cache, keyed by the SHA-256 of
/// the query, operation name and variables, under the content generation
/// it was computed at.
pub struct CachedAnswer {
    pub(super) body: Bytes,
    pub(super) etag: String,
    pub(super) hint: CacheControl,
    /// Its requested cost, charged to the client's budget on every hit.
    pub(super) cost: u64,
    /// For the latency metrics.
    pub(super) operation: Option<String>,
    /// See `Answer::varies_by_language`.
    pub(super) varies_by_language: bool,
}

impl Weigh for CachedAnswer {
    fn weight(&self) -> usize {
        self.body.len() + self.etag.len() + self.operation.as_ref().map_or(0, String::len) + 64
    }
}

pub type ResponseCache = VersionedCache<[u8; 32], Arc<CachedAnswer>>;

/// The key of an answer: the operation, and the language `Accept-Language`
/// negotiated (one of the supported set, whatever the header's spelling).
pub(super) fn cache_key(request: &async_graphql::Request, language: &str) -> Option<[u8; 32]> {
    let variables = serde_json::to_vec(&request.variables).ok()?;
    let mut hasher = Sha256::new();
    for part in [
        request.query.as_bytes(),
        request.operation_name.as_deref().unwrap_or("").as_bytes(),
        &variables,
        language.as_bytes(),
    ] {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    Some(hasher.finalize().into())
}

pub(super) fn etag_of(body: &[u8]) -> String {
    format!("\"{:016x}\"", xxhash_rust::xxh3::xxh3_64(body))
}

/// `Cache-Control` for a complete answer to a GET: public content may be
/// kept for the configured max-age, or less if the schema's hints say so.
pub(super) fn cache_control(hint: &CacheControl, max_age: Duration) -> String {
    let age = match hint.max_age {
        age if age < 0 => 0,
        0 => max_age.as_secs(),
        age => (age as u64).min(max_age.as_secs()),
    };
    let scope = if hint.public { "public" } else { "private" };
    if age == 0 {
        format!("{scope}, no-cache")
    } else {
        format!("{scope}, max-age={age}")
    }
}
