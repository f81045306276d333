//! Opaque global IDs (`Type:key`), base64url-encoded, and cursors (encoded
//! in `domain::cursor`, shared with REST). IDs are
//! built from public keys (slugs, codes, years), so they are stable across
//! databases and re-imports.

use async_graphql::ID;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

use super::error::bad_input;
use crate::domain::{ReleaseCursor, cursor};

pub fn global_id(type_name: &str, key: &str) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{type_name}:{key}")))
}

pub fn parse_global_id(id: &str) -> async_graphql::Result<(String, String)> {
    let invalid = || bad_input(format!("invalid ID {id:?}"));
    let bytes = URL_SAFE_NO_PAD
        .decode(id.as_bytes())
        .map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let (type_name, key) = text.split_once(':').ok_or_else(invalid)?;
    Ok((type_name.to_string(), key.to_string()))
}

pub fn release_cursor(cursor: ReleaseCursor) -> String {
    cursor::encode_release(cursor)
}

pub fn parse_release_cursor(text: &str) -> async_graphql::Result<ReleaseCursor> {
    cursor::decode_release(text).ok_or_else(|| bad_input(format!("invalid cursor {text:?}")))
}

/// Cursors of keyset lists (meetings, people) carry the item's id.
pub fn id_cursor(prefix: &str, id: i64) -> String {
    cursor::encode_id(prefix, id)
}

pub fn parse_id_cursor(prefix: &str, text: &str) -> async_graphql::Result<i64> {
    cursor::decode_id(prefix, text).ok_or_else(|| bad_input(format!("invalid cursor {text:?}")))
}
