//! The root mutation type: editors' writes. Each takes the version the
//! editor saw (`expectedVersion`) and answers with the new state; a stale
//! version is `VERSION_CONFLICT` with `extensions.currentVersion`.

use async_graphql::{Context, InputObject, MaybeUndefined, Object, SimpleObject};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::{Edited, EditorialPressRelease, editor};
use crate::graphql::scalars::{Date, DateTime};
use crate::service::editorial::releases::{self, Created, Idempotency};

/// A press release in another language.
#[derive(InputObject)]
pub struct TranslationInput {
    /// Language tag (`ru`, `fr`, …).
    language: String,
    /// Headline in that language.
    title: String,
    /// Standfirst, if any.
    summary: Option<String>,
    /// HTML body (sanitised on the way in).
    body_html: String,
}

/// A press release's fields as an editor writes them. Creating needs
/// `title`, `date`, `source` and `bodyHtml` (`slug` is made from title and
/// date when left out; `language` is `en` by default). Updating sends only
/// what changes; `null` clears an optional field.
#[derive(InputObject, Default)]
pub struct PressReleaseInput {
    /// Stable identifier (lower-case words joined by hyphens); cannot change once created.
    slug: MaybeUndefined<String>,
    /// Headline, in `language`.
    title: MaybeUndefined<String>,
    /// The release's own date (its dateline).
    date: MaybeUndefined<Date>,
    /// Where it was issued.
    place: MaybeUndefined<String>,
    /// Slug of the issuing unit.
    source: MaybeUndefined<String>,
    /// Slugs of its fields of work.
    fields_of_work: MaybeUndefined<Vec<String>>,
    /// ISO 3166-1 alpha-2 codes of the countries it concerns.
    countries: MaybeUndefined<Vec<String>>,
    /// Slugs of the people it names.
    people: MaybeUndefined<Vec<String>>,
    /// Slugs of the meetings it is about.
    meetings: MaybeUndefined<Vec<String>>,
    /// Language tag of the original.
    language: MaybeUndefined<String>,
    /// Standfirst.
    summary: MaybeUndefined<String>,
    /// HTML body (sanitised on the way in).
    body_html: MaybeUndefined<String>,
    /// Versions in other languages (the whole list).
    translations: MaybeUndefined<Vec<TranslationInput>>,
}

impl PressReleaseInput {
    /// The fields with the interchange format's names: a JSON Merge Patch.
    fn into_fields(self) -> Map<String, Value> {
        let mut fields = Map::new();
        let mut put = |name: &str, value: MaybeUndefined<Value>| match value {
            MaybeUndefined::Undefined => {}
            MaybeUndefined::Null => {
                fields.insert(name.into(), Value::Null);
            }
            MaybeUndefined::Value(v) => {
                fields.insert(name.into(), v);
            }
        };
        let text = |v: MaybeUndefined<String>| v.map_value(Value::String);
        let list = |v: MaybeUndefined<Vec<String>>| v.map_value(|items| json!(items));
        put("slug", text(self.slug));
        put("title", text(self.title));
        put(
            "date",
            self.date
                .map_value(|d| Value::String(d.0.format("%Y-%m-%d").to_string())),
        );
        put("place", text(self.place));
        put("source", text(self.source));
        put("fields_of_work", list(self.fields_of_work));
        put("countries", list(self.countries));
        put("people", list(self.people));
        put("meetings", list(self.meetings));
        put("language", text(self.language));
        put("summary", text(self.summary));
        put("body_html", text(self.body_html));
        put(
            "translations",
            self.translations.map_value(|items| {
                Value::Array(
                    items
                        .into_iter()
                        .map(|t| {
                            json!({
                                "language": t.language,
                                "title": t.title,
                                "summary": t.summary,
                                "body_html": t.body_html,
                            })
                        })
                        .collect(),
                )
            }),
        );
        fields
    }
}

/// What a deletion leaves.
#[derive(SimpleObject)]
pub struct DeletedPressRelease {
    /// The deleted release's slug.
    pub slug: String,
    /// The version it had.
    pub deleted_version: i64,
}

/// Editors' writes of press releases.
#[derive(Default)]
pub struct ReleaseMutation;

fn db<'a>(ctx: &Context<'a>) -> &'a sea_orm::DatabaseConnection {
    &crate::graphql::context::state(ctx).db
}

