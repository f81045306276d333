//! Commands about the service itself: schema documents, migrations, API keys.

use std::io::Write;
use std::path::PathBuf;

use migration::{Migrator, MigratorTrait};

use super::{MigrateAction, output};
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
pub fn api_key(name: &str, requests_per_minute: u64, cost_per_minute: u64) -> anyhow::Result<()> {
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
