//! Pages of the index: in date, title or relevance order, and the walk
//! by days that exports stream.

use super::*;
use crate::domain::{Page, PageRequest, ReleaseCursor, ReleaseFilter, ReleaseOrder, SearchMatches};
use chrono::NaiveDate;
use roaring::RoaringBitmap;
use std::sync::Arc;

impl ReleaseIndex {
    pub fn page(&self, filter: &ReleaseFilter, order: ReleaseOrder, request: PageRequest) -> Page {
        let candidates = self.matching(filter, Leave::Nothing);
        let positions = match order {
            ReleaseOrder::DateAsc | ReleaseOrder::DateDesc => {
                self.date_page(&candidates, order, request)
            }
            ReleaseOrder::TitleAsc | ReleaseOrder::TitleDesc => {
                self.title_page(&candidates, order, request)
            }
            ReleaseOrder::Relevance => match &filter.search {
                Some(search) => self.relevance_page(&candidates, search, request),
                None => self.date_page(&candidates, ReleaseOrder::DateDesc, request),
            },
        };
        let (positions, has_next_page, has_previous_page) = positions;
        Page {
            ids: positions.iter().map(|&p| self.ids[p as usize]).collect(),
            cursors: positions.iter().map(|&p| self.cursor_at(p)).collect(),
            has_next_page,
            has_previous_page,
        }
    }

    /// Date order: the window between the cursors is a range of positions.
    fn date_page(
        &self,
        candidates: &RoaringBitmap,
        order: ReleaseOrder,
        request: PageRequest,
    ) -> (Vec<u32>, bool, bool) {
        let key = |c: ReleaseCursor| (day_number(c.date), c.id);
        let n = self.ids.len() as u32;
        // Positions strictly greater / smaller than a cursor.
        let above = |c: ReleaseCursor| self.partition(|k| k <= key(c)) as u32..n;
        let below = |c: ReleaseCursor| 0..self.partition(|k| k < key(c)) as u32;
        let ascending = order == ReleaseOrder::DateAsc;
        let mut window = 0..n;
        let mut narrow = |range: std::ops::Range<u32>| {
            window = window.start.max(range.start)
                ..window.end.min(range.end).max(window.start.max(range.start));
        };
        if let Some(after) = request.after {
            narrow(if ascending {
                above(after)
            } else {
                below(after)
            });
        }
        if let Some(before) = request.before {
            narrow(if ascending {
                below(before)
            } else {
                above(before)
            });
        }
        // Display order is ascending positions for DateAsc, descending for DateDesc.
        let in_window = candidates.range(window.clone());
        let display: Box<dyn Iterator<Item = u32>> = if ascending {
            Box::new(in_window)
        } else {
            Box::new(in_window.rev())
        };
        let total = candidates.range_cardinality(window.clone()) as usize;
        let before_window = candidates.range_cardinality(..window.start) > 0;
        let after_window = candidates.range_cardinality(window.end..) > 0;
        let (items_before, items_after) = if ascending {
            (before_window, after_window)
        } else {
            (after_window, before_window)
        };
        slice(display, total, request, items_before, items_after)
    }

    /// Relevance order: most relevant first, then newest. The candidates
    /// are sorted on every request: their number is what the search matched.
    fn relevance_page(
        &self,
        candidates: &RoaringBitmap,
        search: &SearchMatches,
        request: PageRequest,
    ) -> (Vec<u32>, bool, bool) {
        let mut ranked: Vec<(f64, u32)> = search
            .scores
            .iter()
            .filter(|(p, _)| candidates.contains(*p))
            .map(|&(p, score)| (score, p))
            .collect();
        ranked.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)));
        // A cursor whose release no longer matches starts over from the edge.
        let index_of = |c: Option<ReleaseCursor>| {
            let position = self.position_of(c?)?;
            ranked.iter().position(|&(_, p)| p == position)
        };
        let start = index_of(request.after).map_or(0, |i| i + 1);
        let end = index_of(request.before).unwrap_or(ranked.len()).max(start);
        let window: Vec<u32> = ranked[start..end].iter().map(|&(_, p)| p).collect();
        let total = window.len();
        slice(
            Box::new(window.into_iter()),
            total,
            request,
            start > 0,
            end < ranked.len(),
        )
    }

    /// Title order: sort the candidates by title rank when they are few,
    /// walk the whole title order when they are many.
    fn title_page(
        &self,
        candidates: &RoaringBitmap,
        order: ReleaseOrder,
        request: PageRequest,
    ) -> (Vec<u32>, bool, bool) {
        let rank_of = |c: ReleaseCursor| self.position_of(c).map(|p| self.title_rank[p as usize]);
        // A cursor whose release is gone cannot be placed in title order:
        // start over from the edge rather than fail.
        let after = request.after.and_then(rank_of);
        let before = request.before.and_then(rank_of);
        let ascending = order == ReleaseOrder::TitleAsc;
        let in_window = |rank: u32| {
            let after_ok = after.is_none_or(|a| if ascending { rank > a } else { rank < a });
            let before_ok = before.is_none_or(|b| if ascending { rank < b } else { rank > b });
            after_ok && before_ok
        };
        let mut ranks: Vec<u32> = if candidates.len() < SORT_CANDIDATES_BELOW {
            let mut ranks: Vec<u32> = candidates
                .iter()
                .map(|p| self.title_rank[p as usize])
                .collect();
            ranks.sort_unstable();
            ranks
        } else {
            self.title_order
                .iter()
                .enumerate()
                .filter(|(_, p)| candidates.contains(**p))
                .map(|(rank, _)| rank as u32)
                .collect()
        };
        if !ascending {
            ranks.reverse();
        }
        let first_in = ranks.iter().position(|&r| in_window(r));
        let last_in = ranks.iter().rposition(|&r| in_window(r));
        let (items_before, items_after, window): (bool, bool, Vec<u32>) = match (first_in, last_in)
        {
            (Some(a), Some(b)) => (
                a > 0,
                b + 1 < ranks.len(),
                ranks[a..=b]
                    .iter()
                    .map(|&r| self.title_order[r as usize])
                    .collect(),
            ),
            _ => (false, false, Vec::new()),
        };
        let total = window.len();
        slice(
            Box::new(window.into_iter()),
            total,
            request,
            items_before,
            items_after,
        )
    }
}

