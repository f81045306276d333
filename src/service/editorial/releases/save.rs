//! Storing a checked release: the row with its status and version, the
//! change log, the revision and the audit line, in the caller's transaction.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbErr};
use serde_json::Value;

use super::{EditorialRelease, KIND};
use crate::model::change::Change;
use crate::model::{PressRelease, RecordKind};
use crate::service::editorial::{Actor, EditError, Status};
use crate::storage::changes;
use crate::storage::editorial::{self as store, AuditEntry, ReleaseState, RevisionRow};
use crate::storage::keys::IdMaps;
use crate::storage::releases::{self, ReleaseRow};
use crate::storage::search_index::{self, SearchKind};

/// Stores a checked release with its status, appends to the change log if
/// public content changed, keeps the revision and audits the write.
#[allow(
    clippy::too_many_arguments,
    reason = "one save, described by all of these"
)]
pub(super) async fn save(
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
    // A slug used before (and deleted, perhaps imported again since)
    // continues its numbering, so that a version a client still holds
    // never names another release, and revisions never collide.
    let revised = store::latest_version(txn, KIND, &slug).await?.unwrap_or(0);
    let version = prior.map_or(0, |p| p.version).max(revised) + 1;
    if let Some(prior) = prior {
        store::forget_content_hash(txn, prior.id).await?;
        // The status first: the upsert keeps a search document only for
        // a release that is public.
        store::set_release_state(
            txn,
            &ReleaseState {
                id: prior.id,
                status: status.as_str().into(),
                publish_at,
                version,
            },
        )
        .await?;
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
    if let Some(prior) = prior {
        crate::service::editorial::translations::follow_release_save(
            txn,
            actor,
            &slug,
            &prior.record.translations,
            &record.translations,
            now,
        )
        .await?;
    }
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
pub(super) fn changed_fields(
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

pub(crate) async fn audit(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    action: &str,
    key: &str,
    version_from: Option<i64>,
    version_to: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    audit_kind(
        conn,
        actor,
        action,
        KIND,
        key,
        version_from,
        version_to,
        now,
    )
    .await
}

/// One line of the audit log for a write of any kind of record.
#[allow(
    clippy::too_many_arguments,
    reason = "one audit line, described by all of these"
)]
pub(crate) async fn audit_kind(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    action: &str,
    kind: &str,
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
            kind: kind.into(),
            key: key.into(),
            version_from,
            version_to,
            request_id: actor.request_id.clone(),
        },
    )
    .await
}
