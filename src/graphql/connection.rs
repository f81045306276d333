//! Relay connections for press releases: the filter input, ordering, paging
//! arguments, page info, total count and facets.

use std::sync::Arc;

use crate::search::text::Stemming;

use crate::graphql::scalars::Date;
use async_graphql::{Context, Enum, InputObject, Object, SimpleObject};

use super::context::{catalog, snapshot};
use super::error::bad_input;
use super::ids::{parse_release_cursor, release_cursor};
use super::release_list::ReleaseListArgs;
use super::types::{Country, FieldOfWork, OrgUnit, PressRelease};
use crate::domain::{
    CountryCode, DateRange, FilterField, MeetingKind, PageRequest, Pinned, ReleaseFilterKeys,
    ReleaseOrder, Slug, parse_countries, parse_languages, parse_slugs,
};
use crate::search::snippet::Highlighter;
use crate::service::releases::{self, ReleaseList};

/// The most items one page may hold.
pub const MAX_PAGE: i32 = 100;

/// Checks Relay paging arguments: exactly one of `first` / `last`, 0..=100.
pub fn page_size(
    first: Option<i32>,
    last: Option<i32>,
) -> async_graphql::Result<(Option<usize>, Option<usize>)> {
    let check = |name: &str, n: i32| {
        if (0..=MAX_PAGE).contains(&n) {
            Ok(n as usize)
        } else {
            Err(bad_input(format!(
                "`{name}` must be between 0 and {MAX_PAGE}, got {n}"
            )))
        }
    };
    match (first, last) {
        (Some(_), Some(_)) => Err(bad_input("give `first` or `last`, not both")),
        (None, None) => Err(bad_input(format!(
            "give `first` or `last` (at most {MAX_PAGE})"
        ))),
        (Some(first), None) => Ok((Some(check("first", first)?), None)),
        (None, Some(last)) => Ok((None, Some(check("last", last)?))),
    }
}

/// Filters for press releases. Every list means "any of these" (OR); the
/// filters given are combined with AND; an omitted or empty list does not
/// filter. Unknown slugs or codes are an error (`BAD_USER_INPUT`), not an
/// empty result.
#[derive(InputObject, Clone, Default)]
pub struct PressReleaseFilterInput {
    /// Field-of-work slugs, e.g. `["conflict-prevention-and-resolution"]`.
    pub fields_of_work: Option<Vec<String>>,
    /// ISO 3166-1 alpha-2 codes of the countries a release is about, e.g. `["AM", "AZ"]`.
    pub countries: Option<Vec<String>>,
    /// Releases dated on or after this day.
    pub date_from: Option<Date>,
    /// Releases dated on or before this day.
    pub date_to: Option<Date>,
    /// Slugs of the issuing units.
    pub sources: Option<Vec<String>>,
    /// With `sources`: also releases from every unit below them (the
    /// Secretariat's departments, the field operations under "Field operations").
    #[graphql(default)]
    pub include_descendants: bool,
    /// Slugs of people named in the release.
    pub people: Option<Vec<String>>,
    /// Slugs of meetings the release is about.
    pub meetings: Option<Vec<String>>,
    /// Releases about any meeting of these kinds.
    pub meeting_kinds: Option<Vec<MeetingKind>>,
    /// Language tags of the original text, e.g. `["en"]`.
    pub languages: Option<Vec<String>>,
}

impl PressReleaseFilterInput {
    /// The filter in the domain's types; a malformed key is `BAD_USER_INPUT`.
    pub fn keys(self) -> async_graphql::Result<ReleaseFilterKeys> {
        Ok(ReleaseFilterKeys {
            fields_of_work: slugs(FilterField::FieldsOfWork, self.fields_of_work)?,
            countries: countries("countries", self.countries)?,
            sources: slugs(FilterField::Sources, self.sources)?,
            include_descendants: self.include_descendants,
            people: slugs(FilterField::People, self.people)?,
            meetings: slugs(FilterField::Meetings, self.meetings)?,
            meeting_kinds: self.meeting_kinds.unwrap_or_default(),
            languages: parse_languages(self.languages.unwrap_or_default())
                .map_err(|e| bad_input(e.message("languages")))?,
            dates: DateRange::new(self.date_from.map(|d| d.0), self.date_to.map(|d| d.0)),
            search: None,
            locale: None,
        })
    }
}

/// An input list of slugs of `field`'s kind (the input field is named
/// after the kind, as `fieldsOfWork` or `orgUnits`).
pub fn slugs(field: FilterField, values: Option<Vec<String>>) -> async_graphql::Result<Vec<Slug>> {
    parse_slugs(field, values.unwrap_or_default()).map_err(|e| bad_input(e.message(field.noun())))
}

