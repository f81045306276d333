//! Batched loads for every relation: whatever the page size, each relation
//! costs one query per request, not one per row.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, Value,
};

use crate::entity::{
    country, field_of_work, meeting, org_unit, person, press_release_translation, role,
};
use crate::storage::sql::{placeholders, query_all};

/// The one loader type; each key type below is a different batched query.
pub struct ContentLoader {
    pub db: DatabaseConnection,
}

macro_rules! by_id_loader {
    ($key:ident, $entity:ident) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub struct $key(pub i64);

        impl Loader<$key> for ContentLoader {
            type Value = $entity::Model;
            type Error = Arc<DbErr>;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, Self::Value>, Self::Error> {
                let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
                Ok($entity::Entity::find()
                    .filter($entity::Column::Id.is_in(ids))
                    .all(&self.db)
                    .await?
                    .into_iter()
                    .map(|m| ($key(m.id), m))
                    .collect())
            }
        }
    };
}

by_id_loader!(FieldOfWorkId, field_of_work);
by_id_loader!(CountryId, country);
by_id_loader!(OrgUnitId, org_unit);
by_id_loader!(PersonId, person);
by_id_loader!(MeetingId, meeting);

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
                Ok(links(&self.db, $table, $owner, $target, $order, &owners)
                    .await?
                    .into_iter()
                    .map(|(owner, targets)| ($key(owner), targets))
                    .collect())
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
link_loader!(
    MeetingFields,
    "meeting_field_of_work",
    "meeting_id",
    "field_of_work_id",
    "position"
);

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
                    .all(&self.db)
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
children_loader!(RolesOfPerson, role, PersonId, FromDate, person_id);
children_loader!(RolesInUnit, role, OrgUnitId, FromDate, org_unit_id);

/// Children of units: `parent_id` is nullable, so it gets its own loader.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ChildrenOf(pub i64);

impl Loader<ChildrenOf> for ContentLoader {
    type Value = Vec<org_unit::Model>;
    type Error = Arc<DbErr>;

    async fn load(
        &self,
        keys: &[ChildrenOf],
    ) -> Result<HashMap<ChildrenOf, Self::Value>, Self::Error> {
        let owners: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let mut grouped: HashMap<ChildrenOf, Self::Value> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for model in org_unit::Entity::find()
            .filter(org_unit::Column::ParentId.is_in(owners))
            .order_by_asc(org_unit::Column::Name)
            .all(&self.db)
            .await?
        {
            if let Some(parent) = model.parent_id {
                grouped.entry(ChildrenOf(parent)).or_default().push(model);
            }
        }
        Ok(grouped)
    }
}
