//! Commands about the service itself: schema documents, migrations, API keys.

use std::io::Write;
use std::path::PathBuf;

use migration::{Migrator, MigratorTrait};

use super::{ApiKeyAction, MigrateAction, output};
use crate::config::Settings;
use crate::storage;

/// `osce-api schema`: the GraphQL SDL, as checked in at `schema.graphql`.
pub fn schema(path: Option<&PathBuf>) -> anyhow::Result<()> {
    let mut out = output(path)?;
    out.write_all(crate::graphql::sdl().as_bytes())?;
    out.flush()?;
    Ok(())
}

/// `osce-api openapi`: the REST API's OpenAPI document, as checked in at `openapi.json`.
pub fn openapi(path: Option<&PathBuf>) -> anyhow::Result<()> {
    let mut out = output(path)?;
    out.write_all(crate::http::rest::openapi_json().as_bytes())?;
    out.flush()?;
    Ok(())
}

/// `osce-api migrate up|down|status`.
pub async fn migrate(settings: &Settings, action: MigrateAction) -> anyhow::Result<()> {
    let db = storage::connect(&settings.db()).await?;
    match action {
        MigrateAction::Up => Migrator::up(&db, None).await?,
        MigrateAction::Down { steps } => Migrator::down(&db, Some(steps)).await?,
        MigrateAction::Status => {
            for migration in Migrator::get_migration_with_status(&db).await? {
                println!("{}\t{}", migration.status(), migration.name());
            }
        }
    }
    Ok(())
}

/// `osce-api api-key`: a new random key, printed once, and the
/// configuration entry, which holds only the key's SHA-256.
fn api_key(name: &str, requests_per_minute: u64, cost_per_minute: u64) -> anyhow::Result<()> {
    use base64::Engine;
    use rand::RngCore;
    let mut secret = [0u8; 32];
    rand::rng().fill_bytes(&mut secret);
    let key = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret);
    let digest: String = crate::http::ratelimit::key_digest(&key)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    eprintln!("API key for {name} (shown once; the service keeps only its SHA-256):");
    println!("{key}");
    eprintln!("\nAdd to the configuration file:\n");
    eprintln!(
        "[[api_keys]]\nname = {}\nsha256 = \"{digest}\"\nrequests_per_minute = {requests_per_minute}\ncost_per_minute = {cost_per_minute}",
        serde_json::to_string(&name)?
    );
    Ok(())
}

/// `osce-api api-key create|revoke|list|rate-limit`.
pub async fn api_keys(settings: &Settings, action: ApiKeyAction) -> anyhow::Result<()> {
    use crate::service::auth;
    if let ApiKeyAction::RateLimit {
        name,
        requests_per_minute,
        cost_per_minute,
    } = &action
    {
        return api_key(name, *requests_per_minute, *cost_per_minute);
    }
    let db = storage::connect(&settings.db()).await?;
    Migrator::up(&db, None).await?;
    let now = chrono::Utc::now();
    match action {
        ApiKeyAction::Create {
            name,
            scopes,
            expires_at,
            expires_in_days,
        } => {
            let scopes = auth::parse_scopes(&scopes).map_err(anyhow::Error::msg)?;
            let expires_at = match (expires_at, expires_in_days) {
                (Some(at), _) => Some(
                    chrono::DateTime::parse_from_rfc3339(&at)
                        .map_err(|e| anyhow::anyhow!("--expires-at {at:?}: {e}"))?
                        .with_timezone(&chrono::Utc),
                ),
                (None, Some(days)) => Some(now + chrono::Duration::days(days.into())),
                (None, None) => None,
            };
            let created = auth::create_key(&db, &name, scopes, expires_at, now).await?;
            eprintln!(
                "API key {:?} with scopes {} (shown once; the database keeps only its SHA-256):",
                created.name,
                created
                    .scopes
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            println!("{}", created.key);
        }
        ApiKeyAction::Revoke { name } => {
            if !auth::revoke_key(&db, &name, now).await? {
                anyhow::bail!("no active key is named {name:?}");
            }
            eprintln!("revoked {name:?}");
        }
        ApiKeyAction::List => {
            let mut out = std::io::stdout().lock();
            for key in auth::list_keys(&db).await? {
                serde_json::to_writer(&mut out, &key)?;
                out.write_all(b"\n")?;
            }
        }
        ApiKeyAction::RateLimit { .. } => {}
    }
    Ok(())
}

/// `osce-api audit`: the audit log as JSON Lines.
pub async fn audit(settings: &Settings, after: i64, path: Option<&PathBuf>) -> anyhow::Result<()> {
    let db = storage::connect(&settings.db()).await?;
    let mut out = output(path)?;
    let mut after = after;
    loop {
        let page = storage::editorial::audit_after(&db, after, 1_000).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for entry in &page {
            serde_json::to_writer(&mut out, entry)?;
            out.write_all(b"\n")?;
        }
    }
    out.flush()?;
    Ok(())
}
