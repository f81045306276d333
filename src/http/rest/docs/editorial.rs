//! The OpenAPI description of editors' requests and answers: what a
//! release is written as, how it comes back (with its status and version),
//! revisions and the audit log.

use chrono::{DateTime, NaiveDate, Utc};
use utoipa::ToSchema;

use super::TranslationDoc;

/// A press release as an editor writes it: the interchange format's
/// writable fields. Creating needs `title`, `date`, `source` and
/// `body_html` (`slug` is made from title and date when left out,
/// `language` is `en` by default); PATCH sends only what changes (JSON Merge
/// Patch: `null` clears a field); PUT sends the whole release.
#[derive(ToSchema)]
#[schema(as = PressReleaseInput)]
pub struct PressReleaseInputDoc {
    /// Stable key; cannot change once the release exists.
    #[schema(pattern = "^[a-z0-9]+(-[a-z0-9]+)*$")]
    slug: Option<String>,
    /// Headline, in `language`.
    title: Option<String>,
    /// The release's own date (its dateline), YYYY-MM-DD.
    date: Option<NaiveDate>,
    /// Where it was issued.
    place: Option<String>,
    /// Slug of the issuing unit.
    source: Option<String>,
    /// Slugs of its fields of work.
    fields_of_work: Option<Vec<String>>,
    /// ISO 3166-1 alpha-2 codes of the countries it concerns.
    countries: Option<Vec<String>>,
    /// Slugs of the people it names.
    people: Option<Vec<String>>,
    /// Slugs of the meetings it is about.
    meetings: Option<Vec<String>>,
    /// Language tag of the original.
    language: Option<String>,
    /// Standfirst.
    summary: Option<String>,
    /// HTML body (sanitised on the way in).
    body_html: Option<String>,
    /// Versions in other languages.
    translations: Option<Vec<TranslationDoc>>,
}

/// A press release as editors read it: the release, where it stands, and
/// its version (also the `ETag`).
#[derive(ToSchema)]
#[schema(as = EditorialPressRelease)]
pub struct EditorialPressReleaseDoc {
    slug: String,
    title: String,
    date: NaiveDate,
    place: Option<String>,
    source: String,
    fields_of_work: Vec<String>,
    countries: Vec<String>,
    people: Vec<String>,
    meetings: Vec<String>,
    language: String,
    summary: Option<String>,
    body_html: String,
    translations: Vec<TranslationDoc>,
    /// When it was (or will be) first public.
    published_at: DateTime<Utc>,
    /// When it was last saved.
    updated_at: DateTime<Utc>,
    /// `draft`, `scheduled`, `published` or `unpublished`.
    status: String,
    /// When a scheduled release becomes public.
    publish_at: Option<DateTime<Utc>>,
    /// The release's version: send it back in `If-Match`.
    version: i64,
}

/// When to publish.
#[derive(ToSchema)]
#[schema(as = ScheduleRequest)]
pub struct ScheduleDoc {
    /// A time to come (RFC 3339).
    publish_at: DateTime<Utc>,
}

/// One save of a release.
#[derive(ToSchema)]
#[schema(as = Revision)]
pub struct RevisionDoc {
    /// The version this save made.
    version: i64,
    /// `create`, `update`, `publish`, `schedule`, `unpublish`, `restore` or `delete`.
    action: String,
    /// The name of the key that saved it.
    actor: String,
    /// The fields that changed.
    changed: Vec<String>,
    created_at: DateTime<Utc>,
    /// The release as saved (interchange format).
    record: Option<super::PressReleaseDoc>,
}

/// The revisions of a release, newest first.
#[derive(ToSchema)]
#[schema(as = RevisionList)]
pub struct RevisionListDoc {
    items: Vec<RevisionDoc>,
}

/// A release in an editor's list.
#[derive(ToSchema)]
#[schema(as = EditorialListItem)]
pub struct EditorialItemDoc {
    slug: String,
    title: String,
    status: String,
    publish_at: Option<DateTime<Utc>>,
    version: i64,
    updated_at: DateTime<Utc>,
}

/// One page of an editor's list, in slug order.
#[derive(ToSchema)]
#[schema(as = EditorialListPage)]
pub struct EditorialPageDoc {
    items: Vec<EditorialItemDoc>,
    /// The URL of the next page, `null` on the last.
    next: Option<String>,
}

/// One write, as the audit log keeps it.
#[derive(ToSchema)]
#[schema(as = AuditEntry)]
pub struct AuditEntryDoc {
    /// Increasing; page with `after`.
    id: i64,
    at: DateTime<Utc>,
    /// The key's name (`scheduler` for scheduled publication).
    actor: String,
    /// `api`, `cli`, `import` or `schedule`.
    origin: String,
    action: String,
    /// The record's type (`press_release`).
    kind: String,
    /// The record's key.
    key: String,
    version_from: Option<i64>,
    version_to: Option<i64>,
    request_id: Option<String>,
}

/// One page of the audit log, oldest first.
#[derive(ToSchema)]
#[schema(as = AuditPage)]
pub struct AuditPageDoc {
    items: Vec<AuditEntryDoc>,
    /// The URL of the next page, `null` on the last.
    next: Option<String>,
}

/// A translation as an editor writes it: `language` on `POST` only (the
/// address names it after that).
#[derive(ToSchema)]
#[schema(as = TranslationInput)]
pub struct TranslationInputDoc {
    /// Language tag (BCP 47): `POST` only, never the release's own language.
    language: Option<String>,
    /// Headline in that language.
    title: Option<String>,
    /// Standfirst; `null` clears it.
    summary: Option<String>,
    /// HTML body, sanitised on the way in.
    body_html: Option<String>,
}

/// One translation of a release, with its own version.
#[derive(ToSchema)]
#[schema(as = EditorialTranslation)]
pub struct EditorialTranslationDoc {
    /// The release's slug.
    release: String,
    /// Language tag.
    language: String,
    title: String,
    summary: Option<String>,
    /// Sanitised HTML body.
    body_html: String,
    /// The translation's version (the release's is separate).
    version: i64,
}

/// The translations of a release.
#[derive(ToSchema)]
#[schema(as = EditorialTranslationList)]
pub struct EditorialTranslationListDoc {
    items: Vec<EditorialTranslationDoc>,
}
