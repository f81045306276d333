//! What editors see in GraphQL: a release with its status and version,
//! revisions, the list of releases of any status, and the mutations
//! (`mutation.rs`). Resolvers are thin: the rules are in
//! `service::editorial`. Everything here is `private` for caches: an
//! answer for one key is never kept or shared.

mod mutation;
mod records;
mod translations;
pub mod webhooks;

pub use mutation::ReleaseMutation;
pub use records::RecordMutation;
pub use translations::TranslationMutation;
pub use webhooks::WebhookMutation;

/// Everything editors can change. Each mutation needs an API key
/// (`Authorization: Bearer osce_…`) with the scope named, and answers with
/// the new state and its version; a stale `expectedVersion` is
/// `VERSION_CONFLICT`.
#[derive(async_graphql::MergedObject, Default)]
#[graphql(name = "Mutation")]
pub struct Mutation(
    ReleaseMutation,
    TranslationMutation,
    RecordMutation,
    WebhookMutation,
);

use async_graphql::{Context, Enum, ErrorExtensions, Object, SimpleObject};

use super::error::{coded, internal, unavailable};
use super::scalars::DateTime;
use super::types::PressRelease;
use crate::service::auth::Scope;
use crate::service::clock::Clock;
use crate::service::editorial::releases::{self, EditorialRelease};
use crate::service::editorial::{Actor, EditError, Status};
use crate::storage;

/// Who is asking, and the time they ask at: given to every GraphQL request
/// by the HTTP layer.
#[derive(Clone, Debug)]
pub struct Editor {
    pub actor: Actor,
    pub clock: Clock,
    /// Where webhooks may go (for registering them).
    pub webhooks: crate::service::webhooks::WebhookSettings,
}

impl Editor {
    /// Anonymous, at the system's time (a request run outside HTTP).
    pub fn anonymous() -> Self {
        Self {
            actor: Actor::api(None, None),
            clock: Clock::system(),
            webhooks: Default::default(),
        }
    }
}

pub(super) fn editor<'a>(ctx: &Context<'a>) -> std::borrow::Cow<'a, Editor> {
    match ctx.data_opt::<Editor>() {
        Some(editor) => std::borrow::Cow::Borrowed(editor),
        None => std::borrow::Cow::Owned(Editor::anonymous()),
    }
}

