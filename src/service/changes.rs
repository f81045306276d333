//! The changes feed mirrors follow: pages of `storage::feed` behind an
//! opaque cursor, long-polling, and the purge of old tombstones.
//!
//! A reader without a cursor starts a snapshot: every public record once
//! (tombstones up to the head it started at are left out: it has nothing to
//! delete), then the changes after it, with no seam between the two. A
//! cursor behind the purge mark is refused (`Expired`): the client must
//! start again from nothing rather than miss a deletion.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use sea_orm::{DatabaseConnection, DbErr, TransactionTrait};
use tokio::sync::watch;

use crate::model::RecordKind;
use crate::model::change::FeedEntry;
use crate::storage::feed;

/// Most items in one page.
pub const MAX_LIMIT: u64 = 1000;
/// Items in a page when the client does not say.
pub const DEFAULT_LIMIT: u64 = 100;
/// Longest long-poll wait, in seconds.
pub const MAX_WAIT_SECS: u64 = 60;
/// How long tombstones are kept by default, in days.
pub const DEFAULT_TOMBSTONE_RETENTION_DAYS: u32 = 400;

/// Where a reader stands: after the entry numbered `after`; while in its
/// first pass, the head it started at (tombstones up to there are skipped).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cursor {
    pub after: i64,
    pub snapshot_through: i64,
}

impl Cursor {
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(format!("c1.{}.{}", self.after, self.snapshot_through))
    }

    pub fn decode(text: &str) -> Result<Cursor, ChangesError> {
        let bad = || ChangesError::BadCursor(text.chars().take(64).collect());
        let bytes = URL_SAFE_NO_PAD.decode(text.trim()).map_err(|_| bad())?;
        let text = String::from_utf8(bytes).map_err(|_| bad())?;
        let mut parts = text.split('.');
        match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some("c1"), Some(after), Some(snapshot), None) => Ok(Cursor {
                after: after.parse().map_err(|_| bad())?,
                snapshot_through: snapshot.parse().map_err(|_| bad())?,
            }),
            _ => Err(bad()),
        }
    }

    /// The cursor just after `entry`.
    pub fn past(&self, entry: &FeedEntry) -> Cursor {
        Cursor {
            after: entry.seq,
            snapshot_through: self.snapshot_through,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ChangesError {
    #[error("`{0}` is not a cursor of this feed (use `next` from a page, or no cursor to start)")]
    BadCursor(String),
    #[error(
        "this cursor is older than the tombstones kept: deletions after it may be gone; start again without a cursor"
    )]
    Expired,
    #[error("database error: {0}")]
    Database(#[from] DbErr),
}

/// One page of the feed.
#[derive(Clone, Debug)]
pub struct ChangesPage {
    pub entries: Vec<FeedEntry>,
    /// Where to go on from (also when the page is empty).
    pub next: Cursor,
    /// Whether more entries wait now (otherwise the reader is at the head).
    pub has_more: bool,
}

/// The page after `cursor` (or the first page of a snapshot), of `kinds`
/// (all when empty).
pub async fn page(
    db: &DatabaseConnection,
    cursor: Option<Cursor>,
    limit: u64,
    kinds: &[RecordKind],
) -> Result<ChangesPage, ChangesError> {
    let limit = limit.clamp(1, MAX_LIMIT);
    // One snapshot of the database for the head, the purge mark and the
    // page (REPEATABLE READ on PostgreSQL: a page of several types is
    // several statements, which must not see different commits).
    let txn = crate::storage::begin_snapshot(db).await?;
    // The change log's head: every number up to it is committed, and it is
    // past any purged tombstone.
    let head = crate::storage::changes::head(&txn).await?.seq;
    let cursor = cursor.unwrap_or(Cursor {
        after: 0,
        snapshot_through: head,
    });
    let purged = feed::purged_through(&txn).await?;
    // Tombstones up to the snapshot's start are skipped anyway.
    if cursor.after < purged && purged > cursor.snapshot_through {
        return Err(ChangesError::Expired);
    }
    let mut entries = feed::page(
        &txn,
        cursor.after,
        head,
        limit + 1,
        kinds,
        cursor.snapshot_through,
    )
    .await?;
    txn.commit().await?;
    let has_more = entries.len() as u64 > limit;
    entries.truncate(limit as usize);
    // Numbers are taken in commit order, so nothing at or below the head
    // read above can still appear: an empty or last page moves the reader
    // to the head even when a type filter left everything out.
    let next = match entries.last() {
        Some(last) if has_more => cursor.past(last),
        Some(last) => Cursor {
            after: last.seq.max(head),
            ..cursor
        },
        None => Cursor {
            after: cursor.after.max(head),
            ..cursor
        },
    };
    Ok(ChangesPage {
        entries,
        next,
        has_more,
    })
}

/// The page after `cursor`; when there is none yet, waits up to `wait` for
/// one (long-polling).
pub async fn page_or_wait(
    db: &DatabaseConnection,
    watch: &FeedWatch,
    cursor: Option<Cursor>,
    limit: u64,
    kinds: &[RecordKind],
    wait: Duration,
) -> Result<ChangesPage, ChangesError> {
    let deadline = tokio::time::Instant::now() + wait;
    let mut current = cursor;
    loop {
        let page = page(db, current, limit, kinds).await?;
        if !page.entries.is_empty() || wait.is_zero() {
            return Ok(page);
        }
        let remaining = deadline.saturating_duration_since(tokio::time::Instant::now());
        if remaining.is_zero() || !watch.wait_past(page.next.after, remaining).await {
            return Ok(page);
        }
        current = Some(page.next);
    }
}

/// The feed's head as last read, shared by the requests waiting on one
/// replica: one poll of the database per interval however many wait. Safe
/// to lose; it runs only while someone waits.
#[derive(Clone)]
pub struct FeedWatch(Arc<WatchInner>);

struct WatchInner {
    db: DatabaseConnection,
    interval: Duration,
    head: watch::Sender<i64>,
    polling: AtomicBool,
}

impl FeedWatch {
    pub fn new(db: DatabaseConnection, interval: Duration) -> Self {
        Self(Arc::new(WatchInner {
            db,
            interval: interval.max(Duration::from_millis(20)),
            head: watch::channel(0).0,
            polling: AtomicBool::new(false),
        }))
    }

    /// Waits until the head passes `after`, up to `timeout`; true if it did.
    pub async fn wait_past(&self, after: i64, timeout: Duration) -> bool {
        let mut receiver = self.0.head.subscribe();
        self.ensure_polling();
        tokio::time::timeout(timeout, receiver.wait_for(|head| *head > after))
            .await
            .is_ok_and(|seen| seen.is_ok())
    }

    fn ensure_polling(&self) {
        if self
            .0
            .polling
            .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            return;
        }
        let inner = Arc::clone(&self.0);
        tokio::spawn(async move {
            loop {
                if inner.head.receiver_count() == 0 {
                    inner.polling.store(false, Ordering::Release);
                    // Someone may have come between the count and the flag.
                    if inner.head.receiver_count() == 0
                        || inner
                            .polling
                            .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
                            .is_err()
                    {
                        return;
                    }
                }
                if let Ok(head) = feed::last_seq(&inner.db).await {
                    inner.head.send_if_modified(|held| {
                        let moved = *held != head;
                        *held = head;
                        moved
                    });
                }
                tokio::time::sleep(inner.interval).await;
            }
        });
    }
}

