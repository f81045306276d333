//! A derived, in-memory index of press releases for listing, counting and
//! faceting in microseconds whatever the corpus size.
//!
//! Releases get a *position*: their rank in (date, id) order. For each field
//! of work, country, source unit, person, meeting and language the index
//! keeps a compressed bitmap (roaring) of positions. A filter becomes unions
//! and intersections of bitmaps plus a position range for dates; a count is a
//! cardinality; a page in date order is the next N set bits after the cursor.
//! Only the page's ids then go to the database.
//!
//! The index is a cache: it is rebuilt from the database, never written to
//! directly, and safe to lose. Every write transaction stores a new
//! `content_generation` (see `writer::bump_generation`); each request reads
//! it (a primary-key lookup) and rebuilds the index when it moved, so every
//! replica answers from the committed data.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use futures::TryStreamExt;
use roaring::RoaringBitmap;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, StreamTrait};

use super::facet_cube::{Dim, FacetCube};
use crate::service::version::derived::{Generational, PerGeneration};
use crate::storage::sql::statement;
use crate::storage::state;
use crate::domain::{
    Facets, Page, PageRequest, Pinned, ReleaseCursor, ReleaseFilter, ReleaseOrder, SearchMatches,
};

/// Below this many candidates, a title-ordered page is found by sorting the
/// candidates; above it, by walking the title order.
const SORT_CANDIDATES_BELOW: u64 = 20_000;

pub struct ReleaseIndex {
    generation: String,
    /// Position → release id and date, ascending by (date, id).
    ids: Vec<i64>,
    days: Vec<i32>,
    /// Release id → position (`NO_POSITION` for ids not in the index).
    position_by_id: Vec<u32>,
    /// Positions in (title, id) order, and each position's rank in it.
    title_order: Vec<u32>,
    title_rank: Vec<u32>,
    by_field: HashMap<i64, RoaringBitmap>,
    by_country: HashMap<i64, RoaringBitmap>,
    by_source: HashMap<i64, RoaringBitmap>,
    by_person: HashMap<i64, RoaringBitmap>,
    by_meeting: HashMap<i64, RoaringBitmap>,
    by_language: HashMap<String, RoaringBitmap>,
    /// Positions of releases with at least one translation.
    translated: RoaringBitmap,
    /// Each position's source unit, and what each relation links it to:
    /// relations and facets over a few positions without touching the database.
    source_of: Vec<u32>,
    links: [Links; 4],
    /// Facet counts per block of positions (`None` if ids are too large).
    cube: Option<FacetCube>,
}

const NO_POSITION: u32 = u32::MAX;

/// A release's relations in the index, in `links` order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Relation {
    FieldsOfWork = 0,
    Countries = 1,
    People = 2,
    Meetings = 3,
}

/// For each position, the ids it links to in their stored order, packed
/// (compressed sparse rows): two flat vectors, not a vector per release.
#[derive(Default)]
struct Links {
    offsets: Vec<u32>,
    targets: Vec<u32>,
}

impl Links {
    /// From `(position, order, target)` entries, for `positions` positions.
    fn build(positions: usize, mut entries: Vec<(u32, i16, u32)>) -> Links {
        entries.sort_unstable();
        let mut offsets = Vec::with_capacity(positions + 1);
        let mut targets = Vec::with_capacity(entries.len());
        let mut next = entries.iter().peekable();
        for position in 0..positions as u32 {
            offsets.push(targets.len() as u32);
            while let Some((_, _, target)) = next.next_if(|(p, _, _)| *p == position) {
                targets.push(*target);
            }
        }
        offsets.push(targets.len() as u32);
        Links { offsets, targets }
    }

    fn of(&self, position: u32) -> &[u32] {
        let p = position as usize;
        match (self.offsets.get(p), self.offsets.get(p + 1)) {
            (Some(&from), Some(&to)) => &self.targets[from as usize..to as usize],
            _ => &[],
        }
    }
}

