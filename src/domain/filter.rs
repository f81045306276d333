//! The filter vocabulary shared by GraphQL, REST and feeds, once keys have
//! been resolved to ids. Semantics: each list means "any of" (OR); the
//! filters present are combined with AND; an empty list does not filter.

use std::sync::Arc;

use chrono::NaiveDate;
use roaring::RoaringBitmap;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReleaseFilter {
    pub fields_of_work: Vec<i64>,
    pub countries: Vec<i64>,
    /// Source units, already widened with their descendants when asked.
    pub sources: Vec<i64>,
    pub people: Vec<i64>,
    pub meetings: Vec<i64>,
    /// Releases linked to any meeting of these kinds (resolved to meeting ids);
    /// `Some(empty)` means the kinds match no meeting, so nothing matches.
    pub meetings_of_kinds: Option<Vec<i64>>,
    pub languages: Vec<String>,
    /// Only releases that exist in one of these languages (their own or a
    /// translation): a request's strict language preference.
    pub available_in: Vec<String>,
    pub date_from: Option<NaiveDate>,
    pub date_to: Option<NaiveDate>,
    /// The parent a relation's list hangs from (e.g. a country's releases):
    /// always applied, on top of the other filters, and in every facet.
    pub pinned: Option<Pinned>,
    /// The releases a full-text search matched (always applied, in every facet).
    pub search: Option<Arc<SearchMatches>>,
}

/// The releases matching a full-text search, as positions of the release
/// index they were resolved against, with their relevance.
#[derive(Clone, Debug, Default)]
pub struct SearchMatches {
    pub positions: RoaringBitmap,
    /// (position, score), higher scores more relevant.
    pub scores: Vec<(u32, f64)>,
}

impl PartialEq for SearchMatches {
    fn eq(&self, other: &Self) -> bool {
        self.positions == other.positions
            && self.scores.len() == other.scores.len()
            && self
                .scores
                .iter()
                .zip(&other.scores)
                .all(|(a, b)| a.0 == b.0 && a.1.to_bits() == b.1.to_bits())
    }
}

impl Eq for SearchMatches {}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pinned {
    FieldOfWork(i64),
    Country(i64),
    /// A unit, with or without its descendants.
    Sources(Vec<i64>),
    Person(i64),
    Meeting(i64),
}

/// How a list of releases is ordered. Every order ends with the release id,
/// so it is total and cursors never skip or repeat.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ReleaseOrder {
    #[default]
    DateDesc,
    DateAsc,
    TitleAsc,
    TitleDesc,
    /// Most relevant first; only with a search.
    Relevance,
}

/// One position in a release list: the release's date and id identify it in
/// every order (titles are looked up from the position).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ReleaseCursor {
    pub date: NaiveDate,
    pub id: i64,
}

/// Which slice of a list: Relay's first/after and last/before.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PageRequest {
    pub first: Option<usize>,
    pub after: Option<ReleaseCursor>,
    pub last: Option<usize>,
    pub before: Option<ReleaseCursor>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Page {
    pub ids: Vec<i64>,
    pub cursors: Vec<ReleaseCursor>,
    pub has_next_page: bool,
    pub has_previous_page: bool,
}

/// Counts for filter UIs: each facet counted with every other filter applied
/// but its own, so a UI can show what choosing another value would give.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facets {
    pub fields_of_work: Vec<(i64, u64)>,
    pub countries: Vec<(i64, u64)>,
    pub sources: Vec<(i64, u64)>,
    pub years: Vec<(i32, u64)>,
}
