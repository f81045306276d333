//! Pages of the index: in date, title or relevance order, and the walk
//! by days that exports stream.

use super::*;
use crate::domain::{Page, PageRequest, ReleaseCursor, ReleaseFilter, ReleaseOrder, SearchMatches};
use chrono::NaiveDate;
use roaring::RoaringBitmap;
use std::sync::Arc;

/// One side's page: positions in display order, and whether items come
/// after / before them (hasNextPage, hasPreviousPage).
type Side = (Vec<u32>, bool, bool);

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
            ids: positions.iter().map(|&p| self.id_at(p)).collect(),
            cursors: positions.iter().map(|&p| self.cursor_at(p)).collect(),
            has_next_page,
            has_previous_page,
        }
    }

    /// Date order: the base's window between the cursors is a range of
    /// positions; the overlay's releases are merged in by (date, id).
    fn date_page(
        &self,
        candidates: &RoaringBitmap,
        order: ReleaseOrder,
        request: PageRequest,
    ) -> Side {
        let key = |c: ReleaseCursor| (day_number(c.date), c.id);
        let n = self.base_len();
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
        let after_window = candidates.range_cardinality(window.end..n) > 0;
        let (items_before, items_after) = if ascending {
            (before_window, after_window)
        } else {
            (after_window, before_window)
        };
        let base = slice(display, total, request, items_before, items_after);
        if self.overlay.entries.is_empty() {
            return base;
        }
        // Overlay positions are in (date, id) order too.
        let past_after = |p: u32| {
            let k = self.key_at(p);
            request
                .after
                .is_none_or(|c| (k > key(c)) == ascending && k != key(c))
        };
        let short_of_before = |p: u32| {
            let k = self.key_at(p);
            request
                .before
                .is_none_or(|c| (k < key(c)) == ascending && k != key(c))
        };
        let mut mine: Vec<u32> = candidates.range(n..).collect();
        if !ascending {
            mine.reverse();
        }
        let overlay = window_side(mine, past_after, short_of_before, request);
        let cmp = |a: &u32, b: &u32| {
            let ordering = self.key_at(*a).cmp(&self.key_at(*b));
            if ascending {
                ordering
            } else {
                ordering.reverse()
            }
        };
        merge(base, overlay, cmp, request)
    }

    /// Relevance order: most relevant first, then newest. The candidates
    /// are sorted on every request: their number is what the search matched.
    fn relevance_page(
        &self,
        candidates: &RoaringBitmap,
        search: &SearchMatches,
        request: PageRequest,
    ) -> Side {
        let mut ranked: Vec<(f64, (i32, i64), u32)> = search
            .scores
            .iter()
            .filter(|(p, _)| candidates.contains(*p))
            .map(|&(p, score)| (score, self.key_at(p), p))
            .collect();
        ranked.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)));
        // A cursor whose release no longer matches starts over from the edge.
        let index_of = |c: Option<ReleaseCursor>| {
            let position = self.position_of(c?)?;
            ranked.iter().position(|&(_, _, p)| p == position)
        };
        let start = index_of(request.after).map_or(0, |i| i + 1);
        let end = index_of(request.before).unwrap_or(ranked.len()).max(start);
        let window: Vec<u32> = ranked[start..end].iter().map(|&(_, _, p)| p).collect();
        let total = window.len();
        slice(
            Box::new(window.into_iter()),
            total,
            request,
            start > 0,
            end < ranked.len(),
        )
    }

    /// Title order: sort the base candidates by title rank when they are
    /// few, walk the whole title order when they are many; the overlay's
    /// releases are sorted and merged in (`cmp_titles`).
    fn title_page(
        &self,
        candidates: &RoaringBitmap,
        order: ReleaseOrder,
        request: PageRequest,
    ) -> Side {
        use std::cmp::Ordering;
        // A cursor whose release is gone cannot be placed in title order:
        // start over from the edge rather than fail.
        let after = request.after.and_then(|c| self.position_of(c));
        let before = request.before.and_then(|c| self.position_of(c));
        let ascending = order == ReleaseOrder::TitleAsc;
        // Display order: title order, or its reverse.
        let cmp = |a: u32, b: u32| {
            let ordering = self.cmp_titles(a, b);
            if ascending {
                ordering
            } else {
                ordering.reverse()
            }
        };
        let past_after = |p: u32| after.is_none_or(|c| cmp(p, c) == Ordering::Greater);
        let short_of_before = |p: u32| before.is_none_or(|c| cmp(p, c) == Ordering::Less);
        let base_len = self.base_len();
        let mut ranks: Vec<u32> =
            if candidates.range_cardinality(..base_len) < SORT_CANDIDATES_BELOW {
                let mut ranks: Vec<u32> = candidates
                    .range(..base_len)
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
        let all: Vec<u32> = ranks
            .iter()
            .map(|&r| self.title_order[r as usize])
            .collect();
        let base = window_side(all, past_after, short_of_before, request);
        if self.overlay.entries.is_empty() {
            return base;
        }
        let mut mine: Vec<u32> = candidates.range(base_len..).collect();
        mine.sort_unstable_by(|a, b| cmp(*a, *b));
        let overlay = window_side(mine, past_after, short_of_before, request);
        merge(base, overlay, |a, b| cmp(*a, *b), request)
    }
}

