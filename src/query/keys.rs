//! Public keys → ids, with a clear error for unknown ones. The tables behind
//! these are small (taxonomy, structure, people, meetings): one query each.

use std::collections::HashMap;

use sea_orm::{ConnectionTrait, Value};

use super::QueryError;
use crate::domain::{MeetingKind, ReleaseFilter};
use crate::storage::sql::{placeholders, query_all};

/// Looks up `keys` in `table.column`; unknown keys are a `BadInput` naming them.
pub async fn resolve(
    conn: &impl ConnectionTrait,
    what: &str,
    table: &str,
    column: &str,
    keys: &[String],
) -> Result<Vec<i64>, QueryError> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    if keys.len() > 200 {
        return Err(QueryError::BadInput(format!(
            "at most 200 values for {what}"
        )));
    }
    let sql = format!(
        "SELECT id, {column} AS k FROM {table} WHERE {column} IN ({})",
        placeholders(keys.len())
    );
    let values: Vec<Value> = keys.iter().map(|k| k.as_str().into()).collect();
    let found: HashMap<String, i64> = query_all(conn, &sql, values)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("", "k")?, r.try_get("", "id")?)))
        .collect::<Result<_, sea_orm::DbErr>>()?;
    let unknown: Vec<&str> = keys
        .iter()
        .filter(|k| !found.contains_key(*k))
        .map(|k| k.as_str())
        .collect();
    if !unknown.is_empty() {
        return Err(QueryError::BadInput(format!(
            "unknown {what}: {}",
            unknown.join(", ")
        )));
    }
    let mut ids: Vec<i64> = keys.iter().map(|k| found[k]).collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// Units and all their descendants (the structure is a small tree).
pub async fn with_descendants(
    conn: &impl ConnectionTrait,
    roots: &[i64],
) -> Result<Vec<i64>, QueryError> {
    let rows = query_all(conn, "SELECT id, parent_id FROM org_unit", vec![]).await?;
    let mut children: HashMap<i64, Vec<i64>> = HashMap::new();
    for row in rows {
        let id: i64 = row.try_get("", "id")?;
        let parent: Option<i64> = row.try_get("", "parent_id")?;
        if let Some(parent) = parent {
            children.entry(parent).or_default().push(id);
        }
    }
    let mut all = roots.to_vec();
    let mut i = 0;
    while i < all.len() {
        if let Some(kids) = children.get(&all[i]) {
            for kid in kids {
                if !all.contains(kid) {
                    all.push(*kid);
                }
            }
        }
        i += 1;
    }
    all.sort_unstable();
    Ok(all)
}

/// A release filter as clients write it: public keys.
#[derive(Clone, Debug, Default)]
pub struct ReleaseFilterKeys {
    pub fields_of_work: Vec<String>,
    pub countries: Vec<String>,
    pub sources: Vec<String>,
    pub include_descendants: bool,
    pub people: Vec<String>,
    pub meetings: Vec<String>,
    pub meeting_kinds: Vec<MeetingKind>,
    pub languages: Vec<String>,
    pub date_from: Option<chrono::NaiveDate>,
    pub date_to: Option<chrono::NaiveDate>,
    /// A full-text search in the syntax of `search::syntax`.
    pub search: Option<String>,
}

impl ReleaseFilterKeys {
    pub async fn resolve(&self, conn: &impl ConnectionTrait) -> Result<ReleaseFilter, QueryError> {
        if let (Some(from), Some(to)) = (self.date_from, self.date_to)
            && from > to
        {
            return Err(QueryError::BadInput(format!(
                "date range is empty: from {from} is after to {to}"
            )));
        }
        let mut sources = resolve(conn, "source unit", "org_unit", "slug", &self.sources).await?;
        if self.include_descendants {
            sources = with_descendants(conn, &sources).await?;
        }
        let meetings_of_kinds = if self.meeting_kinds.is_empty() {
            None
        } else {
            let kinds: Vec<Value> = self
                .meeting_kinds
                .iter()
                .map(|k| k.as_str().into())
                .collect();
            let sql = format!(
                "SELECT id FROM meeting WHERE kind IN ({})",
                placeholders(kinds.len())
            );
            Some(
                query_all(conn, &sql, kinds)
                    .await?
                    .iter()
                    .map(|r| r.try_get("", "id"))
                    .collect::<Result<Vec<i64>, _>>()?,
            )
        };
        Ok(ReleaseFilter {
            fields_of_work: resolve(
                conn,
                "field of work",
                "field_of_work",
                "slug",
                &self.fields_of_work,
            )
            .await?,
            countries: resolve(conn, "country", "country", "code", &self.countries).await?,
            sources,
            people: resolve(conn, "person", "person", "slug", &self.people).await?,
            meetings: resolve(conn, "meeting", "meeting", "slug", &self.meetings).await?,
            meetings_of_kinds,
            languages: self.languages.clone(),
            date_from: self.date_from,
            date_to: self.date_to,
            pinned: None,
            search: None,
        })
    }
}
