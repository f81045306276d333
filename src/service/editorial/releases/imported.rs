//! Saves of releases read from the website's pages (`osce-api
//! import-pages`): the same checks, store, change log, revision and audit
//! as an editor's save, in the importer's transaction, with what a page
//! cannot say kept from the release as it is.

use chrono::{DateTime, NaiveTime, Utc};
use sea_orm::{DatabaseConnection, DatabaseTransaction, DbErr};
use serde_json::{Map, Value};

use super::save::{changed_fields, save};
use super::{Checked, EditorialRelease, checked, load};
use crate::model::PressRelease;
use crate::service::editorial::{Actor, EditError, Status};

/// What an imported page did to its release.
#[derive(Clone, Debug)]
pub enum Imported {
    Created(EditorialRelease),
    Updated {
        release: EditorialRelease,
        changed: Vec<String>,
    },
    Unchanged(EditorialRelease),
}

/// The importer's one transaction: writers wait for it as for any write.
pub async fn begin_import(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> Result<DatabaseTransaction, DbErr> {
    super::begin(db, now).await
}

/// Saves the release a page gives (`page`: the interchange fields the page
/// says). A new release is published as of its own date, as it was on the
/// website; an existing one keeps its status, its publication time, its
/// summary and translations unless the page gives them, and every person,
/// country and meeting an editor linked.
pub async fn import_release(
    txn: &DatabaseTransaction,
    actor: &Actor,
    page: &Map<String, Value>,
    now: DateTime<Utc>,
) -> Result<Imported, EditError> {
    let slug = page
        .get("slug")
        .and_then(Value::as_str)
        .ok_or_else(|| DbErr::Custom("an imported page has no slug".into()))?;
    let current = load(txn, slug, now).await?;
    let mut fields = page.clone();
    if let Some(current) = &current {
        let record = &current.record;
        for (link, existing) in [
            (
                "people",
                record.people.iter().map(|s| s.to_string()).collect(),
            ),
            (
                "countries",
                record.countries.iter().map(|c| c.to_string()).collect(),
            ),
            (
                "meetings",
                record.meetings.iter().map(|s| s.to_string()).collect(),
            ),
        ] {
            let mut linked = union(existing, fields.get(link));
            if link == "countries" {
                linked.sort();
            }
            fields.insert(link.into(), Value::from(linked));
        }
        if fields.get("summary").is_none_or(Value::is_null) {
            fields.remove("summary");
        }
    }
    let Checked { mut record, ids } = checked(
        txn,
        current.as_ref().map(|c| &c.record),
        &fields,
        false,
        now,
    )
    .await?;
    match current {
        None => {
            record.published_at = record.date.and_time(NaiveTime::MIN).and_utc();
            record.updated_at = record.published_at;
            let saved = save(
                txn,
                actor,
                None,
                record,
                ids,
                Status::Published,
                None,
                "import",
                now,
            )
            .await?;
            Ok(Imported::Created(saved))
        }
        Some(current) => {
            let unchanged = PressRelease {
                updated_at: current.record.updated_at,
                ..record.clone()
            } == current.record;
            if unchanged {
                return Ok(Imported::Unchanged(current));
            }
            let mut changed = changed_fields(Some(&current), &record, current.status, None);
            changed.retain(|f| f != "publish_at" && f != "status");
            let saved = save(
                txn,
                actor,
                Some(&current),
                record,
                ids,
                current.status,
                current.publish_at,
                "import",
                now,
            )
            .await?;
            Ok(Imported::Updated {
                release: saved,
                changed,
            })
        }
    }
}

/// What the release links, then what the page adds, each once.
fn union(mut existing: Vec<String>, page: Option<&Value>) -> Vec<String> {
    for value in page.and_then(Value::as_array).into_iter().flatten() {
        if let Some(v) = value.as_str()
            && !existing.iter().any(|e| e == v)
        {
            existing.push(v.to_string());
        }
    }
    existing
}
