//! What editorial writes keep beside the content: a release's publication
//! state, revisions, the audit log and the answers kept for idempotent
//! retries. Every function runs in the caller's transaction.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr, QueryResult, Value};

use super::sql::{execute, placeholders, query_all};
use super::write::insert_rows;

fn no_time() -> Value {
    Value::ChronoDateTimeUtc(None)
}

fn opt_time(at: Option<DateTime<Utc>>) -> Value {
    at.map_or_else(no_time, Into::into)
}

/// A release's publication state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReleaseState {
    pub id: i64,
    pub status: String,
    pub publish_at: Option<DateTime<Utc>>,
    pub version: i64,
}

pub async fn release_state(
    conn: &impl ConnectionTrait,
    slug: &str,
) -> Result<Option<ReleaseState>, DbErr> {
    query_all(
        conn,
        "SELECT id, status, publish_at, version FROM press_release WHERE slug = ?",
        vec![slug.into()],
    )
    .await?
    .first()
    .map(|row| {
        Ok(ReleaseState {
            id: row.try_get("", "id")?,
            status: row.try_get("", "status")?,
            publish_at: row.try_get("", "publish_at")?,
            version: row.try_get("", "version")?,
        })
    })
    .transpose()
}

pub async fn set_release_state(
    conn: &impl ConnectionTrait,
    state: &ReleaseState,
) -> Result<(), DbErr> {
    execute(
        conn,
        "UPDATE press_release SET status = ?, publish_at = ?, version = ? WHERE id = ?",
        vec![
            state.status.clone().into(),
            opt_time(state.publish_at),
            state.version.into(),
            state.id.into(),
        ],
    )
    .await?;
    Ok(())
}

/// Makes the next upsert of this release rewrite it whole (row, links,
/// search document) even if its content is the same.
pub async fn forget_content_hash(conn: &impl ConnectionTrait, id: i64) -> Result<(), DbErr> {
    execute(
        conn,
        "UPDATE press_release SET content_hash = NULL WHERE id = ?",
        vec![id.into()],
    )
    .await?;
    Ok(())
}

/// Scheduled releases whose time has come become published; returns their
/// ids, slugs and versions. A replica that runs this second finds them
/// published already (PostgreSQL re-checks the condition after the first
/// commits), so each is published once.
pub async fn publish_due(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<Vec<(i64, String, i64)>, DbErr> {
    query_all(
        conn,
        "UPDATE press_release SET status = 'published' \
         WHERE status = 'scheduled' AND publish_at <= ? RETURNING id, slug, version",
        vec![now.into()],
    )
    .await?
    .iter()
    .map(|row| {
        Ok((
            row.try_get("", "id")?,
            row.try_get("", "slug")?,
            row.try_get("", "version")?,
        ))
    })
    .collect()
}

/// The earliest time a scheduled release becomes public, if any is scheduled.
pub async fn next_due(conn: &impl ConnectionTrait) -> Result<Option<DateTime<Utc>>, DbErr> {
    query_all(
        conn,
        "SELECT publish_at FROM press_release WHERE status = 'scheduled' \
         ORDER BY publish_at LIMIT 1",
        vec![],
    )
    .await?
    .first()
    .map(|row| row.try_get("", "publish_at"))
    .transpose()
    .map(Option::flatten)
}

/// A release as editors list it (any status).
#[derive(Clone, Debug)]
pub struct EditorialRow {
    pub slug: String,
    pub title: String,
    pub status: String,
    pub publish_at: Option<DateTime<Utc>>,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
}

/// Releases with one of `statuses`, in slug order after `after`.
pub async fn releases_by_status(
    conn: &impl ConnectionTrait,
    statuses: &[&str],
    after: Option<&str>,
    limit: u64,
) -> Result<Vec<EditorialRow>, DbErr> {
    if statuses.is_empty() {
        return Ok(Vec::new());
    }
    let mut values: Vec<Value> = statuses.iter().map(|s| (*s).into()).collect();
    values.push(after.unwrap_or("").into());
    let sql = format!(
        "SELECT slug, title, status, publish_at, version, updated_at FROM press_release \
         WHERE status IN ({}) AND slug > ? ORDER BY slug LIMIT {limit}",
        placeholders(statuses.len())
    );
    query_all(conn, &sql, values)
        .await?
        .iter()
        .map(|row| {
            Ok(EditorialRow {
                slug: row.try_get("", "slug")?,
                title: row.try_get("", "title")?,
                status: row.try_get("", "status")?,
                publish_at: row.try_get("", "publish_at")?,
                version: row.try_get("", "version")?,
                updated_at: row.try_get("", "updated_at")?,
            })
        })
        .collect()
}

/// One save of a record: who, when, what changed, and the record as saved
/// (its interchange JSON), so that it can be restored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RevisionRow {
    pub kind: String,
    pub key: String,
    pub version: i64,
    pub action: String,
    pub actor: String,
    /// The top-level fields that changed (JSON array of names).
    pub changed: String,
    pub record: String,
    pub created_at: DateTime<Utc>,
}

