//! Editors' writes of one translation of a press release: added, changed
//! and removed on its own, with its own version (`expectedVersion` is the
//! translation's, never the release's).

use async_graphql::{Context, InputObject, MaybeUndefined, Object, SimpleObject};
use serde_json::{Map, Value};

use super::{Edited, editor};
use crate::service::editorial::translations::{self, EditorialTranslation, Expect};

/// A translation's fields as an editor changes them: only those given
/// change; `null` clears the summary.
#[derive(InputObject, Default)]
pub struct TranslationPatchInput {
    /// Headline in the translation's language.
    title: MaybeUndefined<String>,
    /// Standfirst.
    summary: MaybeUndefined<String>,
    /// HTML body (sanitised on the way in).
    body_html: MaybeUndefined<String>,
}

impl TranslationPatchInput {
    fn into_fields(self) -> Map<String, Value> {
        let mut fields = Map::new();
        for (name, value) in [
            ("title", self.title),
            ("summary", self.summary),
            ("body_html", self.body_html),
        ] {
            match value {
                MaybeUndefined::Undefined => {}
                MaybeUndefined::Null => {
                    fields.insert(name.into(), Value::Null);
                }
                MaybeUndefined::Value(text) => {
                    fields.insert(name.into(), Value::String(text));
                }
            }
        }
        fields
    }
}

/// One translation of a release, as its editors see it.
#[derive(SimpleObject)]
#[graphql(cache_control(private))]
pub struct PressReleaseTranslation {
    /// The release's slug.
    pub release: String,
    /// Language tag.
    pub language: String,
    /// Headline in that language (null for a key that may write the
    /// release's draft but not read drafts).
    pub title: Option<String>,
    /// Standfirst, if any.
    pub summary: Option<String>,
    /// Sanitised HTML body (null as `title`).
    pub body_html: Option<String>,
    /// The translation's version: send it back as `expectedVersion`.
    pub version: i64,
}

impl From<EditorialTranslation> for PressReleaseTranslation {
    fn from(t: EditorialTranslation) -> Self {
        let readable = t.readable;
        Self {
            release: t.slug,
            language: t.translation.language.to_string(),
            title: readable.then_some(t.translation.title),
            summary: t.translation.summary.filter(|_| readable),
            body_html: readable.then_some(t.translation.body_html),
            version: t.version,
        }
    }
}

/// What removing a translation leaves.
#[derive(SimpleObject)]
pub struct DeletedTranslation {
    /// The release's slug.
    pub release: String,
    /// The language removed.
    pub language: String,
    /// The version the translation had.
    pub deleted_version: i64,
}

/// The translations of `slug`, with their versions.
pub(super) async fn translations_of(
    ctx: &Context<'_>,
    slug: &str,
) -> async_graphql::Result<Vec<PressReleaseTranslation>> {
    let editor = editor(ctx);
    let db = &crate::graphql::context::state(ctx).db;
    Ok(
        translations::list(db, &editor.actor, slug, editor.clock.now())
            .await
            .edited()?
            .into_iter()
            .map(Into::into)
            .collect(),
    )
}

/// Editors' writes of translations.
#[derive(Default)]
pub struct TranslationMutation;

#[Object]
impl TranslationMutation {
    /// Adds the release's text in one more language (scope `write`; `publish`
    /// too if the release is public or scheduled). Not the release's own
    /// language, nor one it has already (`INVALID_STATE`).
    async fn create_press_release_translation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The release's slug.")] slug: String,
        #[graphql(desc = "The translation's language tag (`ru`, `sr-Latn`, …).")] language: String,
        #[graphql(desc = "Its fields: `title` and `bodyHtml` are needed.")]
        input: TranslationPatchInput,
    ) -> async_graphql::Result<PressReleaseTranslation> {
        let editor = editor(ctx);
        let db = &crate::graphql::context::state(ctx).db;
        let fields = input.into_fields();
        let saved = translations::save(
            db,
            &editor.actor,
            &slug,
            &language,
            Expect::New,
            &fields,
            true,
            editor.clock.now(),
        )
        .await
        .edited()?;
        Ok(saved.into())
    }

    /// Changes fields of a translation (scope `write`; `publish` too if the
    /// release is public or scheduled). The release's version stays.
    async fn update_press_release_translation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The release's slug.")] slug: String,
        #[graphql(desc = "The translation's language tag.")] language: String,
        #[graphql(desc = "The translation's version the change was made to.")]
        expected_version: i64,
        #[graphql(desc = "The fields to change; `null` clears the summary.")]
        input: TranslationPatchInput,
    ) -> async_graphql::Result<PressReleaseTranslation> {
        let editor = editor(ctx);
        let db = &crate::graphql::context::state(ctx).db;
        let fields = input.into_fields();
        let saved = translations::save(
            db,
            &editor.actor,
            &slug,
            &language,
            Expect::Version(expected_version),
            &fields,
            false,
            editor.clock.now(),
        )
        .await
        .edited()?;
        Ok(saved.into())
    }

    /// Removes a translation (scope `delete`); the release stays in its
    /// other languages.
    async fn delete_press_release_translation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The release's slug.")] slug: String,
        #[graphql(desc = "The translation's language tag.")] language: String,
        #[graphql(desc = "The translation's version removed.")] expected_version: i64,
    ) -> async_graphql::Result<DeletedTranslation> {
        let editor = editor(ctx);
        let db = &crate::graphql::context::state(ctx).db;
        translations::delete(
            db,
            &editor.actor,
            &slug,
            &language,
            expected_version,
            editor.clock.now(),
        )
        .await
        .edited()?;
        Ok(DeletedTranslation {
            release: slug,
            language,
            deleted_version: expected_version,
        })
    }
}
