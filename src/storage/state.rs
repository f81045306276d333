//! The service's own small key/value state (`app_state`): which reference
//! data is loaded, the search index's version; and the content generation,
//! which is the change log's head (`storage::changes`).

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr};

use super::changes;
use super::sql::{execute, query_all};

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

/// The content generation: the change log's last number, as text (`"0"`
/// before the first change). Every cache of derived state is keyed by it.
pub async fn content_generation(conn: &impl ConnectionTrait) -> Result<String, DbErr> {
    Ok(changes::head(conn).await?.seq.to_string())
}

/// The content generation and when it was stored (the epoch before the first write).
pub async fn content_generation_with_time(
    conn: &impl ConnectionTrait,
) -> Result<(String, DateTime<Utc>), DbErr> {
    let head = changes::head(conn).await?;
    Ok((head.seq.to_string(), head.changed_at))
}
