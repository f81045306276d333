//! Public keys → ids, with a clear error for unknown ones. The tables behind
//! these are small (taxonomy, structure, people, meetings): one query each.

use std::collections::HashMap;

use sea_orm::ConnectionTrait;

use super::QueryError;
use crate::domain::ReleaseFilter;
use crate::model::RecordKind;
use crate::service::index::catalog::Catalog;
use crate::storage;

/// Most keys one filter may name.
const MAX_KEYS: usize = 200;

/// The ids of the records of `kind` that `keys` name; unknown keys are a
/// `BadInput` naming them.
pub async fn resolve(
    conn: &impl ConnectionTrait,
    kind: RecordKind,
    keys: &[impl AsRef<str>],
) -> Result<Vec<i64>, QueryError> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    if keys.len() > MAX_KEYS {
        return Err(QueryError::BadInput(format!(
            "at most {MAX_KEYS} values for {}",
            kind.noun()
        )));
    }
    let found = storage::keys::ids_by_key(conn, kind, keys).await?;
    ids_of(kind.noun(), &found, keys)
}

/// The ids of `keys` in `found`, sorted, without duplicates; unknown keys
/// are a `BadInput` naming them.
fn ids_of(
    what: &str,
    found: &HashMap<String, i64>,
    keys: &[impl AsRef<str>],
) -> Result<Vec<i64>, QueryError> {
    let unknown: Vec<&str> = keys
        .iter()
        .map(AsRef::as_ref)
        .filter(|k| !found.contains_key(*k))
        .collect();
    if !unknown.is_empty() {
        return Err(QueryError::BadInput(format!(
            "unknown {what}: {}",
            unknown.join(", ")
        )));
    }
    let mut ids: Vec<i64> = keys
        .iter()
        .filter_map(|k| found.get(k.as_ref()).copied())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

pub use crate::domain::ReleaseFilterKeys;

/// Looks up `keys` in one of the catalog's key maps; unknown keys are a
/// `BadInput` naming them. Sorted, without duplicates.
pub fn lookup(
    what: &str,
    ids: &HashMap<String, i64>,
    keys: &[impl AsRef<str>],
) -> Result<Vec<i64>, QueryError> {
    if keys.len() > MAX_KEYS {
        return Err(QueryError::BadInput(format!(
            "at most {MAX_KEYS} values for {what}"
        )));
    }
    ids_of(what, ids, keys)
}

/// The filter in ids, looked up in the catalog of the request's generation.
pub fn resolve_release_filter(
    keys: &ReleaseFilterKeys,
    catalog: &Catalog,
) -> Result<ReleaseFilter, QueryError> {
    if let (Some(from), Some(to)) = (keys.dates.from, keys.dates.to)
        && from > to
    {
        return Err(QueryError::BadInput(format!(
            "date range is empty: from {from} is after to {to}"
        )));
    }
    let mut sources = lookup("source unit", &catalog.org_unit_ids, &keys.sources)?;
    if keys.include_descendants {
        sources = catalog.with_descendants(&sources);
    }
    let meetings_of_kinds = (!keys.meeting_kinds.is_empty()).then(|| {
        let kinds: Vec<&str> = keys.meeting_kinds.iter().map(|k| k.as_str()).collect();
        let mut ids: Vec<i64> = catalog
            .meetings
            .values()
            .filter(|m| kinds.contains(&m.kind.as_str()))
            .map(|m| m.id)
            .collect();
        ids.sort_unstable();
        ids
    });
    Ok(ReleaseFilter {
        fields_of_work: lookup(
            "field of work",
            &catalog.field_of_work_ids,
            &keys.fields_of_work,
        )?,
        countries: lookup("country", &catalog.country_ids, &keys.countries)?,
        sources,
        people: lookup("person", &catalog.person_ids, &keys.people)?,
        meetings: lookup("meeting", &catalog.meeting_ids, &keys.meetings)?,
        meetings_of_kinds,
        languages: keys.languages.iter().map(|l| l.to_string()).collect(),
        available_in: match &keys.locale {
            Some(preference) if preference.strict => {
                preference.chain.iter().map(|l| l.to_string()).collect()
            }
            _ => Vec::new(),
        },
        date_from: keys.dates.from,
        date_to: keys.dates.to,
        pinned: None,
        search: None,
    })
}
