//! Rendered feeds and embed pages, with their validators, and the
//! in-process cache that keeps them (see `service::version::VersionedCache`).

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use axum::body::Bytes;
use chrono::{DateTime, Utc};

use crate::service::version::{VersionedCache, Weigh};

/// One rendered response with its validators.
#[derive(Clone, Debug)]
pub struct Rendered {
    pub body: Bytes,
    pub content_type: &'static str,
    /// A strong validator: a hash of the bytes.
    pub etag: String,
    /// Whole seconds, as HTTP dates carry them; `None` for static assets,
    /// which have only the ETag.
    pub last_modified: Option<SystemTime>,
}

impl Rendered {
    pub fn new(body: Vec<u8>, content_type: &'static str, modified: Option<DateTime<Utc>>) -> Self {
        let etag = format!("\"{:016x}\"", xxhash_rust::xxh3::xxh3_64(&body));
        Self {
            body: Bytes::from(body),
            content_type,
            etag,
            last_modified: modified.map(|time| {
                SystemTime::UNIX_EPOCH + Duration::from_secs(time.timestamp().max(0) as u64)
            }),
        }
    }
}

impl Weigh for Rendered {
    fn weight(&self) -> usize {
        self.body.len()
    }
}

/// Rendered feeds and embed pages, by their normalised request.
pub type FeedCache = VersionedCache<String, Arc<Rendered>>;

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(text: &str) -> Rendered {
        Rendered::new(text.into(), "text/plain", Some(Utc::now()))
    }

    #[test]
    fn etags_follow_the_bytes() {
        assert_eq!(rendered("x").etag, rendered("x").etag);
        assert_ne!(rendered("x").etag, rendered("y").etag);
    }
}
