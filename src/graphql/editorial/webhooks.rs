//! Webhook endpoints in GraphQL (scope `admin`): list, register, change,
//! rotate the secret, remove. Deliveries and replays are on REST
//! (`/api/v1/webhooks/{id}/deliveries`).

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};

use super::{Edited, editor};
use crate::graphql::scalars::DateTime;
use crate::service::webhooks::{self, EndpointInput};
use crate::storage::webhooks::EndpointRow;

/// An endpoint that receives signed deliveries of content events
/// (Standard Webhooks).
#[derive(SimpleObject)]
pub struct Webhook {
    /// The endpoint's number (`/api/v1/webhooks/{id}`).
    pub id: ID,
    /// Where deliveries are POSTed (https, a public address).
    pub url: String,
    /// What the endpoint is for, for people.
    pub description: String,
    /// Event types sent: `press_release.published`, `meeting.*`, `*`…
    pub event_types: Vec<String>,
    /// False once disabled (by an admin, a 410 answer, or days of failures).
    pub active: bool,
    /// Why the endpoint was disabled.
    pub disabled_reason: Option<String>,
    /// Since when every delivery has failed.
    pub failing_since: Option<DateTime>,
    /// Until when the previous secret also signs (after a rotation).
    pub previous_secret_expires_at: Option<DateTime>,
    /// When it was registered.
    pub created_at: DateTime,
    /// When it last changed.
    pub updated_at: DateTime,
}

impl From<EndpointRow> for Webhook {
    fn from(row: EndpointRow) -> Self {
        Self {
            id: ID(row.id.to_string()),
            url: row.url,
            description: row.description,
            event_types: row.event_types,
            active: row.active,
            disabled_reason: row.disabled_reason,
            failing_since: row.failing_since.map(Into::into),
            previous_secret_expires_at: row.previous_secret_until.map(Into::into),
            created_at: row.created_at.into(),
            updated_at: row.updated_at.into(),
        }
    }
}

/// An endpoint with its signing secret, shown only in this answer.
#[derive(SimpleObject)]
pub struct WebhookWithSecret {
    /// The endpoint.
    pub webhook: Webhook,
    /// `whsec_…`: verify deliveries with it; it is not shown again.
    pub secret: String,
}

/// What to register or change (left out: unchanged).
#[derive(InputObject)]
pub struct WebhookInput {
    /// https, resolving to public addresses only.
    pub url: Option<String>,
    /// What the endpoint is for.
    pub description: Option<String>,
    /// Event types to send (default `*`).
    pub event_types: Option<Vec<String>>,
    /// False disables; true re-enables a disabled endpoint.
    pub active: Option<bool>,
}

impl From<WebhookInput> for EndpointInput {
    fn from(input: WebhookInput) -> Self {
        EndpointInput {
            url: input.url,
            description: input.description,
            event_types: input.event_types,
            active: input.active,
        }
    }
}

fn id_of(id: &ID) -> async_graphql::Result<i64> {
    id.parse::<i64>().map_err(|_| {
        crate::graphql::error::coded(
            crate::graphql::error::BAD_USER_INPUT,
            format!("`{}` is not a webhook id", id.as_str()),
        )
    })
}

/// The webhook mutations.
#[derive(Default)]
pub struct WebhookMutation;

#[Object]
impl WebhookMutation {
    /// Registers an endpoint (scope `admin`); the answer holds its secret.
    async fn create_webhook(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The endpoint; `url` is required.")] input: WebhookInput,
    ) -> async_graphql::Result<WebhookWithSecret> {
        let editor = editor(ctx);
        let db = crate::graphql::context::db(ctx);
        let (row, secret) = webhooks::create(
            db,
            &editor.actor,
            &input.into(),
            &editor.webhooks,
            editor.clock.now(),
        )
        .await
        .edited()?;
        Ok(WebhookWithSecret {
            webhook: row.into(),
            secret,
        })
    }

    /// Changes an endpoint (scope `admin`).
    async fn update_webhook(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The endpoint's id.")] id: ID,
        #[graphql(desc = "The fields to change.")] input: WebhookInput,
    ) -> async_graphql::Result<Webhook> {
        let editor = editor(ctx);
        let db = crate::graphql::context::db(ctx);
        let row = webhooks::update(
            db,
            &editor.actor,
            id_of(&id)?,
            &input.into(),
            &editor.webhooks,
            editor.clock.now(),
        )
        .await
        .edited()?;
        Ok(row.into())
    }

    /// A new secret (scope `admin`); the old one signs beside it for
    /// `graceHours` (default 24, at most 168).
    async fn rotate_webhook_secret(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The endpoint's id.")] id: ID,
        #[graphql(desc = "Hours the old secret keeps signing.", default = 24)] grace_hours: u32,
    ) -> async_graphql::Result<WebhookWithSecret> {
        let editor = editor(ctx);
        let db = crate::graphql::context::db(ctx);
        let grace = std::time::Duration::from_secs(u64::from(grace_hours) * 3600);
        let (row, secret) =
            webhooks::rotate_secret(db, &editor.actor, id_of(&id)?, grace, editor.clock.now())
                .await
                .edited()?;
        Ok(WebhookWithSecret {
            webhook: row.into(),
            secret,
        })
    }

    /// Removes an endpoint and its delivery log (scope `admin`); its id.
    async fn delete_webhook(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The endpoint's id.")] id: ID,
    ) -> async_graphql::Result<ID> {
        let editor = editor(ctx);
        let db = crate::graphql::context::db(ctx);
        webhooks::delete(db, &editor.actor, id_of(&id)?, editor.clock.now())
            .await
            .edited()?;
        Ok(id)
    }
}

/// Every endpoint (scope `admin`), for the root query.
pub async fn list(ctx: &Context<'_>) -> async_graphql::Result<Vec<Webhook>> {
    let editor = editor(ctx);
    let db = crate::graphql::context::db(ctx);
    let rows = webhooks::list(db, &editor.actor).await.edited()?;
    Ok(rows.into_iter().map(Into::into).collect())
}
