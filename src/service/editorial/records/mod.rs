//! Editors' writes of the other content: fields of work, countries, units
//! (closing one is setting `closed_on`), chairpersonships, people with
//! their roles, and meetings. These have no drafts: a save is public at
//! once, so it needs `write` and `publish`; deleting needs `delete` and is
//! refused while anything refers to the record. Each save is a revision
//! (the revision table holds these records' versions: a record never saved
//! by an editor or an import since is at version 1) and a line of the audit
//! log, in the transaction that appends to the change log.

use std::collections::{BTreeSet, HashMap};

mod check;
mod write;

use check::{parse, parse_roles, rules, value_key};
use write::{changed_fields, write};

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr};
use serde_json::{Map, Value, json};

use super::idempotency::{self, Idempotency};
use super::releases::{audit_kind, begin_write};
use super::{Actor, EditError, FieldError};
use crate::model::change::{Change, role_key};
use crate::model::{self, Record, RecordKind};
use crate::service::auth::Scope;
use crate::service::delete::{DeleteError, delete_in};
use crate::storage::editorial::{self as store, RevisionRow};
use crate::storage::{changes, meetings, people, structure, taxonomy};

/// The kinds editors write here (press releases have their own life).
pub const KINDS: [RecordKind; 6] = [
    RecordKind::FieldOfWork,
    RecordKind::Country,
    RecordKind::OrgUnit,
    RecordKind::Chairpersonship,
    RecordKind::Person,
    RecordKind::Meeting,
];

/// A record as editors read and write it: its interchange fields (a
/// person's with `roles`, each without `person`) and its version.
#[derive(Clone, Debug, PartialEq)]
pub struct EditorialRecord {
    pub kind: RecordKind,
    pub key: String,
    pub fields: Map<String, Value>,
    pub version: i64,
}

impl EditorialRecord {
    /// The fields with `version`: what the REST API answers editors.
    pub fn to_json(&self) -> Value {
        let mut fields = self.fields.clone();
        fields.insert("version".into(), json!(self.version));
        Value::Object(fields)
    }
}

/// The field that keys records of `kind`.
pub fn key_field(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Country => "code",
        RecordKind::Chairpersonship => "year",
        _ => "slug",
    }
}

pub(super) fn record_key(record: &Record) -> String {
    match record {
        Record::FieldOfWork(r) => r.slug.to_string(),
        Record::Country(r) => r.code.to_string(),
        Record::OrgUnit(r) => r.slug.to_string(),
        Record::Chairpersonship(r) => r.year.to_string(),
        Record::Person(r) => r.slug.to_string(),
        Record::Meeting(r) => r.slug.to_string(),
        Record::Role(r) => role_key(r),
        Record::PressRelease(r) => r.slug.to_string(),
        Record::Deletion(d) => d.key.clone(),
    }
}

/// The record of `kind` keyed `key` as stored, with its version.
pub async fn load(
    conn: &impl ConnectionTrait,
    kind: RecordKind,
    key: &str,
) -> Result<Option<EditorialRecord>, DbErr> {
    let record = match kind {
        RecordKind::FieldOfWork => taxonomy::fields_of_work(conn)
            .await?
            .into_iter()
            .find(|r| r.slug.as_str() == key)
            .map(Record::FieldOfWork),
        RecordKind::Country => taxonomy::countries(conn)
            .await?
            .into_iter()
            .find(|r| r.code.as_str() == key)
            .map(Record::Country),
        RecordKind::OrgUnit => structure::org_units(conn)
            .await?
            .into_iter()
            .find(|r| r.slug.as_str() == key)
            .map(Record::OrgUnit),
        RecordKind::Chairpersonship => structure::chairpersonships(conn)
            .await?
            .into_iter()
            .find(|r| r.year.to_string() == key)
            .map(Record::Chairpersonship),
        RecordKind::Person => people::people(conn)
            .await?
            .into_iter()
            .find(|r| r.slug.as_str() == key)
            .map(Record::Person),
        RecordKind::Meeting => meetings::all_meetings(conn)
            .await?
            .into_iter()
            .find(|r| r.slug.as_str() == key)
            .map(Record::Meeting),
        RecordKind::Role | RecordKind::PressRelease => None,
    };
    let Some(record) = record else {
        return Ok(None);
    };
    let mut fields = match serde_json::to_value(&record) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    fields.remove("type");
    if kind == RecordKind::Person {
        let roles: Vec<Value> = people::roles(conn)
            .await?
            .into_iter()
            .filter(|r| r.person.as_str() == key)
            .map(role_fields)
            .collect();
        fields.insert("roles".into(), Value::Array(roles));
    }
    let version = version_of(conn, kind, key).await?;
    Ok(Some(EditorialRecord {
        kind,
        key: key.to_string(),
        fields,
        version,
    }))
}