/// Walks the releases matching a filter in date order, for exports of any
/// size: it holds the index snapshot it started from and a bitmap of the
/// positions still to go, so memory is one batch, not the list.
pub struct DateWalk {
    index: Arc<ReleaseIndex>,
    remaining: RoaringBitmap,
    ascending: bool,
}

impl DateWalk {
    pub fn new(index: Arc<ReleaseIndex>, filter: &ReleaseFilter, ascending: bool) -> Self {
        let remaining = index.matching_positions(filter);
        Self {
            index,
            remaining,
            ascending,
        }
    }

    /// How many releases are still to come.
    pub fn remaining(&self) -> u64 {
        self.remaining.len()
    }

    /// The next `n` releases or more: the batch ends with a whole day (a
    /// day is never split between batches, so each batch can be sorted on
    /// its own). `None` when done.
    pub fn next_days(&mut self, n: usize) -> Option<DayBatch> {
        let mut positions: Vec<u32> = Vec::with_capacity(n);
        let mut last_day = None;
        let mut walk: Box<dyn Iterator<Item = u32>> = if self.ascending {
            Box::new(self.remaining.iter())
        } else {
            Box::new(self.remaining.iter().rev())
        };
        for position in &mut walk {
            let day = self.index.days[position as usize];
            if positions.len() >= n && last_day != Some(day) {
                break;
            }
            last_day = Some(day);
            positions.push(position);
        }
        drop(walk);
        let (&first, &last) = (positions.first()?, positions.last()?);
        if self.ascending {
            self.remaining.remove_range(..=last);
        } else {
            self.remaining.remove_range(last..);
        }
        let days = &self.index.days;
        let (from, to) = (
            days[first.min(last) as usize],
            days[first.max(last) as usize],
        );
        // Positions follow dates, so the releases of those days are a range.
        let releases_on_days =
            days.partition_point(|&d| d <= to) - days.partition_point(|&d| d < from);
        Some(DayBatch {
            ids: positions
                .iter()
                .map(|&p| self.index.ids[p as usize])
                .collect(),
            days: date_of(from)..=date_of(to),
            releases_on_days,
        })
    }
}

/// One batch of a `DateWalk`.
pub struct DayBatch {
    /// The releases, in walk order.
    pub ids: Vec<i64>,
    /// The days they fall on, first to last (inclusive, ascending).
    pub days: std::ops::RangeInclusive<NaiveDate>,
    /// How many releases the index holds on those days, matching or not.
    pub releases_on_days: usize,
}

impl DayBatch {
    /// Whether the batch holds nearly every release of its days, so that
    /// reading its days whole (one range of the date index) is cheaper than
    /// looking up each id.
    pub fn is_dense(&self) -> bool {
        self.ids.len() * 4 >= self.releases_on_days * 3
    }
}

/// Applies first/last to a window in display order; returns the positions
/// and hasNextPage / hasPreviousPage.
fn slice(
    display: Box<dyn Iterator<Item = u32> + '_>,
    total: usize,
    request: PageRequest,
    items_before_window: bool,
    items_after_window: bool,
) -> (Vec<u32>, bool, bool) {
    match (request.first, request.last) {
        (Some(first), _) => {
            let items: Vec<u32> = display.take(first).collect();
            (
                items,
                total > first || items_after_window,
                items_before_window,
            )
        }
        (None, Some(last)) => {
            let skip = total.saturating_sub(last);
            let items: Vec<u32> = display.skip(skip).collect();
            (items, items_after_window, skip > 0 || items_before_window)
        }
        (None, None) => (display.collect(), items_after_window, items_before_window),
    }
}
