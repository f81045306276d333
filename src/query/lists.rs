//! Lists other than releases (meetings, people): keyset pages in SQL over
//! small tables, each with a total order ending in a unique key.

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, Value};

use super::{QueryError, keys};
use crate::domain::MeetingKind;
use crate::entity::{meeting, person, press_release};
use crate::storage::search_index::SearchKind;
use crate::storage::sql::{placeholders, query_all};

/// A page request in keyset terms: a boundary key (values of the order
/// columns) and a direction.
#[derive(Clone, Debug, Default)]
pub struct KeysetRequest {
    pub first: Option<usize>,
    pub after: Option<i64>,
    pub last: Option<usize>,
    pub before: Option<i64>,
}

pub struct KeysetPage<T> {
    pub items: Vec<T>,
    pub has_next_page: bool,
    pub has_previous_page: bool,
}

/// Runs `SELECT … FROM {from} WHERE {conditions} ORDER BY {order}` one page
/// at a time. `key_of_id` is a SQL row value that computes an item's order
/// key from its id, so cursors carry only ids.
async fn keyset<T: FromQueryResult>(
    conn: &impl ConnectionTrait,
    select: &str,
    conditions: &[String],
    values: &[Value],
    order: &[(&str, bool)],
    key_of_id: &str,
    request: &KeysetRequest,
) -> Result<KeysetPage<T>, QueryError> {
    let columns: Vec<&str> = order.iter().map(|(c, _)| *c).collect();
    let row_value = format!("({})", columns.join(", "));
    // All order columns share one direction (true = descending).
    let descending = order[0].1;
    let compare = |after: bool| match (after, descending) {
        (true, false) | (false, true) => ">",
        _ => "<",
    };
    let mut conditions = conditions.to_vec();
    let mut values = values.to_vec();
    if let Some(after) = request.after {
        conditions.push(format!("{row_value} {} ({key_of_id})", compare(true)));
        values.push(after.into());
    }
    if let Some(before) = request.before {
        conditions.push(format!("{row_value} {} ({key_of_id})", compare(false)));
        values.push(before.into());
    }
    let backwards = request.first.is_none() && request.last.is_some();
    let limit = request.first.or(request.last).unwrap_or(100);
    let direction = |desc: bool| if desc != backwards { "DESC" } else { "ASC" };
    let order_sql: Vec<String> = order
        .iter()
        .map(|(c, desc)| format!("{c} {}", direction(*desc)))
        .collect();
    let where_sql = if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    };
    let sql = format!(
        "{select} {where_sql} ORDER BY {} LIMIT {}",
        order_sql.join(", "),
        limit + 1
    );
    let rows = query_all(conn, &sql, values).await?;
    let more = rows.len() > limit;
    let mut items = rows
        .iter()
        .take(limit)
        .map(|r| T::from_query_result(r, ""))
        .collect::<Result<Vec<T>, _>>()?;
    if backwards {
        items.reverse();
    }
    Ok(KeysetPage {
        items,
        has_next_page: if backwards {
            request.before.is_some()
        } else {
            more
        },
        has_previous_page: if backwards {
            more
        } else {
            request.after.is_some()
        },
    })
}

#[derive(Clone, Debug, Default)]
pub struct MeetingFilterKeys {
    pub fields_of_work: Vec<String>,
    pub countries: Vec<String>,
    pub kinds: Vec<MeetingKind>,
    pub units: Vec<String>,
    pub include_descendants: bool,
    pub date_from: Option<NaiveDate>,
    pub date_to: Option<NaiveDate>,
    /// Full-text search; filters, the order stays by date.
    pub search: Option<String>,
}

/// `column IN (ids)`, or a condition nothing meets when there are none.
fn id_in(column: &str, ids: &[i64], conditions: &mut Vec<String>, values: &mut Vec<Value>) {
    if ids.is_empty() {
        conditions.push("1 = 0".into());
    } else {
        conditions.push(format!("{column} IN ({})", placeholders(ids.len())));
        values.extend(ids.iter().map(|&id| Value::from(id)));
    }
}

