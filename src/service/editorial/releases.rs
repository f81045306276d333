//! The editorial life of a press release: create (a draft), edit, publish,
//! schedule, withdraw, delete, restore a revision; and what editors read
//! (drafts, revisions). Each write is one transaction (see the module above).

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr, TransactionTrait};
use serde_json::{Map, Value, json};

use super::fields::{self, Checked};
use super::schedule::publish_due_in;
use super::{Actor, EditError, FieldError, Status};
use crate::model::change::Change;
use crate::model::{PressRelease, RecordKind};
use crate::service::auth::Scope;
use crate::storage::delete::Deletion;
use crate::storage::editorial::{
    self as store, AuditEntry, ReleaseState, RevisionRow, StoredAnswer,
};
use crate::storage::keys::IdMaps;
use crate::storage::releases::{self, ReleaseRow};
use crate::storage::search_index::{self, SearchKind};
use crate::storage::{changes, delete};

const KIND: &str = "press_release";

/// How long an `Idempotency-Key`'s answer is kept.
pub const IDEMPOTENCY_WINDOW_HOURS: i64 = 24;

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

/// A key and what was asked with it, for `create`.
#[derive(Clone, Debug)]
pub struct Idempotency {
    pub key: String,
    /// A hash of the request (operation and body).
    pub request_hash: String,
}

/// What `create` did: created the release, or found the same request
/// already answered (a retry), whose answer it returns.
#[derive(Clone, Debug)]
pub enum Created {
    New(EditorialRelease),
    Replayed(StoredAnswer),
}

fn not_found(slug: &str) -> EditError {
    EditError::NotFound(format!("there is no press release `{slug}`"))
}

fn stored_status(state: &ReleaseState) -> Status {
    Status::parse(&state.status).unwrap_or(Status::Draft)
}

