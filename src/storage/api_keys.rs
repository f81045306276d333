//! `api_key`: editors' keys, by name and public prefix, with the SHA-256
//! of the key (never the key).

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr, QueryResult};

use super::sql::{execute, query_all};
use super::write::insert_rows;

pub struct StoredKey {
    pub name: String,
    pub prefix: String,
    pub secret_hash: String,
    pub scopes: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

const COLUMNS: &str = "name, prefix, secret_hash, scopes, created_at, expires_at, revoked_at";

fn stored(row: &QueryResult) -> Result<StoredKey, DbErr> {
    Ok(StoredKey {
        name: row.try_get("", "name")?,
        prefix: row.try_get("", "prefix")?,
        secret_hash: row.try_get("", "secret_hash")?,
        scopes: row.try_get("", "scopes")?,
        created_at: row.try_get("", "created_at")?,
        expires_at: row.try_get("", "expires_at")?,
        revoked_at: row.try_get("", "revoked_at")?,
    })
}

fn no_time() -> sea_orm::Value {
    sea_orm::Value::ChronoDateTimeUtc(None)
}

pub async fn insert(conn: &impl ConnectionTrait, key: &StoredKey) -> Result<(), DbErr> {
    insert_rows(
        conn,
        "api_key",
        COLUMNS,
        vec![vec![
            key.name.clone().into(),
            key.prefix.clone().into(),
            key.secret_hash.clone().into(),
            key.scopes.clone().into(),
            key.created_at.into(),
            key.expires_at.map_or_else(no_time, Into::into),
            key.revoked_at.map_or_else(no_time, Into::into),
        ]],
        "",
    )
    .await
}

async fn one(
    conn: &impl ConnectionTrait,
    column: &str,
    value: &str,
) -> Result<Option<StoredKey>, DbErr> {
    let sql = format!("SELECT {COLUMNS} FROM api_key WHERE {column} = ?");
    query_all(conn, &sql, vec![value.into()])
        .await?
        .first()
        .map(stored)
        .transpose()
}

pub async fn by_prefix(
    conn: &impl ConnectionTrait,
    prefix: &str,
) -> Result<Option<StoredKey>, DbErr> {
    one(conn, "prefix", prefix).await
}

pub async fn by_name(conn: &impl ConnectionTrait, name: &str) -> Result<Option<StoredKey>, DbErr> {
    one(conn, "name", name).await
}

/// Marks the key revoked; false if no key of that name is active.
pub async fn revoke(
    conn: &impl ConnectionTrait,
    name: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let result = execute(
        conn,
        "UPDATE api_key SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL",
        vec![now.into(), name.into()],
    )
    .await?;
    Ok(result > 0)
}

pub async fn all(conn: &impl ConnectionTrait) -> Result<Vec<StoredKey>, DbErr> {
    let sql = format!("SELECT {COLUMNS} FROM api_key ORDER BY id");
    query_all(conn, &sql, vec![])
        .await?
        .iter()
        .map(stored)
        .collect()
}
