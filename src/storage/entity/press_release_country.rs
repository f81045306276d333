//! `press_release_country` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "press_release_country")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub press_release_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub country_id: i64,
    /// Copy of the release's date, so the reverse index serves date order.
    pub release_date: Date,
    pub position: i16,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
