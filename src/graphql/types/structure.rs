use crate::graphql::release_list::object_with_release_list;
use async_graphql::{Context, ID, Object};
use chrono::NaiveDate;

use crate::graphql::scalars::Date;

use super::{Country, Role, load_country, load_unit};
use crate::domain::{OrgUnitKind, Pinned};
use crate::graphql::context::catalog;
use crate::graphql::error::internal;
use crate::graphql::ids::global_id;
use crate::graphql::types::people::is_active;
use crate::storage::entity::{chairpersonship, org_unit};

/// A unit of the organisational structure: the Chairpersonship, the
/// Secretariat and its departments, an institution, a field operation, the
/// Parliamentary Assembly, a group such as the Minsk Group…
#[derive(Clone)]
pub struct OrgUnit(pub org_unit::Model);

object_with_release_list! {
    /// A unit of the organisational structure: the Chairpersonship, the
    /// Secretariat and its departments, an institution, a field operation, the
    /// Parliamentary Assembly, a group such as the Minsk Group…
    #[Object]
    impl OrgUnit {
        /// Opaque, stable global ID.
        pub async fn id(&self) -> ID {
            global_id("OrgUnit", &self.0.slug)
        }
        /// Stable identifier, e.g. `mission-to-moldova`.
        async fn slug(&self) -> &str {
            &self.0.slug
        }
        /// English name, as on osce.org.
        async fn name(&self) -> &str {
            &self.0.name
        }
        /// What kind of unit it is.
        async fn kind(&self) -> Option<OrgUnitKind> {
            OrgUnitKind::parse(&self.0.kind)
        }
        /// One or two sentences on what the unit does.
        async fn description(&self) -> Option<&str> {
            self.0.description.as_deref()
        }
        /// The day the unit closed (closed field activities); null while open.
        async fn closed_on(&self) -> Option<Date> {
            self.0.closed_on.map(Date)
        }
        /// The host country of a field operation.
        async fn country(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Country>> {
            load_country(ctx, self.0.country_id).await
        }
        /// The unit directly above; null at the top.
        async fn parent(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<OrgUnit>> {
            match self.0.parent_id {
                Some(id) => load_unit(ctx, id).await,
                None => Ok(None),
            }
        }
        /// All units above, nearest first.
        async fn ancestors(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<OrgUnit>> {
            let mut ancestors = Vec::new();
            let mut next = self.0.parent_id;
            while let Some(id) = next {
                if ancestors.len() > 64 {
                    return Err(internal(&"org unit ancestry too deep"));
                }
                let unit = load_unit(ctx, id)
                    .await?
                    .ok_or_else(|| internal(&"dangling parent"))?;
                next = unit.0.parent_id;
                ancestors.push(unit);
            }
            Ok(ancestors)
        }
        /// The units directly below, by name. With `asOf`, only those open on that day.
        async fn children(
            &self,
            ctx: &Context<'_>,
            #[graphql(desc = "Only children open on this day (not closed on or before it); all children when omitted.")]
            as_of: Option<Date>,
        ) -> async_graphql::Result<Vec<OrgUnit>> {
            let catalog = catalog(ctx).await?;
            let children = catalog.children.get(&self.0.id).map(Vec::as_slice);
            Ok(children
                .unwrap_or_default()
                .iter()
                .filter(|u| is_open(u, as_of.map(|d| d.0)))
                .cloned()
                .map(OrgUnit)
                .collect())
        }
        /// Roles held in this unit, earliest first. With `activeOn`, only those held on that day.
        async fn roles(
            &self,
            ctx: &Context<'_>,
            #[graphql(desc = "Only roles held on this day (all, past and present, when omitted).")]
            active_on: Option<Date>,
        ) -> async_graphql::Result<Vec<Role>> {
            let catalog = catalog(ctx).await?;
            let roles = catalog.roles_in_unit.get(&self.0.id).map(Vec::as_slice);
            Ok(roles
                .unwrap_or_default()
                .iter()
                .filter(|r| active_on.is_none_or(|d| is_active(r, d.0)))
                .cloned()
                .map(Role)
                .collect())
        }
    }
    /// Press releases issued by this unit (and, with `includeDescendants`, by the units below it).
    press_releases(self, ctx, #[graphql(default, desc = "Also the releases of the units below this one (its whole subtree).")] include_descendants: bool) => {
        let units = if include_descendants {
            catalog(ctx).await?.with_descendants(&[self.0.id])
        } else {
            vec![self.0.id]
        };
        Some(Pinned::Sources(units))
    }
}

/// Open on `day` (or at all, without a day): not closed by then.
pub fn is_open(unit: &org_unit::Model, day: Option<NaiveDate>) -> bool {
    match day {
        Some(day) => unit.closed_on.is_none_or(|closed| closed > day),
        None => true,
    }
}

/// The participating State holding the OSCE Chairpersonship in a year.
#[derive(Clone)]
pub struct Chairpersonship(pub chairpersonship::Model);

/// The participating State holding the OSCE Chairpersonship in a year.
#[Object]
impl Chairpersonship {
    /// Opaque, stable global ID.
    pub async fn id(&self) -> ID {
        global_id("Chairpersonship", &self.0.year.to_string())
    }
    /// The calendar year.
    async fn year(&self) -> i32 {
        self.0.year
    }
    /// The participating State holding it.
    async fn country(&self, ctx: &Context<'_>) -> async_graphql::Result<Country> {
        load_country(ctx, Some(self.0.country_id))
            .await?
            .ok_or_else(|| internal(&"chairpersonship without country"))
    }
}
