//! Public keys (slugs, codes, years) and row ids, by kind of record: the
//! one place that knows which table and column hold each kind's key.

use std::collections::HashMap;

use sea_orm::{ConnectionTrait, DbErr};

use super::sql::{placeholders, query_all};
use crate::model::RecordKind;

/// Keys per `IN (…)` list of a lookup.
const KEYS_PER_LOOKUP: usize = 500;

/// The table that holds records of `kind`.
pub(super) fn table_of(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::FieldOfWork => "field_of_work",
        RecordKind::Country => "country",
        RecordKind::OrgUnit => "org_unit",
        RecordKind::Chairpersonship => "chairpersonship",
        RecordKind::Person => "person",
        RecordKind::Role => "role",
        RecordKind::Meeting => "meeting",
        RecordKind::PressRelease => "press_release",
    }
}

/// The table of a kind of record and the column of its public key. Roles
/// have no key of their own (they are keyed by person, unit, title, start).
pub(super) fn table_and_key(kind: RecordKind) -> Result<(&'static str, &'static str), DbErr> {
    let key = match kind {
        RecordKind::Country => "code",
        RecordKind::Chairpersonship => "year",
        RecordKind::Role => return Err(DbErr::Custom("roles have no single key".into())),
        _ => "slug",
    };
    Ok((table_of(kind), key))
}

/// The id of the record of `kind` whose key is `key`, if there is one.
pub async fn id_of(
    conn: &impl ConnectionTrait,
    kind: RecordKind,
    key: &str,
) -> Result<Option<i64>, DbErr> {
    let (table, column) = table_and_key(kind)?;
    let sql = format!("SELECT id FROM {table} WHERE {column} = ?");
    // A year is an integer column: PostgreSQL will not compare it with text.
    let key: sea_orm::Value = match kind {
        RecordKind::Chairpersonship => match key.parse::<i64>() {
            Ok(year) => year.into(),
            Err(_) => return Ok(None),
        },
        _ => key.into(),
    };
    query_all(conn, &sql, vec![key])
        .await?
        .first()
        .map(|r| r.try_get("", "id"))
        .transpose()
}

/// `key → id` for those of `keys` that name a record of `kind`.
pub async fn ids_by_key(
    conn: &impl ConnectionTrait,
    kind: RecordKind,
    keys: &[impl AsRef<str>],
) -> Result<HashMap<String, i64>, DbErr> {
    let (table, column) = table_and_key(kind)?;
    let mut found = HashMap::with_capacity(keys.len());
    for chunk in keys.chunks(KEYS_PER_LOOKUP) {
        let sql = format!(
            "SELECT {column} AS k, id FROM {table} WHERE {column} IN ({})",
            placeholders(chunk.len())
        );
        let values = chunk.iter().map(|k| k.as_ref().into()).collect();
        for row in query_all(conn, &sql, values).await? {
            found.insert(row.try_get("", "k")?, row.try_get("", "id")?);
        }
    }
    Ok(found)
}

/// Which of these keys name a record of `kind`? Used to resolve references
/// that an import file does not define itself.
pub async fn existing_keys(
    conn: &impl ConnectionTrait,
    kind: RecordKind,
    keys: &[String],
) -> Result<Vec<String>, DbErr> {
    Ok(ids_by_key(conn, kind, keys).await?.into_keys().collect())
}

/// `key → id` for every record of `kind` (small tables only).
pub async fn id_map(
    conn: &impl ConnectionTrait,
    kind: RecordKind,
) -> Result<HashMap<String, i64>, DbErr> {
    let (table, column) = table_and_key(kind)?;
    let sql = format!("SELECT {column} AS k, id FROM {table}");
    query_all(conn, &sql, vec![])
        .await?
        .iter()
        .map(|r| Ok((r.try_get("", "k")?, r.try_get("", "id")?)))
        .collect()
}

/// How many records of `kind` are stored.
pub async fn count(conn: &impl ConnectionTrait, kind: RecordKind) -> Result<i64, DbErr> {
    let sql = format!("SELECT COUNT(*) AS n FROM {}", table_of(kind));
    let rows = query_all(conn, &sql, vec![]).await?;
    Ok(rows
        .first()
        .map(|r| r.try_get("", "n"))
        .transpose()?
        .unwrap_or(0))
}

/// What a label of a record is: a person's name, a meeting's title.
#[derive(Clone, Copy, Debug)]
pub enum Label {
    PersonName,
    MeetingTitle,
}

/// `key → label` for the given keys (person slugs → names, meeting slugs →
/// titles); keys that name no record are left out.
pub async fn labels_by_key(
    conn: &impl ConnectionTrait,
    label: Label,
    keys: &[String],
) -> Result<HashMap<String, String>, DbErr> {
    let (table, key_column, label_column) = match label {
        Label::PersonName => ("person", "slug", "name"),
        Label::MeetingTitle => ("meeting", "slug", "title"),
    };
    let mut found = HashMap::new();
    for chunk in keys.chunks(KEYS_PER_LOOKUP) {
        let sql = format!(
            "SELECT {key_column} AS k, {label_column} AS label FROM {table} WHERE {key_column} IN ({})",
            placeholders(chunk.len())
        );
        let values = chunk.iter().map(|k| k.as_str().into()).collect();
        for row in query_all(conn, &sql, values).await? {
            found.insert(row.try_get("", "k")?, row.try_get("", "label")?);
        }
    }
    Ok(found)
}

/// `key → id` for everything a press release can point at. Loaded once per
/// import after the small record types are written.
#[derive(Default)]
pub struct IdMaps {
    pub fields_of_work: HashMap<String, i64>,
    pub countries: HashMap<String, i64>,
    pub org_units: HashMap<String, i64>,
    pub people: HashMap<String, i64>,
    pub meetings: HashMap<String, i64>,
}

impl IdMaps {
    pub async fn load(conn: &impl ConnectionTrait) -> Result<Self, DbErr> {
        Ok(Self {
            fields_of_work: id_map(conn, RecordKind::FieldOfWork).await?,
            countries: id_map(conn, RecordKind::Country).await?,
            org_units: id_map(conn, RecordKind::OrgUnit).await?,
            people: id_map(conn, RecordKind::Person).await?,
            meetings: id_map(conn, RecordKind::Meeting).await?,
        })
    }

    // References were resolved before anything was written, so a miss here
    // is a bug, not bad input.
    fn get(map: &HashMap<String, i64>, kind: &str, key: &str) -> i64 {
        *map.get(key)
            .unwrap_or_else(|| panic!("{kind} {key:?} was validated but has no id"))
    }
    pub fn field_of_work(&self, key: &str) -> i64 {
        Self::get(&self.fields_of_work, "field of work", key)
    }
    pub fn country(&self, key: &str) -> i64 {
        Self::get(&self.countries, "country", key)
    }
    pub fn org_unit(&self, key: &str) -> i64 {
        Self::get(&self.org_units, "org unit", key)
    }
    pub fn person(&self, key: &str) -> i64 {
        Self::get(&self.people, "person", key)
    }
    pub fn meeting(&self, key: &str) -> i64 {
        Self::get(&self.meetings, "meeting", key)
    }
}
