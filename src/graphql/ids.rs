//! Opaque global IDs (`Type:key`) and cursors, base64url-encoded. IDs are
//! built from public keys (slugs, codes, years), so they are stable across
//! databases and re-imports.

use async_graphql::ID;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::NaiveDate;

use super::error::bad_input;
use crate::domain::ReleaseCursor;

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
    URL_SAFE_NO_PAD.encode(format!("r:{}:{}", cursor.date, cursor.id))
}

pub fn parse_release_cursor(cursor: &str) -> async_graphql::Result<ReleaseCursor> {
    let invalid = || bad_input(format!("invalid cursor {cursor:?}"));
    let bytes = URL_SAFE_NO_PAD
        .decode(cursor.as_bytes())
        .map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let mut parts = text.splitn(3, ':');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("r"), Some(date), Some(id)) => Ok(ReleaseCursor {
            date: date.parse::<NaiveDate>().map_err(|_| invalid())?,
            id: id.parse().map_err(|_| invalid())?,
        }),
        _ => Err(invalid()),
    }
}

/// Cursors of keyset lists (meetings, people) carry the item's id.
pub fn id_cursor(prefix: &str, id: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("{prefix}:{id}"))
}

pub fn parse_id_cursor(prefix: &str, cursor: &str) -> async_graphql::Result<i64> {
    let invalid = || bad_input(format!("invalid cursor {cursor:?}"));
    let bytes = URL_SAFE_NO_PAD
        .decode(cursor.as_bytes())
        .map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let (p, id) = text.split_once(':').ok_or_else(invalid)?;
    if p != prefix {
        return Err(invalid());
    }
    id.parse().map_err(|_| invalid())
}
