use crate::graphql::release_list::object_with_release_list;
use crate::graphql::scalars::Date;
use async_graphql::{Context, ID, Object};

use super::{Country, FieldOfWork, OrgUnit, catalog_in_order, load_country, load_unit};
use crate::domain::{MeetingKind, Pinned};
use crate::graphql::context::catalog;
use crate::graphql::ids::global_id;
use crate::storage::entity::meeting;

/// A meeting or conference (a Ministerial Council, a Permanent Council plenary, a visit…).
#[derive(Clone)]
pub struct Meeting(pub meeting::Model);

object_with_release_list! {
    /// A meeting or conference (a Ministerial Council, a Permanent Council plenary, a visit…).
    #[Object]
    impl Meeting {
        /// Opaque, stable global ID.
        pub async fn id(&self) -> ID {
            global_id("Meeting", &self.0.slug)
        }
        /// Stable identifier.
        async fn slug(&self) -> &str {
            &self.0.slug
        }
        /// Name of the meeting.
        async fn title(&self) -> &str {
            &self.0.title
        }
        /// The series the meeting belongs to; `OTHER` for one-off meetings.
        async fn kind(&self) -> Option<MeetingKind> {
            MeetingKind::parse(&self.0.kind)
        }
        /// First day.
        async fn start_date(&self) -> Date {
            Date(self.0.start_date)
        }
        /// Last day (the same as `startDate` for a one-day meeting).
        async fn end_date(&self) -> Date {
            Date(self.0.end_date)
        }
        /// City or venue.
        async fn place(&self) -> Option<&str> {
            self.0.place.as_deref()
        }
        /// The host country.
        async fn country(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Country>> {
            load_country(ctx, self.0.country_id).await
        }
        /// The unit that convened it.
        async fn org_unit(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<OrgUnit>> {
            match self.0.org_unit_id {
                Some(id) => load_unit(ctx, id).await,
                None => Ok(None),
            }
        }
        /// Fields of work the meeting is about.
        async fn fields_of_work(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<FieldOfWork>> {
            let ids = catalog(ctx).await?.meeting_fields.get(&self.0.id).cloned();
            catalog_in_order(
                ctx,
                &ids.unwrap_or_default(),
                |c| &c.fields_of_work,
                FieldOfWork,
            )
            .await
        }
    }
    /// Press releases about this meeting, with any further filter.
    press_releases(self, ctx) => { Some(Pinned::Meeting(self.0.id)) }
}
