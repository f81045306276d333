//! `osce-api webhook …`: webhook endpoints from the command line (the
//! same rules as the API; the audit log names the origin `cli`).

use std::collections::BTreeSet;

use clap::Subcommand;

use crate::config::Settings;
use crate::http::rest::webhooks::endpoint_json;
use crate::service::auth::{Principal, Scope};
use crate::service::editorial::{Actor, Origin};
use crate::service::webhooks::{self, EndpointInput};
use crate::storage;
use migration::{Migrator, MigratorTrait};

#[derive(Subcommand)]
pub enum WebhookAction {
    /// Register an endpoint; prints it with its secret (shown once).
    Create {
        /// Where to POST deliveries (https, a public address).
        #[arg(long)]
        url: String,
        /// Event types, comma-separated (`press_release.published,meeting.*`; default `*`).
        #[arg(long)]
        events: Option<String>,
        /// What the endpoint is for.
        #[arg(long, default_value = "")]
        description: String,
    },
    /// List endpoints as JSON Lines (never their secrets).
    List,
    /// A new secret; the old one keeps signing beside it for the grace period.
    Rotate {
        id: i64,
        /// Hours the old secret keeps signing (at most 168).
        #[arg(long, default_value_t = 24)]
        grace_hours: u64,
    },
    /// Stop sending to an endpoint (deliveries wait for it).
    Disable { id: i64 },
    /// Send to an endpoint again (after a 410 or days of failures).
    Enable { id: i64 },
    /// Remove an endpoint with its deliveries.
    Delete { id: i64 },
}

pub async fn run(settings: &Settings, action: WebhookAction) -> anyhow::Result<()> {
    let db = storage::connect(&settings.db()).await?;
    Migrator::up(&db, None).await?;
    let actor = Actor {
        principal: Some(Principal {
            name: "cli".into(),
            scopes: BTreeSet::from([Scope::Admin]),
        }),
        origin: Origin::Cli,
        request_id: None,
    };
    let rules = settings.webhooks();
    let now = chrono::Utc::now();
    let enable = |active| EndpointInput {
        active: Some(active),
        ..EndpointInput::default()
    };
    let shown = match action {
        WebhookAction::Create {
            ref url,
            ref events,
            ref description,
        } => {
            let input = EndpointInput {
                url: Some(url.clone()),
                description: Some(description.clone()),
                event_types: events
                    .as_ref()
                    .map(|e| e.split(',').map(|t| t.trim().to_string()).collect()),
                active: None,
            };
            let (row, secret) = webhooks::create(&db, &actor, &input, &rules, now).await?;
            endpoint_json(&row, Some(&secret))
        }
        WebhookAction::List => {
            for row in webhooks::list(&db, &actor).await? {
                println!("{}", endpoint_json(&row, None));
            }
            return Ok(());
        }
        WebhookAction::Rotate { id, grace_hours } => {
            let grace = std::time::Duration::from_secs(grace_hours.saturating_mul(3600));
            let (row, secret) = webhooks::rotate_secret(&db, &actor, id, grace, now).await?;
            endpoint_json(&row, Some(&secret))
        }
        WebhookAction::Disable { id } => endpoint_json(
            &webhooks::update(&db, &actor, id, &enable(false), &rules, now).await?,
            None,
        ),
        WebhookAction::Enable { id } => endpoint_json(
            &webhooks::update(&db, &actor, id, &enable(true), &rules, now).await?,
            None,
        ),
        WebhookAction::Delete { id } => {
            webhooks::delete(&db, &actor, id, now).await?;
            eprintln!("deleted webhook {id}");
            return Ok(());
        }
    };
    println!("{shown}");
    Ok(())
}
