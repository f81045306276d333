//! What changed since the base was built: the base positions no longer
//! current (deleted or superseded) and the releases written since, kept
//! small and merged with the base at read time. Applying a change copies
//! the overlay (bounded by `COMPACT_AT`), never the base; a background full
//! build folds it into a new base once it grows.
//!
//! Overlay releases take the positions after the base's, in (date, id)
//! order: base positions are `0..B`, the overlay's `B..B+D`. Positions are
//! only meaningful within one index value (the overlay is re-sorted when it
//! changes), as every cache of them is keyed by the generation.

use super::*;
use crate::storage::releases::ReleaseEntry;
use std::collections::HashSet;

/// Overlay size (releases written plus base releases dropped) above which
/// a full build is started in the background to fold it into a new base.
pub const COMPACT_AT: usize = 5_000;

/// Changes since the index's version above which a replica builds a new
/// index instead of applying them one by one (e.g. after a bulk import).
pub const APPLY_AT_MOST: u64 = 20_000;

/// A release written since the base was built.
#[derive(Clone)]
pub(super) struct Entry {
    pub(super) id: i64,
    pub(super) day: i32,
    pub(super) source: u32,
    pub(super) language: String,
    pub(super) title: String,
    /// Its place in the base's title order: the first live base rank whose
    /// (title, date, id) is greater (the base's length if none).
    pub(super) base_rank: u32,
    /// Targets per relation, in stored order.
    pub(super) links: [Vec<u32>; 4],
    /// The languages of its translations, by tag.
    pub(super) translations: Vec<String>,
}

impl Entry {
    pub(super) fn from_row(row: ReleaseEntry, base_rank: u32) -> Entry {
        let targets = |ids: Vec<i64>| -> Vec<u32> {
            ids.into_iter()
                .filter_map(|t| u32::try_from(t).ok())
                .collect()
        };
        let [fields, countries, people, meetings] = row.links;
        Entry {
            id: row.release.id,
            day: day_number(row.release.date),
            source: u32::try_from(row.release.source_id).unwrap_or(u32::MAX),
            language: row.release.language,
            title: row.release.title,
            base_rank,
            links: [
                targets(fields),
                targets(countries),
                targets(people),
                targets(meetings),
            ],
            translations: row.translations,
        }
    }

    pub(super) fn key(&self) -> (i32, i64) {
        (self.day, self.id)
    }

    fn links_any(&self, relation: Relation, ids: &[i64]) -> bool {
        self.links[relation as usize]
            .iter()
            .any(|&t| ids.contains(&i64::from(t)))
    }
}

#[derive(Clone, Default)]
pub(super) struct Overlay {
    /// Base positions no longer current.
    pub(super) dead: RoaringBitmap,
    /// Releases written since the base, by (date, id).
    pub(super) entries: Vec<Entry>,
    /// Release id → index in `entries`.
    pub(super) by_id: HashMap<i64, u32>,
}

impl Overlay {
    pub(super) fn is_empty(&self) -> bool {
        self.dead.is_empty() && self.entries.is_empty()
    }

    /// How much the overlay holds (what compaction is measured by).
    pub(super) fn size(&self) -> usize {
        self.dead.len() as usize + self.entries.len()
    }
}

impl ReleaseIndex {
    /// The number of base positions: overlay positions start here.
    pub(super) fn base_len(&self) -> u32 {
        self.ids.len() as u32
    }

    /// The overlay release at global `position`, if it is one.
    pub(super) fn entry(&self, position: u32) -> Option<&Entry> {
        position
            .checked_sub(self.base_len())
            .and_then(|i| self.overlay.entries.get(i as usize))
    }

    /// The (day, id) sort key of any position.
    pub(super) fn key_at(&self, position: u32) -> (i32, i64) {
        match self.entry(position) {
            Some(entry) => entry.key(),
            None => (self.days[position as usize], self.ids[position as usize]),
        }
    }

    pub(super) fn id_at(&self, position: u32) -> i64 {
        self.key_at(position).1
    }

    /// The overlay's positions matching `filter` (leaving out `leave`).
    pub(super) fn overlay_matching(&self, filter: &ReleaseFilter, leave: Leave) -> Vec<u32> {
        let base = self.base_len();
        self.overlay
            .entries
            .iter()
            .enumerate()
            .filter(|(i, e)| entry_matches(e, base + *i as u32, filter, leave))
            .map(|(i, _)| base + i as u32)
            .collect()
    }

    /// The base positions dead once releases `removed` (deleted or
    /// rewritten) are: what `apply` will hold.
    pub fn dead_after(&self, removed: &HashSet<i64>) -> RoaringBitmap {
        let mut dead = self.overlay.dead.clone();
        for &id in removed {
            if let Some(position) = self.base_position_of_id(id) {
                dead.insert(position);
            }
        }
        dead
    }