pub async fn meetings(
    conn: &impl ConnectionTrait,
    filter: &MeetingFilterKeys,
    ascending: bool,
    request: &KeysetRequest,
) -> Result<KeysetPage<meeting::Model>, QueryError> {
    let mut conditions = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    if let Some(text) = &filter.search {
        let ids = super::search::matching_ids(conn, text, SearchKind::Meeting).await?;
        id_in("m.id", &ids, &mut conditions, &mut values);
    }
    let fields = keys::resolve(
        conn,
        "field of work",
        "field_of_work",
        "slug",
        &filter.fields_of_work,
    )
    .await?;
    if !fields.is_empty() {
        conditions.push(format!(
            "EXISTS (SELECT 1 FROM meeting_field_of_work j WHERE j.meeting_id = m.id AND j.field_of_work_id IN ({}))",
            placeholders(fields.len())
        ));
        values.extend(fields.iter().map(|&id| Value::from(id)));
    }
    let countries = keys::resolve(conn, "country", "country", "code", &filter.countries).await?;
    if !countries.is_empty() {
        conditions.push(format!(
            "m.country_id IN ({})",
            placeholders(countries.len())
        ));
        values.extend(countries.iter().map(|&id| Value::from(id)));
    }
    if !filter.kinds.is_empty() {
        conditions.push(format!("m.kind IN ({})", placeholders(filter.kinds.len())));
        values.extend(filter.kinds.iter().map(|k| Value::from(k.as_str())));
    }
    let mut units = keys::resolve(conn, "org unit", "org_unit", "slug", &filter.units).await?;
    if filter.include_descendants {
        units = keys::with_descendants(conn, &units).await?;
    }
    if !units.is_empty() {
        conditions.push(format!("m.org_unit_id IN ({})", placeholders(units.len())));
        values.extend(units.iter().map(|&id| Value::from(id)));
    }
    // A meeting is in a date range when it overlaps it.
    if let Some(from) = filter.date_from {
        conditions.push("m.end_date >= ?".into());
        values.push(from.into());
    }
    if let Some(to) = filter.date_to {
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

#[derive(Clone, Debug, Default)]
pub struct PersonFilterKeys {
    pub role_titles: Vec<String>,
    pub units: Vec<String>,
    pub include_descendants: bool,
    pub representing: Vec<String>,
    pub active_on: Option<NaiveDate>,
    /// Full-text search (names, role titles and units); the order stays by name.
    pub search: Option<String>,
}

pub async fn people(
    conn: &impl ConnectionTrait,
    filter: &PersonFilterKeys,
    request: &KeysetRequest,
) -> Result<KeysetPage<person::Model>, QueryError> {
    let mut role_conditions = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    if !filter.role_titles.is_empty() {
        role_conditions.push(format!(
            "r.title IN ({})",
            placeholders(filter.role_titles.len())
        ));
        values.extend(filter.role_titles.iter().map(|t| Value::from(t.as_str())));
    }
    let mut units = keys::resolve(conn, "org unit", "org_unit", "slug", &filter.units).await?;
    if filter.include_descendants {
        units = keys::with_descendants(conn, &units).await?;
    }
    if !units.is_empty() {
        role_conditions.push(format!("r.org_unit_id IN ({})", placeholders(units.len())));
        values.extend(units.iter().map(|&id| Value::from(id)));
    }
    let countries = keys::resolve(conn, "country", "country", "code", &filter.representing).await?;
    if !countries.is_empty() {
        role_conditions.push(format!(
            "r.country_id IN ({})",
            placeholders(countries.len())
        ));
        values.extend(countries.iter().map(|&id| Value::from(id)));
    }
    if let Some(day) = filter.active_on {
        role_conditions.push("r.from_date <= ? AND (r.to_date IS NULL OR r.to_date >= ?)".into());
        values.push(day.into());
        values.push(day.into());
    }
    let mut conditions = if role_conditions.is_empty() {
        vec![]
    } else {
        vec![format!(
            "EXISTS (SELECT 1 FROM role r WHERE r.person_id = p.id AND {})",
            role_conditions.join(" AND ")
        )]
    };
    if let Some(text) = &filter.search {
        let ids = super::search::matching_ids(conn, text, SearchKind::Person).await?;
        id_in("p.id", &ids, &mut conditions, &mut values);
    }
    keyset(
        conn,
        "SELECT p.* FROM person p",
        &conditions,
        &values,
        // Ties by slug (unique), as for meetings.
        &[("p.name", false), ("p.slug", false)],
        "SELECT k.name, k.slug FROM person k WHERE k.id = ?",
        request,
    )
    .await
}

/// Releases without their bodies, in the order of `ids`; ids not in the
/// table are skipped.
pub async fn release_heads_by_ids(
    conn: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<Vec<press_release::Head>, QueryError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = releases_with_ids(ids)
        .into_partial_model::<press_release::Head>()
        .all(conn)
        .await?;
    Ok(in_order_of(ids, rows, |row| row.id))
}

/// Whole releases, in the order of `ids`; ids not in the table are skipped.
pub async fn releases_by_ids(
    conn: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<Vec<press_release::Model>, QueryError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = releases_with_ids(ids).all(conn).await?;
    Ok(in_order_of(ids, rows, |row| row.id))
}

fn releases_with_ids(ids: &[i64]) -> sea_orm::Select<press_release::Entity> {
    use sea_orm::ColumnTrait;
    press_release::Entity::find().filter(press_release::Column::Id.is_in(ids.to_vec()))
}

/// `rows` in the order of `ids`.
fn in_order_of<T>(ids: &[i64], rows: Vec<T>, id_of: impl Fn(&T) -> i64) -> Vec<T> {
    let mut by_id: std::collections::HashMap<i64, T> =
        rows.into_iter().map(|row| (id_of(&row), row)).collect();
    ids.iter().filter_map(|id| by_id.remove(id)).collect()
}
