//! What a feed says, whatever its format: read through the shared query
//! layer (`service::releases::list`), full records by id (with their
//! translations, in one query), each in the language the request is served
//! in (`service::locale::serve`), and the names that make titles and
//! categories readable.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::DatabaseConnection;

use super::{FeedOptions, FeedRequest, Format, Scope, TAG_PREFIX, release_id};
use crate::domain::{LocalePreference, PageRequest, Pinned, ReleaseOrder};
use crate::model::PressRelease;
use crate::model::RecordKind;
use crate::service::index::catalog::Catalog;
use crate::service::snapshot::Snapshot;
use crate::service::{QueryError, keys, locale, releases};
use crate::storage;
use crate::storage::keys::Label;

/// A category of an item: a field of work or a country.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Term {
    /// Identifies the vocabulary (a tag URI).
    pub scheme: String,
    /// The slug or ISO code.
    pub term: String,
    /// The readable name.
    pub label: String,
}

#[derive(Clone, Debug)]
pub struct FeedItem {
    /// Permanent: built from the slug, which edits never change.
    pub id: String,
    /// The release's page.
    pub url: String,
    pub slug: String,
    pub title: String,
    pub date: NaiveDate,
    pub place: Option<String>,
    /// The issuing unit's name.
    pub source: String,
    /// The language served: of the title and the body.
    pub language: String,
    /// The summary, in `summary_language` (a translation without one
    /// falls back field by field along the chain).
    pub summary: Option<String>,
    pub summary_language: Option<String>,
    /// Whether anything is in another language than the one asked for.
    pub is_fallback: bool,
    /// The release's own language, then its translations'.
    pub available_languages: Vec<String>,
    /// Sanitised on import.
    pub body_html: String,
    pub published: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    pub categories: Vec<Term>,
}

#[derive(Clone, Debug)]
pub struct FeedContent {
    /// Says what the feed contains, e.g. "OSCE press releases: Human rights · Armenia".
    pub title: String,
    /// A sentence saying the same, with the order and the count.
    pub description: String,
    /// The language asked for (`LocalePreference::locale`); `None` only
    /// for a request made without a preference.
    pub language: Option<String>,
    /// The feed's own id (Atom), stable for the same request.
    pub id: String,
    /// Absolute URLs of this list in each feed format and as an HTML page.
    pub rss_url: String,
    pub atom_url: String,
    pub json_url: String,
    pub html_url: String,
    /// The newest change among the items (or of the content, when empty).
    pub updated: DateTime<Utc>,
    pub items: Vec<FeedItem>,
    /// The content generation the list was read at (the cache key's half).
    pub generation: String,
}

impl FeedContent {
    pub fn url(&self, format: Format) -> &str {
        match format {
            Format::Rss => &self.rss_url,
            Format::Atom => &self.atom_url,
            Format::Json => &self.json_url,
            Format::Embed(_) => &self.html_url,
        }
    }
}

pub const FIELD_OF_WORK_SCHEME: &str = "tag:osce.org,2026:field-of-work";
pub const COUNTRY_SCHEME: &str = "tag:osce.org,2026:country";

/// Names of the small tables, for categories and titles.
struct Names {
    fields: HashMap<String, String>,
    countries: HashMap<String, String>,
    units: HashMap<String, String>,
}

impl Names {
    async fn load(db: &DatabaseConnection) -> Result<Self, QueryError> {
        Ok(Self {
            fields: storage::taxonomy::fields_of_work(db)
                .await?
                .into_iter()
                .map(|f| (f.slug.as_str().to_string(), f.name))
                .collect(),
            countries: storage::taxonomy::countries(db)
                .await?
                .into_iter()
                .map(|c| (c.code.as_str().to_string(), c.name))
                .collect(),
            units: storage::structure::org_units(db)
                .await?
                .into_iter()
                .map(|u| (u.slug.as_str().to_string(), u.name))
                .collect(),
        })
    }
}

fn name_of<'a>(map: &'a HashMap<String, String>, key: &'a str) -> &'a str {
    map.get(key).map(String::as_str).unwrap_or(key)
}

