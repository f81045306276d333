//! One translation of a press release, written on its own: added, edited
//! and removed without touching the release's other languages or its
//! version. A translation's version is its revisions' numbering (kind
//! `press_release_translation`, key `slug/lang`; 1 for one never written
//! since it was imported). The change log names the release (replicas
//! re-read it whole: its translations are part of it) and the language, so
//! the changes feed and webhooks say which translation changed.
//!
//! The release's own rules check the result (the language tag, sanitised
//! HTML, at most `MAX_TRANSLATIONS`, never the release's own language), and
//! its scopes apply: `write`, with `publish` once the release is public or
//! scheduled, `delete` to remove a translation.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr};
use serde_json::{Map, Value, json};

use super::releases::{self as editorial_releases, EditorialRelease, audit_kind, begin_write};
use super::{Actor, EditError, FieldError, Status};
use crate::model::change::{Change, ChangeOp};
use crate::model::{PressRelease, RecordKind, Translation};
use crate::service::auth::Scope;
use crate::storage::editorial::{self as store, ReleaseState, RevisionRow};
use crate::storage::releases::{self, ReleaseRow};
use crate::storage::{changes, search_index};

mod revise;

pub(super) use revise::follow_release_save;
use revise::{changed, own_fields};

/// The kind revisions and the audit log file translations under.
pub const KIND: &str = "press_release_translation";

/// The fields a translation has, besides its language.
const FIELDS: [&str; 3] = ["title", "summary", "body_html"];

/// A translation as editors read and write it.
#[derive(Clone, Debug, PartialEq)]
pub struct EditorialTranslation {
    pub slug: String,
    pub translation: Translation,
    pub version: i64,
    /// Whether the caller may read the text: a key that may write a draft
    /// but not read drafts learns where its write stands, not the text.
    pub readable: bool,
}

impl EditorialTranslation {
    /// The translation's fields with `release` (its slug) and `version`;
    /// only `release`, `language` and `version` when not `readable`.
    pub fn to_json(&self) -> Value {
        if !self.readable {
            return json!({
                "release": self.slug,
                "language": self.translation.language.as_str(),
                "version": self.version,
            });
        }
        let mut value = serde_json::to_value(&self.translation).unwrap_or(Value::Null);
        if let Value::Object(map) = &mut value {
            map.insert("release".into(), json!(self.slug));
            map.insert("version".into(), json!(self.version));
        }
        value
    }
}

/// The key a translation's revisions and audit lines are filed under.
pub fn key(slug: &str, language: &str) -> String {
    format!("{slug}/{language}")
}

/// The version of the translation of `slug` into `language`.
pub async fn version_of(
    conn: &impl ConnectionTrait,
    slug: &str,
    language: &str,
) -> Result<i64, DbErr> {
    Ok(store::latest_version(conn, KIND, &key(slug, language))
        .await?
        .unwrap_or(1))
}

fn not_found(slug: &str, language: &str) -> EditError {
    EditError::NotFound(format!(
        "press release `{slug}` has no translation into `{language}`"
    ))
}

/// A release's translations may be read by anyone once it is public, and
/// with `read:drafts` before.
fn may_read(actor: &Actor, release: &EditorialRelease) -> Result<(), EditError> {
    if release.status.is_public() {
        Ok(())
    } else {
        actor.require(Scope::ReadDrafts).map(|_| ())
    }
}

/// The release, for reading its translations: a draft is not found by
/// whoever may not see drafts.
async fn release(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    slug: &str,
    now: DateTime<Utc>,
) -> Result<EditorialRelease, EditError> {
    let release = release_to_write(conn, slug, now).await?;
    may_read(actor, &release).map_err(|_| editorial_releases::not_found(slug))?;
    Ok(release)
}

/// The release, for writing a translation: `write` reaches drafts as it
/// does for the release itself (the answer shows only the translation).
async fn release_to_write(
    conn: &impl ConnectionTrait,
    slug: &str,
    now: DateTime<Utc>,
) -> Result<EditorialRelease, EditError> {
    editorial_releases::load(conn, slug, now)
        .await?
        .ok_or_else(|| editorial_releases::not_found(slug))
}

/// The translations of a release, with their versions, by language.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    slug: &str,
    now: DateTime<Utc>,
) -> Result<Vec<EditorialTranslation>, EditError> {
    let release = release(db, actor, slug, now).await?;
    let mut out = Vec::with_capacity(release.record.translations.len());
    for translation in release.record.translations {
        let version = version_of(db, slug, translation.language.as_str()).await?;
        out.push(EditorialTranslation {
            slug: slug.to_string(),
            translation,
            version,
            readable: true,
        });
    }
    out.sort_by(|a, b| a.translation.language.cmp(&b.translation.language));
    Ok(out)
}

