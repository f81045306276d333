//! Scheduled publishing without a job that can miss its time: a scheduled
//! release is stored with `status = 'scheduled'` and is not public; the
//! first replica that reads the content version at or after its time makes
//! it `published` and appends it to the change log, in one transaction, so
//! every replica's caches, feeds, search and exports follow as after any
//! write. Each replica remembers, per content version, when the next
//! scheduled release is due, so the check costs one query per version, not
//! one per request; `serve` also checks on every follow of the log, so the
//! event reaches the log at its time even with no traffic.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use sea_orm::{DatabaseConnection, DatabaseTransaction, DbErr, TransactionTrait};

use super::{Actor, Origin};
use crate::model::RecordKind;
use crate::model::change::Change;
use crate::service::clock::Clock;
use crate::service::version::lock;
use crate::storage::releases::{self, ReleaseRow};
use crate::storage::search_index;
use crate::storage::{changes, editorial};

/// Publishes the scheduled releases due by `now`, in the caller's
/// transaction (which holds the writers' lock); returns how many.
pub async fn publish_due_in(txn: &DatabaseTransaction, now: DateTime<Utc>) -> Result<usize, DbErr> {
    let due = editorial::publish_due(txn, now).await?;
    if due.is_empty() {
        return Ok(0);
    }
    let backend = sea_orm::ConnectionTrait::get_database_backend(txn);
    let scheduler = Actor {
        principal: None,
        origin: Origin::Schedule,
        request_id: None,
    };
    let mut log = Vec::with_capacity(due.len());
    for (id, slug, version) in &due {
        // Its search document was left out while it was not public.
        if let Some((_, record)) = releases::record_any_status(txn, slug).await? {
            let row = ReleaseRow::new(record, backend);
            search_index::store_releases(txn, vec![(*id, row.search)], &[*id]).await?;
        }
        log.push(Change::upsert(RecordKind::PressRelease, slug.clone()).with_id(*id));
        super::releases::audit(
            txn,
            &scheduler,
            "publish",
            slug,
            Some(*version),
            Some(*version),
            now,
        )
        .await?;
    }
    changes::append(txn, &log, now).await?;
    Ok(due.len())
}

/// How long publishing waits for the writers' lock (PostgreSQL) before it
/// gives up until the next read: a long import must not hold reads.
const LOCK_WAIT: Duration = Duration::from_secs(2);

/// Publishes what is due in a transaction of its own.
pub async fn publish_due(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<usize, DbErr> {
    let txn = db.begin().await?;
    changes::limit_lock_wait(&txn, LOCK_WAIT).await?;
    changes::lock_writers(&txn).await?;
    let published = publish_due_in(&txn, now).await?;
    txn.commit().await?;
    Ok(published)
}

/// The content version a replica last read, and the earliest time a
/// scheduled release was due at that version (none scheduled: `None`).
type NextDue = (String, Option<DateTime<Utc>>);

/// A replica's view of the schedule: the clock it reads and, per content
/// version, when the next scheduled release is due. Safe to lose.
#[derive(Clone, Default)]
pub struct Scheduler {
    clock: Clock,
    next: Arc<Mutex<Option<NextDue>>>,
    /// Set while one request of this process publishes: the others go on
    /// reading instead of queueing for the writers' lock.
    publishing: Arc<AtomicBool>,
    /// After a failed attempt (the lock was busy), when to try again.
    retry_at: Arc<Mutex<Option<Instant>>>,
}

/// Clears the flag it holds when dropped.
struct Clear<'a>(&'a AtomicBool);

impl Drop for Clear<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Release);
    }
}

/// How long after a failed attempt publishing is tried again.
const RETRY_AFTER: Duration = Duration::from_secs(1);

impl Scheduler {
    pub fn new(clock: Clock) -> Self {
        Self {
            clock,
            ..Self::default()
        }
    }

    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// After a read of the content version `generation`: publishes the
    /// scheduled releases whose time has come. True if it published any
    /// (the version moved: read it again). A failure is logged and leaves
    /// the read as it was (the next read tries again).
    pub async fn catch_up(&self, db: &DatabaseConnection, generation: &str) -> bool {
        match self.try_catch_up(db, generation).await {
            Ok(published) => published,
            Err(error) => {
                tracing::warn!(%error, "publishing scheduled releases (tried again on the next read)");
                false
            }
        }
    }

    async fn try_catch_up(&self, db: &DatabaseConnection, generation: &str) -> Result<bool, DbErr> {
        let known = lock(&self.next).clone();
        let next = match known {
            Some((seen, next)) if seen == generation => next,
            _ => {
                let next = editorial::next_due(db).await?;
                *lock(&self.next) = Some((generation.to_string(), next));
                next
            }
        };
        let now = self.clock.now();
        if next.is_none_or(|at| at > now) {
            return Ok(false);
        }
        if lock(&self.retry_at).is_some_and(|at| Instant::now() < at)
            || self.publishing.swap(true, Ordering::AcqRel)
        {
            return Ok(false);
        }
        // Cleared however this ends: a request that times out drops us here.
        let _publishing = Clear(&self.publishing);
        let published = publish_due(db, now).await;
        match published {
            Ok(published) => {
                *lock(&self.next) = None;
                *lock(&self.retry_at) = None;
                Ok(published > 0)
            }
            Err(error) => {
                *lock(&self.retry_at) = Some(Instant::now() + RETRY_AFTER);
                Err(error)
            }
        }
    }
}
