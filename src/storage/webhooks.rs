//! Webhook endpoints, their deliveries (one per endpoint and event, written
//! in the change's own transaction) and the log of attempts.
//!
//! A delivery is claimed by moving its `next_attempt_at` forward by a lease
//! in the statement that selects it (with `FOR UPDATE SKIP LOCKED` on
//! PostgreSQL): two dispatchers never hold the same row, and a dispatcher
//! that dies mid-delivery leaves a row that falls due again when the lease
//! runs out.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, QueryResult};

use super::sql::{execute, query_all};
use super::write::insert_rows;
use crate::model::change::FeedEvent;

/// An endpoint as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndpointRow {
    pub id: i64,
    pub url: String,
    pub description: String,
    pub event_types: Vec<String>,
    pub secret: String,
    pub previous_secret: Option<String>,
    pub previous_secret_until: Option<DateTime<Utc>>,
    pub active: bool,
    pub disabled_reason: Option<String>,
    pub failing_since: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl EndpointRow {
    /// Whether the endpoint asked for events of `event_type`: by name,
    /// `press_release.*`, or `*`.
    pub fn wants(&self, event_type: &str) -> bool {
        self.event_types.iter().any(|wanted| {
            wanted == "*"
                || wanted == event_type
                || wanted
                    .strip_suffix(".*")
                    .is_some_and(|kind| event_type.split('.').next() == Some(kind))
        })
    }
}

const ENDPOINT_COLUMNS: &str = "id, url, description, event_types, secret, previous_secret, \
     previous_secret_until, active, disabled_reason, failing_since, created_at, updated_at";

fn endpoint_of(row: &QueryResult) -> Result<EndpointRow, DbErr> {
    let types: String = row.try_get("", "event_types")?;
    Ok(EndpointRow {
        id: row.try_get("", "id")?,
        url: row.try_get("", "url")?,
        description: row.try_get("", "description")?,
        event_types: serde_json::from_str(&types).unwrap_or_default(),
        secret: row.try_get("", "secret")?,
        previous_secret: row.try_get("", "previous_secret")?,
        previous_secret_until: row.try_get("", "previous_secret_until")?,
        active: row.try_get("", "active")?,
        disabled_reason: row.try_get("", "disabled_reason")?,
        failing_since: row.try_get("", "failing_since")?,
        created_at: row.try_get("", "created_at")?,
        updated_at: row.try_get("", "updated_at")?,
    })
}

fn types_json(types: &[String]) -> String {
    serde_json::to_string(types).unwrap_or_else(|_| "[]".into())
}

/// Stores a new endpoint; returns its id.
pub async fn insert_endpoint(
    conn: &impl ConnectionTrait,
    url: &str,
    description: &str,
    event_types: &[String],
    secret: &str,
    now: DateTime<Utc>,
) -> Result<i64, DbErr> {
    let rows = query_all(
        conn,
        "INSERT INTO webhook_endpoint (url, description, event_types, secret, active, created_at, updated_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        vec![
            url.into(),
            description.into(),
            types_json(event_types).into(),
            secret.into(),
            true.into(),
            now.into(),
            now.into(),
        ],
    )
    .await?;
    rows.first()
        .ok_or_else(|| DbErr::Custom("the endpoint was not stored".into()))?
        .try_get("", "id")
}

/// Every endpoint, in id order.
pub async fn endpoints(conn: &impl ConnectionTrait) -> Result<Vec<EndpointRow>, DbErr> {
    query_all(
        conn,
        &format!("SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoint ORDER BY id"),
        vec![],
    )
    .await?
    .iter()
    .map(endpoint_of)
    .collect()
}

pub async fn endpoint(conn: &impl ConnectionTrait, id: i64) -> Result<Option<EndpointRow>, DbErr> {
    query_all(
        conn,
        &format!("SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoint WHERE id = ?"),
        vec![id.into()],
    )
    .await?
    .first()
    .map(endpoint_of)
    .transpose()
}

/// Writes every changeable field of `row` back.
pub async fn update_endpoint(conn: &impl ConnectionTrait, row: &EndpointRow) -> Result<(), DbErr> {
    execute(
        conn,
        "UPDATE webhook_endpoint SET url = ?, description = ?, event_types = ?, secret = ?, \
         previous_secret = ?, previous_secret_until = ?, active = ?, disabled_reason = ?, \
         failing_since = ?, updated_at = ? WHERE id = ?",
        vec![
            row.url.clone().into(),
            row.description.clone().into(),
            types_json(&row.event_types).into(),
            row.secret.clone().into(),
            row.previous_secret.clone().into(),
            row.previous_secret_until.into(),
            row.active.into(),
            row.disabled_reason.clone().into(),
            row.failing_since.into(),
            row.updated_at.into(),
            row.id.into(),
        ],
    )
    .await?;
    Ok(())
}

