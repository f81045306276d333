//! The service's own small key/value state (`app_state`): which reference
//! data is loaded, the search index's version, and the content generation
//! that every write moves.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr};

use super::sql::{execute, query_all};

/// The state key of the content generation.
const GENERATION_KEY: &str = "content_generation";

/// Small key/value state of the service itself (e.g. which reference data is loaded).
pub async fn set(
    conn: &impl ConnectionTrait,
    key: &str,
    value: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    execute(
        conn,
        "INSERT INTO app_state (key, value, updated_at) VALUES (?, ?, ?) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        vec![key.into(), value.into(), now.into()],
    )
    .await
    .map(|_| ())
}

pub async fn get(conn: &impl ConnectionTrait, key: &str) -> Result<Option<String>, DbErr> {
    let rows = query_all(
        conn,
        "SELECT value FROM app_state WHERE key = ?",
        vec![key.into()],
    )
    .await?;
    rows.first().map(|r| r.try_get("", "value")).transpose()
}

/// A state value with the time it was last set.
pub async fn get_with_time(
    conn: &impl ConnectionTrait,
    key: &str,
) -> Result<Option<(String, DateTime<Utc>)>, DbErr> {
    let rows = query_all(
        conn,
        "SELECT value, updated_at FROM app_state WHERE key = ?",
        vec![key.into()],
    )
    .await?;
    rows.first()
        .map(|r| Ok((r.try_get("", "value")?, r.try_get("", "updated_at")?)))
        .transpose()
}

/// Marks the content as changed, so every replica's derived indexes rebuild.
/// Called in the same transaction as the change.
pub async fn bump_generation(conn: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<(), DbErr> {
    let value = format!("{}-{:016x}", now.timestamp_micros(), rand::random::<u64>());
    set(conn, GENERATION_KEY, &value, now).await
}

/// The content generation, `""` before the first write.
pub async fn content_generation(conn: &impl ConnectionTrait) -> Result<String, DbErr> {
    Ok(get(conn, GENERATION_KEY).await?.unwrap_or_default())
}

/// The content generation and when it was stored (the epoch before the first write).
pub async fn content_generation_with_time(
    conn: &impl ConnectionTrait,
) -> Result<(String, DateTime<Utc>), DbErr> {
    Ok(get_with_time(conn, GENERATION_KEY)
        .await?
        .unwrap_or_else(|| (String::new(), DateTime::<Utc>::UNIX_EPOCH)))
}
