//! What a process does before it serves or changes content: bring the
//! schema up to date, make the search index current, and load the built-in
//! reference data. Run on every start: cheap when there is nothing to do.

pub mod reference;

use anyhow::Context;
use migration::{Migrator, MigratorTrait};
use sea_orm::DatabaseConnection;

use crate::storage::{self, search_index};

/// Brings the schema up to date and loads the built-in reference data if
/// this version of it has not been loaded yet. Replicas that start together
/// do this one at a time (a PostgreSQL advisory lock): the first does the
/// work, the others find nothing left to do.
pub async fn prepare(db: &DatabaseConnection) -> anyhow::Result<()> {
    let lock = storage::StartupLock::acquire(db)
        .await
        .context("waiting for the start-up lock")?;
    let prepared = prepare_locked(db).await;
    lock.release()
        .await
        .context("releasing the start-up lock")?;
    prepared
}

async fn prepare_locked(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None)
        .await
        .context("migrating the database")?;
    search_index::ensure_current(db)
        .await
        .context("building the search index")?;
    reference::ensure_loaded(db).await?;
    let listed = crate::service::changes::complete_feed(db, chrono::Utc::now())
        .await
        .context("listing existing records in the changes feed")?;
    if listed > 0 {
        tracing::info!(records = listed, "listed in the changes feed");
    }
    Ok(())
}
