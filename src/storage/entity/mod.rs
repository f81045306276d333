//! sea-orm entities, one per table. These are storage types: the GraphQL and
//! REST layers map them to their own public types, so a column rename never
//! becomes a breaking API change.

pub mod app_state;
pub mod chairpersonship;
pub mod country;
pub mod field_of_work;
pub mod meeting;
pub mod meeting_field_of_work;
pub mod org_unit;
pub mod person;
pub mod press_release;
pub mod press_release_country;
pub mod press_release_field_of_work;
pub mod press_release_meeting;
pub mod press_release_person;
pub mod press_release_translation;
pub mod role;
