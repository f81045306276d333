//! Webhooks: endpoints managed with the `admin` scope, deliveries written
//! with each change (`storage::webhooks`), sent by `dispatch` on any replica
//! and signed as Standard Webhooks says (`signing`), to public addresses
//! only (`target`). The changes feed is the truth; webhooks are the prompt.

pub mod dispatch;
pub mod signing;
pub mod target;

use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::{DatabaseConnection, DbErr, TransactionTrait};

use crate::model::change::FeedEvent;
use crate::service::auth::Scope;
use crate::service::editorial::releases::audit_kind;
use crate::service::editorial::{Actor, EditError, FieldError};
use crate::storage::webhooks::{self as store, AttemptRow, DeliveryRow, EndpointRow};

/// How webhooks behave on this deployment.
#[derive(Clone, Debug)]
pub struct WebhookSettings {
    /// Admit http and loopback addresses (tests, local use); never in production.
    pub allow_loopback: bool,
    /// Longest a receiver may take to answer.
    pub timeout: Duration,
    /// How long finished deliveries and their attempts are kept.
    pub log_retention: Duration,
    /// After how long of nothing but failures an endpoint is disabled.
    pub disable_after: Duration,
}

impl Default for WebhookSettings {
    fn default() -> Self {
        Self {
            allow_loopback: false,
            timeout: Duration::from_secs(15),
            log_retention: Duration::from_secs(30 * 86_400),
            disable_after: Duration::from_secs(5 * 86_400),
        }
    }
}

/// Longest grace period of a rotation, during which both secrets sign.
pub const MAX_ROTATION_GRACE: Duration = Duration::from_secs(7 * 86_400);
/// Grace period of a rotation when none is asked for.
pub const DEFAULT_ROTATION_GRACE: Duration = Duration::from_secs(86_400);

/// What an admin sends to create or change an endpoint (`None`: unchanged).
#[derive(Clone, Debug, Default)]
pub struct EndpointInput {
    pub url: Option<String>,
    pub description: Option<String>,
    pub event_types: Option<Vec<String>>,
    /// Re-enables (or disables) the endpoint.
    pub active: Option<bool>,
}

fn field(field: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.into(),
        message: message.into(),
    }
}

/// Checks an input against an endpoint (a new one: `current` empty),
/// resolving the URL's host; every bad field is named.
async fn checked(
    input: &EndpointInput,
    current: Option<&EndpointRow>,
    settings: &WebhookSettings,
) -> Result<(String, String, Vec<String>), EditError> {
    let mut errors = Vec::new();
    let url = match (&input.url, current) {
        (Some(url), _) => Some(url.clone()),
        (None, Some(row)) => Some(row.url.clone()),
        (None, None) => {
            errors.push(field("url", "is required"));
            None
        }
    };
    if let Some(text) = &url {
        match target::parse(text, settings.allow_loopback) {
            Ok(parsed) => {
                if input.url.is_some()
                    && let Err(message) = target::check(&parsed, settings.allow_loopback).await
                {
                    errors.push(field("url", message));
                }
            }
            Err(message) => errors.push(field("url", message)),
        }
    }
    let known = FeedEvent::all_types();
    let event_types = match (&input.event_types, current) {
        (Some(types), _) => types.clone(),
        (None, Some(row)) => row.event_types.clone(),
        (None, None) => vec!["*".into()],
    };
    if event_types.is_empty() {
        errors.push(field(
            "event_types",
            "name at least one event type (or `*`)",
        ));
    }
    for (i, wanted) in event_types.iter().enumerate() {
        let fits = wanted == "*"
            || known.contains(wanted)
            || wanted
                .strip_suffix(".*")
                .is_some_and(|kind| crate::model::RecordKind::from_type_name(kind).is_some());
        if !fits {
            errors.push(field(
                &format!("event_types[{i}]"),
                format!(
                    "`{wanted}` is not an event type (e.g. press_release.published, meeting.*, *)"
                ),
            ));
        }
    }
    let description = input
        .description
        .clone()
        .or_else(|| current.map(|r| r.description.clone()))
        .unwrap_or_default();
    if description.chars().count() > 500 {
        errors.push(field("description", "is longer than 500 characters"));
    }
    match (url, errors.is_empty()) {
        (Some(url), true) => Ok((url.trim().to_string(), description, event_types)),
        _ => Err(EditError::Invalid(errors)),
    }
}

/// One audit line for a change to endpoint `id` (kind `webhook`).
async fn audit(
    conn: &impl sea_orm::ConnectionTrait,
    actor: &Actor,
    action: &str,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    audit_kind(
        conn,
        actor,
        action,
        "webhook",
        &id.to_string(),
        None,
        None,
        now,
    )
    .await
}

fn not_found(id: i64) -> EditError {
    EditError::NotFound(format!("there is no webhook {id}"))
}

/// Registers an endpoint; returns it with its secret (shown this once).
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    input: &EndpointInput,
    settings: &WebhookSettings,
    now: DateTime<Utc>,
) -> Result<(EndpointRow, String), EditError> {
    actor.require(Scope::Admin)?;
    let (url, description, types) = checked(input, None, settings).await?;
    let secret = signing::new_secret();
    let txn = db.begin().await?;
    let id = store::insert_endpoint(&txn, &url, &description, &types, &secret, now).await?;
    if input.active == Some(false) {
        let mut row = store::endpoint(&txn, id)
            .await?
            .ok_or_else(|| not_found(id))?;
        row.active = false;
        row.disabled_reason = Some("disabled by an admin".into());
        store::update_endpoint(&txn, &row).await?;
    }
    audit(&txn, actor, "webhook.create", id, now).await?;
    let row = store::endpoint(&txn, id)
        .await?
        .ok_or_else(|| not_found(id))?;
    txn.commit().await?;
    Ok((row, secret))
}

