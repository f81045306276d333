//! Statement building shared by the upserts: multi-row inserts sized per
//! backend, lookups and deletes over key lists. Callers run these inside
//! one transaction; nothing here commits.

use std::collections::HashMap;

use sea_orm::{ConnectionTrait, DbBackend, DbErr, Value};

use super::sql::{execute, placeholders, query_all};

/// Bound parameters per statement on PostgreSQL (below its 65,535).
/// Statements are made as large as that allows: each one is a round trip,
/// and over TCP a large message can wait for a delayed ACK (sqlx 0.9.0 does
/// not set TCP_NODELAY), so fewer, larger statements are much faster than
/// many small ones.
pub(super) const PARAMETERS_PER_STATEMENT: usize = 30_000;

/// On SQLite, in process, a statement costs no round trip, but a prepared
/// one holds code and registers for each of its rows, and sqlx keeps them
/// prepared: 30,000-parameter statements made an import's resident memory
/// pass 250 MB. Smaller ones cost about 7% of an import's time.
pub(super) const PARAMETERS_PER_STATEMENT_SQLITE: usize = 2_000;

/// Keys per `IN (…)` list.
pub(super) const KEYS_PER_STATEMENT: usize = 2_000;

pub(super) fn rows_per_statement(backend: DbBackend, width: usize) -> usize {
    let parameters = match backend {
        DbBackend::Sqlite => PARAMETERS_PER_STATEMENT_SQLITE,
        _ => PARAMETERS_PER_STATEMENT,
    };
    (parameters / width.max(1)).max(1)
}

pub(super) fn opt<T: Into<Value>>(value: Option<T>, null: Value) -> Value {
    value.map(Into::into).unwrap_or(null)
}

pub(super) fn null_string() -> Value {
    Value::String(None)
}

pub(super) fn null_date() -> Value {
    Value::ChronoDate(None)
}

/// `INSERT INTO {table} ({columns}) VALUES (…), (…) {tail}` over rows of values.
pub(super) async fn insert_rows(
    conn: &impl ConnectionTrait,
    table: &str,
    columns: &str,
    rows: Vec<Vec<Value>>,
    tail: &str,
) -> Result<(), DbErr> {
    let width = columns.split(',').count();
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<Vec<Value>> = rows
            .by_ref()
            .take(rows_per_statement(conn.get_database_backend(), width))
            .collect();
        let tuple = format!("({})", placeholders(width));
        let values_sql = vec![tuple; chunk.len()].join(", ");
        let sql = format!("INSERT INTO {table} ({columns}) VALUES {values_sql} {tail}");
        execute(conn, &sql, chunk.into_iter().flatten().collect()).await?;
    }
    Ok(())
}

pub(super) async fn ids_of(
    conn: &impl ConnectionTrait,
    table: &str,
    slugs: &[String],
) -> Result<HashMap<String, i64>, DbErr> {
    let mut map = HashMap::with_capacity(slugs.len());
    for chunk in slugs.chunks(KEYS_PER_STATEMENT) {
        let sql = format!(
            "SELECT id, slug FROM {table} WHERE slug IN ({})",
            placeholders(chunk.len())
        );
        let values = chunk.iter().map(|s| s.as_str().into()).collect();
        for row in query_all(conn, &sql, values).await? {
            map.insert(row.try_get("", "slug")?, row.try_get("", "id")?);
        }
    }
    Ok(map)
}

pub(super) async fn delete_where_in(
    conn: &impl ConnectionTrait,
    table: &str,
    column: &str,
    ids: &[i64],
) -> Result<(), DbErr> {
    for chunk in ids.chunks(KEYS_PER_STATEMENT) {
        let sql = format!(
            "DELETE FROM {table} WHERE {column} IN ({})",
            placeholders(chunk.len())
        );
        execute(conn, &sql, chunk.iter().map(|&id| id.into()).collect()).await?;
    }
    Ok(())
}