/// `fields_of_work` → `fieldsOfWork`; `translations[0].body_html` →
/// `translations[0].bodyHtml`: error fields named as the inputs are.
fn camel_case(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut upper = false;
    for c in field.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// `?` for the service's refusals, with their codes. (async-graphql turns
/// any `Display` error into a plain one; this keeps the code.)
pub(super) trait Edited<T> {
    fn edited(self) -> async_graphql::Result<T>;
}

impl<T> Edited<T> for Result<T, EditError> {
    fn edited(self) -> async_graphql::Result<T> {
        self.map_err(edit_error)
    }
}

fn edit_error(error: EditError) -> async_graphql::Error {
    {
        let message = error.to_string();
        match error {
            EditError::Unauthenticated => coded("UNAUTHENTICATED", message),
            EditError::Forbidden(scope) => {
                coded("FORBIDDEN", message).extend_with(|_, e| e.set("scope", scope.as_str()))
            }
            EditError::NotFound(_) => coded(super::error::NOT_FOUND, message),
            EditError::Invalid(fields) => {
                let named: Vec<(String, String)> = fields
                    .iter()
                    .map(|f| (camel_case(&f.field), f.message.clone()))
                    .collect();
                let message = format!(
                    "{} field(s) are not valid: {}",
                    named.len(),
                    named
                        .iter()
                        .map(|(field, message)| format!("{field} {message}"))
                        .collect::<Vec<_>>()
                        .join("; ")
                );
                let list: Vec<async_graphql::Value> = named
                    .into_iter()
                    .map(|(field, message)| {
                        let mut object = async_graphql::indexmap::IndexMap::new();
                        object.insert(async_graphql::Name::new("field"), field.into());
                        object.insert(async_graphql::Name::new("message"), message.into());
                        async_graphql::Value::Object(object)
                    })
                    .collect();
                coded(super::error::BAD_USER_INPUT, message)
                    .extend_with(|_, e| e.set("fields", async_graphql::Value::List(list)))
            }
            EditError::VersionConflict { current, .. } => coded("VERSION_CONFLICT", message)
                .extend_with(|_, e| e.set("currentVersion", current)),
            EditError::SlugTaken(_) => coded("SLUG_TAKEN", message),
            EditError::WrongState(_) => coded("INVALID_STATE", message),
            EditError::IdempotencyKeyReused => coded("IDEMPOTENCY_KEY_REUSED", message),
            EditError::Database(cause) => {
                if storage::is_unavailable(&cause) {
                    unavailable(&cause)
                } else {
                    internal(&cause)
                }
            }
        }
    }
}

/// Where a release stands.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(name = "PublicationStatus")]
pub enum PublicationStatus {
    /// Not public; being written.
    Draft,
    /// Public from `publishAt`.
    Scheduled,
    /// Public.
    Published,
    /// Withdrawn after publication: not public.
    Unpublished,
}

impl From<Status> for PublicationStatus {
    fn from(status: Status) -> Self {
        match status {
            Status::Draft => PublicationStatus::Draft,
            Status::Scheduled => PublicationStatus::Scheduled,
            Status::Published => PublicationStatus::Published,
            Status::Unpublished => PublicationStatus::Unpublished,
        }
    }
}

impl From<PublicationStatus> for Status {
    fn from(status: PublicationStatus) -> Self {
        match status {
            PublicationStatus::Draft => Status::Draft,
            PublicationStatus::Scheduled => Status::Scheduled,
            PublicationStatus::Published => Status::Published,
            PublicationStatus::Unpublished => Status::Unpublished,
        }
    }
}

/// Wraps the service's view of a release for the schema.
pub struct EditorialPressRelease(pub EditorialRelease);

/// A press release as its editors see it: whatever its status, with its
/// version (send it back as `expectedVersion` to change it).
#[Object(cache_control(private))]
impl EditorialPressRelease {
    /// Stable identifier.
    async fn slug(&self) -> &str {
        self.0.record.slug.as_str()
    }
    /// Where the release stands.
    async fn status(&self) -> PublicationStatus {
        self.0.status.into()
    }
    /// When a scheduled release becomes public.
    async fn publish_at(&self) -> Option<DateTime> {
        self.0.publish_at.map(DateTime)
    }
    /// Counts the saves: every change takes the version it replaces.
    async fn version(&self) -> i64 {
        self.0.version
    }
    /// The release as it reads (drafts included; needs `read:drafts` unless
    /// it is public).
    async fn content(&self, ctx: &Context<'_>) -> async_graphql::Result<PressRelease> {
        if !self.0.status.is_public() {
            editor(ctx).actor.require(Scope::ReadDrafts).edited()?;
        }
        let db = &super::context::state(ctx).db;
        match storage::releases::any_status_by_slug(db, self.0.record.slug.as_str()).await {
            Ok(Some(model)) => Ok(PressRelease::from_model(model)),
            Ok(None) => Err(coded(
                super::error::NOT_FOUND,
                format!("press release `{}` is gone", self.0.record.slug),
            )),
            Err(error) => Err(internal(&error)),
        }
    }
    /// Its translations, each with its own version (those of a release not
    /// public need `read:drafts`).
    async fn translations(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<translations::PressReleaseTranslation>> {
        translations::translations_of(ctx, self.0.record.slug.as_str()).await
    }
    /// Every save, newest first (needs `read:drafts`).
    async fn revisions(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Revision>> {
        let db = &super::context::state(ctx).db;
        let editor = editor(ctx);
        Ok(
            releases::revisions(db, &editor.actor, self.0.record.slug.as_str())
                .await
                .edited()?
                .into_iter()
                .map(|r| Revision {
                    version: r.version,
                    action: r.action,
                    actor: r.actor,
                    changed: r.changed,
                    created_at: DateTime(r.created_at),
                })
                .collect(),
        )
    }
}

/// One save of a release.
#[derive(SimpleObject)]
#[graphql(cache_control(private))]
pub struct Revision {
    /// The version this save made.
    pub version: i64,
    /// `create`, `update`, `publish`, `schedule`, `unpublish`, `restore` or `delete`.
    pub action: String,
    /// The name of the key that saved it.
    pub actor: String,
    /// The fields that changed (the interchange format's names).
    pub changed: Vec<String>,
    /// When.
    pub created_at: DateTime,
}

/// A release in an editor's list.
#[derive(SimpleObject)]
#[graphql(cache_control(private))]
pub struct EditorialListItem {
    /// Stable identifier.
    pub slug: String,
    /// Headline.
    pub title: String,
    /// Where it stands.
    pub status: PublicationStatus,
    /// When a scheduled release becomes public.
    pub publish_at: Option<DateTime>,
    /// Its version.
    pub version: i64,
    /// When it was last saved.
    pub updated_at: DateTime,
}

/// One page of an editor's list, in slug order.
#[derive(SimpleObject)]
#[graphql(cache_control(private))]
pub struct EditorialListPage {
    /// The releases of this page.
    pub items: Vec<EditorialListItem>,
    /// Pass as `after` for the next page; null on the last.
    pub next_cursor: Option<String>,
}

/// The editorial reads of the root query.
pub(super) async fn editorial_release(
    ctx: &Context<'_>,
    slug: &str,
) -> async_graphql::Result<EditorialPressRelease> {
    let editor = editor(ctx);
    let db = &super::context::state(ctx).db;
    Ok(EditorialPressRelease(
        releases::get(db, &editor.actor, slug, editor.clock.now())
            .await
            .edited()?,
    ))
}

pub(super) async fn editorial_list(
    ctx: &Context<'_>,
    status: Option<Vec<PublicationStatus>>,
    first: i32,
    after: Option<String>,
) -> async_graphql::Result<EditorialListPage> {
    if !(1..=500).contains(&first) {
        return Err(super::error::bad_input("`first` is 1 to 500"));
    }
    let editor = editor(ctx);
    let db = &super::context::state(ctx).db;
    let statuses: Vec<Status> = status
        .unwrap_or_default()
        .into_iter()
        .map(Status::from)
        .collect();
    let limit = first as u64;
    let rows = releases::list(db, &editor.actor, &statuses, after.as_deref(), limit + 1)
        .await
        .edited()?;
    let more = rows.len() as u64 > limit;
    let items: Vec<EditorialListItem> = rows
        .into_iter()
        .take(limit as usize)
        .map(|r| EditorialListItem {
            status: Status::parse(&r.status).unwrap_or(Status::Draft).into(),
            slug: r.slug,
            title: r.title,
            publish_at: r.publish_at.map(DateTime),
            version: r.version,
            updated_at: DateTime(r.updated_at),
        })
        .collect();
    let next_cursor = if more {
        items.last().map(|i| i.slug.clone())
    } else {
        None
    };
    Ok(EditorialListPage { items, next_cursor })
}

#[cfg(test)]
mod tests {
    #[test]
    fn field_names_follow_graphql() {
        assert_eq!(super::camel_case("fields_of_work"), "fieldsOfWork");
        assert_eq!(
            super::camel_case("translations[0].body_html"),
            "translations[0].bodyHtml"
        );
    }
}
