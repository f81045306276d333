//! Schemas of the changes feed and the webhook endpoints.

use chrono::{DateTime, Utc};
use utoipa::ToSchema;

/// One item of the changes feed.
#[derive(ToSchema)]
#[schema(as = Change)]
pub struct ChangeDoc {
    /// The change's number: increasing, in commit order.
    seq: i64,
    /// `upsert` (the record reads as the API serves it) or `delete` (a tombstone).
    op: String,
    /// The record's type: press_release, meeting, person, role, org_unit, field_of_work, country, chairpersonship.
    #[schema(rename = "type")]
    kind: String,
    /// The record's key: a slug, a country code, a year; a role's `person/org_unit/title/from`.
    key: String,
    /// The record's version after the change (`null` on tombstones and roles).
    version: Option<i64>,
    /// On tombstones: `deleted` or `unpublished`.
    reason: Option<String>,
    /// When the change was a write of one translation of a public release:
    /// its language (the release is `key`).
    language: Option<String>,
    /// What became of that translation: `upsert` or `delete` (the release
    /// itself stays).
    language_op: Option<String>,
    /// When the change was committed.
    at: DateTime<Utc>,
}

/// One page of the changes feed.
#[derive(ToSchema)]
#[schema(as = ChangesPage)]
pub struct ChangesPageDoc {
    items: Vec<ChangeDoc>,
    /// The cursor to go on from (pass it as `after`), also at the head.
    next: String,
    /// Whether more items wait now.
    has_more: bool,
}

/// A webhook endpoint (its secret is shown only when made or rotated).
#[derive(ToSchema)]
#[schema(as = Webhook)]
pub struct WebhookDoc {
    id: i64,
    url: String,
    description: String,
    /// Event types sent: `press_release.published`, `meeting.*`, `*`, …
    event_types: Vec<String>,
    active: bool,
    /// Why the endpoint was disabled (410 Gone, days of failures, an admin).
    disabled_reason: Option<String>,
    /// Since when every delivery has failed.
    failing_since: Option<DateTime<Utc>>,
    /// Until when the previous secret also signs (after a rotation).
    previous_secret_expires_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    /// `whsec_…`: only in the answer that made or rotated it.
    secret: Option<String>,
}

/// Every webhook endpoint.
#[derive(ToSchema)]
#[schema(as = WebhookList)]
pub struct WebhookListDoc {
    items: Vec<WebhookDoc>,
}

/// A webhook delivery: one event for one endpoint, with its attempts.
#[derive(ToSchema)]
#[schema(as = WebhookDelivery)]
pub struct WebhookDeliveryDoc {
    id: i64,
    /// The `webhook-id` header, the same on every attempt.
    message_id: String,
    event_type: String,
    seq: i64,
    /// `pending`, `delivered` or `failed`.
    status: String,
    attempts: i32,
    next_attempt_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    last_status_code: Option<i32>,
    /// The body sent.
    payload: serde_json::Value,
    /// Each try (on the delivery's own page only).
    attempt_log: Option<Vec<WebhookAttemptDoc>>,
}

/// One try at a delivery.
#[derive(ToSchema)]
#[schema(as = WebhookAttempt)]
pub struct WebhookAttemptDoc {
    attempted_at: DateTime<Utc>,
    status_code: Option<i32>,
    latency_ms: i64,
    error: Option<String>,
    /// The start of the receiver's answer (1 KiB at most).
    response: Option<String>,
}

/// An endpoint's deliveries, newest first.
#[derive(ToSchema)]
#[schema(as = WebhookDeliveryPage)]
pub struct WebhookDeliveryPageDoc {
    items: Vec<WebhookDeliveryDoc>,
    /// The URL of the next (older) page, `null` on the last.
    next: Option<String>,
}

/// What an admin sends to make or change an endpoint.
#[derive(ToSchema)]
#[schema(as = WebhookInput)]
pub struct WebhookInputDoc {
    /// https, resolving to public addresses.
    url: Option<String>,
    description: Option<String>,
    /// Event types to send (default `*`).
    event_types: Option<Vec<String>>,
    /// false disables the endpoint; true re-enables a disabled one.
    active: Option<bool>,
}
