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
    /// `draft`, `scheduled`, `published` or `unpublished`: only published
    /// rows are public (see `storage::releases::PUBLIC`).
    pub status: String,
    /// When a scheduled release becomes public.
    pub publish_at: Option<DateTimeUtc>,
    /// Counts the saves of the release: what `If-Match` and
    /// `expectedVersion` compare.
    pub version: i64,
}

/// A release without its body: what lists and relations show. Bodies are
/// a few kilobytes each and most pages never show them, so they are read
/// apart (`Body`), only where asked for.
#[derive(Clone, Debug, PartialEq, Eq, DerivePartialModel)]
#[sea_orm(entity = "Entity")]
pub struct Head {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub date: Date,
    pub place: Option<String>,
    pub source_id: i64,
    pub language: String,
    pub summary: Option<String>,
    pub published_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// A release's body, in both forms.
#[derive(Clone, Debug, PartialEq, Eq, DerivePartialModel)]
#[sea_orm(entity = "Entity")]
pub struct Body {
    pub id: i64,
    pub body_html: String,
    pub body_text: String,
}

impl Model {
    /// The head and the body of a whole row.
    pub fn split(self) -> (Head, Body) {
        (
            Head {
                id: self.id,
                slug: self.slug,
                title: self.title,
                date: self.date,
                place: self.place,
                source_id: self.source_id,
                language: self.language,
                summary: self.summary,
                published_at: self.published_at,
                updated_at: self.updated_at,
            },
            Body {
                id: self.id,
                body_html: self.body_html,
                body_text: self.body_text,
            },
        )
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
