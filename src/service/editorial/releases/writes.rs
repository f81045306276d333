//! Creating, editing, restoring and deleting a release.

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use serde_json::{Map, Value};

use super::save::{audit, save};
use super::{
    Checked, Created, EditorialRelease, KIND, begin, check_version, checked, load, not_found,
};
use crate::model::change::Change;
use crate::model::{PressRelease, RecordKind};
use crate::service::auth::Scope;
use crate::service::editorial::idempotency::{self, Idempotency};
use crate::service::editorial::{Actor, EditError, Status};
use crate::storage::delete::Deletion;
use crate::storage::editorial::{self as store, RevisionRow};
use crate::storage::{changes, delete};

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
    if let Some(idempotency) = &idempotency
        && let Some(stored) = idempotency::replay(&txn, actor, idempotency, now).await?
    {
        txn.commit().await?;
        return Ok(Created::Replayed(stored));
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
        idempotency::remember(
            &txn,
            actor,
            idempotency,
            saved.view_for(actor).to_string(),
            now,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(Created::New(Box::new(saved)))
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
    fields.retain(|key, _| crate::service::editorial::WRITABLE.contains(&key.as_str()));
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