/// An input list of country codes, in either case.
pub fn countries(
    name: &str,
    values: Option<Vec<String>>,
) -> async_graphql::Result<Vec<CountryCode>> {
    parse_countries(values.unwrap_or_default()).map_err(|e| bad_input(e.message(name)))
}

/// How press releases are ordered. Ties are broken by date and an internal
/// id, so the order is total and paging never skips or repeats.
#[derive(Enum, Copy, Clone, PartialEq, Eq)]
pub enum PressReleaseOrder {
    /// Most relevant to the `search` first (then newest); only with a search.
    Relevance,
    /// Newest first (by the release's own date).
    DateDesc,
    /// Oldest first.
    DateAsc,
    /// By title, A to Z.
    TitleAsc,
    /// By title, Z to A.
    TitleDesc,
}

impl From<PressReleaseOrder> for ReleaseOrder {
    fn from(order: PressReleaseOrder) -> Self {
        match order {
            PressReleaseOrder::DateDesc => ReleaseOrder::DateDesc,
            PressReleaseOrder::DateAsc => ReleaseOrder::DateAsc,
            PressReleaseOrder::TitleAsc => ReleaseOrder::TitleAsc,
            PressReleaseOrder::TitleDesc => ReleaseOrder::TitleDesc,
            PressReleaseOrder::Relevance => ReleaseOrder::Relevance,
        }
    }
}

/// Where a page sits in the whole list (Relay).
#[derive(SimpleObject, Clone)]
pub struct PageInfo {
    /// More items follow this page.
    pub has_next_page: bool,
    /// Items come before this page.
    pub has_previous_page: bool,
    /// Cursor of the first item of the page; null when the page is empty.
    pub start_cursor: Option<String>,
    /// Cursor of the last item; pass it as `after` for the next page.
    pub end_cursor: Option<String>,
}

impl PageInfo {
    pub fn new(cursors: &[String], has_next_page: bool, has_previous_page: bool) -> Self {
        Self {
            has_next_page,
            has_previous_page,
            start_cursor: cursors.first().cloned(),
            end_cursor: cursors.last().cloned(),
        }
    }
}

/// A press release and its cursor; in a search, also why it matched.
#[derive(Clone)]
pub struct PressReleaseEdge {
    pub cursor: String,
    pub node: PressRelease,
    highlighter: Option<Arc<Highlighter>>,
    relevance: Option<f64>,
}

/// A press release and its cursor; in a search, also why it matched.
#[Object]
impl PressReleaseEdge {
    /// Opaque position of this release in the list: pass it as `after` or `before`.
    async fn cursor(&self) -> &str {
        &self.cursor
    }
    /// The release.
    async fn node(&self) -> &PressRelease {
        &self.node
    }
    /// In a search: about 30 words of the body (or summary) around the
    /// matched words, each wrapped in `<mark>`. HTML-safe: everything else
    /// is escaped text. Null outside a search.
    async fn snippet(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        let Some(highlighter) = self.highlighter.as_ref() else {
            return Ok(None);
        };
        let (language, body_text, summary) = self.node.served_text(ctx).await?;
        let stemming = Stemming::of_language(&language);
        let in_language;
        let highlighter = if stemming == highlighter.stemming() {
            highlighter.as_ref()
        } else {
            in_language = highlighter.for_language(stemming);
            &in_language
        };
        Ok(Some(highlighter.best_snippet(
            [body_text.as_str()].into_iter().chain(summary.as_deref()),
        )))
    }
    /// In a search: how relevant the release is (higher is more; comparable
    /// within one search only). Null outside a search.
    async fn relevance(&self) -> Option<f64> {
        self.relevance
    }
}

/// A page of press releases.
pub struct PressReleaseConnection {
    list: ReleaseList,
    edges: Vec<PressReleaseEdge>,
    page_info: PageInfo,
}

/// A page of press releases, with the total and facet counts of the whole filtered list.
#[Object]
impl PressReleaseConnection {
    /// The releases of the page, each with its cursor.
    async fn edges(&self) -> &[PressReleaseEdge] {
        &self.edges
    }
    /// The releases of the page, without cursors.
    async fn nodes(&self) -> Vec<PressRelease> {
        self.edges.iter().map(|e| e.node.clone()).collect()
    }
    /// Where the page sits, and the cursors to the next and previous ones.
    async fn page_info(&self) -> &PageInfo {
        &self.page_info
    }
    /// How many releases match the filter, over all pages. Computed only when asked for.
    async fn total_count(&self) -> u64 {
        self.list.total_count()
    }
    /// Counts for filter UIs. Each facet is counted with every other filter
    /// applied but its own: the field-of-work counts ignore `fieldsOfWork`,
    /// so a UI can show what choosing another field would give. Values with
    /// no release are left out; the most frequent come first (years: newest first).
    async fn facets(&self) -> PressReleaseFacets {
        let facets = self.list.facets();
        PressReleaseFacets {
            fields_of_work: facets.fields_of_work,
            countries: facets.countries,
            sources: facets.sources,
            years: facets
                .years
                .into_iter()
                .map(|(year, count)| YearCount { year, count })
                .collect(),
        }
    }
}