/// The version of the record of `kind` keyed `key`: its latest revision's,
/// or 1 for a record no one has changed since it was first loaded.
pub async fn version_of(
    conn: &impl ConnectionTrait,
    kind: RecordKind,
    key: &str,
) -> Result<i64, DbErr> {
    Ok(store::latest_version(conn, kind.type_name(), key)
        .await?
        .unwrap_or(1))
}

/// A role as a person's `roles` list holds it: without `person`.
fn role_fields(role: model::Role) -> Value {
    let mut value = serde_json::to_value(Record::Role(role)).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut value {
        map.remove("type");
        map.remove("person");
    }
    value
}

/// The record of `kind` keyed `key`, as editors read it (no scope: these
/// records are public).
pub async fn get(
    db: &DatabaseConnection,
    kind: RecordKind,
    key: &str,
) -> Result<EditorialRecord, EditError> {
    load(db, kind, key)
        .await?
        .ok_or_else(|| not_found(kind, key))
}

fn not_found(kind: RecordKind, key: &str) -> EditError {
    EditError::NotFound(format!("there is no {} `{key}`", kind.noun()))
}

/// Changes the record of `kind` keyed `key` (or creates one, `key` none):
/// `patch` merged over it (`null` clears), or with `replace` the whole
/// record. Needs `write` and `publish` (it is public at once).
#[allow(
    clippy::too_many_arguments,
    reason = "one save, described by all of these"
)]
pub async fn save(
    db: &DatabaseConnection,
    actor: &Actor,
    kind: RecordKind,
    key: Option<&str>,
    expected: Option<i64>,
    patch: &Map<String, Value>,
    replace: bool,
    now: DateTime<Utc>,
) -> Result<EditorialRecord, EditError> {
    actor.require(Scope::Write)?;
    actor.require(Scope::Publish)?;
    let txn = begin_write(db, now).await?;
    let saved = save_in(&txn, actor, kind, key, expected, patch, replace, now).await?;
    txn.commit().await?;
    Ok(saved)
}

/// What `create` did: created the record, or found the same request
/// answered before (a retry), whose answer it returns.
#[derive(Clone, Debug)]
pub enum Created {
    New(Box<EditorialRecord>),
    Replayed(crate::storage::editorial::StoredAnswer),
}

/// Creates a record of `kind` (`write` and `publish`). With an idempotency
/// key, a retry of the same request returns the first answer.
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    kind: RecordKind,
    patch: &Map<String, Value>,
    idempotency: Option<Idempotency>,
    now: DateTime<Utc>,
) -> Result<Created, EditError> {
    actor.require(Scope::Write)?;
    actor.require(Scope::Publish)?;
    let txn = begin_write(db, now).await?;
    if let Some(idempotency) = &idempotency
        && let Some(stored) = idempotency::replay(&txn, actor, idempotency, now).await?
    {
        txn.commit().await?;
        return Ok(Created::Replayed(stored));
    }
    let saved = save_in(&txn, actor, kind, None, None, patch, false, now).await?;
    if let Some(idempotency) = idempotency {
        idempotency::remember(&txn, actor, idempotency, saved.to_json().to_string(), now).await?;
    }
    txn.commit().await?;
    Ok(Created::New(Box::new(saved)))
}

