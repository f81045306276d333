use std::sync::Arc;

use crate::graphql::scalars::{Date, DateTime};
use async_graphql::{Context, ID, Object, SimpleObject};

use super::{
    Country, FieldOfWork, Meeting, OrgUnit, Person, Role, catalog_in_order, load_unit,
    release_links,
};
use crate::graphql::context::{catalog, loader};
use crate::graphql::error::{OrInternal, internal};
use crate::graphql::ids::global_id;
use crate::graphql::loaders;
use crate::service::index::release_index::Relation;
use crate::storage::entity::{press_release, press_release_translation};

/// A press release, as published on osce.org: its head, and its body when
/// it was read with it (else loaded, batched, if a query asks for it).
#[derive(Clone)]
pub struct PressRelease {
    head: press_release::Head,
    body: Option<Arc<press_release::Body>>,
    /// The language it is answered in, worked out by the first field that
    /// needs it.
    served: Arc<tokio::sync::OnceCell<Arc<Served>>>,
}

/// Which of a release's languages a request gets, field by field.
struct Served {
    /// The language of title and body.
    language: String,
    /// The translation served, if not the release's own text.
    translation: Option<press_release_translation::Model>,
    /// The summary, from the first language of the fallback order that has one.
    summary: Option<(String, String)>,
    /// Whether any field is in another language than the one asked for.
    is_fallback: bool,
    /// Its own language, then its translations', by tag.
    available: Vec<String>,
}

impl PressRelease {
    pub fn from_head(head: press_release::Head) -> Self {
        Self {
            head,
            body: None,
            served: Default::default(),
        }
    }

    pub fn from_model(model: press_release::Model) -> Self {
        let (head, body) = model.split();
        Self {
            head,
            body: Some(Arc::new(body)),
            served: Default::default(),
        }
    }

    /// Whether it exists in a language of `preference`'s chain.
    pub async fn is_served_in(
        &self,
        ctx: &Context<'_>,
        preference: &crate::domain::LocalePreference,
    ) -> async_graphql::Result<bool> {
        let translations = self.served(ctx).await?;
        Ok(preference
            .choose(
                &self.head.language,
                translations.available.iter().skip(1).map(String::as_str),
            )
            .is_some())
    }

    /// The languages it is answered in, for the enclosing `locale`.
    async fn served(&self, ctx: &Context<'_>) -> async_graphql::Result<Arc<Served>> {
        self.served
            .get_or_try_init(|| async {
                let preference = crate::graphql::locale::preference(ctx);
                // The index knows most releases have no translation: no query for those.
                let index = crate::graphql::context::snapshot(ctx)
                    .release_index()
                    .await
                    .or_internal()?;
                let translations = if index.may_be_translated(self.head.id) {
                    loader(ctx)
                        .load_one(loaders::ReleaseTranslations(self.head.id))
                        .await
                        .or_internal()?
                        .unwrap_or_default()
                } else {
                    Vec::new()
                };
                Ok(Arc::new(Served::choose(
                    &self.head,
                    translations,
                    &preference,
                )))
            })
            .await
            .cloned()
    }

