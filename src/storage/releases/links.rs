//! A page's worth of release relations, bodies and translations, each in
//! one query (the GraphQL DataLoaders batch their keys into these).

use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Value};

use super::super::entity::{press_release, press_release_translation};
use super::super::sql::{placeholders, query_all};
use super::RELEASE_JUNCTIONS;
use crate::domain::ReleaseRelation;

/// `release id → [target ids]` of `relation`, in stored order; every owner
/// asked for is in the map (with no targets if it has none).
pub async fn linked_ids(
    conn: &impl ConnectionTrait,
    relation: ReleaseRelation,
    owners: &[i64],
) -> Result<HashMap<i64, Vec<i64>>, DbErr> {
    let (table, target, _, _) = RELEASE_JUNCTIONS[relation as usize];
    let mut grouped: HashMap<i64, Vec<i64>> = owners.iter().map(|&id| (id, Vec::new())).collect();
    if owners.is_empty() {
        return Ok(grouped);
    }
    let sql = format!(
        "SELECT press_release_id AS owner, {target} AS target FROM {table} \
         WHERE press_release_id IN ({}) ORDER BY press_release_id, position",
        placeholders(owners.len())
    );
    let values: Vec<Value> = owners.iter().map(|&id| id.into()).collect();
    for row in query_all(conn, &sql, values).await? {
        let owner: i64 = row.try_get("", "owner")?;
        grouped
            .entry(owner)
            .or_default()
            .push(row.try_get("", "target")?);
    }
    Ok(grouped)
}

/// The bodies of these releases (lists read releases without them).
pub async fn bodies(
    conn: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<Vec<press_release::Body>, DbErr> {
    press_release::Entity::find()
        .filter(press_release::Column::Id.is_in(ids.to_vec()))
        .into_partial_model::<press_release::Body>()
        .all(conn)
        .await
}

/// The translations of these releases, by language.
pub async fn translations(
    conn: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<Vec<press_release_translation::Model>, DbErr> {
    press_release_translation::Entity::find()
        .filter(press_release_translation::Column::PressReleaseId.is_in(ids.to_vec()))
        .order_by_asc(press_release_translation::Column::Language)
        .all(conn)
        .await
}
