//! Meetings and conferences, with their fields of work.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr, QueryResult, Value};

use super::entity::meeting;
use super::keys::IdMaps;
use super::keyset::{any_of, id_in, keyset};
use super::rows::{corrupt, one_where, opt_code, opt_slug, parse_slugs, related_slugs, slug};
use super::sql::{placeholders, query_all};
use super::write::{delete_where_in, ids_of, insert_rows, null_string, opt};
use crate::domain::MeetingKind;
use crate::domain::{KeysetPage, KeysetRequest};
use crate::model::Meeting;

const MEETING_COLUMNS: &str = "SELECT m.id, m.slug, m.title, m.kind, m.start_date, m.end_date, m.place, c.code AS country, u.slug AS org_unit \
     FROM meeting m \
     LEFT JOIN country c ON c.id = m.country_id \
     LEFT JOIN org_unit u ON u.id = m.org_unit_id";

/// One page of meetings in slug order, after `after` (exclusive).
pub async fn meetings_page(
    conn: &impl ConnectionTrait,
    after: Option<&str>,
    limit: u64,
) -> Result<Vec<Meeting>, DbErr> {
    let sql = format!("{MEETING_COLUMNS} WHERE m.slug > ? ORDER BY m.slug LIMIT {limit}");
    let rows = query_all(conn, &sql, vec![after.unwrap_or("").into()]).await?;
    Ok(meetings_of_rows(conn, rows)
        .await?
        .into_iter()
        .map(|(_, m)| m)
        .collect())
}

/// Meetings by id, in the order given (two queries; unknown ids skipped).
pub async fn meetings_by_ids(
    conn: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<Vec<Meeting>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "{MEETING_COLUMNS} WHERE m.id IN ({})",
        placeholders(ids.len())
    );
    let rows = query_all(conn, &sql, ids.iter().map(|&id| id.into()).collect()).await?;
    let mut by_id: HashMap<i64, Meeting> =
        meetings_of_rows(conn, rows).await?.into_iter().collect();
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}

/// Rows of `MEETING_COLUMNS` → records with their fields of work, keyed by id.
async fn meetings_of_rows(
    conn: &impl ConnectionTrait,
    rows: Vec<QueryResult>,
) -> Result<Vec<(i64, Meeting)>, DbErr> {
    let ids: Vec<i64> = rows
        .iter()
        .map(|r| r.try_get("", "id"))
        .collect::<Result<_, _>>()?;
    let mut fields = related_slugs(
        conn,
        "SELECT j.meeting_id AS owner, f.slug AS slug FROM meeting_field_of_work j \
         JOIN field_of_work f ON f.id = j.field_of_work_id WHERE {ids} \
         ORDER BY j.meeting_id, j.position",
        "j.meeting_id",
        &ids,
    )
    .await?;
    rows.iter()
        .map(|r| {
            let id: i64 = r.try_get("", "id")?;
            let kind: String = r.try_get("", "kind")?;
            Ok((
                id,
                Meeting {
                    slug: slug(r, "slug")?,
                    title: r.try_get("", "title")?,
                    kind: MeetingKind::parse(&kind)
                        .ok_or_else(|| corrupt("meeting kind", &kind))?,
                    start: r.try_get("", "start_date")?,
                    end: r.try_get("", "end_date")?,
                    place: r.try_get("", "place")?,
                    country: opt_code(r, "country")?,
                    org_unit: opt_slug(r, "org_unit")?,
                    fields_of_work: parse_slugs(fields.remove(&id).unwrap_or_default())?,
                },
            ))
        })
        .collect()
}

pub async fn all_meetings(conn: &impl ConnectionTrait) -> Result<Vec<Meeting>, DbErr> {
    let mut all = Vec::new();
    loop {
        let after = all.last().map(|m: &Meeting| m.slug.as_str().to_string());
        let page = meetings_page(conn, after.as_deref(), 1000).await?;
        let done = page.len() < 1000;
        all.extend(page);
        if done {
            return Ok(all);
        }
    }
}