/// Removes an endpoint with its deliveries and their attempts.
pub async fn delete_endpoint(conn: &impl ConnectionTrait, id: i64) -> Result<bool, DbErr> {
    execute(
        conn,
        "DELETE FROM webhook_attempt WHERE delivery_id IN \
         (SELECT id FROM webhook_delivery WHERE endpoint_id = ?)",
        vec![id.into()],
    )
    .await?;
    execute(
        conn,
        "DELETE FROM webhook_delivery WHERE endpoint_id = ?",
        vec![id.into()],
    )
    .await?;
    Ok(execute(
        conn,
        "DELETE FROM webhook_endpoint WHERE id = ?",
        vec![id.into()],
    )
    .await?
        > 0)
}

/// Writes a delivery for every endpoint that wants each event, in the
/// caller's (the change's) transaction. A disabled endpoint's wait for it
/// to be enabled again (or for the log's retention to end).
pub(super) async fn enqueue(
    conn: &impl ConnectionTrait,
    events: &[FeedEvent],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if events.is_empty() {
        return Ok(());
    }
    let active = endpoints(conn).await?;
    if active.is_empty() {
        return Ok(());
    }
    let mut rows = Vec::new();
    for event in events {
        let payload = event.payload(now);
        for endpoint in active.iter().filter(|e| e.wants(&event.event_type)) {
            rows.push(vec![
                endpoint.id.into(),
                message_id(endpoint.id, event.entry.seq).into(),
                event.event_type.clone().into(),
                event.entry.seq.into(),
                payload.clone().into(),
                "pending".into(),
                now.into(),
                now.into(),
            ]);
        }
    }
    insert_rows(
        conn,
        "webhook_delivery",
        "endpoint_id, message_id, event_type, seq, payload, status, next_attempt_at, created_at",
        rows,
        "",
    )
    .await
}

/// The `webhook-id` of the event numbered `seq` sent to `endpoint`: the
/// same on every retry and replay, so receivers can drop duplicates.
pub fn message_id(endpoint: i64, seq: i64) -> String {
    format!("msg_{endpoint}_{seq}")
}

/// A delivery as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeliveryRow {
    pub id: i64,
    pub endpoint_id: i64,
    pub message_id: String,
    pub event_type: String,
    pub seq: i64,
    pub payload: String,
    /// `pending`, `delivered` or `failed`.
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub last_attempt_at: Option<DateTime<Utc>>,
    pub last_status_code: Option<i32>,
}

const DELIVERY_COLUMNS: &str = "id, endpoint_id, message_id, event_type, seq, payload, status, \
     attempts, next_attempt_at, created_at, last_attempt_at, last_status_code";

fn delivery_of(row: &QueryResult) -> Result<DeliveryRow, DbErr> {
    Ok(DeliveryRow {
        id: row.try_get("", "id")?,
        endpoint_id: row.try_get("", "endpoint_id")?,
        message_id: row.try_get("", "message_id")?,
        event_type: row.try_get("", "event_type")?,
        seq: row.try_get("", "seq")?,
        payload: row.try_get("", "payload")?,
        status: row.try_get("", "status")?,
        attempts: row.try_get("", "attempts")?,
        next_attempt_at: row.try_get("", "next_attempt_at")?,
        created_at: row.try_get("", "created_at")?,
        last_attempt_at: row.try_get("", "last_attempt_at")?,
        last_status_code: row.try_get("", "last_status_code")?,
    })
}