/// `save` in the caller's writing transaction (which it does not commit).
#[allow(
    clippy::too_many_arguments,
    reason = "one save, described by all of these"
)]
async fn save_in(
    txn: &DatabaseTransaction,
    actor: &Actor,
    kind: RecordKind,
    key: Option<&str>,
    expected: Option<i64>,
    patch: &Map<String, Value>,
    replace: bool,
    now: DateTime<Utc>,
) -> Result<EditorialRecord, EditError> {
    let current = match key {
        Some(key) => {
            let current = load(txn, kind, key)
                .await?
                .ok_or_else(|| not_found(kind, key))?;
            if let Some(expected) = expected
                && expected != current.version
            {
                return Err(EditError::VersionConflict {
                    expected,
                    current: current.version,
                });
            }
            Some(current)
        }
        None => None,
    };
    let mut merged = match (&current, replace) {
        (Some(current), false) => current.fields.clone(),
        _ => Map::new(),
    };
    let key_name = key_field(kind);
    let mut errors = Vec::new();
    for (field, value) in patch {
        if field == "version" {
            continue;
        }
        if field == key_name
            && let Some(current) = &current
            && value_key(value) != current.key
        {
            errors.push(FieldError {
                field: field.clone(),
                message: format!("cannot change: it is the {}'s key", kind.noun()),
            });
            continue;
        }
        if value.is_null() {
            merged.remove(field);
        } else {
            merged.insert(field.clone(), value.clone());
        }
    }
    if let (Some(current), true) = (&current, replace) {
        merged.insert(
            key_name.into(),
            current.fields.get(key_name).cloned().unwrap_or(Value::Null),
        );
    }
    let roles = if kind == RecordKind::Person {
        Some(merged.remove("roles").unwrap_or(Value::Array(Vec::new())))
    } else {
        None
    };
    let record = parse(kind, &merged, "", &mut errors);
    let key = record.as_ref().map(record_key);
    let roles = match (&roles, &key) {
        (Some(roles), Some(person)) => parse_roles(roles, person, &mut errors),
        _ => Vec::new(),
    };
    if let Some(record) = &record {
        rules(txn, record, &roles, current.is_none(), &mut errors).await?;
    }
    let (Some(record), Some(key), true) = (record, key, errors.is_empty()) else {
        return Err(EditError::Invalid(errors));
    };
    if current.is_none() && load(txn, kind, &key).await?.is_some() {
        return Err(EditError::SlugTaken(key));
    }
    let mut log = vec![Change::upsert(kind, key.clone())];
    write(txn, &record, &roles, &mut log, now).await?;
    let saved = load(txn, kind, &key)
        .await?
        .ok_or_else(|| not_found(kind, &key))?;
    let version = current.as_ref().map_or(0, |c| c.version) + 1;
    let changed = changed_fields(current.as_ref().map(|c| &c.fields), &saved.fields);
    if current.is_some() && changed.is_empty() {
        return Ok(current.unwrap_or(saved));
    }
    let version = match current {
        Some(_) => version,
        // A key used before (and deleted) continues its numbering.
        None => {
            store::latest_version(txn, kind.type_name(), &key)
                .await?
                .unwrap_or(0)
                + 1
        }
    };
    // The record's own change (the first) names the version it reaches.
    if let Some(first) = log.first_mut() {
        first.version = Some(version);
    }
    changes::append(txn, &log, now).await?;
    let action = if current.is_some() {
        "update"
    } else {
        "create"
    };
    store::insert_revision(
        txn,
        &RevisionRow {
            kind: kind.type_name().into(),
            key: key.clone(),
            version,
            action: action.into(),
            actor: actor.name().into(),
            changed: serde_json::to_string(&changed).unwrap_or_else(|_| "[]".into()),
            record: Value::Object(saved.fields.clone()).to_string(),
            created_at: now,
        },
    )
    .await?;
    audit_kind(
        txn,
        actor,
        action,
        kind.type_name(),
        &key,
        (version > 1).then_some(version - 1),
        Some(version),
        now,
    )
    .await?;
    Ok(EditorialRecord { version, ..saved })
}

/// Deletes the record of `kind` keyed `key` (`delete`); refused while
/// anything refers to it (the error names what). Returns its version.
pub async fn delete(
    db: &DatabaseConnection,
    actor: &Actor,
    kind: RecordKind,
    key: &str,
    expected: i64,
    now: DateTime<Utc>,
) -> Result<i64, EditError> {
    actor.require(Scope::Delete)?;
    let txn = begin_write(db, now).await?;
    let current = load(&txn, kind, key)
        .await?
        .ok_or_else(|| not_found(kind, key))?;
    if expected != current.version {
        return Err(EditError::VersionConflict {
            expected,
            current: current.version,
        });
    }
    let tombstones =
        delete_in(&txn, &[(kind, key.to_string())])
            .await
            .map_err(|error| match error {
                DeleteError::Database(e) => EditError::Database(e),
                DeleteError::NotFound { .. } => not_found(kind, key),
                other => EditError::WrongState(other.to_string()),
            })?;
    changes::append(&txn, &tombstones, now).await?;
    let version = current.version + 1;
    store::insert_revision(
        &txn,
        &RevisionRow {
            kind: kind.type_name().into(),
            key: key.into(),
            version,
            action: "delete".into(),
            actor: actor.name().into(),
            changed: "[]".into(),
            record: Value::Object(current.fields).to_string(),
            created_at: now,
        },
    )
    .await?;
    audit_kind(
        &txn,
        actor,
        "delete",
        kind.type_name(),
        key,
        Some(current.version),
        None,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(current.version)
}

/// Records an import's changes to these records as revisions (actor
/// `import`), so that their versions move and an editor holding an older
/// one is refused. `records` are the records the import wrote because they
/// were new or different; a person whose roles changed counts as changed.
pub async fn note_imported(
    txn: &DatabaseTransaction,
    records: &[(RecordKind, String, Value, bool)],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let mut rows = Vec::with_capacity(records.len());
    let mut latest: HashMap<RecordKind, HashMap<String, i64>> = HashMap::new();
    let mut seen = BTreeSet::new();
    for (kind, key, record, replaced) in records {
        if !seen.insert((*kind, key.clone())) {
            continue;
        }
        if !latest.contains_key(kind) {
            latest.insert(*kind, store::latest_versions(txn, kind.type_name()).await?);
        }
        let previous = latest.get(kind).and_then(|m| m.get(key)).copied();
        rows.push(RevisionRow {
            kind: kind.type_name().into(),
            key: key.clone(),
            // A record replaced that was never saved since its first
            // import was at version 1.
            version: previous.map_or(if *replaced { 2 } else { 1 }, |v| v + 1),
            action: "import".into(),
            actor: "import".into(),
            changed: "[]".into(),
            record: record.to_string(),
            created_at: now,
        });
    }
    store::insert_revisions(txn, &rows).await
}