/// The release keyed `slug`, whatever its status.
async fn load(
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
async fn begin(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<DatabaseTransaction, DbErr> {
    let txn = db.begin().await?;
    changes::lock_writers(&txn).await?;
    publish_due_in(&txn, now).await?;
    Ok(txn)
}

fn check_version(expected: i64, current: &EditorialRelease) -> Result<(), EditError> {
    if expected == current.version {
        Ok(())
    } else {
        Err(EditError::VersionConflict {
            expected,
            current: current.version,
        })
    }
}

async fn checked(
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

/// Creates a draft (`write`). With an idempotency key, a retry of the same
/// request returns the first answer and creates nothing.
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    patch: &Map<String, Value>,
    idempotency: Option<Idempotency>,
    now: DateTime<Utc>,
) -> Result<Created, EditError> {
    actor.require(Scope::Write)?;
    let txn = begin(db, now).await?;
    if let Some(idempotency) = &idempotency {
        store::forget_idempotent_answers(&txn, now - Duration::hours(IDEMPOTENCY_WINDOW_HOURS))
            .await?;
        if let Some(stored) = store::idempotent_answer(&txn, actor.name(), &idempotency.key).await?
        {
            if stored.request_hash != idempotency.request_hash {
                return Err(EditError::IdempotencyKeyReused);
            }
            txn.commit().await?;
            return Ok(Created::Replayed(stored));
        }
    }
    let Checked { record, ids } = checked(&txn, None, patch, false, now).await?;
    if store::release_state(&txn, record.slug.as_str())
        .await?
        .is_some()
    {
        return Err(EditError::SlugTaken(record.slug.to_string()));
    }
    let saved = save(
        &txn,
        actor,
        None,
        record,
        ids,
        Status::Draft,
        None,
        "create",
        now,
    )
    .await?;
    if let Some(idempotency) = idempotency {
        let answer = StoredAnswer {
            request_hash: idempotency.request_hash,
            status: 201,
            response: saved.to_json().to_string(),
        };
        store::store_idempotent_answer(&txn, actor.name(), &idempotency.key, &answer, now).await?;
    }
    txn.commit().await?;
    Ok(Created::New(saved))
}

/// Edits a release (`write`; `publish` too if it is public or scheduled):
/// `patch` merged over it, or with `replace` the whole release.
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    slug: &str,
    expected: i64,
    patch: &Map<String, Value>,
    replace: bool,
    now: DateTime<Utc>,
) -> Result<EditorialRelease, EditError> {
    actor.require(Scope::Write)?;
    let txn = begin(db, now).await?;
    let current = load(&txn, slug, now)
        .await?
        .ok_or_else(|| not_found(slug))?;
    if matches!(current.status, Status::Published | Status::Scheduled) {
        actor.require(Scope::Publish)?;
    }
    check_version(expected, &current)?;
    let Checked { record, ids } = checked(&txn, Some(&current.record), patch, replace, now).await?;
    let unchanged = PressRelease {
        updated_at: current.record.updated_at,
        ..record.clone()
    } == current.record;
    if unchanged {
        return Ok(current);
    }
    let saved = save(
        &txn,
        actor,
        Some(&current),
        record,
        ids,
        current.status,
        current.publish_at,
        "update",
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Makes a release public now (`publish`).
pub async fn publish(
    db: &DatabaseConnection,
    actor: &Actor,
    slug: &str,
    expected: i64,
    now: DateTime<Utc>,
) -> Result<EditorialRelease, EditError> {
    transition(db, actor, slug, expected, now, Transition::Publish).await
}

/// Makes a release public at `at`, a time to come (`publish`).
pub async fn schedule(
    db: &DatabaseConnection,
    actor: &Actor,
    slug: &str,
    expected: i64,
    at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<EditorialRelease, EditError> {
    transition(db, actor, slug, expected, now, Transition::Schedule(at)).await
}

/// Withdraws a public or scheduled release (`publish`).
pub async fn unpublish(
    db: &DatabaseConnection,
    actor: &Actor,
    slug: &str,
    expected: i64,
    now: DateTime<Utc>,
) -> Result<EditorialRelease, EditError> {
    transition(db, actor, slug, expected, now, Transition::Unpublish).await
}

enum Transition {
    Publish,
    Schedule(DateTime<Utc>),
    Unpublish,
}

async fn transition(
    db: &DatabaseConnection,
    actor: &Actor,
    slug: &str,
    expected: i64,
    now: DateTime<Utc>,
    transition: Transition,
) -> Result<EditorialRelease, EditError> {
    actor.require(Scope::Publish)?;
    if let Transition::Schedule(at) = transition
        && at <= now
    {
        return Err(EditError::Invalid(vec![FieldError {
            field: "publish_at".into(),
            message: format!(
                "must be in the future (it is {} now); publish it instead",
                crate::model::rfc3339::format(&now)
            ),
        }]));
    }
    let txn = begin(db, now).await?;
    let current = load(&txn, slug, now)
        .await?
        .ok_or_else(|| not_found(slug))?;
    check_version(expected, &current)?;
    let Checked { mut record, ids } =
        checked(&txn, Some(&current.record), &Map::new(), false, now).await?;
    let (status, publish_at, action) = match (transition, current.status) {
        (Transition::Publish, Status::Published) => {
            return Err(EditError::WrongState(format!(
                "`{slug}` is published already"
            )));
        }
        (Transition::Publish, from) => {
            // A withdrawn release published again keeps its first date.
            if from != Status::Unpublished {
                record.published_at = now;
            }
            (Status::Published, None, "publish")
        }
        (Transition::Schedule(_), Status::Published) => {
            return Err(EditError::WrongState(format!(
                "`{slug}` is published; unpublish it first to schedule it"
            )));
        }
        (Transition::Schedule(at), _) => {
            record.published_at = at;
            (Status::Scheduled, Some(at), "schedule")
        }
        (Transition::Unpublish, Status::Published | Status::Scheduled) => {
            (Status::Unpublished, None, "unpublish")
        }
        (Transition::Unpublish, from) => {
            return Err(EditError::WrongState(format!(
                "`{slug}` is not public (it is {}): there is nothing to withdraw",
                from.as_str()
            )));
        }
    };
    let saved = save(
        &txn,
        actor,
        Some(&current),
        record,
        ids,
        status,
        publish_at,
        action,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Deletes a release for good (`delete`), leaving a tombstone in the change
/// log if it was public. Its revisions stay: a release created again under
/// the slug continues their numbering. Returns the deleted version.
pub async fn delete(
    db: &DatabaseConnection,
    actor: &Actor,
    slug: &str,
    expected: i64,
    now: DateTime<Utc>,
) -> Result<i64, EditError> {
    actor.require(Scope::Delete)?;
    let txn = begin(db, now).await?;
    let current = load(&txn, slug, now)
        .await?
        .ok_or_else(|| not_found(slug))?;
    check_version(expected, &current)?;
    let id = match delete::delete(&txn, RecordKind::PressRelease, slug).await? {
        Deletion::Deleted { id, .. } => id,
        Deletion::NotFound => return Err(not_found(slug)),
        Deletion::Referenced(_) => {
            return Err(EditError::WrongState(format!(
                "`{slug}` is referred to and cannot be deleted"
            )));
        }
    };
    let tombstone = Change::delete(RecordKind::PressRelease, slug).with_id(id);
    changes::append(&txn, &[tombstone], now).await?;
    let version = current.version + 1;
    store::insert_revision(
        &txn,
        &RevisionRow {
            kind: KIND.into(),
            key: slug.into(),
            version,
            action: "delete".into(),
            actor: actor.name().into(),
            changed: "[]".into(),
            record: serde_json::to_string(&current.record).unwrap_or_default(),
            created_at: now,
        },
    )
    .await?;
    audit(
        &txn,
        actor,
        "delete",
        slug,
        Some(current.version),
        None,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(current.version)
}

/// Writes revision `version`'s content as a new revision (`write`;
/// `publish` too if the release is public or scheduled). Its status stays.
pub async fn restore(
    db: &DatabaseConnection,
    actor: &Actor,
    slug: &str,
    version: i64,
    expected: i64,
    now: DateTime<Utc>,
) -> Result<EditorialRelease, EditError> {
    actor.require(Scope::Write)?;
    let txn = begin(db, now).await?;
    let current = load(&txn, slug, now)
        .await?
        .ok_or_else(|| not_found(slug))?;
    if matches!(current.status, Status::Published | Status::Scheduled) {
        actor.require(Scope::Publish)?;
    }
    check_version(expected, &current)?;
    let revision = store::revision(&txn, KIND, slug, version)
        .await?
        .ok_or_else(|| EditError::NotFound(format!("`{slug}` has no revision {version}")))?;
    let Ok(Value::Object(mut fields)) = serde_json::from_str::<Value>(&revision.record) else {
        return Err(EditError::WrongState(format!(
            "revision {version} of `{slug}` cannot be read back"
        )));
    };
    fields.retain(|key, _| super::WRITABLE.contains(&key.as_str()));
    let Checked { record, ids } = checked(&txn, Some(&current.record), &fields, true, now).await?;
    let saved = save(
        &txn,
        actor,
        Some(&current),
        record,
        ids,
        current.status,
        current.publish_at,
        "restore",
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Stores a checked release with its status, appends to the change log if
/// public content changed, keeps the revision and audits the write.
#[allow(
    clippy::too_many_arguments,
    reason = "one save, described by all of these"
)]
async fn save(
    txn: &DatabaseTransaction,
    actor: &Actor,
    prior: Option<&EditorialRelease>,
    record: PressRelease,
    ids: IdMaps,
    status: Status,
    publish_at: Option<DateTime<Utc>>,
    action: &str,
    now: DateTime<Utc>,
) -> Result<EditorialRelease, EditError> {
    let slug = record.slug.to_string();
    let version = match prior {
        Some(prior) => prior.version + 1,
        // A slug used before (and deleted) continues its numbering, so that
        // a version a client still holds never names the new release.
        None => {
            store::revisions(txn, KIND, &slug)
                .await?
                .first()
                .map_or(0, |r| r.version)
                + 1
        }
    };
    if let Some(prior) = prior {
        store::forget_content_hash(txn, prior.id).await?;
    }
    let backend = txn.get_database_backend();
    let written =
        releases::upsert_press_releases(txn, vec![ReleaseRow::new(record.clone(), backend)], &ids)
            .await?;
    let id = written
        .first()
        .map(|(_, id)| *id)
        .or(prior.map(|p| p.id))
        .ok_or_else(|| DbErr::Custom(format!("press release `{slug}` was not written")))?;
    store::set_release_state(
        txn,
        &ReleaseState {
            id,
            status: status.as_str().into(),
            publish_at,
            version,
        },
    )
    .await?;
    if !status.is_public() {
        // Search finds public releases only.
        search_index::delete(txn, SearchKind::PressRelease, &[id]).await?;
    }
    // Every save is logged, public or not: replicas re-read the release
    // (and find a draft not public), and the version moves, which is how
    // every replica learns of a new scheduled time. A release that stops
    // being public leaves a tombstone.
    let was_public = prior.is_some_and(|p| p.status.is_public());
    let change = if was_public && !status.is_public() {
        Change::delete(RecordKind::PressRelease, &slug)
    } else {
        Change::upsert(RecordKind::PressRelease, &slug)
    };
    changes::append(txn, &[change.with_id(id)], now).await?;
    let changed = changed_fields(prior, &record, status, publish_at);
    store::insert_revision(
        txn,
        &RevisionRow {
            kind: KIND.into(),
            key: slug.clone(),
            version,
            action: action.into(),
            actor: actor.name().into(),
            changed: serde_json::to_string(&changed).unwrap_or_else(|_| "[]".into()),
            record: serde_json::to_string(&record).unwrap_or_default(),
            created_at: now,
        },
    )
    .await?;
    audit(
        txn,
        actor,
        action,
        &slug,
        prior.map(|p| p.version),
        Some(version),
        now,
    )
    .await?;
    Ok(EditorialRelease {
        id,
        record,
        status,
        publish_at,
        version,
    })
}

/// The fields a save changed (all of them for a new release).
fn changed_fields(
    prior: Option<&EditorialRelease>,
    record: &PressRelease,
    status: Status,
    publish_at: Option<DateTime<Utc>>,
) -> Vec<String> {
    let new = serde_json::to_value(record).unwrap_or(Value::Null);
    let old = prior.map(|p| serde_json::to_value(&p.record).unwrap_or(Value::Null));
    let mut changed: Vec<String> = match (&new, &old) {
        (Value::Object(new), Some(Value::Object(old))) => new
            .iter()
            .filter(|(k, v)| k.as_str() != "updated_at" && old.get(k.as_str()) != Some(v))
            .map(|(k, _)| k.clone())
            .collect(),
        (Value::Object(new), _) => new
            .iter()
            .filter(|(k, v)| k.as_str() != "updated_at" && !v.is_null())
            .map(|(k, _)| k.clone())
            .collect(),
        _ => Vec::new(),
    };
    if prior.is_none_or(|p| p.status != status) {
        changed.push("status".into());
    }
    if prior.is_some_and(|p| p.publish_at != publish_at) {
        changed.push("publish_at".into());
    }
    changed
}

pub(super) async fn audit(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    action: &str,
    key: &str,
    version_from: Option<i64>,
    version_to: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    store::append_audit(
        conn,
        &AuditEntry {
            id: 0,
            at: now,
            actor: actor.name().into(),
            origin: actor.origin.as_str().into(),
            action: action.into(),
            kind: KIND.into(),
            key: key.into(),
            version_from,
            version_to,
            request_id: actor.request_id.clone(),
        },
    )
    .await
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