#[Object]
impl ReleaseMutation {
    /// Creates a draft (scope `write`). With `idempotencyKey`, a retry of
    /// the same request within 24 hours answers with the release it created
    /// and creates nothing.
    async fn create_press_release(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The release's fields.")] input: PressReleaseInput,
        #[graphql(
            desc = "A key of the client's making (at most 255 characters): the same key with the same input is answered as the first time."
        )]
        idempotency_key: Option<String>,
    ) -> async_graphql::Result<EditorialPressRelease> {
        let editor = editor(ctx);
        let fields = input.into_fields();
        let idempotency = match idempotency_key {
            Some(key) if key.trim().is_empty() || key.len() > 255 => {
                return Err(crate::graphql::error::bad_input(
                    "`idempotencyKey` is 1 to 255 characters",
                ));
            }
            Some(key) => Some(Idempotency {
                key: key.trim().to_string(),
                request_hash: Sha256::digest(
                    format!(
                        "graphql createPressRelease\n{}",
                        Value::Object(fields.clone())
                    )
                    .as_bytes(),
                )
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect(),
            }),
            None => None,
        };
        let now = editor.clock.now();
        match releases::create(db(ctx), &editor.actor, &fields, idempotency, now)
            .await
            .edited()?
        {
            Created::New(release) => Ok(EditorialPressRelease(*release)),
            Created::Replayed(stored) => releases::replayed(db(ctx), &stored, now)
                .await
                .edited()?
                .map(EditorialPressRelease)
                .ok_or_else(|| {
                    crate::graphql::error::coded(
                        crate::graphql::error::NOT_FOUND,
                        "the release this key created is gone",
                    )
                }),
        }
    }

    /// Changes fields of a release (scope `write`; `publish` too if it is
    /// public or scheduled). Only the fields given change.
    async fn update_press_release(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The release's slug.")] slug: String,
        #[graphql(desc = "The version the change was made to.")] expected_version: i64,
        #[graphql(desc = "The fields to change; `null` clears one.")] input: PressReleaseInput,
    ) -> async_graphql::Result<EditorialPressRelease> {
        let editor = editor(ctx);
        let fields = input.into_fields();
        let release = releases::update(
            db(ctx),
            &editor.actor,
            &slug,
            expected_version,
            &fields,
            false,
            editor.clock.now(),
        )
        .await
        .edited()?;
        Ok(EditorialPressRelease(release))
    }

    /// Makes a release public now (scope `publish`).
    async fn publish_press_release(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The release's slug.")] slug: String,
        #[graphql(desc = "The version published.")] expected_version: i64,
    ) -> async_graphql::Result<EditorialPressRelease> {
        let editor = editor(ctx);
        let release = releases::publish(
            db(ctx),
            &editor.actor,
            &slug,
            expected_version,
            editor.clock.now(),
        )
        .await
        .edited()?;
        Ok(EditorialPressRelease(release))
    }

    /// Makes a release public at `publishAt`, a time to come (scope
    /// `publish`): on every replica from that moment.
    async fn schedule_press_release(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The release's slug.")] slug: String,
        #[graphql(desc = "The version scheduled.")] expected_version: i64,
        #[graphql(desc = "When it becomes public.")] publish_at: DateTime,
    ) -> async_graphql::Result<EditorialPressRelease> {
        let editor = editor(ctx);
        let release = releases::schedule(
            db(ctx),
            &editor.actor,
            &slug,
            expected_version,
            publish_at.0,
            editor.clock.now(),
        )
        .await
        .edited()?;
        Ok(EditorialPressRelease(release))
    }

    /// Withdraws a public or scheduled release (scope `publish`); it is
    /// kept and can be published again.
    async fn unpublish_press_release(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The release's slug.")] slug: String,
        #[graphql(desc = "The version withdrawn.")] expected_version: i64,
    ) -> async_graphql::Result<EditorialPressRelease> {
        let editor = editor(ctx);
        let release = releases::unpublish(
            db(ctx),
            &editor.actor,
            &slug,
            expected_version,
            editor.clock.now(),
        )
        .await
        .edited()?;
        Ok(EditorialPressRelease(release))
    }

    /// Deletes a release for good (scope `delete`).
    async fn delete_press_release(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The release's slug.")] slug: String,
        #[graphql(desc = "The version deleted.")] expected_version: i64,
    ) -> async_graphql::Result<DeletedPressRelease> {
        let editor = editor(ctx);
        let deleted_version = releases::delete(
            db(ctx),
            &editor.actor,
            &slug,
            expected_version,
            editor.clock.now(),
        )
        .await
        .edited()?;
        Ok(DeletedPressRelease {
            slug,
            deleted_version,
        })
    }

    /// Saves revision `version`'s content as a new revision (scope
    /// `write`; `publish` too if the release is public or scheduled).
    async fn restore_press_release_revision(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The release's slug.")] slug: String,
        #[graphql(desc = "The revision to restore.")] version: i64,
        #[graphql(desc = "The release's current version.")] expected_version: i64,
    ) -> async_graphql::Result<EditorialPressRelease> {
        let editor = editor(ctx);
        let release = releases::restore(
            db(ctx),
            &editor.actor,
            &slug,
            version,
            expected_version,
            editor.clock.now(),
        )
        .await
        .edited()?;
        Ok(EditorialPressRelease(release))
    }
}
