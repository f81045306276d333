//! The one encoding of list cursors, shared by GraphQL and REST: opaque
//! base64url text over `prefix:payload`, so a cursor from either API means
//! the same position and clients never come to depend on its insides.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::NaiveDate;

use super::ReleaseCursor;

fn encode(prefix: &str, payload: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{prefix}:{payload}"))
}

/// The payload of a cursor with this prefix, or `None` if it is not one.
fn decode(prefix: &str, cursor: &str) -> Option<String> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor.as_bytes()).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (p, payload) = text.split_once(':')?;
    (p == prefix).then(|| payload.to_string())
}

/// A position in a release list (any order: it names the release).
pub fn encode_release(cursor: ReleaseCursor) -> String {
    encode("r", &format!("{}:{}", cursor.date, cursor.id))
}

pub fn decode_release(cursor: &str) -> Option<ReleaseCursor> {
    let payload = decode("r", cursor)?;
    let (date, id) = payload.split_once(':')?;
    Some(ReleaseCursor {
        date: date.parse::<NaiveDate>().ok()?,
        id: id.parse().ok()?,
    })
}

/// A position in a keyset list (meetings `m`, people `p`): the item's id.
pub fn encode_id(prefix: &str, id: i64) -> String {
    encode(prefix, &id.to_string())
}

pub fn decode_id(prefix: &str, cursor: &str) -> Option<i64> {
    decode(prefix, cursor)?.parse().ok()
}

/// A position in a list ordered by a public key (a slug or a code).
pub fn encode_key(prefix: &str, key: &str) -> String {
    encode(prefix, key)
}

pub fn decode_key(prefix: &str, cursor: &str) -> Option<String> {
    decode(prefix, cursor).filter(|k| !k.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_other_kinds() {
        let c = ReleaseCursor {
            date: NaiveDate::from_ymd_opt(2020, 10, 25).unwrap(),
            id: 42,
        };
        assert_eq!(decode_release(&encode_release(c)), Some(c));
        assert_eq!(decode_id("m", &encode_id("m", 7)), Some(7));
        assert_eq!(decode_id("p", &encode_id("m", 7)), None);
        assert_eq!(decode_release("not a cursor"), None);
        assert_eq!(
            decode_key("u", &encode_key("u", "osce")),
            Some("osce".into())
        );
    }
}
