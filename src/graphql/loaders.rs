//! Batched loads for every relation: whatever the page size, each relation
//! costs at most one query per request, not one per row, and relations to
//! the small tables none (they come from the catalog).

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, Value,
};

use crate::storage::entity::{press_release, press_release_translation};
use crate::service::snapshot::Snapshot;
use crate::storage::sql::{placeholders, query_all};

/// The one loader type; each key type below is a different batched query
/// about releases. It also holds the request's snapshot, through which the
/// small tables come from the catalog (no query at all).
pub struct ContentLoader {
    pub snapshot: Snapshot,
}

/// `owner → [target ids]` in the stored order, over a junction table.
async fn links(
    db: &DatabaseConnection,
    table: &str,
    owner: &str,
    target: &str,
    order: &str,
    owners: &[i64],
) -> Result<HashMap<i64, Vec<i64>>, DbErr> {
    let sql = format!(
        "SELECT {owner} AS owner, {target} AS target FROM {table} WHERE {owner} IN ({}) ORDER BY {owner}, {order}",
        placeholders(owners.len())
    );
    let values: Vec<Value> = owners.iter().map(|&id| id.into()).collect();
    let mut grouped: HashMap<i64, Vec<i64>> = owners.iter().map(|&id| (id, Vec::new())).collect();
    for row in query_all(db, &sql, values).await? {
        let owner: i64 = row.try_get("", "owner")?;
        grouped
            .entry(owner)
            .or_default()
            .push(row.try_get("", "target")?);
    }
    Ok(grouped)
}

macro_rules! link_loader {
    ($key:ident, $table:literal, $owner:literal, $target:literal, $order:literal) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub struct $key(pub i64);

        impl Loader<$key> for ContentLoader {
            type Value = Vec<i64>;
            type Error = Arc<DbErr>;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, Self::Value>, Self::Error> {
                let owners: Vec<i64> = keys.iter().map(|k| k.0).collect();
                Ok(
                    links(self.snapshot.db(), $table, $owner, $target, $order, &owners)
                        .await?
                        .into_iter()
                        .map(|(owner, targets)| ($key(owner), targets))
                        .collect(),
                )
            }
        }
    };
}

link_loader!(
    ReleaseFields,
    "press_release_field_of_work",
    "press_release_id",
    "field_of_work_id",
    "position"
);
link_loader!(
    ReleaseCountries,
    "press_release_country",
    "press_release_id",
    "country_id",
    "position"
);
link_loader!(
    ReleasePeople,
    "press_release_person",
    "press_release_id",
    "person_id",
    "position"
);
link_loader!(
    ReleaseMeetings,
    "press_release_meeting",
    "press_release_id",
    "meeting_id",
    "position"
);

/// A release's body (lists read releases without it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ReleaseBody(pub i64);

impl Loader<ReleaseBody> for ContentLoader {
    type Value = Arc<press_release::Body>;
    type Error = Arc<DbErr>;

    async fn load(
        &self,
        keys: &[ReleaseBody],
    ) -> Result<HashMap<ReleaseBody, Self::Value>, Self::Error> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        Ok(press_release::Entity::find()
            .filter(press_release::Column::Id.is_in(ids))
            .into_partial_model::<press_release::Body>()
            .all(self.snapshot.db())
            .await?
            .into_iter()
            .map(|body| (ReleaseBody(body.id), Arc::new(body)))
            .collect())
    }
}

macro_rules! children_loader {
    ($key:ident, $entity:ident, $column:ident, $order:ident, $owner:ident) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub struct $key(pub i64);

        impl Loader<$key> for ContentLoader {
            type Value = Vec<$entity::Model>;
            type Error = Arc<DbErr>;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, Self::Value>, Self::Error> {
                let owners: Vec<i64> = keys.iter().map(|k| k.0).collect();
                let mut grouped: HashMap<$key, Self::Value> =
                    keys.iter().map(|k| (*k, Vec::new())).collect();
                for model in $entity::Entity::find()
                    .filter($entity::Column::$column.is_in(owners))
                    .order_by_asc($entity::Column::$order)
                    .all(self.snapshot.db())
                    .await?
                {
                    grouped.entry($key(model.$owner)).or_default().push(model);
                }
                Ok(grouped)
            }
        }
    };
}

children_loader!(
    ReleaseTranslations,
    press_release_translation,
    PressReleaseId,
    Language,
    press_release_id
);