pub async fn insert_revision(conn: &impl ConnectionTrait, row: &RevisionRow) -> Result<(), DbErr> {
    insert_revisions(conn, std::slice::from_ref(row)).await
}

const REVISION_COLUMNS: &str = "kind, key, version, action, actor, changed, record, created_at";

fn revision_row(row: &QueryResult) -> Result<RevisionRow, DbErr> {
    Ok(RevisionRow {
        kind: row.try_get("", "kind")?,
        key: row.try_get("", "key")?,
        version: row.try_get("", "version")?,
        action: row.try_get("", "action")?,
        actor: row.try_get("", "actor")?,
        changed: row.try_get("", "changed")?,
        record: row.try_get("", "record")?,
        created_at: row.try_get("", "created_at")?,
    })
}

/// The revisions of a record, newest first.
pub async fn revisions(
    conn: &impl ConnectionTrait,
    kind: &str,
    key: &str,
) -> Result<Vec<RevisionRow>, DbErr> {
    let sql = format!(
        "SELECT {REVISION_COLUMNS} FROM revision WHERE kind = ? AND key = ? ORDER BY version DESC"
    );
    query_all(conn, &sql, vec![kind.into(), key.into()])
        .await?
        .iter()
        .map(revision_row)
        .collect()
}

pub async fn revision(
    conn: &impl ConnectionTrait,
    kind: &str,
    key: &str,
    version: i64,
) -> Result<Option<RevisionRow>, DbErr> {
    let sql = format!(
        "SELECT {REVISION_COLUMNS} FROM revision WHERE kind = ? AND key = ? AND version = ?"
    );
    query_all(conn, &sql, vec![kind.into(), key.into(), version.into()])
        .await?
        .first()
        .map(revision_row)
        .transpose()
}

/// One line of the audit log.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub origin: String,
    pub action: String,
    pub kind: String,
    pub key: String,
    pub version_from: Option<i64>,
    pub version_to: Option<i64>,
    pub request_id: Option<String>,
}

const AUDIT_COLUMNS: &str =
    "at, actor, origin, action, kind, key, version_from, version_to, request_id";

/// Appends `entry` (its `id` is given by the database).
pub async fn append_audit(conn: &impl ConnectionTrait, entry: &AuditEntry) -> Result<(), DbErr> {
    let version = |v: Option<i64>| v.map_or(Value::BigInt(None), Into::into);
    insert_rows(
        conn,
        "audit_log",
        AUDIT_COLUMNS,
        vec![vec![
            entry.at.into(),
            entry.actor.clone().into(),
            entry.origin.clone().into(),
            entry.action.clone().into(),
            entry.kind.clone().into(),
            entry.key.clone().into(),
            version(entry.version_from),
            version(entry.version_to),
            entry
                .request_id
                .clone()
                .map_or(Value::String(None), Into::into),
        ]],
        "",
    )
    .await
}