    /// The served language, and the body's plain text and the summary in it.
    pub async fn served_text(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<(String, String, Option<String>)> {
        let served = self.served(ctx).await?;
        let body_text = match &served.translation {
            Some(translation) => translation.body_text.clone(),
            None => self.body(ctx).await?.body_text.clone(),
        };
        let summary = served.summary.as_ref().map(|(_, s)| s.clone());
        Ok((served.language.clone(), body_text, summary))
    }

    /// The body: the one read with the release, or one batched load for
    /// every release of the request that needs it.
    pub async fn body(&self, ctx: &Context<'_>) -> async_graphql::Result<Arc<press_release::Body>> {
        if let Some(body) = &self.body {
            return Ok(Arc::clone(body));
        }
        loader(ctx)
            .load_one(loaders::ReleaseBody(self.head.id))
            .await
            .or_internal()?
            .ok_or_else(|| internal(&"release without its body"))
    }
}

impl Served {
    fn choose(
        head: &press_release::Head,
        mut translations: Vec<press_release_translation::Model>,
        preference: &crate::domain::LocalePreference,
    ) -> Served {
        translations.sort_by(|a, b| a.language.cmp(&b.language));
        let original = head.language.as_str();
        let language = preference
            .choose(original, translations.iter().map(|t| t.language.as_str()))
            .unwrap_or(original)
            .to_owned();
        let summary = preference
            .field_order(&language, original)
            .into_iter()
            .find_map(|l| {
                let summary = if l == original {
                    head.summary.as_deref()
                } else {
                    translations
                        .iter()
                        .find(|t| t.language == l)
                        .and_then(|t| t.summary.as_deref())
                };
                summary.map(|s| (l.to_owned(), s.to_owned()))
            });
        let asked = preference.locale.as_str();
        let is_fallback =
            language != asked || summary.as_ref().is_some_and(|(l, _)| l.as_str() != asked);
        let mut available = vec![original.to_owned()];
        available.extend(translations.iter().map(|t| t.language.clone()));
        let translation = translations.into_iter().find(|t| t.language == language);
        Served {
            language,
            translation,
            summary,
            is_fallback,
            available,
        }
    }
}

/// A person named in a press release, with the role they held on its date.
#[derive(SimpleObject, Clone)]
pub struct PressReleasePerson {
    /// The person.
    pub person: Person,
    /// The role the person held on the release's date, preferring one in
    /// the issuing unit; null if none is recorded.
    pub role: Option<Role>,
}

/// A press release, as published on osce.org.
#[Object]
impl PressRelease {
    /// Opaque, stable global ID.
    pub async fn id(&self) -> ID {
        global_id("PressRelease", &self.head.slug)
    }
    /// Stable identifier, also in the release's URL.
    async fn slug(&self) -> &str {
        &self.head.slug
    }
    /// Headline, in the language served (`servedLocale`).
    async fn title(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        let served = self.served(ctx).await?;
        Ok(match &served.translation {
            Some(translation) => translation.title.clone(),
            None => self.head.title.clone(),
        })
    }
    /// The language `title` and the body are in (BCP 47): the first of the
    /// requested `locale`'s fallback chain the release exists in, else its
    /// own language.
    async fn served_locale(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        Ok(self.served(ctx).await?.language.clone())
    }
    /// Whether any field is in another language than the one requested
    /// (the release is missing in it, or only its summary is).
    async fn is_fallback(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        Ok(self.served(ctx).await?.is_fallback)
    }
    /// Every language the release exists in: its own first, then its
    /// translations' by tag.
    async fn available_locales(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<String>> {
        Ok(self.served(ctx).await?.available.clone())
    }
    /// The release's own date, as readers see it (its dateline).
    async fn date(&self) -> Date {
        Date(self.head.date)
    }
    /// Where it was issued, e.g. "Washington D.C.".
    async fn place(&self) -> Option<&str> {
        self.head.place.as_deref()
    }
    /// The unit that issued it.
    async fn source(&self, ctx: &Context<'_>) -> async_graphql::Result<OrgUnit> {
        load_unit(ctx, self.head.source_id)
            .await?
            .ok_or_else(|| internal(&"release without its source unit"))
    }
    /// Fields of work, in the order the editors gave.
    async fn fields_of_work(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<FieldOfWork>> {
        let ids = release_links(
            ctx,
            self.head.id,
            Relation::FieldsOfWork,
            loaders::ReleaseFields(self.head.id),
        )
        .await?;
        catalog_in_order(ctx, &ids, |c| &c.fields_of_work, FieldOfWork).await
    }
    /// Countries the release is about.
    async fn countries(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Country>> {
        let ids = release_links(
            ctx,
            self.head.id,
            Relation::Countries,
            loaders::ReleaseCountries(self.head.id),
        )
        .await?;
        catalog_in_order(ctx, &ids, |c| &c.countries, Country).await
    }
    /// People named in the release, in order of mention, each with the role held on the release's date.
    async fn people(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<PressReleasePerson>> {
        let ids = release_links(
            ctx,
            self.head.id,
            Relation::People,
            loaders::ReleasePeople(self.head.id),
        )
        .await?;
        let catalog = catalog(ctx).await?;
        let day = self.head.date;
        Ok(ids
            .iter()
            .filter_map(|&id| {
                let person = catalog.people.get(&id)?.clone();
                let active: Vec<_> = catalog
                    .roles_of_person
                    .get(&id)
                    .map(|rs| {
                        rs.iter()
                            .filter(|r| r.from_date <= day && r.to_date.is_none_or(|to| to >= day))
                            .collect()
                    })
                    .unwrap_or_default();
                let role = active
                    .iter()
                    .find(|r| r.org_unit_id == self.head.source_id)
                    .or_else(|| active.first())
                    .map(|r| Role((*r).clone()));
                Some(PressReleasePerson {
                    person: Person(person),
                    role,
                })
            })
            .collect())
    }
    /// Meetings and conferences the release is about.
    async fn meetings(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Meeting>> {
        let ids = release_links(
            ctx,
            self.head.id,
            Relation::Meetings,
            loaders::ReleaseMeetings(self.head.id),
        )
        .await?;
        catalog_in_order(ctx, &ids, |c| &c.meetings, Meeting).await
    }
    /// Language of the original text (BCP 47, e.g. `en`).
    async fn language(&self) -> &str {
        &self.head.language
    }
    /// A short plain-text summary, if the editors wrote one: in the
    /// language served, else (missing in it) in the next language of the
    /// fallback chain that has one.
    async fn summary(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        Ok(self
            .served(ctx)
            .await?
            .summary
            .as_ref()
            .map(|(_, s)| s.clone()))
    }
    /// The body as HTML, in the language served, sanitised on import (no
    /// scripts, event handlers or styles): safe to render.
    async fn body_html(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        if let Some(translation) = &self.served(ctx).await?.translation {
            return Ok(translation.body_html.clone());
        }
        Ok(self.body(ctx).await?.body_html.clone())
    }
    /// The body as plain text, in the language served, paragraphs separated by line breaks.
    async fn body_text(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        if let Some(translation) = &self.served(ctx).await?.translation {
            return Ok(translation.body_text.clone());
        }
        Ok(self.body(ctx).await?.body_text.clone())
    }
    /// Translations into other languages.
    async fn translations(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Translation>> {
        let found = loader(ctx)
            .load_one(loaders::ReleaseTranslations(self.head.id))
            .await
            .or_internal()?;
        Ok(found
            .unwrap_or_default()
            .into_iter()
            .map(Translation)
            .collect())
    }
    /// When it was first published.
    async fn published_at(&self) -> DateTime {
        DateTime(self.head.published_at)
    }
    /// When it was last changed.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.head.updated_at)
    }
}

/// A press release in another language.
#[derive(Clone)]
pub struct Translation(pub press_release_translation::Model);

/// A press release in another language.
#[Object]
impl Translation {
    /// BCP 47 language tag, e.g. `ru`.
    async fn language(&self) -> &str {
        &self.0.language
    }
    /// Headline in this language.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// Summary in this language, if any.
    async fn summary(&self) -> Option<&str> {
        self.0.summary.as_deref()
    }
    /// Sanitised HTML.
    async fn body_html(&self) -> &str {
        &self.0.body_html
    }
    /// Plain text of the body.
    async fn body_text(&self) -> &str {
        &self.0.body_text
    }
}
