//! Keyset pages in SQL over small tables (meetings, people), each in a
//! total order ending in a unique key: a page costs its own rows.

use sea_orm::{ConnectionTrait, DbErr, FromQueryResult, Value};

use super::sql::{placeholders, query_all};
use crate::domain::{KeysetPage, KeysetRequest};

/// Runs `SELECT … FROM {from} WHERE {conditions} ORDER BY {order}` one page
/// at a time. `key_of_id` is a SQL row value that computes an item's order
/// key from its id, so cursors carry only ids.
pub(super) async fn keyset<T: FromQueryResult>(
    conn: &impl ConnectionTrait,
    select: &str,
    conditions: &[String],
    values: &[Value],
    order: &[(&str, bool)],
    key_of_id: &str,
    request: &KeysetRequest,
) -> Result<KeysetPage<T>, DbErr> {
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

/// `column IN (ids)`, or a condition nothing meets when there are none.
pub(super) fn id_in(
    column: &str,
    ids: &[i64],
    conditions: &mut Vec<String>,
    values: &mut Vec<Value>,
) {
    if ids.is_empty() {
        conditions.push("1 = 0".into());
    } else {
        conditions.push(format!("{column} IN ({})", placeholders(ids.len())));
        values.extend(ids.iter().map(|&id| Value::from(id)));
    }
}

/// `column IN (values)` when there are values; no condition when there are
/// none (an empty filter list does not filter).
pub(super) fn any_of<T: Into<Value> + Clone>(
    column: &str,
    given: &[T],
    conditions: &mut Vec<String>,
    values: &mut Vec<Value>,
) {
    if !given.is_empty() {
        conditions.push(format!("{column} IN ({})", placeholders(given.len())));
        values.extend(given.iter().cloned().map(Into::into));
    }
}
