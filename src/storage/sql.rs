//! Small helpers to run hand-written, parameterised SQL on either backend.
//! Statements are written once with `?` placeholders; PostgreSQL's `$n` are
//! produced here. Values are always bound, never spliced into the text.

use std::fmt::Write;

use sea_orm::{ConnectionTrait, DbBackend, DbErr, QueryResult, Statement, Value};

pub fn statement(backend: DbBackend, sql: &str, values: Vec<Value>) -> Statement {
    let sql = match backend {
        DbBackend::Postgres => {
            let mut out = String::with_capacity(sql.len() + 16);
            let mut n = 0;
            for ch in sql.chars() {
                if ch == '?' {
                    n += 1;
                    out.push('$');
                    out.push_str(&n.to_string());
                } else {
                    out.push(ch);
                }
            }
            out
        }
        _ => sql.to_string(),
    };
    Statement::from_sql_and_values(backend, sql, values)
}

/// `?, ?, ?` for an `IN (...)` list of `n` values.
pub fn placeholders(n: usize) -> String {
    let mut s = String::with_capacity(n * 3);
    for i in 0..n {
        if i > 0 {
            s.push_str(", ");
        }
        s.push('?');
    }
    s
}

pub async fn query_all(
    conn: &impl ConnectionTrait,
    sql: &str,
    values: Vec<Value>,
) -> Result<Vec<QueryResult>, DbErr> {
    conn.query_all_raw(statement(conn.get_database_backend(), sql, values))
        .await
}

pub async fn execute(
    conn: &impl ConnectionTrait,
    sql: &str,
    values: Vec<Value>,
) -> Result<u64, DbErr> {
    Ok(conn
        .execute_raw(statement(conn.get_database_backend(), sql, values))
        .await?
        .rows_affected())
}

/// `{column}` is one of `ids`, as a condition with one bound text value
/// (`?` in the returned SQL): a statement whose text does not depend on
/// how many ids there are, so it is prepared once, and is small to send
/// and cheap to plan however long the list.
pub fn in_id_list(backend: DbBackend, column: &str, ids: &[i64]) -> (String, Value) {
    let mut list = String::with_capacity(ids.len() * 8 + 2);
    let json = backend != DbBackend::Postgres;
    if json {
        list.push('[');
    }
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            list.push(',');
        }
        let _ = write!(list, "{id}");
    }
    if json {
        list.push(']');
    }
    let condition = match backend {
        DbBackend::Postgres => format!("{column} = ANY(string_to_array(?, ',')::bigint[])"),
        _ => format!("{column} IN (SELECT value FROM json_each(?))"),
    };
    (condition, list.into())
}
