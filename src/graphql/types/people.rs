use crate::graphql::release_list::object_with_release_list;
use async_graphql::{Context, ID, Object};
use chrono::NaiveDate;

use crate::graphql::scalars::Date;

use super::{Country, OrgUnit, load_country, load_unit};
use crate::domain::Pinned;
use crate::graphql::context::catalog;
use crate::graphql::error::internal;
use crate::graphql::ids::global_id;
use crate::storage::entity::{person, role};

/// A person who speaks in press releases: a co-chair, a head of mission, a Secretary General…
#[derive(Clone)]
pub struct Person(pub person::Model);

object_with_release_list! {
    /// A person who speaks in press releases: a co-chair, a head of mission, a Secretary General…
    #[Object]
    impl Person {
        /// Opaque, stable global ID.
        pub async fn id(&self) -> ID {
            global_id("Person", &self.0.slug)
        }
        /// Stable identifier, e.g. `igor-popov`.
        async fn slug(&self) -> &str {
            &self.0.slug
        }
        /// Full name.
        async fn name(&self) -> &str {
            &self.0.name
        }
        /// Roles held over time, earliest first. With `activeOn`, only those held on that day.
        async fn roles(
            &self,
            ctx: &Context<'_>,
            #[graphql(desc = "Only roles held on this day (all, past and present, when omitted).")]
            active_on: Option<Date>,
        ) -> async_graphql::Result<Vec<Role>> {
            let catalog = catalog(ctx).await?;
            let roles = catalog.roles_of_person.get(&self.0.id).map(Vec::as_slice);
            Ok(roles
                .unwrap_or_default()
                .iter()
                .filter(|r| active_on.is_none_or(|d| is_active(r, d.0)))
                .cloned()
                .map(Role)
                .collect())
        }
    }
    /// Press releases naming this person, with any further filter.
    press_releases(self, ctx) => { Some(Pinned::Person(self.0.id)) }
}

pub fn is_active(role: &role::Model, day: NaiveDate) -> bool {
    role.from_date <= day && role.to_date.is_none_or(|to| to >= day)
}

/// A position a person held in a unit for a time: "Co-Chair of the Minsk
/// Group, representing the Russian Federation, from … to …".
#[derive(Clone)]
pub struct Role(pub role::Model);

/// A position a person held in a unit for a time: "Co-Chair of the Minsk
/// Group, representing the Russian Federation, from … to …".
#[Object]
impl Role {
    /// E.g. "Co-Chair", "Head of Mission", "Secretary General".
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// First day in the role.
    async fn from(&self) -> Date {
        Date(self.0.from_date)
    }
    /// Last day in the role; null while it is held.
    async fn to(&self) -> Option<Date> {
        self.0.to_date.map(Date)
    }
    /// Whether the role has no end date.
    async fn is_current(&self) -> bool {
        self.0.to_date.is_none()
    }
    /// Who held the role.
    async fn person(&self, ctx: &Context<'_>) -> async_graphql::Result<Person> {
        catalog(ctx)
            .await?
            .people
            .get(&self.0.person_id)
            .cloned()
            .map(Person)
            .ok_or_else(|| internal(&"role without its person"))
    }
    /// The unit the role is in.
    async fn org_unit(&self, ctx: &Context<'_>) -> async_graphql::Result<OrgUnit> {
        load_unit(ctx, self.0.org_unit_id)
            .await?
            .ok_or_else(|| internal(&"role without its unit"))
    }
    /// The State the person represents in this role (a co-chair's country), if any.
    async fn representing(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Country>> {
        load_country(ctx, self.0.country_id).await
    }
}