/// Below this share of all releases, a facet counts by visiting the
/// filtered releases; above it, by intersecting each value's bitmap.
const VISIT_BELOW_SHARE: u64 = 4;

fn day_number(date: NaiveDate) -> i32 {
    date.num_days_from_ce()
}

fn date_of(day: i32) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt(day).expect("stored dates are valid")
}

fn union_of(map: &HashMap<i64, RoaringBitmap>, keys: &[i64]) -> RoaringBitmap {
    let mut union = RoaringBitmap::new();
    for key in keys {
        if let Some(bitmap) = map.get(key) {
            union |= bitmap;
        }
    }
    union
}

/// Counts indexed by id → (id, count) for the ids counted, most first.
fn by_count(counted: Vec<u64>) -> Vec<(i64, u64)> {
    most_first(
        counted
            .into_iter()
            .enumerate()
            .filter(|(_, n)| *n > 0)
            .map(|(id, n)| (id as i64, n))
            .collect(),
    )
}

/// A facet's order: most releases first, then by id.
fn most_first(mut counts: Vec<(i64, u64)>) -> Vec<(i64, u64)> {
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    counts
}

/// Which constraint to leave out when computing a facet.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Leave {
    Nothing,
    Fields,
    Countries,
    Sources,
    Dates,
}

impl Generational for ReleaseIndex {
    fn generation(&self) -> &str {
        ReleaseIndex::generation(self)
    }
}

