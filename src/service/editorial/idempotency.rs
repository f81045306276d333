//! `Idempotency-Key` for creates: the answer to a request sent with a key
//! is kept (24 hours) in the transaction that created the record, so a
//! retry gets the same answer and creates nothing; the same key with
//! another request is refused.

use chrono::{DateTime, Duration, Utc};
use sea_orm::DatabaseTransaction;

use super::{Actor, EditError};
use crate::storage::editorial::{self as store, StoredAnswer};

/// How long an answer is kept.
pub const WINDOW_HOURS: i64 = 24;

/// A key and what was asked with it.
#[derive(Clone, Debug)]
pub struct Idempotency {
    pub key: String,
    /// A hash of the request (operation and body).
    pub request_hash: String,
}

/// The answer kept for this key, if the request was answered before (in
/// the writer's transaction, so a retry racing the first waits for it).
pub async fn replay(
    txn: &DatabaseTransaction,
    actor: &Actor,
    idempotency: &Idempotency,
    now: DateTime<Utc>,
) -> Result<Option<StoredAnswer>, EditError> {
    store::forget_idempotent_answers(txn, now - Duration::hours(WINDOW_HOURS)).await?;
    match store::idempotent_answer(txn, actor.name(), &idempotency.key).await? {
        Some(stored) if stored.request_hash != idempotency.request_hash => {
            Err(EditError::IdempotencyKeyReused)
        }
        other => Ok(other),
    }
}

/// Keeps the answer (`201` and its body) for retries.
pub async fn remember(
    txn: &DatabaseTransaction,
    actor: &Actor,
    idempotency: Idempotency,
    body: String,
    now: DateTime<Utc>,
) -> Result<(), EditError> {
    let answer = StoredAnswer {
        request_hash: idempotency.request_hash,
        status: 201,
        response: body,
    };
    store::store_idempotent_answer(txn, actor.name(), &idempotency.key, &answer, now).await?;
    Ok(())
}
