//! Search across every type (the root `search` of GraphQL): one relevance
//! order over press releases, meetings, people and units.

use super::QueryError;
use super::releases::parse_search;
use super::snapshot::Snapshot;
use std::sync::Arc;

use crate::domain::LocalePreference;
use crate::search::SearchQuery;
use crate::search::text::Stemming;
use crate::storage::search_index::{Hit, SearchKind};

/// One page of results, most relevant first.
pub struct SearchPage {
    pub query: SearchQuery,
    pub hits: Vec<Hit>,
    pub total_count: u64,
    pub has_next_page: bool,
    pub has_previous_page: bool,
}

/// Results of `kinds` (all when empty) after the hit `after` (a kind and id
/// from a previous page), at most `first`. A release is matched in the
/// text `preference` serves of it (with none, in any of its languages),
/// and is listed once.
pub async fn search_all(
    snapshot: &Snapshot,
    text: &str,
    kinds: &[SearchKind],
    preference: Option<&LocalePreference>,
    after: Option<(SearchKind, i64)>,
    first: usize,
) -> Result<SearchPage, QueryError> {
    let query = parse_search(text)?;
    let index = Arc::clone(snapshot.release_index().await?);
    let mut stemmings = index.search_stemmings(preference);
    if !stemmings.contains(&Stemming::English) {
        // Meetings, people and units are written in English.
        stemmings.push(Stemming::English);
    }
    let mut hits = snapshot.search(&query, None, &stemmings).await?;
    hits.retain(|hit| {
        (kinds.is_empty() || kinds.contains(&hit.kind))
            && (hit.kind != SearchKind::PressRelease || index.serves(hit.id, hit.slot, preference))
    });
    // A release matched in several languages is listed once, at its best.
    hits.sort_unstable_by(|a, b| {
        (a.kind, a.id)
            .cmp(&(b.kind, b.id))
            .then(b.score.total_cmp(&a.score))
    });
    hits.dedup_by_key(|hit| (hit.kind, hit.id));
    // Most relevant first; ties by kind (releases first), then newest id.
    hits.sort_unstable_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.kind.cmp(&b.kind))
            .then(b.id.cmp(&a.id))
    });
    let start = match after {
        Some((kind, id)) => hits
            .iter()
            .position(|h| h.kind == kind && h.id == id)
            .map(|i| i + 1)
            .ok_or_else(|| {
                QueryError::BadInput(
                    "the `after` cursor is not among this search's results (the content \
                     changed); start again without it"
                        .into(),
                )
            })?,
        None => 0,
    };
    let total_count = hits.len() as u64;
    let end = (start + first).min(hits.len());
    let has_next_page = end < hits.len();
    hits.truncate(end);
    hits.drain(..start);
    Ok(SearchPage {
        query,
        hits,
        total_count,
        has_next_page,
        has_previous_page: start > 0,
    })
}

/// Ids of one kind matching `text`, for lists that filter by a search but
/// keep their own order (meetings, people, units: small tables).
pub async fn matching_ids(
    snapshot: &Snapshot,
    text: &str,
    kind: SearchKind,
) -> Result<Vec<i64>, QueryError> {
    let query = parse_search(text)?;
    let mut ids: Vec<i64> = snapshot
        .search(&query, Some(kind), &[])
        .await?
        .into_iter()
        .map(|h| h.id)
        .collect();
    ids.sort_unstable();
    Ok(ids)
}
