//! The editorial life of a press release: create (a draft), edit, publish,
//! schedule, withdraw, delete, restore a revision; and what editors read
//! (drafts, revisions, the audit log). Each write is one transaction (see
//! the module above): `writes.rs` and `transitions.rs` decide, `save.rs`
//! stores, logs, keeps the revision and audits.

pub mod imported;
mod save;
mod transitions;
mod writes;

pub(in crate::service::editorial) use begin as begin_write;
pub(in crate::service::editorial) use save::audit;
pub(crate) use save::audit_kind;
pub use transitions::{publish, schedule, unpublish};
pub use writes::{create, delete, restore, update};

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr, TransactionTrait};
use serde_json::{Map, Value, json};

use super::fields::{self, Checked};
use super::schedule::publish_due_in;
use super::{Actor, EditError, Status};
use crate::model::PressRelease;
use crate::service::auth::Scope;
use crate::storage::changes;
use crate::storage::editorial::{
    self as store, AuditEntry, ReleaseState, RevisionRow, StoredAnswer,
};
use crate::storage::releases;

pub(super) const KIND: &str = "press_release";

/// A release as an editor sees it: its content and where it stands.
#[derive(Clone, Debug, PartialEq)]
pub struct EditorialRelease {
    pub id: i64,
    pub record: PressRelease,
    pub status: Status,
    pub publish_at: Option<DateTime<Utc>>,
    pub version: i64,
}

impl EditorialRelease {
    /// What `actor` may see of the release: all of it (`to_json`) with
    /// `read:drafts` or once it is public; otherwise where it stands only
    /// (slug, status, `publish_at`, version), so that a key that may write
    /// cannot read drafts through its writes.
    pub fn view_for(&self, actor: &Actor) -> Value {
        let may_read = self.status.is_public()
            || actor
                .principal
                .as_ref()
                .is_some_and(|p| p.can(Scope::ReadDrafts));
        if may_read {
            return self.to_json();
        }
        json!({
            "slug": self.record.slug,
            "status": self.status.as_str(),
            "publish_at": self.publish_at.map(|t| crate::model::rfc3339::format(&t)),
            "version": self.version,
        })
    }

    /// The interchange record with `status`, `publish_at` and `version`:
    /// what the REST API answers editors.
    pub fn to_json(&self) -> Value {
        let mut value = serde_json::to_value(&self.record).unwrap_or(Value::Null);
        if let Value::Object(map) = &mut value {
            map.insert("status".into(), json!(self.status.as_str()));
            map.insert(
                "publish_at".into(),
                json!(self.publish_at.map(|t| crate::model::rfc3339::format(&t))),
            );
            map.insert("version".into(), json!(self.version));
        }
        value
    }
}

/// One save of a release.
#[derive(Clone, Debug, PartialEq)]
pub struct Revision {
    pub version: i64,
    pub action: String,
    pub actor: String,
    pub changed: Vec<String>,
    pub created_at: DateTime<Utc>,
    /// The release as saved; `None` if the stored form no longer reads.
    pub record: Option<PressRelease>,
}

pub use super::idempotency::Idempotency;

/// What `create` did: created the release, or found the same request
/// already answered (a retry), whose answer it returns.
#[derive(Clone, Debug)]
pub enum Created {
    New(Box<EditorialRelease>),
    Replayed(StoredAnswer),
}

pub(super) fn not_found(slug: &str) -> EditError {
    EditError::NotFound(format!("there is no press release `{slug}`"))
}

fn stored_status(state: &ReleaseState) -> Status {
    Status::parse(&state.status).unwrap_or(Status::Draft)
}

/// The release keyed `slug`, whatever its status.
pub(super) async fn load(
    conn: &impl ConnectionTrait,
    slug: &str,
    now: DateTime<Utc>,
) -> Result<Option<EditorialRelease>, DbErr> {
    let Some(state) = store::release_state(conn, slug).await? else {
        return Ok(None);
    };
    let Some((id, record)) = releases::record_any_status(conn, slug).await? else {
        return Ok(None);
    };
    let mut status = stored_status(&state);
    // Due but not yet marked so by a replica: it is public already.
    if status == Status::Scheduled && state.publish_at.is_some_and(|at| at <= now) {
        status = Status::Published;
    }
    Ok(Some(EditorialRelease {
        id,
        record,
        status,
        publish_at: state.publish_at,
        version: state.version,
    }))
}

