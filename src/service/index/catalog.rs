//! A derived, in-memory copy of the small tables (taxonomy, structure,
//! people and their roles, meetings) for resolving relations without a
//! query per request.
//!
//! These tables hold thousands of rows, not millions, and change only on
//! writes. Like the release index, the catalog is a cache keyed by the
//! content version (the change log's head): when it moved, the catalog is
//! rebuilt in one consistent snapshot if a small table changed, or carried
//! over as it is if only press releases did. Losing it costs one rebuild.

use std::collections::HashMap;
use std::sync::Arc;

use sea_orm::{DatabaseConnection, DbErr};

use crate::model::RecordKind;
use crate::service::index::release_index::APPLY_AT_MOST;
use crate::service::version::derived::{
    DEFAULT_REBUILD_PATIENCE, Derived, Generational, PerGeneration,
};
use crate::storage::entity::{country, field_of_work, meeting, org_unit, person, role};
use crate::storage::{changes, small_tables};

/// The catalog at one version of the content. Its tables are shared with
/// the catalogs of later versions while only press releases change.
pub struct Catalog {
    generation: String,
    tables: Arc<CatalogTables>,
}

impl std::ops::Deref for Catalog {
    type Target = CatalogTables;
    fn deref(&self) -> &CatalogTables {
        &self.tables
    }
}

#[derive(Default)]
pub struct CatalogTables {
    pub fields_of_work: HashMap<i64, field_of_work::Model>,
    pub countries: HashMap<i64, country::Model>,
    pub org_units: HashMap<i64, org_unit::Model>,
    pub people: HashMap<i64, person::Model>,
    pub meetings: HashMap<i64, meeting::Model>,
    /// Children of each unit, by name (as the `children` field lists them).
    pub children: HashMap<i64, Vec<org_unit::Model>>,
    /// Roles of each person and in each unit, by start date then id.
    pub roles_of_person: HashMap<i64, Vec<role::Model>>,
    pub roles_in_unit: HashMap<i64, Vec<role::Model>>,
    /// Fields of work of each meeting, in their stored order.
    pub meeting_fields: HashMap<i64, Vec<i64>>,
    /// Public keys (slugs, ISO codes) → ids.
    pub field_of_work_ids: HashMap<String, i64>,
    pub country_ids: HashMap<String, i64>,
    pub org_unit_ids: HashMap<String, i64>,
    pub person_ids: HashMap<String, i64>,
    pub meeting_ids: HashMap<String, i64>,
    /// The most roles one person holds or one unit has (what the cost of a
    /// `roles` list assumes), counted once when the catalog is built.
    pub most_roles_per_holder: usize,
}

impl Generational for Catalog {
    fn generation(&self) -> &str {
        &self.generation
    }
}

impl CatalogTables {
    /// Units and all their descendants, sorted.
    pub fn with_descendants(&self, roots: &[i64]) -> Vec<i64> {
        let mut all = roots.to_vec();
        let mut i = 0;
        while i < all.len() {
            for child in self.children.get(&all[i]).into_iter().flatten() {
                if !all.contains(&child.id) {
                    all.push(child.id);
                }
            }
            i += 1;
        }
        all.sort_unstable();
        all
    }

    /// Every unit, by name.
    pub fn org_units_by_name(&self) -> Vec<&org_unit::Model> {
        let mut units: Vec<_> = self.org_units.values().collect();
        units.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        units
    }
}

fn by_id<M, F: Fn(&M) -> i64>(models: Vec<M>, id: F) -> HashMap<i64, M> {
    models.into_iter().map(|m| (id(&m), m)).collect()
}

/// Reads every small table in one consistent snapshot.
pub async fn build(db: &DatabaseConnection) -> Result<Catalog, DbErr> {
    let tables = small_tables::read(db).await?;
    let mut units = tables.org_units;
    // By name in code-point order, whatever the database's collation.
    units.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    let roles = tables.roles;
    let links = tables.meeting_fields;
    let generation = tables.generation;
    let mut catalog = CatalogTables {
        fields_of_work: by_id(tables.fields_of_work, |m| m.id),
        countries: by_id(tables.countries, |m| m.id),
        people: by_id(tables.people, |m| m.id),
        meetings: by_id(tables.meetings, |m| m.id),
        ..Default::default()
    };
    for unit in &units {
        if let Some(parent) = unit.parent_id {
            catalog
                .children
                .entry(parent)
                .or_default()
                .push(unit.clone());
        }
    }
    catalog.org_units = by_id(units, |m| m.id);
    for role in roles {
        catalog
            .roles_in_unit
            .entry(role.org_unit_id)
            .or_default()
            .push(role.clone());
        catalog
            .roles_of_person
            .entry(role.person_id)
            .or_default()
            .push(role);
    }
    let most = |lists: &HashMap<i64, Vec<role::Model>>| lists.values().map(Vec::len).max();
    catalog.most_roles_per_holder = most(&catalog.roles_of_person)
        .max(most(&catalog.roles_in_unit))
        .unwrap_or(0);
    let keys =
        |rows: Vec<(&String, i64)>| rows.into_iter().map(|(k, id)| (k.clone(), id)).collect();
    catalog.field_of_work_ids = keys(
        catalog
            .fields_of_work
            .values()
            .map(|m| (&m.slug, m.id))
            .collect(),
    );
    catalog.country_ids = keys(
        catalog
            .countries
            .values()
            .map(|m| (&m.code, m.id))
            .collect(),
    );
    catalog.org_unit_ids = keys(
        catalog
            .org_units
            .values()
            .map(|m| (&m.slug, m.id))
            .collect(),
    );
    catalog.person_ids = keys(catalog.people.values().map(|m| (&m.slug, m.id)).collect());
    catalog.meeting_ids = keys(catalog.meetings.values().map(|m| (&m.slug, m.id)).collect());
    for link in links {
        catalog
            .meeting_fields
            .entry(link.meeting_id)
            .or_default()
            .push(link.field_of_work_id);
    }
    Ok(Catalog {
        generation,
        tables: Arc::new(catalog),
    })
}

/// The catalog held, brought to the change log's head without reading the
/// small tables when only press releases changed since; `None` otherwise.
async fn restamped(db: &DatabaseConnection, held: &Catalog) -> Result<Option<Catalog>, DbErr> {
    let changes = changes::after(db, held.seq(), APPLY_AT_MOST + 1).await?;
    let only_releases = changes.len() as u64 <= APPLY_AT_MOST
        && changes
            .iter()
            .all(|c| c.change.kind == RecordKind::PressRelease);
    Ok(match changes.last() {
        Some(last) if only_releases => Some(Catalog {
            generation: last.seq.to_string(),
            tables: Arc::clone(&held.tables),
        }),
        _ => None,
    })
}

/// The shared, lazily (re)built catalog. One per process; cloning shares it.
#[derive(Clone, Default)]
pub struct CatalogCache(PerGeneration<Catalog>);

impl CatalogCache {
    /// The catalog at `generation`, just read from the database; rebuilt
    /// first if the content changed since it was built.
    pub async fn get_at(
        &self,
        db: &DatabaseConnection,
        generation: &str,
    ) -> Result<Derived<Catalog>, DbErr> {
        let conn = db.clone();
        // The small tables build in milliseconds: wait for it.
        self.0
            .get_at(
                db,
                generation,
                DEFAULT_REBUILD_PATIENCE,
                move |held| async move {
                    if let Some(held) = held
                        && let Some(next) = restamped(&conn, &held).await?
                    {
                        return Ok(next);
                    }
                    build(&conn).await
                },
            )
            .await
    }
}