    /// A new index: this one with `removed` (release ids deleted or
    /// rewritten, making `dead` the dead base positions) and `entries`
    /// (releases written since, as stored now, each with its base title
    /// rank) applied, at `generation`. Costs the overlay's size, not the
    /// corpus's.
    pub fn apply(
        &self,
        generation: String,
        removed: &HashSet<i64>,
        dead: RoaringBitmap,
        entries: Vec<(ReleaseEntry, u32)>,
    ) -> ReleaseIndex {
        let mut overlay = (*self.overlay).clone();
        overlay.dead = dead;
        overlay.entries.retain(|e| !removed.contains(&e.id));
        overlay.entries.extend(
            entries
                .into_iter()
                .map(|(row, rank)| Entry::from_row(row, rank)),
        );
        overlay.entries.sort_unstable_by_key(Entry::key);
        overlay.by_id = overlay
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id, i as u32))
            .collect();
        ReleaseIndex {
            generation,
            layout: new_layout(),
            base: Arc::clone(&self.base),
            overlay: Arc::new(overlay),
        }
    }

    /// How title order compares two positions (base or overlay): base ones
    /// by rank, overlay ones by (title, date, id), and across by the overlay
    /// release's base rank.
    pub(super) fn cmp_titles(&self, a: u32, b: u32) -> std::cmp::Ordering {
        use std::cmp::Ordering;
        match (self.entry(a), self.entry(b)) {
            (None, None) => self.title_rank[a as usize].cmp(&self.title_rank[b as usize]),
            (Some(x), Some(y)) => {
                (x.title.as_str(), x.day, x.id).cmp(&(y.title.as_str(), y.day, y.id))
            }
            (None, Some(y)) => {
                if y.base_rank <= self.title_rank[a as usize] {
                    Ordering::Greater
                } else {
                    Ordering::Less
                }
            }
            (Some(x), None) => {
                if x.base_rank <= self.title_rank[b as usize] {
                    Ordering::Less
                } else {
                    Ordering::Greater
                }
            }
        }
    }

    /// Whether the overlay has grown enough to fold into a new base.
    pub fn wants_compaction(&self) -> bool {
        self.overlay.size() >= COMPACT_AT
    }

    /// A base position of release `id`, if the base holds it (dead or not).
    fn base_position_of_id(&self, id: i64) -> Option<u32> {
        let position = *self.position_by_id.get(usize::try_from(id).ok()?)?;
        (position != NO_POSITION).then_some(position)
    }
}

/// Whether an overlay release at global `position` matches `filter`.
fn entry_matches(e: &Entry, position: u32, filter: &ReleaseFilter, leave: Leave) -> bool {
    if let Some(pinned) = &filter.pinned {
        let ok = match pinned {
            Pinned::FieldOfWork(id) => e.links_any(Relation::FieldsOfWork, &[*id]),
            Pinned::Country(id) => e.links_any(Relation::Countries, &[*id]),
            Pinned::Sources(ids) => ids.contains(&i64::from(e.source)),
            Pinned::Person(id) => e.links_any(Relation::People, &[*id]),
            Pinned::Meeting(id) => e.links_any(Relation::Meetings, &[*id]),
        };
        if !ok {
            return false;
        }
    }
    if let Some(search) = &filter.search
        && !search.positions.contains(position)
    {
        return false;
    }
    let any = |relation, ids: &[i64]| ids.is_empty() || e.links_any(relation, ids);
    if leave != Leave::Fields && !any(Relation::FieldsOfWork, &filter.fields_of_work) {
        return false;
    }
    if leave != Leave::Countries && !any(Relation::Countries, &filter.countries) {
        return false;
    }
    if leave != Leave::Sources
        && !filter.sources.is_empty()
        && !filter.sources.contains(&i64::from(e.source))
    {
        return false;
    }
    if !any(Relation::People, &filter.people) || !any(Relation::Meetings, &filter.meetings) {
        return false;
    }
    if let Some(meetings) = &filter.meetings_of_kinds
        && !e.links_any(Relation::Meetings, meetings)
    {
        return false;
    }
    if !filter.languages.is_empty() && !filter.languages.contains(&e.language) {
        return false;
    }
    if !filter.available_in.is_empty()
        && !filter
            .available_in
            .iter()
            .any(|l| *l == e.language || e.translations.contains(l))
    {
        return false;
    }
    if leave != Leave::Dates {
        if filter.date_from.is_some_and(|d| e.day < day_number(d)) {
            return false;
        }
        if filter.date_to.is_some_and(|d| e.day > day_number(d)) {
            return false;
        }
    }
    true
}
