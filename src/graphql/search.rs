//! The root `search`: one relevance-ordered list across press releases,
//! meetings, people and units, each result with a snippet.

use std::collections::HashMap;

use async_graphql::{Context, Enum, Object, Union};

use super::connection::{MAX_PAGE, PageInfo};
use super::context::{catalog, db, snapshot};
use super::error::bad_input;
use super::types::{Meeting, OrgUnit, Person, PressRelease};
use crate::domain::cursor;
use crate::search::snippet::Highlighter;
use crate::service::search::search_all;
use crate::storage::releases::releases_by_ids;
use crate::storage::search_index::{Hit, SearchKind};

/// What a search result is.
#[derive(Union, Clone)]
pub enum SearchResult {
    PressRelease(PressRelease),
    Meeting(Meeting),
    Person(Person),
    OrgUnit(OrgUnit),
}

/// The types a search may be limited to.
#[derive(Enum, Copy, Clone, PartialEq, Eq)]
pub enum SearchResultType {
    /// Press releases (title, summary, body and translations).
    PressRelease,
    /// Meetings and conferences (title and description).
    Meeting,
    /// People (name and biography).
    Person,
    /// Units of the organisation (name and description).
    OrgUnit,
}

impl From<SearchResultType> for SearchKind {
    fn from(t: SearchResultType) -> Self {
        match t {
            SearchResultType::PressRelease => SearchKind::PressRelease,
            SearchResultType::Meeting => SearchKind::Meeting,
            SearchResultType::Person => SearchKind::Person,
            SearchResultType::OrgUnit => SearchKind::OrgUnit,
        }
    }
}

/// One result, with why it matched.
pub struct SearchResultEdge {
    cursor: String,
    node: SearchResult,
    snippet: String,
    relevance: f64,
}

/// One result of a search: the matched object, with the passage that
/// matched and how relevant it is.
#[Object]
impl SearchResultEdge {
    /// Pass as `after` for the next page.
    async fn cursor(&self) -> &str {
        &self.cursor
    }
    /// The matched object.
    async fn node(&self) -> &SearchResult {
        &self.node
    }
    /// About 30 words around the matched words, each wrapped in `<mark>`;
    /// HTML-safe (everything else is escaped text).
    async fn snippet(&self) -> &str {
        &self.snippet
    }
    /// How relevant the result is (higher is more; comparable within one search).
    async fn relevance(&self) -> f64 {
        self.relevance
    }
}

/// A page of search results, most relevant first.
pub struct SearchResultConnection {
    edges: Vec<SearchResultEdge>,
    page_info: PageInfo,
    total_count: u64,
}

/// A page of search results, most relevant first, with the total count.
#[Object]
impl SearchResultConnection {
    /// The results of the page.
    async fn edges(&self) -> &[SearchResultEdge] {
        &self.edges
    }
    /// The matched objects of the page.
    async fn nodes(&self) -> Vec<SearchResult> {
        self.edges.iter().map(|e| e.node.clone()).collect()
    }
    /// Cursors to the next page.
    async fn page_info(&self) -> &PageInfo {
        &self.page_info
    }
    /// How many results in all.
    async fn total_count(&self) -> u64 {
        self.total_count
    }
}

/// Search cursors use the shared encoding, one prefix per result type.
const CURSOR_PREFIXES: [(SearchKind, &str); 4] = [
    (SearchKind::PressRelease, "sr"),
    (SearchKind::Meeting, "sm"),
    (SearchKind::Person, "sp"),
    (SearchKind::OrgUnit, "su"),
];

fn cursor_of(hit: &Hit) -> String {
    let prefix = CURSOR_PREFIXES
        .iter()
        .find(|(kind, _)| *kind == hit.kind)
        .map_or("sr", |(_, prefix)| *prefix);
    cursor::encode_id(prefix, hit.id)
}

fn parse_cursor(text: &str) -> async_graphql::Result<(SearchKind, i64)> {
    CURSOR_PREFIXES
        .iter()
        .find_map(|(kind, prefix)| cursor::decode_id(prefix, text).map(|id| (*kind, id)))
        .ok_or_else(|| bad_input(format!("invalid cursor {text:?}")))
}

pub async fn search(
    ctx: &Context<'_>,
    query: String,
    types: Option<Vec<SearchResultType>>,
    first: i32,
    after: Option<String>,
    preference: &crate::domain::LocalePreference,
) -> async_graphql::Result<SearchResultConnection> {
    if !(0..=MAX_PAGE).contains(&first) {
        return Err(bad_input(format!(
            "`first` must be between 0 and {MAX_PAGE}, got {first}"
        )));
    }
    let after = after.as_deref().map(parse_cursor).transpose()?;
    let kinds: Vec<SearchKind> = types
        .unwrap_or_default()
        .into_iter()
        .map(Into::into)
        .collect();
    let page = search_all(
        snapshot(ctx),
        &query,
        &kinds,
        Some(preference),
        after,
        first as usize,
    )
    .await?;
    let highlighter = Highlighter::new(&page.query);

    let ids_of = |kind: SearchKind| -> Vec<i64> {
        page.hits
            .iter()
            .filter(|h| h.kind == kind)
            .map(|h| h.id)
            .collect()
    };
    let releases: HashMap<i64, _> = releases_by_ids(db(ctx), &ids_of(SearchKind::PressRelease))
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let catalog = catalog(ctx).await?;
    let (meetings, people, units) = (&catalog.meetings, &catalog.people, &catalog.org_units);

    // A document whose row was deleted meanwhile is left out.
    let edges: Vec<SearchResultEdge> = page
        .hits
        .iter()
        .filter_map(|hit| {
            let (node, snippet) = match hit.kind {
                SearchKind::PressRelease => {
                    let r = releases.get(&hit.id)?;
                    let snippet = highlighter.best_snippet(
                        [r.body_text.as_str()]
                            .into_iter()
                            .chain(r.summary.as_deref()),
                    );
                    (
                        SearchResult::PressRelease(PressRelease::from_model(r.clone())),
                        snippet,
                    )
                }
                SearchKind::Meeting => {
                    let m = meetings.get(&hit.id)?;
                    let place = m.place.as_deref().unwrap_or("");
                    let text = format!("{} {place}", m.title);
                    (
                        SearchResult::Meeting(Meeting(m.clone())),
                        highlighter.best_snippet([text.trim_end()]),
                    )
                }
                SearchKind::Person => {
                    let p = people.get(&hit.id)?;
                    (
                        SearchResult::Person(Person(p.clone())),
                        highlighter.best_snippet([p.name.as_str()]),
                    )
                }
                SearchKind::OrgUnit => {
                    let u = units.get(&hit.id)?;
                    let snippet = highlighter.best_snippet(
                        u.description
                            .as_deref()
                            .into_iter()
                            .chain([u.name.as_str()]),
                    );
                    (SearchResult::OrgUnit(OrgUnit(u.clone())), snippet)
                }
            };
            Some(SearchResultEdge {
                cursor: cursor_of(hit),
                node,
                snippet,
                relevance: hit.score,
            })
        })
        .collect();
    let cursors: Vec<String> = edges.iter().map(|e| e.cursor.clone()).collect();
    Ok(SearchResultConnection {
        page_info: PageInfo::new(&cursors, page.has_next_page, page.has_previous_page),
        total_count: page.total_count,
        edges,
    })
}