pub async fn list(db: &DatabaseConnection, actor: &Actor) -> Result<Vec<EndpointRow>, EditError> {
    actor.require(Scope::Admin)?;
    Ok(store::endpoints(db).await?)
}

pub async fn get(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
) -> Result<EndpointRow, EditError> {
    actor.require(Scope::Admin)?;
    store::endpoint(db, id).await?.ok_or_else(|| not_found(id))
}

/// Changes an endpoint; re-enabling one clears why it was disabled.
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    input: &EndpointInput,
    settings: &WebhookSettings,
    now: DateTime<Utc>,
) -> Result<EndpointRow, EditError> {
    actor.require(Scope::Admin)?;
    let current = store::endpoint(db, id)
        .await?
        .ok_or_else(|| not_found(id))?;
    let (url, description, event_types) = checked(input, Some(&current), settings).await?;
    let txn = db.begin().await?;
    let mut row = store::endpoint(&txn, id)
        .await?
        .ok_or_else(|| not_found(id))?;
    row.url = url;
    row.description = description;
    row.event_types = event_types;
    match input.active {
        Some(true) if !row.active => {
            row.active = true;
            row.disabled_reason = None;
            row.failing_since = None;
        }
        Some(false) if row.active => {
            row.active = false;
            row.disabled_reason = Some("disabled by an admin".into());
        }
        _ => {}
    }
    row.updated_at = now;
    store::update_endpoint(&txn, &row).await?;
    audit(&txn, actor, "webhook.update", id, now).await?;
    txn.commit().await?;
    Ok(row)
}

/// A new secret; the old one keeps signing (beside it) for `grace`.
pub async fn rotate_secret(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    grace: Duration,
    now: DateTime<Utc>,
) -> Result<(EndpointRow, String), EditError> {
    actor.require(Scope::Admin)?;
    if grace > MAX_ROTATION_GRACE {
        return Err(EditError::Invalid(vec![field(
            "grace_hours",
            "is at most 168 (seven days)",
        )]));
    }
    let secret = signing::new_secret();
    let txn = db.begin().await?;
    let mut row = store::endpoint(&txn, id)
        .await?
        .ok_or_else(|| not_found(id))?;
    let grace = chrono::Duration::from_std(grace).unwrap_or_default();
    row.previous_secret = (!grace.is_zero()).then(|| row.secret.clone());
    row.previous_secret_until = (!grace.is_zero()).then(|| now + grace);
    row.secret = secret.clone();
    row.updated_at = now;
    store::update_endpoint(&txn, &row).await?;
    audit(&txn, actor, "webhook.rotate_secret", id, now).await?;
    txn.commit().await?;
    Ok((row, secret))
}

pub async fn delete(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(), EditError> {
    actor.require(Scope::Admin)?;
    let txn = db.begin().await?;
    if !store::delete_endpoint(&txn, id).await? {
        return Err(not_found(id));
    }
    audit(&txn, actor, "webhook.delete", id, now).await?;
    txn.commit().await?;
    Ok(())
}

/// An endpoint's deliveries, newest first, before the delivery `before`.
pub async fn deliveries(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    before: Option<i64>,
    limit: u64,
) -> Result<Vec<DeliveryRow>, EditError> {
    get(db, actor, id).await?;
    Ok(store::deliveries(db, id, before, limit).await?)
}

/// One delivery of an endpoint, with its attempts.
pub async fn delivery(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    delivery_id: i64,
) -> Result<(DeliveryRow, Vec<AttemptRow>), EditError> {
    actor.require(Scope::Admin)?;
    let delivery = store::delivery(db, delivery_id)
        .await?
        .filter(|d| d.endpoint_id == id)
        .ok_or_else(|| {
            EditError::NotFound(format!("webhook {id} has no delivery {delivery_id}"))
        })?;
    let attempts = store::attempts(db, delivery_id).await?;
    Ok((delivery, attempts))
}

/// Sends one delivery again (same `webhook-id`), now.
pub async fn replay_delivery(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    delivery_id: i64,
    now: DateTime<Utc>,
) -> Result<DeliveryRow, EditError> {
    delivery(db, actor, id, delivery_id).await?;
    let txn = db.begin().await?;
    store::replay_delivery(&txn, delivery_id, now).await?;
    audit(&txn, actor, "webhook.replay", id, now).await?;
    let row = store::delivery(&txn, delivery_id)
        .await?
        .ok_or_else(|| not_found(id))?;
    txn.commit().await?;
    Ok(row)
}

/// Sends an endpoint's deliveries of the changes numbered `from..=to` again.
pub async fn replay_range(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    from: i64,
    to: i64,
    now: DateTime<Utc>,
) -> Result<u64, EditError> {
    get(db, actor, id).await?;
    if from > to {
        return Err(EditError::Invalid(vec![field(
            "to_seq",
            "must not be below from_seq",
        )]));
    }
    let txn = db.begin().await?;
    let n = store::replay(&txn, id, from, to, now).await?;
    audit(&txn, actor, "webhook.replay", id, now).await?;
    txn.commit().await?;
    Ok(n)
}