impl ReleaseIndex {
    pub fn generation(&self) -> &str {
        &self.generation
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    fn all(&self) -> RoaringBitmap {
        let mut all = RoaringBitmap::new();
        all.insert_range(0..self.ids.len() as u32);
        all
    }

    /// Positions with a date in [from, to].
    fn date_range(&self, from: Option<NaiveDate>, to: Option<NaiveDate>) -> std::ops::Range<u32> {
        let start = from.map_or(0, |d| self.days.partition_point(|&x| x < day_number(d)));
        let end = to.map_or(self.days.len(), |d| {
            self.days.partition_point(|&x| x <= day_number(d))
        });
        start as u32..end.max(start) as u32
    }

    fn matching(&self, filter: &ReleaseFilter, leave: Leave) -> RoaringBitmap {
        let mut result: Option<RoaringBitmap> = None;
        let mut and = |bitmap: RoaringBitmap| {
            result = Some(match result.take() {
                Some(r) => r & bitmap,
                None => bitmap,
            });
        };
        if let Some(pinned) = &filter.pinned {
            and(match pinned {
                Pinned::FieldOfWork(id) => union_of(&self.by_field, &[*id]),
                Pinned::Country(id) => union_of(&self.by_country, &[*id]),
                Pinned::Sources(ids) => union_of(&self.by_source, ids),
                Pinned::Person(id) => union_of(&self.by_person, &[*id]),
                Pinned::Meeting(id) => union_of(&self.by_meeting, &[*id]),
            });
        }
        if let Some(search) = &filter.search {
            and(search.positions.clone());
        }
        if leave != Leave::Fields && !filter.fields_of_work.is_empty() {
            and(union_of(&self.by_field, &filter.fields_of_work));
        }
        if leave != Leave::Countries && !filter.countries.is_empty() {
            and(union_of(&self.by_country, &filter.countries));
        }
        if leave != Leave::Sources && !filter.sources.is_empty() {
            and(union_of(&self.by_source, &filter.sources));
        }
        if !filter.people.is_empty() {
            and(union_of(&self.by_person, &filter.people));
        }
        if !filter.meetings.is_empty() {
            and(union_of(&self.by_meeting, &filter.meetings));
        }
        if let Some(meetings) = &filter.meetings_of_kinds {
            and(union_of(&self.by_meeting, meetings));
        }
        if !filter.languages.is_empty() {
            let mut union = RoaringBitmap::new();
            for language in &filter.languages {
                if let Some(bitmap) = self.by_language.get(language) {
                    union |= bitmap;
                }
            }
            and(union);
        }
        if leave != Leave::Dates && (filter.date_from.is_some() || filter.date_to.is_some()) {
            // Positions are in date order: a date range is a position range,
            // cut from the other filters' result rather than intersected
            // with a bitmap of it (which converts containers back and forth).
            let range = self.date_range(filter.date_from, filter.date_to);
            return match result {
                Some(mut result) => {
                    result.remove_range(..range.start);
                    result.remove_range(range.end..);
                    result
                }
                None => {
                    let mut all = RoaringBitmap::new();
                    all.insert_range(range);
                    all
                }
            };
        }
        result.unwrap_or_else(|| self.all())
    }

    /// Every position that matches `filter`, unordered (for a walk).
    pub fn matching_positions(&self, filter: &ReleaseFilter) -> RoaringBitmap {
        self.matching(filter, Leave::Nothing)
    }

    pub fn count(&self, filter: &ReleaseFilter) -> u64 {
        self.matching(filter, Leave::Nothing).len()
    }

    pub fn facets(&self, filter: &ReleaseFilter) -> Facets {
        // Few releases: visit them and count their values; many: intersect
        // each value's bitmap with them.
        let visit_below = self.ids.len() as u64 / VISIT_BELOW_SHARE;
        let facet = |dim: Dim, leave: Leave| {
            if let Some(counts) = self.facet_from_cube(filter, dim) {
                return counts;
            }
            let base = self.matching(filter, leave);
            if base.len() < visit_below {
                let mut counted = Vec::new();
                base.iter()
                    .for_each(|position| self.count_values(dim, position, &mut counted));
                by_count(counted)
            } else {
                most_first(
                    self.map_of(dim)
                        .iter()
                        .map(|(key, bitmap)| (*key, bitmap.intersection_len(&base)))
                        .filter(|(_, n)| *n > 0)
                        .collect(),
                )
            }
        };
        let without_dates = self.matching(filter, Leave::Dates);
        let mut years = Vec::new();
        if let (Some(first), Some(last)) = (self.days.first(), self.days.last()) {
            for year in date_of(*first).year()..=date_of(*last).year() {
                let from = NaiveDate::from_ymd_opt(year, 1, 1);
                let to = NaiveDate::from_ymd_opt(year, 12, 31);
                let range = self.date_range(from, to);
                let n = without_dates.range_cardinality(range);
                if n > 0 {
                    years.push((year, n));
                }
            }
        }
        years.reverse();
        Facets {
            fields_of_work: facet(Dim::Fields, Leave::Fields),
            countries: facet(Dim::Countries, Leave::Countries),
            sources: facet(Dim::Sources, Leave::Sources),
            years,
        }
    }

    /// A facet summed from the cube, when the filter's other constraints
    /// are a date range and at most one dimension the cube counts by.
    fn facet_from_cube(&self, filter: &ReleaseFilter, dim: Dim) -> Option<Vec<(i64, u64)>> {
        let cube = self.cube.as_ref()?;
        let beyond_cube = filter.pinned.is_some()
            || filter.search.is_some()
            || !filter.people.is_empty()
            || !filter.meetings.is_empty()
            || filter.meetings_of_kinds.is_some()
            || !filter.languages.is_empty();
        if beyond_cube {
            return None;
        }
        let mut others = [
            (Dim::Fields, &filter.fields_of_work),
            (Dim::Countries, &filter.countries),
            (Dim::Sources, &filter.sources),
        ]
        .into_iter()
        .filter(|(d, values)| *d != dim && !values.is_empty());
        let given = match (others.next(), others.next()) {
            (None, _) => None,
            (Some((given, values)), None) => {
                let mut values = values.clone();
                values.sort_unstable();
                values.dedup();
                // Per-value counts add up only where a release has one value.
                if given != Dim::Sources && values.len() > 1 {
                    return None;
                }
                Some((given, values))
            }
            (Some(_), Some(_)) => return None,
        };
        let range = self.date_range(filter.date_from, filter.date_to);
        let (blocks, edges) = cube.split(range);
        let mut counted = Vec::new();
        cube.add(
            dim,
            given.as_ref().map(|(d, v)| (*d, v.as_slice())),
            blocks,
            &mut counted,
        );
        let given_positions = given
            .as_ref()
            .map(|(d, values)| union_of(self.map_of(*d), values));
        for edge in edges.into_iter().filter(|e| !e.is_empty()) {
            match &given_positions {
                None => edge.for_each(|position| self.count_values(dim, position, &mut counted)),
                Some(positions) => positions
                    .range(edge)
                    .for_each(|position| self.count_values(dim, position, &mut counted)),
            }
        }
        Some(by_count(counted))
    }

    fn map_of(&self, dim: Dim) -> &HashMap<i64, RoaringBitmap> {
        match dim {
            Dim::Fields => &self.by_field,
            Dim::Countries => &self.by_country,
            Dim::Sources => &self.by_source,
        }
    }

    /// The ids a release has in `dim`.
    fn values_of(&self, dim: Dim, position: u32) -> &[u32] {
        match dim {
            Dim::Fields => self.links[Relation::FieldsOfWork as usize].of(position),
            Dim::Countries => self.links[Relation::Countries as usize].of(position),
            Dim::Sources => match self.source_of.get(position as usize) {
                Some(unit) if *unit != u32::MAX => std::slice::from_ref(unit),
                _ => &[],
            },
        }
    }

    /// Counts a release's values in `counted` (indexed by id: these tables hold dozens of rows).
    fn count_values(&self, dim: Dim, position: u32, counted: &mut Vec<u64>) {
        for &id in self.values_of(dim, position) {
            let id = id as usize;
            if id >= counted.len() {
                counted.resize(id + 1, 0);
            }
            counted[id] += 1;
        }
    }

    /// The position of a cursor's release, if it is still there.
    fn position_of(&self, cursor: ReleaseCursor) -> Option<u32> {
        let key = (day_number(cursor.date), cursor.id);
        let p = self.partition(|k| k < key);
        (p < self.ids.len() && (self.days[p], self.ids[p]) == key).then_some(p as u32)
    }

    /// Number of positions whose (day, id) satisfies `pred` (a prefix).
    fn partition(&self, pred: impl Fn((i32, i64)) -> bool) -> usize {
        let (mut lo, mut hi) = (0usize, self.ids.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if pred((self.days[mid], self.ids[mid])) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    fn cursor_at(&self, position: u32) -> ReleaseCursor {
        let p = position as usize;
        ReleaseCursor {
            date: date_of(self.days[p]),
            id: self.ids[p],
        }
    }

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

    /// A release's position, if the index holds it.
    /// What `relation` links release `id` to, in stored order; `None` if
    /// the release is not in this index (written after it was built).
    pub fn linked(&self, id: i64, relation: Relation) -> Option<Vec<i64>> {
        let position = self.position_of_id(id)?;
        Some(
            self.links[relation as usize]
                .of(position)
                .iter()
                .map(|&t| i64::from(t))
                .collect(),
        )
    }

    /// Whether release `id` may have translations: false only when this
    /// index knows it has none (reads then skip looking them up).
    pub fn may_be_translated(&self, id: i64) -> bool {
        self.position_of_id(id)
            .is_none_or(|position| self.translated.contains(position))
    }

    pub fn position_of_id(&self, id: i64) -> Option<u32> {
        let position = *self.position_by_id.get(usize::try_from(id).ok()?)?;
        (position != NO_POSITION).then_some(position)
    }

    /// The positions and scores of search hits (release ids and scores, as
    /// the database found them); hits not in the index are left out.
    pub fn search_matches(&self, hits: impl IntoIterator<Item = (i64, f64)>) -> SearchMatches {
        let mut scores: Vec<(u32, f64)> = hits
            .into_iter()
            .filter_map(|(id, score)| Some((self.position_of_id(id)?, score)))
            .collect();
        scores.sort_unstable_by_key(|(p, _)| *p);
        let positions =
            RoaringBitmap::from_sorted_iter(scores.iter().map(|(p, _)| *p)).unwrap_or_default();
        SearchMatches { positions, scores }
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

/// Reads the whole index from the database in one consistent snapshot,
/// streaming rows so memory holds only the index itself.
pub async fn build(db: &DatabaseConnection) -> Result<ReleaseIndex, DbErr> {
    let txn = crate::storage::begin_snapshot(db).await?;
    let backend = ConnectionTrait::get_database_backend(&txn);
    if backend == DbBackend::Postgres {
        // Reading a million rows is one long statement: the per-request
        // statement timeout must not cut it off.
        txn.execute_unprepared("SET LOCAL statement_timeout = 0")
            .await?;
    }
    let generation = state::content_generation(&txn).await?;

    let mut index = ReleaseIndex {
        generation,
        ids: Vec::new(),
        days: Vec::new(),
        position_by_id: Vec::new(),
        title_order: Vec::new(),
        title_rank: Vec::new(),
        by_field: HashMap::new(),
        by_country: HashMap::new(),
        by_source: HashMap::new(),
        by_person: HashMap::new(),
        by_meeting: HashMap::new(),
        by_language: HashMap::new(),
        translated: RoaringBitmap::new(),
        source_of: Vec::new(),
        links: Default::default(),
        cube: None,
    };
    {
        let mut rows = txn
            .stream_raw(statement(
                backend,
                "SELECT id, date, source_id, language FROM press_release ORDER BY date, id",
                vec![],
            ))
            .await?;
        let mut position = 0u32;
        while let Some(row) = rows.try_next().await? {
            let date: NaiveDate = row.try_get("", "date")?;
            index.ids.push(row.try_get("", "id")?);
            index.days.push(day_number(date));
            let source: i64 = row.try_get("", "source_id")?;
            index
                .source_of
                .push(u32::try_from(source).unwrap_or(u32::MAX));
            index.by_source.entry(source).or_default().insert(position);
            let language: String = row.try_get("", "language")?;
            index
                .by_language
                .entry(language)
                .or_default()
                .insert(position);
            position += 1;
        }
    }
    let max_id = index.ids.iter().copied().max().unwrap_or(0).max(0) as usize;
    index.position_by_id = vec![NO_POSITION; max_id + 1];
    for (position, &id) in index.ids.iter().enumerate() {
        if let Ok(id) = usize::try_from(id) {
            index.position_by_id[id] = position as u32;
        }
    }
    {
        let mut rows = txn
            .stream_raw(statement(
                backend,
                "SELECT DISTINCT press_release_id FROM press_release_translation",
                vec![],
            ))
            .await?;
        while let Some(row) = rows.try_next().await? {
            if let Some(position) = index.position_of_id(row.try_get("", "press_release_id")?) {
                index.translated.insert(position);
            }
        }
    }
    let position_of = |index: &ReleaseIndex, date: NaiveDate, id: i64| {
        index.position_of(ReleaseCursor { date, id })
    };
    for (table, target, which) in [
        ("press_release_field_of_work", "field_of_work_id", 0),
        ("press_release_country", "country_id", 1),
        ("press_release_person", "person_id", 2),
        ("press_release_meeting", "meeting_id", 3),
    ] {
        let sql = format!(
            "SELECT press_release_id, {target} AS target, release_date, position FROM {table}"
        );
        let mut rows = txn.stream_raw(statement(backend, &sql, vec![])).await?;
        let mut bitmaps: HashMap<i64, RoaringBitmap> = HashMap::new();
        let mut entries: Vec<(u32, i16, u32)> = Vec::new();
        while let Some(row) = rows.try_next().await? {
            let id: i64 = row.try_get("", "press_release_id")?;
            let date: NaiveDate = row.try_get("", "release_date")?;
            let target: i64 = row.try_get("", "target")?;
            let order: i16 = row.try_get("", "position")?;
            if let Some(position) = position_of(&index, date, id) {
                bitmaps.entry(target).or_default().insert(position);
                if let Ok(target) = u32::try_from(target) {
                    entries.push((position, order, target));
                }
            }
        }
        drop(rows);
        index.links[which] = Links::build(index.ids.len(), entries);
        match which {
            0 => index.by_field = bitmaps,
            1 => index.by_country = bitmaps,
            2 => index.by_person = bitmaps,
            _ => index.by_meeting = bitmaps,
        }
    }
    {
        index.title_rank = vec![0; index.ids.len()];
        index.title_order.reserve(index.ids.len());
        let mut rows = txn
            .stream_raw(statement(
                backend,
                "SELECT id, date FROM press_release ORDER BY title, id",
                vec![],
            ))
            .await?;
        while let Some(row) = rows.try_next().await? {
            let id: i64 = row.try_get("", "id")?;
            let date: NaiveDate = row.try_get("", "date")?;
            if let Some(position) = position_of(&index, date, id) {
                index.title_rank[position as usize] = index.title_order.len() as u32;
                index.title_order.push(position);
            }
        }
    }
    for bitmap in index
        .by_field
        .values_mut()
        .chain(index.by_country.values_mut())
        .chain(index.by_source.values_mut())
        .chain(index.by_person.values_mut())
        .chain(index.by_meeting.values_mut())
        .chain(index.by_language.values_mut())
    {
        bitmap.optimize();
    }
    index.cube = FacetCube::build(
        index.ids.len(),
        |dim| index.map_of(dim).keys().copied().collect(),
        |dim, position| index.values_of(dim, position),
    );
    txn.commit().await?;
    Ok(index)
}

/// The shared, lazily (re)built index. One per process; cloning shares it.
#[derive(Clone, Default)]
pub struct ReleaseIndexCache {
    current: PerGeneration<ReleaseIndex>,
    searches: Arc<std::sync::Mutex<SearchCache>>,
}

/// Releases matched by recent searches, resolved to positions of the index
/// of one content generation: the next page of a search, or the same search
/// from another visitor, skips the full-text query. Bounded by the number
/// of matches held (`budget`; 0 turns it off). Like the index, a cache:
/// dropped when the content changes, safe to lose.
#[derive(Default)]
struct SearchCache {
    generation: String,
    budget: u64,
    held: u64,
    clock: u64,
    entries: HashMap<String, (Arc<SearchMatches>, u64)>,
    /// Lookups that found their matches, and that did not (for `/metrics`).
    hits: u64,
    misses: u64,
}

/// Matches the search cache holds by default (about 12 bytes each).
pub const DEFAULT_SEARCH_CACHE_MATCHES: u64 = 1_000_000;

impl SearchCache {
    fn get(&mut self, generation: &str, key: &str) -> Option<Arc<SearchMatches>> {
        let found = self.lookup(generation, key);
        if found.is_some() {
            self.hits += 1;
        } else {
            self.misses += 1;
        }
        found
    }

    fn lookup(&mut self, generation: &str, key: &str) -> Option<Arc<SearchMatches>> {
        if self.generation != generation {
            return None;
        }
        self.clock += 1;
        let clock = self.clock;
        self.entries.get_mut(key).map(|(matches, used)| {
            *used = clock;
            Arc::clone(matches)
        })
    }

    fn put(&mut self, generation: &str, key: String, matches: Arc<SearchMatches>) {
        let size = matches.scores.len() as u64 + 1;
        if size > self.budget {
            return;
        }
        if self.generation != generation {
            self.entries.clear();
            self.held = 0;
            self.generation = generation.to_owned();
        }
        while self.held + size > self.budget {
            let Some(oldest) = self
                .entries
                .iter()
                .min_by_key(|(_, (_, used))| *used)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            if let Some((evicted, _)) = self.entries.remove(&oldest) {
                self.held -= evicted.scores.len() as u64 + 1;
            }
        }
        self.clock += 1;
        self.held += size;
        if let Some((replaced, _)) = self.entries.insert(key, (matches, self.clock)) {
            self.held -= replaced.scores.len() as u64 + 1;
        }
    }
}

impl ReleaseIndexCache {
    /// A cache keeping up to `matches` search matches (0: none).
    pub fn with_search_cache(matches: u64) -> Self {
        let cache = Self::default();
        cache.searches.lock().expect("search cache lock").budget = matches;
        cache
    }

    /// The matches of a search `key` against `index`, if still cached.
    pub fn cached_search(&self, index: &ReleaseIndex, key: &str) -> Option<Arc<SearchMatches>> {
        self.searches.lock().ok()?.get(&index.generation, key)
    }

    /// Search cache lookups since the cache was made, for `/metrics`.
    pub fn search_cache_stats(&self) -> crate::service::version::CacheStats {
        match self.searches.lock() {
            Ok(cache) => crate::service::version::CacheStats {
                hits: cache.hits,
                misses: cache.misses,
                entries: cache.entries.len(),
                bytes: 0,
            },
            Err(_) => crate::service::version::CacheStats::default(),
        }
    }

    pub fn cache_search(&self, index: &ReleaseIndex, key: String, matches: Arc<SearchMatches>) {
        if let Ok(mut cache) = self.searches.lock() {
            cache.put(&index.generation, key, matches);
        }
    }

    /// The index for the database's current content, rebuilt first if the
    /// content changed since it was built. Concurrent callers share one rebuild.
    pub async fn get(&self, db: &DatabaseConnection) -> Result<Arc<ReleaseIndex>, DbErr> {
        let generation = state::content_generation(db).await?;
        self.get_at(db, &generation).await
    }

    /// The index at `generation`, just read from the database.
    pub async fn get_at(
        &self,
        db: &DatabaseConnection,
        generation: &str,
    ) -> Result<Arc<ReleaseIndex>, DbErr> {
        self.current
            .get_at(db, generation, || async {
                let started = std::time::Instant::now();
                let index = build(db).await?;
                tracing::info!(
                    releases = index.len(),
                    facet_cube_kb = index.cube.as_ref().map_or(0, FacetCube::bytes) / 1024,
                    elapsed_ms = started.elapsed().as_millis() as u64,
                    "release index built"
                );
                Ok(index)
            })
            .await
    }
}

#[cfg(test)]
mod search_cache_tests {
    use super::*;

    fn matches(n: u32) -> Arc<SearchMatches> {
        Arc::new(SearchMatches {
            positions: (0..n).collect(),
            scores: (0..n).map(|p| (p, 1.0)).collect(),
        })
    }

    #[test]
    fn evicts_the_least_recently_used_and_forgets_old_generations() {
        let mut cache = SearchCache {
            budget: 25,
            ..Default::default()
        };
        cache.put("g1", "a".into(), matches(10));
        cache.put("g1", "b".into(), matches(10));
        assert!(cache.get("g1", "a").is_some()); // a is now the most recent
        cache.put("g1", "c".into(), matches(10)); // evicts b
        assert!(cache.get("g1", "b").is_none());
        assert!(cache.get("g1", "a").is_some());
        assert!(cache.held <= 25);
        cache.put("g1", "huge".into(), matches(100)); // larger than the budget: not kept
        assert!(cache.get("g1", "huge").is_none());
        assert!(cache.get("g2", "a").is_none()); // another generation: stale
        cache.put("g2", "d".into(), matches(1));
        assert!(cache.get("g2", "c").is_none());
        assert_eq!(cache.held, 2);
        assert_eq!((cache.hits, cache.misses), (2, 4));
    }
}