/// Starts a write: one writer at a time, scheduled releases settled first
/// (so that the status read is the status in force).
pub(super) async fn begin(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> Result<DatabaseTransaction, DbErr> {
    let txn = db.begin().await?;
    changes::lock_writers(&txn).await?;
    publish_due_in(&txn, now).await?;
    Ok(txn)
}

pub(super) fn check_version(expected: i64, current: &EditorialRelease) -> Result<(), EditError> {
    if expected == current.version {
        Ok(())
    } else {
        Err(EditError::VersionConflict {
            expected,
            current: current.version,
        })
    }
}

pub(super) async fn checked(
    txn: &DatabaseTransaction,
    base: Option<&PressRelease>,
    patch: &Map<String, Value>,
    replace: bool,
    now: DateTime<Utc>,
) -> Result<Checked, EditError> {
    fields::check(txn, base, patch, replace, now)
        .await?
        .map_err(EditError::Invalid)
}

/// The release as an editor sees it (`read:drafts`).
pub async fn get(
    db: &DatabaseConnection,
    actor: &Actor,
    slug: &str,
    now: DateTime<Utc>,
) -> Result<EditorialRelease, EditError> {
    actor.require(Scope::ReadDrafts)?;
    load(db, slug, now).await?.ok_or_else(|| not_found(slug))
}

/// Releases with one of `statuses` (all when empty), in slug order after
/// `after`, at most `limit` (`read:drafts`).
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    statuses: &[Status],
    after: Option<&str>,
    limit: u64,
) -> Result<Vec<store::EditorialRow>, EditError> {
    actor.require(Scope::ReadDrafts)?;
    let statuses: Vec<&str> = if statuses.is_empty() {
        Status::ALL.iter().map(|s| s.as_str()).collect()
    } else {
        statuses.iter().map(|s| s.as_str()).collect()
    };
    Ok(store::releases_by_status(db, &statuses, after, limit).await?)
}

/// The revisions of a release, newest first (`read:drafts`); those of a
/// deleted release stay readable.
pub async fn revisions(
    db: &DatabaseConnection,
    actor: &Actor,
    slug: &str,
) -> Result<Vec<Revision>, EditError> {
    actor.require(Scope::ReadDrafts)?;
    let rows = store::revisions(db, KIND, slug).await?;
    if rows.is_empty() && store::release_state(db, slug).await?.is_none() {
        return Err(not_found(slug));
    }
    Ok(rows.into_iter().map(revision_of).collect())
}

fn revision_of(row: RevisionRow) -> Revision {
    Revision {
        version: row.version,
        action: row.action,
        actor: row.actor,
        changed: serde_json::from_str(&row.changed).unwrap_or_default(),
        created_at: row.created_at,
        record: serde_json::from_str(&row.record).ok(),
    }
}

/// The audit log after entry `after`, oldest first (`admin`).
pub async fn audit_log(
    db: &DatabaseConnection,
    actor: &Actor,
    after: i64,
    limit: u64,
) -> Result<Vec<AuditEntry>, EditError> {
    actor.require(Scope::Admin)?;
    Ok(store::audit_after(db, after, limit).await?)
}

/// The release a replayed `create` made, as it is now (the retry already
/// passed `create`'s scope check).
pub async fn replayed(
    db: &DatabaseConnection,
    stored: &StoredAnswer,
    now: DateTime<Utc>,
) -> Result<Option<EditorialRelease>, EditError> {
    let slug = serde_json::from_str::<Value>(&stored.response)
        .ok()
        .and_then(|v| v.get("slug").and_then(Value::as_str).map(str::to_string));
    match slug {
        Some(slug) => Ok(load(db, &slug, now).await?),
        None => Ok(None),
    }
}