pub async fn upsert_meetings(
    conn: &impl ConnectionTrait,
    records: &[Meeting],
    ids: &IdMaps,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let rows = records
        .iter()
        .map(|r| {
            vec![
                r.slug.as_str().into(),
                r.title.as_str().into(),
                r.kind.as_str().into(),
                r.start.into(),
                r.end.into(),
                opt(r.place.clone(), null_string()),
                opt(
                    r.country.as_ref().map(|c| ids.country(c.as_str())),
                    Value::BigInt(None),
                ),
                opt(
                    r.org_unit.as_ref().map(|u| ids.org_unit(u.as_str())),
                    Value::BigInt(None),
                ),
                now.into(),
            ]
        })
        .collect();
    insert_rows(
        conn,
        "meeting",
        "slug, title, kind, start_date, end_date, place, country_id, org_unit_id, updated_at",
        rows,
        "ON CONFLICT (slug) DO UPDATE SET title = excluded.title, kind = excluded.kind, \
         start_date = excluded.start_date, end_date = excluded.end_date, place = excluded.place, \
         country_id = excluded.country_id, org_unit_id = excluded.org_unit_id, updated_at = excluded.updated_at",
    )
    .await?;
    let slugs: Vec<String> = records
        .iter()
        .map(|r| r.slug.as_str().to_string())
        .collect();
    let meeting_ids = ids_of(conn, "meeting", &slugs).await?;
    let id_list: Vec<i64> = meeting_ids.values().copied().collect();
    delete_where_in(conn, "meeting_field_of_work", "meeting_id", &id_list).await?;
    let mut rows = Vec::new();
    for r in records {
        let meeting_id = meeting_ids[r.slug.as_str()];
        for (position, field) in r.fields_of_work.iter().enumerate() {
            rows.push(vec![
                meeting_id.into(),
                ids.field_of_work(field.as_str()).into(),
                (position as i16).into(),
            ]);
        }
    }
    insert_rows(
        conn,
        "meeting_field_of_work",
        "meeting_id, field_of_work_id, position",
        rows,
        "",
    )
    .await
}

/// A meeting list's filter in ids, as the service resolved it.
#[derive(Clone, Debug, Default)]
pub struct MeetingQuery {
    /// Only these meetings (a search's matches), when given.
    pub among: Option<Vec<i64>>,
    pub fields_of_work: Vec<i64>,
    pub countries: Vec<i64>,
    pub kinds: Vec<MeetingKind>,
    pub units: Vec<i64>,
    pub date_from: Option<chrono::NaiveDate>,
    pub date_to: Option<chrono::NaiveDate>,
}

/// One keyset page of meetings by start date (ties by slug).
pub async fn page(
    conn: &impl ConnectionTrait,
    query: &MeetingQuery,
    ascending: bool,
    request: &KeysetRequest,
) -> Result<KeysetPage<meeting::Model>, DbErr> {
    let mut conditions = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    if let Some(ids) = &query.among {
        id_in("m.id", ids, &mut conditions, &mut values);
    }
    if !query.fields_of_work.is_empty() {
        conditions.push(format!(
            "EXISTS (SELECT 1 FROM meeting_field_of_work j WHERE j.meeting_id = m.id AND j.field_of_work_id IN ({}))",
            placeholders(query.fields_of_work.len())
        ));
        values.extend(query.fields_of_work.iter().map(|&id| Value::from(id)));
    }
    any_of(
        "m.country_id",
        &query.countries,
        &mut conditions,
        &mut values,
    );
    let kinds: Vec<&str> = query.kinds.iter().map(|k| k.as_str()).collect();
    any_of("m.kind", &kinds, &mut conditions, &mut values);
    any_of("m.org_unit_id", &query.units, &mut conditions, &mut values);
    // A meeting is in a date range when it overlaps it.
    if let Some(from) = query.date_from {
        conditions.push("m.end_date >= ?".into());
        values.push(from.into());
    }
    if let Some(to) = query.date_to {
        conditions.push("m.start_date <= ?".into());
        values.push(to.into());
    }
    keyset(
        conn,
        "SELECT m.* FROM meeting m",
        &conditions,
        &values,
        // Ties by slug, not id: the order then depends only on content (ids
        // depend on import order), so exports re-import to the same bytes.
        &[("m.start_date", !ascending), ("m.slug", !ascending)],
        "SELECT k.start_date, k.slug FROM meeting k WHERE k.id = ?",
        request,
    )
    .await
}

/// The meeting whose slug is `slug`, as stored.
pub async fn model_by_slug(
    conn: &impl ConnectionTrait,
    slug: &str,
) -> Result<Option<meeting::Model>, DbErr> {
    one_where::<meeting::Entity>(conn, meeting::Column::Slug, slug).await
}
