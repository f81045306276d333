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
//! `content_generation` (see `storage::state::bump_generation`); each request reads
//! it (a primary-key lookup) and rebuilds the index when it moved, so every
//! replica answers from the committed data.

mod build;
mod cache;
mod paging;

pub use build::build;
pub use cache::{DEFAULT_SEARCH_CACHE_MATCHES, ReleaseIndexCache};
pub use paging::{DateWalk, DayBatch};

use super::facet_cube::{Dim, FacetCube};
pub use crate::domain::ReleaseRelation as Relation;
use crate::domain::{Facets, Pinned, ReleaseCursor, ReleaseFilter, SearchMatches};
use crate::service::version::derived::Generational;
use chrono::{Datelike, NaiveDate};
use roaring::RoaringBitmap;
use std::collections::HashMap;

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

/// The inverse of `day_number`, for the days the index holds.
#[allow(
    clippy::expect_used,
    reason = "the index holds only `day_number`s of `NaiveDate`s, and every one maps back"
)]
fn date_of(day: i32) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt(day).expect("a day number made by `day_number`")
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
}
