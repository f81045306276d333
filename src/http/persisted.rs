//! Automatic persisted queries, as Apollo clients speak them: a client sends
//! `extensions.persistedQuery = {version: 1, sha256Hash}` without the query
//! text; if this replica does not know the hash, the client is told
//! `PersistedQueryNotFound` and sends the text once with the hash, which is
//! checked and kept. Queries then fit in a short GET URL that a CDN can
//! cache.
//!
//! The store is per replica, bounded and safe to lose: a replica that has
//! not seen a hash (restarted, or another replica registered it) answers
//! `PersistedQueryNotFound` and the client registers it again, so no shared
//! state is needed.

use std::sync::Arc;

use async_graphql::{Request, Value};
use sha2::{Digest, Sha256};

use crate::service::version::{UNVERSIONED, VersionedCache, Weigh};

/// The message Apollo clients look for before sending the full query.
pub const NOT_FOUND_MESSAGE: &str = "PersistedQueryNotFound";
pub const NOT_FOUND_CODE: &str = "PERSISTED_QUERY_NOT_FOUND";

/// What an entry costs beyond its text (key, pointers, list links), so
/// that the byte budget bounds memory even for tiny queries.
const ENTRY_OVERHEAD: usize = 128;

pub type Hash = [u8; 32];

/// Why a request's `persistedQuery` extension cannot be honoured.
#[derive(Debug, PartialEq, Eq)]
pub struct PersistedQueryError {
    pub code: &'static str,
    pub message: String,
}

impl PersistedQueryError {
    fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

/// A query text as the store keeps it.
#[derive(Clone)]
struct QueryText(Arc<str>);

impl Weigh for QueryText {
    fn weight(&self) -> usize {
        self.0.len() + ENTRY_OVERHEAD
    }
}

/// Query texts by their SHA-256, least recently used evicted first. They
/// do not depend on the content, so they are all of one version.
#[derive(Clone)]
pub struct PersistedQueries {
    max_bytes: usize,
    queries: VersionedCache<Hash, QueryText>,
}

impl PersistedQueries {
    /// `max_bytes` of query text kept; 0 turns persisted queries off.
    pub fn new(max_bytes: usize) -> Self {
        Self {
            max_bytes,
            queries: VersionedCache::new(usize::MAX, max_bytes),
        }
    }

    /// Fills in the query of a request that sent only its hash. Returns the
    /// hash to `register` once the query has passed the limits, when the
    /// request sent both; `None` when it used no persisted query.
    pub fn resolve(&self, request: &mut Request) -> Result<Option<Hash>, PersistedQueryError> {
        let Some(extension) = request.extensions.0.get("persistedQuery") else {
            return Ok(None);
        };
        if self.max_bytes == 0 {
            return Err(PersistedQueryError::new(
                "PERSISTED_QUERY_NOT_SUPPORTED",
                "persisted queries are switched off on this server; send the query",
            ));
        }
        let hash = requested_hash(extension)?;
        if request.query.is_empty() {
            let found = self.queries.get(UNVERSIONED, &hash);
            return match found {
                Some(query) => {
                    request.query = query.0.to_string();
                    Ok(None)
                }
                None => Err(PersistedQueryError::new(NOT_FOUND_CODE, NOT_FOUND_MESSAGE)),
            };
        }
        let digest: Hash = Sha256::digest(request.query.as_bytes()).into();
        if digest != hash {
            return Err(PersistedQueryError::new(
                "BAD_REQUEST",
                "`extensions.persistedQuery.sha256Hash` is not the SHA-256 of the query",
            ));
        }
        Ok(Some(hash))
    }

    /// Keeps a query that passed the limits under its hash.
    pub fn register(&self, hash: Hash, query: &str) {
        self.queries
            .insert(UNVERSIONED, hash, QueryText(Arc::from(query)));
    }

    pub fn len(&self) -> usize {
        self.queries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.queries.is_empty()
    }
}

/// The hash of `{"version": 1, "sha256Hash": "<64 hex digits>"}`.
fn requested_hash(extension: &Value) -> Result<Hash, PersistedQueryError> {
    let bad = |message: &str| PersistedQueryError::new("BAD_REQUEST", message);
    let Value::Object(fields) = extension else {
        return Err(bad(
            "`extensions.persistedQuery` must be an object with `version` and `sha256Hash`",
        ));
    };
    match fields.get("version") {
        Some(Value::Number(n)) if n.as_u64() == Some(1) => {}
        _ => {
            return Err(bad(
                "`extensions.persistedQuery.version` must be 1, the only version there is",
            ));
        }
    }
    let hex = match fields.get("sha256Hash") {
        Some(Value::String(hex)) => hex.as_str(),
        _ => return Err(bad("`extensions.persistedQuery.sha256Hash` is missing")),
    };
    parse_sha256_hex(hex).ok_or_else(|| {
        bad("`extensions.persistedQuery.sha256Hash` must be 64 hexadecimal digits (a SHA-256)")
    })
}

/// 64 hexadecimal digits as the 32 bytes of a SHA-256.
pub fn parse_sha256_hex(hex: &str) -> Option<Hash> {
    if hex.len() != 64 {
        return None;
    }
    let mut hash = [0u8; 32];
    for (i, byte) in hash.iter_mut().enumerate() {
        *byte = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(hash)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(query: &str) -> String {
        Sha256::digest(query.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    fn request(query: &str, hash: &str) -> Request {
        let mut request = Request::new(query);
        request.extensions.0.insert(
            "persistedQuery".into(),
            serde_json::from_value(serde_json::json!({"version": 1, "sha256Hash": hash})).unwrap(),
        );
        request
    }

    #[test]
    fn a_hash_is_registered_then_resolved() {
        let store = PersistedQueries::new(1024);
        let query = "{ countries(first: 1) { nodes { code } } }";
        let mut hashed = request("", &hex(query));
        let missing = store.resolve(&mut hashed).unwrap_err();
        assert_eq!(missing.code, "PERSISTED_QUERY_NOT_FOUND");
        assert_eq!(missing.message, NOT_FOUND_MESSAGE);

        let mut full = request(query, &hex(query));
        let hash = store.resolve(&mut full).unwrap().expect("to register");
        store.register(hash, query);
        assert_eq!(store.resolve(&mut hashed), Ok(None));
        assert_eq!(hashed.query, query);

        let mut lying = request("{ other }", &hex(query));
        assert_eq!(store.resolve(&mut lying).unwrap_err().code, "BAD_REQUEST");
        for bad in ["", "xyz", &"g".repeat(64)] {
            assert_eq!(
                store.resolve(&mut request("", bad)).unwrap_err().code,
                "BAD_REQUEST"
            );
        }
        assert_eq!(store.resolve(&mut Request::new(query)), Ok(None));
    }

    #[test]
    fn bounded_in_bytes() {
        let store = PersistedQueries::new(10 + 2 * ENTRY_OVERHEAD);
        store.register([1; 32], "aaaaa");
        store.register([2; 32], "bbbbb");
        store.register([3; 32], "ccccc");
        assert_eq!(store.len(), 2, "the least recently used goes");
        store.register([4; 32], &"far more than ten bytes".repeat(20));
        assert_eq!(store.len(), 2, "too large to keep");
        let off = PersistedQueries::new(0);
        assert_eq!(
            off.resolve(&mut request("", &hex("x"))).unwrap_err().code,
            "PERSISTED_QUERY_NOT_SUPPORTED"
        );
    }
}
