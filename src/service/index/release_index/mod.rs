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
//! The index is a cache: built from the database, never written to
//! directly, and safe to lose. It is a *base* (the full build, shared) plus
//! an *overlay* (`overlay.rs`: what the change log brought since, merged at
//! read time). Every write appends to the change log; a replica applies
//! the changes after its index's version to a copy of the overlay, and a
//! background build folds a grown overlay into a new base.

mod build;
mod cache;
mod facets;
mod languages;
mod overlay;
mod paging;

use overlay::Overlay;
pub use overlay::{APPLY_AT_MOST, COMPACT_AT};

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
use std::sync::Arc;

/// Below this many candidates, a title-ordered page is found by sorting the
/// candidates; above it, by walking the title order.
const SORT_CANDIDATES_BELOW: u64 = 20_000;

/// The release index at one version of the content: a shared base and the
/// overlay of what changed since. Reads through `Deref` see the base;
/// every public query merges the overlay in.
pub struct ReleaseIndex {
    generation: String,
    /// Which layout of positions this value has (a new one per build and
    /// per update): anything holding positions (cached search matches) is
    /// keyed by it too, since a compaction re-lays the same generation.
    layout: u64,
    base: Arc<Base>,
    overlay: Arc<Overlay>,
}

static LAYOUTS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// A layout number never handed out before in this process.
fn new_layout() -> u64 {
    LAYOUTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

impl std::ops::Deref for ReleaseIndex {
    type Target = Base;
    fn deref(&self) -> &Base {
        &self.base
    }
}

/// The full build: every release at the base's version, positions dense in
/// (date, id) order.
pub struct Base {
    /// Position → release id and date, ascending by (date, id).
    ids: Vec<i64>,
    days: Vec<i32>,
    /// Release id → position (`NO_POSITION` for ids not in the index).
    position_by_id: Vec<u32>,
    /// Positions in (title, date, id) order (titles compared by code point,
    /// the same on both backends), and each position's rank in it.
    title_order: Vec<u32>,
    title_rank: Vec<u32>,
    /// The title at every `TITLE_SAMPLE`th rank of the title order: where an
    /// overlay release goes in it is found among these, then among the
    /// titles of one stretch of ranks read from the database.
    title_samples: Vec<Box<str>>,
    by_field: HashMap<i64, RoaringBitmap>,
    by_country: HashMap<i64, RoaringBitmap>,
    by_source: HashMap<i64, RoaringBitmap>,
    by_person: HashMap<i64, RoaringBitmap>,
    by_meeting: HashMap<i64, RoaringBitmap>,
    by_language: HashMap<String, RoaringBitmap>,
    /// Positions of releases with a translation into each language.
    by_translation: HashMap<String, RoaringBitmap>,
    /// Each position's translations, as numbers into `translation_tags`.
    translation_languages: Links,
    translation_tags: Vec<Box<str>>,
    /// Each position's source unit, and what each relation links it to:
    /// relations and facets over a few positions without touching the database.
    source_of: Vec<u32>,
    links: [Links; 4],
    /// Facet counts per block of positions (`None` if ids are too large).
    cube: Option<FacetCube>,
}

const NO_POSITION: u32 = u32::MAX;

/// Ranks of the title order per sampled title (about 1 MB at a million).
const TITLE_SAMPLE: u32 = 64;

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

    /// The key that positions from this index are valid under.
    pub fn layout_key(&self) -> String {
        format!("{}:{}", self.generation, self.layout)
    }

    /// The content version as a number (the change log's).
    pub fn seq(&self) -> i64 {
        self.generation.parse().unwrap_or(0)
    }

    pub fn len(&self) -> usize {
        self.ids.len() - self.overlay.dead.len() as usize + self.overlay.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The same content under another version (nothing the index holds changed).
    pub fn at_generation(&self, generation: String) -> ReleaseIndex {
        ReleaseIndex {
            generation,
            layout: self.layout,
            base: Arc::clone(&self.base),
            overlay: Arc::clone(&self.overlay),
        }
    }

    /// Base and overlay positions matching `filter`, leaving out `leave`.
    fn matching(&self, filter: &ReleaseFilter, leave: Leave) -> RoaringBitmap {
        let mut result = self.base_matching(filter, leave);
        if self.overlay.is_empty() {
            return result;
        }
        result.remove_range(self.base_len()..);
        result -= &self.overlay.dead;
        result.extend(self.overlay_matching(filter, leave));
        result
    }

    /// Positions with a date in [from, to].
    fn date_range(&self, from: Option<NaiveDate>, to: Option<NaiveDate>) -> std::ops::Range<u32> {
        let start = from.map_or(0, |d| self.days.partition_point(|&x| x < day_number(d)));
        let end = to.map_or(self.days.len(), |d| {
            self.days.partition_point(|&x| x <= day_number(d))
        });
        start as u32..end.max(start) as u32
    }

    /// Base positions matching `filter` (dead ones and, from a search,
    /// overlay ones may be among them: `matching` settles both).
    fn base_matching(&self, filter: &ReleaseFilter, leave: Leave) -> RoaringBitmap {
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
        if !filter.available_in.is_empty() {
            let mut union = RoaringBitmap::new();
            for language in &filter.available_in {
                for map in [&self.by_language, &self.by_translation] {
                    if let Some(bitmap) = map.get(language) {
                        union |= bitmap;
                    }
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
        result.unwrap_or_else(|| {
            let mut all = RoaringBitmap::new();
            all.insert_range(0..self.base_len());
            all
        })
    }

    /// Every position that matches `filter`, unordered (for a walk).
    pub fn matching_positions(&self, filter: &ReleaseFilter) -> RoaringBitmap {
        self.matching(filter, Leave::Nothing)
    }

    pub fn count(&self, filter: &ReleaseFilter) -> u64 {
        self.matching(filter, Leave::Nothing).len()
    }
}

impl Base {
    fn map_of(&self, dim: Dim) -> &HashMap<i64, RoaringBitmap> {
        match dim {
            Dim::Fields => &self.by_field,
            Dim::Countries => &self.by_country,
            Dim::Sources => &self.by_source,
        }
    }

    /// The ids a base release has in `dim`.
    fn base_values_of(&self, dim: Dim, position: u32) -> &[u32] {
        match dim {
            Dim::Fields => self.links[Relation::FieldsOfWork as usize].of(position),
            Dim::Countries => self.links[Relation::Countries as usize].of(position),
            Dim::Sources => match self.source_of.get(position as usize) {
                Some(unit) if *unit != u32::MAX => std::slice::from_ref(unit),
                _ => &[],
            },
        }
    }

    /// Number of base positions whose (day, id) satisfies `pred` (a prefix).
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
}

impl ReleaseIndex {
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
        self.position_of_id(cursor.id)
            .filter(|&p| self.key_at(p) == (day_number(cursor.date), cursor.id))
    }

    fn cursor_at(&self, position: u32) -> ReleaseCursor {
        let (day, id) = self.key_at(position);
        ReleaseCursor {
            date: date_of(day),
            id,
        }
    }

    /// What `relation` links release `id` to, in stored order; `None` if
    /// the release is not in this index (written after it was built).
    pub fn linked(&self, id: i64, relation: Relation) -> Option<Vec<i64>> {
        let position = self.position_of_id(id)?;
        let targets = match self.entry(position) {
            Some(entry) => &entry.links[relation as usize][..],
            None => self.links[relation as usize].of(position),
        };
        Some(targets.iter().map(|&t| i64::from(t)).collect())
    }

    /// Whether release `id` may have translations: false only when this
    /// index knows it has none (reads then skip looking them up).
    pub fn may_be_translated(&self, id: i64) -> bool {
        self.position_of_id(id)
            .is_none_or(|position| match self.entry(position) {
                Some(entry) => !entry.translations.is_empty(),
                None => !self.translation_languages.of(position).is_empty(),
            })
    }

    /// A current release's position: the overlay's if it was written since
    /// the base, the base's unless it is dead.
    pub fn position_of_id(&self, id: i64) -> Option<u32> {
        if let Some(&i) = self.overlay.by_id.get(&id) {
            return Some(self.base_len() + i);
        }
        let position = *self.position_by_id.get(usize::try_from(id).ok()?)?;
        (position != NO_POSITION && !self.overlay.dead.contains(position)).then_some(position)
    }
}
