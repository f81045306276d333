//! What a process does before it serves or changes content: bring the
//! schema up to date, make the search index current, and load the built-in
//! reference data. Run on every start: cheap when there is nothing to do.

pub mod reference;

use anyhow::Context;
use migration::{Migrator, MigratorTrait};
use sea_orm::DatabaseConnection;

use crate::storage::search_index;

/// Brings the schema up to date and loads the built-in reference data if
/// this version of it has not been loaded yet.
pub async fn prepare(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None)
        .await
        .context("migrating the database")?;
    search_index::ensure_current(db)
        .await
        .context("building the search index")?;
    reference::ensure_loaded(db).await?;
    Ok(())
}