fn item(
    mut record: PressRelease,
    preference: Option<&LocalePreference>,
    names: &Names,
    options: &FeedOptions,
) -> FeedItem {
    let original = record.language.to_string();
    let (language, summary_language, is_fallback, available_languages) = match preference {
        Some(preference) => {
            let served = locale::serve(&mut record, preference);
            (
                served.served_locale,
                served.summary_locale,
                served.is_fallback,
                served.available_locales,
            )
        }
        None => {
            let mut available: Vec<String> = record
                .translations
                .iter()
                .map(|t| t.language.to_string())
                .collect();
            available.sort();
            available.insert(0, original.clone());
            let summary_language = record.summary.as_ref().map(|_| original.clone());
            (original.clone(), summary_language, false, available)
        }
    };
    let slug = record.slug.as_str().to_string();
    // The release's page in the language the item is in: named when a
    // language was asked for, or when it is not the release's own (the page
    // otherwise negotiates `Accept-Language`, which a feed reader's browser
    // may not send alike).
    let path = if preference.is_some_and(|p| p.strict) || language != original {
        format!("/press-releases/{slug}?locale={language}")
    } else {
        format!("/press-releases/{slug}")
    };
    let mut categories: Vec<Term> = record
        .fields_of_work
        .iter()
        .map(|f| Term {
            scheme: FIELD_OF_WORK_SCHEME.into(),
            term: f.as_str().into(),
            label: name_of(&names.fields, f.as_str()).into(),
        })
        .collect();
    categories.extend(record.countries.iter().map(|c| Term {
        scheme: COUNTRY_SCHEME.into(),
        term: c.as_str().into(),
        label: name_of(&names.countries, c.as_str()).into(),
    }));
    FeedItem {
        id: release_id(&slug),
        url: options.public_url.join(&path),
        title: record.title,
        date: record.date,
        place: record.place,
        source: name_of(&names.units, record.source.as_str()).into(),
        language,
        summary: record.summary,
        summary_language,
        is_fallback,
        available_languages,
        body_html: record.body_html,
        published: record.published_at,
        updated: record.updated_at,
        categories,
        slug,
    }
}

fn not_found(error: QueryError) -> QueryError {
    match error {
        QueryError::BadInput(message) => QueryError::NotFound(message),
        other => other,
    }
}

/// The scope's filter, resolved; an unknown slug or code in the path is a 404.
fn pinned(catalog: &Catalog, request: &FeedRequest) -> Result<Option<Pinned>, QueryError> {
    let one = |key: &String| vec![key.clone()];
    Ok(match &request.scope {
        Scope::All => None,
        Scope::FieldOfWork(slug) => {
            let ids = keys::lookup("field of work", &catalog.field_of_work_ids, &one(slug))
                .map_err(not_found)?;
            Some(Pinned::FieldOfWork(ids[0]))
        }
        Scope::Country(code) => {
            let ids =
                keys::lookup("country", &catalog.country_ids, &one(code)).map_err(not_found)?;
            Some(Pinned::Country(ids[0]))
        }
        Scope::OrgUnit(slug) => {
            let mut ids =
                keys::lookup("unit", &catalog.org_unit_ids, &one(slug)).map_err(not_found)?;
            if request.keys.include_descendants {
                ids = catalog.with_descendants(&ids);
            }
            Some(Pinned::Sources(ids))
        }
    })
}

/// Reads the newest `request.limit` releases matching the request, in the
/// language of `request.keys.locale` (which also leaves out, when strict,
/// the releases in none of its languages). `content_changed` dates an
/// empty feed.
pub async fn load(
    snapshot: &Snapshot,
    request: &FeedRequest,
    options: &FeedOptions,
    content_changed: DateTime<Utc>,
) -> Result<FeedContent, QueryError> {
    let db = snapshot.db();
    let pinned = pinned(snapshot.catalog().await?, request)?;
    // Newest first even for a search: a feed reader shows what is new.
    let list = releases::list(
        snapshot,
        &request.keys,
        pinned,
        Some(ReleaseOrder::DateDesc),
        PageRequest {
            first: Some(request.limit as usize),
            ..Default::default()
        },
    )
    .await?;
    let ids: Vec<i64> = list.items.iter().map(|(_, row)| row.id).collect();
    let records = releases::records(snapshot, &ids).await?;
    let names = Names::load(db).await?;
    let preference = request.keys.locale.as_ref();
    let items: Vec<FeedItem> = records
        .into_iter()
        .map(|r| item(r, preference, &names, options))
        .collect();
    let (title, description) = describe(db, request, &names).await?;
    let url = |format: Format| options.public_url.join(&request.path(format));
    Ok(FeedContent {
        title,
        description,
        language: preference.map(|p| p.locale.to_string()),
        id: format!(
            "{TAG_PREFIX}{}",
            request.path(Format::Atom).trim_start_matches('/')
        ),
        rss_url: url(Format::Rss),
        atom_url: url(Format::Atom),
        json_url: url(Format::Json),
        html_url: url(Format::Embed(super::Theme::Light)),
        updated: items
            .iter()
            .map(|i| i.updated)
            .max()
            .unwrap_or(content_changed),
        items,
        generation: list.index.generation().to_string(),
    })
}

