//! The public changes feed (`change_feed`): one row per public record or
//! tombstone, carrying the number of the change that last touched it (see
//! the migration `m20261208_000001_changes_feed`). `changes::append` keeps
//! it in the writer's transaction; readers page it by `seq`.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr, Value};

use super::sql::{execute, placeholders, query_all};
use super::write::{KEYS_PER_STATEMENT, insert_rows};
use crate::model::RecordKind;
use crate::model::change::{Change, ChangeOp, FeedEntry, FeedEvent, Reason};

/// The `app_state` key under which the highest purged tombstone's number is kept.
const PURGED_THROUGH: &str = "change_feed_purged_through";

/// Brings the feed up to date with `changes`, numbered from `first_seq`,
/// and returns the events a subscriber sees (drafts and other non-public
/// saves make none).
pub(super) async fn record(
    conn: &impl ConnectionTrait,
    first_seq: i64,
    changes: &[Change],
    now: DateTime<Utc>,
) -> Result<Vec<FeedEvent>, DbErr> {
    // The last change of each record in the batch is the one that counts.
    let mut last: HashMap<(RecordKind, &str), (i64, &Change)> = HashMap::new();
    for (change, seq) in changes.iter().zip(first_seq..) {
        last.insert((change.kind, change.key.as_str()), (seq, change));
    }
    let mut by_kind: HashMap<RecordKind, Vec<&str>> = HashMap::new();
    for (kind, key) in last.keys() {
        by_kind.entry(*kind).or_default().push(key);
    }
    let mut prior: HashMap<(RecordKind, String), Option<Reason>> = HashMap::new();
    let mut releases: HashMap<String, (bool, i64)> = HashMap::new();
    let mut versions: HashMap<(RecordKind, String), i64> = HashMap::new();
    for (kind, keys) in &by_kind {
        for chunk in keys.chunks(KEYS_PER_STATEMENT) {
            let values: Vec<Value> = chunk.iter().map(|k| (*k).into()).collect();
            let list = placeholders(chunk.len());
            let rows = query_all(
                conn,
                &format!("SELECT key, reason FROM change_feed WHERE kind = ? AND key IN ({list})"),
                [vec![kind.type_name().into()], values.clone()].concat(),
            )
            .await?;
            for row in rows {
                let reason: Option<String> = row.try_get("", "reason")?;
                prior.insert(
                    (*kind, row.try_get("", "key")?),
                    reason.as_deref().and_then(Reason::parse),
                );
            }
            if *kind == RecordKind::PressRelease {
                let rows = query_all(
                    conn,
                    &format!(
                        "SELECT slug, status, version FROM press_release WHERE slug IN ({list})"
                    ),
                    values,
                )
                .await?;
                for row in rows {
                    let status: String = row.try_get("", "status")?;
                    releases.insert(
                        row.try_get("", "slug")?,
                        (status == "published", row.try_get("", "version")?),
                    );
                }
            } else if *kind != RecordKind::Role {
                let rows = query_all(
                    conn,
                    &format!(
                        "SELECT key, MAX(version) AS version FROM revision \
                         WHERE kind = ? AND key IN ({list}) GROUP BY key"
                    ),
                    [vec![kind.type_name().into()], values].concat(),
                )
                .await?;
                for row in rows {
                    versions.insert(
                        (*kind, row.try_get("", "key")?),
                        row.try_get("", "version")?,
                    );
                }
            }
        }
    }

    let mut events = Vec::new();
    for ((kind, key), (seq, change)) in last {
        let key = key.to_string();
        let before = prior.get(&(kind, key.clone()));
        let was_public = matches!(before, Some(None));
        let release = releases
            .get(&key)
            .filter(|_| kind == RecordKind::PressRelease);
        let public_now = match kind {
            RecordKind::PressRelease => {
                change.op == ChangeOp::Upsert && release.is_some_and(|(public, _)| *public)
            }
            _ => change.op == ChangeOp::Upsert,
        };
        let (op, reason, version) = if public_now {
            let version = change.version.or(match kind {
                RecordKind::PressRelease => release.map(|(_, v)| *v),
                RecordKind::Role => None,
                _ => Some(versions.get(&(kind, key.clone())).copied().unwrap_or(1)),
            });
            (ChangeOp::Upsert, None, version)
        } else {
            // Gone, or not public: a tombstone if the feed showed it.
            let reason = if kind == RecordKind::PressRelease && release.is_some() {
                Reason::Unpublished
            } else {
                Reason::Deleted
            };
            match before {
                Some(None) => {}
                // A withdrawn release deleted later: say so once more.
                Some(Some(earlier)) if *earlier != reason => {}
                _ => continue,
            }
            (ChangeOp::Delete, Some(reason), None)
        };
        let entry = FeedEntry {
            seq,
            kind,
            key,
            op,
            reason,
            version,
            at: now,
            // A translation's write shows as such only while the release
            // stays public.
            translation: change.translation.clone().filter(|_| public_now),
        };
        events.push(FeedEvent::new(entry, was_public));
    }
    events.sort_by_key(|e| e.entry.seq);
    let rows: Vec<Vec<Value>> = events
        .iter()
        .map(|e| {
            let entry = &e.entry;
            vec![
                entry.kind.type_name().into(),
                entry.key.clone().into(),
                entry.seq.into(),
                entry.op.as_str().into(),
                entry.reason.map(|r| r.as_str().to_string()).into(),
                entry.version.into(),
                entry.at.into(),
                super::changes::language_of(entry.translation.as_ref()),
                super::changes::language_op_of(entry.translation.as_ref()),
            ]
        })
        .collect();
    insert_rows(
        conn,
        "change_feed",
        "kind, key, seq, op, reason, version, changed_at, language, language_op",
        rows,
        "ON CONFLICT (kind, key) DO UPDATE SET seq = excluded.seq, op = excluded.op, \
         reason = excluded.reason, version = excluded.version, changed_at = excluded.changed_at, \
         language = excluded.language, language_op = excluded.language_op",
    )
    .await?;
    Ok(events)
}

