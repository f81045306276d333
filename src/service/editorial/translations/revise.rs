//! Translation versions kept in step with saves of the release itself.

use chrono::{DateTime, Utc};
use sea_orm::{DatabaseTransaction, DbErr};

use super::{KIND, key};
use crate::model::Translation;
use crate::service::editorial::{Actor, EditError, FieldError};
use crate::storage::editorial::{self as store, RevisionRow};

/// A save of the release itself that changed its translations (a `PUT` or
/// `PATCH` carrying `translations`, a restored revision): each translation
/// added, changed or removed takes a new version too, so that a
/// translator's `If-Match` from before it fails rather than overwriting it.
pub(in crate::service::editorial) async fn follow_release_save(
    txn: &DatabaseTransaction,
    actor: &Actor,
    slug: &str,
    before: &[Translation],
    after: &[Translation],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let find = |list: &[Translation], language: &str| {
        list.iter()
            .find(|t| t.language.as_str() == language)
            .cloned()
    };
    let mut languages: Vec<&str> = before
        .iter()
        .chain(after)
        .map(|t| t.language.as_str())
        .collect();
    languages.sort_unstable();
    languages.dedup();
    for language in languages {
        let (old, new) = (find(before, language), find(after, language));
        if old == new {
            continue;
        }
        let key = key(slug, language);
        let latest = store::latest_version(txn, KIND, &key).await?;
        let version = latest.unwrap_or(if old.is_some() { 1 } else { 0 }) + 1;
        let (action, fields, record) = match (&old, &new) {
            (_, Some(new)) => (
                if old.is_some() {
                    "update_translation"
                } else {
                    "create_translation"
                },
                changed(old.as_ref(), new),
                new,
            ),
            (Some(old), None) => ("delete_translation", Vec::new(), old),
            (None, None) => continue,
        };
        store::insert_revision(
            txn,
            &RevisionRow {
                kind: KIND.into(),
                key: key.clone(),
                version,
                action: action.into(),
                actor: actor.name().into(),
                changed: serde_json::to_string(&fields).unwrap_or_else(|_| "[]".into()),
                record: serde_json::to_string(record).unwrap_or_default(),
                created_at: now,
            },
        )
        .await?;
    }
    Ok(())
}

/// The fields a save changed (all that are set, for a new translation).
pub(super) fn changed(before: Option<&Translation>, after: &Translation) -> Vec<String> {
    let mut out = Vec::new();
    if before.is_none_or(|b| b.title != after.title) {
        out.push("title".to_string());
    }
    if before.map_or(after.summary.is_some(), |b| b.summary != after.summary) {
        out.push("summary".to_string());
    }
    if before.is_none_or(|b| b.body_html != after.body_html) {
        out.push("body_html".to_string());
    }
    out
}

/// The release's errors about this translation (`translations[3].title`),
/// named as the translation's own fields (`title`).
pub(super) fn own_fields(error: EditError, position: usize) -> EditError {
    match error {
        EditError::Invalid(errors) => {
            let prefix = format!("translations[{position}].");
            EditError::Invalid(
                errors
                    .into_iter()
                    .map(|e| FieldError {
                        field: e
                            .field
                            .strip_prefix(&prefix)
                            .map(str::to_string)
                            .unwrap_or(e.field),
                        message: e.message,
                    })
                    .collect(),
            )
        }
        other => other,
    }
}