/// One release by slug, for its page, in the language `preference`
/// serves it in; `NotFound` when there is none, or when a strict
/// preference has none of its languages.
pub async fn load_release(
    db: &DatabaseConnection,
    slug: &str,
    options: &FeedOptions,
    preference: &LocalePreference,
) -> Result<FeedItem, QueryError> {
    let ids = keys::resolve(db, RecordKind::PressRelease, &[slug])
        .await
        .map_err(not_found)?;
    let record = storage::releases::press_releases_by_ids(db, &ids)
        .await?
        .pop()
        .ok_or_else(|| QueryError::NotFound(format!("unknown press release: {slug}")))?;
    if locale::served_language(&record, preference).is_none() {
        let chain: Vec<&str> = preference.chain.iter().map(|l| l.as_str()).collect();
        return Err(QueryError::NotFound(format!(
            "press release {slug:?} exists in none of {}; ask without `fallback` for its best language",
            chain.join(", ")
        )));
    }
    let names = Names::load(db).await?;
    Ok(item(record, Some(preference), &names, options))
}

fn or_list(values: Vec<String>) -> String {
    match values.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// Keys as the text they are written in.
fn strings<T: AsRef<str>>(values: &[T]) -> Vec<String> {
    values.iter().map(|v| v.as_ref().to_owned()).collect()
}

/// The title ("OSCE press releases: Human rights · Armenia") and the
/// description sentence of a request.
async fn describe(
    db: &DatabaseConnection,
    request: &FeedRequest,
    names: &Names,
) -> Result<(String, String), QueryError> {
    let k = &request.keys;
    let named = |map: &HashMap<String, String>, keys: &[String]| {
        or_list(
            keys.iter()
                .map(|key| name_of(map, key).to_string())
                .collect(),
        )
    };
    let mut fields = strings(&k.fields_of_work);
    let mut countries = strings(&k.countries);
    let mut sources = strings(&k.sources);
    // The scope narrows on top of the filters: say both.
    let mut scope_part = None;
    match &request.scope {
        Scope::All => {}
        Scope::FieldOfWork(slug) => {
            scope_part = Some(name_of(&names.fields, slug).to_string());
            fields.retain(|f| f != slug);
        }
        Scope::Country(code) => {
            scope_part = Some(name_of(&names.countries, code).to_string());
            countries.retain(|c| c != code);
        }
        Scope::OrgUnit(slug) => {
            scope_part = Some(name_of(&names.units, slug).to_string());
            sources.retain(|s| s != slug);
        }
    }
    let mut short: Vec<String> = scope_part.iter().cloned().collect();
    let mut long: Vec<String> = Vec::new();
    if let Some(part) = &scope_part {
        long.push(match request.scope {
            Scope::FieldOfWork(_) => format!("on {part}"),
            Scope::Country(_) => format!("about {part}"),
            _ => format!("issued by {part}"),
        });
    }
    if !fields.is_empty() {
        let text = named(&names.fields, &fields);
        long.push(format!("on {text}"));
        short.push(text);
    }
    if !countries.is_empty() {
        let text = named(&names.countries, &countries);
        long.push(format!("about {text}"));
        short.push(text);
    }
    if !sources.is_empty() {
        let text = named(&names.units, &sources);
        long.push(format!("issued by {text}"));
        short.push(format!("from {text}"));
    }
    if k.include_descendants
        && (!k.sources.is_empty() || matches!(request.scope, Scope::OrgUnit(_)))
    {
        long.push("or any of its units".into());
    }
    if !k.people.is_empty() {
        let slugs = strings(&k.people);
        let people = storage::keys::labels_by_key(db, Label::PersonName, &slugs).await?;
        let text = named(&people, &slugs);
        long.push(format!("naming {text}"));
        short.push(text);
    }
    if !k.meetings.is_empty() {
        let slugs = strings(&k.meetings);
        let meetings = storage::keys::labels_by_key(db, Label::MeetingTitle, &slugs).await?;
        let text = named(&meetings, &slugs);
        long.push(format!("about the meeting {text}"));
        short.push(text);
    }
    if !k.meeting_kinds.is_empty() {
        let text = or_list(k.meeting_kinds.iter().map(|m| m.as_str().into()).collect());
        long.push(format!("about meetings of kind {text}"));
        short.push(text);
    }
    if !k.languages.is_empty() {
        let text = or_list(strings(&k.languages));
        long.push(format!("in language {text}"));
        short.push(format!("in {text}"));
    }
    match (k.dates.from, k.dates.to) {
        (Some(from), Some(to)) => long.push(format!("dated {from} to {to}")),
        (Some(from), None) => long.push(format!("dated {from} or later")),
        (None, Some(to)) => long.push(format!("dated {to} or earlier")),
        (None, None) => {}
    }
    if let Some(q) = &k.search {
        long.push(format!("matching the search “{q}”"));
        short.push(format!("“{q}”"));
    }
    let title = if short.is_empty() {
        "OSCE press releases".to_string()
    } else {
        format!("OSCE press releases: {}", short.join(" · "))
    };
    let mut description = match request.limit {
        1 => "The latest press release of the OSCE".to_string(),
        n => format!("The {n} latest press releases of the OSCE"),
    };
    for part in long {
        description.push(' ');
        description.push_str(&part);
    }
    description.push_str(", newest first.");
    Ok((title, description))
}