pub struct PressReleaseFacets {
    fields_of_work: Vec<(i64, u64)>,
    countries: Vec<(i64, u64)>,
    sources: Vec<(i64, u64)>,
    years: Vec<YearCount>,
}

/// Release counts by field of work, country, source unit and year.
#[Object]
impl PressReleaseFacets {
    /// By field of work (ignoring the `fieldsOfWork` filter).
    async fn fields_of_work(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<FieldOfWorkCount>> {
        let rows = &catalog(ctx).await?.fields_of_work;
        Ok(self
            .fields_of_work
            .iter()
            .filter_map(|(id, count)| {
                rows.get(id).map(|m| FieldOfWorkCount {
                    field_of_work: FieldOfWork(m.clone()),
                    count: *count,
                })
            })
            .collect())
    }
    /// By country (ignoring the `countries` filter).
    async fn countries(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<CountryCount>> {
        let rows = &catalog(ctx).await?.countries;
        Ok(self
            .countries
            .iter()
            .filter_map(|(id, count)| {
                rows.get(id).map(|m| CountryCount {
                    country: Country(m.clone()),
                    count: *count,
                })
            })
            .collect())
    }
    /// By issuing unit (the unit itself, not its parents).
    async fn sources(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<OrgUnitCount>> {
        let rows = &catalog(ctx).await?.org_units;
        Ok(self
            .sources
            .iter()
            .filter_map(|(id, count)| {
                rows.get(id).map(|m| OrgUnitCount {
                    org_unit: OrgUnit(m.clone()),
                    count: *count,
                })
            })
            .collect())
    }
    /// By year of the release date (ignoring `dateFrom` / `dateTo`), newest first.
    async fn years(&self) -> &[YearCount] {
        &self.years
    }
}

#[derive(SimpleObject)]
/// A facet value and how many releases have it.
pub struct FieldOfWorkCount {
    /// The field of work.
    pub field_of_work: FieldOfWork,
    /// Releases matching the other filters that have this value.
    pub count: u64,
}

#[derive(SimpleObject)]
/// A facet value and how many releases have it.
pub struct CountryCount {
    /// The country.
    pub country: Country,
    /// Releases matching the other filters that have this value.
    pub count: u64,
}

#[derive(SimpleObject)]
/// A facet value and how many releases have it.
pub struct OrgUnitCount {
    /// The issuing unit.
    pub org_unit: OrgUnit,
    /// Releases matching the other filters that have this value.
    pub count: u64,
}

#[derive(SimpleObject)]
/// A facet value and how many releases have it.
pub struct YearCount {
    /// The calendar year.
    pub year: i32,
    /// Releases matching the other filters that have this value.
    pub count: u64,
}

/// Resolves a release list through the service layer.
pub async fn press_releases(
    ctx: &Context<'_>,
    args: ReleaseListArgs,
    pinned: Option<Pinned>,
) -> async_graphql::Result<PressReleaseConnection> {
    let ReleaseListArgs {
        filter,
        search,
        order_by,
        first,
        after,
        last,
        before,
        locale,
        fallback,
    } = args;
    let (first, last) = page_size(first, last)?;
    // A search matches the served text: the language matters then.
    let preference =
        match crate::graphql::locale::scoped(ctx, locale.as_deref(), fallback.as_deref())? {
            Some(preference) => Some(preference),
            None if search.is_some() => Some(crate::graphql::locale::preference(ctx)),
            None => None,
        };
    let request = PageRequest {
        first,
        last,
        after: after.as_deref().map(parse_release_cursor).transpose()?,
        before: before.as_deref().map(parse_release_cursor).transpose()?,
    };
    let mut keys = filter.unwrap_or_default().keys()?;
    keys.search = search;
    keys.locale = preference.map(|p| (*p).clone());
    let list = releases::list(
        snapshot(ctx),
        &keys,
        pinned,
        order_by.map(Into::into),
        request,
    )
    .await?;
    let cursors: Vec<String> = list.items.iter().map(|(c, _)| release_cursor(*c)).collect();
    let highlighter = list.search.as_ref().map(|q| Arc::new(Highlighter::new(q)));
    let edges = list
        .items
        .iter()
        .zip(cursors.iter())
        .map(|((_, row), cursor)| PressReleaseEdge {
            cursor: cursor.clone(),
            node: PressRelease::from_head(row.clone()),
            highlighter: highlighter.clone(),
            relevance: list.relevance(row.id),
        })
        .collect();
    Ok(PressReleaseConnection {
        page_info: PageInfo::new(&cursors, list.has_next_page, list.has_previous_page),
        edges,
        list,
    })
}
