use crate::graphql::release_list::object_with_release_list;
use async_graphql::{ID, Object};

use crate::domain::{CountryStatus, Pinned};
use crate::graphql::ids::global_id;
use crate::storage::entity::{country, field_of_work};

/// A field of work: one of the OSCE's thematic areas (e.g. "Conflict prevention and resolution").
#[derive(Clone)]
pub struct FieldOfWork(pub field_of_work::Model);

object_with_release_list! {
    /// A field of work: one of the OSCE's thematic areas (e.g. "Conflict prevention and resolution").
    #[Object]
    impl FieldOfWork {
        /// Opaque, stable global ID.
        pub async fn id(&self) -> ID {
            global_id("FieldOfWork", &self.0.slug)
        }
        /// Stable identifier, e.g. `conflict-prevention-and-resolution`.
        async fn slug(&self) -> &str {
            &self.0.slug
        }
        /// English name, as on osce.org.
        async fn name(&self) -> &str {
            &self.0.name
        }
    }
    /// Press releases in this field of work, with any further filter.
    press_releases(self, ctx) => { Some(Pinned::FieldOfWork(self.0.id)) }
}

/// A participating State or a Partner for Co-operation.
#[derive(Clone)]
pub struct Country(pub country::Model);

object_with_release_list! {
    /// A participating State or a Partner for Co-operation.
    #[Object]
    impl Country {
        /// Opaque, stable global ID.
        pub async fn id(&self) -> ID {
            global_id("Country", &self.0.code)
        }
        /// ISO 3166-1 alpha-2 code, e.g. `AM`; `VA` is the Holy See.
        async fn code(&self) -> &str {
            &self.0.code
        }
        /// Stable identifier, e.g. `armenia`.
        async fn slug(&self) -> &str {
            &self.0.slug
        }
        /// English name, as on osce.org.
        async fn name(&self) -> &str {
            &self.0.name
        }
        /// Participating State, or Asian or Mediterranean Partner for Co-operation.
        async fn status(&self) -> Option<CountryStatus> {
            CountryStatus::parse(&self.0.status)
        }
    }
    /// Press releases about this country, with any further filter.
    press_releases(self, ctx) => { Some(Pinned::Country(self.0.id)) }
}
