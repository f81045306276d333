//! Writing a checked record, a person's roles with them.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use sea_orm::{DatabaseTransaction, DbErr};
use serde_json::{Map, Value};

use crate::model::change::{Change, role_key};
use crate::model::{self, Record, RecordKind};
use crate::storage::keys::IdMaps;
use crate::storage::{meetings, people, search_index, structure, taxonomy};

/// Writes the record (a person's roles replaced by `roles`) and notes the
/// roles that came and went in `log`.
pub(super) async fn write(
    txn: &DatabaseTransaction,
    record: &Record,
    roles: &[model::Role],
    log: &mut Vec<Change>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    match record {
        Record::FieldOfWork(r) => {
            taxonomy::upsert_fields_of_work(txn, std::slice::from_ref(r), now).await?
        }
        Record::Country(r) => taxonomy::upsert_countries(txn, std::slice::from_ref(r), now).await?,
        Record::OrgUnit(r) => {
            structure::upsert_org_units(txn, std::slice::from_ref(r), now).await?
        }
        Record::Chairpersonship(r) => {
            structure::upsert_chairpersonships(txn, std::slice::from_ref(r), now).await?
        }
        Record::Person(r) => {
            people::upsert_people(txn, std::slice::from_ref(r), now).await?;
            let before: BTreeSet<String> = people::roles(txn)
                .await?
                .iter()
                .filter(|role| role.person == r.slug)
                .map(role_key)
                .collect();
            people::delete_roles_of(txn, r.slug.as_str()).await?;
            let ids = IdMaps::load(txn).await?;
            people::upsert_roles(txn, roles, &ids, now).await?;
            let after: BTreeSet<String> = roles.iter().map(role_key).collect();
            log.extend(
                before
                    .difference(&after)
                    .map(|k| Change::delete(RecordKind::Role, k.clone())),
            );
            log.extend(
                after
                    .iter()
                    .map(|k| Change::upsert(RecordKind::Role, k.clone())),
            );
        }
        Record::Meeting(r) => {
            let ids = IdMaps::load(txn).await?;
            meetings::upsert_meetings(txn, std::slice::from_ref(r), &ids, now).await?;
        }
        Record::Role(_) | Record::PressRelease(_) | Record::Deletion(_) => {}
    }
    // The search documents of meetings, people and units draw on
    // countries, roles and units too.
    if !matches!(record, Record::FieldOfWork(_) | Record::Chairpersonship(_)) {
        search_index::index_small_tables(txn).await?;
    }
    Ok(())
}

/// The top-level fields whose values differ (all of them for a new record).
pub(super) fn changed_fields(
    before: Option<&Map<String, Value>>,
    after: &Map<String, Value>,
) -> Vec<String> {
    after
        .iter()
        .filter(|(k, v)| before.is_none_or(|b| b.get(k.as_str()) != Some(v)))
        .map(|(k, _)| k.clone())
        .chain(
            before
                .into_iter()
                .flat_map(|b| b.keys())
                .filter(|k| !after.contains_key(k.as_str()))
                .cloned(),
        )
        .collect()
}