/// A page of `all` (in display order) between two cursors: `past_after`
/// tells an item comes after the `after` cursor, `short_of_before` that it
/// comes before the `before` one. Items outside say whether there are more
/// before or after the window, even when it is empty.
fn window_side(
    all: Vec<u32>,
    past_after: impl Fn(u32) -> bool,
    short_of_before: impl Fn(u32) -> bool,
    request: PageRequest,
) -> Side {
    let (mut before, mut after) = (false, false);
    let mut window = Vec::new();
    for p in all {
        match (past_after(p), short_of_before(p)) {
            (true, true) => window.push(p),
            (false, _) => before = true,
            (true, false) => after = true,
        }
    }
    let total = window.len();
    slice(Box::new(window.into_iter()), total, request, before, after)
}

/// Merges two pages of disjoint releases in one display order into one
/// page: the first (or last) N of the union lie among each side's first
/// (or last) N.
fn merge(
    a: Side,
    b: Side,
    cmp: impl Fn(&u32, &u32) -> std::cmp::Ordering,
    request: PageRequest,
) -> Side {
    let (a, a_next, a_previous) = a;
    let (b, b_next, b_previous) = b;
    let mut all = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if cmp(&a[i], &b[j]) != std::cmp::Ordering::Greater {
            all.push(a[i]);
            i += 1;
        } else {
            all.push(b[j]);
            j += 1;
        }
    }
    all.extend_from_slice(&a[i..]);
    all.extend_from_slice(&b[j..]);
    let (mut next, mut previous) = (a_next || b_next, a_previous || b_previous);
    match (request.first, request.last) {
        (Some(first), _) => {
            next |= all.len() > first;
            all.truncate(first);
        }
        (None, Some(last)) => {
            previous |= all.len() > last;
            all.drain(..all.len().saturating_sub(last));
        }
        (None, None) => {}
    }
    (all, next, previous)
}

/// Walks the releases matching a filter in date order, for exports of any
/// size: it holds the index snapshot it started from and a bitmap of the
/// base positions still to go (and the overlay's, few, in a list), so
/// memory is one batch, not the list.
pub struct DateWalk {
    index: Arc<ReleaseIndex>,
    remaining: RoaringBitmap,
    /// Overlay positions still to go, in walk order.
    overlay: std::collections::VecDeque<u32>,
    ascending: bool,
}

impl DateWalk {
    pub fn new(index: Arc<ReleaseIndex>, filter: &ReleaseFilter, ascending: bool) -> Self {
        let mut remaining = index.matching_positions(filter);
        let mut overlay: Vec<u32> = remaining.range(index.base_len()..).collect();
        remaining.remove_range(index.base_len()..);
        if !ascending {
            overlay.reverse();
        }
        Self {
            index,
            remaining,
            overlay: overlay.into(),
            ascending,
        }
    }

    /// How many releases are still to come.
    pub fn remaining(&self) -> u64 {
        self.remaining.len() + self.overlay.len() as u64
    }

    /// The next `n` releases or more: the batch ends with a whole day (a
    /// day is never split between batches, so each batch can be sorted on
    /// its own). `None` when done.
    pub fn next_days(&mut self, n: usize) -> Option<DayBatch> {
        let index = Arc::clone(&self.index);
        let mut positions: Vec<u32> = Vec::with_capacity(n);
        let mut last_day = None;
        let mut last_base = None;
        let mut walk: Box<dyn Iterator<Item = u32>> = if self.ascending {
            Box::new(self.remaining.iter())
        } else {
            Box::new(self.remaining.iter().rev())
        };
        let mut next_base = walk.next();
        loop {
            // The next of the two sources in walk order.
            let base_key = next_base.map(|p| index.key_at(p));
            let overlay_key = self.overlay.front().map(|&p| index.key_at(p));
            let take_overlay = match (base_key, overlay_key) {
                (None, None) => break,
                (Some(_), None) => false,
                (None, Some(_)) => true,
                (Some(b), Some(o)) => (o < b) == self.ascending,
            };
            let position = if take_overlay {
                self.overlay.front().copied()
            } else {
                next_base
            };
            let Some(position) = position else { break };
            let day = index.key_at(position).0;
            if positions.len() >= n && last_day != Some(day) {
                break;
            }
            last_day = Some(day);
            positions.push(position);
            if take_overlay {
                self.overlay.pop_front();
            } else {
                last_base = Some(position);
                next_base = walk.next();
            }
        }
        drop(walk);
        if let Some(last) = last_base {
            if self.ascending {
                self.remaining.remove_range(..=last);
            } else {
                self.remaining.remove_range(last..);
            }
        }
        let days: Vec<i32> = positions.iter().map(|&p| index.key_at(p).0).collect();
        let (from, to) = (*days.iter().min()?, *days.iter().max()?);
        // Base positions follow dates, so the base's releases of those days
        // are a range; the overlay's are counted.
        let base_days = &index.days;
        let on_base =
            base_days.partition_point(|&d| d <= to) - base_days.partition_point(|&d| d < from);
        let on_overlay = index
            .overlay
            .entries
            .iter()
            .filter(|e| (from..=to).contains(&e.day))
            .count();
        let dead_on_days = index
            .overlay
            .dead
            .range(
                base_days.partition_point(|&d| d < from) as u32
                    ..base_days.partition_point(|&d| d <= to) as u32,
            )
            .count();
        Some(DayBatch {
            ids: positions.iter().map(|&p| index.id_at(p)).collect(),
            days: date_of(from)..=date_of(to),
            releases_on_days: on_base + on_overlay - dead_on_days,
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