/// Purges tombstones older than `retention` (the feed then refuses cursors
/// from before them). Returns how many went.
pub async fn purge_tombstones(
    db: &DatabaseConnection,
    retention: Duration,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let before = chrono::Duration::from_std(retention)
        .ok()
        .and_then(|kept| now.checked_sub_signed(kept))
        .unwrap_or(DateTime::<Utc>::MIN_UTC);
    let txn = db.begin().await?;
    let purged = feed::purge_tombstones(&txn, before, now).await?;
    txn.commit().await?;
    Ok(purged)
}

/// Lists in the feed every public record it does not list yet: those
/// stored before the change log existed and not changed since (on a
/// database made before the feed; a new one has none). Each gets an upsert
/// in the change log, as if just written. Runs once, at start-up.
pub async fn complete_feed(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<u64, DbErr> {
    use crate::model::change::{Change, role_key};
    if feed::is_complete(db).await? {
        return Ok(0);
    }
    let txn = db.begin().await?;
    crate::storage::changes::lock_writers(&txn).await?;
    let mut missing: Vec<Change> = Vec::new();
    for kind in RecordKind::ALL {
        if kind == RecordKind::Role {
            continue;
        }
        missing.extend(
            feed::unlisted(&txn, kind)
                .await?
                .into_iter()
                .map(|key| Change::upsert(kind, key)),
        );
    }
    let listed: std::collections::HashSet<String> =
        feed::listed_roles(&txn).await?.into_iter().collect();
    for role in crate::storage::people::roles(&txn).await? {
        let key = role_key(&role);
        if !listed.contains(&key) {
            missing.push(Change::upsert(RecordKind::Role, key));
        }
    }
    let n = missing.len() as u64;
    // In slices: a million releases are not held as one statement.
    for slice in missing.chunks(10_000) {
        crate::storage::changes::append(&txn, slice, now).await?;
    }
    feed::mark_complete(&txn, now).await?;
    txn.commit().await?;
    Ok(n)
}

/// Purges old tombstones now and every hour after, until the process ends.
pub async fn purge_tombstones_hourly(
    db: DatabaseConnection,
    clock: crate::service::clock::Clock,
    retention: Duration,
) {
    loop {
        match purge_tombstones(&db, retention, clock.now()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(purged = n, "tombstones past their retention"),
            Err(error) => tracing::warn!(%error, "purging tombstones"),
        }
        tokio::time::sleep(Duration::from_secs(3600)).await;
    }
}

/// Parses `types=press_release,meeting`.
pub fn parse_kinds(text: &str) -> Result<Vec<RecordKind>, String> {
    let mut kinds = Vec::new();
    for name in text.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let kind = RecordKind::from_type_name(name).ok_or_else(|| {
            let known: Vec<&str> = RecordKind::ALL.iter().map(|k| k.type_name()).collect();
            format!("unknown type `{name}` (one of {})", known.join(", "))
        })?;
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    Ok(kinds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_junk() {
        let cursor = Cursor {
            after: 42,
            snapshot_through: 7,
        };
        assert_eq!(Cursor::decode(&cursor.encode()).ok(), Some(cursor));
        for junk in ["", "abc", "YzEuMQ", "%%%"] {
            assert!(Cursor::decode(junk).is_err(), "{junk}");
        }
    }
}