/// The translation of `slug` into `language`.
pub async fn get(
    db: &DatabaseConnection,
    actor: &Actor,
    slug: &str,
    language: &str,
    now: DateTime<Utc>,
) -> Result<EditorialTranslation, EditError> {
    let release = release(db, actor, slug, now).await?;
    let translation = release
        .record
        .translations
        .into_iter()
        .find(|t| t.language.as_str() == language)
        .ok_or_else(|| not_found(slug, language))?;
    Ok(EditorialTranslation {
        slug: slug.to_string(),
        version: version_of(db, slug, language).await?,
        translation,
        readable: true,
    })
}

/// What a save should find: no translation (a create), or the one at a
/// version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    New,
    Version(i64),
    /// New or not, whatever its version (the page importer).
    Any,
}

/// Adds (`Expect::New`) or changes (`Expect::Version`) the translation of
/// `slug` into `language`: `patch` merged over it (`null` clears the
/// summary), or with `replace` the whole translation. The release's version
/// stays; the translation's moves.
#[allow(
    clippy::too_many_arguments,
    reason = "one save, described by all of these"
)]
pub async fn save(
    db: &DatabaseConnection,
    actor: &Actor,
    slug: &str,
    language: &str,
    expect: Expect,
    patch: &Map<String, Value>,
    replace: bool,
    now: DateTime<Utc>,
) -> Result<EditorialTranslation, EditError> {
    actor.require(Scope::Write)?;
    let txn = begin_write(db, now).await?;
    let (saved, _) = save_in(&txn, actor, slug, language, expect, patch, replace, now).await?;
    txn.commit().await?;
    Ok(saved)
}

/// `save` in the caller's write transaction; also says whether it wrote.
#[allow(
    clippy::too_many_arguments,
    reason = "one save, described by all of these"
)]
pub(crate) async fn save_in(
    txn: &DatabaseTransaction,
    actor: &Actor,
    slug: &str,
    language: &str,
    expect: Expect,
    patch: &Map<String, Value>,
    replace: bool,
    now: DateTime<Utc>,
) -> Result<(EditorialTranslation, bool), EditError> {
    let release = release_to_write(txn, slug, now).await?;
    require_publish_if_visible(actor, &release)?;
    let existing = release
        .record
        .translations
        .iter()
        .position(|t| t.language.as_str() == language);
    let current = version_of(txn, slug, language).await?;
    match (expect, existing) {
        (Expect::New, Some(_)) => {
            return Err(EditError::WrongState(format!(
                "press release `{slug}` has a translation into `{language}` already: edit it"
            )));
        }
        (Expect::Version(_), None) => return Err(not_found(slug, language)),
        (Expect::Version(expected), Some(_)) if expected != current => {
            return Err(EditError::VersionConflict { expected, current });
        }
        _ => {}
    }
    let invalid = patch
        .keys()
        .filter(|k| !FIELDS.contains(&k.as_str()))
        .map(|k| FieldError {
            field: k.clone(),
            message: if k == "language" {
                "is the address of the translation, not a field to change".into()
            } else {
                "is not a field of a translation".into()
            },
        })
        .collect::<Vec<_>>();
    if !invalid.is_empty() {
        return Err(EditError::Invalid(invalid));
    }
    let mut fields: Map<String, Value> = match existing {
        Some(i) if !replace => match serde_json::to_value(&release.record.translations[i]) {
            Ok(Value::Object(map)) => map,
            _ => Map::new(),
        },
        _ => Map::new(),
    };
    for (k, v) in patch {
        fields.insert(k.clone(), v.clone());
    }
    fields.insert("language".into(), json!(language));
    // The release's rules check the release with this translation in place.
    let mut list: Vec<Value> = release
        .record
        .translations
        .iter()
        .map(|t| serde_json::to_value(t).unwrap_or(Value::Null))
        .collect();
    let position = match existing {
        Some(i) => {
            list[i] = Value::Object(fields);
            i
        }
        None => {
            list.push(Value::Object(fields));
            list.len() - 1
        }
    };
    let checked = editorial_releases::checked(
        txn,
        Some(&release.record),
        &Map::from_iter([("translations".to_string(), Value::Array(list))]),
        false,
        now,
    )
    .await
    .map_err(|e| own_fields(e, position))?;
    let translation = checked
        .record
        .translations
        .iter()
        .find(|t| t.language.as_str() == language)
        .cloned()
        .ok_or_else(|| DbErr::Custom("the checked translation went missing".into()))?;
    let readable = may_read(actor, &release).is_ok();
    // A save that changes nothing writes nothing: no version, no event.
    if existing.is_some_and(|i| release.record.translations[i] == translation) {
        return Ok((
            EditorialTranslation {
                slug: slug.to_string(),
                translation,
                version: current,
                readable,
            },
            false,
        ));
    }
    let version = match existing {
        Some(_) => current + 1,
        // A language removed before and added again continues its numbering.
        None => {
            store::latest_version(txn, KIND, &key(slug, language))
                .await?
                .unwrap_or(0)
                + 1
        }
    };
    store_release(txn, &release, checked.record, &checked.ids).await?;
    let action = if existing.is_some() {
        "update_translation"
    } else {
        "create_translation"
    };
    log(txn, &release, language, ChangeOp::Upsert, now).await?;
    store::insert_revision(
        txn,
        &RevisionRow {
            kind: KIND.into(),
            key: key(slug, language),
            version,
            action: action.into(),
            actor: actor.name().into(),
            changed: serde_json::to_string(&changed(
                existing.map(|i| &release.record.translations[i]),
                &translation,
            ))
            .unwrap_or_else(|_| "[]".into()),
            record: serde_json::to_string(&translation).unwrap_or_default(),
            created_at: now,
        },
    )
    .await?;
    audit_kind(
        txn,
        actor,
        action,
        KIND,
        &key(slug, language),
        existing.map(|_| current),
        Some(version),
        now,
    )
    .await?;
    Ok((
        EditorialTranslation {
            slug: slug.to_string(),
            translation,
            version,
            readable,
        },
        true,
    ))
}