/// Audit entries after `after` (an id), oldest first, at most `limit`.
pub async fn audit_after(
    conn: &impl ConnectionTrait,
    after: i64,
    limit: u64,
) -> Result<Vec<AuditEntry>, DbErr> {
    let sql =
        format!("SELECT id, {AUDIT_COLUMNS} FROM audit_log WHERE id > ? ORDER BY id LIMIT {limit}");
    query_all(conn, &sql, vec![after.into()])
        .await?
        .iter()
        .map(|row| {
            Ok(AuditEntry {
                id: row.try_get("", "id")?,
                at: row.try_get("", "at")?,
                actor: row.try_get("", "actor")?,
                origin: row.try_get("", "origin")?,
                action: row.try_get("", "action")?,
                kind: row.try_get("", "kind")?,
                key: row.try_get("", "key")?,
                version_from: row.try_get("", "version_from")?,
                version_to: row.try_get("", "version_to")?,
                request_id: row.try_get("", "request_id")?,
            })
        })
        .collect()
}

/// The answer given to a request sent with an `Idempotency-Key`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredAnswer {
    /// What the request asked (a hash of its operation and body): the same
    /// key with another request is refused.
    pub request_hash: String,
    pub status: i32,
    pub response: String,
}

pub async fn idempotent_answer(
    conn: &impl ConnectionTrait,
    actor: &str,
    key: &str,
) -> Result<Option<StoredAnswer>, DbErr> {
    query_all(
        conn,
        "SELECT request_hash, status, response FROM idempotency_key WHERE actor = ? AND key = ?",
        vec![actor.into(), key.into()],
    )
    .await?
    .first()
    .map(|row| {
        Ok(StoredAnswer {
            request_hash: row.try_get("", "request_hash")?,
            status: row.try_get("", "status")?,
            response: row.try_get("", "response")?,
        })
    })
    .transpose()
}

pub async fn store_idempotent_answer(
    conn: &impl ConnectionTrait,
    actor: &str,
    key: &str,
    answer: &StoredAnswer,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    insert_rows(
        conn,
        "idempotency_key",
        "actor, key, request_hash, status, response, created_at",
        vec![vec![
            actor.into(),
            key.into(),
            answer.request_hash.clone().into(),
            answer.status.into(),
            answer.response.clone().into(),
            now.into(),
        ]],
        "",
    )
    .await
}

/// Drops the answers kept since before `before`.
pub async fn forget_idempotent_answers(
    conn: &impl ConnectionTrait,
    before: DateTime<Utc>,
) -> Result<(), DbErr> {
    execute(
        conn,
        "DELETE FROM idempotency_key WHERE created_at < ?",
        vec![before.into()],
    )
    .await?;
    Ok(())
}

/// The latest revision's version of one record, if it has any.
pub async fn latest_version(
    conn: &impl ConnectionTrait,
    kind: &str,
    key: &str,
) -> Result<Option<i64>, DbErr> {
    query_all(
        conn,
        "SELECT MAX(version) AS version FROM revision WHERE kind = ? AND key = ?",
        vec![kind.into(), key.into()],
    )
    .await?
    .first()
    .map(|row| row.try_get::<Option<i64>>("", "version"))
    .transpose()
    .map(Option::flatten)
}

/// The latest revision's version of every record of `kind` that has one.
pub async fn latest_versions(
    conn: &impl ConnectionTrait,
    kind: &str,
) -> Result<std::collections::HashMap<String, i64>, DbErr> {
    query_all(
        conn,
        "SELECT key, MAX(version) AS version FROM revision WHERE kind = ? GROUP BY key",
        vec![kind.into()],
    )
    .await?
    .iter()
    .map(|row| Ok((row.try_get("", "key")?, row.try_get("", "version")?)))
    .collect()
}

/// Appends many revisions in as few statements as the backend takes.
pub async fn insert_revisions(
    conn: &impl ConnectionTrait,
    rows: &[RevisionRow],
) -> Result<(), DbErr> {
    insert_rows(
        conn,
        "revision",
        "kind, key, version, action, actor, changed, record, created_at",
        rows.iter()
            .map(|row| {
                vec![
                    row.kind.clone().into(),
                    row.key.clone().into(),
                    row.version.into(),
                    row.action.clone().into(),
                    row.actor.clone().into(),
                    row.changed.clone().into(),
                    row.record.clone().into(),
                    row.created_at.into(),
                ]
            })
            .collect(),
        "",
    )
    .await
}
