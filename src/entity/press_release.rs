//! `press_release` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "press_release")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub slug: String,
    pub title: String,
    /// The date readers see on the release (its dateline).
    pub date: Date,
    pub place: Option<String>,
    pub source_id: i64,
    pub language: String,
    pub summary: Option<String>,
    /// Sanitised on the way in; safe to render.
    pub body_html: String,
    /// Plain text derived from `body_html`, for search and text clients.
    pub body_text: String,
    pub published_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
