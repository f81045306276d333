//! Checking an editor's fields: each field alone against a valid record
//! (so every bad one is named, with serde's reason), then the import's
//! rules and references to records that exist.

use std::collections::{BTreeSet, HashMap};

use sea_orm::{DatabaseTransaction, DbErr};
use serde_json::{Map, Value, json};

use super::record_key;
use crate::domain::{CountryStatus, MeetingKind, OrgUnitKind};
use crate::model::change::role_key;
use crate::model::{self, Record, RecordKind};
use crate::service::editorial::FieldError;
use crate::storage::{keys, structure, taxonomy};

/// A valid record of `kind`, into which one field at a time is put to
/// check it alone: so every bad field is named, with serde's reason.
pub(super) fn template(kind: RecordKind) -> Map<String, Value> {
    let value = match kind {
        RecordKind::FieldOfWork => json!({"slug": "x", "name": "x"}),
        RecordKind::Country => json!({"code": "AA", "slug": "x", "name": "x",
            "status": CountryStatus::ALL[0].as_str()}),
        RecordKind::OrgUnit => {
            json!({"slug": "x", "name": "x", "kind": OrgUnitKind::ALL[0].as_str()})
        }
        RecordKind::Chairpersonship => json!({"year": 2000, "country": "AA"}),
        RecordKind::Person => json!({"slug": "x", "name": "x"}),
        RecordKind::Role => {
            json!({"person": "x", "org_unit": "x", "title": "x", "from": "2000-01-01"})
        }
        RecordKind::Meeting => {
            json!({"slug": "x", "title": "x", "kind": MeetingKind::ALL[0].as_str(),
            "start": "2000-01-01", "end": "2000-01-01"})
        }
        RecordKind::PressRelease => json!({}),
    };
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// `fields` as a record of `kind`, or every field that is wrong.
pub(super) fn parse(
    kind: RecordKind,
    fields: &Map<String, Value>,
    prefix: &str,
    errors: &mut Vec<FieldError>,
) -> Option<Record> {
    let template = template(kind);
    let mut found = Vec::new();
    let fail = |found: &mut Vec<FieldError>, field: &str, message: String| {
        found.push(FieldError {
            field: format!("{prefix}{field}"),
            message,
        });
    };
    for required in template.keys() {
        if !fields.contains_key(required) {
            fail(&mut found, required, "is required".into());
        }
    }
    let tagged = |map: &Map<String, Value>| {
        let mut map = map.clone();
        map.insert("type".into(), json!(kind.type_name()));
        serde_json::from_value::<Record>(Value::Object(map))
    };
    for (field, value) in fields {
        let mut candidate = template.clone();
        candidate.insert(field.clone(), value.clone());
        if let Err(error) = tagged(&candidate) {
            // serde's text without its position (`at line 1 column 9`).
            let message = error.to_string();
            let message = message
                .split(" at line ")
                .next()
                .unwrap_or(&message)
                .to_string();
            fail(&mut found, field, message);
        }
    }
    let record = if found.is_empty() {
        match tagged(fields) {
            Ok(record) => Some(record),
            Err(error) => {
                fail(&mut found, "", error.to_string());
                None
            }
        }
    } else {
        None
    };
    errors.extend(found);
    record
}

pub(super) fn value_key(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

pub(super) fn parse_roles(
    roles: &Value,
    person: &str,
    errors: &mut Vec<FieldError>,
) -> Vec<model::Role> {
    let Value::Array(items) = roles else {
        errors.push(FieldError {
            field: "roles".into(),
            message: "must be a list of roles".into(),
        });
        return Vec::new();
    };
    let mut parsed = Vec::new();
    let mut seen = BTreeSet::new();
    for (i, item) in items.iter().enumerate() {
        let prefix = format!("roles[{i}].");
        let Value::Object(fields) = item else {
            errors.push(FieldError {
                field: format!("roles[{i}]"),
                message: "must be an object".into(),
            });
            continue;
        };
        if fields.contains_key("person") {
            errors.push(FieldError {
                field: format!("{prefix}person"),
                message: "is the person the role is listed under; leave it out".into(),
            });
            continue;
        }
        let mut fields = fields.clone();
        fields.insert("person".into(), json!(person));
        if let Some(Record::Role(role)) = parse(RecordKind::Role, &fields, &prefix, errors) {
            if !seen.insert(role_key(&role)) {
                errors.push(FieldError {
                    field: format!("roles[{i}]"),
                    message: "is listed twice (same unit, title and start)".into(),
                });
            }
            parsed.push(role);
        }
    }
    parsed
}

/// The import's rules, and references to records that exist.
pub(super) async fn rules(
    txn: &DatabaseTransaction,
    record: &Record,
    roles: &[model::Role],
    is_new: bool,
    errors: &mut Vec<FieldError>,
) -> Result<(), DbErr> {
    let mut fail = |field: &str, message: String| {
        errors.push(FieldError {
            field: field.into(),
            message,
        });
    };
    let mut refs: Vec<(String, RecordKind, String)> = Vec::new();
    let mut refer =
        |field: String, kind: RecordKind, key: &str| refs.push((field, kind, key.to_string()));
    match record {
        Record::FieldOfWork(r) if r.name.trim().is_empty() => {
            fail("name", "must not be empty".into())
        }
        Record::Country(r) => {
            if r.name.trim().is_empty() {
                fail("name", "must not be empty".into());
            }
            let taken = taxonomy::countries(txn)
                .await?
                .into_iter()
                .any(|c| c.slug == r.slug && c.code != r.code);
            if taken {
                fail("slug", format!("`{}` is another country's slug", r.slug));
            }
        }
        Record::OrgUnit(r) => {
            if r.name.trim().is_empty() {
                fail("name", "must not be empty".into());
            }
            if let Some(parent) = &r.parent {
                refer("parent".into(), RecordKind::OrgUnit, parent.as_str());
                // Walking up from the parent must not come back here.
                let parents: HashMap<String, Option<String>> = structure::org_units(txn)
                    .await?
                    .into_iter()
                    .map(|u| (u.slug.to_string(), u.parent.map(|p| p.to_string())))
                    .collect();
                let mut at = Some(parent.to_string());
                let mut steps = 0;
                while let Some(unit) = at {
                    if unit == r.slug.as_str() {
                        fail(
                            "parent",
                            format!("`{parent}` is {} itself or one of its units", r.slug),
                        );
                        break;
                    }
                    steps += 1;
                    if steps > parents.len() {
                        break;
                    }
                    at = parents.get(&unit).cloned().flatten();
                }
            }
            if let Some(country) = &r.country {
                refer("country".into(), RecordKind::Country, country.as_str());
            }
        }
        Record::Chairpersonship(r) => {
            if !(1973..=2100).contains(&r.year) {
                fail("year", format!("{} is outside 1973–2100", r.year));
            }
            refer("country".into(), RecordKind::Country, r.country.as_str());
        }
        Record::Person(r) if r.name.trim().is_empty() => fail("name", "must not be empty".into()),
        Record::Meeting(r) => {
            if r.title.trim().is_empty() {
                fail("title", "must not be empty".into());
            }
            if r.end < r.start {
                fail("end", format!("is before the start ({})", r.start));
            }
            if let Some(country) = &r.country {
                refer("country".into(), RecordKind::Country, country.as_str());
            }
            if let Some(unit) = &r.org_unit {
                refer("org_unit".into(), RecordKind::OrgUnit, unit.as_str());
            }
            let mut seen = BTreeSet::new();
            for (i, field) in r.fields_of_work.iter().enumerate() {
                if !seen.insert(field) {
                    fail(
                        &format!("fields_of_work[{i}]"),
                        format!("`{field}` is listed twice"),
                    );
                }
                refer(
                    format!("fields_of_work[{i}]"),
                    RecordKind::FieldOfWork,
                    field.as_str(),
                );
            }
        }
        _ => {}
    }
    for (i, role) in roles.iter().enumerate() {
        if role.title.trim().is_empty() {
            fail(&format!("roles[{i}].title"), "must not be empty".into());
        }
        if role.to.is_some_and(|to| to < role.from) {
            fail(
                &format!("roles[{i}].to"),
                format!("is before the start ({})", role.from),
            );
        }
        refer(
            format!("roles[{i}].org_unit"),
            RecordKind::OrgUnit,
            role.org_unit.as_str(),
        );
        if let Some(country) = &role.country {
            refer(
                format!("roles[{i}].country"),
                RecordKind::Country,
                country.as_str(),
            );
        }
    }
    for (field, kind, key) in refs {
        // A unit may name itself only as what it is being created as.
        let is_self = is_new && record_key(record) == key && kind == record_kind(record);
        if !is_self
            && keys::ids_by_key(txn, kind, &[key.as_str()])
                .await?
                .is_empty()
        {
            fail(&field, format!("there is no {} `{key}`", kind.noun()));
        }
    }
    Ok(())
}

pub(super) fn record_kind(record: &Record) -> RecordKind {
    match record {
        Record::FieldOfWork(_) => RecordKind::FieldOfWork,
        Record::Country(_) => RecordKind::Country,
        Record::OrgUnit(_) => RecordKind::OrgUnit,
        Record::Chairpersonship(_) => RecordKind::Chairpersonship,
        Record::Person(_) => RecordKind::Person,
        Record::Role(_) => RecordKind::Role,
        Record::Meeting(_) => RecordKind::Meeting,
        Record::PressRelease(_) | Record::Deletion(_) => RecordKind::PressRelease,
    }
}
