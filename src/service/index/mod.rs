//! Values derived from the content and kept in memory per content version:
//! the release index (lists, counts, facets) and the catalog of the small
//! tables. Both are caches: built from the database, safe to lose.

pub mod catalog;
pub mod facet_cube;
pub mod release_index;

use std::time::Duration;

use sea_orm::DatabaseConnection;

use crate::storage::state;
use catalog::CatalogCache;
use release_index::ReleaseIndexCache;

/// Keeps this replica's derived state following the change log: builds the
/// first index, then every `interval` reads the log's head and, when it
/// moved, brings the index and the catalog up to it (on their own tasks,
/// as a request would), so that requests rarely find them behind. Runs
/// until the process ends.
pub async fn follow_changes(
    db: DatabaseConnection,
    indexes: ReleaseIndexCache,
    catalogs: CatalogCache,
    interval: Duration,
    scheduler: crate::service::editorial::schedule::Scheduler,
) {
    let interval = interval.max(Duration::from_millis(20));
    loop {
        let followed = async {
            let mut generation = state::content_generation(&db).await?;
            if scheduler.catch_up(&db, &generation).await {
                generation = state::content_generation(&db).await?;
            }
            indexes.get_at(&db, &generation).await?;
            catalogs.get_at(&db, &generation).await?;
            Ok::<_, sea_orm::DbErr>(())
        }
        .await;
        if let Err(error) = followed {
            tracing::warn!(%error, "following the change log (tried again shortly)");
        }
        tokio::time::sleep(interval).await;
    }
}