/// Whether any delivery for an active endpoint is due at `now`: a read, so
/// that idle dispatchers never take SQLite's write lock.
pub async fn any_due(conn: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<bool, DbErr> {
    Ok(!query_all(
        conn,
        "SELECT 1 AS due FROM webhook_delivery WHERE status = 'pending' AND next_attempt_at <= ? \
         AND endpoint_id IN (SELECT id FROM webhook_endpoint WHERE active) LIMIT 1",
        vec![now.into()],
    )
    .await?
    .is_empty())
}

/// Claims up to `limit` pending deliveries due at `now` for active
/// endpoints, holding each until `lease_until`.
pub async fn claim_due(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<DeliveryRow>, DbErr> {
    let lock = match conn.get_database_backend() {
        DbBackend::Postgres => "FOR UPDATE SKIP LOCKED",
        _ => "",
    };
    let sql = format!(
        "UPDATE webhook_delivery SET next_attempt_at = ? WHERE id IN (\
           SELECT id FROM webhook_delivery WHERE status = 'pending' AND next_attempt_at <= ? \
           AND endpoint_id IN (SELECT id FROM webhook_endpoint WHERE active) \
           ORDER BY next_attempt_at, id LIMIT ? {lock}) \
         RETURNING {DELIVERY_COLUMNS}"
    );
    let mut claimed = query_all(
        conn,
        &sql,
        vec![
            lease_until.into(),
            now.into(),
            (limit.min(i64::MAX as u64) as i64).into(),
        ],
    )
    .await?
    .iter()
    .map(delivery_of)
    .collect::<Result<Vec<_>, DbErr>>()?;
    claimed.sort_by_key(|d| (d.seq, d.id));
    Ok(claimed)
}

/// One try at a delivery, for the log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttemptRow {
    pub id: i64,
    pub delivery_id: i64,
    pub attempted_at: DateTime<Utc>,
    pub status_code: Option<i32>,
    pub latency_ms: i64,
    pub error: Option<String>,
    pub response: Option<String>,
}

/// Records an attempt and where the delivery stands after it, if the
/// claim still holds (`leased_until` unchanged: no replay, no other
/// dispatcher after the lease ran out, not deleted). Returns whether it did.
pub async fn finish_attempt(
    conn: &impl ConnectionTrait,
    attempt: &AttemptRow,
    leased_until: DateTime<Utc>,
    status: &str,
    next_attempt_at: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let updated = execute(
        conn,
        "UPDATE webhook_delivery SET status = ?, attempts = attempts + 1, next_attempt_at = ?, \
         last_attempt_at = ?, last_status_code = ? \
         WHERE id = ? AND status = 'pending' AND next_attempt_at = ?",
        vec![
            status.into(),
            next_attempt_at.into(),
            attempt.attempted_at.into(),
            attempt.status_code.into(),
            attempt.delivery_id.into(),
            leased_until.into(),
        ],
    )
    .await?;
    if updated == 0 {
        return Ok(false);
    }
    execute(
        conn,
        "INSERT INTO webhook_attempt (delivery_id, attempted_at, status_code, latency_ms, error, response) \
         VALUES (?, ?, ?, ?, ?, ?)",
        vec![
            attempt.delivery_id.into(),
            attempt.attempted_at.into(),
            attempt.status_code.into(),
            attempt.latency_ms.into(),
            attempt.error.clone().into(),
            attempt.response.clone().into(),
        ],
    )
    .await?;
    Ok(true)
}

pub async fn delivery(conn: &impl ConnectionTrait, id: i64) -> Result<Option<DeliveryRow>, DbErr> {
    query_all(
        conn,
        &format!("SELECT {DELIVERY_COLUMNS} FROM webhook_delivery WHERE id = ?"),
        vec![id.into()],
    )
    .await?
    .first()
    .map(delivery_of)
    .transpose()
}

/// An endpoint's deliveries, newest first, before the id `before`.
pub async fn deliveries(
    conn: &impl ConnectionTrait,
    endpoint_id: i64,
    before: Option<i64>,
    limit: u64,
) -> Result<Vec<DeliveryRow>, DbErr> {
    query_all(
        conn,
        &format!(
            "SELECT {DELIVERY_COLUMNS} FROM webhook_delivery WHERE endpoint_id = ? AND id < ? \
             ORDER BY id DESC LIMIT ?"
        ),
        vec![
            endpoint_id.into(),
            before.unwrap_or(i64::MAX).into(),
            (limit.min(i64::MAX as u64) as i64).into(),
        ],
    )
    .await?
    .iter()
    .map(delivery_of)
    .collect()
}

/// A delivery's attempts, oldest first.
pub async fn attempts(
    conn: &impl ConnectionTrait,
    delivery_id: i64,
) -> Result<Vec<AttemptRow>, DbErr> {
    query_all(
        conn,
        "SELECT id, delivery_id, attempted_at, status_code, latency_ms, error, response \
         FROM webhook_attempt WHERE delivery_id = ? ORDER BY id",
        vec![delivery_id.into()],
    )
    .await?
    .iter()
    .map(|row| {
        Ok(AttemptRow {
            id: row.try_get("", "id")?,
            delivery_id: row.try_get("", "delivery_id")?,
            attempted_at: row.try_get("", "attempted_at")?,
            status_code: row.try_get("", "status_code")?,
            latency_ms: row.try_get("", "latency_ms")?,
            error: row.try_get("", "error")?,
            response: row.try_get("", "response")?,
        })
    })
    .collect()
}

/// Sends the endpoint's deliveries of events numbered `from..=to` again,
/// now (whatever became of them). Returns how many.
pub async fn replay(
    conn: &impl ConnectionTrait,
    endpoint_id: i64,
    from: i64,
    to: i64,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    execute(
        conn,
        "UPDATE webhook_delivery SET status = 'pending', next_attempt_at = ? \
         WHERE endpoint_id = ? AND seq >= ? AND seq <= ?",
        vec![now.into(), endpoint_id.into(), from.into(), to.into()],
    )
    .await
}

/// Sends one delivery again, now.
pub async fn replay_delivery(
    conn: &impl ConnectionTrait,
    delivery_id: i64,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    Ok(execute(
        conn,
        "UPDATE webhook_delivery SET status = 'pending', next_attempt_at = ? WHERE id = ?",
        vec![now.into(), delivery_id.into()],
    )
    .await?
        > 0)
}

/// Forgets deliveries made before `before` that are finished, or wait for
/// an endpoint that is disabled (and their attempts).
pub async fn purge_finished(
    conn: &impl ConnectionTrait,
    before: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let old = "SELECT id FROM webhook_delivery WHERE created_at < ? AND (status <> 'pending' \
               OR endpoint_id IN (SELECT id FROM webhook_endpoint WHERE NOT active))";
    execute(
        conn,
        &format!("DELETE FROM webhook_attempt WHERE delivery_id IN ({old})"),
        vec![before.into()],
    )
    .await?;
    execute(
        conn,
        &format!("DELETE FROM webhook_delivery WHERE id IN ({old})"),
        vec![before.into()],
    )
    .await
}
