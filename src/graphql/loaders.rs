//! Batched loads for every relation: whatever the page size, each relation
//! costs at most one query per request, not one per row, and relations to
//! the small tables none (they come from the catalog).

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use sea_orm::DbErr;

use crate::domain::ReleaseRelation;
use crate::service::snapshot::Snapshot;
use crate::storage::entity::{press_release, press_release_translation};
use crate::storage::releases;

/// The one loader type; each key type below is a different batched query
/// about releases. It also holds the request's snapshot, through which the
/// small tables come from the catalog (no query at all).
pub struct ContentLoader {
    pub snapshot: Snapshot,
}

macro_rules! link_loader {
    ($key:ident, $relation:expr) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub struct $key(pub i64);

        impl Loader<$key> for ContentLoader {
            type Value = Vec<i64>;
            type Error = Arc<DbErr>;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, Self::Value>, Self::Error> {
                let owners: Vec<i64> = keys.iter().map(|k| k.0).collect();
                Ok(releases::linked_ids(self.snapshot.db(), $relation, &owners)
                    .await?
                    .into_iter()
                    .map(|(owner, targets)| ($key(owner), targets))
                    .collect())
            }
        }
    };
}

link_loader!(ReleaseFields, ReleaseRelation::FieldsOfWork);
link_loader!(ReleaseCountries, ReleaseRelation::Countries);
link_loader!(ReleasePeople, ReleaseRelation::People);
link_loader!(ReleaseMeetings, ReleaseRelation::Meetings);

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
        Ok(releases::bodies(self.snapshot.db(), &ids)
            .await?
            .into_iter()
            .map(|body| (ReleaseBody(body.id), Arc::new(body)))
            .collect())
    }
}

/// A release's translations, by language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ReleaseTranslations(pub i64);

impl Loader<ReleaseTranslations> for ContentLoader {
    type Value = Vec<press_release_translation::Model>;
    type Error = Arc<DbErr>;

    async fn load(
        &self,
        keys: &[ReleaseTranslations],
    ) -> Result<HashMap<ReleaseTranslations, Self::Value>, Self::Error> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let mut grouped: HashMap<ReleaseTranslations, Self::Value> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for model in releases::translations(self.snapshot.db(), &ids).await? {
            grouped
                .entry(ReleaseTranslations(model.press_release_id))
                .or_default()
                .push(model);
        }
        Ok(grouped)
    }
}