/// Up to `limit` entries numbered after `after` and up to `through`, in
/// order, of the given kinds (all when empty); tombstones numbered up to
/// `skip_tombstones_through` are left out (a reader starting from nothing
/// has nothing to delete).
pub async fn page(
    conn: &impl ConnectionTrait,
    after: i64,
    through: i64,
    limit: u64,
    kinds: &[RecordKind],
    skip_tombstones_through: i64,
) -> Result<Vec<FeedEntry>, DbErr> {
    let limit = limit.min(i64::MAX as u64) as i64;
    let skip = "(op = 'upsert' OR seq > ?)";
    let columns = "seq, kind, key, op, reason, version, changed_at, language, language_op";
    let rows = if kinds.is_empty() {
        query_all(
            conn,
            &format!(
                "SELECT {columns} FROM change_feed WHERE seq > ? AND seq <= ? AND {skip} \
                 ORDER BY seq LIMIT ?"
            ),
            vec![
                after.into(),
                through.into(),
                skip_tombstones_through.into(),
                limit.into(),
            ],
        )
        .await?
    } else {
        // One range of the (kind, seq) index per kind, merged: the page
        // costs its length whatever share of the feed the kinds are.
        let mut rows = Vec::new();
        for kind in kinds {
            rows.extend(
                query_all(
                    conn,
                    &format!(
                        "SELECT {columns} FROM change_feed WHERE kind = ? AND seq > ? \
                         AND seq <= ? AND {skip} ORDER BY seq LIMIT ?"
                    ),
                    vec![
                        kind.type_name().into(),
                        after.into(),
                        through.into(),
                        skip_tombstones_through.into(),
                        limit.into(),
                    ],
                )
                .await?,
            );
        }
        rows
    };
    let mut entries = rows
        .iter()
        .map(|row| {
            let kind: String = row.try_get("", "kind")?;
            let op: String = row.try_get("", "op")?;
            let reason: Option<String> = row.try_get("", "reason")?;
            Ok(FeedEntry {
                seq: row.try_get("", "seq")?,
                kind: RecordKind::from_type_name(&kind)
                    .ok_or_else(|| DbErr::Custom(format!("unknown kind `{kind}` in the feed")))?,
                key: row.try_get("", "key")?,
                op: ChangeOp::parse(&op).ok_or_else(|| {
                    DbErr::Custom(format!("unknown operation `{op}` in the feed"))
                })?,
                reason: reason.as_deref().and_then(Reason::parse),
                version: row.try_get("", "version")?,
                at: row.try_get("", "changed_at")?,
                translation: super::changes::translation_of(row)?,
            })
        })
        .collect::<Result<Vec<_>, DbErr>>()?;
    entries.sort_by_key(|e| e.seq);
    entries.truncate(limit as usize);
    Ok(entries)
}

