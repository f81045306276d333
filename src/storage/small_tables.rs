//! Every row of the small tables (taxonomy, structure, people and roles,
//! meetings), read in one consistent snapshot for the derived catalog.

use sea_orm::{DatabaseConnection, DbErr, EntityTrait, QueryOrder};

use super::entity::{
    country, field_of_work, meeting, meeting_field_of_work, org_unit, person, role,
};
use super::state;

pub struct SmallTables {
    /// The content generation the snapshot saw.
    pub generation: String,
    pub fields_of_work: Vec<field_of_work::Model>,
    pub countries: Vec<country::Model>,
    pub org_units: Vec<org_unit::Model>,
    pub people: Vec<person::Model>,
    /// By start date, then id.
    pub roles: Vec<role::Model>,
    pub meetings: Vec<meeting::Model>,
    /// By meeting, then position.
    pub meeting_fields: Vec<meeting_field_of_work::Model>,
}

pub async fn read(db: &DatabaseConnection) -> Result<SmallTables, DbErr> {
    let txn = super::begin_snapshot(db).await?;
    let tables = SmallTables {
        generation: state::content_generation(&txn).await?,
        fields_of_work: field_of_work::Entity::find().all(&txn).await?,
        countries: country::Entity::find().all(&txn).await?,
        org_units: org_unit::Entity::find().all(&txn).await?,
        people: person::Entity::find().all(&txn).await?,
        roles: role::Entity::find()
            .order_by_asc(role::Column::FromDate)
            .order_by_asc(role::Column::Id)
            .all(&txn)
            .await?,
        meetings: meeting::Entity::find().all(&txn).await?,
        meeting_fields: meeting_field_of_work::Entity::find()
            .order_by_asc(meeting_field_of_work::Column::MeetingId)
            .order_by_asc(meeting_field_of_work::Column::Position)
            .all(&txn)
            .await?,
    };
    txn.commit().await?;
    Ok(tables)
}
