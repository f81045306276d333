//! The change log (`content_change`): every content write appends the
//! records it touched, in its own transaction. Its last number is the
//! content's version; replicas read the entries after the one they applied.
//!
//! Numbers come from the one row of `content_change_counter`, updated in
//! the writer's transaction: a second writer waits on that row until the
//! first commits, so numbers are gap-free in commit order (see the
//! migration `m20261203_000001_change_log`).

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr, QueryResult, Value};

use super::sql::query_all;
use super::write::insert_rows;
use crate::model::RecordKind;
use crate::model::change::{Change, ChangeOp, LoggedChange, TranslationChange};

/// The content's version: the last change's number and its time (0 and the
/// epoch before the first change).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LogHead {
    pub seq: i64,
    pub changed_at: DateTime<Utc>,
}

/// Appends `changes` in the caller's transaction; returns the last number
/// taken (or the current head's if there is nothing to append: a write that
/// changed nothing leaves the version alone).
pub async fn append(
    conn: &impl ConnectionTrait,
    changes: &[Change],
    now: DateTime<Utc>,
) -> Result<i64, DbErr> {
    if changes.is_empty() {
        return Ok(head(conn).await?.seq);
    }
    let n = changes.len() as i64;
    let rows = query_all(
        conn,
        "UPDATE content_change_counter SET last_seq = last_seq + ? WHERE id = 1 RETURNING last_seq",
        vec![n.into()],
    )
    .await?;
    let last: i64 = rows
        .first()
        .ok_or_else(|| DbErr::Custom("the change counter row is missing".into()))?
        .try_get("", "last_seq")?;
    let first = last - n + 1;
    let rows: Vec<Vec<Value>> = changes
        .iter()
        .zip(first..)
        .map(|(change, seq)| {
            vec![
                seq.into(),
                change.kind.type_name().into(),
                change.key.clone().into(),
                change.id.into(),
                change.op.as_str().into(),
                now.into(),
                language_of(change.translation.as_ref()),
                language_op_of(change.translation.as_ref()),
            ]
        })
        .collect();
    insert_rows(
        conn,
        "content_change",
        "seq, kind, key, record_id, op, changed_at, language, language_op",
        rows,
        "",
    )
    .await?;
    // The public feed and the webhook deliveries it implies commit (or roll
    // back) with the change itself.
    let events = super::feed::record(conn, first, changes, now).await?;
    super::webhooks::enqueue(conn, &events, now).await?;
    Ok(last)
}

/// The `language` column of a change or feed row.
pub(super) fn language_of(translation: Option<&TranslationChange>) -> Value {
    translation.map(|t| t.language.clone()).into()
}

/// The `language_op` column of a change or feed row.
pub(super) fn language_op_of(translation: Option<&TranslationChange>) -> Value {
    translation.map(|t| t.op.as_str().to_string()).into()
}

/// The translation a change or feed row names, from its `language` and
/// `language_op` columns.
pub(super) fn translation_of(row: &QueryResult) -> Result<Option<TranslationChange>, DbErr> {
    let language: Option<String> = row.try_get("", "language")?;
    let op: Option<String> = row.try_get("", "language_op")?;
    Ok(language.map(|language| TranslationChange {
        language,
        op: op
            .as_deref()
            .and_then(ChangeOp::parse)
            .unwrap_or(ChangeOp::Upsert),
    }))
}

/// The last change's number and time.
pub async fn head(conn: &impl ConnectionTrait) -> Result<LogHead, DbErr> {
    let rows = query_all(
        conn,
        "SELECT seq, changed_at FROM content_change ORDER BY seq DESC LIMIT 1",
        vec![],
    )
    .await?;
    match rows.first() {
        Some(row) => Ok(LogHead {
            seq: row.try_get("", "seq")?,
            changed_at: row.try_get("", "changed_at")?,
        }),
        None => Ok(LogHead {
            seq: 0,
            changed_at: DateTime::<Utc>::UNIX_EPOCH,
        }),
    }
}

/// The changes numbered after `after`, up to `limit` of them, in order.
pub async fn after(
    conn: &impl ConnectionTrait,
    after: i64,
    limit: u64,
) -> Result<Vec<LoggedChange>, DbErr> {
    let rows = query_all(
        conn,
        "SELECT seq, kind, key, record_id, op, changed_at, language, language_op \
         FROM content_change WHERE seq > ? ORDER BY seq LIMIT ?",
        vec![after.into(), (limit.min(i64::MAX as u64) as i64).into()],
    )
    .await?;
    rows.iter()
        .map(|row| {
            let kind: String = row.try_get("", "kind")?;
            let op: String = row.try_get("", "op")?;
            Ok(LoggedChange {
                seq: row.try_get("", "seq")?,
                change: Change {
                    kind: RecordKind::from_type_name(&kind).ok_or_else(|| {
                        DbErr::Custom(format!("unknown kind `{kind}` in the change log"))
                    })?,
                    key: row.try_get("", "key")?,
                    op: ChangeOp::parse(&op).ok_or_else(|| {
                        DbErr::Custom(format!("unknown operation `{op}` in the change log"))
                    })?,
                    id: row.try_get("", "record_id")?,
                    version: None,
                    translation: translation_of(row)?,
                },
                changed_at: row.try_get("", "changed_at")?,
            })
        })
        .collect()
}

/// How many changes are numbered after `after` (counted up to `cap`).
pub async fn count_after(conn: &impl ConnectionTrait, after: i64, cap: u64) -> Result<u64, DbErr> {
    let rows = query_all(
        conn,
        "SELECT COUNT(*) AS n FROM (SELECT 1 FROM content_change WHERE seq > ? ORDER BY seq LIMIT ?) AS upto",
        vec![after.into(), (cap.min(i64::MAX as u64) as i64).into()],
    )
    .await?;
    let n: i64 = rows
        .first()
        .map(|r| r.try_get("", "n"))
        .transpose()?
        .unwrap_or(0);
    Ok(n.max(0) as u64)
}

/// Makes the caller's transaction the only writer until it ends: it takes
/// the counter row's lock (PostgreSQL) or the database's write lock
/// (SQLite) at once, as its first statement. Editorial writes start so,
/// so that what they read (versions, slugs, idempotency keys) cannot
/// change under them before they commit.
pub async fn lock_writers(conn: &impl ConnectionTrait) -> Result<(), DbErr> {
    super::sql::execute(
        conn,
        "UPDATE content_change_counter SET last_seq = last_seq WHERE id = 1",
        vec![],
    )
    .await?;
    Ok(())
}

/// Makes the caller's transaction stop waiting for a lock after `wait`
/// (PostgreSQL; SQLite waits for its busy timeout): for writes made on
/// behalf of a read, which must not queue behind a long import.
pub async fn limit_lock_wait(
    conn: &impl ConnectionTrait,
    wait: std::time::Duration,
) -> Result<(), DbErr> {
    if conn.get_database_backend() == sea_orm::DbBackend::Postgres {
        conn.execute_unprepared(&format!("SET LOCAL lock_timeout = {}", wait.as_millis()))
            .await?;
    }
    Ok(())
}