/// The highest feed number, 0 when empty.
pub async fn last_seq(conn: &impl ConnectionTrait) -> Result<i64, DbErr> {
    let rows = query_all(conn, "SELECT MAX(seq) AS seq FROM change_feed", vec![]).await?;
    Ok(rows
        .first()
        .map(|r| r.try_get::<Option<i64>>("", "seq"))
        .transpose()?
        .flatten()
        .unwrap_or(0))
}

/// The highest number of a purged tombstone: a cursor behind it may have
/// missed a deletion.
pub async fn purged_through(conn: &impl ConnectionTrait) -> Result<i64, DbErr> {
    Ok(super::state::get(conn, PURGED_THROUGH)
        .await?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0))
}

/// Removes tombstones written before `before`, in the caller's transaction,
/// and moves the purge mark past them. Returns how many went.
pub async fn purge_tombstones(
    conn: &impl ConnectionTrait,
    before: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let rows = query_all(
        conn,
        "SELECT MAX(seq) AS seq FROM change_feed WHERE op = 'delete' AND changed_at < ?",
        vec![before.into()],
    )
    .await?;
    let Some(through) = rows
        .first()
        .map(|r| r.try_get::<Option<i64>>("", "seq"))
        .transpose()?
        .flatten()
    else {
        return Ok(0);
    };
    let purged = execute(
        conn,
        "DELETE FROM change_feed WHERE op = 'delete' AND changed_at < ?",
        vec![before.into()],
    )
    .await?;
    let mark = purged_through(conn).await?.max(through);
    super::state::set(conn, PURGED_THROUGH, &mark.to_string(), now).await?;
    Ok(purged)
}

/// Keys of public records of `kind` (not roles) that the feed does not
/// list: records stored before the change log existed and never changed
/// since.
pub async fn unlisted(conn: &impl ConnectionTrait, kind: RecordKind) -> Result<Vec<String>, DbErr> {
    let (table, column) = super::keys::table_and_key(kind)?;
    let public = if kind == RecordKind::PressRelease {
        "t.status = 'published' AND"
    } else {
        ""
    };
    query_all(
        conn,
        &format!(
            "SELECT CAST(t.{column} AS TEXT) AS k FROM {table} t WHERE {public} NOT EXISTS \
             (SELECT 1 FROM change_feed f WHERE f.kind = ? AND f.key = CAST(t.{column} AS TEXT))"
        ),
        vec![kind.type_name().into()],
    )
    .await?
    .iter()
    .map(|row| row.try_get("", "k"))
    .collect()
}

/// Keys of every role the feed lists.
pub async fn listed_roles(conn: &impl ConnectionTrait) -> Result<Vec<String>, DbErr> {
    query_all(
        conn,
        "SELECT key FROM change_feed WHERE kind = 'role'",
        vec![],
    )
    .await?
    .iter()
    .map(|row| row.try_get("", "key"))
    .collect()
}

/// Whether the feed was checked to list every public record (once, after
/// the migration that made it).
pub async fn is_complete(conn: &impl ConnectionTrait) -> Result<bool, DbErr> {
    Ok(super::state::get(conn, COMPLETE).await?.is_some())
}

pub async fn mark_complete(conn: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<(), DbErr> {
    super::state::set(conn, COMPLETE, "1", now).await
}

/// The `app_state` key that says the feed lists every public record.
const COMPLETE: &str = "change_feed_complete";