/// Removes the translation of `slug` into `language` (scope `delete`).
pub async fn delete(
    db: &DatabaseConnection,
    actor: &Actor,
    slug: &str,
    language: &str,
    expected: i64,
    now: DateTime<Utc>,
) -> Result<(), EditError> {
    actor.require(Scope::Delete)?;
    let txn = begin_write(db, now).await?;
    let release = release_to_write(&txn, slug, now).await?;
    let Some(position) = release
        .record
        .translations
        .iter()
        .position(|t| t.language.as_str() == language)
    else {
        return Err(not_found(slug, language));
    };
    let current = version_of(&txn, slug, language).await?;
    if expected != current {
        return Err(EditError::VersionConflict { expected, current });
    }
    let mut record = release.record.clone();
    record.translations.remove(position);
    record.updated_at = now;
    let ids = crate::storage::keys::IdMaps::load(&txn).await?;
    store_release(&txn, &release, record, &ids).await?;
    log(&txn, &release, language, ChangeOp::Delete, now).await?;
    // The removal takes a version, so that an ETag of the removed text never
    // names a translation added again later.
    store::insert_revision(
        &txn,
        &RevisionRow {
            kind: KIND.into(),
            key: key(slug, language),
            version: current + 1,
            action: "delete_translation".into(),
            actor: actor.name().into(),
            changed: "[]".into(),
            record: serde_json::to_string(&release.record.translations[position])
                .unwrap_or_default(),
            created_at: now,
        },
    )
    .await?;
    audit_kind(
        &txn,
        actor,
        "delete_translation",
        KIND,
        &key(slug, language),
        Some(current),
        None,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Editing what readers see (or will see at a set time) is publishing.
fn require_publish_if_visible(actor: &Actor, release: &EditorialRelease) -> Result<(), EditError> {
    if matches!(release.status, Status::Published | Status::Scheduled) {
        actor.require(Scope::Publish)?;
    }
    Ok(())
}

/// Stores the release with its new translations, keeping its status and
/// version (the translation's version is the one that moves).
async fn store_release(
    txn: &DatabaseTransaction,
    release: &EditorialRelease,
    record: PressRelease,
    ids: &crate::storage::keys::IdMaps,
) -> Result<(), DbErr> {
    store::forget_content_hash(txn, release.id).await?;
    let backend = txn.get_database_backend();
    releases::upsert_press_releases(txn, vec![ReleaseRow::new(record, backend)], ids).await?;
    store::set_release_state(
        txn,
        &ReleaseState {
            id: release.id,
            status: release.status.as_str().into(),
            publish_at: release.publish_at,
            version: release.version,
        },
    )
    .await?;
    if !release.status.is_public() {
        search_index::delete(txn, search_index::SearchKind::PressRelease, &[release.id]).await?;
    }
    Ok(())
}

/// The change log entry: the release, re-read by every replica, and the
/// language written.
async fn log(
    txn: &DatabaseTransaction,
    release: &EditorialRelease,
    language: &str,
    op: ChangeOp,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let change = Change::upsert(RecordKind::PressRelease, release.record.slug.as_str())
        .with_id(release.id)
        .of_translation(language, op);
    changes::append(txn, &[change], now).await?;
    Ok(())
}
