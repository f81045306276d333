//! Reading stored values back into domain types: a value that does not
//! parse is corrupt data (a `DbErr`), never a panic.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryResult, Value};

use super::sql::{in_id_list, query_all};
use crate::domain::{CountryCode, Slug};

pub(super) fn corrupt(what: &str, value: &str) -> DbErr {
    DbErr::Custom(format!("stored {what} {value:?} is not valid"))
}

/// A slug read back, checked without a copy (exports read millions).
pub(super) fn stored_slug(value: String) -> Result<Slug, DbErr> {
    Slug::parse(value).map_err(|message| DbErr::Custom(format!("stored data: {message}")))
}

pub(super) fn slug(row: &QueryResult, col: &str) -> Result<Slug, DbErr> {
    stored_slug(row.try_get("", col)?)
}

pub(super) fn opt_slug(row: &QueryResult, col: &str) -> Result<Option<Slug>, DbErr> {
    let v: Option<String> = row.try_get("", col)?;
    v.map(stored_slug).transpose()
}

pub(super) fn code(row: &QueryResult, col: &str) -> Result<CountryCode, DbErr> {
    let v: String = row.try_get("", col)?;
    CountryCode::parse(v.clone()).map_err(|_| corrupt("country code", &v))
}

pub(super) fn opt_code(row: &QueryResult, col: &str) -> Result<Option<CountryCode>, DbErr> {
    let v: Option<String> = row.try_get("", col)?;
    v.map(|v| CountryCode::parse(v.clone()).map_err(|_| corrupt("country code", &v)))
        .transpose()
}

pub(super) fn parse_slugs(values: Vec<String>) -> Result<Vec<Slug>, DbErr> {
    values.into_iter().map(stored_slug).collect()
}

/// Runs a `owner, slug` query over a list of owner ids (`{ids}` in the SQL
/// stands for "`owner_column` is one of them") and groups the slugs by
/// owner, in row order.
pub(super) async fn related_slugs(
    conn: &impl ConnectionTrait,
    sql_template: &str,
    owner_column: &str,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<String>>, DbErr> {
    let mut grouped: HashMap<i64, Vec<String>> = HashMap::new();
    if ids.is_empty() {
        return Ok(grouped);
    }
    let (condition, list) = in_id_list(conn.get_database_backend(), owner_column, ids);
    let sql = sql_template.replace("{ids}", &condition);
    for row in query_all(conn, &sql, vec![list]).await? {
        let owner: i64 = row.try_get("", "owner")?;
        let slug: String = row.try_get("", "slug")?;
        grouped.entry(owner).or_default().push(slug);
    }
    Ok(grouped)
}

/// The row of `E` whose `column` (a unique key) holds `value`.
pub(super) async fn one_where<E: EntityTrait>(
    conn: &impl ConnectionTrait,
    column: E::Column,
    value: impl Into<Value>,
) -> Result<Option<E::Model>, DbErr> {
    E::find().filter(column.eq(value)).one(conn).await
}
